"""Smoke-test the frozen Reader with no Python environment around it.

    python packaging/smoke.py dist/reader/reader

Runs the program under ``env -i`` (only HOME, PATH=/usr/bin:/bin and
QT_QPA_PLATFORM=offscreen): ``--version``; ``check`` on the bundled sample (which
shows four problems on purpose, so it exits 1 and lists exactly those) and on a clean
archive this script writes (exit 0); ``list --json`` and ``search --json`` on that
archive; ``clone`` and ``update`` of it made a git repository (by git); ``--screenshot``
to a PNG that must be 1280x800 and not blank. The AppStream metainfo must validate.
Anything on stderr fails the test, and so does a bundle over :data:`SIZE_LIMIT_MB`. It
reports the time from start to the first window drawn as a figure only: the goal on it
is held by ``python -m tests.benchmarks.packaging``, since a shared CI machine's timings
say little.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE_PROBLEMS = 4
#: The standalone folder (or file) may not be bigger than this, in MB (10**6 bytes).
SIZE_LIMIT_MB = 150

POST = """---
layout: post
title: "{title}"
date: 2022-06-0{day} 10:00:00 +0800
categories: smoke
tags: 测试
---
<p>{body}</p>
"""


class SmokeFailure(Exception):
    pass


def run(program: Path, home: Path, *args: str, expect: int = 0) -> tuple[str, float]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), str(program), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != expect:
        raise SmokeFailure(f"{' '.join(args)}: exit {result.returncode}, expected {expect}\n{result.stderr}")
    if result.stderr.strip():
        raise SmokeFailure(f"{' '.join(args)}: unexpected output on stderr:\n{result.stderr}")
    return result.stdout, elapsed


def png_checks(path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if (image.width(), image.height()) != (1280, 800):
        raise SmokeFailure(f"screenshot is {image.width()}x{image.height()}, expected 1280x800")
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    if len(colours) < 8:
        raise SmokeFailure(f"screenshot looks blank ({len(colours)} colours)")


def validate_desktop_files() -> None:
    """The AppStream metainfo must validate (appstreamcli, from Debian's appstream)."""
    resources = Path(__file__).resolve().parent.parent / "resources"
    for metainfo in resources.glob("*.metainfo.xml"):
        result = subprocess.run(
            ["appstreamcli", "validate", "--no-net", str(metainfo)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SmokeFailure(f"appstreamcli validate {metainfo.name}:\n{result.stdout}{result.stderr}")


def git_round_trip(program: Path, home: Path, archive: Path, clone: Path) -> None:
    """``reader clone`` of the archive made a git repository, then ``reader update``:
    the bundled libgit2 works with no git installed (the repository is made with git)."""
    identity = ["-c", "user.name=Smoke", "-c", "user.email=smoke@example.invalid"]
    for step in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "posts"]):
        subprocess.run(["git", *step], cwd=archive, check=True, capture_output=True)
    run(program, home, "clone", archive.as_uri(), str(clone))
    if not (clone / "_posts" / "2022-06-01-p1.md").is_file():
        raise SmokeFailure("clone: the posts are missing")
    said, _ = run(program, home, "update", str(clone))
    if said.strip() != "Already up to date.":
        raise SmokeFailure(f"update printed {said!r}")


def folder_size(program: Path) -> float:
    """The bundle's size in MB: the folder of a onedir build, or the single file."""
    root = program.parent if program.parent.name == "reader" else program
    files = [root] if root.is_file() else [f for f in root.rglob("*") if f.is_file() and not f.is_symlink()]
    return sum(f.stat().st_size for f in files) / 1e6


def check_size(program: Path, limit_mb: float = SIZE_LIMIT_MB) -> float:
    """The bundle's size in MB; :class:`SmokeFailure` when it is over ``limit_mb``."""
    size = folder_size(program)
    if size > limit_mb:
        raise SmokeFailure(f"the bundle is {size:.1f} MB, over the limit of {limit_mb} MB")
    return size


def write_archive(folder: Path) -> Path:
    """A clean two-post archive in ``folder``; returns its root."""
    posts = folder / "_posts"
    posts.mkdir(parents=True)
    for day, (title, body) in enumerate(
        [("央行降准", "中国人民银行决定下调存款准备金率。"), ("蚂蚁集团", "研发投入超188亿元。")], 1
    ):
        text = POST.format(title=title, day=day, body=body)
        (posts / f"2022-06-0{day}-p{day}.md").write_text(text, encoding="utf-8")
    return folder


def first_window_seconds(program: Path, home: Path, archive: Path, shot: Path, runs: int = 3) -> float:
    """The median time of ``runs`` starts to the first window drawn, saved and closed."""
    timings = sorted(run(program, home, "--screenshot", str(shot), str(archive))[1] for _ in range(runs))
    return timings[len(timings) // 2]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    program = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        archive = write_archive(Path(scratch) / "archive")
        try:
            size = check_size(program)
            version, _ = run(program, home, "--version")
            if not version.startswith("reader "):
                raise SmokeFailure(f"--version printed {version!r}")
            sample, _ = run(program, home, "check", str(program.parent / "_internal" / "seeds"), expect=1)
            problems = [line for line in sample.splitlines() if line.startswith("problems-on-purpose/")]
            if f"Problems: {SAMPLE_PROBLEMS}" not in sample or len(problems) != SAMPLE_PROBLEMS:
                raise SmokeFailure(f"check on the bundled sample:\n{sample}")
            run(program, home, "check", str(archive))
            listing, _ = run(program, home, "list", str(archive), "--json")
            if [post["title"] for post in json.loads(listing)] != ["蚂蚁集团", "央行降准"]:
                raise SmokeFailure(f"list --json gave {listing}")
            found, _ = run(program, home, "search", str(archive), "央行", "--json")
            if [hit["title"] for hit in json.loads(found)] != ["央行降准"]:
                raise SmokeFailure(f"search --json gave {found}")
            git_round_trip(program, home, archive, Path(scratch) / "clone")
            shot = Path(scratch) / "shot.png"
            first_window = first_window_seconds(program, home, archive, shot)
            png_checks(shot)
            validate_desktop_files()
        except SmokeFailure as failure:
            print(f"smoke test FAILED: {failure}", file=sys.stderr)
            return 1
    print(f"bundle size: {size:.1f} MB (limit {SIZE_LIMIT_MB} MB)")
    print(f"start to first window drawn, saved and closed (median of 3): {first_window:.2f} s")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
