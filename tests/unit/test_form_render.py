"""Server-side rendering of form-js forms (:mod:`forms.render`), checked as a user would see it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

from forms import FormDefinition, FormValidationError, load_form, parse_form
from forms.render import describe_value, form_data_from_request, render_form, visible_state

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted(ROOT.glob("procedures/*/*.form"))
BIRTH = ROOT / "procedures" / "1.001193-dang-ky-khai-sinh"
ASTERISK = '<span class="text-danger">*</span>'
INPUT_TYPES = {
    "textfield": "text",
    "number": "number",
    "checkbox": "checkbox",
    "radio": "radio",
    "checklist": "checkbox",
    "filepicker": "file",
}

BIRTH_VALUES = {
    "child_full_name": "Nguyễn Thị Bình",
    "child_birth_date": "2026-02-14",
    "child_gender": "nu",
    "child_ethnicity": "Tày",
    "child_nationality": "Việt Nam",
    "child_birth_place": "Bệnh viện Phụ sản Hà Nội",
    "mother_full_name": "Trần Thị Cúc",
    "mother_id_number": "001190012345",
    "requester_relationship": "me",
    "copies_requested": 2,
}


def make_form(*components: dict) -> FormDefinition:
    """A form built from inline components."""
    return parse_form({"type": "default", "id": "test", "components": list(components)})


def parse(html: str) -> lxml.html.HtmlElement:
    """Parse rendered fields the way a browser would."""
    return lxml.html.fragment_fromstring(str(html), create_parent="div")


def wrapper(doc: lxml.html.HtmlElement, key: str) -> lxml.html.HtmlElement:
    """The ``<div data-key=...>`` of one field."""
    (found,) = doc.xpath(f'//*[@data-key="{key}"]')
    return found


def textarea_value(element: lxml.html.HtmlElement) -> str:
    """A textarea's value as a browser reads it (the newline right after the tag is dropped)."""
    text = element.text or ""
    return text[1:] if text.startswith("\n") else text


def controls(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """All inputs, textareas and selects."""
    return doc.xpath("//input | //textarea | //select")


def choice(key: str, kind: str, *options: tuple[str, str], **extra) -> dict:
    """A choice component with ``(value, label)`` options."""
    values = [{"value": value, "label": label} for value, label in options]
    return {"type": kind, "key": key, "label": key.title(), "values": values, **extra}


def expected_control(field) -> tuple[str, str | None]:
    """The element and ``type`` a field should render as."""
    if field.type == "textarea":
        return "textarea", None
    if field.type in ("select", "taglist"):
        return "select", None
    if field.type == "datetime":
        return "input", {"date": "date", "time": "time", "datetime": "datetime-local"}[field.subtype]
    return "input", INPUT_TYPES[field.type]


# --- bundled forms -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name[:8]}/{p.name}")
def test_every_field_of_a_bundled_form_has_a_label_and_the_right_control(path: Path) -> None:
    form = load_form(path)
    doc = parse(render_form(form))
    for field in form.fields:
        box = wrapper(doc, field.key)
        element, kind = expected_control(field)
        inputs = box.xpath(f".//{element}")
        assert inputs, field.key
        for control in inputs:
            assert control.get("name") == field.key
            assert control.get("type") == kind
            (label,) = doc.xpath(f'//label[@for="{control.get("id")}"]')
            assert label.text_content().strip()
        if field.type in ("radio", "checklist"):
            assert field.label in box.xpath(".//legend")[0].text_content()
        else:
            assert field.label in box.xpath(".//label")[0].text_content()


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name[:8]}/{p.name}")
def test_required_fields_of_a_bundled_form_carry_the_asterisk_and_the_required_attribute(path: Path) -> None:
    form = load_form(path)
    doc = parse(render_form(form))
    for field in form.fields:
        box = wrapper(doc, field.key)
        markup = lxml.html.tostring(box, encoding="unicode")
        assert (ASTERISK in markup) == field.required, field.key
        enforced = [c.get("required") is not None for c in box.xpath(".//input | .//textarea | .//select")]
        assert all(enforced) == (field.required and not field.conditional_hide), field.key


