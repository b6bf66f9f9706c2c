"""Web hardening: security headers, cookie flags, the secret key, login throttling, argon2, CSRF, the audit log."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.models import ApplicantAccount, Event, User
from tests.applicant_helpers import PDF, Applicant
from tests.web.test_desk_pages import code_from, receive

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [ROOT / "webapp" / "templates", ROOT / "forms" / "printing" / "templates"]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def db(app):
    return app.extensions["motcua"]["sessions"]()


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


# --- security headers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/login", "/thu-tuc", "/tra-cuu", "/cong-dan/dang-nhap", "/khong-co-trang"])
def test_every_page_forbids_inline_script_framing_and_sniffing(client, path):
    res = client.get(path)
    policy = directives(res.headers["Content-Security-Policy"])
    assert policy["script-src"] == "'self'" and "unsafe" not in policy["script-src"]
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'" and policy["img-src"] == "'self' data: blob:"
    assert "unsafe" not in policy["style-src"] and "'nonce-" in policy["style-src"]
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in res.headers["Permissions-Policy"] and "geolocation=()" in res.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in res.headers  # plain HTTP: the browser would ignore it anyway


def test_forms_may_lead_to_the_payment_gateway_and_nowhere_else(app, client):
    app.config.update(PAYMENT_GATEWAY_URL="https://cong-thanh-toan.example.vn/api/v1",
                      CSP_FORM_ACTION="https://buu-dien.example.vn")
    policy = directives(client.get("/login").headers["Content-Security-Policy"])
    assert policy["form-action"] == "'self' https://cong-thanh-toan.example.vn https://buu-dien.example.vn"


def test_https_requests_get_strict_transport_security(client):
    res = client.get("/login", base_url="https://motcua.example.vn")
    assert res.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_api_and_static_files_are_not_sniffed(client):
    api = client.get("/api/v1/openapi.json")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in directives(api.headers["Content-Security-Policy"])
    static = client.get("/static/motcua.js")
    assert static.status_code == 200 and static.headers["X-Content-Type-Options"] == "nosniff"


def test_stored_files_open_only_inside_our_own_pages_and_never_run_script(browser):
    desk = browser("desk1")
    res = receive(desk, files=[(io.BytesIO(PDF), "giay-chung-sinh.pdf"), (io.BytesIO(PNG), "anh-chup.png")])
    code = code_from(res)
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    ids = re.findall(r"/documents/(\d+)", page)
    assert ids, "the dossier page lists its files"
    files = [desk.get(f"/documents/{number}") for number in dict.fromkeys(ids)]
    pdf = next(f for f in files if f.mimetype == "application/pdf")
    image = next(f for f in files if f.mimetype == "image/png")
    assert directives(pdf.headers["Content-Security-Policy"])["frame-ancestors"] == "'self'"
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"
    policy = directives(image.headers["Content-Security-Policy"])
    assert "sandbox" in policy and policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'self'"


def test_each_page_gets_its_own_style_nonce(client):
    first, second = (directives(client.get("/login").headers["Content-Security-Policy"]) for _ in range(2))
    assert first["style-src"] != second["style-src"]


def _inline_scripts(text: str) -> list[str]:
    found = [tag for tag in re.findall(r"<style\b[^>]*>", text, re.I) if "nonce=" not in tag]
    for match in re.finditer(r"<script\b([^>]*)>", text, re.I):
        attributes = match.group(1)
        if "src=" not in attributes and 'type="application/json"' not in attributes:
            found.append(match.group(0))
    found += re.findall(r"""\son[a-z]+\s*=\s*["']""", text, re.I)
    found += re.findall(r"javascript:", text, re.I)
    return found


def test_no_template_has_inline_script_or_event_handlers():
    offenders = {}
    for folder in TEMPLATES:
        for path in folder.rglob("*.html"):
            found = _inline_scripts(re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_printed_receipt_prints_from_a_script_file(browser):
    desk = browser("desk1")
    code = code_from(receive(desk))
    page = desk.get(f"/dossiers/{code}/forms/01?print=1").get_data(as_text=True)
    assert "data-auto-print" in page and "/static/print.js" in page and _inline_scripts(page) == []
    res = desk.get(f"/dossiers/{code}/forms/01")
    nonce = re.search(r'<style nonce="([^"]+)">', res.get_data(as_text=True)).group(1)
    assert f"'nonce-{nonce}'" in directives(res.headers["Content-Security-Policy"])["style-src"]
    assert "data-auto-print" not in desk.get(f"/dossiers/{code}/forms/01").get_data(as_text=True)


# --- cookies and the secret key ----------------------------------------------------------------------------

def _cookie(res, name: str) -> str:
    return next(c for c in res.headers.getlist("Set-Cookie") if c.startswith(name + "="))


def test_the_session_cookie_is_http_only_same_site_and_expires_after_a_working_day(browser, clock):
    official = browser()
    res = official.login("desk1")
    cookie = _cookie(res, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    lifetime = datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC) - datetime.now(UTC)
    assert 7.9 * 3600 < lifetime.total_seconds() <= 8 * 3600


@pytest.mark.parametrize("setting", [{"SECURE_COOKIES": True}, {"SECURE_COOKIES": "1"},
                                     {"PREFERRED_URL_SCHEME": "https"}])
def test_cookies_are_secure_when_the_site_is_served_over_https(db_url, tmp_path, setting):
    from tests.conftest import Browser
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "k" * 32,
                      "STORAGE_DIR": str(tmp_path), **setting})
    official = Browser(app)
    cookie = _cookie(official.login("desk1"), "session")
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    app.extensions["motcua"]["engine"].dispose()


