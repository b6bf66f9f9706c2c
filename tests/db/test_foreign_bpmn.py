"""Diagrams exported by other modelers (Camunda 7 and 8, bpmn.io, Signavio, Bizagi, and files that are
not BPMN at all) import into a draft without a crash; what cannot be executed is said in words."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.catalogue import studio
from engine.catalogue.sandbox import path_budgets, run_draft
from engine.ground.errors import Invalid
from tests.procedures.drive import user

FOREIGN = Path(__file__).resolve().parents[1] / "data" / "foreign_bpmn"
FILES = sorted(FOREIGN.glob("*.bpmn"))
EXPECTED = {  # a phrase each file's problems must contain (the file runs when None)
    "bizagi_export.bpmn": "can_consult",
    "bpmnio_demo.bpmn": "không có quy trình nào có thể thực thi",
    "camunda7_modeler_java.bpmn": "(camunda:class), không phải bộ kết nối nào đã đăng ký",
    "camunda8_zeebe.bpmn": "Camunda 8 (Zeebe)",
    "html_instead_of_bpmn.bpmn": "trang HTML",
    "motcua_vocabulary.bpmn": None,
    "signavio_export.bpmn": "tác vụ gửi (sendTask)",
    "truncated_download.bpmn": "XML không hợp lệ",
    "xpdl_not_bpmn.bpmn": "không phải sơ đồ BPMN 2.0",
}


UNREADABLE = {"html_instead_of_bpmn.bpmn", "truncated_download.bpmn", "xpdl_not_bpmn.bpmn"}


def test_the_test_set_covers_every_file():
    assert {p.name for p in FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_foreign_diagram_imports_into_a_draft_and_its_problems_are_words(session, clock, path):
    expected = EXPECTED[path.name]
    if path.name in UNREADABLE:  # refused whole: the draft keeps its last good diagram
        before = studio.open_draft(session, "1.001193", user(session, "analyst1"), clock()).files["process.bpmn"]
        with pytest.raises(Invalid) as refused:
            studio.import_bpmn(session, "1.001193", path.name, path.read_bytes(), user(session, "analyst1"), clock())
        assert expected in refused.value.message and "bản nháp giữ nguyên" in refused.value.message
        assert studio.get_draft(session, "1.001193").files["process.bpmn"] == before
        return
    draft, problems = studio.import_bpmn(session, "1.001193", path.name, path.read_bytes(),
                                         user(session, "analyst1"), clock())
    assert draft.files["process.bpmn"].startswith(path.read_text()[:40])
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p.message for p in problems), problems
    assert all(p.message and "Traceback" not in p.message for p in problems)
    catalogue = {"time_limit": {"value": 1, "unit": "working_days"}}
    run = run_draft(draft.files, catalogue, {"intake_decision": "receive", "return_method": "desk"})
    assert run.finished or run.stopped
    path_budgets(draft.files, catalogue)


def test_a_diagram_against_the_bpmn_schema_is_refused_whole_with_its_reasons_in_words(session, clock, tmp_path):
    before = studio.open_draft(session, "1.001193", user(session, "analyst1"), clock()).files["process.bpmn"]
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs">\n'
            '  <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S"/></bpmn:process>\n'
            '</bpmn:definitions>\n')
    with pytest.raises(Invalid) as refused:
        studio.import_bpmn(session, "1.001193", "ve-tay.bpmn", text.encode(), user(session, "analyst1"), clock())
    message = refused.value.message
    assert "không đúng chuẩn BPMN 2.0" in message and "thiếu thuộc tính bắt buộc 'targetNamespace'" in message
    assert "dòng 2" in message and "bản nháp giữ nguyên" in message and "is required" not in message
    assert studio.get_draft(session, "1.001193").files["process.bpmn"] == before
