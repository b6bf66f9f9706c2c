"""Pages that list every procedure still answer with the liên thông groups in the catalogue."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("who, path", [
    (None, "/"), (None, "/thu-tuc"), (None, "/thu-tuc/LT.01"), ("desk1", "/desk/new"), ("admin1", "/admin/procedures"),
    ("admin1", "/admin/procedures/LT.01"), ("analyst1", "/studio/"), ("supervisor1", "/supervision"),
    ("desk1", "/worklist"),
])
def test_a_page_listing_procedures_answers(browser, who, path):
    res = browser(who).get(path)
    assert res.status_code in (200, 302), (path, res.status_code, res.get_data(as_text=True)[:500])
