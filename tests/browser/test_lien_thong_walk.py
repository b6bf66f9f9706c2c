"""Liên thông in a browser ("Done when" of issue #25): a birth registered once, at the ward's desk and a second
one online, and the birth certificate, the residence registration and the child's health card come back from
three agencies within the group's 3 working days, each in its agency's worklist and statistics, all visible to
the parent in "Hồ sơ của tôi" with the signed results to download; the national systems' simulators
acknowledge the records. The counts seen are written to test-artifacts/lien-thong-counts.json."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.models import Dossier, DossierGroup, IntegrationRef, Unit
from engine.operations import jobs
from tests.applicant_helpers import BIRTH_FORM, PDF
from tests.browser.filling import fill_fields
from tests.browser.test_dossier_walk import choose, open_step
from tests.browser.watch import Watch, log_in
from tests.issuance import sign_results
from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import required_documents
from webapp.adapters import adapters_of

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MEMBERS = ("1.001193", "CA.01", "BHXH.01")
ONLINE_PARENT = {"name": "Nguyễn Thị Lan", "email": "lan@example.vn", "id_number": "001190004567"}
# the step each official does, by role: (user, choices, text fields)
APPRAISE = ({"appraisal_decision": "propose_approve"}, {"textarea[name=appraisal_opinion]": "Hồ sơ hợp lệ."})
APPROVE = ({"approval_decision": "approve"}, {})


def do_step(page, base: str, code: str, choices: dict, fills: dict) -> None:
    """From the official's worklist: open the dossier's step, choose, type, complete."""
    page.goto(f"{base}/worklist")
    assert code in page.inner_text("#worklist"), f"{code} is not in the worklist of {page.url}"
    open_step(page, code)
    for name, value in choices.items():
        choose(page, f"input[name={name}][value={value}]")
    for selector, text in fills.items():
        page.fill(selector, text)
    button = "form[data-visibility-url] button[type=submit]:has-text('Hoàn thành')"
    with page.expect_response(lambda r: r.request.method == "POST" and re.search(r"/tasks/\d+$", r.url)) as answer:
        page.click(button)
    assert answer.value.status == 302, f"{code}: the step was not completed ({answer.value.status})"
    page.wait_for_load_state()


def register(chromium, base: str, who: dict, watch: Watch):
    parent = watch.attach(chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900},
                                               accept_downloads=True).new_page())
    parent.goto(f"{base}/cong-dan/dang-ky")
    parent.fill("#full_name", who["name"])
    parent.fill("#email", who["email"])
    parent.fill("#id_number", who["id_number"])
    parent.fill("#password", "matkhau123")
    parent.check("#consent")
    parent.click("button[type=submit]:has-text('Đăng ký')")
    parent.wait_for_url(f"{base}/cong-dan/ho-so")
    return parent


def at_the_desk(desk, base: str, screenshot) -> str:
    desk.goto(f"{base}/desk/new/LT.01")
    for field in ("name", "id_number", "address", "phone", "email"):
        desk.fill(f"#{field}", APPLICANT[field])
    fill_fields(desk, BIRTH_FORM, "data.")
    for index in required_documents("1.001193"):  # the papers handed in, as at a single counter
        desk.check(f"[data-group-checklist] #doc_{index}")
    screenshot(desk, "lien-thong-01-desk-one-declaration")
    desk.click("button:has-text('Tiếp nhận hồ sơ liên thông')")
    desk.wait_for_url(re.compile(r".*/desk/groups/LT-.*"))
    assert desk.get_attribute("[data-member='CA.01'] [data-status]", "data-status") == "not_opened"
    screenshot(desk, "lien-thong-02-desk-group-opened")
    return desk.inner_text("[data-group-code]")


def online(parent, base: str, screenshot, tmp_path) -> str:
    parent.goto(f"{base}/thu-tuc/LT.01")
    parent.click("text=Nộp hồ sơ trực tuyến")
    parent.wait_for_url(f"{base}/cong-dan/nop-lien-thong/LT.01")
    parent.select_option("#unit", "H26.70")
    fill_fields(parent, BIRTH_FORM)
    assert "không cần tải lên" in parent.inner_text("[data-declared=doc_0]")  # the e-declaration stands for it
    for index in (1,):
        scan = tmp_path / f"giay-{index}.pdf"
        scan.write_bytes(PDF)
        parent.set_input_files(f"#doc_{index}", str(scan))
    screenshot(parent, "lien-thong-03-online-form")
    parent.click("button:has-text('Xem lại hồ sơ')")
    parent.wait_for_selector("text=Xem lại hồ sơ liên thông trước khi gửi")
    screenshot(parent, "lien-thong-04-online-review")
    parent.check("#consent")  # Decree 13/2023, for this submission
    parent.click("button:has-text('Gửi hồ sơ liên thông')")
    parent.wait_for_url(re.compile(r".*/cong-dan/lien-thong/LT-.*"))
    screenshot(parent, "lien-thong-05-online-submitted")
    return parent.inner_text("[data-group-code]")


def members_of_group(app, code: str) -> dict[str, Dossier]:
    with app.extensions["motcua"]["sessions"]() as session:
        group = session.scalar(select(DossierGroup).where(DossierGroup.code == code))
        return {m.version.procedure.code: m for m in group.members}


def test_a_birth_registered_once_at_the_desk_and_once_online_comes_back_from_three_agencies(
        chromium, live_server, app, screenshot, tmp_path):
    base, clock, watch = live_server, app.config["NOW"], Watch()
    for kind, path in (("CIVIL_STATUS", "civil-status"), ("RESIDENCE", "residence"),
                       ("INTERCONNECTION", "interconnection")):
        app.config[f"{kind}_URL"] = f"{base}/simulators/{path}"
    start = clock()
    officials = {name: log_in(chromium, base, name, watch) for name in
                 ("desk1", "specialist1", "leader1", "police1", "police_lead1", "bhxh1", "bhxh_lead1")}
    desk_code = at_the_desk(officials["desk1"], base, screenshot)
    online_parent = register(chromium, base, ONLINE_PARENT, watch)
    online_code = online(online_parent, base, screenshot, tmp_path)
    codes = (desk_code, online_code)

    births = [members_of_group(app, code)["1.001193"].code for code in codes]
    do_step(officials["desk1"], base, births[0], {"intake_decision": "receive"}, {})
    do_step(officials["desk1"], base, births[1], {"intake_decision": "receive"}, {})
    clock.advance(hours=2)
    for birth in births:
        do_step(officials["specialist1"], base, birth, *APPRAISE)
        do_step(officials["leader1"], base, birth, *APPROVE)  # numbers and signs the Giấy khai sinh
        do_step(officials["desk1"], base, birth, {"return_method": "desk"},
                {"[name=receiver_name]": "Phạm Minh Đức"})
    clock.advance(hours=6)
    for code in codes:  # the police and the social insurance each find the member in their own worklist
        members = members_of_group(app, code)
        do_step(officials["police1"], base, members["CA.01"].code, *APPRAISE)
        do_step(officials["police_lead1"], base, members["CA.01"].code, *APPROVE)
    screenshot(officials["police_lead1"], "lien-thong-06-police-worklist")
    clock.advance(hours=8)
    for code in codes:
        members = members_of_group(app, code)
        do_step(officials["bhxh1"], base, members["BHXH.01"].code, *APPRAISE)
        do_step(officials["bhxh_lead1"], base, members["BHXH.01"].code, *APPROVE)
    done_at = clock()

    desk = officials["desk1"]
    desk.goto(f"{base}/desk/groups/{desk_code}")
    assert desk.get_attribute("[data-group-status]", "data-group-status") == "done"
    assert [desk.get_attribute(f"[data-member='{p}'] [data-status]", "data-status") for p in MEMBERS] == ["returned"] * 3
    screenshot(desk, "lien-thong-07-desk-all-results")
    desk.click("[data-member='CA.01'] a")  # the police's member, read by the desk that answers for the group
    assert "Bạn không có quyền" not in desk.inner_text("main")
    assert desk.inner_text("[data-field=group]") == desk_code
    carried = desk.inner_text("[data-carried]")  # what the group passed on, under the group form's labels
    assert births[0] in carried and "(1.001193)" in carried and "child_full_name" not in carried
    # its diagram has no drawing of its own: it is laid out on the page, steps done marked
    desk.wait_for_selector("#dossier-diagram[data-ready='1']")
    assert desk.locator("#dossier-diagram .djs-shape.motcua-done[data-element-id=Task_Approve]").count() == 1
    screenshot(desk, "lien-thong-07b-desk-reads-the-police-member")
    desk.click("[data-field=group] a")  # and back to its group
    desk.wait_for_url(f"{base}/desk/groups/{desk_code}")
    desk.goto(f"{base}/worklist?q={desk_code.lower()}")  # the group found again by its code
    desk.click("[data-group-hit] a")
    desk.wait_for_url(f"{base}/desk/groups/{desk_code}")

    counts = observed(app, codes, start, done_at)
    for unit_code, expected in ((counts["units"]["1.001193"], 2), (counts["units"]["CA.01"], 2),
                                (counts["units"]["BHXH.01"], 2)):
        assert counts["per_unit"][unit_code] == expected
    assert all(g["status"] == "done" and g["completed_at"] <= g["due_at"] for g in counts["groups"])
    assert all(not m["late"] for g in counts["groups"] for m in g["members"])

    supervisor = log_in(chromium, base, "supervisor1", watch)
    for procedure in MEMBERS:  # each agency's statistics count its own members
        supervisor.goto(f"{base}/supervision?unit={counts['units'][procedure]}")
        row = supervisor.locator(f"[data-table=procedures] tr:has-text('{procedure}')")
        assert row.locator("td").nth(2).inner_text().strip() == "2", procedure
    screenshot(supervisor, "lien-thong-08-bhxh-statistics")

    # the police's and BHXH's members end at their approval: `motcua scheduler` signs their results seconds later
    assert sign_results(app) == 4
    parent = register(chromium, base, {"name": APPLICANT["name"], "email": APPLICANT["email"],
                                       "id_number": APPLICANT["id_number"]}, watch)
    for who, code in ((parent, desk_code), (online_parent, online_code)):
        who.goto(f"{base}/cong-dan/ho-so")
        card = who.locator(f"[data-my-group='{code}']")
        for procedure in MEMBERS:
            row = card.locator(f"[data-member='{procedure}']")
            assert row.get_attribute("data-member") and "Đã trả kết quả" in row.inner_text(), (code, procedure)
        screenshot(who, f"lien-thong-09-my-dossiers-{'desk' if who is parent else 'online'}")
        for procedure in MEMBERS:  # every member's signed result, downloaded from its own page
            card.locator(f"[data-member='{procedure}'] a").first.click()
            with who.expect_download() as caught:
                who.click("#results a")
            saved = tmp_path / f"{code}-{procedure}.pdf"
            caught.value.save_as(saved)
            assert saved.read_bytes().startswith(b"%PDF-")
            who.goto(f"{base}/cong-dan/ho-so")
            card = who.locator(f"[data-my-group='{code}']")
    anyone = watch.attach(chromium.new_context(locale="vi-VN").new_page())
    anyone.goto(f"{base}/tra-cuu/{online_code}")
    assert anyone.get_attribute("[data-group-status]", "data-group-status") == "done"
    assert "Nguyễn Thị Lan" not in anyone.inner_text("main")
    screenshot(anyone, "lien-thong-10-public-lookup")

    with app.extensions["motcua"]["sessions"]() as session:
        jobs.deliver_outbox(session, clock(), None, adapters_of(app).integrations)
        acks = dict(session.execute(select(IntegrationRef.system, func.count()).group_by(IntegrationRef.system)).all())
    counts["acknowledged"] = acks
    assert acks == {"civil_status": 2, "residence": 2, "interconnection": 10}
    desk.goto(f"{base}/desk/groups/{desk_code}")
    birth_row = desk.inner_text("[data-member='1.001193'] [data-field=acknowledged]")
    assert "CSDL hộ tịch điện tử (khai sinh): HT-" in birth_row and "Phần mềm liên thông (trả kết quả): LT-" in birth_row
    police_row = desk.inner_text("[data-member='CA.01'] [data-field=acknowledged]")
    assert "CSDL quốc gia về cư trú (đăng ký thường trú): CT-" in police_row
    assert "Phần mềm liên thông (chuyển hồ sơ): LT-" in police_row
    screenshot(desk, "lien-thong-11-national-systems-acknowledged")
    desk.goto(f"{base}/desk/in-progress")  # the results of both groups wait at the desk for their applicants
    assert desk.locator(f"[data-groups-waiting] [data-group='{desk_code}']").count() == 1
    desk.click(f"[data-group='{desk_code}'] a")
    desk.wait_for_url(f"{base}/desk/groups/{desk_code}")
    desk.fill("#receiver_id_number", "0010880")  # a digit short and more: said on its field, nothing recorded
    desk.click("button:has-text('Ghi nhận đã trả kết quả')")
    assert "12 chữ số" in desk.inner_text("#receiver_id_number-error")
    desk.fill("#receiver_id_number", APPLICANT["id_number"])
    desk.click("button:has-text('Ghi nhận đã trả kết quả')")
    desk.wait_for_selector("[data-group-returned]")
    assert APPLICANT["name"] in desk.inner_text("[data-group-returned]")
    screenshot(desk, "lien-thong-12-group-results-handed-over")
    desk.goto(f"{base}/desk/in-progress")
    assert desk.locator(f"[data-group='{desk_code}']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "lien-thong-counts.json").write_text(json.dumps(counts, ensure_ascii=False, indent=2))
    watch.check()


def observed(app, codes, start, done_at) -> dict:
    """Dossiers per agency and each member's times, as the report gives them."""
    with app.extensions["motcua"]["sessions"]() as session:
        groups = list(session.scalars(select(DossierGroup).where(DossierGroup.code.in_(codes))))
        per_unit = dict(session.execute(select(Unit.code, func.count()).join(Dossier, Dossier.unit_id == Unit.id)
                                        .where(Dossier.group_id.in_([g.id for g in groups])).group_by(Unit.code)).all())
        units = {m.version.procedure.code: m.unit.code for m in groups[0].members}
        out = [{"code": g.code, "status": g.status, "due_at": g.due_at.isoformat(),
                "completed_at": g.completed_at.isoformat(),
                "members": [{"code": m.code, "procedure": m.version.procedure.code, "unit": m.unit.code,
                             "received_at": m.received_at.isoformat(), "due_at": m.due_at.isoformat(),
                             "completed_at": m.completed_at.isoformat(), "lateness": str(m.lateness),
                             "late": m.lateness == "late"} for m in g.members]} for g in groups]
    return {"per_unit": per_unit, "units": units, "groups": out, "started": start.isoformat(),
            "done": done_at.isoformat()}
