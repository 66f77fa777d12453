"""The persistent load cache never serves stale data."""

from __future__ import annotations

import os
import shutil

import pytest

from reader.core import cache
from reader.core.archive import load_archive
from tests.conftest import deny_reading, post_text


def titles(archive):
    return sorted(p.title for p in archive.posts)


@pytest.fixture
def root(write_archive):
    return write_archive({f"_posts/2022-06-0{i}-p{i}.md": post_text(title=f"P{i}") for i in range(1, 6)})


def test_second_load_reads_nothing_and_gives_the_same_posts(root):
    first = load_archive(root)
    second = load_archive(root)
    assert (first.files_read, second.files_read, second.files_cached) == (5, 0, 5)
    assert second.posts == first.posts


def test_an_edited_file_is_read_again(root):
    load_archive(root)
    path = root / "_posts/2022-06-01-p1.md"
    before = path.stat().st_mtime_ns
    path.write_text(post_text(title="Edited"), encoding="utf-8")
    os.utime(path, ns=(before + 1000, before + 1000))
    archive = load_archive(root)
    assert archive.files_read == 1
    assert "Edited" in titles(archive)


def test_same_size_edit_with_new_mtime_is_seen(root):
    load_archive(root)
    path = root / "_posts/2022-06-02-p2.md"
    stamp = path.stat().st_mtime_ns
    path.write_text(post_text(title="PX"), encoding="utf-8")  # same length as "P2"
    os.utime(path, ns=(stamp + 1, stamp + 1))
    assert "PX" in titles(load_archive(root))


def test_new_and_deleted_files(root):
    load_archive(root)
    (root / "_posts/2022-06-09-new.md").write_text(post_text(title="New"), encoding="utf-8")
    (root / "_posts/2022-06-03-p3.md").unlink()
    archive = load_archive(root)
    assert archive.files_read == 1
    assert titles(archive) == ["New", "P1", "P2", "P4", "P5"]
    assert len(cache.load(root)) == 5


def test_corrupt_cache_is_rebuilt_silently(root):
    load_archive(root)
    cache.cache_path(root).write_bytes(b"\x00garbage" * 10)
    archive = load_archive(root)
    assert archive.files_read == 5
    assert load_archive(root).files_read == 0


def test_format_version_change_rebuilds(root, monkeypatch):
    load_archive(root)
    monkeypatch.setattr(cache, "FORMAT_VERSION", cache.FORMAT_VERSION + 1)
    assert load_archive(root).files_read == 5


def test_a_different_archive_at_the_same_path_rebuilds(root, tmp_path):
    load_archive(root)
    other = tmp_path / "other"
    (other / "_posts").mkdir(parents=True)
    for i in range(1, 6):  # same names, sizes and times, different folder
        source = root / f"_posts/2022-06-0{i}-p{i}.md"
        target = other / "_posts" / source.name
        target.write_text(post_text(title=f"Q{i}"), encoding="utf-8")
        stamp = source.stat().st_mtime_ns
        os.utime(target, ns=(stamp, stamp))
    shutil.rmtree(root)
    other.rename(root)
    archive = load_archive(root)
    assert archive.files_read == 5
    assert titles(archive) == ["Q1", "Q2", "Q3", "Q4", "Q5"]


