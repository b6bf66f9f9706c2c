"""Parsing in a threaded server: a restarted worker takes its first completions at once, each parsing a version's
diagram with a cold cache. lxml built the BPMN schema wrongly when two threads loaded it together ("Document is
not valid XML Schema", a 500 in the crash test); the schema is now loaded once and validations take turns."""
from __future__ import annotations

import threading
from pathlib import Path

from bpmn import parser
from bpmn.process import parse_process

BIRTH = Path(__file__).resolve().parents[2] / "procedures" / "1.001193-dang-ky-khai-sinh" / "process.bpmn"


def test_eight_threads_parse_at_once_from_a_cold_start_and_all_get_the_process():
    parser._VALIDATOR.clear()  # as a freshly started worker
    text = BIRTH.read_text(encoding="utf-8")
    start, results, errors = threading.Barrier(8), [], []

    def parse():
        start.wait()
        try:
            results.append(parse_process({"process.bpmn": text}).process_id)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=parse) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and results == ["Process_1_001193"] * 8
    assert len(parser._VALIDATOR) == 1  # one schema for the whole process
