"""Markdown as a Jekyll site shows it (kramdown there, Python-Markdown here).

What kramdown does that a reader sees, on top of Markdown:

- which files are Markdown: Jekyll's ``markdown_ext`` (``_config.yml``; by default
  ``markdown,mkdown,mkdn,mkd,md``). A ``.txt``, ``.text`` or extensionless post is not:
  Jekyll copies its text as it is;
- header IDs made from the header's text (kramdown's ``auto_ids``);
- typographic quotes, dashes and ellipses (``smart_quotes``, ``--``, ``---``, ``...``);
- GFM (Jekyll's kramdown input): ``~~struck~~``, lists that start right after a
  paragraph line, nested items indented to their parent's text;
- footnotes, tables, definition lists, fenced and indented code (coloured: :mod:`reader.core.highlight`),
  ``{: .class}`` attribute lists, HTML blocks with ``markdown="1"``;
- link destinations with balanced or escaped parentheses, and reference links written
  inside literal brackets (``[[Feature #12005]]``), which Python-Markdown alone misses.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

#: Jekyll's default ``markdown_ext``.
DEFAULT_EXTENSIONS = ("markdown", "mkdown", "mkdn", "mkd", "md")


def markdown_extensions(site: Mapping[str, Any] | None) -> frozenset[str]:
    """The file extensions (with their dot, lower case) the site renders as Markdown."""
    configured = (site or {}).get("markdown_ext")
    names: tuple[str, ...] = DEFAULT_EXTENSIONS
    if isinstance(configured, str) and configured.strip():
        names = tuple(part.strip() for part in configured.split(","))
    return frozenset("." + name.lower().lstrip(".") for name in names if name)


def is_markdown(extension: str, site: Mapping[str, Any] | None = None) -> bool:
    return extension.lower() in markdown_extensions(site)


def header_id(text: str, separator: str = "-") -> str:
    """kramdown's ``auto_ids``: letters, digits, spaces and dashes kept, spaces made
    dashes, lower case, leading non-letters dropped; ``section`` when nothing is left."""
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    kept = re.sub(r"^[^a-zA-Z]+", "", kept)
    slug = kept.replace(" ", "-").lower()
    return slug or "section"


class _Strikethrough(Extension):
    """GFM's ``~~struck~~`` (Jekyll's kramdown reads GFM): ``<del>``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(?!~)(.+?)~~", "del"), "del", 175)


class _HeaderIds(Treeprocessor):
    """kramdown's ``auto_ids``: each header without an id gets one from its text (the
    second of a name ``-1``, and so on). Python-Markdown's ``toc`` does this too, but
    builds a table of contents as well, which took a third of a long post's time."""

    def run(self, root: Element) -> None:
        seen: dict[str, int] = {}
        for element in root.iter():
            if element.tag in _HEADERS and "id" not in element.attrib:
                base = header_id("".join(element.itertext()))
                count = seen.get(base, 0)
                seen[base] = count + 1
                element.set("id", base if count == 0 else f"{base}-{count}")


_HEADERS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_NOT_TYPOGRAPHY = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})
_TYPOGRAPHY = (
    (re.compile(r"---"), "\u2014"),
    (re.compile(r"--"), "\u2013"),
    (re.compile(r"\.\.\.|\. \. \."), "\u2026"),
)
_OPENING_BEFORE = frozenset(" \t\n\r([{\u2014\u2013-")


def _quotes(text: str, before: str) -> str:
    """Straight quotes as typographic ones: opening after a space or bracket (or at the
    start), closing (or an apostrophe) otherwise, as kramdown's ``smart_quotes`` makes them."""
    out = []
    previous = before
    for char in text:
        if char == '"':
            out.append("\u201c" if previous in _OPENING_BEFORE or previous == "" else "\u201d")
        elif char == "'":
            out.append("\u2018" if previous in _OPENING_BEFORE or previous == "" else "\u2019")
        else:
            out.append(char)
        previous = char
    return "".join(out)


class _Typography(Treeprocessor):
    """kramdown's typographic symbols and smart quotes in the text (never in code):
    ``---`` —, ``--`` –, ``...`` …, ``<<`` «, ``>>`` », and curly quotes. One pass over
    the tree: Python-Markdown's ``smarty`` adds ten inline patterns, which took as long
    as all the rest of a long post's Markdown."""

    def run(self, root: Element) -> None:
        self._last = ""
        self._walk(root)

    def _fix(self, text: str | None) -> str | None:
        if not text:
            return text
        if "-" in text or "." in text:
            for pattern, symbol in _TYPOGRAPHY:
                text = pattern.sub(symbol, text)
        if '"' in text or "'" in text:
            text = _quotes(text, self._last)
        self._last = text[-1]
        return text

    def _walk(self, element: Element) -> None:
        if element.tag in _NOT_TYPOGRAPHY:
            self._last = "x"
        else:
            element.text = self._fix(element.text)
            for child in element:
                self._walk(child)
                child.tail = self._fix(child.tail)
        if element.tag in _BLOCK_LIKE:
            self._last = ""


_BLOCK_LIKE = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote", "div"}
)