def test_a_conditional_required_field_shows_the_asterisk_but_does_not_block_the_browser() -> None:
    doc = parse(render_form(load_form(BIRTH / "intake.form")))
    box = wrapper(doc, "refuse_reason")
    assert ASTERISK in lxml.html.tostring(box, encoding="unicode")
    assert box.get("data-required") == "true"
    assert box.xpath(".//textarea")[0].get("required") is None


def test_the_page_fragment_has_no_form_tag_and_no_button() -> None:
    doc = parse(render_form(load_form(BIRTH / "application.form")))
    assert not doc.xpath("//form | //button | //input[@type='submit']")


def test_radio_options_show_their_vietnamese_labels() -> None:
    doc = parse(render_form(load_form(BIRTH / "intake.form")))
    box = wrapper(doc, "intake_decision")
    labels = [label.text_content() for label in box.xpath(".//label[@class='form-check-label']")]
    assert labels == ["Tiếp nhận hồ sơ", "Yêu cầu bổ sung, hoàn thiện hồ sơ", "Từ chối tiếp nhận"]
    assert [r.get("value") for r in box.xpath(".//input[@type='radio']")] == [
        "receive",
        "supplement",
        "refuse",
    ]


# --- errors ---------------------------------------------------------------------------------------


def test_errors_render_next_to_their_field_with_is_invalid() -> None:
    form = load_form(BIRTH / "application.form")
    errors = {"child_full_name": "Trường này là bắt buộc.", "child_gender": "Vui lòng chọn giới tính."}
    doc = parse(render_form(form, {"child_full_name": ""}, errors))
    name = wrapper(doc, "child_full_name")
    assert "is-invalid" in name.xpath(".//input")[0].get("class")
    assert name.xpath(".//div[contains(@class, 'invalid-feedback')]")[0].text == "Trường này là bắt buộc."
    gender = wrapper(doc, "child_gender")
    assert all("is-invalid" in r.get("class") for r in gender.xpath(".//input"))
    assert "Vui lòng chọn giới tính." in gender.text_content()
    untouched = wrapper(doc, "mother_full_name")
    assert "is-invalid" not in untouched.xpath(".//input")[0].get("class")
    assert not doc.xpath("//div[contains(@class, 'alert')]")


def test_an_error_for_a_field_not_on_the_page_is_listed_at_the_top() -> None:
    form = load_form(BIRTH / "supplement.form")
    doc = parse(render_form(form, {}, {"attachments": "Thiếu tệp đính kèm."}))
    (alert,) = doc.xpath("//div[contains(@class, 'alert-danger')]")
    assert "Thiếu tệp đính kèm." in alert.text_content()


def test_validation_errors_from_the_form_render_under_each_bad_field() -> None:
    form = load_form(BIRTH / "application.form")
    data = form_data_from_request(form, MultiDict({"child_full_name": "An", "mother_id_number": "12"}))
    with pytest.raises(FormValidationError) as caught:
        form.validate(data, coerce=True)
    doc = parse(render_form(form, data, caught.value.fields))
    for key, message in caught.value.fields.items():
        assert message in wrapper(doc, key).text_content()
    assert wrapper(doc, "mother_id_number").xpath(".//input")[0].get("value") == "12"


# --- values ---------------------------------------------------------------------------------------


def test_values_prefill_text_date_radio_select_and_number() -> None:
    doc = parse(render_form(load_form(BIRTH / "application.form"), BIRTH_VALUES))
    assert wrapper(doc, "child_full_name").xpath(".//input")[0].get("value") == "Nguyễn Thị Bình"
    assert wrapper(doc, "child_birth_date").xpath(".//input")[0].get("value") == "2026-02-14"
    assert wrapper(doc, "child_ethnicity").xpath(".//input")[0].get("value") == "Tày"
    assert [r.get("value") for r in doc.xpath("//input[@name='child_gender'][@checked]")] == ["nu"]
    assert [o.get("value") for o in doc.xpath("//select/option[@selected]")] == ["me"]
    assert wrapper(doc, "copies_requested").xpath(".//input")[0].get("value") == "2"


def test_default_values_prefill_an_empty_form() -> None:
    doc = parse(render_form(load_form(BIRTH / "application.form")))
    assert wrapper(doc, "child_nationality").xpath(".//input")[0].get("value") == "Việt Nam"
    assert wrapper(doc, "child_full_name").xpath(".//input")[0].get("value") is None


