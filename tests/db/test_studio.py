"""The studio's engine: drafts, publication through the CLI's checks, version diffs, the sandbox and
bulk migration of running dossiers between versions."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.catalogue import studio
from engine.catalogue.sandbox import path_budgets, run_draft
from engine.dossier import version_migration
from engine.ground.errors import Forbidden, Invalid
from engine.models import Event, ProcedureVersion
from tests.procedures.drive import new_dossier, ready_tasks, step, user

CODE = "1.001193"
DECISIONS = {"intake_decision": "receive", "appraisal_decision": "propose_approve",
             "approval_decision": "approve", "return_method": "desk"}


def edited(session, clock, old: str, new: str, name: str = "process.bpmn", who: str = "analyst1"):
    draft = studio.open_draft(session, CODE, user(session, who), clock())
    assert old in draft.files[name], old
    return studio.save_draft(session, CODE, {name: draft.files[name].replace(old, new)}, user(session, who), clock())


def publish(session, clock, note="thử"):
    version, created = studio.publish_draft(session, CODE, user(session, "admin1"), clock(), note)
    session.commit()
    return version


def test_a_draft_is_never_used_by_new_dossiers_until_an_admin_publishes_it(session, clock):
    first = new_dossier(session, clock)
    edited(session, clock, '<camunda:property name="budget" value="PT3H" />',
           '<camunda:property name="budget" value="PT2H" />')
    session.commit()
    assert new_dossier(session, clock).version.id == first.version.id
    with pytest.raises(Forbidden):
        studio.publish_draft(session, CODE, user(session, "analyst1"), clock(), "")
    version = publish(session, clock, "rút ngắn thẩm định")
    assert (version.number, version.published_by, version.note) == (2, "admin1", "rút ngắn thẩm định")
    assert studio.get_draft(session, CODE) is None
    later = new_dossier(session, clock)
    assert later.version.id == version.id
    assert session.get(type(first), first.id).version.number == 1


def test_a_draft_with_problems_is_listed_by_element_and_cannot_be_published(session, clock):
    draft = edited(session, clock, 'camunda:formRef="appraisal"', 'camunda:formRef="khong_co"')
    problems = studio.check_draft(draft)
    assert any(p.element == "Task_Appraise" and "khong_co" in p.message for p in problems)
    assert all(p.file == "process.bpmn" for p in problems)
    with pytest.raises(Invalid):
        studio.publish_draft(session, CODE, user(session, "admin1"), clock(), "")


def test_the_diff_lists_changed_steps_and_form_labels(session, clock):
    edited(session, clock, 'value="PT3H"', 'value="PT2H"')
    edited(session, clock, '"Quyết định của lãnh đạo"', '"Quyết định phê duyệt"', "approval.form")
    publish(session, clock)
    diff = studio.diff_versions(session, CODE, 1, 2)
    name, changes = diff.elements.changed["Task_Appraise"]
    assert [(c.attribute, c.old, c.new) for c in changes] == [("property:budget", "PT3H", "PT2H")]
    field_changes = diff.forms["approval"].changed["approval_decision"][1]
    assert {(c.attribute, c.new) for c in field_changes} >= {("label", "Quyết định phê duyệt")}
    assert not diff.elements.added and not diff.elements.removed


def test_the_sandbox_follows_the_chosen_branches_and_sums_budgets(session, clock):
    draft = studio.open_draft(session, CODE, user(session, "analyst1"), clock())
    catalogue = {"time_limit": {"value": 0, "unit": "working_days"}}
    run = run_draft(draft.files, catalogue, DECISIONS)
    assert run.finished and run.steps == ["Task_Intake", "Task_Appraise", "Task_Approve", "Task_Return"]
    assert run.path[0] == "StartEvent_1" and run.path[-1] == "EndEvent_Returned"
    assert not run.exceeds
    refused = run_draft(draft.files, catalogue, {"intake_decision": "refuse"})
    assert refused.finished and refused.path[-1] == "EndEvent_Refused"
    paths = path_budgets(draft.files, {"time_limit": {"value": 1, "unit": "working_hours"}})
    assert any(p.exceeds for p in paths)
    assert {p.path[-1] for p in paths} >= {"EndEvent_Returned", "EndEvent_Refused"}


def without(xml: str, ids: set[str]) -> str:
    """The diagram without these elements, their references and their shapes."""
    from lxml import etree

    root = etree.fromstring(xml.encode())
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.get("id") in ids or el.get("bpmnElement") in ids or (el.text or "").strip() in ids:
            el.getparent().remove(el)
    return etree.tostring(root, encoding="unicode")


def test_the_dry_run_lists_who_can_move_and_migration_moves_them_with_an_event(session, clock):
    at_intake = new_dossier(session, clock)
    at_appraisal = new_dossier(session, clock)
    step(session, clock, at_appraisal, "Task_Intake", "receive")
    supplementing = new_dossier(session, clock)
    step(session, clock, supplementing, "Task_Intake", "intake_supplement")
    draft = edited(session, clock, 'value="PT3H"', 'value="PT2H"')
    text = without(draft.files["process.bpmn"], {"Task_IntakeSupplement", "Flow_Intake_Supplement",
                                                  "Flow_IntakeSupplement_Merge"})
    form = json.loads(draft.files["intake.form"])  # the option whose step is gone goes too (else a dead option)
    form["components"][0]["values"] = [v for v in form["components"][0]["values"] if v["value"] != "supplement"]
    studio.save_draft(session, CODE, {"process.bpmn": text.replace("Task_Appraise", "Task_Appraise2"),
                                      "intake.form": json.dumps(form, ensure_ascii=False)},
                      user(session, "analyst1"), clock())
    assert studio.check_draft(studio.get_draft(session, CODE)) == []
    target = publish(session, clock)
    checks = {c.dossier.id: c for c in version_migration.dry_run(session, target, user(session, "admin1"))}
    assert checks[at_intake.id].can_move and checks[at_appraisal.id].can_move  # renamed: aligned by structure
    assert not checks[supplementing.id].can_move
    assert "Task_IntakeSupplement" in checks[supplementing.id].reasons[0]
    with pytest.raises(Forbidden):
        version_migration.dry_run(session, target, user(session, "analyst1"))
    ids = [at_intake.id, at_appraisal.id, supplementing.id]
    version_migration.migrate(session, target, user(session, "admin1"), ids, clock())
    session.commit()
    versions = {i: session.get(type(at_intake), i).procedure_version_id for i in ids}
    assert versions == {at_intake.id: target.id, at_appraisal.id: target.id, supplementing.id: versions[supplementing.id]}
    assert versions[supplementing.id] != target.id
    moved = session.scalars(select(Event.dossier_id).where(Event.kind == "dossier.migrated")).all()
    assert sorted(moved) == sorted([at_intake.id, at_appraisal.id])
    step(session, clock, at_appraisal, "Task_Appraise2", "propose_approve")
    step(session, clock, at_intake, "Task_Intake", "receive")
    assert [t.element_id for t in ready_tasks(session, at_intake)] == ["Task_Appraise2"]


def test_an_imported_zip_becomes_a_draft_not_a_version(session, clock):
    draft = studio.open_draft(session, CODE, user(session, "analyst1"), clock())
    name, data = studio.export_draft_zip(draft)
    session.delete(draft)
    session.flush()
    again = studio.import_zip_draft(session, data, user(session, "analyst1"), clock())
    assert again.code == CODE and set(again.files) == set(draft.files)
    assert session.scalar(select(ProcedureVersion.number).where(ProcedureVersion.number == 2)) is None
