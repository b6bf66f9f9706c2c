"""Liên thông online: a citizen submits LT.01 / LT.02 once on the portal; the group and its members are theirs."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from engine.dossier.documents import documents_of
from engine.models import ApplicantDossier, DossierGroup, Event
from tests.applicant_helpers import BIRTH_FORM, PDF, Applicant
from tests.procedures.drive import step

GROUP_CODE = re.compile(r"LT-H26\.\d+-\d{6}-\d{4}")


def submit_group(applicant: Applicant, code: str, form: dict, docs=(0, 1)) -> str:
    data = {"unit": "H26.70", **form}
    for index in docs:
        data[f"doc_{index}"] = (io.BytesIO(PDF), f"giay-{index}.pdf")
    res = applicant.post(f"/cong-dan/nop-lien-thong/{code}", data, content_type="multipart/form-data")
    assert res.status_code == 200, res.get_data(as_text=True)
    page = res.get_data(as_text=True)
    assert "Xem lại hồ sơ liên thông" in page and "Gửi hồ sơ liên thông" in page
    refused = applicant.post(f"/cong-dan/nop-lien-thong/{code}/gui")  # no consent ticked: nothing is opened
    assert refused.status_code == 422 and "Cần sự đồng ý của Ông/Bà để gửi hồ sơ" in refused.get_data(as_text=True)
    res = applicant.post(f"/cong-dan/nop-lien-thong/{code}/gui", {"consent": "yes"})
    assert res.status_code == 302, res.get_data(as_text=True)
    return GROUP_CODE.search(res.headers["Location"]).group(0)


def test_the_portal_offers_the_group_online_and_the_old_address_leads_there(app, client):
    page = client.get("/thu-tuc/LT.01").get_data(as_text=True)
    assert "/cong-dan/nop-lien-thong/LT.01" in page
    applicant = Applicant(app)
    assert applicant.get("/cong-dan/nop/LT.01").headers["Location"].endswith("/cong-dan/nop-lien-thong/LT.01")
    form = applicant.get("/cong-dan/nop-lien-thong/LT.01").get_data(as_text=True)
    assert 'name="child_full_name"' in form and "Giấy chứng sinh" in form
    assert "Công an cấp xã" in form and "Bảo hiểm xã hội" in form


def test_a_citizen_submits_lt01_once_and_sees_every_member_with_agency_status_and_due_time(app, sessions, clock):
    applicant = Applicant(app)
    code = submit_group(applicant, "LT.01", BIRTH_FORM)
    page = applicant.get(f"/cong-dan/lien-thong/{code}").get_data(as_text=True)
    assert code in page and 'data-member="1.001193"' in page and "chờ kết quả của bước trước" in page
    with sessions() as session:
        group = session.scalar(select(DossierGroup).where(DossierGroup.code == code))
        birth = group.members[0]
        assert birth.channel == "online" and birth.status == "submitted"
        assert len(documents_of(session, birth)) == 2  # the uploads are the birth registration's
        assert birth.data["child_full_name"] == "Phạm Minh An"
        submitted = session.scalar(select(Event).where(Event.kind == "group.submitted")
                                   .order_by(Event.id.desc()))
        assert submitted.payload["group"] == code and submitted.payload["consent_version"]  # Decree 13/2023
        for element, key in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                             ("Task_Approve", "approve"), ("Task_Return", "return")):
            step(session, clock, birth, element, key)
        session.refresh(group)
        codes = {m.version.procedure.code: m.code for m in group.members}
        owned = set(session.scalars(select(ApplicantDossier.dossier_id).where(
            ApplicantDossier.dossier_id.in_([m.id for m in group.members]))))
        assert len(owned) == 3  # the members the group opened later are the citizen's too
    mine = applicant.get("/cong-dan/ho-so").get_data(as_text=True)
    assert f'data-my-group="{code}"' in mine
    for procedure, agency in (("CA.01", "Công an"), ("BHXH.01", "Bảo hiểm xã hội thành phố Hà Nội")):
        row = mine.split(f'data-member="{procedure}"')[1].split("</tr>")[0]
        assert codes[procedure] in row and agency in row and "Đã tiếp nhận" in row
        assert re.search(r'data-field="due">[^<]*\d{2}/\d{2}/\d{4}', row), row
    public = app.test_client().get(f"/tra-cuu/{code}").get_data(as_text=True)
    row = public.split('data-member="BHXH.01"')[1].split("</tr>")[0]
    assert "Bảo hiểm xã hội thành phố Hà Nội" in row and re.search(r'data-field="due">[^<]*\d{2}/\d{2}/\d{4}', row)
    assert "Phạm Minh Đức" not in public


def test_a_citizen_submits_lt02_and_a_missing_declaration_comes_back_on_the_form(app):
    applicant = Applicant(app)
    res = applicant.post("/cong-dan/nop-lien-thong/LT.02", {"unit": ""}, content_type="multipart/form-data")
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "Chọn phường, xã" in page and "Cần tải lên giấy tờ này" in page
    code = submit_group(applicant, "LT.02", {"deceased_name": "Phạm Văn Bình", "death_date": "2026-02-10",
                                             "relationship": "con"}, docs=(0,))
    assert f'data-my-group="{code}"' in applicant.get("/cong-dan/ho-so").get_data(as_text=True)
    assert Applicant(app, "khac@example.vn").get(f"/cong-dan/lien-thong/{code}").status_code == 404


def test_the_e_declaration_stands_for_the_paper_declaration_of_lt01(app, sessions):
    applicant = Applicant(app)
    form = applicant.get("/cong-dan/nop-lien-thong/LT.01").get_data(as_text=True)
    assert 'data-declared="doc_0"' in form and 'name="doc_0"' not in form
    code = submit_group(applicant, "LT.01", BIRTH_FORM, docs=(1,))  # the birth certificate only: accepted
    with sessions() as session:
        birth = session.scalar(select(DossierGroup).where(DossierGroup.code == code)).members[0]
        assert birth.checklist[0]["received"] and len(documents_of(session, birth)) == 1