def test_a_checked_checkbox_stays_checked() -> None:
    form = load_form(BIRTH / "supplement.form")
    checked = parse(render_form(form, {"supplement_received": True})).xpath("//input[@type='checkbox']")[0]
    unchecked = parse(render_form(form, {"supplement_received": False})).xpath("//input[@type='checkbox']")[0]
    assert checked.get("checked") is not None and checked.get("value") == "true"
    assert unchecked.get("checked") is None


def test_textarea_keeps_the_lines_typed() -> None:
    form = load_form(BIRTH / "intake.form")
    values = {"intake_decision": "supplement", "supplement_items": "Tờ khai\nGiấy chứng sinh"}
    doc = parse(render_form(form, values))
    assert (
        textarea_value(wrapper(doc, "supplement_items").xpath(".//textarea")[0]) == "Tờ khai\nGiấy chứng sinh"
    )


def test_checklist_and_taglist_preselect_every_chosen_value() -> None:
    docs = ("to_khai", "Tờ khai"), ("cccd", "Căn cước"), ("chung_sinh", "Giấy chứng sinh")
    form = make_form(choice("received", "checklist", *docs), choice("tags", "taglist", *docs))
    doc = parse(render_form(form, {"received": ["to_khai", "chung_sinh"], "tags": ["cccd", "chung_sinh"]}))
    checked = doc.xpath("//input[@name='received'][@checked]")
    assert [c.get("value") for c in checked] == ["to_khai", "chung_sinh"]
    assert all(c.get("type") == "checkbox" for c in doc.xpath("//input[@name='received']"))
    (select,) = doc.xpath("//select[@name='tags']")
    assert select.get("multiple") is not None
    assert [o.get("value") for o in select.xpath("option[@selected]")] == ["cccd", "chung_sinh"]


def test_a_select_offers_an_empty_choice_until_a_required_value_is_chosen() -> None:
    form = load_form(BIRTH / "application.form")
    empty = parse(render_form(form)).xpath("//select/option")[0]
    assert (empty.get("value"), empty.text) == ("", "— Chọn —")
    chosen = parse(render_form(form, {"requester_relationship": "cha"})).xpath("//select/option")
    assert "" not in [o.get("value") for o in chosen]
    optional = make_form(choice("kind", "select", ("a", "Loại A")))
    assert parse(render_form(optional, {"kind": "a"})).xpath("//option")[0].text == "— Chọn —"


def test_options_named_by_values_key_come_from_the_data() -> None:
    form = make_form({"type": "select", "key": "ward", "label": "Phường, xã", "valuesKey": "wards"})
    wards = [{"value": "00004", "label": "Phường Ba Đình"}, {"value": "00008", "label": "Phường Ngọc Hà"}]
    doc = parse(render_form(form, {"wards": wards, "ward": "00008"}))
    assert [o.text for o in doc.xpath("//option")] == ["— Chọn —", "Phường Ba Đình", "Phường Ngọc Hà"]
    assert doc.xpath("//option[@selected]")[0].get("value") == "00008"
    assert parse(render_form(form)).xpath("//input[@name='ward']")


def test_nested_values_fill_fields_of_a_group_named_by_dotted_path() -> None:
    form = make_form(
        {
            "type": "group",
            "label": "Địa chỉ thường trú",
            "path": "address",
            "components": [{"type": "textfield", "key": "street", "label": "Số nhà, đường"}],
        }
    )
    doc = parse(render_form(form, {"address": {"street": "12 Lý Thái Tổ"}}))
    (fieldset,) = doc.xpath("//fieldset")
    assert fieldset.xpath("legend")[0].text == "Địa chỉ thường trú"
    (control,) = fieldset.xpath(".//input")
    assert (control.get("name"), control.get("value")) == ("address.street", "12 Lý Thái Tổ")


# --- conditions -----------------------------------------------------------------------------------


def test_fields_hidden_by_a_condition_get_hidden_only_when_values_say_so() -> None:
    form = load_form(BIRTH / "intake.form")
    doc = parse(render_form(form, {"intake_decision": "refuse"}))
    assert wrapper(doc, "refuse_reason").get("hidden") is None
    assert wrapper(doc, "supplement_items").get("hidden") is not None
    assert wrapper(doc, "intake_note").get("hidden") is None
    assert wrapper(doc, "supplement_items").get("data-hide") == 'intake_decision != "supplement"'
    assert "d-none" not in render_form(form, {"intake_decision": "refuse"})


