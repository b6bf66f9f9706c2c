"""Mẫu số 07, Sổ theo dõi hồ sơ: the tracking book of a unit for a period, printable and as xlsx."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO

from forms.printing.contexts import TITLES, header, signature
from forms.printing.model import Agency, BookPeriod, BookRow
from forms.printing.text import date_text, short_text, upper
from forms.spreadsheet import append_row

# (key, heading) of each column, in the book's order; the PDF and the spreadsheet share them.
COLUMNS = (
    ("serial", "STT"),
    ("code", "Mã hồ sơ"),
    ("procedure", "Tên thủ tục hành chính"),
    ("applicant", "Tên cá nhân, tổ chức"),
    ("contact", "Địa chỉ, số điện thoại"),
    ("lead_unit", "Cơ quan chủ trì giải quyết"),
    ("received_at", "Ngày, giờ nhận hồ sơ"),
    ("due_at", "Ngày, giờ hẹn trả kết quả"),
    ("extended_due_at", "Ngày, giờ hẹn trả lại (gia hạn)"),
    ("completed_at", "Ngày, giờ có kết quả (kết thúc xử lý)"),
    ("returned_at", "Ngày, giờ trả kết quả cho người nộp"),
    ("return_method", "Hình thức trả kết quả"),
    ("receiver", "Ký nhận"),
    ("note", "Ghi chú"),
)
WIDTHS = (6, 22, 30, 22, 30, 24, 17, 17, 17, 17, 17, 18, 20, 16)


def book_row(row: BookRow) -> dict:
    """A row of the book as printed: every column as text."""
    contact = ", ".join(part for part in (row.address, row.phone) if part)
    return {"serial": row.serial, "code": row.code, "procedure": row.procedure, "applicant": row.applicant,
            "contact": contact, "lead_unit": row.lead_unit, "received_at": short_text(row.received_at),
            "due_at": short_text(row.due_at), "extended_due_at": short_text(row.extended_due_at),
            "completed_at": short_text(row.completed_at), "returned_at": short_text(row.returned_at),
            "return_method": row.return_method, "receiver": row.receiver, "note": row.note}


def tracking_book(agency: Agency, period: BookPeriod, issued_at: datetime) -> dict:
    """The context of form 07: the unit, the period and one row per dossier received in it."""
    span = f"Từ ngày {date_text(period.start)} đến ngày {date_text(period.end)}"
    return {"form": "07", "title": upper(TITLES["07"]), "header": header(agency, "", issued_at, desk=True),
            "agency": agency, "unit": period.unit, "period": span, "columns": COLUMNS,
            "rows": [book_row(row) for row in period.rows], "count": len(period.rows),
            "signatures": [signature("Người lập sổ"),
                           signature(agency.signatory_title, agency.signatory_name)]}


def tracking_book_xlsx(context: dict) -> bytes:
    """The tracking book as an Excel workbook: a title block, the column headings, one row a dossier."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "So theo doi ho so"
    append_row(sheet, [context["header"]["agency"]])
    append_row(sheet, [context["title"]])
    append_row(sheet, [f"{context['unit']} · {context['period']}"])
    sheet.append([])
    append_row(sheet, [heading for _key, heading in COLUMNS])
    for row in context["rows"]:
        append_row(sheet, [row[key] for key, _heading in COLUMNS])
    bold = Font(bold=True)
    for cell in (sheet["A1"], sheet["A2"], *sheet[5]):
        cell.font = bold
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A6"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
