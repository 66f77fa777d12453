"""Following changes by reading only the files that changed gives what a full load gives."""

from __future__ import annotations

import gc
import os
import random
import shutil
from pathlib import Path

import pytest

from reader.core.archive import load_archive, update_archive
from tests.conftest import post_text

FOLDERS = ["_posts", "_posts/markets", "old_post", "old_post/2021", "_drafts", "notes"]


def summary(archive):
    stamps = set(zip(*archive.stamps, strict=True))
    return (
        list(archive.posts),
        archive.problems,
        archive.by_category,
        archive.by_tag,
        archive.by_month,
        archive.by_key,
        archive.post_problems,
        archive.folders_read,
        stamps,
    )


def some_text(rng: random.Random, name: str) -> str | bytes:
    roll = rng.random()
    if roll < 0.08:
        return '---\ntitle: "bad "quote""\ndate: 2022-02-01\n---\n'  # invalid YAML
    if roll < 0.12:
        return b"\x00\x01 binary"
    if roll < 0.16:
        return "no front matter at all\n"
    categories = rng.choice(["a", "a b", "Reuters (China)", "c"])
    date = f"2022-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 1{rng.randint(0, 9)}:00:00 +0800"
    return post_text(title=f"{name} {rng.randint(0, 9)}", date=date, categories=categories, tags="t")


def file_name(rng: random.Random, folder: str) -> str:
    stem = f"2022-06-{rng.randint(1, 3):02d}-p{rng.randint(0, 6)}"  # few names: shared keys
    if folder == "_drafts":
        stem = stem[11:]
    return stem + rng.choice([".md", ".md", ".html", ".jpg"])


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("seed", range(6))
def test_random_changes_read_only_what_changed_and_match_a_full_load(tmp_path, seed):
    rng = random.Random(seed)
    root = tmp_path / "archive"
    for folder in FOLDERS:
        for _ in range(4):
            name = file_name(rng, folder)
            write(root / folder / name, some_text(rng, name))
    archive = load_archive(root, use_cache=False)
    incremental = 0
    for _step in range(40):
        files = sorted(p for p in root.rglob("*") if p.is_file())
        roll = rng.random()
        touched: set[Path] = set()
        folder_events: set[Path] = set()  # a folder created or deleted (with its files)
        if roll < 0.3 or not files:  # a new file
            folder = rng.choice(FOLDERS)
            path = root / folder / file_name(rng, folder)
            write(path, some_text(rng, path.name))
            touched.add(path)
        elif roll < 0.5:  # an edit in place, same size or not
            path = rng.choice(files)
            write(path, some_text(rng, path.name))
            os.utime(path, ns=(path.stat().st_mtime_ns + 10**6,) * 2)
            touched.add(path)
        elif roll < 0.65:
            path = rng.choice(files)
            path.unlink()
            touched.add(path)
        elif roll < 0.9:  # a move, the daily one among them
            path = rng.choice(files)
            target = root / rng.choice(FOLDERS) / path.name
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
            touched |= {path, target}
        elif roll < 0.95:  # a new folder: a full load's work
            path = root / "_posts" / f"new{_step}" / "2022-07-01-x.md"
            write(path, some_text(rng, path.name))
            touched.add(path)
            folder_events.add(path.parent)
        else:  # a folder goes
            folder = root / rng.choice(["_posts/markets", "old_post/2021", "notes"])
            if not folder.exists():
                continue
            shutil.rmtree(folder)
            folder_events.add(folder)
        full = load_archive(root, use_cache=False)
        changed = {str(path) for path in touched} | {os.path.join(folder, "") for folder in folder_events}
        updated = update_archive(archive, changed)
        if updated is not None:
            incremental += 1
            assert summary(updated) == summary(full), f"seed {seed}, step {_step}"
            assert updated.files_read <= len(touched)
        archive = full if updated is None else updated
    assert incremental >= 25, "most changes are followed by reading only what changed"