class _Kramdown(Extension):
    """Header ids and typography as kramdown makes them (see the two processors)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_HeaderIds(md), "kramdown_ids", 4)
        md.treeprocessors.register(_Typography(md), "kramdown_typography", 3)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^( *)([*+-]|\d{1,9}[.)])[ \t]+\S")


_CODE_SPAN = re.compile(r"(`+).*?\1")


def _angled_quotes(line: str) -> str:
    """kramdown's ``<<`` and ``>>`` (« »), outside code spans: done before Markdown, which
    would read ``<<a>>`` as text around an ``<a>`` tag."""
    out, at = [], 0
    for span in _CODE_SPAN.finditer(line):
        out.append(line[at : span.start()].replace("<<", "\u00ab").replace(">>", "\u00bb"))
        out.append(span.group(0))
        at = span.end()
    out.append(line[at:].replace("<<", "\u00ab").replace(">>", "\u00bb"))
    return "".join(out)


def _gfm_lists(text: str) -> str:
    """Lists as GFM reads them, written so that Python-Markdown reads them alike: a list
    may start right after a paragraph's line (a blank line is put before it), and a
    nested item is indented to its parent's text, not by four spaces (it is moved to the
    next multiple of four)."""
    out: list[str] = []
    fence: str | None = None
    in_list = False
    previous = ""
    for source_line in text.split("\n"):
        line = source_line
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(line)
            previous = line
            continue
        if opening:
            fence = opening.group(1)
            in_list = False
            out.append(line)
            previous = line
            continue
        if ("<<" in line or ">>" in line) and not line.startswith(("    ", "\t")):
            line = _angled_quotes(line)
        item = _LIST_ITEM.match(line)
        if item:
            indent = len(item.group(1))
            if (
                indent < 4
                and not in_list
                and previous.strip()
                and not previous.lstrip().startswith(("<", "|"))
            ):
                out.append("")
            elif in_list and indent % 4:
                line = " " * (4 * ((indent + 3) // 4)) + line[indent:]
            in_list = True
        elif not line.strip():
            pass
        elif not line.startswith((" ", "\t")):
            in_list = False
        out.append(line)
        previous = line
    return "\n".join(out)


def _extensions() -> list[Any]:
    # Pygments (through codehilite) is imported here, when a first post is rendered, not
    # when the window starts: it takes ~40 ms.
    from markdown.extensions.codehilite import CodeHiliteExtension

    from reader.core import highlight

    return [
        _Strikethrough(),
        "def_list",
        "tables",
        "fenced_code",
        "footnotes",
        "attr_list",
        "md_in_html",
        "sane_lists",
        _Kramdown(),
        CodeHiliteExtension(
            css_class="highlight",
            guess_lang=False,
            use_pygments=True,
            pygments_lang_class=True,
            pygments_formatter=highlight.code_formatter,
        ),
    ]


_local = threading.local()


def _converter() -> markdown.Markdown:
    converter: markdown.Markdown | None = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=_extensions(), output_format="html")
        _local.converter = converter
    return converter


_LINK_OPEN = re.compile(r"\]\((?!<)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*\S", re.M)


def _kramdown_destination(text: str, start: int) -> int:
    """Where the link address starting at ``start`` (after ``](``) ends, as kramdown
    reads it: parentheses counted, escaped or not; -1 when it does not end on its line."""
    depth = 1
    for at in range(start, min(len(text), start + 2000)):
        char = text[at]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at
        elif char == "\n" or (char in " \t" and text[at + 1 : at + 2] in ('"', "'")):
            return -1
    return -1


def _escaped_parens(text: str) -> str:
    """Link addresses holding ``\\(`` or ``\\)``: kramdown counts those parentheses and
    keeps the backslash; Python-Markdown ends the address there. They are given to it in
    ``<…>``, the backslashes doubled so that it keeps them as kramdown does."""
    if "\\)" not in text and "\\(" not in text:
        return text
    out: list[str] = []
    last = 0
    for match in _LINK_OPEN.finditer(text):
        start = match.end()
        if start < last:
            continue
        end = _kramdown_destination(text, start)
        if end < 0:
            continue
        address = text[start:end]
        if "\\(" in address or "\\)" in address:
            title = ""
            if " " in address.strip():
                address, _, rest = address.strip().partition(" ")
                title = " " + rest
            out.append(text[last:start] + "<" + address.replace("\\", "\\\\") + ">" + title + ")")
            last = end + 1
    out.append(text[last:])
    return "".join(out)


def _bracketed_references(text: str) -> str:
    """``[[Feature #12005]]`` with ``[Feature #12005]: https://…`` defined: the inner
    brackets are the reference, the outer ones literal text (as kramdown reads it)."""
    if "[[" not in text:
        return text
    labels = {label.lower() for label in _REFERENCE_DEFINITION.findall(text)}
    if not labels:
        return text

    def fix(match: re.Match[str]) -> str:
        label = match.group(1)
        if label.lower() in labels:
            return f"\\[[{label}]\\]"
        return match.group(0)

    return re.sub(r"\[\[([^\[\]\n]+)\]\](?![(\[:])", fix, text)


def to_html(text: str) -> str:
    """``text`` (Markdown with raw HTML) as HTML."""
    text = _gfm_lists(_bracketed_references(_escaped_parens(text)))
    converter = _converter()
    try:
        return converter.convert(text)
    except BaseException:
        # A convert that failed half-way (a body nested too deeply) can leave the parser's
        # state behind, and the next post would be read in it: this one is not used again.
        _local.converter = None
        raise
    finally:
        converter.reset()


def smart_quotes(text: str) -> str:
    """Typographic quotes and dashes in ``text``, as Jekyll's ``smartify`` filter makes them."""
    rendered = to_html(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def prepare() -> None:
    """Import the extensions now (~25 ms the first time): for a thread that can wait."""
    markdown.Markdown(extensions=_extensions(), output_format="html")
