"""The QR code on the receipt (form 01): the dossier's public lookup address, drawn by segno."""
from __future__ import annotations

import segno

ERROR_LEVEL = "m"  # 15 % of the code may be lost (a fold, a stamp) and it still reads


def qr_code(text: str) -> segno.QRCode:
    """The QR code of `text` (never a Micro QR: phones' readers skip those)."""
    return segno.make(text, error=ERROR_LEVEL, micro=False)


def qr_data_uri(text: str) -> str:
    """A PNG data URI of the QR code of `text`, for an <img> that needs no other file.

    Two pixels a module: the templates size the image (22 to 26 mm) and draw it `image-rendering: pixelated`,
    so a bigger PNG adds no sharpness, only time (segno's PNG writer, WeasyPrint's decoding and embedding:
    about 3 ms less a PDF than at 8). One pixel a module prints the same but looks grey in poppler at screen
    resolutions, where it scales the picture up smoothly."""
    return qr_code(text).png_data_uri(scale=2, border=2)


def qr_matrix(text: str) -> tuple[tuple[int, ...], ...]:
    """The modules of the QR code of `text` (1 dark, 0 light): to compare two codes exactly."""
    return tuple(tuple(row) for row in qr_code(text).matrix)
