"""The records the core hands out: one :class:`Post` per post, :class:`Problem` per issue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one file, as data: shown by ``reader check`` and in the window."""

    path: str  # relative to the archive root, POSIX separators
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class Post:
    """One post's metadata. The body is never kept here: read it with ``Archive.read_body``.

    ``key`` is the post's stable identity (see :func:`reader.core.jekyll.post_key`);
    ``path`` is where the file is now, relative to the archive root.
    """

    key: str
    path: str
    title: str
    date: datetime  # aware when the post gave an offset, naive otherwise
    timestamp: float  # seconds since the epoch, for sorting (naive dates in the site's zone)
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    published: bool
    draft: bool
    problems: tuple[str, ...]

    @property
    def has_offset(self) -> bool:
        return self.date.tzinfo is not None

    def iso_date(self) -> str:
        """ISO 8601, with the offset when the post gave one."""
        return self.date.isoformat()
