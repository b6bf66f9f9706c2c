"""Nhãn: the one table of what officials read in place of the system's codes.

Event kinds (histories and the audit log), roles, unit levels, dossier statuses, channels, return
methods and classes each have a Vietnamese label here (English through the catalogue). Roles, statuses,
channels and lateness are engine.ground.vocabulary's tables, translated here, never written again. Templates call
`label(table, code)`; a code with no label shows as a readable fallback, never as the raw code
(`dossier.something_new` → "Sự kiện khác"), and the missing code is logged once so it can be added.
"""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext

from engine.calendar.hours import MINUTES_PER_WORKING_DAY
from engine.ground.vocabulary import CHANNEL_LABELS, LATENESS_LABELS, ROLE_LABELS, STATUS_LABELS


def translated(table: dict[str, str], context: str = "") -> dict[str, object]:
    """A table of engine.ground.vocabulary, its one wording translated at display time (English pages)."""
    return {code: pgettext(context, text) if context else _l(text) for code, text in table.items()}


# Events that webapp.pages and webapp.admin do not already name.
MORE_EVENTS = {
    "dossier.submitted": pgettext("event", "Nộp hồ sơ trực tuyến"),
    "group.created": pgettext("event", "Tiếp nhận hồ sơ liên thông"),
    "group.member_opened": pgettext("event", "Chuyển hồ sơ liên thông tới cơ quan giải quyết"),
    "group.member_ended": pgettext("event", "Cơ quan liên thông trả kết quả"),
    "group.ended": pgettext("event", "Kết thúc hồ sơ liên thông"),
    "group.submitted": pgettext("event", "Nộp hồ sơ liên thông trực tuyến"),
    "integration.acknowledged": pgettext("event", "Hệ thống quốc gia xác nhận đã nhận"),
    "dossier.extended": pgettext("event", "Gia hạn, xin lỗi và hẹn lại (mẫu 04)"),
    "dossier.stopped": pgettext("event", "Dừng xử lý hồ sơ (mẫu 05)"),
    "dossier.classified": pgettext("event", "Xếp loại kết quả giải quyết"),
    "dossier.closed": pgettext("event", "Đóng hồ sơ (quá hạn bổ sung)"),
    "dossier.migrated": pgettext("event", "Chuyển sang phiên bản quy trình mới"),
    "dossier.rated": pgettext("event", "Người nộp đánh giá mức độ hài lòng"),
    "dossier.checklist_updated": pgettext("event", "Cập nhật thành phần hồ sơ đã nhận"),
    "dossier.withdrawal_asked": pgettext("event", "Người nộp xin rút hồ sơ"),
    "dossier.linked_to_account": pgettext("event", "Hồ sơ nộp tại quầy hiện trong tài khoản của người nộp"),
    "document.integrity_failed": pgettext("event", "Tệp lưu trữ không khớp mã băm"),
    "document.refused": pgettext("event", "Tệp tải lên bị từ chối"),
    "handover.created": pgettext("event", "Bàn giao hồ sơ giấy theo danh sách"),
    "handover.received": pgettext("event", "Bên nhận xác nhận đã nhận hồ sơ giấy"),
    "document.reused": pgettext("event", "Dùng lại giấy tờ từ kho dữ liệu của công dân"),
    "declaration.corrected": pgettext("event", "Sửa tờ khai trước khi tiếp nhận"),
    "declaration.changed": pgettext("event", "Thay đổi tờ khai sau khi tiếp nhận"),
    "result.issued": pgettext("event", "Cấp số và ký số giấy tờ kết quả"),
    "result.signing_failed": pgettext("event", "Ký số giấy tờ kết quả không thành công"),
    "result.verification_failed": pgettext("event", "Xác thực giấy tờ không hợp lệ"),
    "timer.fired": pgettext("event", "Đến hạn hẹn giờ của quy trình"),
    "payment.started": pgettext("event", "Bắt đầu thanh toán trực tuyến"),
    "payment.paid": pgettext("event", "Thanh toán thành công"),
    "payment.failed": pgettext("event", "Thanh toán không thành công"),
    "payment.duplicate": pgettext("event", "Thông báo thanh toán trùng"),
    "payment.amount_mismatch": pgettext("event", "Số tiền thanh toán không khớp"),
    "payment.callback_rejected": pgettext("event", "Từ chối thông báo thanh toán không hợp lệ"),
    "payment.gateway_unavailable": pgettext("event", "Cổng thanh toán không phản hồi"),
    "postal.requested": pgettext("event", "Yêu cầu gửi kết quả qua bưu chính"),
    "postal.booked": pgettext("event", "Bưu điện nhận yêu cầu gửi"),
    "postal.accepted": pgettext("event", "Bưu điện đã nhận bưu gửi"),
    "postal.in_transit": pgettext("event", "Bưu gửi đang vận chuyển"),
    "postal.delivered": pgettext("event", "Đã phát bưu gửi"),
    "postal.failed": pgettext("event", "Phát bưu gửi không thành công"),
    "postal.returned": pgettext("event", "Bưu gửi bị hoàn lại"),
    "postal.callback_rejected": pgettext("event", "Từ chối thông báo bưu chính không hợp lệ"),
    "studio.bpmn_imported": pgettext("event", "Nhập sơ đồ quy trình (BPMN)"),
    "studio.draft_reverted": pgettext("event", "Bỏ bản nháp, trở về bản đang công bố"),
    "studio.procedure_created": pgettext("event", "Tạo thủ tục mới trong xưởng quy trình"),
    "studio.zip_imported": pgettext("event", "Nhập gói thủ tục"),
    "unit.documents_updated": pgettext("event", "Sửa thông tin in trên biểu mẫu của đơn vị"),
}
LEVELS = {"province": _l("Cấp tỉnh"), "district": _l("Cấp huyện"), "commune": _l("Cấp xã"),
          "ward": _l("Cấp xã (phường)"), "service_centre": _l("Trung tâm phục vụ hành chính công"),
          "branch": _l("Chi nhánh"), "department": _l("Sở, ngành"), "division": _l("Phòng, ban chuyên môn"),
          "desk": _l("Bộ phận Một cửa"), "leadership": _l("Lãnh đạo"), "police": _l("Công an cấp xã"),
          "social_insurance": _l("Bảo hiểm xã hội")}
