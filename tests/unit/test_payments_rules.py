"""The fee of a procedure and the gateway's callback signature, without a database."""
from __future__ import annotations

from pathlib import Path

import yaml

from engine.dossier.fees import fee_of
from engine.integrations.payment_gateway import sign, verify

ROOT = Path(__file__).resolve().parents[2] / "procedures"


def catalogue(code: str) -> dict:
    return yaml.safe_load((next(ROOT.glob(f"{code}-*")) / "procedure.yaml").read_text(encoding="utf-8"))


def test_the_building_permits_fee_comes_from_its_procedure_yaml():
    amount, description = fee_of(catalogue("1.013225"))
    assert amount == 75000 and "giấy phép xây dựng" in description


def test_fees_add_up_and_free_lines_are_not_named():
    amount, description = fee_of({"fees": [{"name": "Lệ phí", "amount": 50000}, {"name": "Phí thẩm định", "amount": 0},
                                           {"name": "Phí", "amount": 25000}]})
    assert (amount, description) == (75000, "Lệ phí; Phí")
    assert fee_of({}) == (0, "Lệ phí")


def test_a_signature_verifies_only_with_the_same_secret_and_the_same_bytes():
    body = b'{"order_id": "MC1", "amount": 75000}'
    signature = sign("s3cret", body)
    assert len(signature) == 64 and verify("s3cret", body, signature) and verify("s3cret", body, signature.upper())
    assert not verify("other", body, signature)
    assert not verify("s3cret", body.replace(b"75000", b"7500"), signature)
    assert not verify("s3cret", body, None) and not verify("", body, sign("", body))
