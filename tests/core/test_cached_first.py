"""The archive as the load cache last saw it, shown first, then checked against its files
(``load_cached_archive`` and ``check_archive``): what the check gives is always what a
full load gives."""

from __future__ import annotations

import os

import pytest

from reader.core import archive as archive_module
from reader.core.archive import check_archive, load_archive, load_cached_archive
from tests.conftest import post_text


def summary(archive):
    return (
        archive.posts,
        archive.problems,
        archive.by_category,
        archive.by_tag,
        archive.by_month,
        archive.by_key,
        archive.folders_read,
        dict(zip(archive.stamps[0], zip(archive.stamps[1], archive.stamps[2], strict=True), strict=True)),
    )


@pytest.fixture
def root(write_archive):
    files = {
        "_posts/2022-06-01-same.md": post_text(title="In _posts", categories="a b", tags="t1 t2"),
        "old_post/2022-06-01-same.md": post_text(title="Moved copy", categories="a"),
        "old_post/2022-01-05-naive.md": post_text(title="Naive", date="2022-01-05 10:00:00", tags="t2"),
        "old_post/bad.md": '---\ntitle: "bad "quote""\ndate: 2022-02-01\n---\n',
        "_drafts/draft.md": post_text(title="Draft"),
    }
    files.update(
        {f"old_post/2022-02-{day:02d}-p{day}.md": post_text(title=f"P{day}") for day in range(1, 20)}
    )
    return write_archive(files)


def test_without_a_cache_there_is_no_preview(root):
    assert load_cached_archive(root) is None
    load_archive(root, use_cache=False)
    assert load_cached_archive(root) is None


def test_the_preview_is_what_the_load_gave_and_reads_no_file(root, monkeypatch):
    loaded = load_archive(root)
    # the preview neither lists nor stats the folder, nor reads a post
    monkeypatch.setattr(archive_module, "scan", lambda *a, **k: pytest.fail("the preview scanned"))
    monkeypatch.setattr(archive_module, "scan_meanwhile", lambda *a, **k: pytest.fail("the preview scanned"))
    preview = load_cached_archive(root)
    assert preview is not None
    assert summary(preview) == summary(loaded)


def test_an_unchanged_folder_checks_as_the_same_archive(root):
    load_archive(root)
    preview = load_cached_archive(root)
    assert preview is not None
    assert check_archive(preview) is preview


def change_added(root):
    (root / "_posts/2023-01-01-new.md").write_text(post_text(title="New", categories="c"), encoding="utf-8")


def change_removed(root):
    (root / "old_post/2022-02-03-p3.md").unlink()


def change_moved(root):
    os.rename(root / "old_post/2022-02-04-p4.md", root / "_posts/2022-02-04-p4.md")


def change_edited_in_place(root):
    path = root / "old_post/2022-02-05-p5.md"
    stamp = path.stat().st_mtime_ns
    path.write_text(post_text(title="P5 edited!"), encoding="utf-8")  # same size as "P5" + 7
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))


def change_config(root):
    (root / "_config.yml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")


def change_many(root):
    for day in range(1, 28):
        (root / f"_posts/2024-03-{day:02d}-m{day}.md").write_text(
            post_text(title=f"M{day}"), encoding="utf-8"
        )


@pytest.mark.parametrize(
    "change",
    [change_added, change_removed, change_moved, change_edited_in_place, change_config, change_many],
)
def test_a_changed_folder_checks_as_a_full_load_would_give(root, change, monkeypatch):
    load_archive(root)
    preview = load_cached_archive(root)
    assert preview is not None
    change(root)
    if change is change_many:
        monkeypatch.setattr(archive_module, "UPDATE_AT_MOST", 10)  # past it: loaded again
    checked = check_archive(preview)
    assert checked is not preview
    assert summary(checked) == summary(load_archive(root, use_cache=False))
