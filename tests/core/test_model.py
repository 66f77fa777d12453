"""The in-memory model: posts newest first, indexes with counts, bodies on demand."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import archive as archive_module
from reader.core import cache
from reader.core import post as post_module
from reader.core.archive import _sort_newest_first, load_archive
from reader.core.post import PATH, TIMESTAMP, Post, PostList
from tests.conftest import post_text

CST = timezone(timedelta(hours=8))


def sample(write_archive):
    return write_archive(
        {
            "_posts/2022-06-03-c.md": post_text(title="C", categories="markets", tags="财经 A股"),
            "old_post/2022-05-01-b.md": post_text(
                title="B", date="2022-05-01 09:00:00 +0800", categories="markets", tags="财经"
            ),
            "old_post/2021-12-31-a.md": post_text(
                title="A", date="2021-12-31 23:00:00 +0800", categories="tech"
            ),
        }
    )


def test_posts_are_sorted_newest_first(write_archive):
    archive = load_archive(sample(write_archive))
    assert [p.title for p in archive.posts] == ["C", "B", "A"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 1.5, -3.0, 1e9, 1e9 + 1]), st.text("ab/", max_size=4))))
def test_newest_first_breaks_ties_by_path_descending(moments):
    rows = [(None, path, None, *[0] * 8, stamp) for stamp, path in moments]
    expected = sorted(rows, key=lambda row: (row[TIMESTAMP], row[PATH]), reverse=True)
    _sort_newest_first(rows)
    assert rows == expected


@pytest.mark.parametrize("workers", [1, 2])
def test_a_load_with_collection_off_keeps_its_posts(write_archive, workers):
    """As in a window whose loading thread runs while collection is off."""
    gc.disable()
    try:
        archive = load_archive(sample(write_archive), workers=workers)
    finally:
        gc.enable()
    assert [p.title for p in archive.posts] == ["C", "B", "A"]


def test_indexes_by_category_tag_and_month(write_archive):
    archive = load_archive(sample(write_archive))
    titles = lambda indexes: [archive.posts[i].title for i in indexes]  # noqa: E731
    assert {k: titles(v) for k, v in archive.by_category.items()} == {"markets": ["C", "B"], "tech": ["A"]}
    assert {k: titles(v) for k, v in archive.by_tag.items()} == {"财经": ["C", "B"], "A股": ["C"]}
    assert {k: len(v) for k, v in archive.by_month.items()} == {(2022, 6): 1, (2022, 5): 1, (2021, 12): 1}
    assert archive.posts[archive.by_key["2022-05-01-b.md"]].title == "B"


def test_month_index_uses_the_posts_own_local_date(write_archive):
    # 2021-12-31 23:00 +0800 is still December where it was written.
    archive = load_archive(sample(write_archive))
    assert archive.posts[archive.by_month[(2021, 12)][0]].date == datetime(2021, 12, 31, 23, 0, tzinfo=CST)


def test_bodies_are_read_on_demand_not_kept(write_archive):
    root = sample(write_archive)
    archive = load_archive(root)
    assert "body" not in Post.__slots__
    post = archive.posts[0]
    assert archive.read_body(post).strip() == "Body text."
    (root / post.path).write_text(post_text(title="C").replace("Body text.", "Edited."), encoding="utf-8")
    assert archive.read_body(post).strip() == "Edited.", "read from disk each time"


def test_posts_are_compact_records(write_archive):
    archive = load_archive(sample(write_archive))
    post = archive.posts[0]
    assert not hasattr(post, "__dict__")
    assert archive.posts.rows[0] == post and type(archive.posts.rows[0]) is tuple


def test_the_garbage_collector_lets_go_of_posts_as_they_are_made(write_archive, monkeypatch):
    """A tracked post would be walked by every full collection (40-50 ms at 100,000
    posts, holding the GIL): rows are plain tuples, untracked while the load runs."""
    monkeypatch.setattr(cache, "CHUNK", 100)  # as many cache parts (and collections) as 100,000 posts
    files = {
        f"old_post/2022-01-{i % 28 + 1:02d}-p{i}.md": post_text(title=f"P{i}", categories="a b", tags="t")
        for i in range(3000)
    }
    root = write_archive(files)
    assert gc.isenabled()
    for load, workers in (("cold, in worker processes", 2), ("warm", None), ("cold, in this process", 1)):
        if workers == 1:
            cache.cache_path(root).unlink()
        archive = load_archive(root, workers=workers)
        # Set aside: a full collection that falls due (the load's own collections count
        # towards one) walks only what is newer, not the archive.
        assert len(gc.get_objects()) < 2000 < gc.get_freeze_count(), load
        rows = archive.posts.rows
        tracked = sum(gc.is_tracked(row) for row in rows)
        assert tracked < len(rows) // 10, f"{load}: {tracked} of {len(rows)} rows still tracked"
        assert gc.isenabled(), "collection is back on"


@pytest.mark.parametrize("workers", [2, 1])
def test_posts_are_let_go_of_as_their_batch_comes(write_archive, monkeypatch, workers):
    """Untracked while the files are still being read, not after: the load then only
    makes the indexes once the last batch is in."""
    root = write_archive(
        {f"old_post/2022-01-{i % 28 + 1:02d}-p{i}.md": post_text(title=f"P{i}") for i in range(3000)}
    )
    arriving: list[int] = []
    real = archive_module._make_rows

    def count_tracked(rows):
        arriving.append(sum(map(gc.is_tracked, rows)))
        return real(rows)

    monkeypatch.setattr(archive_module, "_make_rows", count_tracked)
    archive = load_archive(root, use_cache=False, workers=workers)
    assert len(archive.posts) == 3000
    assert arriving[0] < 300, f"{arriving[0]} of 3000 posts came to the indexes still tracked"
    assert gc.isenabled(), "collection is back on"


def test_loads_end_with_a_full_collection_only_every_full_every_loads(write_archive, monkeypatch):
    """A full walk of a window process holds the GIL 25-35 ms, while the window waits to
    show the archive. A load from the cache makes one due by its own collections; it
    still ends with the young generations only, but every FULL_EVERY loads."""
    monkeypatch.setattr(cache, "CHUNK", 100)  # as many cache parts (and collections) as 100,000 posts
    root = write_archive({f"old_post/2022-01-{i % 28 + 1:02d}-p{i}.md": post_text() for i in range(3000)})
    load_archive(root)  # writes the cache
    archive_module._loads_since_full[0] = 0
    generations: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        for _ in range(archive_module.FULL_EVERY - 1):
            load_archive(root)
        assert generations and 2 not in generations
        load_archive(root)
        assert 2 in generations
    finally:
        gc.callbacks.remove(seen)


def test_what_a_load_leaves_is_set_aside_until_the_next_load(write_archive):
    """After a load, full collections do not walk the archive and everything older (at
    100,000 posts a full walk held the GIL 20-35 ms: a stall of the window); the next
    load puts it back, so a cycle dropped meanwhile is still collected, by a load that
    ends with a full collection (at least every FULL_EVERY loads)."""
    root = write_archive({f"old_post/2022-01-{i % 28 + 1:02d}-p{i}.md": post_text() for i in range(50)})

    class Node:
        pass

    node = Node()
    node.self = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    thresholds = gc.get_threshold()
    try:
        gc.set_threshold(thresholds[0], thresholds[1], 1000)  # no full collection falls due by count
        archive = load_archive(root)
        assert gc.get_freeze_count() > 0
        assert not any(o is archive.posts.rows for o in gc.get_objects()), "the posts are set aside"
        del node
        gc.collect()
        assert alive() is not None, "set aside with the rest"
        loads = 0
        while alive() is not None and loads < archive_module.FULL_EVERY:
            load_archive(root)
            loads += 1
            assert gc.get_freeze_count() > 0
        assert alive() is None, f"still not collected after {loads} more loads"
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def test_post_list_hands_out_posts():
    rows = [
        (f"k{i}", f"p{i}", f"T{i}", 2022, 1, i + 1, 0, 0, 0, 0, None, float(i), ("c",), (), True, False, ())
        for i in range(3)
    ]
    posts = PostList(rows)
    assert len(posts) == 3 and bool(posts)
    assert posts[0].title == "T0" and posts[-1].key == "k2" and isinstance(posts[1], Post)
    assert [p.path for p in posts[1:]] == ["p1", "p2"]
    assert [p.day for p in posts] == [1, 2, 3]
    assert posts == PostList(list(rows)) and posts == rows and posts != PostList(rows[:2])
    assert posts.index(posts[2]) == 2 and posts[1] in posts
    assert posts[0].date == datetime(2022, 1, 1) and not posts[0].has_offset
    for name in (
        "KEY",
        "PATH",
        "TITLE",
        "YEAR",
        "MONTH",
        "DAY",
        "TIMESTAMP",
        "CATEGORIES",
        "TAGS",
        "PROBLEMS",
    ):
        assert Post._fields[getattr(post_module, name)] == name.lower()


def test_progress_is_reported_and_cancel_stops_the_load(write_archive):
    import pytest

    from reader.core.archive import LoadCancelled

    root = write_archive({f"_posts/2022-01-01-p{i}.md": post_text() for i in range(1200)})
    seen: list[tuple[int, int]] = []
    load_archive(root, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (1200, 1200)
    assert len(seen) >= 3
    with pytest.raises(LoadCancelled):
        load_archive(root, cancelled=lambda: True)


def test_an_archive_is_released_a_slice_at_a_time(write_archive, monkeypatch):
    import reader.core.archive as archive_module

    monkeypatch.setattr(archive_module, "SLICE", 2)
    files = {f"old_post/2022-01-0{i}-p{i}.md": post_text(title=f"P{i}", categories="a") for i in range(1, 6)}
    archive = load_archive(write_archive(files))
    rows, sizes = archive.posts.rows, archive.stamps[1]
    steps = archive.release()
    next(steps)
    assert len(rows) == 3, "one slice per step"
    for _ in steps:
        pass
    assert rows == [] and archive.keys == () and archive.by_key == {} and archive.by_category == {}
    assert len(sizes) == 0 and all(len(column) == 0 for column in archive.stamps)