def test_without_values_every_field_is_shown_and_carries_its_condition() -> None:
    doc = parse(render_form(load_form(BIRTH / "intake.form")))
    assert not doc.xpath("//*[@hidden]")
    assert wrapper(doc, "refuse_reason").get("data-hide") == 'intake_decision != "refuse"'
    assert wrapper(doc, "intake_decision").get("data-hide") is None


def test_a_rerender_after_a_change_shows_the_branch_chosen() -> None:
    form = load_form(BIRTH / "approval.form")
    values = form_data_from_request(form, MultiDict({"approval_decision": "approve"}))
    assert wrapper(parse(render_form(form, values)), "refuse_reason").get("hidden") is not None
    values = form_data_from_request(form, MultiDict({"approval_decision": "refuse"}))
    assert wrapper(parse(render_form(form, values)), "refuse_reason").get("hidden") is None


def test_visible_state_tells_which_fields_are_shown() -> None:
    form = load_form(BIRTH / "intake.form")
    state = visible_state(form, {"intake_decision": "supplement"})
    assert state == {
        "intake_decision": True,
        "supplement_items": True,
        "refuse_reason": False,
        "intake_note": True,
    }
    assert all(visible_state(form, None).values())


def test_a_hidden_group_is_hidden_with_its_fields() -> None:
    form = make_form(
        choice("owner", "radio", ("self", "Tự đứng tên"), ("other", "Người khác")),
        {
            "type": "group",
            "label": "Người được ủy quyền",
            "conditional": {"hide": '=owner != "other"'},
            "components": [{"type": "textfield", "key": "proxy_name", "label": "Họ tên"}],
        },
    )
    (group,) = parse(render_form(form, {"owner": "self"})).xpath("//fieldset[legend='Người được ủy quyền']")
    assert group.get("hidden") is not None and group.get("data-hide") == 'owner != "other"'
    (group,) = parse(render_form(form, {"owner": "other"})).xpath("//fieldset[legend='Người được ủy quyền']")
    assert group.get("hidden") is None


# --- escaping and display components -------------------------------------------------------------


def test_script_in_a_label_description_option_or_value_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    form = make_form(
        {"type": "textfield", "key": "name", "label": f"Họ tên {evil}", "description": evil},
        choice("kind", "radio", ("a", f"Loại {evil}")),
        {"type": "textarea", "key": "note", "label": "Ghi chú"},
    )
    html = render_form(form, {"name": f'"{evil}', "note": f"</textarea>{evil}"}, {"name": evil})
    assert "<script>" not in html
    doc = parse(html)
    assert not doc.xpath("//script")
    assert wrapper(doc, "name").xpath(".//input")[0].get("value") == f'"{evil}'
    assert textarea_value(wrapper(doc, "note").xpath(".//textarea")[0]) == f"</textarea>{evil}"
    assert evil in wrapper(doc, "kind").text_content()


def test_text_renders_bold_line_breaks_and_headings_but_no_markup_from_the_file() -> None:
    text = "# Hướng dẫn\n\nVui lòng **kiểm tra kỹ** hồ sơ\ntrước khi <b>gửi</b>.\n\n- Tờ khai\n- Giấy tờ"
    doc = parse(render_form(make_form({"type": "text", "text": text})))
    assert doc.xpath("//h3")[0].text == "Hướng dẫn"
    assert doc.xpath("//p/strong")[0].text == "kiểm tra kỹ"
    assert doc.xpath("//p/br")
    assert "<b>gửi</b>" in doc.xpath("//p")[0].text_content()
    assert [li.text for li in doc.xpath("//li")] == ["Tờ khai", "Giấy tờ"]


def test_links_in_text_only_go_to_safe_addresses() -> None:
    text = "[Cổng DVC](https://dichvucong.gov.vn) hoặc [bấm](javascript:alert(1))"
    doc = parse(render_form(make_form({"type": "text", "text": text})))
    assert [a.get("href") for a in doc.xpath("//a")] == ["https://dichvucong.gov.vn"]