def test_config_change_rebuilds(root):
    load_archive(root)
    (root / "_config.yml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    assert load_archive(root).files_read == 5


def test_unreadable_files_are_not_cached(root, monkeypatch):
    with monkeypatch.context() as patch:
        deny_reading(patch, "p1.md")
        assert len(load_archive(root).posts) == 4
    assert len(load_archive(root).posts) == 5


def test_without_the_cache(root):
    load_archive(root, use_cache=False)
    assert not cache.cache_path(root).exists()


@pytest.mark.slow
def test_parallel_reading_gives_the_same_archive(write_archive):
    files = {
        f"old_post/2022-01-{(i % 28) + 1:02d}-n{i}.md": post_text(
            title=f"N{i}", date="2022-01-01 10:00:00 +0800", categories="a b"
        )
        for i in range(300)
    }
    files["old_post/bad.md"] = '---\ntitle: "bad "quote""\ndate: 2022-01-01\n---\n'
    files["_posts/2022-01-01-bin.md"] = b"\x00\x01"
    root = write_archive(files)
    serial = load_archive(root, use_cache=False, workers=1)
    parallel = load_archive(root, use_cache=False, workers=2)
    assert parallel.posts == serial.posts
    assert parallel.problems == serial.problems
    # The workers' sizes and mtimes make a cache that the next load finds valid...
    load_archive(root, workers=2)
    assert load_archive(root, workers=2).files_read == 0
    # ...and files changed here and there are read again, by the workers, in place.
    for i in (3, 150, 299):
        (root / f"old_post/2022-01-{(i % 28) + 1:02d}-n{i}.md").write_text(post_text(title=f"Changed {i}"))
    changed = load_archive(root, workers=2)
    assert changed.files_read == 3
    assert summary(changed) == summary(load_archive(root, use_cache=False, workers=1))
    assert load_archive(root, workers=2).files_read == 0


@pytest.fixture
def varied(write_archive):
    """Posts with shared keys, problems, skipped files, drafts and several categories."""
    return write_archive(
        {
            "_posts/2022-06-01-same.md": post_text(title="In _posts", categories="a b", tags="t1 t2"),
            "old_post/2022-06-01-same.md": post_text(title="Moved copy", categories="a"),
            "old_post/2021-12-31-late.md": post_text(title="Late", date="2021-12-31 23:00:00 +0800"),
            "old_post/2022-01-05-naive.md": post_text(title="Naive", date="2022-01-05 10:00:00", tags="t2"),
            "old_post/bad.md": '---\ntitle: "bad "quote""\ndate: 2022-02-01\n---\n',
            "old_post/no-date.md": "---\ntitle: Page\nlayout: post\n---\n",
            "_posts/2022-03-03-binary.md": b"\x00\x01\x02",
            "_drafts/draft.md": post_text(title="Draft"),
            "notes/readme.txt": "plain text, not a post",
        }
    )


def summary(archive):
    return (
        archive.posts,
        archive.problems,
        archive.by_category,
        archive.by_tag,
        archive.by_month,
        archive.by_key,
    )


def test_an_unchanged_folder_gives_exactly_what_reading_it_gives(varied):
    fresh = load_archive(varied, use_cache=False)
    load_archive(varied)  # writes the cache
    warm = load_archive(varied)
    assert (warm.files_read, warm.files_cached) == (0, 9)
    assert summary(warm) == summary(fresh)
    assert any(post.key.endswith("@old_post/2022-06-01-same.md") for post in warm.posts)


def test_a_changed_folder_gives_exactly_what_reading_it_gives(varied):
    load_archive(varied)
    (varied / "old_post/2021-12-31-late.md").unlink()
    (varied / "old_post/2023-01-01-new.md").write_text(
        post_text(title="New", categories="c"), encoding="utf-8"
    )
    changed = load_archive(varied)
    assert changed.files_read == 1
    assert summary(changed) == summary(load_archive(varied, use_cache=False))
    assert summary(load_archive(varied)) == summary(changed)


def damage_cache(monkeypatch, damage):
    """Every cache load from now on gives what ``damage`` makes of the cache."""
    real_load = cache.load

    def damaged(root):
        cached = real_load(root)
        damage(cached)
        return cached

    monkeypatch.setattr(cache, "load", damaged)


def test_a_damaged_post_order_in_the_cache_is_not_trusted(varied, monkeypatch):
    fresh = load_archive(varied, use_cache=False)
    load_archive(varied)

    def damage(cached):
        cached.order = [*cached.order[:-1], 999]  # one position out of range
        cached.derived = ({}, {}, {}, 0)

    damage_cache(monkeypatch, damage)
    assert summary(load_archive(varied)) == summary(fresh)
    (varied / "old_post/2023-01-01-new.md").write_text(post_text(title="New"), encoding="utf-8")
    assert summary(load_archive(varied)) == summary(load_archive(varied, use_cache=False))


def test_damaged_cached_indexes_are_not_trusted(varied, monkeypatch):
    fresh = load_archive(varied, use_cache=False)
    load_archive(varied)

    def damage(cached):
        by_category, by_tag, by_month, count = cached.derived
        cached.derived = ({**by_category, "a": b"\x01"}, by_tag, by_month, count)  # not whole positions

    damage_cache(monkeypatch, damage)
    assert summary(load_archive(varied)) == summary(fresh)  # indexes made again
