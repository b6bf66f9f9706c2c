"""Escaping HTML builders and the display components (text, html, image, ...) of a form.

Nothing from a form file or from submitted data is ever output unescaped:
:func:`tag` escapes every attribute value and every piece of content that is
not already :class:`~markupsafe.Markup` built here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup, escape

VOID_ELEMENTS = frozenset({"input", "hr", "br", "img"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_HEADING_RE = re.compile(r"(#{1,6})\s+(.*)")
_BULLET_RE = re.compile(r"\s*[-*+]\s+(.*)")
_LINK_RE = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_RE = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")
_SAFE_LINK_RE = re.compile(r"(?:https?://|mailto:|/(?!/)|#)", re.IGNORECASE)
_DATA_IMAGE_RE = re.compile(r"data:image/(?:png|jpe?g|gif|webp|svg\+xml|avif|bmp)[;,]", re.IGNORECASE)
_SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_UNSAFE_CHARS_RE = re.compile(r"[\x00-\x20\\<>\"'`]")


def attributes(values: Mapping[str, Any]) -> Markup:
    """Render HTML attributes: ``None``/``False`` are left out, ``True`` gives a bare name."""
    parts = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(Markup(" ") + Markup(name))
        else:
            parts.append(Markup(' {}="{}"').format(Markup(name), value))
    return Markup("").join(parts)


def tag(name: str, attrs: Mapping[str, Any] | None = None, *content: Any) -> Markup:
    """Build one element; ``content`` items are escaped unless they are Markup, ``None`` is skipped."""
    opening = Markup("<{}{}>").format(Markup(name), attributes(attrs or {}))
    if name in VOID_ELEMENTS:
        return opening
    inner = Markup("").join(escape(item) for item in content if item is not None)
    return opening + inner + Markup("</{}>").format(Markup(name))


def lines_to_html(text: str) -> Markup:
    """Escape ``text`` and keep its line breaks as ``<br>``."""
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())


def _inline(text: str) -> Markup:
    """Escape one line of markdown-ish text, then apply links, **bold** and *italic*."""
    html = str(escape(text))

    def link(match: re.Match) -> str:
        """An ``<a>`` for a safe address; anything else is left as text."""
        label, url = match.group(1), match.group(2)
        if not _SAFE_LINK_RE.match(url):
            return match.group(0)
        return f'<a href="{url}" rel="noopener noreferrer">{label}</a>'

    html = _LINK_RE.sub(link, html)
    html = _BOLD_RE.sub(r"<strong>\1</strong>", html)
    return Markup(_ITALIC_RE.sub(r"<em>\1</em>", html))


def _block(block: str) -> Markup:
    """Render one blank-line separated block: a heading, a bullet list or a paragraph."""
    lines = [line.rstrip() for line in block.splitlines()]
    heading = _HEADING_RE.fullmatch(lines[0].strip())
    if heading and len(lines) == 1:
        level = min(len(heading.group(1)) + 2, 6)
        return tag(f"h{level}", {"class": "h5" if level < 5 else "h6"}, _inline(heading.group(2)))
    bullets = [_BULLET_RE.fullmatch(line) for line in lines]
    if all(bullets):
        return tag("ul", {}, *(tag("li", {}, _inline(match.group(1))) for match in bullets))
    return tag("p", {}, Markup("<br>\n").join(_inline(line.strip()) for line in lines))


def render_text(source: Any) -> Markup:
    """Render a form-js ``text`` component (markdown-ish) as escaped HTML.

    Supported: paragraphs (blank lines), line breaks, ``# headings``, ``- bullet``
    lists, ``**bold**``, ``*italic*`` and ``[links](https://...)`` to http(s),
    mailto or same-site addresses. A FEEL expression (``=...``) is not shown.
    """
    if not isinstance(source, str) or not source.strip() or source.lstrip().startswith("="):
        return Markup("")
    blocks = [b for b in re.split(r"\n[ \t]*\n", source.strip().replace("\r\n", "\n")) if b.strip()]
    return tag("div", {"class": "mb-3 form-text-block"}, *(_block(b) for b in blocks))


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, dropping tags, scripts and styles."""

    def __init__(self) -> None:
        """Start with no text and outside any skipped element."""
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Enter a skipped element, or break the line before a block element."""
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Leave a skipped element, or break the line after a block element."""
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep text that is not inside a skipped element."""
        if not self.skipping:
            self.parts.append(data)


def render_html_component(source: Any) -> Markup:
    """Render a form-js ``html`` component as escaped plain text (its tags are dropped, never output)."""
    if not isinstance(source, str) or source.lstrip().startswith("="):
        return Markup("")
    extractor = _TextExtractor()
    extractor.feed(source)
    extractor.close()
    lines = [" ".join(line.split()) for line in "".join(extractor.parts).splitlines()]
    text = "\n".join(line for line in lines if line)
    return tag("div", {"class": "mb-3 form-html"}, lines_to_html(text)) if text else Markup("")


def safe_image_source(source: Any) -> str | None:
    """Return ``source`` if it is a relative path or a ``data:image/...`` URL, else ``None``."""
    if not isinstance(source, str) or not source.strip() or source.lstrip().startswith("="):
        return None
    source = source.strip()
    if _DATA_IMAGE_RE.match(source):
        return None if re.search(r"[\x00-\x20<>\"']", source) else source
    if _SCHEME_RE.match(source) or source.startswith("//") or _UNSAFE_CHARS_RE.search(source):
        return None
    return source


def render_image(component: Mapping[str, Any]) -> Markup:
    """Render an ``image`` component whose source is safe (see :func:`safe_image_source`)."""
    source = safe_image_source(component.get("source"))
    if source is None:
        return Markup("")
    alt = component.get("alt") if isinstance(component.get("alt"), str) else ""
    return tag("div", {"class": "mb-3"}, tag("img", {"src": source, "alt": alt, "class": "img-fluid"}))


def render_spacer(component: Mapping[str, Any]) -> Markup:
    """Render a ``spacer`` component as empty vertical space of its ``height`` (60 px by default)."""
    height = component.get("height", 60)
    if not isinstance(height, int | float) or isinstance(height, bool) or not 0 <= height <= 1000:
        height = 60
    return tag("div", {"class": "form-spacer", "style": f"height: {int(height)}px", "aria-hidden": "true"})


def render_display(component: Mapping[str, Any]) -> Markup:
    """Render a display component; ``button`` and unsupported types give nothing."""
    kind = component.get("type")
    if kind == "text":
        return render_text(component.get("text"))
    if kind == "html":
        return render_html_component(component.get("content"))
    if kind == "separator":
        return tag("hr", {})
    if kind == "spacer":
        return render_spacer(component)
    if kind == "image":
        return render_image(component)
    return Markup("")