# a procedure's authority (cấp thẩm quyền): a level code, or an agency written out in the catalogue
AUTHORITIES = {"commune": _l("Cấp xã"), "district": _l("Cấp huyện"), "province": _l("Cấp tỉnh"),
               "central": _l("Cấp trung ương")}
# roles, statuses, channels and lateness are the vocabulary's (engine.ground.vocabulary), one wording each
ROLES = translated(ROLE_LABELS, "role")
STATUSES, CHANNELS, LATENESS = (translated(t) for t in (STATUS_LABELS, CHANNEL_LABELS, LATENESS_LABELS))
RETURN_METHODS = {"desk": _l("Trả tại Bộ phận Một cửa"), "post": _l("Trả qua dịch vụ bưu chính"),
                  "electronic": _l("Trả kết quả điện tử")}
OUTBOX = {"national_portal": _l("Đồng bộ Cổng dịch vụ công quốc gia"), "applicant_email": _l("Thư điện tử cho người nộp"),
          "applicant_sms": _l("Tin nhắn cho người nộp"), "postal": _l("Yêu cầu gửi bưu chính"),
          "civil_status": _l("Bản ghi gửi CSDL hộ tịch điện tử"), "residence": _l("Bản ghi gửi CSDL quốc gia về cư trú"),
          "interconnection": _l("Giao dịch gửi phần mềm liên thông"), "result_issuance": _l("Ký số giấy tờ kết quả")}