def test_an_html_component_is_never_output_as_markup() -> None:
    content = '<p onclick="x()">Lưu ý: <b>mang bản gốc</b></p><script>alert(1)</script>'
    html = render_form(make_form({"type": "html", "content": content}))
    doc = parse(html)
    assert not doc.xpath("//script | //b | //*[@onclick]")
    assert "Lưu ý: mang bản gốc" in doc.text_content()
    assert "alert" not in html


def test_images_are_shown_only_from_relative_or_data_sources() -> None:
    form = make_form(
        {"type": "image", "source": "/static/logo.png", "alt": "Quốc huy"},
        {"type": "image", "source": "data:image/png;base64,iVBORw0KGgo="},
        {"type": "image", "source": "https://tracker.example/pixel.gif"},
        {"type": "image", "source": "javascript:alert(1)"},
    )
    images = parse(render_form(form)).xpath("//img")
    assert [img.get("src") for img in images] == ["/static/logo.png", "data:image/png;base64,iVBORw0KGgo="]
    assert images[0].get("alt") == "Quốc huy"


def test_separators_spacers_and_buttons_keep_their_place_or_disappear() -> None:
    form = make_form(
        {"type": "textfield", "key": "a", "label": "A"},
        {"type": "separator"},
        {"type": "spacer", "height": 30},
        {"type": "textfield", "key": "b", "label": "B"},
        {"type": "button", "key": "submit", "label": "Gửi", "action": "submit"},
    )
    doc = parse(render_form(form))
    assert [child.tag for child in doc] == ["div", "hr", "div", "div"]
    assert not doc.xpath("//button") and "Gửi" not in doc.text_content()


# --- input types and rules ------------------------------------------------------------------------


def test_input_types_follow_the_validation_type_subtype_and_file_accept() -> None:
    form = make_form(
        {
            "type": "textfield",
            "key": "email",
            "label": "Thư điện tử",
            "validate": {"validationType": "email"},
        },
        {"type": "textfield", "key": "phone", "label": "Điện thoại", "validate": {"validationType": "phone"}},
        {"type": "datetime", "key": "day", "subtype": "date", "dateLabel": "Ngày hẹn"},
        {"type": "datetime", "key": "hour", "subtype": "time", "timeLabel": "Giờ hẹn"},
        {"type": "datetime", "key": "at", "subtype": "datetime", "label": "Thời điểm"},
        {
            "type": "filepicker",
            "key": "scan",
            "label": "Bản quét",
            "accept": ".pdf,image/*",
            "multiple": True,
        },
        {"type": "textarea", "key": "note", "label": "Ghi chú", "rows": 6},
    )
    doc = parse(render_form(form, {"at": "2026-03-02T09:30:00+07:00"}))
    types = {c.get("name"): c.get("type") for c in doc.xpath("//input")}
    assert types == {
        "email": "email",
        "phone": "tel",
        "day": "date",
        "hour": "time",
        "at": "datetime-local",
        "scan": "file",
    }
    assert wrapper(doc, "at").xpath(".//input")[0].get("value") == "2026-03-02T09:30:00"
    assert wrapper(doc, "day").xpath(".//label")[0].text.strip() == "Ngày hẹn"
    scan = wrapper(doc, "scan").xpath(".//input")[0]
    assert scan.get("accept") == ".pdf,image/*" and scan.get("multiple") is not None
    assert wrapper(doc, "note").xpath(".//textarea")[0].get("rows") == "6"


def test_validation_rules_become_browser_hints() -> None:
    form = load_form(
        ROOT / "procedures" / "1.013225-cap-giay-phep-xay-dung-nha-o-rieng-le" / "application.form"
    )
    doc = parse(render_form(form))
    area = wrapper(doc, "land_area").xpath(".//input")[0]
    assert area.get("step") == "0.01"
    assert wrapper(doc, "floors").xpath(".//input")[0].get("step") == "1"
    birth = parse(render_form(load_form(BIRTH / "application.form")))
    copies = wrapper(birth, "copies_requested").xpath(".//input")[0]
    assert (copies.get("min"), copies.get("max")) == ("0", "20")
    assert wrapper(birth, "child_full_name").xpath(".//input")[0].get("maxlength") == "100"
    assert wrapper(birth, "mother_id_number").xpath(".//input")[0].get("pattern") == "^[0-9]{12}$"
    opinion = wrapper(parse(render_form(load_form(BIRTH / "appraisal.form"))), "appraisal_opinion")
    assert opinion.xpath(".//textarea")[0].get("minlength") == "5"


