"""Sign-in with VNeID (OpenID Connect, code + PKCE) against the local simulator, in the Flask test client:
the simulator's contract, the whole sign-in, and every doubtful answer refused with nothing written."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import func, select

from engine.dossier.online import applicant_of
from engine.integrations.vneid import SignInRefused, VneidClient
from engine.models import ApplicantAccount, Event
from tests.vneid_helpers import ISSUER, SECRET, in_process_transport, path_of, query

CITIZEN = {"name": "Nguyễn Văn An", "citizen_id": "001090000123"}
BASIC = {"Authorization": "Basic " + base64.b64encode(f"motcua:{SECRET}".encode()).decode()}


def db(app):
    return app.extensions["motcua"]["sessions"]()


def accounts(app) -> int:
    with db(app) as session:
        return session.scalar(select(func.count(ApplicantAccount.id)))


def start(client, next_: str | None = None) -> dict[str, str]:
    """Press "Đăng nhập bằng VNeID": the authorization request's parameters."""
    res = client.get("/cong-dan/dang-nhap/vneid" + (f"?next={next_}" if next_ else ""))
    assert res.status_code == 302 and res.headers["Location"].startswith(ISSUER + "/authorize?")
    return query(res.headers["Location"])


def authorize(client, params: dict[str, str], citizen=CITIZEN, outcome="allow") -> dict[str, str]:
    """The citizen at the simulator: agree (or refuse); the parameters VNeID sends back with."""
    res = client.post("/simulators/vneid/authorize", data=params | citizen | {"outcome": outcome})
    assert res.status_code == 302, res.get_data(as_text=True)
    location = res.headers["Location"]
    assert location.startswith(params["redirect_uri"])
    return query(location)


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def test_the_simulator_publishes_discovery_and_its_signing_key(client):
    meta = client.get("/simulators/vneid/.well-known/openid-configuration").get_json()
    assert meta["issuer"] == ISSUER
    assert meta["code_challenge_methods_supported"] == ["S256"] and meta["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = client.get("/simulators/vneid/jwks").get_json()["keys"]
    assert keys[0]["kty"] == "RSA" and "d" not in keys[0]  # the public half only


def _code(client, verifier="v" * 50, nonce="n-1"):
    params = {"response_type": "code", "client_id": "motcua", "redirect_uri": "http://localhost/cb", "state": "s",
              "nonce": nonce, "code_challenge": challenge(verifier), "code_challenge_method": "S256"}
    return authorize(client, params)["code"]


def test_the_simulators_token_endpoint_checks_pkce_and_signs_rs256(client):
    wrong = client.post("/simulators/vneid/token", headers=BASIC, data={
        "grant_type": "authorization_code", "code": _code(client), "redirect_uri": "http://localhost/cb",
        "code_verifier": "w" * 50})
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "invalid_grant"
    assert client.post("/simulators/vneid/token", data={
        "grant_type": "authorization_code", "code": _code(client), "redirect_uri": "http://localhost/cb",
        "code_verifier": "v" * 50, "client_id": "motcua", "client_secret": "wrong"}).status_code == 401
    code = _code(client)
    good = client.post("/simulators/vneid/token", headers=BASIC, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost/cb",
        "code_verifier": "v" * 50})
    assert good.status_code == 200
    id_token = good.get_json()["id_token"]
    header = json.loads(base64.urlsafe_b64decode(id_token.split(".")[0] + "=="))
    assert header["alg"] == "RS256"
    keys = KeySet.import_key_set(client.get("/simulators/vneid/jwks").get_json())
    claims = jwt.decode(id_token, keys, algorithms=["RS256"]).claims
    assert claims["iss"] == ISSUER and claims["aud"] == "motcua" and claims["nonce"] == "n-1"
    assert claims["citizen_id"] == "001090000123" and claims["name"] == "Nguyễn Văn An"
    again = client.post("/simulators/vneid/token", headers=BASIC, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost/cb",
        "code_verifier": "v" * 50})
    assert again.status_code == 400  # a code is used once


