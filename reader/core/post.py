"""The records the core hands out: one :class:`Post` per post, :class:`Problem` per issue."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import partial
from typing import Any, NamedTuple, overload


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one file, as data: shown by ``reader check`` and in the window."""

    path: str  # relative to the archive root, POSIX separators
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Post(NamedTuple):
    """One post's metadata. The body is never kept here: read it with ``Archive.read_body``.

    ``key`` is the post's stable identity (see :func:`reader.core.jekyll.post_key`);
    ``path`` is where the file is now, relative to the archive root.

    A named tuple rather than a frozen dataclass, with the date kept as its parts: a
    post is then made straight from the plain tuple reading gave (see
    :class:`PostList`).
    """

    key: str
    path: str
    title: str
    # The date, as its parts: a post is then a tuple of plain values only, which the
    # garbage collector stops tracking the first time it sees it.
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    microsecond: int
    utc_offset: int | None  # seconds; None when the post gave no offset
    timestamp: float  # seconds since the epoch, for sorting (naive dates in the site's zone)
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    published: bool
    draft: bool
    problems: tuple[str, ...]

    @property
    def date(self) -> datetime:
        """Aware when the post gave an offset, naive otherwise."""
        offset = self.utc_offset
        return datetime(*self[3:10], None if offset is None else _zone(offset))

    @property
    def has_offset(self) -> bool:
        return self.utc_offset is not None

    def iso_date(self) -> str:
        """ISO 8601, with the offset when the post gave one."""
        return self.date.isoformat()


#: One post's fields as a plain tuple, laid out as :class:`Post`.
Row = tuple[Any, ...]
#: Positions in a row (and a post), for passes over many rows.
KEY, PATH, TITLE, YEAR, MONTH, DAY = 0, 1, 2, 3, 4, 5
TIMESTAMP, CATEGORIES, TAGS, PROBLEMS = 11, 12, 13, 16

_as_post = partial(tuple.__new__, Post)


class PostList(Sequence[Post]):
    """An archive's posts: kept as plain tuples, handed out as :class:`Post`.

    Why not a list of posts: the garbage collector stops tracking a plain tuple of plain
    values the first time it sees it, but never a named tuple. 100,000 tracked posts made
    every collection of the oldest generation (and the first one after each load) walk
    them all, holding the GIL for 40-50 ms: a visible stall of the window. Making a post
    on access costs a fraction of a microsecond.
    """

    __slots__ = ("rows",)

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Post: ...

    @overload
    def __getitem__(self, index: slice) -> list[Post]: ...

    def __getitem__(self, index: int | slice) -> Post | list[Post]:
        if isinstance(index, slice):
            return list(map(_as_post, self.rows[index]))
        return _as_post(self.rows[index])

    def __iter__(self) -> Iterator[Post]:
        return map(_as_post, self.rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PostList):
            return self.rows == other.rows
        if isinstance(other, list):
            return self.rows == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"PostList({len(self.rows)} posts)"


_ZONES: dict[int, tzinfo] = {}


def _zone(offset: int) -> tzinfo:
    """The fixed-offset zone for ``offset`` seconds, one object per offset."""
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    return zone
