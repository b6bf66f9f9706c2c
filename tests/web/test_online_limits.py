"""The online form says its size limits before anything is sent, and an oversize form comes back as the form."""
from __future__ import annotations

import io

from tests.applicant_helpers import BIRTH, PDF, Applicant


def test_the_form_says_the_limits_per_file_and_per_submission_up_front(app):
    page = Applicant(app).get(f"/cong-dan/nop/{BIRTH}").get_data(as_text=True)
    assert "tối đa 10 MB mỗi tệp và 60 MB cho cả hồ sơ trong một lần gửi" in page
    assert f'data-max-file-bytes="{10 * 2**20}"' in page and f'data-max-total-bytes="{60 * 2**20}"' in page
    assert "js-total-error" in page  # the browser's own check, shown before sending


def test_an_oversize_submission_answers_413_with_the_form_and_the_limits(app):
    applicant = Applicant(app)
    app.config["MAX_CONTENT_LENGTH"] = 2**20  # 1 MB for the test, the same path as 60 MB
    res = applicant.post(f"/cong-dan/nop/{BIRTH}", {"unit": "H26.70",
                                                   "doc_0": (io.BytesIO(PDF + b"0" * 2**21), "to.pdf")},
                         content_type="multipart/form-data")
    page = res.get_data(as_text=True)
    assert res.status_code == 413
    assert "vượt quá 1 MB cho một lần gửi" in page and "tối đa 10 MB mỗi tệp" in page
    assert 'name="doc_1"' in page and "Xem lại hồ sơ" in page  # the form again, not a bare error page


def test_an_oversize_request_elsewhere_is_still_our_vietnamese_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 2**10
    res = client.post("/cong-dan/nop/khong-co", data={"x": "0" * 2**11})
    assert res.status_code == 413 and "vượt quá" in res.get_data(as_text=True)


def test_the_error_summary_names_the_fields_by_their_labels_never_by_their_keys(app):
    from tests.applicant_helpers import BIRTH_FORM

    res = Applicant(app).review(unit="", docs=(0,), form={**BIRTH_FORM, "child_full_name": ""})
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and 'id="error-summary"' in page
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#unit"' in summary and "Nơi nộp hồ sơ" in summary
    assert "Họ, chữ đệm và tên của trẻ" in summary and 'href="#fld-child_full_name"' in summary
    assert 'href="#doc_1"' in summary and "Giấy chứng sinh" in summary
    assert "child_full_name:" not in summary and ">doc_1<" not in summary
    assert all(f'id="{anchor}"' in page for anchor in ("unit", "fld-child_full_name", "doc_1"))  # the links land


def test_a_birth_date_in_the_future_is_refused_on_the_online_form(app, clock):
    from engine.calendar.working import local_date
    from tests.applicant_helpers import BIRTH_FORM

    today = local_date(clock())
    applicant = Applicant(app)
    assert f'max="{today.isoformat()}"' in applicant.get(f"/cong-dan/nop/{BIRTH}").get_data(as_text=True)
    tomorrow = today.replace(year=today.year + 1).isoformat()
    res = applicant.review(form={**BIRTH_FORM, "child_birth_date": tomorrow})
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "Không được chọn ngày trong tương lai." in page
    assert "Ngày, tháng, năm sinh" in page.split('id="error-summary"')[1].split("</div>")[0]
