"""Search benchmark on a generated archive: index build time and size, query times, and
ripgrep over the same folder for comparison.

    .venv/bin/python -m tests.benchmarks.search [--size 100000] [--folder /tmp/reader-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

QUERIES = ["央行", "蚂蚁", "碳中和", "ESG", "A股", "港股", "降准", "美联储", "央"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/reader-bench"))
    options = parser.parse_args()
    root = options.folder / f"archive-{options.size}"
    cache_home = options.folder / f"search-cache-{options.size}"
    shutil.rmtree(cache_home, ignore_errors=True)
    os.environ["XDG_CACHE_HOME"] = str(cache_home)

    from reader.core.archive import load_archive
    from reader.core.search import SearchIndex, _shard_paths, index_path
    from tests.benchmarks.generate import generate

    if not (root / "old_post").is_dir():
        generate(root, options.size, seed=1)
    archive = load_archive(root)
    started = time.perf_counter()
    index = SearchIndex(archive.root)
    index.update(archive)
    build = time.perf_counter() - started
    size = sum(os.path.getsize(p) for p in _shard_paths(index_path(archive.root)))
    files = sum(f.stat().st_size for f in root.rglob("*.md"))
    print(f"index built in {build:.1f} s; {size / 1e6:.0f} MB on disk = {size / files:.2f}× the posts' files")
    index.search("x", archive)  # warm the mappings
    medians = []
    for query in QUERIES:
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            hits = index.search(query, archive)
            runs.append(time.perf_counter() - started)
        medians.append(statistics.median(runs))
        line = f"{query}: {len(hits)} hits, median {medians[-1] * 1000:.1f} ms"
        if shutil.which("rg"):
            started = time.perf_counter()
            subprocess.run(["rg", "-l", "-c", query, str(root)], capture_output=True, check=False)
            line += f"; rg {time.perf_counter() - started:.2f} s"
        print(line, flush=True)
    print(f"median over the queries: {statistics.median(medians) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
