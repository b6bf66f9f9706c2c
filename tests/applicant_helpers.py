"""An applicant in the Flask test client: registers, logs in, submits online; shared by web and browser tests."""
from __future__ import annotations

import io
import re

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BIRTH = "1.001193"
BIRTH_FORM = {"child_full_name": "Phạm Minh An", "child_birth_date": "2026-02-20", "child_gender": "nam",
              "child_ethnicity": "Kinh", "child_nationality": "Việt Nam",
              "child_birth_place": "Bệnh viện Bạch Mai, Hà Nội", "mother_full_name": "Nguyễn Thu Hà",
              "father_full_name": "Phạm Minh Đức", "requester_relationship": "cha"}
CODE = re.compile(r"H26\.\d+-\d{6}-\d{4}")


class Applicant:
    """A citizen's browser session: sends the CSRF token like a browser does."""

    TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

    def __init__(self, app, email: str = "an@example.vn", name: str = "Phạm Minh Đức", register: bool = True):
        self.client, self.email = app.test_client(), email
        self.token = self.TOKEN.search(self.client.get("/cong-dan/dang-ky").get_data(as_text=True)).group(1)
        if register:
            res = self.post("/cong-dan/dang-ky", {"email": email, "full_name": name, "password": "matkhau123",
                                                  "phone": "0901234567", "id_number": "001088011223",
                                                  "consent": "yes"})
            assert res.status_code == 302, res.get_data(as_text=True)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        if path.startswith("/cong-dan/nop/") and path.endswith("/gui"):
            data.setdefault("consent", "yes")  # the review page's required tick (Decree 13/2023), as a citizen gives it
        res = self.client.post(path, data=data, **kwargs)
        if res.status_code == 303 and res.headers["Location"].endswith("/xem-lai"):
            res = self.client.get(res.headers["Location"])  # the checked form's review page, as a browser goes on
        if res.status_code == 302 and path in ("/cong-dan/dang-ky", "/cong-dan/dang-nhap"):
            # a login starts a fresh session: take the form token of the new one
            from tests.conftest import fresh_token

            self.token = fresh_token(self.client, "/cong-dan/ho-so")
        return res

    def review(self, unit: str = "H26.70", docs=(0, 1), form=None):
        data = {"unit": unit, **(BIRTH_FORM if form is None else form)}
        for index in docs:
            data[f"doc_{index}"] = (io.BytesIO(PDF), f"giay-{index}.pdf")
        return self.post(f"/cong-dan/nop/{BIRTH}", data, content_type="multipart/form-data")

    def submit_birth(self, unit: str = "H26.70") -> str:
        res = self.review(unit)
        assert res.status_code == 200, res.get_data(as_text=True)
        res = self.post(f"/cong-dan/nop/{BIRTH}/gui")
        assert res.status_code == 302, res.get_data(as_text=True)
        return CODE.search(res.headers["Location"]).group(0)
