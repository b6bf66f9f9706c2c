"""A citizen pays a building permit's fee online: our page, the (simulated) gateway's page, and back."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import ApplicantAccount, ApplicantDossier, Payment
from tests.procedures.drive import new_dossier, step


def test_a_citizen_pays_the_fee_through_the_gateway_and_sees_it_paid(app, chromium, live_server, clock, screenshot):
    app.config.update(PAYMENT_GATEWAY_URL=f"{live_server}/simulators/payment", PUBLIC_URL=live_server)
    citizen = chromium.new_context(locale="vi-VN").new_page()
    citizen.goto(f"{live_server}/cong-dan/dang-ky")
    citizen.fill("#full_name", "Phạm Minh Đức")
    citizen.fill("#email", "phi@example.vn")
    citizen.fill("#password", "matkhau123")
    citizen.check("#consent")
    citizen.click("button[type=submit]:has-text('Đăng ký')")
    citizen.wait_for_url(f"{live_server}/cong-dan/ho-so")
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = new_dossier(session, clock, "permit")
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "phi@example.vn"))
        session.add(ApplicantDossier(dossier_id=dossier.id, account_id=account.id))
        step(session, clock, dossier, "Task_Intake", "receive")
        step(session, clock, dossier, "Task_Appraise", "propose_approve")
        code, dossier_id = dossier.code, dossier.id
    citizen.goto(f"{live_server}/cong-dan/ho-so/{code}")
    screenshot(citizen, "payment-01-awaited")
    citizen.click("button:has-text('Nộp phí trực tuyến')")
    citizen.wait_for_selector("[data-field=amount]")
    assert citizen.inner_text("[data-field=amount]") == "75.000 đ"
    screenshot(citizen, "payment-02-gateway")
    citizen.click("button:has-text('Thanh toán')")
    citizen.wait_for_selector("[data-result=paid]")
    screenshot(citizen, "payment-03-paid")
    assert "75.000 đ" in citizen.inner_text("[data-result=paid]")
    with app.extensions["motcua"]["sessions"]() as session:
        assert session.scalar(select(Payment.status).where(Payment.dossier_id == dossier_id)) == "paid"
