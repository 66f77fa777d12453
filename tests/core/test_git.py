"""Updating an archive from its git remote and getting one, with remotes on this machine only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.core import git as reader_git
from reader.core.git import GitProblem, Trouble
from tests.conftest import REPO
from tests.git_remotes import Upstream, free_port, git, git_daemon, http_asking_to_sign_in, slow_proxy

DAY = "_posts/2022-06-0{}-p{}.md"


@pytest.fixture
def upstream(tmp_path: Path) -> Upstream:
    remote = Upstream(tmp_path)
    remote.publish({DAY.format(i, i): f"P{i}" for i in range(1, 5)}, message="first posts")
    return remote


@pytest.fixture
def archive(upstream: Upstream, tmp_path: Path) -> Path:
    return reader_git.clone(upstream.url, tmp_path / "archive")


def head(folder: Path) -> str:
    return git("rev-parse", "HEAD", cwd=folder)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


def refused(kind: Trouble, folder: Path) -> GitProblem:
    """Update ``folder``, which must be refused as ``kind`` with its branch and files as they were."""
    before_head, before_files = head(folder), files(folder)
    with pytest.raises(GitProblem) as caught:
        reader_git.update(folder)
    assert caught.value.kind is kind, caught.value
    assert head(folder) == before_head
    assert files(folder) == before_files
    return caught.value


# --- update ------------------------------------------------------------------------------


def test_an_update_brings_new_posts_and_the_daily_move(upstream, archive):
    seen: list[reader_git.Progress] = []
    new_head = upstream.publish(
        {"_posts/2022-06-09-new.md": "New", "_posts/2022-06-10-newer.md": "Newer"},
        move=[DAY.format(1, 1), DAY.format(2, 2)],
    )
    summary = reader_git.update(archive, progress=seen.append)
    assert (summary.new, summary.moved, summary.changed, summary.removed) == (2, 2, 0, 0)
    assert summary.describe() == "2 new posts, 2 moved"
    assert head(archive) == new_head
    assert (archive / "_posts/2022-06-10-newer.md").is_file()
    assert (archive / "old_post/2022-06-01-p1.md").is_file()
    assert not (archive / DAY.format(1, 1)).exists()
    assert git("status", "--porcelain", cwd=archive) == ""
    assert {progress.stage for progress in seen} >= {"receiving", "checkout"}
    receiving = [progress for progress in seen if progress.stage == "receiving"]
    assert receiving[-1].done == receiving[-1].total > 0 and receiving[-1].bytes > 0


def test_an_update_with_nothing_new_says_so(archive):
    summary = reader_git.update(archive)
    assert summary.up_to_date
    assert summary.describe() == "Already up to date."


def test_changed_files_are_refused_and_kept(upstream, archive):
    upstream.publish({"_posts/2022-06-09-new.md": "New"})
    (archive / DAY.format(1, 1)).write_text("my own notes", encoding="utf-8")
    problem = refused(Trouble.DIRTY, archive)
    assert "2022-06-01-p1.md" in str(problem)


def test_staged_files_are_refused(upstream, archive):
    upstream.publish({"_posts/2022-06-09-new.md": "New"})
    (archive / "notes.md").write_text("mine", encoding="utf-8")
    git("add", "notes.md", cwd=archive)
    refused(Trouble.DIRTY, archive)


def test_an_untracked_file_the_update_would_overwrite_is_kept(upstream, archive):
    upstream.publish({"_posts/2022-06-09-new.md": "New"})
    mine = archive / "_posts/2022-06-09-new.md"
    mine.write_text("my own post", encoding="utf-8")
    refused(Trouble.DIRTY, archive)
    assert mine.read_text(encoding="utf-8") == "my own post"


def test_local_commits_are_refused(archive):
    (archive / "notes.md").write_text("mine", encoding="utf-8")
    git("add", "notes.md", cwd=archive)
    git("commit", "-qm", "mine", cwd=archive)
    problem = refused(Trouble.AHEAD, archive)
    assert "1 commits of its own" in str(problem)


def test_a_diverged_history_is_refused(upstream, archive):
    upstream.publish({"_posts/2022-06-09-new.md": "New"})
    (archive / "notes.md").write_text("mine", encoding="utf-8")
    git("add", "notes.md", cwd=archive)
    git("commit", "-qm", "mine", cwd=archive)
    refused(Trouble.DIVERGED, archive)


def test_a_history_rewritten_upstream_is_refused(upstream, archive):
    git("commit", "-q", "--amend", "-m", "rewritten", cwd=upstream.work)
    git("push", "-qf", "origin", "main", cwd=upstream.work)
    refused(Trouble.DIVERGED, archive)


def test_a_folder_that_is_no_work_tree_is_refused(tmp_path):
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitProblem) as caught:
        reader_git.update(tmp_path / "plain")
    assert caught.value.kind is Trouble.NOT_A_WORK_TREE
    assert not reader_git.is_updatable(tmp_path / "plain")


def test_a_bare_repository_is_refused(upstream):
    with pytest.raises(GitProblem) as caught:
        reader_git.update(upstream.bare)
    assert caught.value.kind is Trouble.NOT_A_WORK_TREE


def test_a_work_tree_without_remote_is_refused(tmp_path):
    folder = tmp_path / "local"
    folder.mkdir()
    git("init", "-q", "-b", "main", cwd=folder)
    (folder / "a.md").write_text("a", encoding="utf-8")
    git("add", "a.md", cwd=folder)
    git("commit", "-qm", "a", cwd=folder)
    assert not reader_git.is_updatable(folder)
    problem = refused(Trouble.NO_REMOTE, folder)
    assert "no remote" in str(problem)


def test_a_detached_head_is_refused(upstream, archive):
    upstream.publish({"_posts/2022-06-09-new.md": "New"})
    git("checkout", "-q", "--detach", cwd=archive)
    refused(Trouble.DETACHED, archive)


def test_an_unreachable_remote_changes_nothing(archive):
    git("remote", "set-url", "origin", f"http://127.0.0.1:{free_port()}/archive.git", cwd=archive)
    problem = refused(Trouble.UNREACHABLE, archive)
    assert "cannot be reached" in str(problem)


def test_a_remote_gone_is_a_wrong_address(upstream, archive, tmp_path):
    upstream.bare.rename(tmp_path / "moved.git")
    refused(Trouble.WRONG_URL, archive)


def test_no_network_is_said(archive):
    # ".invalid" never resolves (RFC 2606): what a machine without network says of any host.
    git("remote", "set-url", "origin", "https://archive.invalid/news.git", cwd=archive)
    problem = refused(Trouble.NO_NETWORK, archive)
    assert "no network" in str(problem)


def test_a_remote_asking_to_sign_in_is_said(archive):
    with http_asking_to_sign_in() as url:
        git("remote", "set-url", "origin", url, cwd=archive)
        problem = refused(Trouble.AUTHENTICATION, archive)
    assert "sign in" in str(problem)


def test_a_cancelled_update_changes_nothing(upstream, archive):
    upstream.publish({"_posts/2022-06-09-new.md": "New"})

    def stop(progress: reader_git.Progress) -> None:
        raise reader_git.Cancelled

    before_head, before_files = head(archive), files(archive)
    with pytest.raises(GitProblem) as caught:
        reader_git.update(archive, progress=stop)
    assert caught.value.kind is Trouble.CANCELLED
    assert (head(archive), files(archive)) == (before_head, before_files)


# --- clone -------------------------------------------------------------------------------


def test_a_clone_by_path_and_by_file_url(upstream, tmp_path):
    for url, name in ((str(upstream.bare), "by-path"), (upstream.url, "by-url")):
        folder = reader_git.clone(url, tmp_path / name)
        assert (folder / DAY.format(4, 4)).is_file()
        assert reader_git.is_updatable(folder)
        assert reader_git.update(folder).up_to_date
    assert not list(tmp_path.glob(reader_git.PARTIAL_PREFIX + "*"))


def test_a_clone_over_git_protocol_is_shallow_and_updates(upstream, tmp_path):
    upstream.publish({"_posts/2022-06-08-p8.md": "P8"}, message="second")
    with git_daemon(tmp_path) as base:
        folder = reader_git.clone(f"{base}/remote.git", tmp_path / "shallow")
        assert (folder / ".git/shallow").is_file()
        assert git("rev-list", "--count", "HEAD", cwd=folder) == "1"
        upstream.publish({"_posts/2022-06-09-new.md": "New"}, move=[DAY.format(3, 3)])
        summary = reader_git.update(folder)
    assert (summary.new, summary.moved) == (1, 1)
    assert (folder / "_posts/2022-06-09-new.md").is_file()
    assert git("rev-list", "--count", "HEAD", cwd=folder) == "2"
    deep = None
    with git_daemon(tmp_path) as base:
        deep = reader_git.clone(f"{base}/remote.git", tmp_path / "deep", depth=None)
    assert git("rev-list", "--count", "HEAD", cwd=deep) == "3"


def test_a_clone_into_a_folder_in_use_is_refused(upstream, tmp_path):
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GitProblem) as caught:
        reader_git.clone(upstream.url, folder)
    assert caught.value.kind is Trouble.FOLDER_IN_USE
    assert [path.name for path in folder.iterdir()] == ["mine.txt"]


def test_a_clone_into_an_empty_folder(upstream, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    reader_git.clone(upstream.url, folder)
    assert (folder / DAY.format(1, 1)).is_file()


@pytest.mark.parametrize(
    ("make_url", "kind"),
    [
        (lambda tmp: str(tmp / "nothing.git"), Trouble.WRONG_URL),
        (lambda tmp: (tmp / "nothing.git").as_uri(), Trouble.WRONG_URL),
        (lambda tmp: f"http://127.0.0.1:{free_port()}/archive.git", Trouble.UNREACHABLE),
        (lambda tmp: f"git://127.0.0.1:{free_port()}/archive.git", Trouble.UNREACHABLE),
        (lambda tmp: "https://archive.invalid/news.git", Trouble.NO_NETWORK),
    ],
)
def test_a_clone_that_fails_leaves_nothing(tmp_path, make_url, kind):
    (tmp_path / "not-a-repository.git").mkdir()
    with pytest.raises(GitProblem) as caught:
        reader_git.clone(make_url(tmp_path), tmp_path / "archive")
    assert caught.value.kind is kind, caught.value
    assert sorted(path.name for path in tmp_path.iterdir()) == ["not-a-repository.git"]


def test_a_clone_from_a_folder_that_is_no_repository(tmp_path):
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitProblem) as caught:
        reader_git.clone(str(tmp_path / "plain"), tmp_path / "archive")
    assert caught.value.kind is Trouble.WRONG_URL
    assert not (tmp_path / "archive").exists()


def test_a_clone_asked_to_sign_in_leaves_nothing(tmp_path):
    with http_asking_to_sign_in() as url, pytest.raises(GitProblem) as caught:
        reader_git.clone(url, tmp_path / "archive")
    assert caught.value.kind is Trouble.AUTHENTICATION
    assert list(tmp_path.iterdir()) == []


def test_a_cancelled_clone_leaves_nothing(upstream, tmp_path):
    def stop(progress: reader_git.Progress) -> None:
        raise reader_git.Cancelled

    stopped = threading.Event()
    stopped.set()
    with git_daemon(tmp_path) as base:
        attempts = [
            (f"{base}/remote.git", {"progress": stop}),  # stopped by its progress callback
            (upstream.url, {"cancel": stopped}),  # stopped by the flag, on this machine
        ]
        for url, how in attempts:
            with pytest.raises(GitProblem) as caught:
                reader_git.clone(url, tmp_path / "archive", **how)
            assert caught.value.kind is Trouble.CANCELLED
            assert not (tmp_path / "archive").exists()
            assert not reader_git.partial_folder(tmp_path / "archive").exists()


# --- a clone killed midway ---------------------------------------------------------------


@pytest.fixture
def big_upstream(tmp_path: Path) -> Upstream:
    """About 3 MB that does not compress: a few seconds through the slow proxy."""
    remote = Upstream(tmp_path)
    for number in range(60):
        (remote.work / f"blob{number}.bin").write_bytes(os.urandom(50_000))
    remote.publish({DAY.format(1, 1): "P1"})
    return remote


def start_clone(url: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "clone", "--progress", url, str(folder)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_receiving(folder: Path) -> None:
    """Until the clone's partial folder holds part of a pack."""
    partial = reader_git.partial_folder(folder)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        packs = partial / ".git" / "objects" / "pack"
        if packs.is_dir() and any(path.stat().st_size > 100_000 for path in packs.iterdir()):
            return
        time.sleep(0.02)
    raise AssertionError("the clone never started receiving")


