"""The load cache and the search index under damage and faults.

Whatever happens to a cache (damaged bytes, a truncated file, another version's file, a
folder or a named pipe in its place, a file or folder the user may not read or write, a
full disk), a load gives exactly the archive a load without the cache gives, a search
exactly what a fresh index gives, and a damaged cache is made again.
"""

from __future__ import annotations

import json
import logging
import marshal
import os
import random
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from reader.core import cache
from reader.core.archive import load_archive
from reader.core.search import SearchIndex, _shard_paths, index_path, scan_search, search_archive
from tests.conftest import NO_MATCH, post_text, without_no_match
from tests.core.test_cache import summary  # what a load gives, to compare with a fresh one
from tests.faults import (
    NOBODY,
    cache_env,
    flip_bytes,
    full_disk,
    give_to_nobody,
    nobody_space,
    run_as_nobody,
    run_reader,
)

TRIALS = 200


WORDS = ["央行", "降准", "碳中和", "港股", "ESG", "bond", "rally", "蚂蚁", "A股", "流动性", "yields", "恒生"]


def archive_files(count: int = 40) -> dict[str, str | bytes]:
    """Posts with categories, tags, dates with and without offsets, and broken files."""
    rng = random.Random(7)
    files: dict[str, str | bytes] = {}
    for n in range(count):
        words = " ".join(rng.sample(WORDS, 3))
        text = post_text(
            title=f"Post {n} {words.split()[0]}",
            date=f"2022-0{n % 9 + 1}-{n % 27 + 1:02d} 10:{n % 60:02d}:00" + (" +0800" if n % 3 else ""),
            categories=rng.choice(["a", "a b", "news markets"]),
            tags=rng.choice(["t1", "t1 t2", "財經"]),
        )
        files[f"old_post/2022-01-01-p{n}.md"] = text.replace("Body text.", f"<p>{words} {n}</p>")
    files["_posts/2022-06-01-same.md"] = post_text(title="Same key", categories="c")
    files["old_post/bad.md"] = '---\ntitle: "bad "quote""\ndate: 2022-02-01\n---\n'
    files["old_post/no-date.md"] = "---\ntitle: Page\nlayout: post\n---\n"
    files["_posts/2022-03-03-binary.md"] = b"\x00\x01\x02"
    files["_drafts/draft.md"] = post_text(title="Draft")
    return files


@pytest.fixture
def root(write_archive, monkeypatch):
    # Small chunks: the cache has many parts, as a big archive's has.
    monkeypatch.setattr(cache, "CHUNK", 6)
    return write_archive(archive_files())


def count_files(root: Path) -> int:
    return len(load_archive(root, use_cache=False).stamps[0])


# --- the load cache ----------------------------------------------------------------------


def test_damaged_bytes_never_give_wrong_data_and_the_cache_is_made_again(root):
    fresh = summary(load_archive(root, use_cache=False))
    files = count_files(root)
    load_archive(root)
    path = cache.cache_path(root)
    pristine = path.read_bytes()
    rng = random.Random(2024)
    for trial in range(TRIALS):
        path.write_bytes(pristine)
        where = flip_bytes(path, rng)
        damaged = load_archive(root)
        assert summary(damaged) == fresh, f"trial {trial}: bytes {where} changed"
        assert damaged.files_read == files, f"trial {trial}: the damage went unnoticed"
        again = load_archive(root)
        assert (again.files_read, summary(again)) == (0, fresh), f"trial {trial}: not made again"


