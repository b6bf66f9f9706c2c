"""The case file in Chromium: a birth registration received at the counter with its declaration typed and
two scans; the specialist's and the leader's step pages show the declaration beside the documents."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_dossier_walk import complete, log_in, open_step
from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import PNG, required_documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PORTS = iter(range(5210, 5260))


@pytest.fixture
def live_server(app):
    """The app on a port of this helper's range (5210-5259)."""
    import threading

    from werkzeug.serving import make_server

    for port in PORTS:
        try:
            server = make_server("127.0.0.1", port, app, threaded=True)
            break
        except OSError:
            continue
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def test_the_declaration_typed_at_the_counter_is_on_every_officials_page(chromium, live_server, screenshot, tmp_path):
    base = live_server
    desk = log_in(chromium, base, "desk1")
    desk.goto(f"{base}/desk/new/1.001193")
    for field in ("name", "id_number", "address", "phone", "email"):
        desk.fill(f"#{field}", APPLICANT[field])
    desk.fill("[name='data.child_full_name']", "Nguyễn Thị Bình An")
    desk.fill("[name='data.child_birth_date']", "2026-02-20")
    desk.check("[name='data.child_gender'][value=nu]")
    desk.fill("[name='data.child_ethnicity']", "Kinh")
    desk.fill("[name='data.child_nationality']", "Việt Nam")
    desk.fill("[name='data.child_birth_place']", "Bệnh viện Phụ sản Hà Nội")
    desk.fill("[name='data.mother_full_name']", "Trần Thị Mai")
    desk.select_option("[name='data.requester_relationship']", "me")
    for index in required_documents("1.001193"):
        desk.check(f"#doc_{index}")
    (tmp_path / "to-khai.pdf").write_bytes(PDF)
    (tmp_path / "giay-chung-sinh.png").write_bytes(PNG)
    desk.set_input_files("input[name=scan_0]", str(tmp_path / "to-khai.pdf"))
    desk.set_input_files("input[name=scan_1]", str(tmp_path / "giay-chung-sinh.png"))
    screenshot(desk, "case-01-counter-declaration")
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/desk/receipt/.*"))
    code = desk.inner_text("[data-field=code]")

    specialist = log_in(chromium, base, "specialist1")
    open_step(specialist, code)
    card = specialist.inner_text("[data-card=declaration]")
    assert "Nguyễn Thị Bình An" in card and "20/02/2026" in card and "Nữ" in card and "Mẹ" in card
    assert specialist.locator("[data-card=documents] details[data-document]").count() == 2
    screenshot(specialist, "case-02-specialist-step")
    specialist.check("input[name=appraisal_decision][value=propose_approve]")
    specialist.fill("textarea[name=appraisal_opinion]", "Tờ khai khớp giấy chứng sinh; đề nghị phê duyệt.")
    complete(specialist, base)

    leader = log_in(chromium, base, "leader1")
    open_step(leader, code)
    card = leader.inner_text("[data-card=declaration]")
    assert "Nguyễn Thị Bình An" in card and "Trần Thị Mai" in card
    screenshot(leader, "case-03-leader-step")

    desk.goto(f"{base}/dossiers/{code}/declaration")
    desk.fill("[name='data.child_birth_place']", "Trạm y tế phường Hàng Bạc")
    desk.click("button:has-text('Lưu tờ khai')")
    desk.wait_for_url(re.compile(rf".*/dossiers/{re.escape(code)}$"))
    assert "Trạm y tế phường Hàng Bạc" in desk.inner_text("[data-card=declaration]")
    assert "Bệnh viện Phụ sản Hà Nội" in desk.inner_text("[data-declaration-changes]")
    screenshot(desk, "case-04-dossier-after-correction")
