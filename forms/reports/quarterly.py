"""The quarterly report rendered: one xlsx sheet per section, or one A4 landscape PDF."""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from forms.printing.render import FONT_FAMILY, FONT_FILES, FONTS_DIR, render_pdf
from forms.spreadsheet import append_row, text_cell

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _sheet_title(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    while name in used:
        name = name[:28] + f" {len(used)}"
    used.add(name)
    return name


def vn_number(value: int | float, decimals: int = 0) -> str:
    """A number as Vietnamese writes it: `.` between thousands, `,` before decimals (1.234,5)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def cell_text(value: object) -> str:
    """A report cell for reading: a rate as `75,0%`, a moment as `dd/mm/yyyy HH:MM`, a count as `1.234`."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return vn_number(value * 100, 1) + "%"
    if isinstance(value, int):
        return vn_number(value)
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    return str(value)


def _xlsx_cell(cell, value: object) -> None:
    """Real cells: a count as a number, a rate as a percentage, a moment as a date and time (local, no zone)."""
    if isinstance(value, float) and not isinstance(value, bool):
        cell.value, cell.number_format = value, "0.0%"
    elif isinstance(value, datetime):
        cell.value, cell.number_format = value.replace(tzinfo=None), "dd/mm/yyyy hh:mm"
    elif value is None:
        cell.value = "–"
    elif isinstance(value, str):  # a name someone typed: text, never a formula (forms.spreadsheet)
        cell.value = text_cell(value)
        cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, int):
            cell.number_format = "#,##0"


def report_xlsx(report: dict) -> bytes:
    """The report as an Excel workbook: a title block then each section on its own sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book, used, bold = Workbook(), set(), Font(bold=True)
    book.remove(book.active)
    for section in report["sections"]:
        sheet = book.create_sheet(_sheet_title(section.get("sheet") or section["title"], used))
        append_row(sheet, [report["title"]])
        append_row(sheet, [f"{report['unit']} · {report['period']} · lập lúc {report['generated_at']}"])
        append_row(sheet, [section["title"]])
        append_row(sheet, section["headings"])
        for number, row in enumerate(section["rows"], start=5):
            for column, value in enumerate(row, start=1):
                _xlsx_cell(sheet.cell(row=number, column=column), value)
        for cell in (sheet["A1"], sheet["A3"], *sheet[4]):
            cell.font = bold
        for cells in sheet.iter_rows(min_row=4):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in sheet.iter_cols(min_row=4):
            width = max((16 if isinstance(c.value, datetime) else len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        sheet.freeze_panes = "A5"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(font_family=FONT_FAMILY, font_files=FONT_FILES)
    env.filters["cell"] = cell_text
    return env


def report_html(report: dict, font_url: str | None = None) -> str:
    """The report as one printable HTML document (fonts from `font_url`, default the font files)."""
    return _environment().get_template("quarterly.html").render(
        report=report, font_url=(font_url or FONTS_DIR.as_uri()).rstrip("/"))


def report_pdf(report: dict) -> bytes:
    """The report as PDF, through WeasyPrint with the forms' Vietnamese font (FontsMissing without it)."""
    return render_pdf(report_html(report))