@pytest.mark.slow
@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_clone_killed_midway_leaves_no_half_archive(big_upstream, tmp_path, signal_number):
    folder = tmp_path / "archive"
    with git_daemon(tmp_path) as base, slow_proxy(int(base.rsplit(":", 1)[1]), 500_000) as port:
        url = f"git://127.0.0.1:{port}/remote.git"
        process = start_clone(url, folder)
        try:
            wait_until_receiving(folder)
            process.send_signal(signal_number)
            _, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert process.returncode != 0
        assert not folder.exists(), "no half archive where the archive goes"
        if signal_number != signal.SIGKILL:  # it cleaned up after itself, and said so
            assert not reader_git.partial_folder(folder).exists()
            assert "Stopped" in stderr
        # The next clone to that folder (what was left removed) gets the whole archive.
        done = subprocess.run(
            [sys.executable, "-m", "reader", "clone", f"{base}/remote.git", str(folder)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert (folder / DAY.format(1, 1)).is_file()
    assert len(list(folder.glob("blob*.bin"))) == 60
    assert not reader_git.partial_folder(folder).exists()


# --- the summary -------------------------------------------------------------------------


def test_the_summary_counts_posts_only_and_by_key(upstream, archive):
    upstream.publish(
        {
            "_posts/2022-06-09-new.md": "New",
            "_config.yml": "title: x",
            "assets/style.css": "body {}",
            "en/news/_posts/2022-06-09-new.md": "Same name, other section",
        },
        move=[DAY.format(4, 4)],
    )
    (upstream.work / DAY.format(3, 3)).write_text("changed", encoding="utf-8")
    git("rm", "-q", DAY.format(2, 2), cwd=upstream.work)
    upstream.publish(message="edit and removal")
    summary = reader_git.update(archive)
    assert (summary.new, summary.moved, summary.changed, summary.removed) == (2, 1, 1, 1)
