"""The PAdES signature fits the room kept for it, and a certificate too big for the room still signs."""
from datetime import datetime

from weasyprint import HTML

from engine.calendar.working import TZ
from engine.integrations import signing
from engine.integrations.pades import load_roots, verify_pdf
from engine.integrations.signing import Pkcs12Signer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def _sign(signing_keys):
    pdf = HTML(string="<p>Giấy khai sinh</p>").write_pdf()
    signer = Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase)
    return signer.sign_pdf(pdf, reason="Cấp Giấy khai sinh", location="Hà Nội", reference="t", now=NOW)


def test_the_signature_in_its_kept_room_validates(signing_keys):
    signed = _sign(signing_keys)
    check = verify_pdf(signed.pdf, load_roots([signing_keys.ca_pem]))
    assert check.valid and "Hoàn Kiếm" in signed.signer


def test_a_room_too_small_falls_back_to_measuring_and_still_validates(signing_keys, monkeypatch):
    monkeypatch.setattr(signing, "SIGNATURE_ROOM", 64)  # far below any real container
    signed = _sign(signing_keys)
    assert verify_pdf(signed.pdf, load_roots([signing_keys.ca_pem])).valid
