"""The printable forms' pure parts: Vietnamese dates and lists, contexts, HTML, the package's boundaries."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from forms.printing import Agency, Applicant, DossierFacts, missing_fonts, qr_data_uri, qr_matrix, render_html
from forms.printing import contexts as forms
from forms.printing.text import TZ, clock_text, numbered_items, place_date

AGENCY = Agency(name="Ủy ban nhân dân Phường Hoàn Kiếm", parent="UBND Thành phố Hà Nội", place="Hoàn Kiếm")
DOSSIER = DossierFacts(code="H26.70-260302-0001", procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
                       applicant=Applicant(name="Phạm Minh Đức"), received_at=datetime(2026, 3, 2, 9, tzinfo=TZ),
                       due_at=datetime(2026, 3, 2, 17, tzinfo=TZ), time_limit="Trong ngày")


@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 3, 2), "Hoàn Kiếm, ngày 02 tháng 3 năm 2026"),
    (date(2026, 1, 15), "Hoàn Kiếm, ngày 15 tháng 01 năm 2026"),
    (date(2026, 2, 9), "Hoàn Kiếm, ngày 09 tháng 02 năm 2026"),
    (date(2026, 12, 31), "Hoàn Kiếm, ngày 31 tháng 12 năm 2026"),
])
def test_dates_take_a_leading_zero_below_day_10_and_in_january_and_february(day, text):
    assert place_date("Hoàn Kiếm", day) == text


def test_moments_are_written_in_vietnams_time():
    assert clock_text(datetime.fromisoformat("2026-03-02T10:00:00+00:00")) == "17 giờ 00 phút, ngày 02/03/2026"


def test_items_lose_the_numbering_the_official_typed():
    assert numbered_items("1. Bản sao Giấy chứng sinh\n2) Tờ khai\n- Ảnh 4x6\n\n") == [
        "Bản sao Giấy chứng sinh", "Tờ khai", "Ảnh 4x6"]
    assert numbered_items(None) == [] and numbered_items(["a", " b "]) == ["a", "b"]


def test_the_qr_code_is_the_same_for_the_same_address_and_differs_otherwise():
    url = "https://motcua.example.vn/tra-cuu/H26.70-260302-0001"
    assert qr_data_uri(url) == qr_data_uri(url) and qr_data_uri(url).startswith("data:image/png;base64,")
    assert qr_matrix(url) != qr_matrix(url.replace("0001", "0002"))


def test_every_dossier_form_renders_with_the_motto_and_blank_lines_for_missing_fields():
    moment = datetime(2026, 3, 3, 10, tzinfo=TZ)
    contexts = [
        forms.receipt(AGENCY, DOSSIER, officer="Nguyễn Thị Lan", documents=[], collect_at="", book_volume="2026",
                      book_serial=1, lookup_url="https://x.vn/a"),
        forms.supplement_request(AGENCY, DOSSIER, items="1. Tờ khai", reason="", officer="", contact="",
                                 issued_at=moment),
        forms.refusal(AGENCY, DOSSIER, reason="Không thuộc thẩm quyền", officer="", issued_at=moment),
        forms.apology(AGENCY, DOSSIER, reason="", apology_text="Xin lỗi", original_due_at=moment, new_due_at=moment,
                      signer="", issued_at=moment),
        forms.stop_notice(AGENCY, DOSSIER, requested_at=None, reason="", stopped_at=moment, signer="", returned=""),
        forms.control_slip(AGENCY, DOSSIER, lead_unit="UBND Phường Hoàn Kiếm", coordinating=[], rows=[],
                           issued_at=moment),
    ]
    for context in contexts:
        html = render_html(context)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
        assert f"{DOSSIER.code}/{context['form']}" in html and 'class="toolbar"' not in html
    assert 'class="blank" data-field="id_number"' in render_html(contexts[0])


def test_the_toolbar_shows_on_screen_only_and_fonts_come_from_the_given_address():
    context = forms.refusal(AGENCY, DOSSIER, reason="x", officer="", issued_at=datetime(2026, 3, 3, tzinfo=TZ))
    html = render_html(context, font_url="/printing/fonts/", toolbar="<button>In</button>")
    assert '<div class="toolbar"><button>In</button></div>' in html
    assert 'url("/printing/fonts/NotoSerif_400Regular.ttf")' in html
    assert "file://" in render_html(context)


def test_the_vietnamese_font_is_installed_by_make_static():
    assert missing_fonts() == [], "run `make static` (it copies Noto Serif from npm)"


def test_the_forms_package_loads_no_web_framework_no_database_and_no_pdf_engine_until_asked():
    code = ("import sys, forms.printing; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'webapp', 'sqlalchemy', 'engine', 'weasyprint')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