def test_descriptions_show_as_help_text() -> None:
    doc = parse(render_form(load_form(BIRTH / "application.form")))
    help_text = wrapper(doc, "father_full_name").xpath(".//div[@class='form-text']")[0]
    assert help_text.text == "Để trống nếu chưa xác định được cha"
    assert help_text.get("id") in wrapper(doc, "father_full_name").xpath(".//input")[0].get(
        "aria-describedby"
    )


def test_readonly_and_disabled_fields_cannot_be_edited() -> None:
    form = make_form(
        {"type": "textfield", "key": "code", "label": "Mã hồ sơ", "readonly": True},
        {"type": "textfield", "key": "unit", "label": "Đơn vị", "disabled": True},
        choice("kind", "radio", ("a", "Loại A"), readonly=True),
    )
    doc = parse(render_form(form, {"code": "H01.22-260302-0001", "unit": "UBND xã", "kind": "a"}))
    code = wrapper(doc, "code").xpath(".//input")[0]
    assert code.get("readonly") is not None and code.get("value") == "H01.22-260302-0001"
    assert wrapper(doc, "unit").xpath(".//input")[0].get("disabled") is not None
    assert wrapper(doc, "kind").xpath(".//input")[0].get("disabled") is not None


def test_a_prefix_is_prepended_to_names_and_ids() -> None:
    form = load_form(BIRTH / "intake.form")
    doc = parse(render_form(form, prefix="step2-"))
    names = {c.get("name") for c in controls(doc)}
    assert names == {
        "step2-intake_decision",
        "step2-supplement_items",
        "step2-refuse_reason",
        "step2-intake_note",
    }
    ids = [c.get("id") for c in controls(doc)]
    assert len(ids) == len(set(ids))


# --- dynamic lists --------------------------------------------------------------------------------

MEMBERS = {
    "type": "dynamiclist",
    "path": "members",
    "label": "Thành viên hộ gia đình",
    "components": [
        {"type": "textfield", "key": "name", "label": "Họ tên", "validate": {"required": True}},
        {"type": "checkbox", "key": "owner", "label": "Là chủ hộ"},
    ],
}


def test_a_dynamic_list_shows_one_group_per_item_and_a_note_about_adding() -> None:
    values = {"members": [{"name": "Lê Văn Hùng", "owner": True}, {"name": "Lê Thị Mai"}]}
    doc = parse(render_form(make_form(MEMBERS), values))
    box = wrapper(doc, "members")
    assert box.xpath("legend")[0].text == "Thành viên hộ gia đình"
    items = box.xpath("fieldset")
    assert [item.xpath("legend")[0].text for item in items] == ["Mục 1", "Mục 2"]
    assert items[1].xpath(".//input[@name='members[1].name']")[0].get("value") == "Lê Thị Mai"
    assert items[0].xpath(".//input[@name='members[0].owner']")[0].get("checked") is not None
    assert "API" in box.xpath("div[@class='form-text']")[0].text


def test_dynamic_list_items_round_trip_through_the_request() -> None:
    form = make_form(MEMBERS)
    submitted = MultiDict(
        [("members[0].name", " Lê Văn Hùng "), ("members[0].owner", "true"), ("members[1].name", "Mai")]
    )
    data = form_data_from_request(form, submitted)
    assert data == {"members": [{"name": "Lê Văn Hùng", "owner": True}, {"name": "Mai", "owner": False}]}
    assert form.validate(data, coerce=True) == data


# --- read-only ------------------------------------------------------------------------------------


def test_readonly_rendering_shows_option_labels_not_codes() -> None:
    form = load_form(BIRTH / "application.form")
    doc = parse(render_form(form, BIRTH_VALUES, readonly=True))
    assert not controls(doc)
    shown = dict(
        zip(
            (dt.text for dt in doc.xpath("//dt")),
            (dd.text_content() for dd in doc.xpath("//dd")),
            strict=True,
        )
    )
    assert shown["Giới tính"] == "Nữ"
    assert shown["Quan hệ của người đi đăng ký với trẻ"] == "Mẹ"
    assert shown["Ngày, tháng, năm sinh"] == "14/02/2026"
    assert shown["Quê quán"] == "—"


