"""The standard forms 01 to 07 (Circular 03/2025/TT-VPCP) as printable HTML, PDF and xlsx.

Build a form's context with a pure function of :mod:`forms.printing.contexts` (or
:func:`forms.printing.book.tracking_book`) from the plain data of :mod:`forms.printing.model`,
then :func:`render_html` for the browser or :func:`form_pdf` for a PDF. No web framework and
no database here: the engine gathers the data, the web application serves the result.
"""

from forms.printing.book import tracking_book, tracking_book_xlsx
from forms.printing.contexts import TITLES
from forms.printing.model import Agency, Applicant, BookPeriod, BookRow, DocumentRow, DossierFacts, HandOff
from forms.printing.qr import qr_data_uri, qr_matrix
from forms.printing.render import FONTS_DIR, FontsMissing, form_pdf, missing_fonts, render_html, render_pdf

__all__ = [
    "Agency", "Applicant", "BookPeriod", "BookRow", "DocumentRow", "DossierFacts", "FONTS_DIR",
    "FontsMissing", "HandOff", "TITLES", "form_pdf", "missing_fonts", "qr_data_uri", "qr_matrix",
    "render_html", "render_pdf", "tracking_book", "tracking_book_xlsx",
]
