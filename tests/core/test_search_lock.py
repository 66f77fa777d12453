"""The search index's lock never blocks: while another process builds or writes the
index, search reads the files (and says so) instead of waiting for it; and two commands
started together on an archive without caches both answer right and leave valid caches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.archive import load_archive
from reader.core.cache import cache_path
from reader.core.search import IndexBusy, SearchIndex, _shard_paths, index_path, search_archive
from tests.conftest import REPO, post_text, without_progress
from tests.index_lock import index_lock_held

POSTS = 400


def _matching(posts: int) -> set[int]:
    """The posts whose body holds the query's words."""
    return {n for n in range(posts) if n % 7 == 0}


MATCHING = _matching(POSTS)


def _archive(write_archive, posts: int = POSTS, filler: int = 0) -> Path:
    files = {}
    for n in range(posts):
        body = "央行公布数据 ESG report" if n % 7 == 0 else "市场 平稳 nothing here"
        files[f"_posts/2022-{n % 12 + 1:02d}-{n % 28 + 1:02d}-p{n}.md"] = (
            post_text(title=f"Post {n}") + f"\n{body} {n}\n" + "经济 增长 " * filler
        )
    return write_archive(files)


def _expected_titles(posts: int = POSTS) -> set[str]:
    return {f"Post {n}" for n in _matching(posts)}


def _reader(*args: str, cache: Path | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _finish(process: subprocess.Popen[str], timeout: float) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"`{process.args!r}` did not finish in {timeout} s")
    return process.returncode, out, without_progress(err)


def _titles(out: str) -> list[str]:
    return [hit["title"] for hit in json.loads(out)]


# --- a lock held by another process -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("indexed_before", [False, True], ids=["no index yet", "index built"])
def test_the_search_command_reads_the_files_while_another_process_holds_the_lock(
    write_archive, indexed_before
):
    root = _archive(write_archive)
    if indexed_before:
        assert _finish(_reader("search", str(root), "央行 esg", "--json"), 60)[0] == 0
    with index_lock_held(root, seconds=30):
        started = time.monotonic()
        code, out, err = _finish(_reader("search", str(root), "央行 esg", "--json"), 30)
        took = time.monotonic() - started
    assert took < 10, f"the command waited {took:.1f} s for the lock"
    assert code == 0, err
    assert sorted(_titles(out)) == sorted(_expected_titles())
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: warning: "), err
    assert "another process is writing the index" in lines[0]
    assert "the files were read instead" in lines[0]


def test_opening_updating_and_searching_never_wait_for_the_lock(write_archive):
    root = _archive(write_archive)
    archive = load_archive(root)
    index = SearchIndex(root)
    try:
        with index_lock_held(root):
            for step in (
                lambda: SearchIndex(root),
                lambda: index.update(archive),
                lambda: index.search("央行", archive),
            ):
                started = time.monotonic()
                with pytest.raises(IndexBusy):
                    step()
                assert time.monotonic() - started < 2
            hits, trouble = search_archive("央行 esg", archive)
            assert {archive.posts[hit.post_index].title for hit in hits} == _expected_titles()
            assert trouble is not None and "another process is writing the index" in trouble
        # Once the other process is done, the same index is used again.
        assert index.update(archive) == POSTS
        assert {archive.posts[hit.post_index].title for hit in index.search("央行 esg", archive)} == (
            _expected_titles()
        )
    finally:
        index.close()


def test_a_search_never_reads_shards_another_process_is_writing(write_archive):
    """A reader opened before another process began to write is refused the lock (shared
    against the writer's exclusive): it never answers from a half-written index."""
    root = _archive(write_archive)
    archive = load_archive(root)
    reader_index = SearchIndex(root)
    try:
        reader_index.update(archive)
        assert len(reader_index.search("央行", archive)) == len(MATCHING)
        with index_lock_held(root), pytest.raises(IndexBusy):
            reader_index.search("央行", archive)
    finally:
        reader_index.close()


def test_a_change_by_another_process_is_seen_by_an_open_index(write_archive):
    root = _archive(write_archive)
    archive = load_archive(root)
    first = SearchIndex(root)
    try:
        first.update(archive)
        assert len(first.search("央行", archive)) == len(MATCHING)
        changed = root / "_posts/2022-01-01-p0.md"
        changed.write_text(post_text(title="Post 0") + "\n市场 平稳 nothing here 0\n", encoding="utf-8")
        os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
        reloaded = load_archive(root)
        other = SearchIndex(root)  # as another process would: its own connections
        try:
            assert other.update(reloaded) == 1
        finally:
            other.close()
        # The same archive object: what the open index knew of it must be looked at again.
        titles = {archive.posts[hit.post_index].title for hit in first.search("央行", archive)}
        assert titles == _expected_titles() - {"Post 0"}
    finally:
        first.close()


# --- two commands started together, no caches yet ------------------------------------------


def _cache_files(root: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, size, mtime) of the load cache and of each index shard and seal."""
    paths = [cache_path(root)]
    for shard in _shard_paths(index_path(root)):
        paths += [shard, shard.with_name(shard.name + ".seal")]
    result = {}
    for path in paths:
        info = path.stat()
        result[path.name] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return result


BUSY = "another process is writing the index"


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(6))
def test_two_commands_started_together_without_caches_answer_right_and_leave_valid_caches(
    write_archive, tmp_path, trial
):
    # Big enough that building the index outlasts the lock's wait: the slower process
    # then reads the files (scores 0, same posts) rather than wait.
    posts = 1500
    root = _archive(write_archive, posts, filler=100)
    search = ("search", str(root), "央行 esg", "--json")
    listing = ("list", str(root), "--json")
    # What a run with no cache at all answers (in a cache folder of its own).
    reference = {
        args[0]: _finish(_reader(*args, cache=tmp_path / args[0]), 120) for args in (search, listing)
    }
    assert sorted(_titles(reference["search"][1])) == sorted(_expected_titles(posts))
    assert len(json.loads(reference["list"][1])) == posts
    commands = [search, listing] * 2
    started = [_reader(*args) for args in commands]
    for args, process in zip(commands, started, strict=True):
        code, out, err = _finish(process, 120)
        assert code == 0, err
        if BUSY in err:  # read the files: the same posts
            assert len(err.splitlines()) == 1, err
            assert sorted(hit["path"] for hit in json.loads(out)) == sorted(
                hit["path"] for hit in json.loads(reference["search"][1])
            )
        else:
            assert (out, err) == (reference[args[0]][1], "")
    caches = _cache_files(root)
    time.sleep(0.05)  # a rewritten file would get another mtime
    for args in (search, listing):
        assert _finish(_reader(*args), 120) == (0, reference[args[0]][1], "")
    assert _cache_files(root) == caches, "a third run found a cache it could not use"
