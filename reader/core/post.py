"""The records the core hands out: one :class:`Post` per post, :class:`Problem` per issue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import NamedTuple


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

    A named tuple rather than a frozen dataclass, with the date kept as its parts: an
    archive makes 100,000 of them on every load, and then a post is one tuple, made
    straight from the fields reading gave (see ``reader.core.archive``).
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


_ZONES: dict[int, tzinfo] = {}


def _zone(offset: int) -> tzinfo:
    """The fixed-offset zone for ``offset`` seconds, one object per offset."""
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    return zone