def test_a_truncated_cache_is_read_again(root):
    fresh = summary(load_archive(root, use_cache=False))
    load_archive(root)
    path = cache.cache_path(root)
    pristine = path.read_bytes()
    step = max(1, len(pristine) // 60)
    lengths = sorted({*range(0, len(pristine), step), *range(0, 40), len(pristine) - 1})
    for length in lengths:
        path.write_bytes(pristine[:length])
        assert summary(load_archive(root)) == fresh, length
        assert load_archive(root).files_read == 0, length


def previous_format(root: Path, cached: cache.Cached) -> bytes:
    """The cache as format 10 wrote it: no marker, no checksums."""
    signature = (10, *cache.signature(root)[1:])
    fields = msgspec.to_builtins(cached.fields)  # plain values, as that format kept posts
    parts = [
        marshal.dumps((cached.relatives, cached.sizes, cached.mtimes, fields, cached.problems)),
        marshal.dumps(b""),
        marshal.dumps(cached.derived),
    ]
    header = marshal.dumps((signature, [len(part) for part in parts]))
    return len(header).to_bytes(8, "little") + header + b"".join(parts)


@pytest.mark.parametrize("kind", ["format 10", "a later format", "a later version"])
def test_a_cache_of_another_version_is_read_again(root, kind, monkeypatch):
    fresh = summary(load_archive(root, use_cache=False))
    files = count_files(root)
    load_archive(root)
    path = cache.cache_path(root)
    if kind == "format 10":
        path.write_bytes(previous_format(root, cache.load(root)))
    elif kind == "a later format":
        path.write_bytes(b"RDRLOAD\x01" + path.read_bytes()[8:])
    else:
        with monkeypatch.context() as patch:
            patch.setattr(cache, "FORMAT_VERSION", cache.FORMAT_VERSION + 1)
            load_archive(root)
    loaded = load_archive(root)
    assert (loaded.files_read, summary(loaded)) == (files, fresh)
    assert load_archive(root).files_read == 0


def test_an_empty_folder_in_the_cache_s_place_is_replaced(root):
    fresh = summary(load_archive(root, use_cache=False))
    path = cache.cache_path(root)
    path.mkdir(parents=True)
    assert summary(load_archive(root)) == fresh
    assert path.is_file()
    assert load_archive(root).files_read == 0


def test_a_folder_with_files_in_the_cache_s_place_is_kept_and_said_once(root, caplog):
    fresh = summary(load_archive(root, use_cache=False))
    path = cache.cache_path(root)
    path.mkdir(parents=True)
    (path / "something").write_text("not ours to delete")
    with caplog.at_level(logging.WARNING, logger="reader"):
        assert summary(load_archive(root)) == fresh
        assert summary(load_archive(root)) == fresh
    assert (path / "something").read_text() == "not ours to delete"
    [warning] = [record.getMessage() for record in caplog.records]
    assert "load cache cannot be written" in warning and str(path) in warning


def cli_posts(result):
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def reference_listing(root: Path, tmp_path: Path) -> list[dict[str, object]]:
    return cli_posts(run_reader("list", str(root), "--json", env=cache_env(tmp_path / "reference-cache")))


@pytest.mark.slow
def test_a_named_pipe_in_the_cache_s_place_is_never_opened(root, tmp_path):
    expected = reference_listing(root, tmp_path)
    env = cache_env(tmp_path / "cache")
    (tmp_path / "cache" / "reader" / "archives").mkdir(parents=True)
    os.mkfifo(tmp_path / "cache" / "reader" / "archives" / cache.cache_path(root).name)
    # Reading a named pipe would wait for a writer forever: the load must not.
    assert cli_posts(run_reader("list", str(root), "--json", env=env, timeout=60)) == expected
    made = tmp_path / "cache" / "reader" / "archives" / cache.cache_path(root).name
    assert stat.S_ISREG(made.stat().st_mode), "the pipe was replaced by a cache"
    assert cli_posts(run_reader("list", str(root), "--json", env=env, timeout=60)) == expected


@pytest.mark.slow
def test_named_pipes_in_the_index_s_places_are_never_opened(root, tmp_path):
    reference = run_reader("search", str(root), "央行", "--json", env=cache_env(tmp_path / "reference"))
    env = cache_env(tmp_path / "cache")
    folder = tmp_path / "cache" / "reader" / "search"
    folder.mkdir(parents=True)
    first = index_path(root).name
    second = first.replace(".s0.", ".s1.")
    for name in (first, f"{first}.lock", f"{second}.seal", f"{second}-wal"):
        os.mkfifo(folder / name)
    found = run_reader("search", str(root), "央行", "--json", env=env, timeout=60)
    assert "Traceback" not in found.stderr
    assert (found.returncode, found.stdout) == (0, reference.stdout)
    for name in (first, f"{second}.seal"):
        assert stat.S_ISREG((folder / name).stat().st_mode), name


# --- the search index --------------------------------------------------------------------

QUERIES = ["央行", "碳中和", "ESG", "bond", "-央行 港股", "title:post", "央", "A股 -rally", "tag:t1 恒生"]


def answers(archive, query_hits):
    return [(archive.posts[hit.post_index].path, hit.in_title) for hit in query_hits]


def index_answers(archive) -> dict[str, list[tuple[str, bool]]]:
    """Each query's answers (ordered) from the archive's index, opened and updated as the
    command line and the window do."""
    index = SearchIndex(archive.root)
    try:
        index.update(archive)
        return {query: answers(archive, index.search(query, archive)) for query in QUERIES}
    finally:
        index.close()


def index_files(archive) -> list[Path]:
    shards = _shard_paths(index_path(archive.root))
    return [*shards, *(shard.with_name(shard.name + ".seal") for shard in shards)]


def test_damaged_index_bytes_never_give_wrong_results_and_the_index_is_made_again(root):
    archive = load_archive(root)
    expected = index_answers(archive)
    assert all(expected[query] for query in QUERIES), "every query finds something"
    for query, found in expected.items():
        assert {path for path, _ in found} == {
            path for path, _ in answers(archive, scan_search(query, archive))
        }, query
    files = index_files(archive)
    pristine = {path: path.read_bytes() for path in files if path.exists()}
    assert len(pristine) == 4, "two shards, each sealed"
    rng = random.Random(99)
    for trial in range(TRIALS):
        for path, data in pristine.items():
            path.write_bytes(data)
        for suffix in ("-wal", "-shm"):
            for path in files[:2]:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        target = rng.choice(list(pristine)[:2]) if rng.random() < 0.9 else rng.choice(list(pristine)[2:])
        where = flip_bytes(target, rng)
        assert index_answers(archive) == expected, f"trial {trial}: {target.name} bytes {where}"
        again = SearchIndex(archive.root)
        again.close()
        assert not again.rebuilt, f"trial {trial}: not made again"


def test_a_truncated_index_is_made_again(root):
    archive = load_archive(root)
    expected = index_answers(archive)
    shard = _shard_paths(index_path(archive.root))[0]
    pristine = shard.read_bytes()
    for length in sorted({0, 1, 100, 4096, len(pristine) // 2, len(pristine) - 4096, len(pristine) - 1}):
        shard.write_bytes(pristine[:length])
        assert index_answers(archive) == expected, length


def test_an_index_write_cut_short_is_not_trusted(root, monkeypatch):
    """A crash or a full disk while writing leaves the shards unsealed: they are built
    anew, never searched half-written."""
    archive = load_archive(root)
    expected = index_answers(archive)
    import reader.core.search as search_module

    real = search_module._update_shard
    calls = []

    def dies_after_a_batch(*arguments, **options):
        if calls:
            raise OSError(28, "No space left on device")
        calls.append(1)
        return real(*arguments, **options)

    for path in index_files(archive)[:2]:
        path.unlink()
        Path(f"{path}.seal").unlink(missing_ok=True)
    monkeypatch.setattr(search_module, "_update_shard", dies_after_a_batch)
    index = SearchIndex(archive.root)
    with pytest.raises(OSError):
        index.update(archive, workers=1)
    index.close()
    monkeypatch.setattr(search_module, "_update_shard", real)
    hits, trouble = search_archive("央行", archive)
    assert trouble is None
    assert answers(archive, hits) == expected["央行"]
    assert index_answers(archive) == expected


# --- faults of the disk and of permissions, through the command line ----------------------


def outputs(root: Path, env: dict[str, str]) -> tuple[list[object], set[str], set[str], list[str]]:
    """(listing, search hits for two queries, a search without a match: its stdout) and
    the stderr lines of the four runs, which must all be warnings."""
    listed = run_reader("list", str(root), "--json", env=env)
    found = run_reader("search", str(root), "央行", env=env)
    excluded = run_reader("search", str(root), "--json", "--", "-央行", env=env)
    nothing = run_reader("search", str(root), "不存在的词", env=env)
    runs = (listed, found, excluded, nothing)
    assert [run.returncode for run in runs] == [0, 0, 0, 1], [run.stderr for run in runs]
    assert nothing.stdout == ""
    assert nothing.stderr.splitlines()[-1].startswith(NO_MATCH), nothing.stderr
    errors = [line for run in runs for line in without_no_match(run.stderr)]
    assert all(line.startswith("reader: warning: ") for line in errors), errors
    return (
        json.loads(listed.stdout),
        set(found.stdout.splitlines()),
        {row["path"] for row in json.loads(excluded.stdout)},
        errors,
    )


@pytest.mark.slow
@pytest.mark.parametrize("free", [0, 8 * 1024, 40 * 1024, 96 * 1024])
def test_a_full_cache_disk_is_a_warning_and_the_answers_are_exact(root, tmp_path, free):
    reference = outputs(root, cache_env(tmp_path / "reference"))
    assert reference[3] == []
    with full_disk(free) as disk:
        env = cache_env(disk)
        faulty = outputs(root, env)
        assert faulty[:3] == reference[:3]
        if free == 0:
            assert any("load cache cannot be written" in line for line in faulty[3])
            assert any("search index cannot be used" in line for line in faulty[3])
        (disk / "filler").unlink()  # room again: the caches are made, and answer exactly
        assert outputs(root, env)[:3] == reference[:3]
        again = outputs(root, env)
        assert again == reference
        found = run_reader("search", str(root), "央行", "--json", env=env)
        assert found.stdout == run_reader(
            "search", str(root), "央行", "--json", env=cache_env(tmp_path / "reference")
        ).stdout, "the same order and scores as an index made on a sound disk"


@pytest.fixture
def space() -> Iterator[Path]:
    with nobody_space() as folder:
        yield folder


@pytest.mark.slow
def test_caches_the_user_may_not_read_or_write(space):
    """As an unprivileged user: a cache file it may not read is made anew; a cache
    folder it may not write is a warning, never an error; read-only caches that need no
    writing are used quietly."""
    root = space / "archive"
    for relative, content in archive_files().items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    def as_nobody(*arguments: str, cache_home: Path):
        result = run_as_nobody(space, *arguments, cache_home=cache_home)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    writable = space / "writable"
    writable.mkdir()
    give_to_nobody(writable)
    listed = as_nobody("list", str(root), "--json", cache_home=writable)
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    expected = json.loads(listed.stdout)
    found = as_nobody("search", str(root), "央行", "--json", cache_home=writable)
    assert found.returncode == 0 and found.stderr == "", found.stderr
    expected_paths = {row["path"] for row in json.loads(found.stdout)}

    # A cache file it may not read, in a folder it may write: replaced.
    [cached] = (writable / "reader" / "archives").iterdir()
    os.chown(cached, 0, 0)
    cached.chmod(0)
    result = as_nobody("list", str(root), "--json", cache_home=writable)
    assert (result.returncode, json.loads(result.stdout), result.stderr) == (0, expected, "")
    assert cached.stat().st_uid == NOBODY and cached.stat().st_mode & stat.S_IRUSR

    # A cache folder it may not write, with no cache: warnings, exact answers, same codes.
    locked = space / "locked"
    locked.mkdir(mode=0o755)
    for command, code in ((("list", str(root), "--json"), 0), (("search", str(root), "不存在的词"), 1)):
        result = as_nobody(*command, cache_home=locked)
        assert result.returncode == code, result.stderr
        assert all(line.startswith("reader: warning: ") for line in without_no_match(result.stderr))
        assert "Permission denied" in result.stderr
    result = as_nobody("list", str(root), "--json", cache_home=locked)
    assert json.loads(result.stdout) == expected
    assert result.stderr.count("\n") == 1, "one warning"
    result = as_nobody("search", str(root), "央行", "--json", cache_home=locked)
    assert result.returncode == 0 and {row["path"] for row in json.loads(result.stdout)} == expected_paths

    # Read-only caches (folder and files) that need no writing: used, nothing said.
    readonly = space / "readonly"
    shutil.copytree(writable, readonly)
    for path in [readonly, *readonly.rglob("*")]:
        os.chown(path, 0, 0)
        path.chmod(0o555 if path.is_dir() else 0o444)
    result = as_nobody("list", str(root), "--json", cache_home=readonly)
    assert (result.returncode, json.loads(result.stdout), result.stderr) == (0, expected, "")

    # ...and a damaged one there: detected, the archive read from its files, a warning.
    flip_bytes(next((readonly / "reader" / "archives").iterdir()), random.Random(3))
    result = as_nobody("list", str(root), "--json", cache_home=readonly)
    assert (result.returncode, json.loads(result.stdout)) == (0, expected)
    assert result.stderr.startswith("reader: warning: the load cache cannot be written")
