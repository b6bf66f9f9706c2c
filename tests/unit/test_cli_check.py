"""`motcua procedures check PATH…` as a modeler runs it: exit status, one line per problem, no traceback."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MOTCUA = Path(sys.executable).parent / "motcua"
DATA = ROOT / "tests" / "data" / "bpmn"
FOREIGN = DATA / "foreign"
BUNDLED = sorted(p for p in (ROOT / "procedures").iterdir() if (p / "procedure.yaml").is_file())
LINE = re.compile(r"^(?P<file>[^:]+)(:(?P<line>\d+))?: (?P<element>[^:]+): (?P<message>.+)$")


def motcua_check(tmp_path: Path, *paths: Path | str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MOTCUA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}
    result = subprocess.run([str(MOTCUA), "procedures", "check", *map(str, paths)], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=120, check=False)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def problem_lines(result: subprocess.CompletedProcess) -> list[re.Match]:
    lines = result.stdout.splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return matches


def test_the_bundled_procedures_check_clean_and_exit_0(tmp_path):
    result = motcua_check(tmp_path, *BUNDLED)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == f"Không có lỗi ({len(BUNDLED)} mục đã kiểm tra)."


def test_a_single_bpmn_file_with_its_forms_beside_it_checks_clean(tmp_path):
    assert motcua_check(tmp_path, DATA / "mini" / "process.bpmn").returncode == 0


def test_a_zeebe_diagram_exits_1_with_one_line_per_unsupported_element(tmp_path):
    result = motcua_check(tmp_path, FOREIGN / "zeebe.bpmn")
    assert result.returncode == 1
    lines = problem_lines(result)
    assert {m["file"] for m in lines} == {str(FOREIGN / "zeebe.bpmn")}
    assert {m["element"] for m in lines} == {"Definitions_Zeebe", "Task_Review", "Task_Notify"}
    assert any("Camunda 8 (Zeebe)" in m["message"] for m in lines)
    assert any((m["line"], m["element"]) == ("15", "Task_Notify")
               and m["message"].startswith("tác vụ dịch vụ (serviceTask) chưa nói gọi bộ kết nối nào; ") for m in lines)
    assert f"{len(lines)} lỗi." in result.stderr


def test_a_complex_gateway_exits_1_naming_the_gateway(tmp_path):
    result = motcua_check(tmp_path, FOREIGN / "complex_gateway.bpmn")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{FOREIGN}/complex_gateway.bpmn:7: Gateway_Complex: chưa hỗ trợ thực thi cổng phức hợp (complexGateway); "
        "hãy dùng cổng inclusiveGateway hoặc exclusiveGateway"]


@pytest.mark.parametrize("name", ["not_bpmn.bpmn", "empty.bpmn"])
def test_a_file_that_is_not_bpmn_exits_1_with_one_line(tmp_path, name):
    result = motcua_check(tmp_path, FOREIGN / name)
    assert result.returncode == 1
    [line] = problem_lines(result)
    assert line["file"] == str(FOREIGN / name) and "không phải sơ đồ BPMN" in line["message"]


def test_a_binary_file_exits_1_without_a_traceback(tmp_path):
    (tmp_path / "scan.bpmn").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    result = motcua_check(tmp_path, tmp_path / "scan.bpmn")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{tmp_path}/scan.bpmn: -: không phải văn bản UTF-8"]


def test_a_missing_path_exits_1_naming_it(tmp_path):
    result = motcua_check(tmp_path, tmp_path / "khong-co.bpmn")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{tmp_path}/khong-co.bpmn: -: không tìm thấy tệp hoặc thư mục"]


def test_a_folder_without_procedure_yaml_exits_1(tmp_path):
    folder = tmp_path / "thu-tuc"
    folder.mkdir()
    (folder / "process.bpmn").write_text((DATA / "mini" / "process.bpmn").read_text(encoding="utf-8"), encoding="utf-8")
    result = motcua_check(tmp_path, folder)
    assert result.returncode == 1
    assert "procedure.yaml" in result.stdout


def test_a_broken_copy_of_a_good_folder_names_each_bad_element(tmp_path):
    folder = tmp_path / "mini"
    folder.mkdir()
    for item in (DATA / "mini").iterdir():
        (folder / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    text = (folder / "process.bpmn").read_text(encoding="utf-8")
    text = text.replace('camunda:candidateGroups="lanh_dao" ', "").replace('value="PT1H"', 'value="P2X"')
    text = text.replace('intake_decision == "receive"', 'intake_decison == "receive"')
    (folder / "process.bpmn").write_text(text, encoding="utf-8")
    result = motcua_check(tmp_path, folder, *BUNDLED)
    assert result.returncode == 1
    found = {(m["file"], m["element"]) for m in problem_lines(result)}
    assert found == {(f"{folder}/process.bpmn", "Task_Approve"), (f"{folder}/process.bpmn", "Task_Intake"),
                     (f"{folder}/process.bpmn", "Flow_Receive")}


def test_steps_without_kind_check_clean_and_the_cli_says_what_it_inferred(tmp_path):
    folder = ROOT / "tests" / "data" / "camunda7" / "no_kinds"
    result = motcua_check(tmp_path, folder)
    assert result.returncode == 0, result.stdout
    notes = [line for line in result.stdout.splitlines() if line.startswith("ghi chú: ")]
    assert [line.split(": ")[2] for line in notes] == ["Task_Receive", "Task_Return"]
    assert "được hiểu là tiếp nhận (intake)" in notes[0] and "được hiểu là trả kết quả (return)" in notes[1]
    assert result.stdout.splitlines()[-1] == "Không có lỗi (1 mục đã kiểm tra)."
