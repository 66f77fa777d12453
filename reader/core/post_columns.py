"""Posts as columns: how the load cache stores them and the reading processes hand them back.

A list of :class:`~reader.core.post.Post` encoded as it is would make every decoded post
its own ``categories`` and ``tags`` tuples, with their own strings: about 250 bytes a post
more than needed (a news archive has 70 sources and 140 tag sets for 100,000 posts), and
every string hashed again wherever the posts are indexed. Here each field is one column,
and the category and tag sets are a table the posts point into, so that:

- a decoded post shares its ``categories`` and ``tags`` with every post of the same
  values, across all the parts of one load (the ``shared`` table of :meth:`PostColumns.posts`);
- decoding is one typed msgpack pass per column and one C-level ``map(Post, …)``, about
  two thirds of the time of decoding the posts as structs (67 against 103 ms for 100,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

import msgspec

from reader.core.post import Post

#: One load's table of name sets: each distinct ``categories`` or ``tags`` tuple, once.
Shared = dict[tuple[str, ...], tuple[str, ...]]


class PostColumns(msgspec.Struct, array_like=True, gc=False):
    """A sequence of posts, some of them missing (None: the file is not a post), as columns."""

    count: int  # entries, posts or not
    missing: list[int]  # the positions of the entries that are not posts, ascending
    names: list[tuple[str, ...]]  # the distinct categories and tags values
    keys: list[str]
    paths: list[str]
    titles: list[str]
    written: list[datetime]
    utc_offsets: list[int | None]
    timestamps: list[float]
    categories: list[int]  # positions in ``names``
    tags: list[int]  # positions in ``names``
    published: list[bool]
    drafts: list[bool]
    problems: list[tuple[str, ...]]

    @classmethod
    def of(cls, entries: Sequence[Post | None], *, paths: bool = True) -> PostColumns:
        """``paths`` False: without the posts' paths, for a caller that has them apart
        (the cache keeps every file's path: the posts then share those strings)."""
        posts = [post for post in entries if post is not None]
        missing = [at for at, post in enumerate(entries) if post is None] if len(posts) < len(entries) else []
        table: dict[tuple[str, ...], int] = {}

        def positions(field: str) -> list[int]:
            return [table.setdefault(names, len(table)) for names in map(attrgetter(field), posts)]

        categories, tags = positions("categories"), positions("tags")

        def column(field: str) -> list[Any]:
            return list(map(attrgetter(field), posts))

        return cls(
            len(entries),
            missing,
            list(table),
            column("key"),
            column("path") if paths else [],
            column("title"),
            column("written"),
            column("utc_offset"),
            column("timestamp"),
            categories,
            tags,
            column("published"),
            column("draft"),
            column("problems"),
        )

    def posts(self, shared: Shared | None = None, paths: Sequence[str] | None = None) -> list[Post | None]:
        """The entries again. ``shared``: the name sets already seen by this load, so that
        equal values decoded from different parts are one tuple; new ones are added.
        ``paths``: every entry's path, for columns made without them."""
        if paths is not None:
            if self.paths:
                raise ValueError("post columns with paths given twice")
            gone = set(self.missing)
            own = list(paths) if not gone else [path for at, path in enumerate(paths) if at not in gone]
        else:
            own = self.paths
        columns: tuple[list[Any], ...] = (self.keys, own, self.titles, self.written, self.utc_offsets)
        columns += (self.timestamps, self.categories, self.tags, self.published, self.drafts, self.problems)
        if len(set(map(len, columns))) != 1 or len(self.keys) + len(self.missing) != self.count:
            raise ValueError("post columns of different lengths")
        pointers = (self.categories, self.tags)
        if self.keys and not 0 <= min(map(min, pointers)) <= max(map(max, pointers)) < len(self.names):
            raise ValueError("post columns name a set of names they do not hold")
        names = self.names if shared is None else [shared.setdefault(value, value) for value in self.names]
        posts: list[Post | None] = list(
            map(
                Post,
                *columns[:6],
                map(names.__getitem__, self.categories),
                map(names.__getitem__, self.tags),
                *columns[8:],
            )
        )
        for at in self.missing:  # rare: files that are not posts
            posts.insert(at, None)
        return posts