def _bare_app(monkeypatch, tmp_path, **config):
    from webapp import create_app

    for name in ("MOTCUA_SECRET_KEY", "MOTCUA_ENV", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp_path / 'bare.sqlite'}")
    app = create_app(config or None)
    app.extensions["motcua"]["engine"].dispose()
    return app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    from webapp.security import MissingSecretKey

    with pytest.raises(MissingSecretKey, match="MOTCUA_SECRET_KEY"):
        _bare_app(monkeypatch, tmp_path, ENV_NAME="production")
    monkeypatch.setenv("MOTCUA_ENV", "production")
    monkeypatch.setenv("MOTCUA_SECRET_KEY", "from-the-environment-" + "x" * 20)
    monkeypatch.setenv("MOTCUA_PUBLIC_URL", "https://motcua.example.vn")  # production needs it too
    from webapp import create_app

    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment-" + "x" * 20
    app.extensions["motcua"]["engine"].dispose()


def test_development_makes_a_random_key_for_each_instance(monkeypatch, tmp_path):
    first, second = _bare_app(monkeypatch, tmp_path), _bare_app(monkeypatch, tmp_path)
    assert len(first.config["SECRET_KEY"]) >= 32 and first.config["SECRET_KEY"] != second.config["SECRET_KEY"]


def test_no_secret_key_is_written_in_the_code():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "webapp").rglob("*.py"))
    assert not re.search(r"SECRET_KEY\s*=\s*[\"']", sources)


# --- passwords and login throttling ------------------------------------------------------------------------

def test_officials_and_applicants_passwords_are_argon2id_hashes(app):
    Applicant(app, email="hash@example.vn")
    with db(app) as session:
        official = session.scalar(select(User).where(User.username == "desk1"))
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "hash@example.vn"))
        assert official.password_hash.startswith("$argon2id$") and "demo1234" not in official.password_hash
        assert account.password_hash.startswith("$argon2id$") and "matkhau123" not in account.password_hash


def _applicant_login(client_of, password: str):
    return client_of.post("/cong-dan/dang-nhap", {"email": client_of.email, "password": password})


def test_five_wrong_passwords_pause_an_applicants_account_for_a_minute(app, clock):
    citizen = Applicant(app, email="khoa@example.vn")
    citizen.post("/cong-dan/dang-xuat")
    for _ in range(5):
        res = _applicant_login(citizen, "sai-mat-khau")
        assert res.status_code == 401 and "Email hoặc mật khẩu không đúng" in res.get_data(as_text=True)
    res = _applicant_login(citizen, "matkhau123")  # paused: the same answer as a wrong password (issue 23)
    assert res.status_code == 401 and "Email hoặc mật khẩu không đúng" in res.get_data(as_text=True)
    with db(app) as session:
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "khoa@example.vn"))
        assert account.locked_until is not None
    clock.advance(seconds=61)
    assert _applicant_login(citizen, "matkhau123").status_code == 302
    with db(app) as session:
        kinds = [e.kind for e in session.scalars(select(Event).where(Event.kind.like("applicant.login%")
                                                                      | (Event.kind == "applicant.locked"))
                                                 .order_by(Event.id))]
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "khoa@example.vn"))
        assert account.failed_logins == 0 and account.locked_until is None
    assert kinds == ["applicant.login_failed"] * 5 + ["applicant.locked", "applicant.login_failed", "applicant.login"]


def test_a_success_resets_the_count_of_an_applicants_failures(app):
    citizen = Applicant(app, email="dem@example.vn")
    citizen.post("/cong-dan/dang-xuat")
    for _ in range(4):
        _applicant_login(citizen, "sai-mat-khau")
    assert _applicant_login(citizen, "matkhau123").status_code == 302
    citizen.post("/cong-dan/dang-xuat")
    for _ in range(4):
        _applicant_login(citizen, "sai-mat-khau")
    assert _applicant_login(citizen, "matkhau123").status_code == 302


def test_five_wrong_passwords_pause_an_officials_account_for_a_minute(app, browser, clock):
    official = browser()
    for _ in range(5):
        assert official.login("desk1", "sai").status_code == 401
    res = official.login("desk1")  # paused: the same answer as a wrong password or an unknown name (issue 23)
    assert res.status_code == 401 and "mật khẩu không đúng" in res.get_data(as_text=True)
    clock.advance(seconds=61)
    assert official.login("desk1").status_code == 302


# --- CSRF ---------------------------------------------------------------------------------------------------

# Machine endpoints outside /api and /simulators that other systems (a gateway, the post) call without a
# browser session: they authenticate the caller by their own signature instead.
MACHINE_WORDS = ("callback", "webhook", "ipn")


