"""Git libraries against the ``git`` command on a generated archive: clone, shallow clone, fetch.

Reader updates and clones archives itself (``reader.core.git``), so that it works where no
``git`` is installed. This script measures the candidates on the archive shape Reader is
built for (``tests.benchmarks.generate``), each step as a whole process:

    python -m tests.benchmarks.git_transfer prepare ROOT [--count 100000] [--new 500]
    python -m tests.benchmarks.git_transfer serve ROOT --port 9418     # git:// on 127.0.0.1
    python -m tests.benchmarks.git_transfer clone TOOL URL DEST [--depth N]
    python -m tests.benchmarks.git_transfer fetch TOOL ROOT URL

TOOL is ``git`` (the command), ``pygit2``, ``dulwich`` or ``reader`` (``reader.core.git``,
which is pygit2 with its own progress and checks). ``prepare`` makes ROOT/remote.git (a
bare repository of COUNT posts, then NEW posts added and as many moved from ``_posts/`` to
``old_post/`` in a second commit) and ROOT/behind.git (the same before that commit).
``fetch`` copies behind.git (hard links) and fetches the second commit into the copy.
Time each with any whole-process timer, e.g. ``/usr/bin/time -v``, several runs.

Figures on a shared 2-core machine (load average 4-5 from other work, so wall times
swing; the user-time ratios, taken pair by pair in turn, are the steadier figure),
100,000 posts, 100,500 after the second commit; medians of the runs, whole processes:

=====================================================  =============  =============  ============
step                                                    git            pygit2         dulwich
=====================================================  =============  =============  ============
shallow clone (depth 1), git://127.0.0.1, one quiet     12.5 s wall    17.6 s wall    55.7 s wall
run each (/usr/bin/time)                                317 MB peak    360 MB peak    468 MB peak
shallow clone (depth 1), git://127.0.0.1, 3 pairs       7.3 s user     10.0 s user
(reader.core.git against git)                                          1.36x user
fetch of 500 new posts and 500 moved, git://, 5 pairs   0.34 s wall    0.30 s wall    1.88 s wall
                                                        0.18 s user    1.33x user     2.14x user
                                                        28 MB peak     48 MB peak     107 MB peak
full clone, file:// (libgit2 fetching: packs again)     8.6 s user     71 s user
full clone, file:// (libgit2's local clone, as now),    8.7 s user     5.3 s user
2 pairs                                                                0.61x user
=====================================================  =============  =============  ============

pygit2 takes 1.3-1.4x git's processor time over the network, and a fetch as long; dulwich
(pure Python checkout and pack handling) 4.5x on a clone and 2x on a fetch, with twice
the memory. Hence pygit2, for 16 MB more in the standalone build against dulwich's 5.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from tests.benchmarks.generate import SOURCES, generate, post_text

GIT_IDENTITY = ["-c", "user.name=Benchmark", "-c", "user.email=benchmark@example.invalid"]


def _git(*arguments: str, cwd: Path | None = None) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *arguments], cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def prepare(root: Path, count: int, new: int) -> None:
    work = root / "work"
    if not (work / ".git").exists():
        generate(work, count)
        _git("init", "-q", "-b", "main", cwd=work)
        _git("add", "-A", cwd=work)
        _git("commit", "-qm", f"{count} posts", cwd=work)
    remote = root / "remote.git"
    shutil.rmtree(remote, ignore_errors=True)
    _git("clone", "-q", "--bare", "--no-local", str(work), str(remote))
    behind = root / "behind.git"
    shutil.rmtree(behind, ignore_errors=True)
    _git("clone", "-q", "--bare", "--no-local", str(remote), str(behind))
    # The day's update: NEW posts in _posts/, as many of the oldest there moved to old_post/.
    rng = random.Random(2)
    start = datetime(2026, 11, 2, 8, 0, 0)
    for number in range(new):
        name, text = post_text(rng, count + number, start + timedelta(minutes=number), rng.choice(SOURCES))
        (work / "_posts" / name).write_text(text, encoding="utf-8")
    for name in sorted(os.listdir(work / "_posts"))[:new]:
        os.replace(work / "_posts" / name, work / "old_post" / name)
    _git("add", "-A", cwd=work)
    _git("commit", "-qm", f"{new} new posts, {new} moved", cwd=work)
    _git("push", "-q", str(remote), "main", cwd=work)
    _git("repack", "-adq", cwd=remote)


def serve(root: Path, port: int) -> None:
    os.execvp(
        "git",
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--listen=127.0.0.1",
            f"--port={port}",
            f"--base-path={root}",
            str(root),
        ],
    )


def clone(tool: str, url: str, dest: Path, depth: int) -> None:
    shutil.rmtree(dest, ignore_errors=True)
    if tool == "git":
        shallow = ["--depth", str(depth)] if depth else []
        subprocess.run(["git", "clone", "-q", *shallow, url, str(dest)], check=True)
    elif tool == "pygit2":
        import pygit2

        pygit2.clone_repository(url, str(dest), depth=depth)
    elif tool == "dulwich":
        from dulwich import porcelain

        with porcelain.clone(url, str(dest), depth=depth or None, errstream=open(os.devnull, "wb")) as repo:
            repo.close()
    elif tool == "reader":
        from reader.core import git

        git.clone(url, dest, depth=depth or None)
    else:
        raise SystemExit(f"unknown tool {tool}")


def fetch(tool: str, root: Path, url: str) -> None:
    copy = root / "fetching.git"
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-al", str(root / "behind.git"), str(copy)], check=True)
    if tool == "git":
        subprocess.run(
            ["git", "-C", str(copy), "fetch", "-q", url, "+refs/heads/*:refs/remotes/origin/*"], check=True
        )
    elif tool in ("pygit2", "reader"):
        import pygit2

        repo = pygit2.Repository(str(copy))
        remote = repo.remotes.create_anonymous(url)
        remote.fetch(["+refs/heads/*:refs/remotes/origin/*"])
    elif tool == "dulwich":
        from dulwich import porcelain

        with open(os.devnull, "wb") as quiet:
            porcelain.fetch(str(copy), url, errstream=quiet)
    else:
        raise SystemExit(f"unknown tool {tool}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("prepare")
    step.add_argument("root", type=Path)
    step.add_argument("--count", type=int, default=100_000)
    step.add_argument("--new", type=int, default=500)
    step = steps.add_parser("serve")
    step.add_argument("root", type=Path)
    step.add_argument("--port", type=int, default=9418)
    step = steps.add_parser("clone")
    step.add_argument("tool")
    step.add_argument("url")
    step.add_argument("dest", type=Path)
    step.add_argument("--depth", type=int, default=0)
    step = steps.add_parser("fetch")
    step.add_argument("tool")
    step.add_argument("root", type=Path)
    step.add_argument("url")
    options = parser.parse_args()
    if options.step == "prepare":
        prepare(options.root, options.count, options.new)
    elif options.step == "serve":
        serve(options.root, options.port)
    elif options.step == "clone":
        clone(options.tool, options.url, options.dest, options.depth)
    else:
        fetch(options.tool, options.root, options.url)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
