"""The worker processes that read files (for a load) and index them (for search), and
cancelling that work."""

from __future__ import annotations

import os
from contextlib import suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


#: Below this many files to read, one process reads them (worker start-up costs more).
PARALLEL_THRESHOLD = 4000


#: What the worker processes' server imports once, before it forks them: each worker
#: then starts with the reading (and indexing) code in place instead of importing it.
WORKER_MODULES = ["reader.core.archive", "reader.core.search"]


def worker_context() -> BaseContext:
    """The multiprocessing context for worker processes. forkserver: workers fork from a
    clean single-threaded server, never from this process, which may be running Qt
    threads."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)  # no effect once the server runs
    return context


def background_priority() -> None:
    """Run this process below the others (``nice`` 10), for work done in the background
    (indexing for search): a window and the loads it waits for come first."""
    if hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(BACKGROUND_NICENESS)


#: How much lower background worker processes run.
BACKGROUND_NICENESS = 10


def worker_count(files: int) -> int:
    if files < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


class LoadCancelled(Exception):
    """A load was cancelled through its ``cancelled`` callback."""