FALLBACK = {"event": _l("Sự kiện khác"), "role": _l("Vai trò khác"), "level": _l("Cấp khác"),
            "status": _l("Trạng thái khác"), "channel": _l("Kênh khác"), "return_method": _l("Hình thức khác"),
            "lateness": "", "outbox": _l("Loại thư khác")}
_warned: set[tuple[str, str]] = set()


def tables() -> dict[str, dict]:
    """Every table by name (read at call time, so that the other modules' tables are loaded)."""
    from webapp.admin import AUDIT_LABELS
    from webapp.pages import EVENT_LABELS
    return {"event": {**EVENT_LABELS, **AUDIT_LABELS, **MORE_EVENTS}, "role": ROLES, "level": LEVELS,
            "status": STATUSES, "channel": CHANNELS, "return_method": RETURN_METHODS, "lateness": LATENESS, "outbox": OUTBOX}


def label(table: str, code: str | None) -> str:
    """The label of `code` in `table`; empty for no code; a readable fallback (logged) for an unknown one."""
    if code in (None, ""):
        return ""
    found = tables()[table].get(code)
    if found is not None:
        return str(found)
    if (table, code) not in _warned:
        _warned.add((table, code))
        current_app.logger.warning("Chưa có nhãn cho %s %r (webapp/labels.py)", table, code)
    return str(FALLBACK[table])


# the attributes a version diff names (bpmn.diff), as an analyst reads them; the code itself is shown beside
DIFF_ATTRIBUTES = {"name": _l("Tên"), "label": _l("Nhãn"), "key": _l("Khóa (tên biến)"), "type": _l("Loại"),
                   "description": _l("Mô tả"), "validate": _l("Kiểm tra dữ liệu"), "conditional": _l("Điều kiện hiển thị"),
                   "values": _l("Các lựa chọn"), "defaultValue": _l("Giá trị mặc định"), "readonly": _l("Chỉ đọc"),
                   "disabled": _l("Không cho sửa"), "camunda:candidateGroups": _l("Vai trò"),
                   "camunda:candidateUsers": _l("Cán bộ được chỉ định"), "camunda:assignee": _l("Người xử lý"),
                   "camunda:formRef": _l("Biểu mẫu"), "camunda:formKey": _l("Biểu mẫu"),
                   "property:budget": _l("Thời hạn bước"), "property:kind": _l("Loại bước"),
                   "property:unit": _l("Đơn vị xử lý"), "property:role": _l("Vai trò"), "sourceRef": _l("Từ"),
                   "targetRef": _l("Đến"), "conditionExpression": _l("Điều kiện rẽ nhánh"), "default": _l("Nhánh mặc định")}


def diff_attribute(attribute: str) -> str:
    """An attribute of a version diff in words, when it has some; else its code alone."""
    words = DIFF_ATTRIBUTES.get(attribute)
    return str(words) if words is not None else ""


def authority_label(authority: str | None) -> str:
    """Cấp thẩm quyền as a reader says it: the level's name for a code, the catalogue's own words otherwise."""
    return str(AUTHORITIES.get(authority or "", authority or ""))


def init_app(app: Flask) -> None:
    """`label(table, code)`, `event_label(kind)` and the `num` and `working_days` filters (Vietnamese numbers) in
    every template."""
    from forms.reports.quarterly import vn_number

    app.jinja_env.filters["num"] = lambda value, decimals=0: vn_number(value or 0, decimals)
    # working minutes as working days, in Vietnamese numbers (0,88): the one length of a working day
    app.jinja_env.filters["working_days"] = lambda minutes, decimals=1: vn_number(
        (minutes or 0) / MINUTES_PER_WORKING_DAY, decimals)
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["authority_label"] = authority_label
    app.jinja_env.globals["diff_attribute"] = diff_attribute
    app.jinja_env.globals["event_label"] = lambda kind: label("event", kind)
