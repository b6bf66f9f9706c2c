"""Giấy tờ kết quả: a procedure's own result template (result.html), rendered like the standard forms.

The template comes from the procedure folder, written by whoever maintains the procedure, so it runs in
Jinja's sandbox. It may extend the forms' `_layout.html` and use `_macros.html` (the national motto
header, signature blocks): the same A4 print CSS, the same fonts, the same WeasyPrint path to PDF. A result
document extends `_result.html` (the framed certificate, DỰ THẢO mark, number, facts table, signatures, QR) and
fills only its heading and facts.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, TemplateError, Undefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from forms.printing.render import FONT_FAMILY, FONT_FILES, FONTS_DIR, TEMPLATES

RESULT_TEMPLATE = "result.html"


class ResultTemplateError(ValueError):
    """The procedure's result template does not render; the message says where."""


@lru_cache(maxsize=32)
def _environment(template_text: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=ChoiceLoader([DictLoader({RESULT_TEMPLATE: template_text}),
                                                    FileSystemLoader(TEMPLATES)]),
                               autoescape=select_autoescape(["html"]), undefined=Undefined,
                               trim_blocks=True, lstrip_blocks=True)
    env.globals.update(font_family=FONT_FAMILY, font_files=FONT_FILES)
    return env


def check_template(template_text: str) -> str | None:
    """A syntax problem of the template as one line, or None when it parses."""
    try:
        _environment(template_text).parse(template_text)
    except TemplateError as err:
        return f"dòng {getattr(err, 'lineno', '?')}: {err}"
    return None


def render_result(template_text: str, context: dict, *, font_url: str | None = None, toolbar: str = "",
                  nonce: str = "") -> str:
    """The result document as a whole HTML page (fonts by file URL for WeasyPrint unless `font_url`)."""
    try:
        template = _environment(template_text).get_template(RESULT_TEMPLATE)
        return template.render(**context, form="KQ", font_url=(font_url or FONTS_DIR.as_uri()).rstrip("/"),
                               toolbar=Markup(toolbar), nonce=nonce)
    except TemplateError as err:
        raise ResultTemplateError(f"Mẫu giấy tờ kết quả {RESULT_TEMPLATE} lỗi ở dòng "
                                  f"{getattr(err, 'lineno', '?')}: {err}") from err


def render_pdf_of(html: str) -> bytes:
    """The rendered result as PDF (the standard forms' WeasyPrint path, fonts checked)."""
    from forms.printing.render import render_pdf

    return render_pdf(html)
