"""Tìm kiếm không dấu: names folded for searching (lower case, no diacritics, đ → d, single spaces).

"Nguyễn Thị Bình", "nguyen thi binh" and "NGUYEN  THI BINH" all fold to "nguyen thi binh". A dossier keeps
its applicant's folded name, and the other names its declaration gives (`searchable_names`: the child's,
the parents', the business's, the deceased's), in an indexed column (set on every write,
engine.models.dossier), so the worklist filters on it in the database; `like_pattern` escapes what the official typed, so `%` and `_`
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


NAME_FIELD_SUFFIX = "_name"  # the declaration's name fields: child_full_name, business_name, deceased_name, ...
NAMES_LENGTH = 255
NAMES_SEPARATOR = " | "


def searchable_names(applicant_name: str | None, declaration: object) -> str:
    """The folded names a dossier is found by: the applicant's first, then each name field of the
    declaration once, cut to the indexed column's length."""
    names = [applicant_name or ""]
    if isinstance(declaration, dict):
        names += [value for key, value in declaration.items()
                  if key.endswith(NAME_FIELD_SUFFIX) and isinstance(value, str)]
    folded = dict.fromkeys(f for f in (fold(name) for name in names) if f)
    return NAMES_SEPARATOR.join(folded)[:NAMES_LENGTH]


def like_pattern(text: str, prefix: str = "%", suffix: str = "%") -> str:
    """A LIKE pattern that finds `text` literally (with ESCAPE as the escape character)."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"{prefix}{escaped}{suffix}"