def web_post_routes(app) -> list[str]:
    """Every URL of the web UI that takes a POST, with its placeholders filled in."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(("/api/", "/simulators/")):
            continue
        if any(word in rule.rule for word in MACHINE_WORDS):
            continue
        paths.append(re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
                            lambda m: "1" if m.group(1) == "int" else "x", rule.rule))
    return sorted(paths)


def test_every_web_form_refuses_a_post_without_its_csrf_token(app, browser):
    paths = web_post_routes(app)
    assert len(paths) >= 35 and "/login" in paths and "/admin/users/1/grants" in paths
    admin = browser("admin1")
    refused = {}
    for path in paths:
        res = admin.client.post(path, data={"note": "x"})
        refused[path] = res.status_code
        if res.status_code == 400:
            assert "mã bảo vệ (CSRF)" in res.get_data(as_text=True)
    assert {path: status for path, status in refused.items() if status != 400} == {}


def test_a_post_with_a_token_from_another_session_is_refused(app, browser):
    mine, other = browser("admin1"), browser("desk1")
    res = mine.client.post("/admin/users/1/grants", data={"csrf_token": other.token, "unit": "H26.70",
                                                         "role": "mot_cua"})
    assert res.status_code == 400
    assert mine.post("/logout").status_code == 302  # its own token passes


def test_over_https_a_form_posted_from_another_site_is_refused(app):
    site = "https://motcua.example.vn"
    client = app.test_client()
    page = client.get("/login", base_url=site).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "desk1", "password": "demo1234"}
    foreign = client.post("/login", base_url=site, data=form, headers={"Referer": "https://lua-dao.example/"})
    assert foreign.status_code == 400
    # our Referrer-Policy keeps the Referer on our own pages, which Flask-WTF checks over HTTPS
    ours = client.post("/login", base_url=site, data=form, headers={"Referer": f"{site}/login"})
    assert ours.status_code == 302


# --- the audit log ------------------------------------------------------------------------------------------

SENSITIVE = {
    "an official logs in": "auth.login",
    "an official's login fails": "auth.login_failed",
    "an official's account pauses after failures": "auth.locked",
    "an applicant logs in": "applicant.login",
    "an applicant's login fails": "applicant.login_failed",
    "an applicant's account pauses after failures": "applicant.locked",
    "an applicant registers": "applicant.registered",
    "an admin grants a role": "role.granted",
    "an admin revokes a role": "role.revoked",
    "an admin resets a password": "user.password_reset",
    "an admin deactivates a user": "user.deactivated",
    "an admin creates a user": "user.created",
    "a procedure version is published": "procedure.published",
    "the desk looks a citizen up in the population database": "citizen.checked",
}


def test_every_sensitive_action_is_in_the_audit_log_with_a_label(app, browser, clock):
    from webapp.admin import AUDIT_LABELS
    from webapp.pages import EVENT_LABELS

    official = browser()
    for _ in range(5):
        official.login("desk1", "sai")
    clock.advance(seconds=61)
    desk = browser("desk1")
    desk.post("/desk/new/1.001193/citizen-check", {"id_number": "001088011223", "name": "Phạm Minh Đức"})
    citizen = Applicant(app, email="audit@example.vn")
    citizen.post("/cong-dan/dang-xuat")
    for _ in range(5):
        _applicant_login(citizen, "sai-mat-khau")
    clock.advance(seconds=61)
    _applicant_login(citizen, "matkhau123")
    admin = browser("admin1")
    with db(app) as session:
        desk2 = session.scalar(select(User).where(User.username == "desk2"))
        desk2_id = desk2.id
    admin.post(f"/admin/users/{desk2_id}/grants", {"unit": "H26.70", "role": "chuyen_vien"})
    page = admin.get(f"/admin/users/{desk2_id}").get_data(as_text=True)
    grant = re.search(rf"/admin/users/{desk2_id}/grants/(\d+)/revoke", page).group(1)
    admin.post(f"/admin/users/{desk2_id}/grants/{grant}/revoke")
    admin.post(f"/admin/users/{desk2_id}/password", {"password": "matkhaumoi1"})
    admin.post(f"/admin/users/{desk2_id}/deactivate")
    admin.post("/admin/users/new", {"username": "desk9", "full_name": "Đỗ Văn Chín", "email": "", "password": "",
                                    "unit": "H26.4", "role": "mot_cua"})
    assert admin.get("/studio/1.001193").status_code == 200  # opens a draft of the current version
    admin.post("/studio/1.001193/publish", {"note": "kiểm tra nhật ký"})
    with db(app) as session:
        recorded = set(session.scalars(select(Event.kind)))
    missing = {action: kind for action, kind in SENSITIVE.items() if kind not in recorded}
    assert missing == {}
    unlabelled = [kind for kind in SENSITIVE.values() if kind not in AUDIT_LABELS and kind not in EVENT_LABELS]
    assert unlabelled == []
    audit = admin.get("/admin/audit?kind=applicant.").get_data(as_text=True)
    assert 'data-event="applicant.locked"' in audit and "audit@example.vn" in audit
