"""The in-memory model: posts newest first, indexes with counts, bodies on demand."""

from __future__ import annotations

import gc
from datetime import datetime, timedelta, timezone

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import cache
from reader.core.archive import load_archive
from reader.core.indexes import sort_newest_first
from reader.core.post import Post
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


def record(path: str, stamp: float) -> Post:
    return Post("k", path, "t", datetime(2022, 1, 1), None, stamp, (), (), True, False, ())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 1.5, -3.0, 1e9, 1e9 + 1]), st.text("ab/", max_size=4))))
def test_newest_first_breaks_ties_by_path_descending(moments):
    posts = [record(path, stamp) for stamp, path in moments]
    expected = sorted(posts, key=lambda post: (post.timestamp, post.path), reverse=True)
    sort_newest_first(posts)
    assert posts == expected


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
    assert "body" not in Post.__struct_fields__
    post = archive.posts[0]
    assert archive.read_body(post).strip() == "Body text."
    (root / post.path).write_text(post_text(title="C").replace("Body text.", "Edited."), encoding="utf-8")
    assert archive.read_body(post).strip() == "Edited.", "read from disk each time"


def test_posts_are_compact_records(write_archive):
    archive = load_archive(sample(write_archive))
    post = archive.posts[0]
    assert not hasattr(post, "__dict__")
    assert type(archive.posts) is list and type(post) is Post


def test_no_post_is_tracked_by_the_garbage_collector(write_archive, monkeypatch):
    """A tracked post would be walked by every full collection (40-50 ms at 100,000
    posts, holding the GIL: a stall of the window). Posts are records the collector
    never tracks, however they were made: read here, in worker processes, or from the
    cache."""
    monkeypatch.setattr(cache, "CHUNK", 100)
    files = {
        f"old_post/2022-01-{i % 28 + 1:02d}-p{i}.md": post_text(title=f"P{i}", categories="a b", tags="t")
        for i in range(600)
    }
    files["old_post/bad.md"] = "---\ntitle: [unclosed\ndate: 2022-01-01\n---\nx\n"  # a post with problems
    root = write_archive(files)
    for load, workers in (("cold, in worker processes", 2), ("warm", None), ("cold, in this process", 1)):
        if workers == 1:
            cache.cache_path(root).unlink()
        archive = load_archive(root, workers=workers)
        assert len(archive.posts) == 601 and any(post.problems for post in archive.posts), load
        assert not any(map(gc.is_tracked, archive.posts)), load


def test_a_load_leaves_the_garbage_collector_as_it_found_it(write_archive):
    """Loading is not a collector policy: on or off, thresholds and frozen objects are
    as they were (two loads at once cannot leave it off)."""
    root = write_archive({f"old_post/2022-01-{i % 28 + 1:02d}-p{i}.md": post_text() for i in range(50)})
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    for collecting in (True, False):
        (gc.enable if collecting else gc.disable)()
        try:
            load_archive(root)
            load_archive(root, use_cache=False, workers=1)
            assert gc.isenabled() is collecting
            assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen
        finally:
            gc.enable()


def test_post_records_have_named_typed_fields():
    zone = timezone(timedelta(hours=8))
    aware = Post(
        "k", "p.md", "T", datetime(2022, 1, 2, 3, 4, 5, 6), 28800, 1.5, ("c",), ("t",), True, False, ("x",)
    )
    naive = msgspec.structs.replace(aware, utc_offset=None)
    assert aware.date == datetime(2022, 1, 2, 3, 4, 5, 6, tzinfo=zone) and aware.has_offset
    assert aware.iso_date() == "2022-01-02T03:04:05.000006+08:00"
    assert naive.date == datetime(2022, 1, 2, 3, 4, 5, 6) and naive.date.tzinfo is None
    assert not naive.has_offset
    with pytest.raises(AttributeError):
        aware.title = "changed"  # type: ignore[misc]
    # The cache's codec gives the very same records back, offset included.
    decoded = msgspec.msgpack.decode(msgspec.msgpack.encode([aware, naive, None]), type=list[Post | None])
    assert decoded == [aware, naive, None] and decoded[0].date == aware.date
    with pytest.raises(msgspec.ValidationError):
        msgspec.msgpack.decode(msgspec.msgpack.encode(["k", "p", 3]), type=Post)


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
    rows, sizes = archive.posts, archive.stamps[1]
    steps = archive.release()
    next(steps)
    assert len(rows) == 3, "one slice per step"
    for _ in steps:
        pass
    assert rows == [] and archive.keys == () and archive.by_key == {} and archive.by_category == {}
    assert len(sizes) == 0 and all(len(column) == 0 for column in archive.stamps)
