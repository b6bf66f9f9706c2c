"""Tìm kiếm không dấu: names folded for searching (lower case, no diacritics, đ → d, single spaces).

"Nguyễn Thị Bình", "nguyen thi binh" and "NGUYEN  THI BINH" all fold to "nguyen thi binh". A dossier keeps
its applicant's folded name in an indexed column (set on every write, engine.models.dossier), so the
worklist filters on it in the database; `like_pattern` escapes what the official typed, so `%` and `_`
are searched as themselves.
"""
from __future__ import annotations

import unicodedata

ESCAPE = "\\"


def fold(text: str | None) -> str:
    """The searchable form of a text: no diacritics, lower case, words separated by one space."""
    plain = unicodedata.normalize("NFKD", (text or "").replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def like_pattern(text: str, prefix: str = "%", suffix: str = "%") -> str:
    """A LIKE pattern that finds `text` literally (with ESCAPE as the escape character)."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"{prefix}{escaped}{suffix}"
