"""Big posts: how long the window stalls while showing a post of 1 MB, 5 MB and 50 MB,
and how much memory indexing one for search takes.

A heartbeat (a 5 ms QTimer) runs while the window shows the post: the longest gap between
two beats is the longest the window did not answer. The post is selected in the list as
a reader does; its first part is timed, then (for the posts with a "Show the rest" link)
the rest. Indexing runs in a child process, whose peak memory is read from the system.

    .venv/bin/python -m tests.benchmarks.big_posts [--folder /tmp/reader-bench] [--sizes 1,5,50]
        [--no-rest]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEARTBEAT_MS = 5
STALL_MS = 50


def big_post(path: Path, megabytes: float, seed: int = 1) -> Path:
    """A news post (raw HTML paragraphs of Chinese text, on one line, as the mirror writes
    them) of about ``megabytes`` MB, with a word to find in its first paragraph."""
    from tests.benchmarks.generate import _paragraph

    if path.is_file() and abs(path.stat().st_size - megabytes * 1e6) < 1e4:
        return path
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(f'---\nlayout: post\ntitle: "大文章 {megabytes} MB"\ndate: 2022-06-01 08:00:00 +0800\n')
        out.write("categories: cailianshe\ntags: 财联社新闻\n---\n<p>开头的段落：碳中和目标。</p>")
        size = 0
        while size < megabytes * 1e6:
            paragraph = _paragraph(rng, [])
            out.write(paragraph)
            size += len(paragraph.encode())
        out.write("<p>（文章来源：财联社）</p>\n\n<http://finews.example/html_News/big.html>\n")
    return path


def make_archive(root: Path, sizes: list[float]) -> dict[float, str]:
    """An archive of a few small posts and one post of each size: {size: key}."""
    from tests.benchmarks.generate import post_text

    rng = random.Random(2)
    from datetime import datetime, timedelta

    for number in range(20):
        name, text = post_text(rng, number, datetime(2022, 5, 1) + timedelta(hours=number), "cailianshe")
        (root / "_posts").mkdir(parents=True, exist_ok=True)
        (root / "_posts" / name).write_text(text, encoding="utf-8")
    keys = {}
    for size in sizes:
        name = f"2022-06-01-big-{size:g}mb.md"
        big_post(root / "_posts" / name, size)
        keys[size] = name
    return keys


class Heartbeat:
    """A timer every HEARTBEAT_MS: the gaps between its beats."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.gaps: list[float] = []

    def _beat(self) -> None:
        now = time.perf_counter()
        if self.last:
            self.gaps.append((now - self.last) * 1000)
        self.last = now

    def start(self) -> None:
        self.gaps, self.last = [], time.perf_counter()
        self.timer.start()

    def stop(self) -> tuple[float, int]:
        self.timer.stop()
        self._beat()
        return max(self.gaps, default=0.0), sum(gap > STALL_MS for gap in self.gaps)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def show(window: object, key: str, beat: Heartbeat, *, rest: bool) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    viewer = window.viewer  # type: ignore[attr-defined]
    before = rss_mb()
    beat.start()
    started = time.perf_counter()
    window.select_post_key(key)  # type: ignore[attr-defined]
    header = time.perf_counter() - started
    while getattr(viewer, "_waiting", False):  # (without it: shown at once, the old way)
        app.processEvents()
        time.sleep(0.001)
    first = time.perf_counter() - started
    while getattr(viewer, "preparing", False) and not viewer._rest_link:
        app.processEvents()
        time.sleep(0.001)
    shown = time.perf_counter() - started
    for _ in range(20):  # let the layout settle
        app.processEvents()
        time.sleep(0.005)
    worst, stalls = beat.stop()
    chars = viewer.document().characterCount()
    line = (
        f"  shown: header {header * 1000:.0f} ms, first part {first * 1000:.0f} ms, all asked for "
        f"{shown:.2f} s; {chars:,} characters; longest stall {worst:.0f} ms, {stalls} over {STALL_MS} ms; "
        f"memory +{rss_mb() - before:.0f} MB"
    )
    print(line, flush=True)
    if rest and getattr(viewer, "_rest_link", False):
        before = rss_mb()
        beat.start()
        started = time.perf_counter()
        window.follow_link("reader:show-rest")  # type: ignore[attr-defined]
        while viewer.preparing:
            app.processEvents()
            time.sleep(0.001)
        took = time.perf_counter() - started
        worst, stalls = beat.stop()
        chars = viewer.document().characterCount()
        started = time.perf_counter()
        found = viewer.highlight(["碳中和"])
        highlight = time.perf_counter() - started
        viewer.highlight([])
        print(
            f"  the rest: {took:.1f} s; {chars:,} characters; longest stall {worst:.0f} ms, {stalls} over"
            f" {STALL_MS} ms; memory +{rss_mb() - before:.0f} MB; highlighting a word then: "
            f"{highlight * 1000:.0f} ms ({found} found)",
            flush=True,
        )


