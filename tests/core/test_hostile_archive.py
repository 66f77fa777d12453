"""A hostile archive (see :mod:`tests.core.hostile`) loads: through ``Archive``, through
the command line in a process with bounded time and memory, and as an unprivileged user.
Every good post is there; each bad entry is told of, clearly, and never stops the load."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from reader.core import native as native_module
from reader.core.archive import Archive, load_archive
from tests.conftest import REPO, without_progress
from tests.core.hostile import Bad, Hostile, build, build_locked, folder_for_deep_trees
from tests.faults import NOBODY

pytestmark = pytest.mark.slow

T = TypeVar("T")
#: Generous bounds for a load of the hostile archive (it takes a few seconds): a load
#: that expands an alias bomb or walks into a fifo never ends, or runs out of memory.
TIME_LIMIT = 180
MEMORY_LIMIT = 3 * 1024**3


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    with folder_for_deep_trees("reader-hostile-") as base:
        yield build(base / "archive", base / "outside")


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, failing the test if it has not finished after ``seconds``."""
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as error:
            failed.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if failed:
        raise failed[0]
    assert done, f"still running after {seconds} s"
    return done[0]


def told(bad: Bad, problems: dict[str, list[str]]) -> list[str]:
    """The problems told of ``bad``'s path."""
    if bad.path_is_prefix:
        return [
            message
            for path, messages in problems.items()
            if path.startswith(bad.path)
            for message in messages
        ]
    return problems.get(bad.path, [])


def said(expected: str, message: str) -> bool:
    """Does ``message`` say ``expected``: its parts (split by ``…``) in order?"""
    at = 0
    for part in expected.split("…"):
        at = message.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def mismatches(
    hostile: Hostile, posts: dict[str, dict[str, Any]], problems: dict[str, list[str]]
) -> list[str]:
    """What the load got wrong: ``posts`` by path (title, problems), ``problems`` by path
    (the archive's, and each post's)."""
    wrong: list[str] = []
    for good in hostile.good + hostile.fine:
        post = posts.get(good.path)
        if post is None:
            wrong.append(f"{good.path!r}: missing; told {problems.get(good.path)}")
        elif post["title"] != good.title:
            wrong.append(f"{good.path!r}: title {post['title'][:80]!r}, not {good.title[:80]!r}")
        elif problems.get(good.path):
            wrong.append(f"{good.path!r}: problems {problems[good.path]}")
    for bad in hostile.bad:
        if bad.path in posts and not bad.post:
            wrong.append(f"{bad.path!r}: listed as a post")
        if bad.post and bad.path not in posts:
            wrong.append(f"{bad.path!r}: not listed; told {told(bad, problems)}")
        elif bad.post and bad.title is not None and posts[bad.path]["title"] != bad.title:
            wrong.append(f"{bad.path!r}: title {posts[bad.path]['title'][:80]!r}, not {bad.title!r}")
        if not any(said(bad.problem, message) for message in told(bad, problems)):
            wrong.append(f"{bad.path!r}: told {told(bad, problems)}, not {bad.problem!r}")
    for path in hostile.not_posts:
        if path in posts or path in problems:
            wrong.append(f"{path!r}: a post or a problem, not left alone")
    return wrong


def by_path(archive: Archive) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    posts = {post.path: {"title": post.title} for post in archive.posts}
    problems: dict[str, list[str]] = {}
    for problem in archive.all_problems():
        problems.setdefault(problem.path, []).append(problem.message)
    return posts, problems


@pytest.mark.parametrize("helper", ["compiled", "python"])
def test_the_hostile_archive_loads_through_archive(hostile, monkeypatch, helper):
    if helper == "python":
        monkeypatch.setattr(native_module, "fastio", None)
    for use_cache in (True, True, False):  # a first load, one from the cache, one without it
        archive = within(
            TIME_LIMIT, lambda use_cache=use_cache: load_archive(hostile.root, use_cache=use_cache)
        )
        posts, problems = by_path(archive)
        assert mismatches(hostile, posts, problems) == []


def limited() -> None:
    """In the child, before it runs: bounded memory and processor time."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT))


def run_reader(
    *arguments: str, cache: Path, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(REPO)}
    command = prefix or [sys.executable, "-m", "reader"]
    return subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=TIME_LIMIT,
        preexec_fn=limited,
        check=False,
    )


def read_command_line(
    hostile: Hostile, cache: Path, prefix: list[str] | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """The posts and problems ``reader list --json`` and ``reader check`` give."""
    listed = run_reader("list", str(hostile.root), "--json", cache=cache, prefix=prefix)
    assert listed.returncode == 0, listed.stderr
    assert without_progress(listed.stderr) == ""
    posts = {post["path"]: post for post in json.loads(listed.stdout)}
    checked = run_reader("check", str(hostile.root), cache=cache, prefix=prefix)
    assert checked.returncode == 1, checked.stderr  # 1: problems, told
    assert without_progress(checked.stderr) == ""
    assert f"Posts: {len(posts)} " in checked.stdout
    # One problem a line, "path: message"; a path may hold a line break itself.
    text = "\n" + checked.stdout.split("\nProblems: ", 1)[1].split("\n", 1)[1]
    problems: dict[str, list[str]] = {}
    for path in {bad.path for bad in hostile.bad} | set(posts):
        for told_after in text.split(f"\n{path}: ")[1:]:
            problems.setdefault(path, []).append(told_after.split("\n", 1)[0])
    for line in text.splitlines():  # paths known by their start only (past PATH_MAX)
        if line.startswith("deeper/"):
            path, _, message = line.partition(": ")
            problems.setdefault(path, []).append(message)
    return posts, problems


def test_the_hostile_archive_loads_through_the_command_line(hostile, tmp_path):
    for _ in range(2):  # a first load, then one from the cache
        posts, problems = read_command_line(hostile, tmp_path / "cache")
        assert mismatches(hostile, posts, problems) == []


#: The child for an unprivileged user. The interpreter's own files may be out of that
#: user's reach (CI runs as root, with Python under /root), so the child first runs the
#: command as the user running the tests, which imports all it needs, output set aside,
#: with a cache of its own; then it drops to ``nobody`` and runs it again.
AS_NOBODY = f"""
import contextlib, io, os, sys
import reader.cli
arguments = sys.argv[1:]
cache = os.environ["XDG_CACHE_HOME"]
os.environ["XDG_CACHE_HOME"] = os.environ["READER_WARM_UP_CACHE"]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    reader.cli.main(arguments)
os.environ["XDG_CACHE_HOME"] = cache
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid({NOBODY})
    os.setuid({NOBODY})
assert os.geteuid() != 0
sys.exit(reader.cli.main(arguments))
"""


def test_unreadable_files_and_folders_are_problems_for_an_unprivileged_user(monkeypatch):
    """CI runs as root, who reads everything: the child drops to ``nobody`` to be refused."""
    with folder_for_deep_trees("reader-locked-") as base:
        monkeypatch.setenv("READER_WARM_UP_CACHE", str(base / "warm-up"))
        locked = build_locked(base / "archive")
        cache = base / "cache"
        cache.mkdir()
        if os.geteuid() == 0:
            os.chown(cache, NOBODY, NOBODY)
        posts, problems = read_command_line(locked, cache, [sys.executable, "-c", AS_NOBODY])
        assert mismatches(locked, posts, problems) == []
