"""Code blocks coloured as a Jekyll site colours them (Rouge there, Pygments here).

Both name their token classes alike (``k`` keyword, ``s`` string, ``c`` comment …), so a
block is HTML with classes, and the reading pane's style sheet colours them for its
theme: :func:`style_sheet` gives the rules for the light and the dark one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pygments import highlight as _highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

#: Pygments styles for the two themes, and the code background of each pane's style
#: sheet (``resources/reading-*.css``): every colour is made to keep WCAG AA contrast
#: (4.5:1) on it.
STYLES = {"light": ("xcode", "#f0f1f3"), "dark": ("one-dark", "#25282d")}

_FORMATTER = HtmlFormatter(nowrap=True)


class CodeFormatter(HtmlFormatter):  # type: ignore[type-arg]
    """Pygments' HTML with the language named on ``<code>`` (``language-ruby``), as Rouge
    writes it; for Python-Markdown's code blocks (its ``lang_str`` option)."""

    def __init__(self, lang_str: str = "", **options: Any) -> None:
        super().__init__(**options)
        self.lang_str = lang_str

    def _wrap_code(self, inner: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        css = f' class="{html.escape(self.lang_str)}"' if self.lang_str else ""
        yield 0, f"<code{css}>"
        yield from inner
        yield 0, "</code>"


_formatters: dict[tuple[str, str], CodeFormatter] = {}


def code_formatter(lang_str: str = "", **options: Any) -> CodeFormatter:
    """One formatter per language and options, made once: making one builds its whole
    style sheet (1.5 ms), which Python-Markdown otherwise does for every code block."""
    key = (lang_str, repr(sorted(options.items())))
    formatter = _formatters.get(key)
    if formatter is None:
        if len(_formatters) > 256:
            _formatters.clear()
        formatter = _formatters[key] = CodeFormatter(lang_str=lang_str, **options)
    return formatter


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def code_html(code: str, language: str) -> str:
    """``code`` as HTML spans with token classes (escaped text when the language is unknown)."""
    lexer = _lexer(language.lower()) if language else None
    if lexer is None:
        return html.escape(code, quote=False)
    return str(_highlight(code, lexer, _FORMATTER)).rstrip("\n")


def code_block(code: str, language: str) -> str:
    """A ``{% highlight %}`` block, as Jekyll writes it (a ``highlight`` figure)."""
    css = f' class="language-{html.escape(language)}" data-lang="{html.escape(language)}"' if language else ""
    body = code_html(code, language)
    return f'<div class="highlight"><pre class="highlight"><code{css}>{body}</code></pre></div>'


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two ``#rrggbb`` colours."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(colour: str, background: str) -> str:
    """``colour``, moved toward black or white (away from ``background``) until it has
    at least 4.5:1 contrast on it."""
    toward = 0 if _luminance(background) > 0.5 else 255
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    for step in range(21):
        mixed = "#" + "".join(f"{round(c + (toward - c) * step / 20):02x}" for c in rgb)
        if contrast(mixed, background) >= 4.5:
            return mixed
    return "#000000" if toward == 0 else "#ffffff"


_COLOUR = re.compile(r"color: (#[0-9a-fA-F]{3,6})")


def style_sheet(theme: str) -> str:
    """The token colours for ``theme`` (``light`` or ``dark``), for the reading pane."""
    name, background = STYLES.get(theme, STYLES["light"])
    formatter = HtmlFormatter(style=name)
    rules = []
    for line in str(formatter.get_style_defs(".highlight")).splitlines():  # type: ignore[no-untyped-call]
        if not line.startswith(".highlight .") or "background" in line.split("{", 1)[1]:
            continue
        rule = _COLOUR.sub(lambda m: "color: " + readable(m.group(1), background), line.split(" /*")[0])
        rules.append(rule.rstrip(" }").rstrip(";") + "; }")
    return "\n".join(rules)
