"""Copies of one story: the same article published by several of a news archive's
sources, or one file in both ``_posts/`` and ``old_post/`` during the daily move.

Two posts are copies of one story when
- their titles are the same once normalised and they were written in the same minute
  (the same instant, to the minute), whatever their folders and categories; or
- they have the same key before :func:`~reader.core.indexes.unique_keys` told them apart:
  the same file name in ``_posts/`` and ``old_post/`` (the daily move), even when their
  texts differ.

A title is normalised by Unicode's NFKC (full-width letters, digits and punctuation
become their usual forms, ``Ａ股`` becomes ``A股``), case-folded, and stripped of every
space, punctuation mark and symbol (what is not a letter or a digit). An empty title,
or one of punctuation only, is never a copy of another by its title.

The copy shown for a story is the one in ``_posts/`` (the one the site publishes), else
the newest file (the latest mtime), else the first in the archive's order. The rule needs
only what a load reads: titles, dates, keys and paths, and the files' mtimes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from operator import attrgetter

from reader.core import jekyll
from reader.core.post import Post

_NOT_WORD = re.compile(r"[\W_]+")


def normalised_title(title: str) -> str:
    # Punctuation goes first: most titles are then already in NFKC form, which is quick
    # to check and slow to make (a CJK title's full-width punctuation is what NFKC changes).
    title = _NOT_WORD.sub("", title)
    if not unicodedata.is_normalized("NFKC", title):
        title = _NOT_WORD.sub("", unicodedata.normalize("NFKC", title))
    return title.casefold()


def file_key(post: Post) -> str:
    """The post's key as its file name gives it, before copies were told apart."""
    key = post.key
    if "@" not in key:
        return key
    suffix = "@" + post.path
    return key[: -len(suffix)] if key.endswith(suffix) else key


def stories(posts: Sequence[Post], mtimes: Mapping[str, int]) -> list[int]:
    """For each post (by position), the position of the copy shown for its story: its own
    position when it is a story of one. ``mtimes``: each post's file mtime, by path."""
    titles = list(map(normalised_title, map(attrgetter("title"), posts)))
    minutes = [int(stamp // 60) for stamp in map(attrgetter("timestamp"), posts)]
    by_file: list[Hashable] = list(map(file_key, posts))
    by_title: list[Hashable] = [(t, m) if t else None for t, m in zip(titles, minutes, strict=True)]
    parent = list(range(len(posts)))

    def root(at: int) -> int:
        while parent[at] != at:
            parent[at] = parent[parent[at]]
            at = parent[at]
        return at

    for values in (by_file, by_title):
        counts = Counter(values)
        first: dict[object, int] = {}
        for at in [at for at, value in enumerate(values) if value is not None and counts[value] > 1]:
            other = first.setdefault(values[at], at)
            if other != at:
                parent[root(at)] = root(other)
    members: dict[int, list[int]] = {}
    for at in [at for at in range(len(posts)) if parent[at] != at]:
        members.setdefault(root(at), [root(at)]).append(at)
    shown = list(range(len(posts)))
    for group in members.values():
        choice = min(group, key=lambda at: _preference(posts[at], mtimes, at))
        for at in group:
            shown[at] = choice
    return shown


def _preference(post: Post, mtimes: Mapping[str, int], at: int) -> tuple[bool, int, int]:
    """Lower is shown first: a ``_posts/`` copy, then the newest file, then archive order."""
    published = jekyll.POSTS_DIR in post.path.split("/")
    return (not published, -mtimes.get(post.path, 0), at)