def test_a_citizen_signs_in_with_vneid_and_the_account_is_made_once(app, client):
    assert "Đăng nhập bằng VNeID" in client.get("/cong-dan/dang-nhap").get_data(as_text=True)
    params = start(client)
    assert params["code_challenge_method"] == "S256" and params["state"] and params["nonce"]
    back = authorize(client, params)
    res = client.get(path_of(params["redirect_uri"]) + f"?code={back['code']}&state={back['state']}")
    assert res.status_code == 302 and res.headers["Location"].endswith("/cong-dan/ho-so")
    asked = client.get("/cong-dan/ho-so")  # a new VNeID account has not consented yet: asked first (Decree 13/2023)
    assert asked.status_code == 302 and "/cong-dan/dong-y" in asked.headers["Location"]
    page = client.get(path_of(asked.headers["Location"])).get_data(as_text=True)
    assert "Nghị định 13/2023" in page and 'name="consent"' in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post("/cong-dan/dong-y", data={"csrf_token": token, "next": "/cong-dan/ho-so"})
    assert refused.status_code == 422
    given = client.post("/cong-dan/dong-y", data={"csrf_token": token, "next": "/cong-dan/ho-so", "consent": "yes"})
    assert given.status_code == 302 and given.headers["Location"].endswith("/cong-dan/ho-so")
    assert "Nguyễn Văn An" in client.get("/cong-dan/ho-so").get_data(as_text=True)
    with db(app) as session:
        account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.provider == "vneid"))
        assert (account.id_number, account.full_name, account.password_hash) == ("001090000123", "Nguyễn Văn An", None)
        kinds = list(session.scalars(select(Event.kind).where(Event.payload["via"].as_string() == "vneid")))
        assert kinds == ["applicant.registered", "applicant.login", "applicant.consented"]
        assert account.consent_at is not None and account.consent_version
        # the placeholder email is not one to write to: an online dossier takes no email from it
        assert applicant_of(account) == {"name": "Nguyễn Văn An", "id_number": "001090000123"}
    # again, from another browser, going to a page first: the same account, and back to that page
    other = app.test_client()
    params = start(other, next_="/cong-dan/phan-anh-kien-nghi")
    back = authorize(other, params, {"name": "Nguyễn Văn An", "citizen_id": "001090000123"})
    res = other.get(path_of(params["redirect_uri"]) + f"?code={back['code']}&state={back['state']}")
    assert res.status_code == 302 and res.headers["Location"].endswith("/cong-dan/phan-anh-kien-nghi")
    assert accounts(app) == 1


def test_refusing_at_vneid_or_a_wrong_state_writes_no_account(app, client):
    params = start(client)
    back = authorize(client, params, outcome="deny")
    res = client.get(path_of(params["redirect_uri"]) + f"?error={back['error']}&state={back['state']}")
    assert res.status_code == 400 and "không đồng ý đăng nhập bằng VNeID" in res.get_data(as_text=True)
    params = start(client)
    back = authorize(client, params)
    res = client.get(path_of(params["redirect_uri"]) + f"?code={back['code']}&state=forged")
    assert res.status_code == 400 and "Không xác thực được đăng nhập bằng VNeID" in res.get_data(as_text=True)
    # the state was used up with the failed try: the right state afterwards is refused too
    res = client.get(path_of(params["redirect_uri"]) + f"?code={back['code']}&state={back['state']}")
    assert res.status_code == 400
    assert accounts(app) == 0
    assert client.get("/cong-dan/ho-so").status_code == 302  # not signed in


def _client(app) -> VneidClient:
    return VneidClient(ISSUER, "motcua", SECRET, "http://localhost/cb", in_process_transport(app))


def _token_from(app, client, nonce: str) -> str:
    code = _code(client, nonce=nonce)
    res = client.post("/simulators/vneid/token", headers=BASIC, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://localhost/cb",
        "code_verifier": "v" * 50})
    return res.get_json()["id_token"]


def test_a_tampered_id_token_another_key_or_a_wrong_nonce_is_refused(app, client):
    rp = _client(app)
    token = _token_from(app, client, "n-1")
    assert rp.verify_id_token(token, "n-1")["citizen_id"] == "001090000123"
    with pytest.raises(SignInRefused):
        rp.verify_id_token(token, "another-nonce")
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    forged = base64.urlsafe_b64encode(json.dumps(claims | {"citizen_id": "079185000456"}).encode()).rstrip(b"=")
    with pytest.raises(SignInRefused):
        rp.verify_id_token(f"{head}.{forged.decode()}.{sig}", "n-1")
    stranger = RSAKey.generate_key(2048, {"kid": json.loads(base64.urlsafe_b64decode(head + "=="))["kid"]})
    with pytest.raises(SignInRefused):  # the same key id, another key
        rp.verify_id_token(jwt.encode({"alg": "RS256", "kid": stranger.kid}, claims, stranger), "n-1")
    with pytest.raises(SignInRefused):  # signed right, but for another client
        VneidClient(ISSUER, "another-client", SECRET, "http://localhost/cb",
                    in_process_transport(app)).verify_id_token(token, "n-1")


def test_a_tampered_token_in_the_sign_in_writes_no_account(app, client, monkeypatch):
    import engine.integrations.vneid as vneid

    real = vneid.VneidClient.verify_id_token

    def wrong_nonce(self, id_token, nonce, meta=None):
        return real(self, id_token, nonce + "x", meta)

    monkeypatch.setattr(vneid.VneidClient, "verify_id_token", wrong_nonce)
    params = start(client)
    back = authorize(client, params)
    res = client.get(path_of(params["redirect_uri"]) + f"?code={back['code']}&state={back['state']}")
    assert res.status_code == 400 and "Không xác thực được đăng nhập bằng VNeID" in res.get_data(as_text=True)
    assert accounts(app) == 0


def test_vneid_is_not_offered_when_not_configured(app, client):
    app.config["VNEID_ISSUER"] = None
    assert "Đăng nhập bằng VNeID" not in client.get("/cong-dan/dang-nhap").get_data(as_text=True)
    assert client.get("/cong-dan/dang-nhap/vneid").status_code == 404


def test_the_provider_being_down_is_said_plainly(app, client):
    client.post("/simulators/vneid/mode", json={"mode": "error"})
    res = client.get("/cong-dan/dang-nhap/vneid")
    assert res.status_code == 502 and "Chưa kết nối được VNeID" in res.get_data(as_text=True)
