"""The records the core hands out: one :class:`Post` per post, :class:`Problem` per issue
(defined in :mod:`reader.core.problem`, so that walking a folder does not import msgspec)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

import msgspec

from reader.core.problem import Problem

__all__ = ["Post", "Problem"]


class Post(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """One post's metadata. The body is never kept here: read it with ``Archive.read_body``.

    ``key`` is the post's stable identity (see :func:`reader.core.jekyll.post_key`);
    ``path`` is where the file is now, relative to the archive root.

    Why a ``msgspec.Struct``: it is immutable, typed and about the size of a tuple, and
    with ``gc=False`` the garbage collector never tracks it, so 100,000 posts add
    nothing to any collection (a tracked post made each full collection walk them all,
    holding the GIL for 40-50 ms: a stall of the window). That is safe because a post
    holds only strings, numbers, dates and tuples of strings: it can be part of no
    reference cycle. ``array_like``: the load cache and the reading processes pass posts
    as msgpack arrays (:mod:`msgspec.msgpack`), without field names.

    The date is kept as written (``written``, naive) with its offset apart
    (``utc_offset``): msgpack keeps a naive date exactly, but an aware one only as UTC.
    """

    key: str
    path: str
    title: str
    written: datetime  # the date as the post wrote it, without its offset
    utc_offset: int | None  # seconds east of UTC; None when the post gave no offset
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
        return self.written if offset is None else self.written.replace(tzinfo=_zone(offset))

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
