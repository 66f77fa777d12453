"""Freeing the archives a reload replaced, a short step at a time.

Freeing 100,000 posts at once holds the GIL for ~40 ms: a stall on every reload. An
archive is emptied slice by slice (``Archive.release``) once nothing else holds it (a
search worker or an offline job may still be finishing with it); one still held after
:data:`RELEASE_PATIENCE_S` is left to be freed as usual.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer

from reader.core.archive import Archive

#: Steps of freeing a replaced archive: one per interval.
RELEASE_INTERVAL_MS = 15
#: How long a replaced archive may stay in use elsewhere before it is freed as usual.
RELEASE_PATIENCE_S = 60.0
_DONE = object()


class SpentArchives(QObject):
    """Archives no longer shown, freed one short step per :data:`RELEASE_INTERVAL_MS`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.waiting: list[tuple[Archive, float]] = []  # each with when it was replaced
        self._releasing: Iterator[None] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(RELEASE_INTERVAL_MS)
        self.timer.timeout.connect(self._step)

    def add(self, archive: Archive) -> None:
        self.waiting.append((archive, time.monotonic()))
        self.timer.start()

    @property
    def idle(self) -> bool:
        """Nothing left to free."""
        return not self.waiting and self._releasing is None and not self.timer.isActive()

    def _step(self) -> None:
        """One short step of freeing an archive."""
        if self._releasing is None:
            for at, (archive, since) in enumerate(self.waiting):
                # Held only by the list's tuple, this loop and getrefcount's argument.
                if sys.getrefcount(archive) <= 3:
                    self._releasing = archive.release()
                elif time.monotonic() - since < RELEASE_PATIENCE_S:
                    continue
                del self.waiting[at]
                break
            if self._releasing is None:
                if not self.waiting:
                    self.timer.stop()
                return
        if next(self._releasing, _DONE) is _DONE:
            self._releasing = None