def index_memory(root: Path, name: str) -> None:
    """Peak memory of a child process indexing one post for search."""
    code = (
        "import sys\n"
        "def peak():\n"
        "    with open('/proc/self/status') as status:\n"
        "        return next(int(l.split()[1]) // 1024 for l in status if l.startswith('VmHWM:'))\n"
        "from reader.core.search import _tokens_of\n"
        "before = peak()\n"
        "title, body = _tokens_of(sys.argv[1], 'x')\n"
        "print(before, peak(), len(body))\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, str(root / "_posts" / name)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    took = time.perf_counter() - started
    before, peak, tokens = (int(value) for value in result.stdout.split())
    print(
        f"  indexing it: peak memory {peak} MB, {peak - before} MB over a process that imported search;"
        f" {tokens:,} characters of tokens; {took:.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/reader-bench"))
    parser.add_argument("--sizes", default="0.008,0.016,1,5,50", help="post sizes in MB")
    parser.add_argument("--no-rest", action="store_true", help="do not show the rest of the big posts")
    options = parser.parse_args()
    sizes = [float(size) for size in options.sizes.split(",")]
    root = options.folder / "big-posts"
    keys = make_archive(root, sizes)
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = str(options.folder / "big-posts-user")
    os.environ["XDG_CACHE_HOME"] = str(options.folder / "big-posts-user" / "cache")

    from reader.ui.app import application
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

    app = application([sys.argv[0]])  # as Reader starts: its GIL switch interval too
    user = options.folder / "big-posts-user"
    user.mkdir(parents=True, exist_ok=True)
    window = MainWindow(Settings(user / "reader.ini"), state_path=user / "state.sqlite3")
    window.resize(1280, 800)
    window.show()
    loaded: list[bool] = []
    window.archive_loaded.connect(lambda *_: loaded.append(True))
    window.open_archive(root)
    while not loaded:
        app.processEvents()
        time.sleep(0.005)
    waited = time.perf_counter()
    while not window.search.indexed and time.perf_counter() - waited < 120:  # building it is not measured
        app.processEvents()
        time.sleep(0.005)
    for _ in range(100):
        app.processEvents()
        time.sleep(0.005)
    beat = Heartbeat()
    small = next(post.key for post in window.archive.posts if "big" not in post.key)  # type: ignore[union-attr]
    window.select_post_key(small)  # the first post shown pays Qt's set-up: not measured
    for _ in range(20):
        app.processEvents()
        time.sleep(0.005)
    small = next(post.key for post in window.archive.posts if "big" not in post.key and post.key != small)  # type: ignore[union-attr]
    print("a news post of 2-6 KB, shown at once as before", flush=True)
    show(window, small, beat, rest=False)
    for size in sizes:
        print(f"a post of {size * 1000:g} KB" if size < 1 else f"a post of {size:g} MB", flush=True)
        show(window, keys[size], beat, rest=not options.no_rest)
        index_memory(root, keys[size])
        window.select_post_key(small)
        for _ in range(50):
            app.processEvents()
            time.sleep(0.005)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the window's process: {peak:.0f} MB")
    window.close()


if __name__ == "__main__":
    main()
