"""Active content out of a post's HTML, with a real sanitizer (nh3: Rust's ammonia).

The HTML goes to a QTextBrowser, which runs no script and shows a subset of HTML 4 and
CSS 2 (:doc:`Qt's "Supported HTML Subset"`). What is kept here is that subset and the
harmless HTML5 elements around it (their text shows); everything else goes, with the
content of the elements whose content is not text for a reader (``<script>``,
``<style>``, ``<iframe>`` …). The parse is the HTML5 one a browser makes, so nested and
broken tags (``<sty<style></style>le>``) cannot leave a live element behind.

The viewer still answers every resource itself: this is the first of two walls, not
the only one.
"""

from __future__ import annotations

import nh3

#: Elements kept (ammonia's safe list, plus what Qt shows of HTML 4).
TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "big", "center", "font", "nobr", "tfoot", "caption", "address", "section", "main",
}  # fmt: skip
#: Elements dropped with everything inside them.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "form", "textarea", "select"}
)
_EVERYWHERE = {"class", "id", "title", "lang", "dir", "align", "style"}
_CELL = {"colspan", "rowspan", "width", "height", "valign", "bgcolor", "nowrap", "scope"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _EVERYWHERE,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color", "size", "face"},
    "table": {"border", "cellpadding", "cellspacing", "width", "bgcolor"},
    "tr": {"valign", "bgcolor"},
    "td": _CELL,
    "th": _CELL,
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "hr": {"width", "size"},
    "pre": {"width"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
#: CSS properties kept in a ``style`` attribute: those Qt draws that name no resource
#: (no ``background``/``background-image``, no ``list-style-image``: they take a URL).
STYLE_PROPERTIES = frozenset(
    {
        "color", "background-color", "font-family", "font-size", "font-style", "font-weight",
        "font-variant", "text-align", "text-decoration", "text-indent", "text-transform",
        "vertical-align", "white-space", "line-height", "width", "height", "margin",
        "margin-top", "margin-bottom", "margin-left", "margin-right", "padding", "padding-top",
        "padding-bottom", "padding-left", "padding-right", "border", "border-width",
        "border-style", "border-color", "border-collapse", "list-style-type", "direction",
    }
)  # fmt: skip
#: Link and image schemes kept; ``reader:`` is the viewer's own (posts, categories,
#: tags), ``data:`` images show inline. Any other (``javascript:``, ``file:``) goes.
URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel", "news", "data", "reader"})

_cleaner = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel=None,
    filter_style_properties=set(STYLE_PROPERTIES),
)


def clean(fragment: str) -> str:
    """``fragment`` with only what the viewer may show."""
    return _cleaner.clean(fragment)
