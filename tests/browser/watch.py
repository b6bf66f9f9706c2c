"""What a browser test fails on besides its own assertions: any 5xx answer and any console error."""
from __future__ import annotations

import re

# A form sent back with its errors (422) or refused as already done (409) is the page working as meant;
# Chromium still logs the document's status as a console error.
EXPECTED = re.compile(r"^Failed to load resource: the server responded with a status of (422|409) ")


SKIP_LINKS = re.compile(r"/logout|[?&]lang=|\.(pdf|xlsx)(\?|$)|/simulators/")  # no action, no slow PDF renders


class Watch:
    """Collects the server errors and console errors (CSP violations included) a page meets, and the links
    a page shows its viewer that lead to a refusal (403) or a server error."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.followed: set[tuple[int, str]] = set()

    def links(self, page) -> int:
        """Follow every same-site link of `page` as its viewer (once per viewer and address); how many were new."""
        origin = page.url.split("/", 3)[:3]
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        fresh = [h.split("#")[0] for h in hrefs if h.split("/", 3)[:3] == origin and not SKIP_LINKS.search(h)]
        fresh = [h for h in dict.fromkeys(fresh) if (id(page.context), h) not in self.followed]
        for href in fresh:
            self.followed.add((id(page.context), href))
            status = page.request.get(href).status
            if status == 403 or status >= 500:
                self.problems.append(f"link to {status}: {href} (shown on {page.url})")
        return len(fresh)

    def attach(self, page):
        """Watch `page`; returns it."""
        page.on("response", lambda r: r.status >= 500 and self.problems.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and not EXPECTED.search(m.text)
                and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        return page

    def check(self) -> None:
        """Fail with every problem seen so far."""
        assert not self.problems, "\n".join(self.problems)


# where an official lands on signing in: the worklist, or the supervisor's, analyst's or admin's own page
HOME = re.compile(r".*/(worklist|supervision|studio/|admin/units)$")


def log_in(chromium, base: str, username: str, watch: Watch):
    """A fresh browser context logged in as a demo official, on their first page."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = watch.attach(context.new_page())
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_url(HOME)
    return page
