"""Load benchmarks at 10,000 and 100,000 posts, printed as one table with ratios.

    .venv/bin/python -m tests.benchmarks.run [--sizes 10000 100000] [--folder /tmp/reader-bench]

Archives are generated once per size (tests/benchmarks/generate.py, seed 1) and kept in
the folder. Everything is measured in the same run, on the same files, with a warm page
cache (each measurement after a first read), so the ratios compare like with like:

(a) floor: open each post file and read its first 1 KB
(b) naive: ``frontmatter.load`` on each file
(c) cold load: ``load_archive`` without the cache
(d) warm load: ``load_archive`` with the cache present, nothing changed
(e) ``reader PATH`` launched until the first posts are drawn (offscreen; warm load cache
    and bytecode; the window reports the moment it drew them)
(f) peak resident memory of that window process
(g) longest stall of the UI thread (a 5 ms QTimer heartbeat) during a load (the first
    window of a fresh process, as at launch: fonts, caches and the collector start cold;
    with a daily reader's session: nine posts in ten read, and a post to show again), a reload
    after a change on disk, and a search; and the time from a change on disk (one new
    post, then 500 posts moved from _posts/ to old_post/) until the window shows it
(h) switching between tree nodes, and re-sorting the list
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent.parent


def timed(function, repeat: int = 1) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def post_files(root: Path) -> list[str]:
    from reader.core.archive import scan

    return [os.path.join(root, relative) for relative in scan(root).relatives]


def floor(files: list[str]) -> None:
    for path in files:
        with open(path, "rb") as handle:
            handle.read(1024)


def naive(files: list[str]) -> None:
    import frontmatter

    for path in files:
        frontmatter.load(path)


def window_process(root: Path, home: Path) -> tuple[float, float]:
    """(seconds from launch to first posts drawn, peak RSS in MB) of ``reader PATH``."""
    env = {**os.environ, "READER_EXIT_WHEN_SHOWN": "1", "HOME": str(home)}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    # Warm means the bytecode too, as an installed Reader has it (pip compiles it, the
    # bundle carries it): the first launch may write it even where the developer's
    # environment says not to.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "reader", str(root)]
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm the cache
    launched = time.time()
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    # The window reports when it drew the posts (the time it then takes to close is not
    # part of the figure) and its own peak: RUSAGE_CHILDREN would add its helpers.
    lines = result.stdout.splitlines()
    drawn_at = next(float(line.split()[1]) for line in lines if line.startswith("drawn-at"))
    peak_kb = next(int(line.split()[1]) for line in lines if line.startswith("peak-rss-kb"))
    return drawn_at - launched, peak_kb / 1024


def a_readers_session(root: Path, home: Path) -> None:
    """A session as a daily reader leaves it: nine posts in ten read, and the post shown
    last (one in the middle of the archive), which the window shows again once the
    archive is loaded."""
    from reader.core.archive import load_archive
    from reader.core.state import StateStore
    from reader.ui.settings import POST, Settings

    archive = load_archive(root)
    Settings(home / "bench.ini").archive_set(archive.root, POST, archive.posts[len(archive.posts) // 2].key)
    marks = StateStore(archive.root, home / "state.sqlite3")
    marks.set_read(list(archive.keys[len(archive.keys) // 10 :]))
    marks.close()


def in_fresh_window(root: Path, home: Path) -> dict[str, float]:
    """:func:`in_window`, in a process of its own: a window opened after another in the
    same process starts with warm fonts and a settled collector, and stalls less than at
    a real launch."""
    command = [sys.executable, "-m", "tests.benchmarks.run", "--in-window", str(root), str(home)]
    result = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(result.stdout.strip().splitlines()[-1])


def in_window(root: Path, home: Path) -> dict[str, float]:
    """UI stalls during load, reload and search, and node switching and sorting times."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from reader.ui.app import application
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

    app = application()
    window = MainWindow(Settings(home / "bench.ini"), state_path=home / "state.sqlite3")
    window.resize(1280, 800)
    window.show()
    clock = QElapsedTimer()
    gaps = [0.0]
    clock.start()

    def beat() -> None:
        gaps.append(clock.restart() / 1000)

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(beat)
    heart.start()

    def until(condition, timeout: float = 600.0) -> None:
        end = time.perf_counter() + timeout
        while not condition() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    results: dict[str, float] = {}
    loaded = []
    window.archive_loaded.connect(lambda: loaded.append(1))
    gaps.clear()
    clock.restart()
    window.open_archive(root)
    until(lambda: loaded)
    results["stall during load (s)"] = max(gaps)
    assert window.current_post() is not None, "the post of the session was not shown again"
    until(lambda: window.search.indexed)
    # A change on disk: one new post, picked up by the watcher.
    new_post = root / "_posts" / "2026-11-02-bench-new.md"
    written = time.perf_counter()
    new_post.write_text(
        '---\ntitle: "新的文章"\ndate: 2026-11-02 10:00:00 +0800\n---\n<p>正文</p>\n', encoding="utf-8"
    )
    gaps.clear()
    clock.restart()
    until(lambda: len(loaded) >= 2)
    results["stall during reload (s)"] = max(gaps)
    results["new post on disk until shown (s)"] = time.perf_counter() - written
    new_post.unlink()
    until(lambda: len(loaded) >= 3)
    # The daily move: 500 posts from _posts/ to old_post/, then back.
    names = [path.name for path in sorted((root / "_posts").iterdir())[:500]]

    def shown_in(folder: str) -> bool:
        archive = window.archive  # a moved post keeps its key (its file name)
        return all(archive.posts[archive.by_key[name]].path == f"{folder}/{name}" for name in names[::499])

    written = time.perf_counter()
    for name in names:
        (root / "_posts" / name).rename(root / "old_post" / name)
    until(lambda: shown_in("old_post"))
    results["500 posts moved until shown (s)"] = time.perf_counter() - written
    until(lambda: not window.loader.busy)  # a later part of the burst may bring a reload
    for name in names:
        (root / "old_post" / name).rename(root / "_posts" / name)
    until(lambda: shown_in("_posts") and not window.loader.busy)
    until(lambda: window.search.indexed)
    gaps.clear()
    clock.restart()
    window.search_box.setText("央行")
    until(lambda: "match" in window.search_count.text() and "…" not in window.search_count.text())
    results["stall during search (s)"] = max(gaps)
    window.search_box.clear()
    app.processEvents()
    archive = window.archive
    category = max(archive.by_category, key=lambda c: len(archive.by_category[c]))
    tag = max(archive.by_tag, key=lambda t: len(archive.by_tag[t]))
    year, month = max(archive.by_month)
    switches = [f"category/{category}", f"tag/{tag}", f"month/{year}-{month:02d}", "unread/", "all/"]
    results["switch tree node, slowest (s)"] = max(
        timed(lambda p=p: window.select_node_path(p)) for p in switches
    )
    results["sort by title (s)"] = timed(lambda: window.list.sortByColumn(0, Qt.SortOrder.AscendingOrder))
    results["sort by date (s)"] = timed(lambda: window.list.sortByColumn(1, Qt.SortOrder.DescendingOrder))
    heart.stop()
    window.close()
    QApplication.processEvents()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/reader-bench"))
    parser.add_argument("--in-window", nargs=2, type=Path, metavar=("ROOT", "HOME"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.in_window:
        root, home = options.in_window
        os.environ["XDG_CACHE_HOME"] = str(home / "cache")
        print(json.dumps(in_window(root, home)))
        return

    from reader.core import cache
    from reader.core.archive import load_archive
    from tests.benchmarks.generate import generate

    rows: list[tuple[str, dict[int, float]]] = []
    table: dict[str, dict[int, float]] = {}
    for size in options.sizes:
        root = options.folder / f"archive-{size}"
        if not (root / "old_post").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            generate(root, size, seed=1)
        home = options.folder / f"home-{size}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        os.environ["XDG_CACHE_HOME"] = str(home / "cache")
        files = post_files(root)
        floor(files)  # warm the page cache
        measures = {
            "(a) floor: open + read 1 KB (s)": timed(partial(floor, files), 3),
            "(b) naive: frontmatter.load (s)": timed(partial(naive, files)),
            "(c) cold load, no cache (s)": timed(partial(load_archive, root, use_cache=False), 3),
        }
        load_archive(root)  # write the cache
        measures["(d) warm load, cache present (s)"] = timed(partial(load_archive, root), 3)
        shown, peak = window_process(root, home)
        measures["(e) launch to first posts drawn (s)"] = shown
        measures["(f) peak RSS of the window process (MB)"] = peak
        a_readers_session(root, home)
        for name, value in in_fresh_window(root, home).items():
            key = "(g) " + name if "stall" in name or "until shown" in name else "(h) " + name
            measures[key] = value
        for name, value in measures.items():
            table.setdefault(name, {})[size] = value
        cache.cache_path(root).unlink(missing_ok=True)
    floor_row = table["(a) floor: open + read 1 KB (s)"]
    header = f"{'measure':46}" + "".join(f"{f'{size:,} posts':>16}{'× floor':>9}" for size in options.sizes)
    print(header)
    print("-" * len(header))
    for name, values in table.items():
        cells = ""
        for size in options.sizes:
            value = values[size]
            ratio = f"{value / floor_row[size]:8.2f}×" if name.startswith(("(b)", "(c)", "(d)")) else " " * 9
            cells += f"{value:16.3f}{ratio}"
        print(f"{name:46}{cells}")
    rows.extend(table.items())


if __name__ == "__main__":
    main()
