"""The PAdES signature carries the signed attributes pyHanko's own PAdES signer puts in it, though the
signing-certificate-v2 attribute is built once per certificate (engine.integrations.signing)."""
import io
from datetime import datetime

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import as_signing_certificate_v2
from weasyprint import HTML

from engine.calendar.working import TZ
from engine.integrations.pades import load_roots, verify_pdf
from engine.integrations.signing import Pkcs12Signer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def test_each_signature_names_the_signing_certificate_by_its_sha256_hash(signing_keys):
    pdf = HTML(string="<p>Giấy khai sinh</p>").write_pdf()
    signer = Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase)
    roots = load_roots([signing_keys.ca_pem])
    for reference in ("một", "hai"):  # the second one reuses the attribute the first one built
        signed = signer.sign_pdf(pdf, reason="Cấp Giấy khai sinh", location="Hà Nội", reference=reference, now=NOW)
        assert verify_pdf(signed.pdf, roots).valid
        signed_data = PdfFileReader(io.BytesIO(signed.pdf)).embedded_signatures[0].signed_data
        info = signed_data["signer_infos"][0]
        attributes = {a["type"].native: a["values"] for a in info["signed_attrs"]}
        assert list(attributes) == ["content_type", "message_digest", "signing_certificate_v2"]
        assert info["digest_algorithm"]["algorithm"].native == "sha256"
        [certificate] = [c.chosen for c in signed_data["certificates"] if "Hoàn Kiếm" in c.chosen.subject.human_friendly]
        expected = as_signing_certificate_v2(x509.Certificate.load(certificate.dump()))
        assert attributes["signing_certificate_v2"][0].dump() == expected.dump()
