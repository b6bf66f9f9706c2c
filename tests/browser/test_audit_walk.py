"""The admin reads the audit log: a filter redraws the table and the export link with it, so the workbook holds
what the page shows; a filter the server refuses says why in the table's place."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.browser.test_dossier_walk import log_in


def test_the_audit_filter_the_export_and_a_refused_filter(chromium, live_server, screenshot):
    base = live_server
    for name in ("desk1", "specialist1"):  # two logins of others to find among the admin's own
        log_in(chromium, base, name)
    admin = log_in(chromium, base, "admin1")
    admin.goto(f"{base}/admin/audit")
    everything = admin.inner_text("#audit p")
    admin.fill("#user", "desk1")
    with admin.expect_response(lambda r: "/admin/audit?" in r.url):
        admin.click("button:has-text('Lọc')")
    admin.wait_for_function("document.querySelector('[data-export]').href.includes('user=desk1')")
    assert admin.inner_text("#audit p") != everything
    with admin.expect_download() as caught:
        admin.click("[data-export]")
    sheet = load_workbook(io.BytesIO(open(caught.value.path(), "rb").read())).active
    rows = [" ".join(str(v) for v in row if v) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert rows and all("desk1" in row for row in rows), rows  # desk1's events only, as on the page
    assert not any("specialist1" in row for row in rows)

    admin.fill("#unit", "H99")  # no such unit: the table's place says so, not the old rows
    with admin.expect_response(lambda r: "/admin/audit?" in r.url and r.status == 422):
        admin.click("button:has-text('Lọc')")
    admin.wait_for_selector("[data-filter-errors]")
    assert "Mã đơn vị" in admin.inner_text("[data-filter-errors]")
    assert admin.locator("#audit table").count() == 0
    screenshot(admin, "audit-refused-filter")
