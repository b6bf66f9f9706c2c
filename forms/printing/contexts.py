"""What each standard form prints, built from plain data (Circular 03/2025/TT-VPCP numbering).

Every builder is a pure function: the same data gives the same context, a dict of strings and
lists that the form's Jinja template lays out. Times are written the Vietnamese way here, once.
"""
from __future__ import annotations

from datetime import datetime

from forms.printing.model import Agency, Applicant, DocumentRow, DossierFacts, HandOff
from forms.printing.qr import qr_data_uri
from forms.printing.text import clock_text, date_text, lines, numbered_items, place_date, short_text, upper

TITLES = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "07": "Sổ theo dõi hồ sơ",
}
SIGN = "(Ký và ghi rõ họ tên)"
SIGN_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
BLANK = {"title": [], "note": "", "name": ""}  # an empty column: the signer stands on the right
DEFAULT_SUPPLEMENT_REASON = "Hồ sơ chưa đầy đủ hoặc chưa hợp lệ theo quy định của thủ tục hành chính."


def header(agency: Agency, number: str, issued_at: datetime, *, desk: bool = False) -> dict:
    """The top of every form: parent agency, agency (and its desk), number, place and date."""
    return {"parent": upper(agency.parent), "agency": upper(agency.name),
            "desk": upper(agency.desk) if desk else "", "number": number,
            "place_date": place_date(agency.place, issued_at)}


def signature(title: str, name: str = "", note: str = SIGN) -> dict:
    """A signature block: the title lines, the hint in brackets, the signer's printed name."""
    return {"title": [upper(line) for line in lines(title)], "note": note, "name": name}


def _head(agency: Agency, signer: str) -> dict:
    """The head of the agency's signature block: title from the unit's settings, name of who acted."""
    return signature(agency.signatory_title, signer or agency.signatory_name, SIGN_SEAL)


def applicant_fields(applicant: Applicant) -> dict:
    """The applicant's details as every form prints them (empty ones stay, dotted, to fill in)."""
    return {"name": applicant.name, "id_number": applicant.id_number, "address": applicant.address,
            "phone": applicant.phone, "email": applicant.email,
            "authorised_person": applicant.authorised_person}


def _base(form: str, agency: Agency, dossier: DossierFacts, number: str, issued_at: datetime,
          desk: bool) -> dict:
    return {"form": form, "title": upper(TITLES[form]),
            "header": header(agency, number, issued_at, desk=desk),
            "agency": agency, "code": dossier.code, "applicant": applicant_fields(dossier.applicant),
            "request": f"{dossier.procedure_name} (mã thủ tục {dossier.procedure_code})",
            "procedure": dossier.procedure_name, "procedure_code": dossier.procedure_code}


def receipt(agency: Agency, dossier: DossierFacts, *, officer: str, documents: list[DocumentRow],
            collect_at: str, book_volume: str, book_serial: int, lookup_url: str, sets: int = 1,
            group: dict | None = None) -> dict:
    """Mẫu số 01: receipt and appointment slip, with the QR code of the public lookup address.

    `group` (code, due_at text, members: name, unit, code) lists a liên thông group's member procedures."""
    issued = dossier.received_at
    context = _base("01", agency, dossier, f"{dossier.code}/01", issued, desk=True)
    context.update(
        documents=[{"index": i, "name": d.name, "originals": d.originals, "copies": d.copies}
                   for i, d in enumerate(documents, 1)],
        sets=f"{sets:02d}", time_limit=dossier.time_limit, received_at=clock_text(dossier.received_at),
        due_at=clock_text(dossier.due_at), collect_at=collect_at, book_volume=book_volume,
        postmarked_at=clock_text(dossier.postmarked_at) if dossier.postmarked_at else "",
        book_serial=book_serial, lookup_url=lookup_url, qr=qr_data_uri(lookup_url), group=group,
        signatures=[signature("Người nộp hồ sơ", dossier.applicant.name),
                    signature("Người tiếp nhận hồ sơ", officer)])
    return context


def supplement_request(agency: Agency, dossier: DossierFacts, *, items: object, reason: str, officer: str,
                       contact: str, issued_at: datetime, sequence: int = 1, online: bool = False) -> dict:
    """Mẫu số 02: what the applicant must add or fix, why, whom to ask, and where to hand it in (`online`: the
    dossier came through the portal, where it can be supplemented too)."""
    number = f"{dossier.code}/02" + (f"-{sequence}" if sequence > 1 else "")
    context = _base("02", agency, dossier, number, issued_at, desk=True)
    context.update(items=numbered_items(items), reason=reason or DEFAULT_SUPPLEMENT_REASON, contact=contact,
                   officer=officer, online=online, signatures=[BLANK, signature("Người hướng dẫn", officer)])
    return context


def refusal(agency: Agency, dossier: DossierFacts, *, reason: str, officer: str, issued_at: datetime) -> dict:
    """Mẫu số 03: the desk refuses to receive the dossier, with its reasons."""
    context = _base("03", agency, dossier, f"{dossier.code}/03", issued_at, desk=True)
    context.update(reasons=numbered_items(reason), received_on=date_text(issued_at),
                   signatures=[signature("Người nộp hồ sơ", dossier.applicant.name),
                               signature("Người tiếp nhận hồ sơ", officer)])
    return context


def apology(agency: Agency, dossier: DossierFacts, *, reason: str, apology_text: str,
            original_due_at: datetime, new_due_at: datetime, signer: str, issued_at: datetime) -> dict:
    """Mẫu số 04: the agency apologises for the delay and sets the one new due time."""
    context = _base("04", agency, dossier, f"{dossier.code}/04", issued_at, desk=False)
    context.update(addressee=dossier.applicant.name, received_at=clock_text(dossier.received_at),
                   original_due_at=clock_text(original_due_at), new_due_at=clock_text(new_due_at),
                   reason=reason, apology=apology_text,
                   signatures=[BLANK, _head(agency, signer)])
    return context


def stop_notice(agency: Agency, dossier: DossierFacts, *, requested_at: datetime | None, reason: str,
                stopped_at: datetime, signer: str, returned: str) -> dict:
    """Mẫu số 05: handling stops at the applicant's request (a withdrawal)."""
    context = _base("05", agency, dossier, f"{dossier.code}/05", stopped_at, desk=False)
    context.update(addressee=dossier.applicant.name, received_at=clock_text(dossier.received_at),
                   requested_at=clock_text(requested_at), reason=reason, stopped_at=clock_text(stopped_at),
                   returned=returned,
                   signatures=[BLANK, _head(agency, signer)])
    return context


def control_slip(agency: Agency, dossier: DossierFacts, *, lead_unit: str, coordinating: list[str],
                 rows: list[HandOff], issued_at: datetime) -> dict:
    """Mẫu số 06: one row per hand-off, with both signatures and whether the step was on time."""
    context = _base("06", agency, dossier, f"{dossier.code}/06", issued_at, desk=False)
    context.update(lead_unit=lead_unit, coordinating=", ".join(coordinating),
                   received_at=clock_text(dossier.received_at), due_at=clock_text(dossier.due_at),
                   rows=[_hand_off(i, row) for i, row in enumerate(rows, 1)])
    return context


def _hand_off(index: int, row: HandOff) -> dict:
    return {"index": index, "step": row.step, "unit": row.unit, "received_at": short_text(row.received_at),
            "handed_over_at": short_text(row.handed_over_at), "handed_by": row.handed_by,
            "received_by": row.received_by, "due_at": short_text(row.due_at), "result": row.result,
            "note": row.note}
