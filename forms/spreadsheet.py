"""Cells of the xlsx exports (audit, tracking book, quarterly report) that are safe to open.

Whatever a user typed (a name, an address, a note) is written as text, never as a formula: a value
that a spreadsheet would read as one (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets
a leading apostrophe, as OWASP advises against CSV/formula injection; and characters that the xlsx format
cannot hold (control characters, lone surrogates) are dropped, so that one bad name never makes an
export fail.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def text_cell(value: str) -> str:
    """A text as a spreadsheet cell may hold it: control characters dropped, formula starts quoted."""
    clean = CONTROL.sub("", value)
    return "'" + clean if clean.startswith(FORMULA_START) else clean


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to an openpyxl sheet; every text goes in as text (see the module's rule)."""
    sheet.append([text_cell(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
