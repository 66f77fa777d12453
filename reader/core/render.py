"""A post's body -> HTML for the viewer: Liquid, Markdown with raw HTML, and safety.

The viewer (QTextBrowser) runs no script, answers every resource itself and handles
every link click itself; this module's part is to produce HTML that shows what the
author meant: Liquid resolved or removed (never raw ``{% %}`` or ``{{ }}`` on screen),
Markdown rendered while raw HTML passes through, active content dropped and remote
images replaced by a placeholder carrying their alt text unless the reader asked for
them (nothing is fetched here).

Links inside the reader use the ``reader:`` scheme: ``reader:post/NAME`` (a post by
file name, from ``{% post_url %}``), ``reader:file/PATH`` (``{% link %}``),
``reader:category/NAME`` and ``reader:tag/NAME`` (the header's links).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import markdown

from reader.core import names, sanitize
from reader.core.image_cache import absolute_url
from reader.core.liquid import RAW_BLOCK
from reader.core.post import Post

MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "footnotes", "attr_list", "md_in_html", "sane_lists"]
MARKDOWN_EXTENSIONS_TEXT = {".md", ".markdown", ".mkd", ".mkdn", ".txt", ".text", ""}

_STASH = "READERSTASH{}X"
_STASH_RE = re.compile(r"(?:<p>)?READERSTASH(\d+)X(?:</p>)?")
# Braces inside {% raw %} are hidden from the Liquid pass, then put back.
_HIDE_BRACES = str.maketrans({"{": "\x0e", "}": "\x0f"})
_SHOW_BRACES = str.maketrans({"\x0e": "{", "\x0f": "}"})

_COMMENT = re.compile(r"{%-?\s*comment\s*-?%}.*?{%-?\s*endcomment\s*-?%}", re.S)
_HIGHLIGHT = re.compile(r"{%-?\s*highlight\s+([\w+#.-]+)?[^%]*-?%}\n?(.*?){%-?\s*endhighlight\s*-?%}", re.S)
_POST_URL = re.compile(r"{%-?\s*post_url\s+(\S+?)\s*-?%}")
_LINK = re.compile(r"{%-?\s*link\s+(\S+?)\s*-?%}")
_VARIABLE = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.S)
_TAG = re.compile(r"{%-?.*?-?%}", re.S)

_IMG = re.compile(r"<img\b([^>]*)>", re.I | re.S)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.S)
_AUTOLINK_LINE = re.compile(r"^<(https?://[^>\s]+)>\s*$", re.M)


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str  # the body, as an HTML fragment
    original_url: str | None  # the post's address on the web, when it names one
    remote_images: int  # how many remote images were replaced by a placeholder
    remote_urls: tuple[str, ...] = ()  # every remote image's address (absolute), once each


def _lookup(path: str, scope: Mapping[str, Any]) -> Any:
    value: Any = scope
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def render_liquid(text: str, site: Mapping[str, Any], page: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Resolve the Liquid a reader needs; remove the rest. Returns (text, stashed HTML)."""
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return _STASH.format(len(stash) - 1)

    def raw(match: re.Match[str]) -> str:
        return match.group(1).translate(_HIDE_BRACES)

    def highlight(match: re.Match[str]) -> str:
        language = match.group(1) or ""
        code = html.escape(match.group(2).rstrip("\n"), quote=False)
        css = f' class="language-{html.escape(language)}"' if language else ""
        return "\n\n" + keep(f"<pre><code{css}>{code}</code></pre>") + "\n\n"

    def variable(match: re.Match[str]) -> str:
        expression = match.group(1).split("|", 1)[0].strip()
        scope = {"site": site, "page": page}
        value = _lookup(expression, scope) if expression.startswith(("site.", "page.")) else None
        if value is None or isinstance(value, (Mapping, list)):
            return ""
        return html.escape(str(value), quote=False)

    text = RAW_BLOCK.sub(raw, text)
    text = _COMMENT.sub("", text)
    text = _HIGHLIGHT.sub(highlight, text)
    text = _POST_URL.sub(lambda m: "reader:post/" + quote(m.group(1)), text)
    text = _LINK.sub(lambda m: "reader:file/" + quote(m.group(1).lstrip("/")), text)
    text = _VARIABLE.sub(variable, text)
    text = _TAG.sub("", text)
    return text.translate(_SHOW_BRACES), stash


def _restore(text: str, stash: list[str]) -> str:
    return _STASH_RE.sub(lambda m: stash[int(m.group(1))], text)


