"""Counter dossiers in "Hồ sơ của tôi": a dossier the desk received joins the citizen's account when the
account's ID number is VNeID-verified, or when ID number and email both agree; the parent then downloads
the signed result of a birth registration received at the counter."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from engine.calendar.working import TZ
from engine.integrations.pades import load_roots, verify_pdf
from engine.models import ApplicantAccount, ApplicantDossier, Dossier, Event
from engine.org.passwords import hash_password
from tests.applicant_helpers import BIRTH_FORM, Applicant
from tests.issuance import sign_results
from tests.procedures.drive import APPLICANT
from tests.web.test_api import complete, create, my_task
from tests.web.test_labels import visible_text

APPROVE = {"approval_decision": "approve", "approval_note": "Đồng ý cấp Giấy khai sinh"}


def at_counter(api, **applicant) -> str:
    res = create(api, applicant=APPLICANT | applicant, data=BIRTH_FORM)
    assert res.status_code == 201, res.json
    return res.json["code"]


def vneid_account(app, id_number: str = APPLICANT["id_number"], email: str = "vneid@example.vn") -> None:
    """An account whose identity VNeID verified (provider "vneid"); a password here only to log the test in."""
    with app.extensions["motcua"]["sessions"]() as s:
        s.add(ApplicantAccount(email=email, full_name=APPLICANT["name"], id_number=id_number, provider="vneid",
                               password_hash=hash_password("matkhau123"), created_at=datetime(2026, 3, 1, tzinfo=TZ),
                               consent_at=datetime(2026, 3, 1, tzinfo=TZ), consent_version="2026-12-v1"))  # given at sign-in
        s.commit()


def vneid_login(app, email: str = "vneid@example.vn") -> Applicant:
    citizen = Applicant(app, email, register=False)
    res = citizen.post("/cong-dan/dang-nhap", {"email": email, "password": "matkhau123"})
    assert res.status_code == 302, res.get_data(as_text=True)
    return citizen


def linked_to(app, code) -> int | None:
    with app.extensions["motcua"]["sessions"]() as s:
        return s.scalar(select(ApplicantDossier.account_id).join(Dossier, Dossier.id == ApplicantDossier.dossier_id)
                        .where(Dossier.code == code))


def test_same_id_and_email_brings_the_counter_dossier_and_its_signed_result_to_the_parent(app, api, browser,
                                                                                          signing_keys):
    code = at_counter(api, email="an@example.vn")
    assert complete(api, "desk1", code, "receive").status_code == 200
    assert complete(api, "specialist1", code, "propose_approve").status_code == 200
    assert api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1",
                    {"data": APPROVE}).status_code == 200
    assert sign_results(app) == 1  # the scheduler signs it seconds after the approval

    parent = Applicant(app, "An@Example.vn ")  # the same email, typed differently; the same ID number
    assert code in parent.get("/cong-dan/ho-so").get_data(as_text=True)
    page = parent.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    link = re.search(r'href="(/cong-dan/ho-so/[^"]+/ket-qua/\d+)"', page).group(1)
    check = verify_pdf(parent.get(link).data, load_roots([signing_keys.ca_pem]))
    assert check.valid and check.signer == "Ủy ban nhân dân phường Hoàn Kiếm"
    with app.extensions["motcua"]["sessions"]() as s:
        [event] = s.scalars(select(Event).where(Event.kind == "dossier.linked_to_account")).all()
        assert event.payload["by"] == "email"
    history = visible_text(browser("desk1").get(f"/dossiers/{code}").get_data(as_text=True))
    assert "Hồ sơ nộp tại quầy hiện trong tài khoản" in history


def test_the_same_id_number_with_another_email_is_not_enough_for_a_local_account(app, api):
    code = at_counter(api, email="someone-else@example.vn")
    other = at_counter(api, email="")
    citizen = Applicant(app)  # an@example.vn, ID 001088011223 as typed by its owner
    assert code not in citizen.get("/cong-dan/ho-so").get_data(as_text=True)
    assert citizen.get(f"/cong-dan/ho-so/{code}").status_code == 404
    assert citizen.get(f"/cong-dan/ho-so/{other}").status_code == 404
    assert linked_to(app, code) is None and linked_to(app, other) is None


def test_a_vneid_verified_id_number_brings_every_counter_dossier_of_that_number(app, api):
    code = at_counter(api, email="")
    stranger = at_counter(api, id_number="001099000111")
    vneid_account(app)
    citizen = vneid_login(app)
    assert citizen.get(f"/cong-dan/ho-so/{code}").status_code == 200  # straight to the page, before the list
    listing = citizen.get("/cong-dan/ho-so").get_data(as_text=True)
    assert code in listing and stranger not in listing
    assert citizen.get(f"/cong-dan/ho-so/{stranger}").status_code == 404


def test_an_online_dossier_stays_with_the_account_that_sent_it(app, api):
    sender = Applicant(app, "sender@example.vn")
    code = sender.submit_birth()
    first = linked_to(app, code)
    vneid_account(app)  # the same ID number, verified, on another account
    other = vneid_login(app)
    assert code not in other.get("/cong-dan/ho-so").get_data(as_text=True)
    assert linked_to(app, code) == first


def test_the_store_page_lists_the_signed_result_and_accepted_scans_and_not_another_citizens(app, api, browser):
    code = at_counter(api, email="an@example.vn")
    assert complete(api, "desk1", code, "receive").status_code == 200
    assert complete(api, "specialist1", code, "propose_approve").status_code == 200
    assert api.post(f"/tasks/{my_task(api, 'leader1', code)['id']}/complete", "leader1",
                    {"data": APPROVE}).status_code == 200
    sign_results(app)
    stranger = at_counter(api, id_number="001099000111", email="an@example.vn")
    complete(api, "desk1", stranger, "receive")
    parent = Applicant(app)
    page = parent.get("/cong-dan/kho-giay-to").get_data(as_text=True)
    assert "Kho giấy tờ của tôi" in page and "Giấy khai sinh" in page and 'data-field="signed"' in page
    assert code in page and stranger not in page
    link = re.search(r'href="(/api/v1/documents/\d+)"', page).group(1)
    assert parent.get(link).data.startswith(b"%PDF")
    empty = Applicant(app, "other@example.vn").get("/cong-dan/kho-giay-to").get_data(as_text=True)
    assert "Kho chưa có giấy tờ nào." in empty
