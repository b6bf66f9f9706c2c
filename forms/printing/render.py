"""One rendering path for the standard forms: Jinja HTML for the browser, the same HTML to PDF.

The browser prints the HTML itself (A4 print CSS); WeasyPrint turns the same HTML into a PDF.
The only difference is where the fonts come from: a web address for the browser, a file URL
for WeasyPrint (which also takes the inline stylesheet apart, to parse it once per process).
"""
from __future__ import annotations

import atexit
import re
import threading
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
FONTS_DIR = HERE / "fonts"
FONT_FAMILY = "MotCua Serif"  # a name of our own, so that no system font stands in unnoticed
# (file, CSS font-weight, CSS font-style): Noto Serif from npm, copied here by `make static`
FONT_FILES = (
    ("NotoSerif_400Regular.ttf", 400, "normal"),
    ("NotoSerif_400Regular_Italic.ttf", 400, "italic"),
    ("NotoSerif_700Bold.ttf", 700, "normal"),
    ("NotoSerif_700Bold_Italic.ttf", 700, "italic"),
)
FORMS = ("01", "02", "03", "04", "05", "06", "07", "BG")  # BG: danh sách bàn giao hồ sơ (forms.printing.handover)


class FontsMissing(RuntimeError):
    """The Vietnamese font files are not installed (run `make static`)."""


def missing_fonts() -> list[str]:
    """The font files that `make static` should have copied but did not."""
    return [name for name, _weight, _style in FONT_FILES if not (FONTS_DIR / name).is_file()]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(font_family=FONT_FAMILY, font_files=FONT_FILES)
    return env


def render_html(context: dict, *, font_url: str | None = None, toolbar: str = "", nonce: str = "") -> str:
    """The form of `context["form"]` as a whole HTML document.

    `font_url` is the address of the fonts folder (default: its file URL, for WeasyPrint);
    `toolbar` is trusted HTML shown on screen above the sheet and never printed; `nonce` is the
    page's Content-Security-Policy nonce, which the inline stylesheet carries in the browser.
    """
    form = context["form"]
    if form not in FORMS:
        raise ValueError(f"Không có mẫu số {form}")
    template = _environment().get_template(f"form{form}.html")
    return template.render(**context, font_url=(font_url or FONTS_DIR.as_uri()).rstrip("/"),
                           toolbar=Markup(toolbar), nonce=nonce)


def render_pdf(html: str) -> bytes:
    """The HTML of a form (rendered with file font URLs) as PDF bytes, through WeasyPrint.

    Raises FontsMissing when the Vietnamese font is not installed: a PDF in a stand-in font may
    lose diacritics, and a legal form must not.
    """
    missing = missing_fonts()
    if missing:
        raise FontsMissing(f"Thiếu phông chữ {', '.join(missing)} trong {FONTS_DIR}; hãy chạy `make static`")
    from weasyprint import HTML

    html, css = _split_styles(html)
    with _FONTS_LOCK:  # the stylesheet's @font-face rules go into the shared font configuration too
        return HTML(string=html, base_url=BASE_URL).write_pdf(
            font_config=_font_config(), stylesheets=[_stylesheet(css)] if css else None)


BASE_URL = TEMPLATES.as_uri() + "/"
# The <style> elements our templates write: no media or type attribute, at most the page's CSP nonce.
_STYLE = re.compile(r'<style(?: nonce="[^"<>]*")?>(.*?)</style>', re.DOTALL)


def _split_styles(html: str) -> tuple[str, str]:
    """The HTML without its inline stylesheets, and their CSS in document order (empty: keep the HTML as is).

    The CSS of a form or a result is the same on every sheet of it (only the data changes), so WeasyPrint
    parses it once per process (`_stylesheet`) instead of once per PDF. Passed as one stylesheet of the
    user origin it cascades as before: it holds every rule of the page in the same order, and the user
    agent's sheet still comes under it and `style` attributes over it. A <style> of another kind (a media
    query, a type) leaves the document to WeasyPrint whole.
    """
    parts = _STYLE.findall(html)
    if not parts or html.count("<style") != len(parts):
        return html, ""
    return _STYLE.sub("", html), "\n".join(parts)


@lru_cache(maxsize=64)
def _stylesheet(css: str):
    from weasyprint import CSS

    return CSS(string=css, base_url=BASE_URL, font_config=_font_config())


# WeasyPrint loads each @font-face once per FontConfiguration and skips the ones it already has, so one
# configuration per process spares every PDF the loading of the four Noto Serif files (about a third of the
# time of a one-page result). It is not made for concurrent use: one PDF at a time per process.
_FONTS_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _forget_fonts() -> None:
    """Drop the font configuration (and the stylesheets that loaded their fonts into it): its temporary
    font folder goes while the interpreter can still remove it."""
    _stylesheet.cache_clear()
    _font_config.cache_clear()


atexit.register(_forget_fonts)


def form_pdf(context: dict) -> bytes:
    """Render the form of `context` straight to PDF."""
    return render_pdf(render_html(context))
