"""``reader update`` and ``reader clone``: what they print and their exit codes."""

from __future__ import annotations

import subprocess
import sys

from reader.core import git as reader_git
from tests.conftest import REPO
from tests.git_remotes import Upstream, git


def reader(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_clone_then_update_print_their_summary(tmp_path):
    upstream = Upstream(tmp_path)
    upstream.publish({"_posts/2022-06-01-a.md": "A", "_posts/2022-06-02-b.md": "B"})
    folder = tmp_path / "archive"
    cloned = reader("clone", upstream.url, str(folder))
    assert cloned.returncode == 0, cloned.stderr
    assert cloned.stderr == "", "no progress when stderr is no terminal (as git)"
    assert (folder / "_posts/2022-06-02-b.md").is_file()
    assert reader("update", str(folder)).stdout == "Already up to date.\n"
    upstream.publish({"_posts/2022-06-03-c.md": "C"}, move=["_posts/2022-06-01-a.md"])
    updated = reader("update", "--progress", str(folder))
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout == "1 new post, 1 moved\n"
    assert "Receiving objects:" in updated.stderr


def test_refusals_exit_1_and_what_cannot_be_done_exits_2(tmp_path):
    upstream = Upstream(tmp_path)
    upstream.publish({"_posts/2022-06-01-a.md": "A"})
    folder = reader_git.clone(upstream.url, tmp_path / "archive")
    upstream.publish({"_posts/2022-06-02-b.md": "B"})
    (folder / "_posts/2022-06-01-a.md").write_text("mine", encoding="utf-8")
    refused = reader("update", str(folder))
    assert refused.returncode == 1
    assert "changed here" in refused.stderr and refused.stdout == ""
    git("checkout", "--", ".", cwd=folder)
    (tmp_path / "plain").mkdir()
    not_git = reader("update", str(tmp_path / "plain"))
    assert not_git.returncode == 2
    assert "not a git work tree" in not_git.stderr
    in_use = reader("clone", upstream.url, str(folder))
    assert in_use.returncode == 2
    assert "not empty" in in_use.stderr
