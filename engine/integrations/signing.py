"""Ký số: the signing adapter that puts a PAdES signature on an issued result.

One interface (`Signer`) with two implementations: `Pkcs12Signer` signs with a PKCS#12 file (the unit's
certificate and key, SIGNING_PKCS12 + SIGNING_PKCS12_PASSWORD) and `HttpSigningService` asks a remote
signing service (SIGNING_URL, SIGNING_KEY, SIGNING_TIMEOUT); `make run` and the tests point the latter
at the local simulator (webapp/simulators/signing.py, SIMULATOR_PATH). The remote contract:

- `POST /ky-so` with JSON {pdf (base64), reason, location, reference} answers {pdf (base64, signed),
  signer (the certificate's subject)}; HTTP 503 when the service is down, 422 when its key is unusable.

Every failure is a `SigningError` whose message says, in Vietnamese, what went wrong and what to do.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from engine.ground.errors import DomainError
from engine.integrations.http import IntegrationError, JsonClient

SIMULATOR_PATH = "/simulators/signing"
# Room kept in the PDF for the CMS signature container, in hex digits (8 KB of DER): an RSA 2048 or 4096
# signature with a chain of a few certificates fits (the demo's needs under 2 KB); a bigger one falls back to
# pyHanko's own measuring dry run.
SIGNATURE_ROOM = 16384


class SigningError(DomainError):
    """The result could not be signed; `message` is for the official, in Vietnamese."""

    code = "signing_failed"


class SigningKeyMissing(SigningError):
    """No signing key: none configured, or the file is gone or unreadable."""

    code = "signing_key_missing"


class SigningKeyExpired(SigningError):
    """The signing certificate is not valid at the moment of signing."""

    code = "signing_key_expired"


class SigningUnavailable(SigningError):
    """The remote signing service could not be reached or refused to sign."""

    code = "signing_unavailable"


@dataclass(frozen=True)
class Signed:
    """A signed PDF and who signed it."""

    pdf: bytes
    signer: str


class Signer(Protocol):
    """What the engine needs to sign a result."""

    def sign_pdf(self, pdf: bytes, *, reason: str, location: str, reference: str, now: datetime) -> Signed:
        """The PDF with a PAdES signature; SigningError when it cannot be signed."""


def outside_event_loop(work):
    """`work()` run where asyncio may start its own loop: pyHanko's synchronous calls do `asyncio.run`,
    which refuses to run inside a thread whose loop is already running (an async server, a test driver)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def subject_of(certificate) -> str:
    """Who a certificate names: its common name (else the whole subject as people read it)."""
    native = certificate.subject.native
    return str(native.get("common_name") or certificate.subject.human_friendly)


class Pkcs12Signer:
    """Signs with the certificate and key of a PKCS#12 file, read again whenever the file changes (a renewed
    certificate counts at once; an unchanged one is not decrypted on every signature)."""

    def __init__(self, path: str | Path, passphrase: str | None = None) -> None:
        self.path, self.passphrase = Path(path), passphrase
        self._cached: tuple[tuple, object] | None = None

    def _load(self, now: datetime):
        signer = self._read()
        validity = signer.signing_cert["tbs_certificate"]["validity"]
        start, end = validity["not_before"].native, validity["not_after"].native
        if not start <= now <= end:
            raise SigningKeyExpired(
                f"Chứng thư số ký kết quả ({subject_of(signer.signing_cert)}) chỉ có hiệu lực từ "
                f"{start:%d/%m/%Y} đến {end:%d/%m/%Y}; cần gia hạn hoặc cài chứng thư số mới trước khi ký")
        return signer

    def _read(self):
        from pyhanko.sign import signers

        if not self.path.is_file():
            raise SigningKeyMissing(f"Không tìm thấy tệp khóa ký số {self.path.name}; quản trị viên cần cài "
                                    "chứng thư số của đơn vị trước khi phê duyệt kết quả")
        stat = self.path.stat()
        key = (stat.st_mtime_ns, stat.st_size, self.passphrase)
        if self._cached is not None and self._cached[0] == key:
            return self._cached[1]
        unreadable = SigningKeyMissing(f"Không đọc được tệp khóa ký số {self.path.name} (sai mật khẩu hoặc tệp "
                                       "hỏng); quản trị viên cần kiểm tra chứng thư số của đơn vị")
        try:  # pyHanko answers None (and logs) for a wrong passphrase or a damaged file
            signer = signers.SimpleSigner.load_pkcs12(
                str(self.path), passphrase=self.passphrase.encode() if self.passphrase else None)
        except Exception as err:  # noqa: BLE001 - and raises several kinds for other damage
            raise unreadable from err
        if signer is None or signer.signing_cert is None:
            raise unreadable
        keep_parsed_key(signer)
        keep_signing_certificate_attribute(signer)
        self._cached = (key, signer)
        return signer

    def check(self, now: datetime) -> None:
        """Raise the SigningError a signature at `now` would raise: no file, unreadable, expired (cached read)."""
        self._load(now)

    def sign_pdf(self, pdf: bytes, *, reason: str, location: str, reference: str, now: datetime) -> Signed:
        """A PAdES B-B signature (SHA-256) on a new signature field, by incremental update."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter
        from pyhanko.sign.general import SigningError as PdfSigningError

        signer = self._load(now)
        meta = signers.PdfSignatureMetadata(field_name="ChuKySo", reason=reason, location=location,
                                            name=subject_of(signer.signing_cert), md_algorithm="sha256",
                                            subfilter=SigSeedSubFilter.PADES)
        def sign(reserved: int | None):
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            return outside_event_loop(lambda: signers.PdfSigner(meta, signer=signer).sign_pdf(
                writer, bytes_reserved=reserved))

        try:  # a known room for the signature spares pyHanko its dry run (half the signing time)
            signed = sign(SIGNATURE_ROOM)
        except PdfSigningError:  # a certificate chain too long for that room: let pyHanko measure it
            signed = sign(None)
        return Signed(signed.getvalue(), subject_of(signer.signing_cert))


def keep_parsed_key(signer) -> None:
    """pyHanko's SimpleSigner encodes its private key again and parses it on every signature (about half the
    time of a signature with RSA 2048); parse it once here and sign PKCS#1 v1.5 with that key (any other
    mechanism as pyHanko does it)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
    general = signer.sign_raw

    def sign_raw(data: bytes, digest_algorithm: str) -> bytes:
        mechanism = signer.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return general(data, digest_algorithm)
    signer.sign_raw = sign_raw


