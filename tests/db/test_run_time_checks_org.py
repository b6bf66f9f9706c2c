"""The run-time checks where the database answers (issue #20): the studio's check names a role nobody holds and
a unit code that does not exist, as publishing does; `motcua procedures check --organisation` says the same;
and a draft with a dead option or an over-budget path is refused at publish."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from engine.catalogue import studio
from engine.ground.errors import Invalid
from tests.procedures.drive import user
from webapp.cli import main

CODE = "1.001193"
ROOT = Path(__file__).resolve().parents[2]
BIRTH = next(p for p in (ROOT / "procedures").iterdir() if p.name.startswith(CODE))
ROLE = 'camunda:candidateGroups="chuyen_vien" camunda:formRef="appraisal"'


def edited(session, clock, old: str, new: str, name: str = "process.bpmn"):
    draft = studio.open_draft(session, CODE, user(session, "analyst1"), clock())
    assert old in draft.files[name], old
    return studio.save_draft(session, CODE, {name: draft.files[name].replace(old, new, 1)},
                             user(session, "analyst1"), clock())


def test_the_studio_check_names_a_role_nobody_holds(session, clock):
    draft = edited(session, clock, ROLE, ROLE.replace("chuyen_vien", "ke_toan_truong"))
    problems = [p for p in studio.check_draft(draft) if p.element == "Task_Appraise"]
    assert len(problems) == 1 and "vai trò 'ke_toan_truong' không có cán bộ nào giữ" in problems[0].message


def test_the_studio_check_names_a_unit_code_that_does_not_exist(session, clock):
    draft = edited(session, clock, '<camunda:property name="budget" value="PT3H" />',
                   '<camunda:property name="budget" value="PT3H" /><camunda:property name="unit" value="X99" />')
    assert any(p.element == "Task_Appraise" and "đơn vị mã 'X99' không có trong tổ chức" in p.message
               for p in studio.check_draft(draft))


def test_a_dead_option_cannot_be_published(session, clock):
    edited(session, clock, "intake_decision == 'refuse'", "intake_decision == 'refused'")
    with pytest.raises(Invalid, match="lựa chọn intake_decision = 'refuse'"):
        studio.publish_draft(session, CODE, user(session, "admin1"), clock(), "thử")


def test_a_path_over_the_time_limit_cannot_be_published_until_a_reason_is_recorded(session, clock):
    edited(session, clock, '<camunda:property name="budget" value="PT3H" />',
           '<camunda:property name="budget" value="P9D" />')
    with pytest.raises(Invalid, match="vượt thời hạn giải quyết"):
        studio.publish_draft(session, CODE, user(session, "admin1"), clock(), "thử")
    draft = studio.get_draft(session, CODE)
    studio.save_draft(session, CODE, {"procedure.yaml": draft.files["procedure.yaml"]
                                      + 'budget_over_limit_reason: "Thẩm định cần xác minh tại nơi sinh"\n'},
                      user(session, "analyst1"), clock())
    version, created = studio.publish_draft(session, CODE, user(session, "admin1"), clock(), "thử")
    assert created and version.number == 2


def test_the_cli_checks_the_organisation_when_asked(app, tmp_path):
    folder = tmp_path / BIRTH.name
    shutil.copytree(BIRTH, folder)
    text = (folder / "process.bpmn").read_text(encoding="utf-8")
    (folder / "process.bpmn").write_text(text.replace(ROLE, ROLE.replace("chuyen_vien", "ke_toan_truong"), 1),
                                         encoding="utf-8")
    runner, obj = CliRunner(), ScriptInfo(create_app=lambda: app)
    plain = runner.invoke(main, ["procedures", "check", str(folder)], obj=obj)
    assert plain.exit_code == 0, plain.output
    checked = runner.invoke(main, ["procedures", "check", "--organisation", str(folder)], obj=obj)
    assert checked.exit_code == 1
    assert "Task_Appraise: vai trò 'ke_toan_truong' không có cán bộ nào giữ" in checked.output
