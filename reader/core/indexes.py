"""Ordering an archive's posts (newest first) and indexing them by category, tag and month."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from itertools import compress, islice
from operator import attrgetter, eq
from typing import Any

import msgspec

from reader.core import jekyll, native
from reader.core.post import Post


def unique_keys(posts: list[Post]) -> list[Post]:
    """Give every post its own key: the first by path order (``_posts`` folders first)
    keeps the shared key, the others get ``key@path``."""
    seen: dict[str, int] = {}
    for post in posts:
        seen[post.key] = seen.get(post.key, 0) + 1
    shared = [post for post in posts if seen[post.key] > 1]
    ordered = sorted(shared, key=lambda post: (jekyll.POSTS_DIR not in post.path.split("/"), post.path))
    taken: set[str] = set()
    renamed: dict[str, Post] = {}
    for post in ordered:
        if post.key in taken:
            renamed[post.path] = msgspec.structs.replace(post, key=f"{post.key}@{post.path}")
        taken.add(post.key)
    return [renamed.get(post.path, post) for post in posts]


#: by category, by tag, by (year, month): positions in ``Archive.posts``, as machine
#: integers (``array("i")``): compact, and saved to the load cache in one copy each.
Indexes = tuple[dict[str, "array[int]"], dict[str, "array[int]"], dict[tuple[int, int], "array[int]"]]
#: What a load derives from the posts: the indexes, and how many problems the posts have
Derived = tuple[dict[str, "array[int]"], dict[str, "array[int]"], dict[tuple[int, int], "array[int]"], int]


#: Items per step of the C-level passes over all posts: each step holds the GIL ~1 ms, so a
#: window loading on a thread keeps getting it.
SLICE = 10_000


def sort_newest_first(posts: list[Post]) -> None:
    """Sort the posts newest first; posts of the same moment by path, descending.

    Sorting on float keys alone takes a quarter of the time of sorting on (timestamp,
    path) tuples, which must be made for every post. So the posts are sorted by
    timestamp, then each run of equal timestamps by path (the sort is stable)."""
    posts.sort(key=attrgetter("timestamp"), reverse=True)
    stamps = list(map(attrgetter("timestamp"), posts))
    ties = compress(range(1, len(stamps)), map(eq, stamps, islice(stamps, 1, None)))
    run_start = run_end = -1
    for at in ties:  # ``at`` has the same timestamp as the post before it
        if at != run_end + 1:
            _sort_run_by_path(posts, run_start, run_end)
            run_start = at - 1
        run_end = at
    _sort_run_by_path(posts, run_start, run_end)


def _sort_run_by_path(posts: list[Post], start: int, end: int) -> None:
    if start >= 0:
        posts[start : end + 1] = sorted(posts[start : end + 1], key=attrgetter("path"), reverse=True)


def newest_first_indexed(posts: list[Post]) -> tuple[list[Post], Derived]:
    """The posts (a list of their own: the load lets go of ``posts``), newest first,
    and their indexes."""
    ordered = list(posts)
    packed = native.sort_and_index(ordered)
    if packed is not None:
        return ordered, unpack(packed)
    sort_newest_first(ordered)
    return ordered, derive(ordered)


def derive(posts: list[Post]) -> Derived:
    """The category, tag and month indexes of ``posts``, and their problem count."""
    empty = partial(array, "i")
    by_category: defaultdict[str, array[int]] = defaultdict(empty)
    by_tag: defaultdict[str, array[int]] = defaultdict(empty)
    by_month: defaultdict[tuple[int, int], array[int]] = defaultdict(empty)
    for at, post in enumerate(posts):
        for category in post.categories:
            by_category[category].append(at)
        for tag in post.tags:
            by_tag[tag].append(at)
        written = post.written
        by_month[written.year, written.month].append(at)
    problem_count = sum(map(len, map(attrgetter("problems"), posts)))
    return dict(by_category), dict(by_tag), dict(by_month), problem_count


def positions(names: Sequence[str]) -> dict[str, int]:
    """Each name's position (the last one, for a name seen twice)."""
    result: dict[str, int] = {}
    for start in range(0, len(names), SLICE):  # C-level, in slices: each holds the GIL briefly
        part = names[start : start + SLICE]
        result.update(zip(part, range(start, start + len(part)), strict=True))
    return result


def pack(made: Derived) -> tuple[Any, ...]:
    """The indexes as bytes, for the load cache: one short copy each way."""
    by_category, by_tag, by_month, problem_count = made
    indexes: tuple[dict[Any, array[int]], ...] = (by_category, by_tag, by_month)
    return (*({key: at.tobytes() for key, at in index.items()} for index in indexes), problem_count)


def unpack(packed: Any) -> Derived:
    """:func:`pack` undone; TypeError or ValueError when ``packed`` is not its work."""
    by_category, by_tag, by_month, problem_count = packed
    indexes = []
    index: Any
    for index in (by_category, by_tag, by_month):
        unpacked = {}
        for key, raw in index.items():
            positions = array("i")
            positions.frombytes(raw)
            unpacked[key] = positions
        indexes.append(unpacked)
    return indexes[0], indexes[1], indexes[2], problem_count
