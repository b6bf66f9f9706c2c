"""Supervision reports (the quarterly report) as xlsx and PDF, from plain data.

A report is a dict: `title`, `unit`, `period`, `generated_at` and `sections`, each section a
dict with `title`, `headings` and `rows` (lists of plain values). No database and no web
framework here; the PDF goes through the printed forms' WeasyPrint path and font.
"""

from forms.reports.quarterly import report_html, report_pdf, report_xlsx

__all__ = ["report_html", "report_pdf", "report_xlsx"]
