"""The Content-Security-Policy in Chromium: the main pages of every actor work under it without one violation,
and an injected inline script is refused (so the check below could see a violation if there were one)."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from engine.models import Dossier, HumanTask
from tests.applicant_helpers import PDF, Applicant
from tests.browser.test_dossier_walk import log_in
from tests.conftest import Browser
from tests.procedures.drive import step
from tests.web.test_desk_pages import code_from, receive

# Runs in every frame before the page's own scripts; Playwright's init scripts are not subject to the CSP.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched:
    """A logged-in page whose CSP violations (events and console messages) are collected page by page."""

    def __init__(self, page) -> None:
        self.page, self.violations = page, []
        page.context.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str, ready: str | None = None, ready_js: str | None = None) -> None:
        self.page.goto(url)
        if ready:
            self.page.wait_for_selector(ready, timeout=20000)
        if ready_js:
            self.page.wait_for_function(ready_js, timeout=20000)
        self.collect()

    def collect(self) -> None:
        self.page.wait_for_load_state("networkidle")
        for violation in self.page.evaluate("window.__csp || []"):
            self.violations.append(f"{self.page.url}: {violation}")


def watched(chromium, base: str, username: str) -> Watched:
    page = log_in(chromium, base, username)
    return Watched(page)


def dossier_at_approval(app, clock) -> str:
    """A birth registration received at the counter with a scanned PDF, appraised, waiting for the leader."""
    desk = Browser(app, "desk1")
    code = code_from(receive(desk, files=[(io.BytesIO(PDF), "giay-chung-sinh.pdf")]))
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        step(session, clock, dossier, "Task_Appraise", "propose_approve")
    return code


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the policy does not depend on the database
def test_the_main_pages_run_under_the_content_security_policy(chromium, live_server, app, clock, screenshot):
    base = live_server
    code = dossier_at_approval(app, clock)
    with app.extensions["motcua"]["sessions"]() as session:
        task_id = session.scalar(select(HumanTask.id).join(Dossier, HumanTask.dossier_id == Dossier.id)
                                 .where(Dossier.code == code, HumanTask.state == "ready"))
    Applicant(app, email="csp@example.vn")
    pages = []

    anonymous = Watched(chromium.new_context(locale="vi-VN").new_page())
    pages.append(anonymous)
    anonymous.visit(f"{base}/login", "#username")
    anonymous.visit(f"{base}/", "main")
    anonymous.visit(f"{base}/thu-tuc", "main")
    anonymous.visit(f"{base}/tra-cuu?code={code}", "main")

    leader = watched(chromium, base, "leader1")
    pages.append(leader)
    leader.visit(f"{base}/worklist", "#worklist")
    leader.page.fill("#q", code)  # htmx filters the worklist as the official types
    leader.page.wait_for_selector(f"#worklist tr:has-text('{code}')")
    leader.page.wait_for_url(lambda url: "q=" in url)  # the address keeps the search, and only what is in use
    assert "procedure=" not in leader.page.url and "status=" not in leader.page.url, leader.page.url
    leader.collect()
    leader.visit(f"{base}/tasks/{task_id}", "form[data-visibility-url][data-visibility-ready='1']")
    leader.page.check("input[name=approval_decision][value=refuse]")
    leader.page.wait_for_selector("textarea[name=refuse_reason]", state="visible")  # motcua.js asks the server
    leader.collect()
    leader.visit(f"{base}/dossiers/{code}", "[data-bpmn-viewer] .djs-container svg")
    leader.page.wait_for_selector("iframe.viewer")
    screenshot(leader.page, "csp-dossier-page")
    leader.collect()

    desk = watched(chromium, base, "desk1")
    pages.append(desk)
    desk.visit(f"{base}/dossiers/{code}/forms/01", "[data-field=qr]")
    assert desk.page.evaluate("document.fonts.check('12pt \"Noto Serif\"')")
    desk.page.evaluate("window.print = () => { window.__printed = true; }")
    desk.page.click("button[data-print]")  # print.js, not an inline handler
    assert desk.page.evaluate("window.__printed === true")
    desk.visit(f"{base}/desk/new/1.001193", "input[name=scans]")

    analyst = watched(chromium, base, "analyst1")
    pages.append(analyst)
    analyst.visit(f"{base}/studio/1.001193", "[data-studio][data-ready='1']")
    analyst.page.click("[data-element-id=Task_Appraise]")  # the properties panel renders the element
    analyst.page.wait_for_selector("#studio-properties .bio-properties-panel-header-label")
    analyst.page.click("#tab-forms")
    analyst.page.wait_for_selector("#studio-form-editor .fjs-form-field")
    screenshot(analyst.page, "csp-studio")
    analyst.collect()

    supervisor = watched(chromium, base, "supervisor1")
    pages.append(supervisor)
    supervisor.visit(f"{base}/supervision", "#chart-lateness",
                     "() => window.Chart && Chart.getChart('chart-lateness') && Chart.getChart('chart-procedures')")

    admin = watched(chromium, base, "admin1")
    pages.append(admin)
    admin.visit(f"{base}/admin/audit", "#audit")
    admin.visit(f"{base}/admin/units", "main")

    citizen = Watched(chromium.new_context(locale="vi-VN").new_page())
    pages.append(citizen)
    citizen.visit(f"{base}/cong-dan/dang-nhap", "#email")
    citizen.page.fill("#email", "csp@example.vn")
    citizen.page.fill("#password", "matkhau123")
    citizen.page.click("button[type=submit]")
    citizen.page.wait_for_url(f"{base}/cong-dan/ho-so")
    citizen.collect()
    citizen.visit(f"{base}/cong-dan/nop/1.001193", "#unit")

    violations = [v for watcher in pages for v in watcher.violations]
    assert violations == []

    # The check can fail: an inline script injected into a page is refused and reported.
    citizen.page.evaluate("""() => { const s = document.createElement("script");
                                      s.textContent = "window.__ran = true"; document.head.appendChild(s); }""")
    citizen.page.wait_for_function("window.__csp.length > 0")
    assert citizen.page.evaluate("window.__ran") is None
    assert "script-src" in citizen.page.evaluate("window.__csp[0]")
    for watcher in pages:
        watcher.page.context.close()
