"""The standalone build's start-up, against its goal.

    .venv/bin/python -m tests.benchmarks.packaging dist/reader/reader [--runs 5]

Starts the built program as ``packaging/smoke.py`` does (under ``env -i``, offscreen)
with ``--screenshot`` on a two-post archive, ``--runs`` times, and prints the median
time from start to the first window drawn, saved and closed, and the bundle's size.
Exits 1 when the median is over :data:`START_GOAL_S`. The smoke test only reports this
figure: a goal on time belongs here, measured on a quiet machine, not in CI.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent.parent
#: Start to the first window drawn, saved and closed (median), in seconds.
START_GOAL_S = 0.5


def smoke_module() -> ModuleType:
    """packaging/smoke.py, loaded by path ("packaging" is also a PyPI name)."""
    spec = importlib.util.spec_from_file_location("reader_smoke", REPO / "packaging" / "smoke.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("program", type=Path, help="the built program, e.g. dist/reader/reader")
    parser.add_argument("--runs", type=int, default=5, help="starts to take the median of (default 5)")
    options = parser.parse_args()
    smoke = smoke_module()
    program = options.program.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        archive = smoke.write_archive(Path(scratch) / "archive")
        shot = Path(scratch) / "shot.png"
        start = ("--screenshot", str(shot), str(archive))
        smoke.run(program, home, *start)  # a first start fills the page cache
        timings = [smoke.run(program, home, *start)[1] for _ in range(options.runs)]
    median = statistics.median(timings)
    print(f"bundle size: {smoke.folder_size(program):.1f} MB (limit {smoke.SIZE_LIMIT_MB} MB)")
    print(
        f"start to first window drawn, saved and closed: median {median:.2f} s of {options.runs} "
        f"(min {min(timings):.2f}, max {max(timings):.2f}); goal <= {START_GOAL_S} s: "
        + ("met" if median <= START_GOAL_S else "NOT MET")
    )
    return 0 if median <= START_GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
