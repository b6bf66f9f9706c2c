"""Liên thông at the desk in a browser: LT.01 received once, then each agency answers and the group ends."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.models import DossierGroup, HumanTask
from tests.browser.watch import Watch, log_in
from tests.procedures.drive import step, user


def _agency(session, clock, dossier, specialist, leader):
    for element, who, data in (("Task_Appraise", specialist, {"appraisal_decision": "propose_approve",
                                                             "appraisal_opinion": "Hồ sơ hợp lệ"}),
                               ("Task_Approve", leader, {"approval_decision": "approve"})):
        task = session.scalar(select(HumanTask).where(HumanTask.dossier_id == dossier.id, HumanTask.state == "ready"))
        assert task.element_id == element
        lifecycle.complete_task(session, task.id, user(session, who), data, clock())
        session.commit()


def test_the_desk_walks_lt01_from_one_declaration_to_three_results(chromium, live_server, app, screenshot):
    watch = Watch()
    desk = log_in(chromium, live_server, "desk1", watch)
    desk.goto(f"{live_server}/desk/new/LT.01")
    assert desk.is_visible("[data-group-members]")
    desk.fill("#name", "Phạm Minh Đức")
    desk.fill("#id_number", "001088011223")
    desk.fill('[name="data.child_full_name"]', "Phạm Minh An")
    desk.fill('[name="data.child_birth_date"]', "2026-02-20")
    screenshot(desk, "lien-thong-01-one-declaration")
    desk.click("button:has-text('Tiếp nhận hồ sơ liên thông')")
    desk.wait_for_url(re.compile(r".*/desk/groups/LT-.*"))
    code = desk.inner_text("[data-group-code]")
    assert desk.get_attribute("[data-member='CA.01'] [data-status]", "data-status") == "not_opened"
    screenshot(desk, "lien-thong-02-group-opened")

    clock = app.config["NOW"]
    with app.extensions["motcua"]["sessions"]() as session:
        group = session.scalar(select(DossierGroup).where(DossierGroup.code == code))
        birth = group.members[0]
        for element, key in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                             ("Task_Approve", "approve"), ("Task_Return", "return")):
            step(session, clock, birth, element, key)
        session.refresh(group)
        by_code = {m.version.procedure.code: m for m in group.members}
        _agency(session, clock, by_code["CA.01"], "police1", "police_lead1")
        _agency(session, clock, by_code["BHXH.01"], "bhxh1", "bhxh_lead1")
    desk.reload()
    assert desk.get_attribute("[data-group-status]", "data-group-status") == "done"
    assert [desk.get_attribute(f"[data-member='{p}'] [data-status]", "data-status")
            for p in ("1.001193", "CA.01", "BHXH.01")] == ["returned"] * 3
    screenshot(desk, "lien-thong-03-all-results")
    desk.goto(f"{live_server}/tra-cuu/{code}")
    assert desk.get_attribute("[data-group-status]", "data-group-status") == "done"
    screenshot(desk, "lien-thong-04-public-lookup")
    watch.check()