def test_what_a_full_load_must_handle(write_archive):
    root = write_archive({"_posts/2022-06-01-a.md": post_text(title="A")})
    archive = load_archive(root, use_cache=False)
    (root / "_config.yml").write_text("timezone: Asia/Shanghai\n", encoding="utf-8")
    assert update_archive(archive, {str(root / "_config.yml")}) is None
    (root / "news" / "_posts").mkdir(parents=True)
    assert update_archive(archive, {os.path.join(root / "news", "")}) is None, "a new folder"
    assert update_archive(archive, {str(root / "news")}) is None, "a folder, as a path"
    (root / "empty").mkdir()
    (root / "empty").rmdir()
    assert update_archive(archive, {os.path.join(root / "empty", "")}) is None, "a folder went"
    assert update_archive(archive, {"/somewhere/else.md"}) is None, "outside the archive"
    os.symlink(root / "_posts/2022-06-01-a.md", root / "_posts/2022-06-02-link.md")
    assert update_archive(archive, {str(root / "_posts/2022-06-02-link.md")}) is None, "a link"
    shutil.rmtree(root / "_posts")
    assert update_archive(archive, {str(root / "_posts")}) is None, "a folder of posts went"
    assert update_archive(archive, {str(root / "_posts/2022-06-01-a.md")}) is None, "its file alone"


def test_skipped_files_keep_the_order_a_full_load_gives(write_archive):
    binary = b"\x00\x01 binary"
    root = write_archive({"_posts/2022-06-02-b.md": binary, "_posts/2022-06-04-d.md": binary})
    archive = load_archive(root, use_cache=False)
    (root / "_posts/2022-06-01-a.md").write_bytes(binary)
    (root / "_posts/2022-06-03-c.md").write_text(post_text(title="C"), encoding="utf-8")
    changed = {str(root / "_posts/2022-06-01-a.md"), str(root / "_posts/2022-06-03-c.md")}
    updated = update_archive(archive, changed)
    assert updated is not None and updated.files_read == 2
    assert summary(updated) == summary(load_archive(root, use_cache=False))
    assert [problem.path for problem in updated.problems] == [
        f"_posts/2022-06-0{d}-{n}.md" for d, n in ("1a", "2b", "4d")
    ]


def test_an_update_leaves_the_collector_alone_and_its_posts_untracked(write_archive):
    """A tracked post would be walked by every full collection (see test_model)."""
    root = write_archive(
        {f"_posts/2022-06-{i % 28 + 1:02d}-p{i}.md": post_text(title=f"P{i}") for i in range(300)}
    )
    archive = load_archive(root)
    new = root / "_posts/2022-07-01-new.md"
    new.write_text(post_text(title="New", categories="fresh", tags="a b"), encoding="utf-8")
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    updated = update_archive(archive, [str(new)])
    assert updated is not None and "New" in {post.title for post in updated.posts}
    assert not any(map(gc.is_tracked, updated.posts))
    assert gc.isenabled() and gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen


def test_a_fifo_named_like_a_post_is_left_to_a_full_load(write_archive):
    """The scan tells of it (never opening it): an update leaves that to a full load, when
    one appears and when it goes."""
    root = write_archive({"_posts/2022-06-01-a.md": post_text(title="A")})
    archive = load_archive(root, use_cache=False)
    os.mkfifo(root / "_posts/2022-06-02-pipe.md")
    assert update_archive(archive, {str(root / "_posts/2022-06-02-pipe.md")}) is None
    archive = load_archive(root, use_cache=False)
    assert [problem.path for problem in archive.problems] == ["_posts/2022-06-02-pipe.md"]
    (root / "_posts/2022-06-02-pipe.md").unlink()
    assert update_archive(archive, {str(root / "_posts/2022-06-02-pipe.md")}) is None
    os.mkfifo(root / "_posts/not-a-post-name")
    assert update_archive(archive, {str(root / "_posts/not-a-post-name")}) is not None
