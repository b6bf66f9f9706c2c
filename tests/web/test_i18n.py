"""The officials' pages in English: Vietnamese by default, ?lang=en kept in the session, a complete catalogue.

The catalogue (webapp/translations/en/LC_MESSAGES/messages.po) is committed; its .mo is built by `make`.
Run through pytest alone, this module compiles a missing or stale .mo first, so the tests never depend on make.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.web.test_desk_pages import code_from, receive

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PERCENT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?[sdifrx%]")
BRACE = re.compile(r"\{(\w+)(?:[:!][^{}]*)?\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def read_catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def compile_catalogue() -> None:
    """What `pybabel compile` does, for a developer running pytest without make (written atomically)."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    fd, tmp = tempfile.mkstemp(dir=MO.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as f:
        write_mo(f, read_catalogue())
    os.chmod(tmp, 0o644)
    os.replace(tmp, MO)


compile_catalogue()


def placeholders(text: str) -> tuple[list[str], list[str]]:
    return sorted(PERCENT.findall(text)), sorted(BRACE.findall(text))


# ---------------------------------------------------------------- choosing the language


def test_the_login_page_is_vietnamese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    assert "Log in" not in page and "Password" not in page
    assert '<html lang="vi">' in page


def test_lang_en_shows_english_and_the_choice_sticks_until_changed(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "Tên đăng nhập" not in page and "Mật khẩu" not in page
    page = client.get("/login").get_data(as_text=True)  # the session keeps it
    assert "Log in" in page and "Tên đăng nhập" not in page and '<html lang="en">' in page
    page = client.get("/?lang=vi").get_data(as_text=True)
    assert "Danh mục thủ tục hành chính" in page
    page = client.get("/login").get_data(as_text=True)
    assert "Tên đăng nhập" in page and "Username" not in page


def test_an_unknown_language_is_ignored(client):
    page = client.get("/login?lang=fr").get_data(as_text=True)
    assert "Tên đăng nhập" in page


def test_the_navbar_switch_keeps_the_page_and_its_query(browser):
    desk = browser("desk1")
    page = desk.get("/worklist?kind=intake").get_data(as_text=True)
    assert 'href="/worklist?kind=intake&amp;lang=en"' in page and ">English</a>" in page
    assert 'href="/worklist?kind=intake&amp;lang=vi"' in page and ">Tiếng Việt</a>" in page
    assert re.search(r'lang="vi"[^>]*aria-current="true"', page)
    page = desk.get("/login?lang=en").get_data(as_text=True)
    assert 'href="/login?lang=vi"' in page and re.search(r'lang="en"[^>]*aria-current="true"', page)


# ---------------------------------------------------------------- pages in English


def test_after_logging_in_with_english_chosen_the_worklist_is_in_english(browser):
    desk = browser()
    assert "Log in" in desk.get("/login?lang=en").get_data(as_text=True)
    res = desk.login("desk1")
    assert res.status_code == 302
    page = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert "<h1" in page and "Dossiers to handle</h1>" in page
    for label in ("Total", "New today", "Due soon", "Overdue", "Dossier code", "Receive a dossier", "Intake queue",
                  "Log out", "Filter"):
        assert label in page, label
    for label in ("Hồ sơ cần xử lý", "Tổng số", "Mới hôm nay", "Sắp đến hạn", "Quá hạn", "Đăng xuất"):
        assert label not in page, label
    assert "Hello, " in page  # the login flash, made after the choice
    intake = desk.get("/worklist?kind=intake").get_data(as_text=True)
    assert "Intake queue</h1>" in intake


def test_a_page_that_needs_a_login_says_so_in_english(client):
    res = client.get("/worklist?lang=en")
    assert res.status_code == 302
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Please log in to continue." in page


def test_the_home_and_error_pages_are_translated(client):
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Catalogue of administrative procedures" in home and "One-stop desk" in home and "Demo accounts" in home
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)


def test_the_counter_speaks_english_but_the_printed_receipt_stays_vietnamese(browser):
    desk = browser("desk1")
    desk.get("/worklist?lang=en")
    res = desk.post("/desk/new/1.001193", {"decision": "nonsense"})
    assert res.status_code == 422 and "Choose what to do with the dossier" in res.get_data(as_text=True)
    res = receive(desk)
    assert res.status_code == 302
    code = code_from(res)
    slip = desk.get(res.headers["Location"]).get_data(as_text=True)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in slip  # the legal document
    assert f"Dossier {code} received." in slip and ">Print</button>" in slip  # the screen-only bar above it
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "Processing history" in page and "Dossier received" in page  # an event, not the menu's "Receive a dossier"


def test_event_labels_follow_the_language(app):
    label = app.jinja_env.globals["event_label"]
    with app.test_request_context("/?lang=en"):
        assert str(label("task.claimed")) == "Step taken on" and label("unknown.kind") == "Other event"
    with app.test_request_context("/"):
        assert str(label("task.claimed")) == "Nhận xử lý"


# ---------------------------------------------------------------- the catalogue itself


def test_every_message_has_an_english_translation_with_the_same_placeholders():
    catalogue = read_catalogue()
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 100
    for m in messages:
        assert isinstance(m.id, str), f"{m.id!r}: plural forms are not expected"
        assert m.string and m.string.strip(), f"no translation for {m.id!r}"
        assert not m.fuzzy, f"fuzzy (unused at run time): {m.id!r}"
        assert placeholders(m.id) == placeholders(m.string), f"placeholders differ: {m.id!r} -> {m.string!r}"
        assert sorted(TAG.findall(m.id)) == sorted(TAG.findall(m.string)), f"markup differs: {m.id!r}"


def test_the_catalogue_covers_every_string_marked_in_the_code():
    """A string wrapped in _() since the last `pybabel extract`/`update` fails here until it is translated."""
    with (ROOT / "babel.cfg").open() as f:
        parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
        method_map, options_map = parse(f)
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    catalogue = read_catalogue()
    marked = {(context, message) for _file, _line, message, _comments, context
              in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}
    assert len(marked) > 100
    missing = sorted(str(key) for key in marked if catalogue.get(key[1], context=key[0]) is None)
    assert not missing, "not in messages.po (run pybabel extract and update, then translate): " + ", ".join(missing)


@pytest.mark.parametrize("text, expected", [
    ("Xin chào %(name)s.", (["name"], [])),
    ("Đã giao “{step}” của hồ sơ {code}.", ([], ["code", "step"])),
    ('<code>{"username", "password"}</code>', ([], [])),
])
def test_placeholders_are_found(text, expected):
    assert placeholders(text) == expected