def _replace_remote_images(fragment: str, show: Callable[[str], bool]) -> tuple[str, int, tuple[str, ...]]:
    """Remote images that ``show`` refuses become a placeholder with their alt text; the
    others keep their tag, the address made absolute (``//x`` → ``https://x``)."""
    count = 0
    urls: dict[str, None] = {}

    def placeholder(match: re.Match[str]) -> str:
        nonlocal count
        attributes = {
            name.lower(): next(v for v in values if v is not None)
            if any(v is not None for v in values)
            else ""
            for name, *values in _ATTR.findall(match.group(1))
        }
        src = attributes.get("src", "")
        url = absolute_url(src)
        if url is None:
            return match.group(0)
        urls.setdefault(url)
        alt = attributes.get("alt", "").strip()
        if show(url):
            return f'<img src="{html.escape(url)}" alt="{html.escape(alt)}">'
        count += 1
        return (
            f'<span class="remote-image" title="{html.escape(url)}">'
            f"[{html.escape(alt or 'image', quote=False)}]</span>"
        )

    return _IMG.sub(placeholder, fragment), count, tuple(urls)


#: The sanitizer every rendered body passes through (a name of its own, so that the
#: containment tests can prove the viewer's second wall with the first one down).
sanitize_html: Callable[[str], str] = sanitize.clean

_prepared: list[bool] = []


def prepare() -> None:
    """Load the Markdown extensions now, once: the first post rendered otherwise pays for
    importing them (~25 ms, against ~2 ms a post after). For a thread that can wait."""
    if not _prepared:
        markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        _prepared.append(True)


def render_body(
    body: str,
    *,
    extension: str = ".md",
    site: Mapping[str, Any] | None = None,
    page: Mapping[str, Any] | None = None,
    remote_images: bool | Callable[[str], bool] = False,
) -> Rendered:
    """Render a post's body. ``.html`` bodies skip Markdown, as Jekyll does.

    Remote images show only where ``remote_images`` says so (a function of the image's
    absolute address, or one answer for all); the others become their alt text."""
    text, stash = render_liquid(body, site or {}, page or {})
    autolink = _AUTOLINK_LINE.search(text)
    if extension.lower() in MARKDOWN_EXTENSIONS_TEXT:
        fragment = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    else:
        fragment = text
    fragment = _restore(fragment, stash)
    fragment = sanitize_html(fragment)
    show = remote_images if callable(remote_images) else (lambda _url, answer=remote_images: answer)
    fragment, count, urls = _replace_remote_images(fragment, show)
    return Rendered(fragment, autolink.group(1) if autolink else None, count, urls)


def _link(kind: str, name: str) -> str:
    shown = html.escape(names.shown(name), quote=False)
    return f'<a class="{kind}" href="reader:{kind}/{names.quote(name)}">{shown}</a>'


HEADER_LABELS = {
    "untitled": "(untitled)",
    "draft": "draft",
    "unpublished": "unpublished",
    "problems": "Problems with this file",
}


def render_header(post: Post, date_text: str, labels: Mapping[str, str] | None = None) -> str:
    """The post's header: title, date, categories and tags as links, a problems banner.
    ``labels`` gives the words shown (the interface's language; see HEADER_LABELS)."""
    words = {**HEADER_LABELS, **(labels or {})}
    parts = [f'<h1 class="title">{html.escape(post.title or words["untitled"], quote=False)}</h1>']
    meta = [f'<span class="date">{html.escape(date_text, quote=False)}</span>']
    if post.categories:
        meta.append(" · ".join(_link("category", c) for c in post.categories))
    if post.tags:
        meta.append(" ".join("#" + _link("tag", t) for t in post.tags))
    if not post.published:
        flag = words["draft"] if post.draft else words["unpublished"]
        meta.append(f'<span class="flag">{html.escape(flag, quote=False)}</span>')
    parts.append(f'<p class="meta">{" &nbsp;|&nbsp; ".join(meta)}</p>')
    if post.problems:
        items = "".join(f"<li>{html.escape(p, quote=False)}</li>" for p in post.problems)
        parts.append(
            '<table class="problems" width="100%" cellpadding="8"><tr><td>'
            f"<b>{html.escape(words['problems'], quote=False)}</b>"
            f" ({html.escape(names.shown(post.path), quote=False)})"
            f"<ul>{items}</ul>"
            "</td></tr></table>"
        )
    return "\n".join(parts)
