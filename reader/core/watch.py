"""Follow an archive folder as it changes on disk.

watchdog's native observers (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW
on Windows) report every file created, changed, deleted or moved below the folder,
including edits made in place, which a directory watch (``QFileSystemWatcher``) does not
see. Events are gathered and reported once a burst has been quiet for ``quiet_seconds``,
so the daily move of hundreds of posts, or a ``git pull`` touching thousands, arrives as
one change.

watchdog is imported when a watcher starts, not with this module: importing it costs
about 0.1 s (it loads ctypes and subprocess), and ``start`` runs on a background thread.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, AnyStr

from reader.core.scan import SKIPPED_FOLDERS

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent

log = logging.getLogger(__name__)


def _ignored(root: str, path: str) -> bool:
    relative = os.path.relpath(path, root)
    return any(part.startswith(".") or part in SKIPPED_FOLDERS for part in relative.split(os.sep))


def _changes() -> list[type[FileSystemEvent]]:
    """The events that are changes. Not files opened or closed unwritten: every load and
    every index build opens each file, and those events (two per file) would fill the
    kernel's queue (16,384 events on Linux), which then drops real changes."""
    from watchdog import events

    return [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileClosedEvent,
        events.FileDeletedEvent,
        events.FileMovedEvent,
        events.DirCreatedEvent,
        events.DirDeletedEvent,
        events.DirMovedEvent,
    ]


def _walk(
    top: AnyStr | os.PathLike[AnyStr],
    topdown: bool = True,
    onerror: Callable[[OSError], object] | None = None,
    followlinks: bool = False,
) -> Iterator[tuple[AnyStr, list[AnyStr], list[AnyStr]]]:
    """``os.walk`` as Python 3.12 has it: with a stack of its own. Python 3.11's calls
    itself once per folder level, so that folders nested about 990 deep raised
    RecursionError while watchdog set up its watches, and nothing was followed."""
    if not topdown:
        yield from os.walk(top, topdown, onerror, followlinks)
        return
    stack = [os.fspath(top)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            if onerror is not None:
                onerror(error)
            continue
        folders: list[AnyStr] = []
        files: list[AnyStr] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            (folders if is_folder else files).append(entry.name)
        yield folder, folders, files
        for name in reversed(folders):  # what the caller left in ``folders``, in order
            path = os.path.join(folder, name)
            if followlinks or not os.path.islink(path):
                stack.append(path)


class _OsWalkingWithAStack:
    """The ``os`` module, but for :func:`_walk` in place of ``os.walk``."""

    walk = staticmethod(_walk)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def _walk_with_a_stack_in_watchdog() -> None:
    """Give watchdog's inotify observer a walk that any depth of folders cannot overflow
    (it calls ``os.walk`` to watch each folder of the tree, and each new one's)."""
    if sys.version_info >= (3, 12):
        return  # ``os.walk`` keeps its own stack there
    import importlib

    for name in ("watchdog.observers.inotify", "watchdog.observers.inotify_c"):
        try:
            module = importlib.import_module(name)
        except (ImportError, OSError):  # not Linux, or no inotify
            continue
        if getattr(module, "os", None) is os:
            module.os = _OsWalkingWithAStack()  # type: ignore[attr-defined]


class ArchiveWatcher:
    """Calls ``on_change(paths)`` (from a background thread) after each quiet burst.
    The path of a folder that was created, deleted or moved ends with a separator.

    It is the observer's event handler: watchdog hands each event to ``dispatch``."""

    def __init__(self, root: Path, on_change: Callable[[set[str]], None], quiet_seconds: float = 0.4) -> None:
        self.root = os.path.realpath(root)
        self.on_change = on_change
        self.quiet_seconds = quiet_seconds
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._quiet_from = 0.0  # monotonic time at which the current burst counts as over
        self._stopped = threading.Event()
        self._observer: Any = None

    def start(self) -> None:
        """Set up the watches (this walks the folder: call it off the UI thread)."""
        from watchdog.observers import Observer

        _walk_with_a_stack_in_watchdog()
        with self._lock:
            if self._stopped.is_set() or self._observer is not None:
                return
            self._observer = Observer()
            self._observer.schedule(self, self.root, recursive=True, event_filter=_changes())
            self._observer.daemon = True
            self._observer.start()
        log.debug("watching %s with %s", self.root, type(self._observer).__name__)

    @property
    def running(self) -> bool:
        return self._observer is not None and self._observer.is_alive() and not self._stopped.is_set()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            started = self._observer is not None and self._observer.is_alive()
        if started:
            self._observer.stop()
            self._observer.join(timeout=5)
            log.debug("stopped watching %s", self.root)

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = {os.fsdecode(event.src_path)}
        destination = getattr(event, "dest_path", "")
        if destination:
            paths.add(os.fsdecode(destination))
        paths = {p for p in paths if not _ignored(self.root, p)}
        if not paths or self._stopped.is_set():
            return
        if event.is_directory:  # a folder created, deleted or moved: said by a final separator
            paths = {os.path.join(path, "") for path in paths}
        with self._lock:
            self._pending |= paths
            # One timer per burst, not per event (the daily move sends ~1,500 events):
            # each event only moves the end of the quiet time.
            self._quiet_from = time.monotonic() + self.quiet_seconds
            if self._timer is None:
                self._arm(self.quiet_seconds)

    def _arm(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._stopped.is_set():
                return
            left = self._quiet_from - time.monotonic()
            if left > 0:  # events came since the timer was set: wait for the rest
                self._arm(left)
                return
            paths, self._pending = self._pending, set()
            self._timer = None
        if paths:
            log.debug("%d paths changed below %s", len(paths), self.root)
            self.on_change(paths)
