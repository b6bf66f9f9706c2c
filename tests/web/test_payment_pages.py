"""Paying a fee: the applicant online through the (simulated) gateway and back, the gateway's callback
endpoint, and the one-stop officer's cash receipt on the dossier page."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from engine.dossier import payments
from engine.integrations.http import IntegrationError
from engine.integrations.payment_gateway import HttpPaymentGateway, PaymentOrder, sign
from engine.models import ApplicantAccount, ApplicantDossier, Dossier, Event, Payment
from tests.applicant_helpers import Applicant
from tests.procedures.drive import new_dossier, step

SECRET = "web-test-secret"


def db(app):
    return app.extensions["motcua"]["sessions"]()


@pytest.fixture
def gateway(app, live_server):
    """The app's gateway pointed at its own simulator, served on a real port so the callback can arrive."""
    app.config.update(PAYMENT_GATEWAY_URL=f"{live_server}/simulators/payment", PUBLIC_URL=live_server,
                      PAYMENT_GATEWAY_SECRET=SECRET)
    return app.extensions.setdefault("simulators", {})


def permit_owned_by(app, clock, applicant: Applicant) -> str:
    """A building permit of the applicant's account, waiting for its 75.000 đ fee."""
    with db(app) as session:
        dossier = new_dossier(session, clock, "permit")
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == applicant.email))
        session.add(ApplicantDossier(dossier_id=dossier.id, account_id=account.id))
        step(session, clock, dossier, "Task_Intake", "receive")
        step(session, clock, dossier, "Task_Appraise", "propose_approve")
        return dossier.code


def state_of(app, code: str) -> tuple[str, list[str]]:
    with db(app) as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        return dossier.status, list(session.scalars(select(Payment.status).where(Payment.dossier_id == dossier.id)))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_adapter_registers_an_order_and_gets_the_simulators_payment_page(app, client, gateway, live_server):
    adapter = HttpPaymentGateway(f"{live_server}/simulators/payment")
    order = PaymentOrder("MC41", 75000, "Lệ phí cấp giấy phép xây dựng", f"{live_server}/back", f"{live_server}/cb")
    url = adapter.create_payment_url(order)
    assert url.startswith(live_server) and adapter.create_payment_url(order) == url
    page = client.get(path_of(url)).get_data(as_text=True)
    assert "75.000 đ" in page and "MC41" in page and "Thanh toán" in page and "simulator" in page
    client.post("/simulators/payment/mode", json={"mode": "error"})
    with pytest.raises(IntegrationError):
        adapter.create_payment_url(order)
    app.config["PAYMENT_GATEWAY_KEY"] = "right-key"
    client.post("/simulators/payment/mode", json={"mode": "ok"})
    with pytest.raises(IntegrationError):
        HttpPaymentGateway(f"{live_server}/simulators/payment", "wrong-key").create_payment_url(order)


def test_an_applicant_pays_online_and_comes_back_to_the_result(app, clock, gateway):
    applicant = Applicant(app)
    code = permit_owned_by(app, clock, applicant)
    page = applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    assert "Chờ nộp phí" in page and "75.000 đ" in page and "Nộp phí trực tuyến" in page
    res = applicant.post(f"/cong-dan/ho-so/{code}/nop-phi")
    assert res.status_code == 303 and "/simulators/payment/thanh-toan/MC" in res.headers["Location"]
    pay_page = applicant.get(path_of(res.headers["Location"])).get_data(as_text=True)
    assert "75.000 đ" in pay_page
    back = applicant.client.post(path_of(res.headers["Location"]), data={"outcome": "paid"})
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/cong-dan/ho-so/{code}/ket-qua-thanh-toan")
    assert gateway["payment"].callbacks[-1]["answer"]["status"] == 200
    result = applicant.get(path_of(back.headers["Location"])).get_data(as_text=True)
    assert 'data-result="paid"' in result and "Ông/Bà đã nộp 75.000 đ" in result
    assert state_of(app, code) == ("in_progress", ["paid"])
    assert "Nộp phí trực tuyến" not in applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)


