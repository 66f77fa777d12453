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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.core import kramdown, names, sanitize
from reader.core.image_cache import absolute_url
from reader.core.post import Post

#: Extensions whose body Jekyll copies as HTML (no converter runs; a browser shows HTML).
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})

_IMG = re.compile(r"<img\b([^>]*)>", re.I | re.S)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.S)
_AUTOLINK_LINE = re.compile(r"^<(https?://[^>\s]+)>\s*$", re.M)


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str  # the body, as an HTML fragment
    original_url: str | None  # the post's address on the web, when it names one
    remote_images: int  # how many remote images were replaced by a placeholder
    remote_urls: tuple[str, ...] = ()  # every remote image's address (absolute), once each
    problems: tuple[str, ...] = ()  # what could not be rendered as the site would (Liquid)


if TYPE_CHECKING:
    from reader.core.jekyll_liquid import LiquidOutcome


def render_liquid(
    text: str,
    site: Mapping[str, Any],
    page: Mapping[str, Any],
    *,
    root: str | None = None,
    post_path: str = "",
) -> LiquidOutcome:
    """Run the body's Liquid as Jekyll would (:mod:`reader.core.jekyll_liquid`; the
    engine is imported with the first post that has Liquid, not when the window starts)."""
    from reader.core import jekyll_liquid

    return jekyll_liquid.run_liquid(text, site, page, root=root, post_path=post_path)


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
        kramdown.prepare()
        _prepared.append(True)


def render_body(
    body: str,
    *,
    extension: str = ".md",
    site: Mapping[str, Any] | None = None,
    page: Mapping[str, Any] | None = None,
    remote_images: bool | Callable[[str], bool] = False,
    root: str | None = None,
    post_path: str = "",
) -> Rendered:
    """Render a post's body: Liquid, then Markdown when the site's ``markdown_ext`` names
    its extension, else as Jekyll copies it: an ``.html`` body as HTML, any other
    (``.txt``, ``.text``, none) as the text a browser shows of such a file; then the
    sanitizer. ``root`` and ``post_path`` (the archive folder
    and the post's file in it) are where ``{% include %}`` reads from.

    Remote images show only where ``remote_images`` says so (a function of the image's
    absolute address, or one answer for all); the others become their alt text."""
    site = site or {}
    has_liquid = "{%" in body or "{{" in body
    liquid = render_liquid(body, site, page or {}, root=root, post_path=post_path) if has_liquid else None
    text = liquid.text if liquid is not None else body
    autolink = _AUTOLINK_LINE.search(text)
    if kramdown.is_markdown(extension, site):
        fragment = kramdown.to_html(text)
    elif extension.lower() in HTML_EXTENSIONS:
        fragment = text
    else:  # Jekyll copies it as it is: a browser shows a .txt file's text as written
        fragment = f'<p style="white-space: pre-wrap">{html.escape(text.strip(chr(10)), quote=False)}</p>'
    if liquid is not None and liquid.stash:
        from reader.core import jekyll_liquid

        fragment = jekyll_liquid.restore(fragment, liquid.stash)
    fragment = sanitize_html(fragment)
    show = remote_images if callable(remote_images) else (lambda _url, answer=remote_images: answer)
    fragment, count, urls = _replace_remote_images(fragment, show)
    problems = tuple(liquid.problems) if liquid is not None else ()
    return Rendered(fragment, autolink.group(1) if autolink else None, count, urls, problems)


def _link(kind: str, name: str) -> str:
    shown = html.escape(names.shown(name), quote=False)
    return f'<a class="{kind}" href="reader:{kind}/{names.quote(name)}">{shown}</a>'


HEADER_LABELS = {
    "untitled": "(untitled)",
    "draft": "draft",
    "unpublished": "unpublished",
    "problems": "Problems with this file",
}


def render_header(
    post: Post, date_text: str, labels: Mapping[str, str] | None = None, more_problems: Sequence[str] = ()
) -> str:
    """The post's header: title, date, categories and tags as links, a problems banner
    (the post's, then ``more_problems``: those its rendering found).
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
    problems = (*post.problems, *more_problems)
    if problems:
        items = "".join(f"<li>{html.escape(p, quote=False)}</li>" for p in problems)
        parts.append(
            '<table class="problems" width="100%" cellpadding="8"><tr><td>'
            f"<b>{html.escape(words['problems'], quote=False)}</b>"
            f" ({html.escape(names.shown(post.path), quote=False)})"
            f"<ul>{items}</ul>"
            "</td></tr></table>"
        )
    return "\n".join(parts)
