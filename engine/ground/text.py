"""Text as people type it, made fit to keep: one Unicode form (NFC), no direction overrides, a length bound.

A name typed with combining marks ("Nguye\u0302\u0303n") and one typed precomposed ("Nguyễn") are the
same name, so every name is stored in NFC; bidirectional embedding, override and isolate controls
(U+202A–U+202E, U+2066–U+2069) can make a name or a file name read differently from what it is
(`\u202efdp.exe`), so they are refused.
"""
from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
NAME_LIMIT = 255


def has_bidi_control(text: str) -> bool:
    """Whether the text holds a bidirectional embedding, override or isolate control."""
    return bool(BIDI_CONTROLS.search(text))


def text_problem(value: object, limit: int = NAME_LIMIT) -> str | None:
    """Why `value` cannot be kept as a name-like text (None when it can), in Vietnamese."""
    if not isinstance(value, str):
        return "Cần một chuỗi ký tự."
    if has_bidi_control(value):
        return "Không được chứa ký tự điều khiển hướng chữ."
    if len(unicodedata.normalize("NFC", value).strip()) > limit:
        return f"Tối đa {limit} ký tự."
    return None


def clean_text(value: str) -> str:
    """The text in NFC with surrounding spaces removed and inner runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFC", value).split())
