"""Browser tests: Playwright's Python package driving Debian's Chromium against a live server."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but MOTCUA_REQUIRE_BROWSER=1 (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot as a test artefact: screenshot(page, "name")."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    backend = request.node.callspec.params.get("db_url", "db") if hasattr(request.node, "callspec") else "db"

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{backend}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take