def test_a_cancelled_payment_at_the_gateway_leaves_the_fee_to_pay(app, clock, gateway):
    applicant = Applicant(app)
    code = permit_owned_by(app, clock, applicant)
    location = applicant.post(f"/cong-dan/ho-so/{code}/nop-phi").headers["Location"]
    back = applicant.client.post(path_of(location), data={"outcome": "failed"})
    assert 'data-result="failed"' in applicant.get(path_of(back.headers["Location"])).get_data(as_text=True)
    assert state_of(app, code) == ("payment_requested", ["failed"])
    assert "Nộp phí trực tuyến" in applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)


def test_when_the_gateway_is_down_the_applicant_is_told_and_nothing_is_settled(app, client, clock, gateway):
    applicant = Applicant(app)
    code = permit_owned_by(app, clock, applicant)
    client.post("/simulators/payment/mode", json={"mode": "error"})
    res = applicant.post(f"/cong-dan/ho-so/{code}/nop-phi")
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/cong-dan/ho-so/{code}")
    page = applicant.get(res.headers["Location"]).get_data(as_text=True)
    assert "Cổng thanh toán tạm thời không phản hồi" in page and "Bộ phận Một cửa" in page
    assert state_of(app, code) == ("payment_requested", ["requested"])
    with db(app) as session:
        kinds = session.scalars(select(Event.kind).where(Event.kind.like("payment.%"))).all()
    assert kinds == ["payment.gateway_unavailable"]


def signed_post(client, body: bytes, secret: str = SECRET):
    return client.post("/thanh-toan/callback", data=body, content_type="application/json",
                       headers={"X-Signature": sign(secret, body)})


def test_the_callback_endpoint_answers_each_case_with_its_status(app, client, clock, gateway, browser):
    applicant = Applicant(app)
    code = permit_owned_by(app, clock, applicant)
    with db(app) as session:
        payment = session.scalar(select(Payment))
        order = payments.order_id(payment)
    good = json.dumps({"order_id": order, "transaction_id": "GW-77", "amount": 75000, "status": "paid"}).encode()
    wrong = json.dumps({"order_id": order, "transaction_id": "GW-78", "amount": 70000, "status": "paid"}).encode()
    assert signed_post(client, b"{not json").status_code == 400
    forged = signed_post(client, good, secret="guessed")
    assert forged.status_code == 403 and forged.json["error"]["code"] == "bad_signature"
    assert signed_post(client, wrong).status_code == 409
    assert state_of(app, code) == ("payment_requested", ["requested"])
    first, replay = signed_post(client, good), signed_post(client, good)
    assert (first.status_code, first.json["status"]) == (200, "paid")
    assert (replay.status_code, replay.json["status"]) == (200, "already_recorded")
    assert state_of(app, code) == ("in_progress", ["paid"])
    audit = browser("admin1").get("/admin/audit?kind=payment.callback_rejected").get_data(as_text=True)
    assert 'data-event="payment.callback_rejected"' in audit and code in audit


def test_the_desk_records_a_cash_payment_and_sees_it_on_the_dossier_page(app, clock, browser):
    with db(app) as session:
        dossier = new_dossier(session, clock, "permit")
        step(session, clock, dossier, "Task_Intake", "receive")
        step(session, clock, dossier, "Task_Appraise", "propose_approve")
        code = dossier.code
    specialist = browser("specialist1")
    refused = specialist.post(f"/dossiers/{code}/payments/desk", {"receipt_number": "BL-1"})
    assert refused.status_code == 303 and state_of(app, code) == ("payment_requested", ["requested"])
    desk = browser("desk1")
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert 'data-status="requested"' in page and "Ghi nhận nộp tiền mặt tại quầy" in page
    step_page = re.search(r'href="(/tasks/\d+)"', page).group(1)  # the same fee as a step of the desk's worklist
    assert "Chờ nộp lệ phí" in desk.get(step_page).get_data(as_text=True)
    assert "Chờ nộp lệ phí" in desk.get("/worklist").get_data(as_text=True)
    empty = desk.post(f"/dossiers/{code}/payments/desk", {"receipt_number": ""})
    assert "Cần số biên lai" in desk.get(empty.headers["Location"]).get_data(as_text=True)
    res = desk.post(f"/dossiers/{code}/payments/desk", {"receipt_number": "BL-2026-0099"})
    page = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert 'data-status="paid"' in page and "BL-2026-0099" in page and "tại quầy" in page
    assert "Ghi nhận nộp tiền mặt tại quầy" not in page
    assert state_of(app, code) == ("in_progress", ["paid"])
