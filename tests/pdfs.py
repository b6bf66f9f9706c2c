"""Reading the forms' PDFs as a person would: their text, their pages as pictures, their QR code."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "forms"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def squeeze(text: str) -> str:
    """Text with every run of white space as one space, in NFC (composed diacritics)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(pdf: bytes) -> str:
    """The text of every page, as pypdf extracts it, squeezed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return squeeze(" ".join(page.extract_text() for page in reader.pages))


def assert_fields(text: str, *values: object) -> None:
    """Each value appears in the text (as printed: white space may differ)."""
    missing = [v for v in values if squeeze(str(v)) not in text]
    assert not missing, f"missing {missing} in: {text}"


def pdf_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts embedded in the PDF (without the subset prefix)."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont", "")).split("+")[-1])
    return names


def save_pngs(pdf: bytes, name: str, dpi: int = 110) -> list[Path]:
    """The PDF's pages as PNG files under test-artifacts/forms (poppler's pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing: apt-get install poppler-utils (.ci/run does)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
                   check=True, timeout=60)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def decode_qr(png: Path) -> list[str]:
    """The texts of the QR codes found in a picture (zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    return [result.text for result in zxingcpp.read_barcodes(Image.open(png))]
