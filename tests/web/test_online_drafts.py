"""The online form keeps what the citizen gave: a mistake or "Sửa lại" keeps the files, "Lưu nháp" keeps
everything to finish later, sending deletes the draft, an abandoned one expires with its files; the review page
asks for consent to the processing of the personal data (Decree 13/2023)."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.applicant_helpers import BIRTH, BIRTH_FORM, PDF, Applicant

KEPT = re.compile(r'name="keep_(\d+)" value="([0-9a-f]{64})"')


def _post(citizen: Applicant, path: str, docs=(1, 4), **form):
    data = {"unit": "H26.70", **BIRTH_FORM, **form}
    for index in docs:
        data[f"doc_{index}"] = (io.BytesIO(PDF + str(index).encode()), f"giay-{index}.pdf")
    return citizen.post(path, data, content_type="multipart/form-data")


def _kept(html: str) -> dict[str, str]:
    return dict(KEPT.findall(html))


def test_a_mistake_keeps_the_accepted_files_and_the_next_try_needs_no_upload(app):
    citizen = Applicant(app)
    res = _post(citizen, f"/cong-dan/nop/{BIRTH}", child_full_name="")
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and set(_kept(page)) == {"1", "4"} and "không cần tải lên lại" in page
    data = {"unit": "H26.70", **BIRTH_FORM}
    for index, sha in _kept(page).items():
        data[f"keep_{index}"], data[f"keep_name_{index}"] = sha, f"giay-{index}.pdf"
    review = citizen.post(f"/cong-dan/nop/{BIRTH}", data, content_type="multipart/form-data")
    assert review.status_code == 200 and "giay-4.pdf" in review.get_data(as_text=True)


def test_a_file_hash_not_staged_for_the_account_is_not_accepted(app):
    owner, other = Applicant(app), Applicant(app, "khac@example.vn", "Lê Văn Bình")
    sha = _kept(_post(owner, f"/cong-dan/nop/{BIRTH}", child_full_name="").get_data(as_text=True))["1"]
    data = {"unit": "H26.70", **BIRTH_FORM, "keep_1": sha, "keep_name_1": "x.pdf"}
    res = other.post(f"/cong-dan/nop/{BIRTH}", data, content_type="multipart/form-data")
    assert res.status_code == 422 and "hết hạn" in res.get_data(as_text=True)


def test_edit_after_review_brings_back_the_values_and_the_files(app):
    citizen = Applicant(app)
    assert _post(citizen, f"/cong-dan/nop/{BIRTH}").status_code == 200
    page = citizen.get(f"/cong-dan/nop/{BIRTH}?sua=1").get_data(as_text=True)
    assert 'value="Phạm Minh An"' in page and set(_kept(page)) == {"1", "4"}
    assert 'value="H26.70" selected' in page


def test_a_saved_draft_is_listed_resumed_and_deleted_by_sending(app, session):
    from engine.models import OnlineDraft

    citizen = Applicant(app)
    res = _post(citizen, f"/cong-dan/nop/{BIRTH}/nhap", docs=(1,), child_full_name="Phạm Minh", mother_full_name="")
    assert res.status_code == 302 and res.headers["Location"].endswith("/cong-dan/ho-so")
    mine = citizen.get("/cong-dan/ho-so").get_data(as_text=True)
    assert "Bản nháp" in mine and f'data-draft="{BIRTH}"' in mine and "Đăng ký khai sinh" in mine
    form = citizen.get(f"/cong-dan/nop/{BIRTH}").get_data(as_text=True)
    assert 'value="Phạm Minh"' in form and "Đang tiếp tục bản nháp" in form and set(_kept(form)) == {"1"}
    data = {"unit": "H26.70", **BIRTH_FORM, "keep_1": _kept(form)["1"], "keep_name_1": "giay-1.pdf"}
    assert citizen.post(f"/cong-dan/nop/{BIRTH}", data, content_type="multipart/form-data").status_code == 200
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(OnlineDraft)) == 0
    assert 'id="drafts"' not in citizen.get("/cong-dan/ho-so").get_data(as_text=True)


def test_saving_again_replaces_the_draft_and_discarding_frees_the_quota(app, session):
    from engine.models import OnlineDraft, StagedUpload

    citizen = Applicant(app)
    _post(citizen, f"/cong-dan/nop/{BIRTH}/nhap", docs=(1,))
    _post(citizen, f"/cong-dan/nop/{BIRTH}/nhap", docs=(1, 4))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(OnlineDraft)) == 1
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/nhap/xoa").status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(OnlineDraft)) == 0
    assert session.scalar(select(func.count()).select_from(StagedUpload)) == 0
    assert 'id="drafts"' not in citizen.get("/cong-dan/ho-so").get_data(as_text=True)


def test_an_abandoned_draft_expires_with_its_files(app, session, clock):
    from engine.dossier import blob_gc
    from engine.models import OnlineDraft

    citizen = Applicant(app)
    _post(citizen, f"/cong-dan/nop/{BIRTH}/nhap")
    clock.advance(hours=25)
    assert 'id="drafts"' not in citizen.get("/cong-dan/ho-so").get_data(as_text=True)
    assert "Đang tiếp tục bản nháp" not in citizen.get(f"/cong-dan/nop/{BIRTH}").get_data(as_text=True)
    blob_gc.collect(session, app.config["STORAGE_DIR"], clock.now)
    assert session.scalar(select(func.count()).select_from(OnlineDraft)) == 0


def test_sending_without_the_consent_tick_is_refused_and_the_tick_is_recorded(app, session):
    from engine.models import Dossier, Event

    citizen = Applicant(app)
    assert _post(citizen, f"/cong-dan/nop/{BIRTH}").status_code == 200
    refused = citizen.post(f"/cong-dan/nop/{BIRTH}/gui", {"consent": ""})
    assert refused.status_code == 422 and "Cần sự đồng ý" in refused.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Dossier)) == 0
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302
    event = session.scalar(select(Event).where(Event.kind == "dossier.submitted"))
    assert event.payload["consent_version"] and event.payload["consent_at"]


def test_the_online_form_stands_for_the_declaration_the_procedure_names(app, session):
    from engine.models import Dossier

    citizen = Applicant(app)
    form = citizen.get(f"/cong-dan/nop/{BIRTH}").get_data(as_text=True)
    assert 'name="doc_0"' not in form and 'data-declared="doc_0"' in form and 'name="doc_1"' in form
    assert _post(citizen, f"/cong-dan/nop/{BIRTH}", docs=(1,)).status_code == 200  # no tờ khai upload asked
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302
    dossier = session.scalar(select(Dossier))
    assert dossier.checklist[0]["received"] and dossier.checklist[1]["received"]


def test_the_procedure_page_has_steps_legal_basis_where_to_submit_and_the_blank_form(app, client):
    page = client.get(f"/thu-tuc/{BIRTH}").get_data(as_text=True)
    for part in ('data-field="steps"', "Sổ đăng ký khai sinh", 'data-field="legal_basis"', "Luật Hộ tịch 2014",
                 'data-field="where"', "Phường Hoàn Kiếm", "Mức độ trực tuyến", "Thời hạn giải quyết", "Phí, lệ phí"):
        assert part in page, part
    link = re.search(r'href="([^"]+/mau/[^"]+)"', page).group(1)
    res = client.get(link)
    assert res.status_code == 200 and res.mimetype == "application/pdf" and res.data.startswith(b"%PDF")
    assert "attachment" in res.headers["Content-Disposition"]
    assert client.get(f"/thu-tuc/{BIRTH}/mau/process.bpmn").status_code == 404  # only the items' templates


def test_the_citizens_own_data_includes_their_drafts(app):
    import json
    import zipfile

    citizen = Applicant(app)
    _post(citizen, f"/cong-dan/nop/{BIRTH}/nhap", docs=(1,), child_full_name="Phạm Minh Bé")
    archive = zipfile.ZipFile(io.BytesIO(citizen.get("/cong-dan/du-lieu-cua-toi").data))
    drafts = json.loads(archive.read("du-lieu.json"))["ban_nhap"]
    assert drafts[0]["procedure"] == "Đăng ký khai sinh" and drafts[0]["declaration"]["child_full_name"] == "Phạm Minh Bé"
    assert drafts[0]["files"] == ["giay-1.pdf"]


def test_the_review_is_a_page_of_its_own_that_a_reload_or_the_back_button_shows_again(app):
    citizen = Applicant(app)
    sent = citizen.client.post(f"/cong-dan/nop/{BIRTH}", data={"csrf_token": citizen.token, "unit": "H26.70",
                                                              **BIRTH_FORM, "doc_1": (io.BytesIO(PDF), "a.pdf"),
                                                              "doc_4": (io.BytesIO(PDF), "b.pdf")},
                               content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/cong-dan/nop/{BIRTH}/xem-lai")
    for _ in range(2):  # shown again, nothing sent again
        again = citizen.get(f"/cong-dan/nop/{BIRTH}/xem-lai")
        assert again.status_code == 200 and "Gửi hồ sơ" in again.get_data(as_text=True)
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302
    gone = citizen.get(f"/cong-dan/nop/{BIRTH}/xem-lai")  # once sent, the review leads back to a fresh form
    assert gone.status_code == 302 and gone.headers["Location"].endswith(f"/cong-dan/nop/{BIRTH}")
