"""The quarterly report rendered: one xlsx sheet per section, or one A4 landscape PDF."""
from __future__ import annotations

import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from forms.printing.render import FONT_FAMILY, FONT_FILES, FONTS_DIR, render_pdf

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _sheet_title(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    while name in used:
        name = name[:28] + f" {len(used)}"
    used.add(name)
    return name


def report_xlsx(report: dict) -> bytes:
    """The report as an Excel workbook: a title block then each section on its own sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book, used, bold = Workbook(), set(), Font(bold=True)
    book.remove(book.active)
    for section in report["sections"]:
        sheet = book.create_sheet(_sheet_title(section.get("sheet") or section["title"], used))
        sheet.append([report["title"]])
        sheet.append([f"{report['unit']} · {report['period']} · lập lúc {report['generated_at']}"])
        sheet.append([section["title"]])
        sheet.append(section["headings"])
        for row in section["rows"]:
            sheet.append(list(row))
        for cell in (sheet["A1"], sheet["A3"], *sheet[4]):
            cell.font = bold
        for cells in sheet.iter_rows(min_row=4):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in sheet.iter_cols(min_row=4):
            width = max((len(str(c.value or "")) for c in column), default=8)
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
    return env


def report_html(report: dict, font_url: str | None = None) -> str:
    """The report as one printable HTML document (fonts from `font_url`, default the font files)."""
    return _environment().get_template("quarterly.html").render(
        report=report, font_url=(font_url or FONTS_DIR.as_uri()).rstrip("/"))


def report_pdf(report: dict) -> bytes:
    """The report as PDF, through WeasyPrint with the forms' Vietnamese font (FontsMissing without it)."""
    return render_pdf(report_html(report))
