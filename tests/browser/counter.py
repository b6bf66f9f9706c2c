"""The counter form of a birth registration (1.001193), filled in Chromium as a desk officer would: the
applicant, the declaration and two scans (the tờ khai as PDF, the giấy chứng sinh as PNG)."""
from __future__ import annotations

from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import PNG, required_documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fill_birth_registration(desk, base: str, tmp_path, *, mother: str | None = "Trần Thị Mai") -> None:
    """Open the counter form and fill it; without a mother's name the declaration is incomplete."""
    desk.goto(f"{base}/desk/new/1.001193")
    for field in ("name", "id_number", "address", "phone", "email"):
        desk.fill(f"#{field}", APPLICANT[field])
    desk.fill("[name='data.child_full_name']", "Nguyễn Thị Bình An")
    desk.fill("[name='data.child_birth_date']", "2026-02-20")
    desk.check("[name='data.child_gender'][value=nu]")
    desk.fill("[name='data.child_ethnicity']", "Kinh")
    desk.fill("[name='data.child_nationality']", "Việt Nam")
    desk.fill("[name='data.child_birth_place']", "Bệnh viện Phụ sản Hà Nội")
    if mother:
        desk.fill("[name='data.mother_full_name']", mother)
    desk.select_option("[name='data.requester_relationship']", "me")
    for index in required_documents("1.001193"):
        desk.check(f"#doc_{index}")
    (tmp_path / "to-khai.pdf").write_bytes(PDF)
    (tmp_path / "giay-chung-sinh.png").write_bytes(PNG)
    desk.set_input_files("input[name=scan_0]", str(tmp_path / "to-khai.pdf"))
    desk.set_input_files("input[name=scan_1]", str(tmp_path / "giay-chung-sinh.png"))