def test_readonly_rendering_leaves_out_fields_hidden_for_the_values() -> None:
    form = load_form(BIRTH / "intake.form")
    values = {"intake_decision": "refuse", "refuse_reason": "Hồ sơ <không> hợp lệ"}
    html = render_form(form, values, readonly=True)
    labels = [dt.text for dt in parse(html).xpath("//dt")]
    assert labels == ["Kết quả kiểm tra hồ sơ", "Lý do từ chối", "Ghi chú"]
    assert "Hồ sơ &lt;không&gt; hợp lệ" in html


def test_readonly_checkbox_reads_yes_or_no() -> None:
    form = load_form(BIRTH / "supplement.form")
    assert (
        parse(render_form(form, {"supplement_received": True}, readonly=True)).xpath("//dd")[0].text == "Có"
    )
    assert parse(render_form(form, {}, readonly=True)).xpath("//dd")[0].text == "Không"


def test_describe_value_gives_the_text_a_person_reads() -> None:
    form = make_form(
        choice("docs", "checklist", ("to_khai", "Tờ khai"), ("cccd", "Căn cước")),
        {"type": "checkbox", "key": "ok", "label": "Đủ"},
        {"type": "number", "key": "capital", "label": "Vốn"},
        {"type": "datetime", "key": "at", "subtype": "datetime", "label": "Lúc"},
    )
    assert describe_value(form, "docs", ["to_khai", "cccd"]) == "Tờ khai, Căn cước"
    assert describe_value(form, "ok", False) == "Không"
    assert describe_value(form, "capital", 1500000000) == "1.500.000.000"
    assert describe_value(form, "capital", 2.5) == "2,5"
    assert describe_value(form, "at", "2026-03-02T09:30") == "02/03/2026 09:30"
    assert describe_value(form, "docs", None) == ""
    assert describe_value(form, "unknown", "x") == "x"


# --- reading the request back ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [BIRTH / "application.form", BIRTH / "supplement.form", BIRTH / "intake.form"]
)
def test_form_data_from_request_round_trips_through_validate(path: Path) -> None:
    form = load_form(path)
    stored = {
        "application.form": BIRTH_VALUES,
        "supplement.form": {"supplement_received": True, "supplement_note": "Đã nhận bản chính"},
        "intake.form": {"intake_decision": "refuse", "refuse_reason": "Không thuộc thẩm quyền"},
    }[path.name]
    doc = parse(render_form(form, stored))
    submitted = MultiDict()
    for control in controls(doc):
        checkable = control.get("type") in ("radio", "checkbox")
        if control.tag == "select":
            submitted.setlist(
                control.get("name"), [o.get("value") for o in control.xpath("option[@selected]")]
            )
        elif not checkable or control.get("checked") is not None:
            value = textarea_value(control) if control.tag == "textarea" else control.get("value")
            submitted.add(control.get("name"), value or "")
    submitted.add("csrf_token", "abc")
    assert form.validate(form_data_from_request(form, submitted), coerce=True) == stored


def test_form_data_from_request_reads_lists_ignores_unknown_names_and_strips_the_prefix() -> None:
    form = make_form(
        choice("docs", "checklist", ("to_khai", "Tờ khai"), ("cccd", "Căn cước")),
        {"type": "checkbox", "key": "ok", "label": "Đủ"},
        {
            "type": "group",
            "path": "address",
            "components": [{"type": "textfield", "key": "street", "label": "Đường"}],
        },
    )
    submitted = MultiDict(
        [
            ("p-docs", "to_khai"),
            ("p-docs", "cccd"),
            ("p-address.street", "Lý Thái Tổ"),
            ("docs", "x"),
            ("p-evil", "1"),
        ]
    )
    data = form_data_from_request(form, submitted, prefix="p-")
    assert data == {"docs": ["to_khai", "cccd"], "ok": "", "address": {"street": "Lý Thái Tổ"}}
    assert form.validate(data, coerce=True) == {
        "docs": ["to_khai", "cccd"],
        "ok": False,
        "address": {"street": "Lý Thái Tổ"},
    }
