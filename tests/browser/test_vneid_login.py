"""On a phone (390 px): a citizen signs in with VNeID (the local OIDC simulator, over real HTTP) and lands
on "Hồ sơ của tôi" once they consent to the processing of their data; then refuses at VNeID and is told so."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.models import ApplicantAccount
from tests.browser.test_phone import WIDER_THAN_THE_SCREEN, phone_page


def test_a_citizen_on_a_phone_signs_in_with_vneid(chromium, live_server, screenshot, app, session):
    # the relying party talks to the simulator on the live server, as `make run` does
    app.config.update(VNEID_ISSUER=f"{live_server}/simulators/vneid", VNEID_TRANSPORT=None)
    page = phone_page(chromium)
    page.goto(f"{live_server}/cong-dan/dang-nhap")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "vneid-01-login-page")
    page.click("#vneid-login")
    page.wait_for_url(f"{live_server}/simulators/vneid/authorize*")
    page.fill("#sim-name", "Hoàng Thị Mai")
    page.fill("#sim-cid", "001195004321")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "vneid-02-simulator")
    page.click("button[value=allow]")
    page.wait_for_url(f"{live_server}/cong-dan/dong-y**")  # first sign-in: consent to the processing (Decree 13/2023)
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "vneid-03a-consent")
    page.check("#consent")
    page.click("button:has-text('Xác nhận và tiếp tục')")
    page.wait_for_url(f"{live_server}/cong-dan/ho-so")
    assert "Hoàng Thị Mai" in page.inner_text("body")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "vneid-03-signed-in")
    assert session.scalar(select(ApplicantAccount.id_number).where(ApplicantAccount.provider == "vneid")) \
        == "001195004321"

    other = phone_page(chromium)
    other.goto(f"{live_server}/cong-dan/dang-nhap")
    other.click("#vneid-login")
    other.wait_for_url(f"{live_server}/simulators/vneid/authorize*")
    other.click("button[value=deny]")
    other.wait_for_selector("text=Ông/Bà đã không đồng ý đăng nhập bằng VNeID.")
    screenshot(other, "vneid-04-refused")
    assert session.scalar(select(func.count(ApplicantAccount.id))) == 1
