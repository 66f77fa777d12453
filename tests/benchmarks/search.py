"""Search benchmark on a generated archive: index build time and size, query times, and
ripgrep over the same folder for comparison; then ``reader search`` as a whole process
with the index current (it answers without loading the archive), against ``rg -l`` over
the same folder, the two run in turn so that the ratio holds when the machine's speed
drifts.

    .venv/bin/python -m tests.benchmarks.search [--size 100000] [--folder /tmp/reader-bench]
        [--rounds 7] [--command-only]

``--command-only`` keeps the index the last run built and times only the commands.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

QUERIES = ["央行", "蚂蚁", "碳中和", "ESG", "A股", "港股", "降准", "美联储", "央"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/reader-bench"))
    parser.add_argument("--rounds", type=int, default=7, help="runs of each command")
    parser.add_argument("--command-only", action="store_true", help="keep the index; time the commands")
    options = parser.parse_args()
    root = options.folder / f"archive-{options.size}"
    cache_home = options.folder / f"search-cache-{options.size}"
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    if not options.command_only:
        shutil.rmtree(cache_home, ignore_errors=True)
        in_process(root, options.size)
    if shutil.which("rg"):
        whole_process(root, options.rounds)
    else:
        print("rg is not installed: no command comparison")


def in_process(root: Path, size: int) -> None:

    from reader.core.archive import load_archive
    from reader.core.search import SearchIndex, _shard_paths, index_path
    from tests.benchmarks.generate import generate

    if not (root / "old_post").is_dir():
        generate(root, size, seed=1)
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
    index.close()


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall and processor seconds of one run of ``command`` (its children included),
    and what it wrote on stderr."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, result.stderr


def whole_process(root: Path, rounds: int) -> None:
    """``reader search ROOT QUERY`` (current index) and ``rg -l QUERY ROOT``, in turn."""
    for query in ("央行", "碳中和", "ESG"):
        reader = [sys.executable, "-m", "reader", "search", str(root), query, "--debug"]
        ripgrep = ["rg", "-l", query, str(root)]
        timed(reader)  # the index brought up to date if it was not, bytecode written
        timed(ripgrep)
        runs: list[tuple[float, float, float, float]] = []
        alone = 0
        for _ in range(rounds):
            wall, cpu, errors = timed(reader)
            alone += "from the index alone" in errors
            rg_wall, rg_cpu, _ = timed(ripgrep)
            runs.append((wall, cpu, rg_wall, rg_cpu))
        walls = [run[0] / run[2] for run in runs]
        wall, cpu, rg_wall, rg_cpu = (statistics.median(run[at] for run in runs) for at in range(4))
        print(
            f"reader search {query}: wall {wall:.3f} s (cpu {cpu:.3f} s, from the index alone"
            f" {alone}/{rounds}); rg -l: wall {rg_wall:.3f} s (cpu {rg_cpu:.3f} s); ratio of walls"
            f" {statistics.median(walls):.2f} (min {min(walls):.2f}, max {max(walls):.2f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
