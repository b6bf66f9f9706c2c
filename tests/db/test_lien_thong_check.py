"""`motcua procedures check` and `publish` take a procedure group folder (procedure.yaml alone): the bundled groups
are clean, and a member not published, an agency missing from the organisation or member budgets over the
group's time limit are refused with a line naming the file and the member, as publishing refuses them."""
from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from flask.cli import ScriptInfo

from webapp.cli import main

FOLDER = Path(__file__).resolve().parents[2] / "procedures" / "lien-thong"
LT01 = FOLDER / "LT.01-lien-thong-khai-sinh"


def run(app, *args):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def broken(tmp_path, old: str, new: str) -> Path:
    folder = tmp_path / LT01.name
    shutil.copytree(LT01, folder, dirs_exist_ok=True)
    text = (folder / "procedure.yaml").read_text(encoding="utf-8")
    assert old in text, old
    (folder / "procedure.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_the_bundled_groups_check_clean_and_publish_unchanged(app):
    checked = run(app, "procedures", "check", str(LT01), str(FOLDER / "LT.02-lien-thong-khai-tu"))
    assert checked.exit_code == 0, checked.output
    published = run(app, "procedures", "publish", str(LT01))
    assert published.exit_code == 0 and "LT.01 nội dung không đổi" in published.output, published.output


def test_an_unpublished_member_is_refused_at_check_and_at_publish(app, tmp_path):
    folder = broken(tmp_path, 'procedure: "CA.01"', 'procedure: "CA.99"')
    checked = run(app, "procedures", "check", str(folder))
    assert checked.exit_code == 1
    assert f"{folder}/procedure.yaml" in checked.output and "group.members[1]" in checked.output
    assert "thủ tục thành viên CA.99 chưa được công bố" in checked.output
    published = run(app, "procedures", "publish", str(folder))
    assert published.exit_code != 0 and "CA.99 chưa được công bố" in published.output


def test_a_missing_agency_is_refused_at_check(app, tmp_path):
    folder = broken(tmp_path, "unit: H26.BHXH", "unit: H26.BHXH.KHONG")
    checked = run(app, "procedures", "check", str(folder))
    assert checked.exit_code == 1 and "không có đơn vị H26.BHXH.KHONG trong cơ cấu tổ chức" in checked.output
    kind = broken(tmp_path, "unit_kind: police", "unit_kind: tax")
    assert "chưa có đơn vị loại tax" in run(app, "procedures", "check", str(kind)).output


def test_member_budgets_over_the_groups_three_working_days_are_refused_at_check(app, tmp_path):
    folder = broken(tmp_path, "time_limit: {value: 3, unit: working_days}", "time_limit: {value: 2, unit: working_days}")
    checked = run(app, "procedures", "check", str(folder))
    assert checked.exit_code == 1 and "vượt thời hạn của nhóm" in checked.output


def test_a_member_given_more_time_than_its_own_procedure_allows_is_refused_at_check(app, tmp_path):
    folder = broken(tmp_path, "budget: {value: 2, unit: working_days}", "budget: {value: 3, unit: working_days}")
    folder.joinpath("procedure.yaml").write_text(folder.joinpath("procedure.yaml").read_text(encoding="utf-8")
                                                 .replace("value: 3, unit: working_days}", "value: 5, unit: working_days}", 1),
                                                 encoding="utf-8")  # the group's own limit is not what is exceeded
    checked = run(app, "procedures", "check", str(folder))
    assert checked.exit_code == 1 and "group.members[1].budget" in checked.output
    assert "vượt thời hạn giải quyết của chính thủ tục đó" in checked.output


def test_a_register_the_system_does_not_know_is_refused_without_the_database(app, tmp_path):
    folder = broken(tmp_path, "event: khai_sinh", "event: ket_hon")
    checked = run(app, "procedures", "check", str(folder))
    assert checked.exit_code == 1 and "group.members[0].register" in checked.output
    assert "khai_sinh, khai_tu" in checked.output


def test_each_member_of_the_bundled_groups_has_its_own_forms_budget_and_agency(session):
    from engine.catalogue.groups import members_of, stages_of
    from engine.catalogue.procedures import forms_of, get_procedure

    for code, limit in (("LT.01", 3), ("LT.02", 5)):
        group = get_procedure(session, code).catalogue
        assert group["time_limit"] == {"value": limit, "unit": "working_days"}
        for member in members_of(group):
            procedure = get_procedure(session, str(member["procedure"]))
            assert {"appraisal", "approval"} <= set(forms_of(procedure.current_version)), procedure.code
            assert procedure.catalogue["time_limit"]["unit"] == "working_days"
            assert member["budget"]["unit"] == "working_days" and member.get("unit_kind")
        longest = sum(max(m["budget"]["value"] for m in members_of(group) if m["stage"] == s) for s in stages_of(group))
        assert longest <= limit, code
