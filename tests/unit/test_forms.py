"""Tests for the form-js loader and server-side validation in :mod:`forms`."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from forms import (
    FeelError,
    FormDefinition,
    FormError,
    FormField,
    FormValidationError,
    compile_expression,
    load_form,
    parse_form,
)

REQUIRED = "Trường này là bắt buộc."
NOT_ALLOWED = "Giá trị không nằm trong danh sách cho phép."

INTAKE_FORM = r"""{
  "$schema": "https://unpkg.com/@bpmn-io/form-json-schema/resources/schema.json",
  "schemaVersion": 16,
  "exporter": {"name": "Camunda Modeler", "version": "5.28.0"},
  "type": "default",
  "id": "intake",
  "components": [
    {"type": "text", "id": "Field_title", "text": "# Tiếp nhận hồ sơ"},
    {"type": "group", "id": "Group_applicant", "label": "Người nộp hồ sơ", "showOutline": true, "components": [
      {"type": "textfield", "key": "applicant_name", "label": "Họ và tên",
       "validate": {"required": true, "minLength": 2, "maxLength": 100}},
      {"type": "textfield", "key": "citizen_id", "label": "Số CCCD",
       "validate": {"required": true, "pattern": "^[0-9]{12}$"}},
      {"type": "textfield", "key": "phone", "label": "Số điện thoại", "validate": {"validationType": "phone"}},
      {"type": "textfield", "key": "email", "label": "Thư điện tử", "validate": {"validationType": "email"}}
    ]},
    {"type": "group", "path": "address", "label": "Địa chỉ thường trú", "components": [
      {"type": "select", "key": "province", "label": "Tỉnh/thành phố", "valuesKey": "provinces",
       "validate": {"required": true}},
      {"type": "textfield", "key": "street", "label": "Số nhà, đường"}
    ]},
    {"type": "separator", "id": "Field_sep"},
    {"type": "checklist", "key": "documents", "label": "Giấy tờ đã nhận", "values": [
      {"label": "Tờ khai", "value": "form"},
      {"label": "Bản sao CCCD", "value": "id_copy"},
      {"label": "Giấy chứng sinh", "value": "birth_cert"}
    ], "validate": {"required": true}},
    {"type": "radio", "key": "intake_decision", "label": "Kết quả tiếp nhận", "values": [
      {"label": "Tiếp nhận", "value": "receive"},
      {"label": "Yêu cầu bổ sung", "value": "supplement"},
      {"label": "Từ chối", "value": "refuse"}
    ], "validate": {"required": true}},
    {"type": "textarea", "key": "supplement_note", "label": "Giấy tờ cần bổ sung",
     "validate": {"required": true, "maxLength": 500},
     "conditional": {"hide": "=intake_decision != \"supplement\""}},
    {"type": "textarea", "key": "refusal_reason", "label": "Lý do từ chối", "validate": {"required": true},
     "conditional": {"hide": "=not(intake_decision = \"refuse\")"}},
    {"type": "datetime", "key": "appointment_date", "subtype": "date", "dateLabel": "Ngày hẹn trả kết quả",
     "validate": {"required": true}, "conditional": {"hide": "=intake_decision != \"receive\""}},
    {"type": "number", "key": "fee", "label": "Lệ phí (đồng)", "validate": {"min": 0, "max": 10000000}},
    {"type": "checkbox", "key": "confirmed", "label": "Đã kiểm tra đủ thành phần hồ sơ",
     "validate": {"required": true}},
    {"type": "textfield", "key": "case_code", "label": "Mã hồ sơ", "readonly": true},
    {"type": "button", "key": "submit", "label": "Gửi", "action": "submit"}
  ]
}
"""

VALID_INTAKE = {
    "applicant_name": "Nguyễn Văn An",
    "citizen_id": "001203004567",
    "phone": "0912 345 678",
    "email": "an.nguyen@example.vn",
    "address": {"province": "Hà Nội", "street": "12 Lý Thái Tổ"},
    "documents": ["form", "id_copy"],
    "intake_decision": "receive",
    "appointment_date": "2030-05-20",
    "fee": 50000,
    "confirmed": True,
}


def make_form(*components: dict, form_id: str = "test") -> FormDefinition:
    """Build a form from inline component dicts."""
    return parse_form({"type": "default", "id": form_id, "components": list(components)})


def errors_of(form: FormDefinition, data: dict, **options) -> dict[str, str]:
    """Validate ``data`` expecting failure; return the per-field messages."""
    with pytest.raises(FormValidationError) as caught:
        form.validate(data, **options)
    return caught.value.fields


def radio(key: str, *values: str, **extra) -> dict:
    """A radio component with the given option values."""
    return {
        "type": "radio",
        "key": key,
        "label": key,
        "values": [{"label": v, "value": v} for v in values],
        **extra,
    }


@pytest.fixture
def intake(tmp_path: Path) -> FormDefinition:
    """The realistic intake form, loaded from a ``.form`` file."""
    path = tmp_path / "intake.form"
    path.write_text(INTAKE_FORM, encoding="utf-8")
    return load_form(path)


# --- loading ---------------------------------------------------------------------------------


def test_intake_form_loads_input_fields_only(intake: FormDefinition) -> None:
    assert intake.id == "intake"
    assert intake.keys() == [
        "applicant_name", "citizen_id", "phone", "email", "address.province", "address.street",
        "documents", "intake_decision", "supplement_note", "refusal_reason", "appointment_date",
        "fee", "confirmed", "case_code",
    ]  # fmt: skip
    assert intake.problems == []
    assert intake.raw["schemaVersion"] == 16
    decision = intake.field("intake_decision")
    assert isinstance(decision, FormField)
    assert decision.type == "radio" and decision.required and decision.label == "Kết quả tiếp nhận"
    assert intake.values_of("intake_decision") == ["receive", "supplement", "refuse"]
    assert intake.values_of("applicant_name") == []
    assert intake.values_of("address.province") == []  # options come from valuesKey
    assert intake.field("nope") is None


def test_valid_intake_submission_is_cleaned(intake: FormDefinition) -> None:
    cleaned = intake.validate({**VALID_INTAKE, "case_code": "HACKED", "csrf_token": "x"})
    assert cleaned == VALID_INTAKE  # readonly and unknown keys dropped


def test_intake_refusal_needs_reason_but_not_appointment(intake: FormDefinition) -> None:
    data = {**VALID_INTAKE, "intake_decision": "refuse"}
    assert errors_of(intake, data) == {"refusal_reason": REQUIRED}
    cleaned = intake.validate({**data, "refusal_reason": "Hồ sơ giả mạo"})
    assert "appointment_date" not in cleaned
    assert cleaned["refusal_reason"] == "Hồ sơ giả mạo"


def test_intake_from_html_form_strings(intake: FormDefinition) -> None:
    posted = {
        "applicant_name": " Trần Thị Bình ",
        "citizen_id": "079190000123",
        "address.province": "Đà Nẵng",
        "address.street": "",
        "documents": "birth_cert",
        "intake_decision": "supplement",
        "supplement_note": "Bản sao giấy chứng sinh",
        "fee": "0",
        "confirmed": "on",
    }
    assert intake.validate(posted, coerce=True) == {
        "applicant_name": "Trần Thị Bình",
        "citizen_id": "079190000123",
        "address": {"province": "Đà Nẵng"},
        "documents": ["birth_cert"],
        "intake_decision": "supplement",
        "supplement_note": "Bản sao giấy chứng sinh",
        "fee": 0,
        "confirmed": True,
    }


def test_load_form_tolerates_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.form"
    path.write_text(json.dumps({"id": "bom", "components": [radio("a", "x")]}), encoding="utf-8-sig")
    assert load_form(path).keys() == ["a"]


def test_form_id_defaults_to_file_name(tmp_path: Path) -> None:
    path = tmp_path / "ho-so.form"
    path.write_text('{"components": []}', encoding="utf-8")
    assert load_form(path).id == "ho-so"


def test_display_components_are_skipped() -> None:
    form = make_form(
        {"type": "text", "text": "Hướng dẫn"},
        {"type": "spacer"},
        {"type": "separator"},
        {"type": "image", "source": "logo.png"},
        {"type": "html", "content": "<b>x</b>"},
        {"type": "button", "key": "submit", "action": "submit"},
        {"type": "textfield", "key": "name"},
    )
    assert form.keys() == ["name"]
    assert form.problems == []


def test_unknown_component_type_is_a_problem_not_an_error() -> None:
    form = make_form({"type": "signature", "key": "sig"}, {"type": "textfield", "key": "name"})
    assert form.keys() == ["name"]
    assert any("signature" in problem for problem in form.problems)


# --- malformed definitions ------------------------------------------------------------------------


def test_malformed_json_names_the_line() -> None:
    text = '{\n  "id": "broken",\n  "components": [\n    {"type": "textfield" "key": "a"}\n  ]\n}'
    with pytest.raises(FormError) as caught:
        parse_form(text, "broken.form")
    assert caught.value.line == 4
    assert caught.value.filename == "broken.form"
    assert str(caught.value).startswith("broken.form: ")
    assert "dòng 4" in str(caught.value)


def test_load_form_reports_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "bad.form"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormError, match=r"bad\.form: .*dòng 1"):
        load_form(path)


def test_duplicate_keys_are_rejected() -> None:
    with pytest.raises(FormError, match="khoá 'ho_ten' bị trùng"):
        make_form(
            {"type": "textfield", "key": "ho_ten"},
            {"type": "group", "components": [{"type": "textarea", "key": "ho_ten"}]},
        )


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"id": "x"}, "thiếu danh sách 'components'"),
        ([1, 2], "đối tượng JSON"),
        ({"components": [{"key": "a"}]}, r"components\[0\] \(key 'a'\): thành phần thiếu 'type'"),
        ({"components": [{"type": "spacer"}, {"type": "number"}]}, r"components\[1\]: .*thiếu 'key'"),
        (
            {"components": [{"type": "textfield", "key": "cccd", "validate": {"pattern": "[0-9"}}]},
            r"'cccd'.*biểu thức chính quy",
        ),
        (
            {"components": [{"type": "radio", "key": "r", "values": "a,b"}]},
            r"'r'.*'values' phải là danh sách",
        ),
        (
            {"components": [{"type": "select", "key": "s", "values": [{"label": "A"}]}]},
            r"'s'.*values\[0\] phải là một đối tượng có 'label' và 'value'",
        ),
        ({"components": [{"type": "number", "key": "n", "validate": {"min": "ba"}}]}, r"'n'.*validate\.min"),
        (
            {"components": [{"type": "group", "components": [{"type": "checkbox", "label": "no key"}]}]},
            r"components\[0\]\.components\[0\]: .*thiếu 'key'",
        ),
        (
            {"components": [{"type": "textfield", "key": "a"}, {"type": "textfield", "key": "a.b"}]},
            "xung đột",
        ),
    ],
)
def test_structural_errors_name_the_component(document: object, expected: str) -> None:
    with pytest.raises(FormError, match=expected):
        parse_form(document, "bad.form")


# --- validation messages --------------------------------------------------------------------------


def test_required_missing_reports_message_on_that_key() -> None:
    form = make_form({"type": "textfield", "key": "ho_ten", "validate": {"required": True}})
    assert errors_of(form, {}) == {"ho_ten": REQUIRED}
    assert errors_of(form, {"ho_ten": ""}) == {"ho_ten": REQUIRED}
    assert errors_of(form, {"ho_ten": None}) == {"ho_ten": REQUIRED}


def test_all_bad_fields_are_reported_at_once(intake: FormDefinition) -> None:
    data = {
        **VALID_INTAKE,
        "applicant_name": "",
        "citizen_id": "12345",
        "email": "khong-phai-email",
        "intake_decision": "maybe",
        "fee": -1,
        "confirmed": False,
    }
    errors = errors_of(intake, data)
    assert errors == {
        "applicant_name": REQUIRED,
        "citizen_id": "Cần đúng 12 chữ số.",  # a pattern of digits says how many
        "email": "Địa chỉ email không hợp lệ.",
        "intake_decision": NOT_ALLOWED,
        "fee": "Giá trị phải lớn hơn hoặc bằng 0.",
        "confirmed": REQUIRED,
    }
    summary = str(FormValidationError(errors))
    assert "6 trường" in summary and "citizen_id" in summary


def test_radio_value_outside_allowed_values_is_rejected() -> None:
    form = make_form(radio("decision", "receive", "return"))
    assert errors_of(form, {"decision": "approve"}) == {"decision": NOT_ALLOWED}
    assert errors_of(form, {"decision": 1}) == {"decision": NOT_ALLOWED}
    assert form.validate({"decision": "return"}) == {"decision": "return"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "Giá trị phải lớn hơn hoặc bằng 1."),
        (11.5, "Giá trị phải nhỏ hơn hoặc bằng 10."),
        ("5", "Giá trị phải là một số."),
        (True, "Giá trị phải là một số."),
        (1, None),
        (10, None),
        (7.25, None),
    ],
)
def test_number_min_and_max(value: object, message: str | None) -> None:
    form = make_form({"type": "number", "key": "so_ban", "validate": {"min": 1, "max": 10.0}})
    if message is None:
        assert form.validate({"so_ban": value}) == {"so_ban": value}
    else:
        assert errors_of(form, {"so_ban": value}) == {"so_ban": message}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("001203004567", True),
        ("00120300456", False),
        ("0012030045678", False),
        ("00120300456a", False),
        ("001203004567\n", False),
        ("x001203004567", False),
    ],
)
def test_citizen_id_pattern_must_match_whole_value(value: str, ok: bool) -> None:
    form = make_form({"type": "textfield", "key": "cccd", "validate": {"pattern": "[0-9]{12}"}})
    if ok:
        assert form.validate({"cccd": value}) == {"cccd": value}
    else:
        assert errors_of(form, {"cccd": value}) == {"cccd": "Cần đúng 12 chữ số."}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("an@example.vn", True),
        ("a.b+c@so.gov.vn", True),
        ("an@", False),
        ("an example.vn", False),
        ("@x.vn", False),
    ],
)
def test_email_validation(value: str, ok: bool) -> None:
    form = make_form({"type": "textfield", "key": "email", "validate": {"validationType": "email"}})
    if ok:
        assert form.validate({"email": value}) == {"email": value}
    else:
        assert errors_of(form, {"email": value}) == {"email": "Địa chỉ email không hợp lệ."}


@pytest.mark.parametrize(
    ("value", "ok"),
    [("0912345678", True), ("+84 912 345 678", True), ("091-234-5678", True), ("12345", False)],
)
def test_phone_validation(value: str, ok: bool) -> None:
    form = make_form({"type": "textfield", "key": "sdt", "validate": {"validationType": "phone"}})
    if ok:
        assert form.validate({"sdt": value}) == {"sdt": value}
    else:
        assert errors_of(form, {"sdt": value}) == {"sdt": "Số điện thoại không hợp lệ."}


def test_text_length_limits_count_vietnamese_letters() -> None:
    form = make_form({"type": "textfield", "key": "ten", "validate": {"minLength": 3, "maxLength": 6}})
    assert errors_of(form, {"ten": "An"}) == {"ten": "Cần ít nhất 3 ký tự."}
    assert errors_of(form, {"ten": "Nguyễn Văn"}) == {"ten": "Tối đa 6 ký tự."}
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert len(decomposed) > 6
    assert form.validate({"ten": decomposed}) == {"ten": "Nguyễn"}


def test_text_field_rejects_non_strings() -> None:
    form = make_form({"type": "textfield", "key": "ten"})
    assert errors_of(form, {"ten": 42}) == {"ten": "Giá trị phải là chuỗi ký tự."}


@pytest.mark.parametrize(
    ("subtype", "good", "bad", "message"),
    [
        ("date", "2024-02-29", "2023-02-29", "Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        ("date", "2024-12-31", "31/12/2024", "Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        ("time", "08:30", "25:00", "Giờ không hợp lệ (định dạng HH:MM)."),
        (
            "datetime",
            "2024-05-01T14:05",
            "2024-05-01 14:05",
            "Ngày giờ không hợp lệ (định dạng YYYY-MM-DDTHH:MM).",
        ),
    ],
)
def test_datetime_formats(subtype: str, good: str, bad: str, message: str) -> None:
    form = make_form({"type": "datetime", "key": "when", "subtype": subtype})
    assert form.validate({"when": good}) == {"when": good}
    assert errors_of(form, {"when": bad}) == {"when": message}


def test_checklist_values_must_be_allowed() -> None:
    form = make_form({"type": "checklist", "key": "docs", "values": [{"label": "A", "value": "a"}]})
    assert errors_of(form, {"docs": ["a", "z"]}) == {"docs": NOT_ALLOWED}
    assert errors_of(form, {"docs": "a"}) == {"docs": "Giá trị phải là một danh sách."}


def test_values_key_and_expression_accept_any_string() -> None:
    form = make_form(
        {"type": "select", "key": "tinh", "valuesKey": "provinces"},
        {"type": "taglist", "key": "tags", "valuesExpression": "=tag_options"},
    )
    assert form.validate({"tinh": "Cần Thơ", "tags": ["x", "y"]}) == {"tinh": "Cần Thơ", "tags": ["x", "y"]}
    assert errors_of(form, {"tinh": 5}) == {"tinh": "Giá trị phải là chuỗi ký tự."}


def test_filepicker_and_dynamiclist_shapes() -> None:
    form = make_form(
        {"type": "filepicker", "key": "files", "multiple": True},
        {"type": "dynamiclist", "path": "members", "components": [{"type": "textfield", "key": "name"}]},
    )
    data = {"files": ["a.pdf", "b.pdf"], "members": [{"name": "An"}, {"name": "Bình"}]}
    assert form.validate(data) == data
    assert form.validate({"files": "a.pdf"}) == {"files": "a.pdf"}
    assert form.field("members").children[0].key == "name"
    assert errors_of(form, {"members": "An"}) == {"members": "Giá trị phải là một danh sách."}


def test_readonly_and_disabled_fields_are_not_taken_from_input() -> None:
    form = make_form(
        {"type": "textfield", "key": "ma_ho_so", "readonly": True, "validate": {"required": True}},
        {"type": "number", "key": "phi", "disabled": True},
        {"type": "textfield", "key": "ghi_chu"},
    )
    assert form.validate({"ma_ho_so": "X", "phi": 1, "ghi_chu": "ok"}) == {"ghi_chu": "ok"}


def test_unknown_keys_are_dropped() -> None:
    form = make_form({"type": "textfield", "key": "ten"})
    assert form.validate({"ten": "An", "is_admin": True, "__proto__": {}}) == {"ten": "An"}
    assert form.validate({}) == {}


# --- HTML form coercion ---------------------------------------------------------------------------


def test_coercion_from_html_strings() -> None:
    form = make_form(
        {"type": "number", "key": "so_ban", "validate": {"min": 1}},
        {"type": "number", "key": "dien_tich"},
        {"type": "checkbox", "key": "dong_y"},
        {"type": "checkbox", "key": "uu_tien"},
        {
            "type": "checklist",
            "key": "giay_to",
            "values": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
        },
        radio("so_con", "1", "2"),
        {
            "type": "select",
            "key": "muc",
            "values": [{"label": "Một", "value": 1}, {"label": "Hai", "value": 2}],
        },
    )
    posted = {"so_ban": "3", "dien_tich": "12,5", "dong_y": "on", "giay_to": "b", "so_con": "2", "muc": "2"}
    assert form.validate(posted, coerce=True) == {
        "so_ban": 3,
        "dien_tich": 12.5,
        "dong_y": True,
        "uu_tien": False,
        "giay_to": ["b"],
        "so_con": "2",
        "muc": 2,
    }
    as_lists = {"so_ban": ["2"], "giay_to": ["a", "b", "a", ""], "uu_tien": ["true"]}
    assert form.validate(as_lists, coerce=True) == {
        "so_ban": 2,
        "giay_to": ["a", "b"],
        "uu_tien": True,
        "dong_y": False,
    }


def test_coercion_treats_blank_strings_as_missing() -> None:
    form = make_form(
        {"type": "number", "key": "n", "validate": {"required": True}},
        {"type": "textfield", "key": "t", "validate": {"required": True}},
        {"type": "checkbox", "key": "c", "validate": {"required": True}},
    )
    assert errors_of(form, {"n": "", "t": "   ", "c": "off"}, coerce=True) == {
        "n": REQUIRED,
        "t": REQUIRED,
        "c": REQUIRED,
    }
    assert errors_of(form, {"n": "ba", "t": "x", "c": "1"}, coerce=True) == {"n": "Giá trị phải là một số."}


# --- conditions -------------------------------------------------------------------------------------


def conditional_form(hide: str) -> FormDefinition:
    """A decision radio plus a required reason hidden by ``hide``."""
    return make_form(
        radio("decision", "receive", "return"),
        {"type": "textarea", "key": "reason", "validate": {"required": True}, "conditional": {"hide": hide}},
    )


def test_hidden_field_is_not_required_and_not_kept() -> None:
    form = conditional_form('=decision != "return"')
    assert form.validate({"decision": "receive", "reason": "stale text"}) == {"decision": "receive"}
    assert errors_of(form, {"decision": "return"}) == {"reason": REQUIRED}
    assert form.visible_keys({"decision": "receive"}) == ["decision"]
    schema = form.json_schema()
    assert "reason" in schema["properties"] and "reason" not in schema.get("required", [])


def test_hidden_group_hides_its_fields() -> None:
    form = make_form(
        {"type": "checkbox", "key": "co_uy_quyen"},
        {
            "type": "group",
            "label": "Người được ủy quyền",
            "conditional": {"hide": "=co_uy_quyen = false or co_uy_quyen = null"},
            "components": [{"type": "textfield", "key": "ten_nguoi_uq", "validate": {"required": True}}],
        },
    )
    assert form.validate({"co_uy_quyen": False, "ten_nguoi_uq": "X"}) == {"co_uy_quyen": False}
    assert form.validate({}, coerce=True) == {"co_uy_quyen": False}
    assert errors_of(form, {"co_uy_quyen": "on"}, coerce=True) == {"ten_nguoi_uq": REQUIRED}


def test_conditions_can_read_process_context() -> None:
    form = conditional_form('=applicant_type = "organisation"')
    assert form.validate({"decision": "receive"}, context={"applicant_type": "organisation"}) == {
        "decision": "receive"
    }
    assert errors_of(form, {"decision": "receive"}, context={"applicant_type": "person"}) == {
        "reason": REQUIRED
    }


def test_unparseable_conditional_is_listed_and_field_stays_visible() -> None:
    form = conditional_form("=decision in ['return', 'refuse']")
    assert len(form.problems) == 1
    assert "reason" in form.problems[0] and "decision in" in form.problems[0]
    assert errors_of(form, {"decision": "receive"}) == {"reason": REQUIRED}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('=status = "a"', True),
        ("=status = 'a'", True),
        ('=status != "a"', False),
        ("=count >= 3 and count < 10", True),
        ("=count > 3 and missing", None),
        ("=count > 3 or missing", True),
        ("=not(count <= 2)", True),
        ("=(count = 4 or count = 5) and flag = true", True),
        ("=missing = null", True),
        ("=is empty(blank)", True),
        ("=is defined(missing)", False),
        ('=list contains(tags, "b")', True),
        ("=nested.inner = -1.5", True),
        ('=count = "4"', None),
        ("=missing < 3", None),
        ("=not(missing)", None),
    ],
)
def test_feel_subset(expression: str, expected: object) -> None:
    context = {
        "status": "a",
        "count": 4,
        "flag": True,
        "blank": "",
        "tags": ["a", "b"],
        "nested": {"inner": -1.5},
    }
    assert compile_expression(expression).evaluate(context) is expected


@pytest.mark.parametrize(
    "expression",
    [
        "=__import__('os').system('echo hi')",
        "=a +",
        "=a = ",
        "=(a = 1",
        "=a == 1",
        "=",
        "=x = 1 = 2",
        "=a; b",
    ],
)
def test_feel_rejects_anything_outside_the_subset(expression: str) -> None:
    with pytest.raises(FeelError):
        compile_expression(expression)


# --- schema and nesting -----------------------------------------------------------------------------


def test_group_inner_fields_are_validated() -> None:
    form = make_form(
        {
            "type": "group",
            "label": "Người nộp",
            "components": [
                {"type": "textfield", "key": "ho_ten", "validate": {"required": True}},
                {"type": "number", "key": "tuoi", "validate": {"min": 0}},
            ],
        },
        {
            "type": "group",
            "path": "dia_chi",
            "components": [{"type": "textfield", "key": "xa", "validate": {"required": True}}],
        },
    )
    assert form.keys() == ["ho_ten", "tuoi", "dia_chi.xa"]
    assert errors_of(form, {"tuoi": -2}) == {
        "ho_ten": REQUIRED,
        "tuoi": "Giá trị phải lớn hơn hoặc bằng 0.",
        "dia_chi.xa": REQUIRED,
    }
    assert form.validate({"ho_ten": "An", "dia_chi": {"xa": "Phú Thượng", "khac": 1}}) == {
        "ho_ten": "An",
        "dia_chi": {"xa": "Phú Thượng"},
    }


def test_json_schema_is_a_valid_draft_2020_12_schema(intake: FormDefinition) -> None:
    schema = intake.json_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["intake_decision"]["enum"] == ["receive", "supplement", "refuse"]
    assert "case_code" not in schema["properties"]
    assert set(schema["required"]) >= {"applicant_name", "citizen_id", "intake_decision", "address"}
    assert Draft202012Validator(schema).is_valid(VALID_INTAKE)


# --- properties -------------------------------------------------------------------------------------

OPTIONS = {"ket_qua": ["receive", "return", "refuse"], "kenh": ["truc_tiep", "buu_chinh", "truc_tuyen"]}
RADIO_FORM = make_form(*(radio(key, *values, validate={"required": True}) for key, values in OPTIONS.items()))


@given(st.fixed_dictionaries({key: st.sampled_from(values) for key, values in OPTIONS.items()}))
def test_any_allowed_radio_values_pass(data: dict) -> None:
    assert RADIO_FORM.validate(data) == data


MIXED_FORM = make_form(
    radio("decision", "receive", "return"),
    {"type": "textarea", "key": "reason", "conditional": {"hide": '=decision != "return"'}},
    {"type": "number", "key": "fee", "validate": {"min": 0}},
    {"type": "checkbox", "key": "urgent"},
    {
        "type": "checklist",
        "key": "docs",
        "values": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
    },
    {"type": "group", "path": "addr", "components": [{"type": "textfield", "key": "street"}]},
)
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "on", "receive", "return", "a", "b", "3", " 4 "]),
    st.text(alphabet="aăâdđeêoơuư1 \u0301", max_size=5),
    st.lists(st.sampled_from(["a", "b", "", "c"]), max_size=3),
)
DATA = st.dictionaries(
    st.sampled_from(["decision", "reason", "fee", "urgent", "docs", "addr", "addr.street", "extra"]),
    st.one_of(ANY_VALUE, st.fixed_dictionaries({"street": ANY_VALUE})),
)


@settings(max_examples=300)
@given(DATA, st.booleans())
def test_validate_is_idempotent(data: dict, coerce: bool) -> None:
    try:
        cleaned = MIXED_FORM.validate(data, coerce=coerce)
    except FormValidationError as exc:
        assert exc.fields and set(exc.fields) <= set(MIXED_FORM.keys())
        return
    assert MIXED_FORM.validate(cleaned, coerce=coerce) == cleaned
    assert set(cleaned) <= {"decision", "reason", "fee", "urgent", "docs", "addr"}


def test_partial_validation_requires_nothing_but_checks_what_is_given() -> None:
    form = parse_form({"id": "f", "components": [
        {"type": "textfield", "key": "name", "label": "Tên", "validate": {"required": True}},
        {"type": "number", "key": "age", "label": "Tuổi", "validate": {"min": 0}},
    ]})
    assert form.validate({}, partial=True) == {}
    with pytest.raises(FormValidationError) as err:
        form.validate({"age": -1}, partial=True)
    assert set(err.value.fields) == {"age"}


def test_a_date_that_disallows_passed_dates_is_judged_by_the_wards_today() -> None:
    """At 00:30 in Hà Nội on 3/12 the server's UTC date is still 2/12: the ward's date decides."""
    from datetime import date, datetime

    from engine.calendar.working import local_date
    from forms.render import render_form

    form = make_form({"type": "datetime", "key": "appointment", "subtype": "date", "dateLabel": "Ngày hẹn",
                      "disallowPassedDates": True})
    ward_today = local_date(datetime(2026, 12, 2, 17, 30, tzinfo=UTC))
    assert ward_today == date(2026, 12, 3)
    assert "appointment" in errors_of(form, {"appointment": "2026-12-02"}, today=ward_today)
    assert form.validate({"appointment": "2026-12-03"}, today=ward_today) == {"appointment": "2026-12-03"}
    assert 'min="2026-12-03"' in render_form(form, {}, today=ward_today)


def test_a_date_that_disallows_future_dates_refuses_tomorrow_and_says_so() -> None:
    """disallowFutureDates (a birth date): today is accepted, tomorrow refused; the input's max is today."""
    from datetime import date

    from forms.render import render_form
    from forms.schema import FUTURE_DATE

    form = make_form({"type": "datetime", "key": "born", "subtype": "date", "dateLabel": "Ngày sinh",
                      "disallowFutureDates": True})
    today = date(2026, 12, 3)
    assert errors_of(form, {"born": "2026-12-04"}, today=today)["born"] == FUTURE_DATE
    assert form.validate({"born": "2026-12-03"}, today=today) == {"born": "2026-12-03"}
    assert 'max="2026-12-03"' in render_form(form, {}, today=today)


@pytest.mark.parametrize(("pattern", "message"), [
    ("^[0-9]{12}$", "Cần đúng 12 chữ số."),
    (r"\d{6}", "Cần đúng 6 chữ số."),
    ("^[0-9]{9,12}$", "Cần từ 9 đến 12 chữ số."),
    ("^[A-Z]{2}[0-9]{9}VN$", "Giá trị không đúng định dạng."),  # not digits only: no count to give
])
def test_a_pattern_of_digits_says_how_many_digits_it_needs(pattern: str, message: str) -> None:
    form = make_form({"type": "textfield", "key": "so", "validate": {"pattern": pattern}})
    assert errors_of(form, {"so": "12a"}) == {"so": message}
