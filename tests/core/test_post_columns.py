"""Posts as columns (the load cache's and the reading processes' form): exactly the posts
again, missing entries in place, and one tuple per set of categories or tags."""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest

from reader.core.archive import load_archive
from reader.core.post import Post
from reader.core.post_columns import PostColumns
from tests.conftest import post_text

ENCODER = msgspec.msgpack.Encoder()
DECODER = msgspec.msgpack.Decoder(PostColumns)


def post(number: int, categories: tuple[str, ...], tags: tuple[str, ...] = ()) -> Post:
    return Post(
        f"2024-01-{number:02d}-p",
        f"_posts/2024-01-{number:02d}-p.md",
        f"标题 {number}",
        datetime(2024, 1, number, 8, 30),
        28800 if number % 2 else None,
        1704069000.0 + number,
        categories,
        tags,
        number != 3,
        number == 4,
        ("a problem",) if number == 5 else (),
    )


def again(entries: list[Post | None], shared: dict | None = None) -> list[Post | None]:
    return DECODER.decode(ENCODER.encode(PostColumns.of(entries))).posts(shared)


def test_the_entries_come_back_equal_with_the_missing_ones_in_place():
    entries = [None, post(1, ("a",)), post(2, ("b", "c"), ("t",)), None, post(3, ()), post(4, ("a",)), None]
    entries.append(post(5, ("a",), ("t", "u")))
    assert again(entries) == entries
    assert again([]) == []
    assert again([None, None]) == [None, None]


def test_equal_sets_of_names_are_one_tuple_within_and_across_parts():
    shared: dict = {}
    first = again([post(1, ("a",), ("t",)), post(2, ("a",), ("t",))], shared)
    second = again([post(3, ("a",), ("t",))], shared)
    tuples = [p.categories for p in first + second if p is not None]
    assert all(value is tuples[0] for value in tuples)
    assert first[0] is not None and second[0] is not None
    assert first[0].tags is second[0].tags


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: msgspec.structs.replace(c, titles=c.titles[:-1]),
        lambda c: msgspec.structs.replace(c, count=c.count + 1),
        lambda c: msgspec.structs.replace(c, categories=[*c.categories[:-1], len(c.names)]),
        lambda c: msgspec.structs.replace(c, tags=[-1, *c.tags[1:]]),
    ],
    ids=["a short column", "a wrong count", "a name set past the table", "a negative name set"],
)
def test_columns_that_do_not_agree_are_refused(damage):
    columns = PostColumns.of([post(1, ("a",)), None, post(2, ("b",))])
    with pytest.raises(ValueError):
        DECODER.decode(ENCODER.encode(damage(columns))).posts()


def test_a_warm_load_shares_each_set_of_names(write_archive):
    files = {
        f"_posts/2024-01-{day:02d}-p.md": post_text(f"p{day}", categories=["markets"]) for day in range(1, 9)
    }
    root = write_archive(files)
    cold = load_archive(root)
    warm = load_archive(root)
    assert [p.categories for p in warm.posts] == [p.categories for p in cold.posts] == [("markets",)] * 8
    assert len({id(p.categories) for p in warm.posts}) == 1


def test_columns_without_paths_take_them_from_the_caller_and_share_them():
    entries = [post(1, ("a",)), None, post(2, ("b",)), post(3, ("a",))]
    paths = [f"{entry.path}" if entry else "not-a-post.md" for entry in entries]
    columns = DECODER.decode(ENCODER.encode(PostColumns.of(entries, paths=False)))
    assert columns.paths == []
    again_ = columns.posts(paths=paths)
    assert again_ == entries
    assert all(p is None or p.path is paths[at] for at, p in enumerate(again_))
    with pytest.raises(ValueError):
        DECODER.decode(ENCODER.encode(PostColumns.of(entries))).posts(paths=paths)
