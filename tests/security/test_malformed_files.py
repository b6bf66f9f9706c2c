"""Malformed diagrams and forms, through `motcua procedures check` and the studio's BPMN import:
one clear line per problem naming the file, never a traceback, and nothing saved."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.unit.test_cli_check import motcua_check

SOURCE = Path(__file__).resolve().parents[2] / "procedures" / "1.001193-dang-ky-khai-sinh"
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol9;</bpmn:definitions>')
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>')
ESCAPE = (SOURCE / "process.bpmn").read_text(encoding="utf-8").replace(
    "</bpmn:process>", '<bpmn:scriptTask id="Evil"><bpmn:script>open("/etc/passwd").read()</bpmn:script>'
    "</bpmn:scriptTask></bpmn:process>", 1)
BROKEN = {
    "process.bpmn": {"not-xml": "this is not XML <", "empty": "", "binary": "\x00\x01\x02\xff",
                     "wrong-root": "<?xml version='1.0'?><html><body/></html>",
                     "billion-laughs": LAUGHS, "external-entity": EXTERNAL, "script-escape": ESCAPE},
    "intake.form": {"not-json": "{components: [", "components-not-list": '{"id": "intake", "components": 5}',
                    "bad-regex": '{"id": "intake", "components": [{"type": "textfield", "key": "a", '
                                 '"validate": {"pattern": "(["}}]}',
                    "deep-nesting": "[" * 5000 + "]" * 5000,
                    "deep-groups": '{"id": "intake", "components": [' + '{"type": "group", "components": [' * 3000
                                   + "]}" * 3000 + "]}"},
}
CASES = [(file, name) for file, kinds in BROKEN.items() for name in kinds]


@pytest.mark.parametrize(("file", "kind"), CASES, ids=[f"{f}-{k}" for f, k in CASES])
def test_procedures_check_explains_a_malformed_file_without_a_traceback(tmp_path, file, kind):
    folder = tmp_path / SOURCE.name
    shutil.copytree(SOURCE, folder)
    (folder / file).write_bytes(BROKEN[file][kind].encode("utf-8", errors="surrogateescape"))
    result = motcua_check(tmp_path, folder)
    assert result.returncode != 0
    assert file in result.stdout and "root:" not in result.stdout
    assert "root:x:0:0" not in result.stdout + result.stderr  # an external entity was not read


UNREADABLE = ("not-xml", "empty", "binary", "wrong-root", "billion-laughs", "external-entity")


@pytest.mark.parametrize("kind", UNREADABLE)
def test_the_studio_refuses_a_diagram_it_cannot_read_and_the_draft_keeps_its_last_good_diagram(browser, kind):
    analyst = browser("analyst1")
    before = analyst.get("/studio/1.001193/files.json").json["files"]["process.bpmn"]
    res = analyst.post("/studio/1.001193/import-bpmn",
                       {"file": (io.BytesIO(BROKEN["process.bpmn"][kind].encode()), "process.bpmn")},
                       content_type="multipart/form-data")
    assert res.status_code == 422
    page = res.get_data(as_text=True)
    assert "Không đọc được sơ đồ" in page and "bản nháp giữ nguyên" in page
    after = analyst.get("/studio/1.001193/files.json").json
    assert after["files"]["process.bpmn"] == before and after["problems"] == []
    assert "root:x:0:0" not in page


def test_the_studio_takes_a_readable_but_unsafe_diagram_as_a_draft_and_never_publishes_it(browser, session):
    """A diagram that reads but cannot run is kept to be fixed; the check says what is wrong."""
    from engine.models import ProcedureVersion

    analyst = browser("analyst1")
    analyst.get("/studio/1.001193")
    versions = session.scalar(select(func.count()).select_from(ProcedureVersion))
    res = analyst.post("/studio/1.001193/import-bpmn",
                       {"file": (io.BytesIO(BROKEN["process.bpmn"]["script-escape"].encode()), "process.bpmn")},
                       content_type="multipart/form-data")
    assert res.status_code == 302
    assert "vấn đề cần sửa" in analyst.get("/studio/1.001193").get_data(as_text=True)
    checked = analyst.get("/studio/1.001193/check")
    assert checked.status_code == 200 and checked.json["problems"], checked.get_data(as_text=True)[:300]
    assert "root:x:0:0" not in checked.get_data(as_text=True)
    published = browser("admin1").post("/studio/1.001193/publish", {"note": "thử công bố bản lỗi"})
    assert published.status_code == 302 and "/studio/1.001193" in published.headers["Location"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ProcedureVersion)) == versions


@pytest.mark.parametrize("body", [[1, 2], "chuỗi", 5, {"files": []}, {"files": {"process.bpmn": 5}},
                                  {"files": {"../../etc/passwd.bpmn": "x"}}, {"files": {"process.bpmn": "a\x00b"}},
                                  {"files": {"procedure.yaml": "code: [unclosed"}}])
def test_saving_a_malformed_draft_in_the_studio_is_refused_with_a_message(browser, session, body):
    from engine.models import ProcedureDraft

    analyst = browser("analyst1")
    analyst.get("/studio/1.001193")
    session.expire_all()
    before = {d.code: dict(d.files) for d in session.scalars(select(ProcedureDraft))}
    res = analyst.client.post("/studio/1.001193/draft", json=body, headers={"X-CSRFToken": analyst.token})
    assert res.status_code in (400, 422) and res.json["error"]["message"]
    session.expire_all()
    assert {d.code: dict(d.files) for d in session.scalars(select(ProcedureDraft))} == before
