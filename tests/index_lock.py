"""Another process that holds an archive's search index lock, as a process building or
writing the index does for minutes at 100,000 posts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.core.search import index_path

_HOLDER = """
import fcntl, os, sys, time
lock = sys.argv[1]
os.makedirs(os.path.dirname(lock), exist_ok=True)
descriptor = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o644)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@contextmanager
def index_lock_held(root: Path, seconds: float = 30.0) -> Iterator[subprocess.Popen[str]]:
    """A child process holding ``root``'s index lock for ``seconds`` (ended on exit)."""
    first = index_path(root)
    lock = first.with_name(first.name + ".lock")
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(lock), str(seconds)], stdout=subprocess.PIPE, text=True
    ) as holder:  # its pipe closed and the process waited for on exit
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "held\n"
            yield holder
        finally:
            holder.kill()
