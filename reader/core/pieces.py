"""A big post in pieces: its body read from disk a block at a time, and text cut where
rendering or showing each piece alone changes least.

Reading a 50 MB post at once kept the file, its text and its body in memory together
(three copies, and decoding it held Python's lock for tens of milliseconds); rendering it
at once took the Markdown converter 50 s and showing it at once held the window for as
long. :class:`BodyPieces` reads a body in blocks and gives it as pieces of about
``piece_chars`` characters, holding no more than a block and a piece; :func:`cut` is
where a piece ends, for the Markdown and HTML of a body as for the HTML rendered from it.

A piece ends, by preference, where no element is open, at a blank line, else at a line
end, else after a closing tag, else after any tag. Where it must end inside elements
(a table or a code block longer than a piece), the piece closes them and the next one
opens them again (``<table>``, ``<pre>``, a Markdown code fence, ``{% raw %}``, a
comment), so that each piece is whole HTML or Markdown that shows as its part of the post.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType

from reader.core import front_matter
from reader.core.resources import open_post_file

#: Bytes read from the file at a time.
READ_BLOCK = 256 * 1024
#: A front matter is looked for in the first this many characters; a longer one is not
#: front matter (Jekyll would find it, no real post has one).
FRONT_MATTER_LIMIT = 1024 * 1024
#: How far past a piece's end elements are looked for, so that no cut falls inside a tag.
_LOOKAHEAD = 2048

#: Elements whose content the cut does not look into: only their end is sought.
_OPAQUE_END = {
    "pre": re.compile(r"</pre\s*>", re.I),
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
    "textarea": re.compile(r"</textarea\s*>", re.I),
}
_COMMENT_END = re.compile(r"-->")
#: Elements that hold others: a cut inside them closes and reopens them.
_CONTAINERS = (
    "table|thead|tbody|tfoot|ul|ol|dl|blockquote|div|center|section|article|aside|header|footer|nav|main"
    "|figure|details"
)
_STRUCTURE = rf"<!--|<(?P<close>/?)(?P<name>{_CONTAINERS}|{'|'.join(_OPAQUE_END)})\b[^<>]*>"
_SOURCE = (
    r"|\n(?P<fence>[ ]{0,3}(?P<mark>`{3,}|~{3,})[^\n]*)$"
    r"|\{%-?\s*(?P<block>raw|highlight|comment)\b[^%]*?-?%\}"
)
#: What opens or closes an element the cut must know of: (in a post's source, with code
#: fences and Liquid blocks; with tags in capitals) -> the expression. Each branch added
#: made the search slower, 0.13 ms for 34,000 characters of news became 1.2 ms with the
#: source's and 0.4 with capitals: the text is looked at first for what it may hold.
_PATTERNS = {
    (source, capitals): re.compile(_STRUCTURE + (_SOURCE if source else ""), re.M | (re.I if capitals else 0))
    for source in (False, True)
    for capitals in (False, True)
}
_CAPITAL_TAG = re.compile(r"</?[A-Z]")
_FIRST_FENCE = re.compile(r"[ ]{0,3}(?P<mark>`{3,}|~{3,})[^\n]*$", re.M)


def _pattern(text: str, end: int, markdown: bool) -> re.Pattern[str]:
    source = markdown and any(text.find(mark, 0, end) >= 0 for mark in ("```", "~~~", "{%"))
    return _PATTERNS[source, _CAPITAL_TAG.search(text, 0, end) is not None]


@dataclass(frozen=True, slots=True)
class _Open:
    """An element open where a piece ends: how the piece closes it, how the next reopens it."""

    name: str
    opener: str
    closer: str
    end: re.Pattern[str] | None = None  # for one whose content is not looked into: its end


def _fence(opener: str, mark: str) -> _Open:
    end = re.compile(rf"^[ ]{{0,3}}{mark[0]}{{{len(mark)},}}[ \t]*$", re.M)
    return _Open("fence", opener + "\n", mark, end)


def _liquid(opener: str, block: str) -> _Open:
    end = re.compile(rf"{{%-?\s*end{block}\s*-?%}}")
    return _Open("liquid", opener, f"{{% end{block} %}}", end)


@dataclass(frozen=True, slots=True)
class _Span:
    """Text between two changes of what is open: ``text[start:stop]``, inside ``depth``
    elements; ``inner`` is the innermost when its content is not looked into."""

    start: int
    stop: int
    depth: int
    inner: str | None


def _structure(text: str, end: int, markdown: bool) -> tuple[list[_Span], list[_Open]]:
    """``text[:end]`` as spans of what is open, and what is open at ``end``."""
    pattern = _pattern(text, end, markdown)
    stack: list[_Open] = []
    spans: list[_Span] = []
    position = 0
    while position < end:
        top = stack[-1] if stack and stack[-1].end is not None else None
        if top is not None and top.end is not None:
            found = top.end.search(text, position, end)
            stop = found.start() if found else end
            spans.append(_Span(position, stop, len(stack), top.name))
            if found is None:
                return spans, stack
            stack.pop()
            position = found.end()
            continue
        if markdown and position == 0 and (first := _FIRST_FENCE.match(text, 0, end)) is not None:
            stack.append(_fence(first.group(0), first.group("mark")))  # a fence on the first line
            position = first.end()
            continue
        match = pattern.search(text, position, end)
        fence = None
        if match is None:
            stop = end
        else:
            fence = match.groupdict().get("fence")
            stop = match.start("fence") if fence else match.start()
        spans.append(_Span(position, stop, len(stack), None))
        if match is None:
            return spans, stack
        position = match.end()
        token = match.group(0)
        if token == "<!--":
            stack.append(_Open("<!--", "<!--", "-->", _COMMENT_END))
        elif fence:
            stack.append(_fence(fence, match.group("mark")))
        elif match.groupdict().get("block"):
            stack.append(_liquid(token, match.group("block")))
        else:
            name = match.group("name").lower()
            if match.group("close"):
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth].name == name:
                        del stack[depth:]
                        break
            elif name in _OPAQUE_END:
                stack.append(_Open(name, token, f"</{name}>", _OPAQUE_END[name]))
            elif not token.endswith("/>"):
                stack.append(_Open(name, token, f"</{name}>"))
    return spans, stack


def _outside_tag(text: str, at: int) -> bool:
    return text.rfind("<", 0, at) <= text.rfind(">", 0, at)


def _last_place(text: str, start: int, stop: int, rank: int, inner: str | None) -> int:
    """The last place in ``text[start:stop]`` (``stop`` included) to end a piece of this
    rank (0: after a blank line, 1: after a line end, 2: after a closing tag, 3: after
    any tag), or -1. Inside code only a line end will do; inside a comment nothing."""
    if inner is not None:
        if inner == "<!--" or rank != 3:
            return -1
        line = text.rfind("\n", start, stop)
        return line + 1 if line >= 0 else -1
    if rank == 0:
        blank = max(text.rfind("\n\n", start, stop), text.rfind("\n\r\n", start, stop))
        return blank + (2 if text.startswith("\n\n", blank) else 3) if blank >= 0 else -1
    if rank == 1:
        line = text.rfind("\n", start, stop)
        while line >= 0 and not _outside_tag(text, line):
            line = text.rfind("\n", start, line)
        return line + 1 if line >= 0 else -1
    opening = "</" if rank == 2 else "<"
    tag = text.rfind(opening, start, stop)
    while tag >= 0:
        close = text.find(">", tag, stop)
        if close >= 0:
            return close + 1
        tag = text.rfind(opening, start, tag)
    return -1


@dataclass(slots=True)
class Cut:
    """Where a piece of ``text`` ends: ``text[:at] + closing`` is the piece, and
    ``opening + text[at:]`` starts the next one."""

    at: int
    closing: str = ""
    opening: str = ""


def cut(text: str, limit: int, *, markdown: bool = False) -> Cut:
    """Where the piece of ``text`` starting at 0 ends: at most ``limit`` characters, at
    least half of that when a place allows it. ``markdown``: ``text`` is a post's source
    (code fences and Liquid blocks count), not HTML. What was open before ``text`` starts
    is not known: each piece starts with the opening of what the one before left open."""
    if len(text) <= limit:
        return Cut(len(text))
    low = limit // 2
    spans, _open = _structure(text, min(len(text), limit + _LOOKAHEAD), markdown)
    window = [span for span in spans if span.stop >= low and span.start <= limit]
    at = -1
    if window:
        depth = min(span.depth for span in window)
        for rank in range(4):  # the best rank at the least depth, as late as possible
            for span in reversed(window):
                if span.depth == depth:
                    at = _last_place(text, max(span.start, low), min(span.stop, limit), rank, span.inner)
                    if at >= low:
                        break
            if at >= low:
                break
    if at < low:
        # Not one place to cut in the second half of the piece: at the limit, outside a tag.
        at = limit
        tag_start = text.rfind("<", low, at)
        if tag_start >= 0 and text.find(">", tag_start, at) < 0:
            at = tag_start
    stack = _structure(text, at, markdown)[1]
    closing = "".join(element.closer for element in reversed(stack))
    if stack and stack[-1].name == "fence" and not text.endswith("\n", 0, at):
        closing = "\n" + closing  # a fence's end is a line of its own
    return Cut(at, closing, "".join(element.opener for element in stack))


def split(text: str, limit: int, *, markdown: bool = False) -> Iterator[str]:
    """``text`` as pieces of about ``limit`` characters (see :func:`cut`)."""
    while text:
        where = cut(text, limit, markdown=markdown)
        yield text[: where.at] + where.closing
        rest = text[where.at :]
        # An opening as long as a piece would never let the text shrink: dropped.
        text = where.opening + rest if rest and len(where.opening) < limit // 4 else rest


class BodyPieces:
    """A post's body read from its file a block at a time, as pieces of about
    ``piece_chars`` characters (``None``: the whole body as one piece).

    The text is UTF-8 (a BOM dropped) or else GB18030, as
    :func:`reader.core.front_matter.decode` decides, from the first block (256 KB): bytes
    further on that do not decode show as U+FFFD instead of making the whole file
    undecodable. Raises OSError and :class:`~reader.core.front_matter.UndecodableError`."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        piece_chars: int | None = None,
        root: str | os.PathLike[str] | None = None,
    ) -> None:
        self.piece_chars = piece_chars
        self._file = open_post_file(path, root)  # closed by close(); relative to root, if given
        try:
            self.size = os.fstat(self._file.fileno()).st_size
            self._eof = False
            self._buffer = ""
            self.encoding = "utf-8"
            self._decoder = self._first_block()
            self._body()
        except BaseException:
            self._file.close()
            raise
        self._given = 0  # characters of the body given so far
        self._last = 0  # characters of the body in the last piece given

    def __enter__(self) -> BodyPieces:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def __iter__(self) -> Iterator[str]:
        while (piece := self.next_piece()) is not None:
            yield piece

    @property
    def done(self) -> bool:
        """Nothing left to give."""
        return self._eof and not self._buffer

    @property
    def remaining(self) -> int:
        """About how many bytes of the file are still to come as pieces."""
        if self.done:
            return 0
        return max(0, self.size - int((self._given + self._skipped) * self._bytes_per_char()))

    @property
    def last_bytes(self) -> int:
        """About how many bytes of the file the last piece given came from."""
        return int(self._last * self._bytes_per_char())

    def _bytes_per_char(self) -> float:
        return self._file.tell() / max(1, self._given + len(self._buffer) + self._skipped)

    def _read(self) -> bytes:
        block = self._file.read(READ_BLOCK)
        if len(block) < READ_BLOCK:
            self._eof = True
        return block

    def _first_block(self) -> codecs.IncrementalDecoder:
        raw = self._read()
        if raw.startswith(front_matter.BOM):
            raw = raw[len(front_matter.BOM) :]
        for encoding in ("utf-8", "gb18030"):
            decoder = codecs.getincrementaldecoder(encoding)("strict")
            try:
                self._buffer = decoder.decode(raw, final=self._eof)
            except UnicodeDecodeError as error:
                failure = error
                continue
            self.encoding = encoding
            decoder.errors = "replace"
            return decoder
        raise front_matter.UndecodableError(f"not UTF-8 or GB18030 text (byte {failure.start})")

    def _more(self) -> bool:
        """Read a block more; False at the end of the file."""
        if self._eof:
            return False
        raw = self._read()
        self._buffer += self._decoder.decode(raw, final=self._eof)
        return True

    def _body(self) -> None:
        """Drop the front matter, as Jekyll finds it."""
        while (
            front_matter.FRONT_MATTER_TEXT.match(self._buffer) is None
            and self._buffer.startswith("---")
            and len(self._buffer) < FRONT_MATTER_LIMIT
            and self._more()
        ):
            pass
        head = self._buffer[:FRONT_MATTER_LIMIT]
        match = front_matter.FRONT_MATTER_TEXT.match(head)
        self._skipped = match.end() if match else 0
        self._buffer = self._buffer[self._skipped :]

    def next_piece(self) -> str | None:
        """The next piece, or None when the body is all given."""
        limit = self.piece_chars
        while (limit is None or len(self._buffer) <= limit + _LOOKAHEAD) and self._more():
            pass
        if not self._buffer:
            return None
        if limit is None or (self._eof and len(self._buffer) <= limit):
            piece, self._buffer = self._buffer, ""
            self._given += len(piece)
            self._last = len(piece)
            return piece
        where = cut(self._buffer, limit, markdown=True)
        piece = self._buffer[: where.at] + where.closing
        rest = self._buffer[where.at :]
        self._given += where.at
        self._last = where.at
        reopen = bool(rest) and len(where.opening) < limit // 4
        self._buffer = where.opening + rest if reopen else rest
        self._given -= len(where.opening) if reopen else 0
        return piece
