"""What each part of the compiled helper (reader/core/_fastio_c/) gains over its Python path.

    .venv/bin/python -m tests.benchmarks.native ROOT [ROOT ...] [--repeat 3]

Each part is measured on the same files, in one process, with a warm page cache: the
work the load does with the compiled part, then with that one part replaced by the
Python the load runs without it (the others kept), as the median of ``--repeat`` runs.
The reading parts are summed over every file, as one process would read them all (a
load spreads that work over its worker processes), in processor time (this process's
own, so that other work on the machine weighs little); the scan and the cold load in
wall time. Archives: tests/benchmarks/generate.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from reader.core import archive as archive_module
from reader.core import native, reading
from reader.core import scan as scan_module

REAL = native.fastio


def without(real: Any, **replaced: Callable[..., Any]) -> SimpleNamespace:
    """The compiled module with some of its functions replaced (a namespace, so that
    each attribute costs the load what a module's does)."""
    return SimpleNamespace(**{**vars(real), **replaced})


def python_read_head(path: str, folder: int, limit: int) -> tuple[bytes, int, int]:
    descriptor, info = native.open_file(path, None if folder == -1 else folder)
    try:
        return os.read(descriptor, limit), info.st_size, info.st_mtime_ns
    finally:
        os.close(descriptor)


def python_list_folder(folder: str) -> tuple[list[str], list[int]]:
    with os.scandir(folder) as iterator:
        entries = list(iterator)
    return [entry.name for entry in entries], [native.entry_type(entry) for entry in entries]


def none(*_: Any) -> None:
    return None


def timed(functions: list[Callable[[], Any]], repeat: int, clock: Callable[[], float]) -> list[float]:
    """The median times of ``functions`` in ms, run in turn ``repeat`` times (so that a
    busy moment of the machine weighs on each alike)."""
    runs: list[list[float]] = [[] for _ in functions]
    for _ in range(repeat):
        for function, times in zip(functions, runs, strict=True):
            started = clock()
            function()
            times.append(clock() - started)
    return [statistics.median(times) * 1000 for times in runs]


def using(module: Any, function: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        native.fastio = module
        try:
            return function()
        finally:
            native.fastio = REAL

    return run


def measure(root: Path, repeat: int) -> list[tuple[str, float, float]]:
    scanned = archive_module.scan(root)
    folders = sorted({os.path.dirname(os.path.join(root, relative)) for relative in scanned.relatives})
    read = lambda: reading.read_files(str(root), scanned.relatives, scanned.kinds, None)  # noqa: E731
    read()  # the page cache warm
    table = []

    def pair(
        name: str, native: Any, python: Any, work: Callable[[], Any], clock: Any = time.process_time
    ) -> None:
        fast, slow = timed([using(native, work), using(python, work)], repeat, clock)
        table.append((name, slow, fast))
        print(f"  {name:44} python {slow:9.1f} ms  native {fast:9.1f} ms", flush=True)

    def list_all() -> None:
        for folder in folders:
            scan_module._list_folder(folder)

    pair("list_folder (every folder)", REAL, without(REAL, list_folder=python_list_folder), list_all)
    scan = lambda: archive_module.scan(root)  # noqa: E731
    pair("scan: list_folder + stat_folders (wall)", REAL, None, scan, time.perf_counter)
    pair("read_head (read_file, every file)", REAL, without(REAL, read_head=python_read_head), read)
    pair("simple_front_matter (read_file)", REAL, without(REAL, simple_front_matter=none), read)
    # The same code on both sides: what the machine's noise alone makes of a gain.
    pair("nothing replaced (the noise)", REAL, without(REAL), read)
    pair("common_date (read_file)", REAL, without(REAL, common_date=none), read)
    pair("all reading parts (read_file)", REAL, None, read)
    fallbacks = sum(
        REAL.simple_front_matter(reading._read_head(os.path.join(root, relative), None)[0], False)
        is None
        for relative in scanned.relatives
    )
    print(f"  files simple_front_matter leaves to Python: {fallbacks} of {len(scanned.relatives)}")
    [cold] = timed([lambda: archive_module.load_archive(root, use_cache=False)], repeat, time.perf_counter)
    print(f"  {'cold load (native, for scale)':44} {cold:9.1f} ms", flush=True)
    table.append(("cold load, all native (for scale)", cold, cold))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    if REAL is None:
        parser.error("reader/core/_fastio_c/ is not built")
    for root in options.roots:
        print(root, flush=True)
        for name, slow, fast in measure(root, options.repeat):
            print(f"{name:44} {slow:9.1f} {fast:9.1f} {slow - fast:9.1f}")


if __name__ == "__main__":
    main()
