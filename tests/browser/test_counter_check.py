"""At the counter: the national population check is a request of its own; "Ghi nhận" after it receives
the dossier, and Enter in a field never runs the check nor sends the form."""
from __future__ import annotations

import re

from tests.browser.watch import Watch, log_in
from tests.web.test_desk_pages import required_documents


def test_the_id_check_then_ghi_nhan_creates_the_dossier_and_enter_runs_nothing(chromium, live_server, app,
                                                                               screenshot):
    app.config["POPULATION_URL"] = f"{live_server}/simulators/population"
    watch = Watch()
    desk = log_in(chromium, live_server, "desk1", watch)
    desk.goto(f"{live_server}/desk/new/1.001193")
    assert desk.evaluate("document.activeElement.id") == "name"  # focus starts on the first field
    desk.fill("#name", "Phạm Minh Đức")
    desk.fill("#id_number", "001088011223")
    desk.press("#id_number", "Enter")  # moves on, runs nothing
    assert desk.evaluate("document.activeElement.id") != "id_number"
    assert desk.url.endswith("/desk/new/1.001193") and not desk.query_selector("[data-identity]")
    assert not desk.is_visible("#refuse_reason") and not desk.is_visible("#postmarked_at")

    desk.click("button:has-text('Đối chiếu CSDL quốc gia về dân cư')")
    desk.wait_for_selector("[data-identity=match]")
    assert desk.input_value("#address").startswith("12 Hàng Bạc")  # prefilled in place
    assert desk.input_value("#name") == "Phạm Minh Đức" and desk.url.endswith("/desk/new/1.001193")
    screenshot(desk, "counter-01-after-id-check")

    for index in required_documents("1.001193"):
        desk.check(f"#doc_{index}")
    desk.press("#phone", "Enter")
    assert "/desk/new/1.001193" in desk.url  # still the form: Enter sends nothing
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/desk/receipt/.*"))
    assert re.match(r"H26\.70-\d{6}-\d{4}$", desk.inner_text("[data-field=code]"))
    screenshot(desk, "counter-02-receipt")
    watch.check()


def test_a_differing_name_is_flagged_on_the_field_and_the_refusal_box_shows_for_a_refusal(chromium, live_server, app,
                                                                                          screenshot):
    app.config["POPULATION_URL"] = f"{live_server}/simulators/population"
    watch = Watch()
    desk = log_in(chromium, live_server, "desk1", watch)
    desk.goto(f"{live_server}/desk/new/1.001193")
    desk.fill("#name", "Phạm Văn Đức")
    desk.fill("#id_number", "001088011223")
    desk.click("button:has-text('Đối chiếu CSDL quốc gia về dân cư')")
    desk.wait_for_selector("[data-identity=mismatch]")
    desk.wait_for_selector("#name.is-invalid", timeout=10_000)  # the field is marked in the same answer
    desk.check("#decision_refuse")
    assert desk.is_visible("#refuse_reason") and not desk.is_visible("#supplement_items")
    desk.fill("#refuse_reason", "Không thuộc thẩm quyền giải quyết của phường")
    screenshot(desk, "counter-03-refusal")
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/forms/03.*"))
    watch.check()