def keep_signing_certificate_attribute(signer) -> None:
    """The PAdES signed attributes with the signing-certificate-v2 attribute (the certificate's SHA-256 hash,
    its issuer and serial number) built once per certificate instead of on every signature.

    pyHanko builds that attribute anew each time, and asn1crypto encodes the new structure again at each of
    the many times it is written out (the issuer's name with it): about nine tenths of a signature's time.
    Here it is encoded once and each signature gets it parsed back from those bytes, which are written out
    as they are. The signature holds what pyHanko's PAdES attributes hold: content type and message digest
    (added by pyHanko), then this attribute; no signing time (PAdES puts the time in the signature
    dictionary) and no CAdES extras (none is asked for here)."""
    from asn1crypto import tsp
    from pyhanko.sign.attributes import SignedAttributeProviderSpec, SigningCertificateV2Provider
    from pyhanko.sign.general import as_signing_certificate_v2

    class KeptSigningCertificate(SigningCertificateV2Provider):
        def __init__(self, certificate) -> None:
            super().__init__(certificate)
            self.der = as_signing_certificate_v2(certificate).dump()

        async def build_attr_value(self, dry_run=False):
            return tsp.SigningCertificateV2.load(self.der)

    class PadesAttributes(SignedAttributeProviderSpec):
        def __init__(self, certificate) -> None:
            self.signing_certificate = KeptSigningCertificate(certificate)

        def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
            yield self.signing_certificate

    signer.signed_attr_prov_spec = PadesAttributes(signer.signing_cert)


class HttpSigningService:
    """The remote signing service's HTTP API (see the module's docstring)."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 20.0) -> None:
        self.client = JsonClient(base_url, api_key, timeout)

    def sign_pdf(self, pdf: bytes, *, reason: str, location: str, reference: str, now: datetime) -> Signed:
        """POST /ky-so; SigningUnavailable when the service is down or answers without a signed PDF."""
        body = {"pdf": base64.b64encode(pdf).decode(), "reason": reason, "location": location,
                "reference": reference}
        try:
            answer = self.client.call("POST", "/ky-so", body, idempotency_key=reference)
        except IntegrationError as err:
            raise SigningUnavailable("Dịch vụ ký số từ xa không phản hồi hoặc từ chối ký; kết quả chưa được "
                                     f"ký và chưa cấp số. Thử lại sau ít phút ({err})") from err
        try:
            signed = base64.b64decode(str(answer["pdf"]), validate=True)
        except (KeyError, TypeError, ValueError) as err:
            raise SigningUnavailable("Dịch vụ ký số trả lời không có tệp đã ký; kết quả chưa được cấp") from err
        if not signed.startswith(b"%PDF-"):
            raise SigningUnavailable("Dịch vụ ký số trả về tệp không phải PDF; kết quả chưa được cấp")
        return Signed(signed, str(answer.get("signer") or ""))
