"""Bad input to the case file not covered elsewhere: a lying, oversize or empty file added at a step is
refused in Vietnamese, the step stays open, nothing is written but the event of the refusal; /xac-thuc
says what is wrong with a file that is not a signed result or is too large, without a server error."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from engine.models import Document, Dossier, Event, HumanTask
from tests.web.test_case_file import received, task_page
from tests.web.test_desk_pages import PNG

FILES = [(b"MZ\x90\x00 a program named .pdf", "giay-to.pdf", "không phải PDF, JPEG hoặc PNG"),
         (b"%PDF-" + b"0" * (10 * 1024 * 1024), "lon.pdf", "10 MB"),
         (b"", "rong.pdf", "")]


def counts(app, code):
    with app.extensions["motcua"]["sessions"]() as s:
        docs = s.scalar(select(func.count()).select_from(Document).where(
            Document.dossier_id.in_(select(Dossier.id).where(Dossier.code == code))))
        ready = s.scalar(select(func.count()).select_from(HumanTask).where(HumanTask.dossier.has(code=code),
                                                                           HumanTask.state == "ready"))
        refused = s.scalars(select(Event).where(Event.kind == "document.refused")).all()
        return docs, ready, refused


def test_a_bad_file_at_a_step_is_refused_the_step_stays_open_and_the_refusal_is_logged(browser, app):
    desk = browser("desk1")
    code = received(desk)
    specialist = browser("specialist1")
    task_page(specialist, code)
    docs, ready, _ = counts(app, code)
    for content, name, said in FILES:
        res = specialist.post(f"/dossiers/{code}/files", {"kind": "scan", "checklist_item": "0",
                                                         "file": (io.BytesIO(content), name)},
                              content_type="multipart/form-data", follow_redirects=True)
        page = res.get_data(as_text=True)
        assert res.status_code in (200, 413), res.status_code
        if res.status_code == 200:
            assert said in page and "alert-danger" in page, name
        now_docs, now_ready, refused = counts(app, code)
        assert (now_docs, now_ready) == (docs, ready), name
    assert len(refused) >= 2 and all(e.user_id is not None for e in refused)
    assert refused[0].payload["filename"] == "giay-to.pdf" and "PDF" in refused[0].payload["reason"]
    history = specialist.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Tệp tải lên bị từ chối" in history


def test_xac_thuc_says_what_is_wrong_with_a_file_that_is_no_signed_result(client):
    from tests.conftest import Browser

    page = Browser.TOKEN.search(client.get("/xac-thuc").get_data(as_text=True))
    token = page.group(1) if page else ""
    for content, name in ((PNG, "anh.png"), (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "khong-ky.pdf"),
                          (b"not a pdf at all", "x.pdf")):
        res = client.post("/xac-thuc", data={"csrf_token": token, "file": (io.BytesIO(content), name)},
                          content_type="multipart/form-data")
        text = res.get_data(as_text=True)
        assert res.status_code in (200, 422), (name, res.status_code)
        assert 'data-outcome="valid"' not in text, name
    big = b"%PDF-" + b"0" * (20 * 1024 * 1024 + 10)
    res = client.post("/xac-thuc", data={"csrf_token": token, "file": (io.BytesIO(big), "lon.pdf")},
                      content_type="multipart/form-data")
    assert res.status_code in (413, 422)
    if res.status_code == 422:
        assert "Tệp quá lớn" in res.get_data(as_text=True) or "20 MB" in res.get_data(as_text=True)
