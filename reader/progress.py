"""Progress of the command line's long steps, on stderr.

The core reports progress through a callback (``progress(done, total)``); this turns
those calls into what a person at a terminal or a log reads: a bar redrawn in place
when stderr is a terminal, else one line when the step starts and one when it ends.
A step that ends within :data:`SHOW_AFTER_S` says nothing at all: output meant for
scripts stays as it was, and only a step that makes someone wait is shown.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

#: A step shows its progress once it has taken this long (seconds).
SHOW_AFTER_S = 1.0
#: A bar is redrawn at most this often (seconds).
REDRAW_S = 0.1
BAR_WIDTH = 30


class ProgressLine:
    """``progress(done, total)`` for a step named by ``doing`` ("reading {total} files")
    and, once ended, ``done`` ("read {total} files in {seconds} s")."""

    def __init__(self, doing: str, done: str, stream: TextIO | None = None) -> None:
        self._doing = doing
        self._done = done
        self._stream = stream if stream is not None else sys.stderr
        self._tty = _is_terminal(self._stream)
        self._started = time.monotonic()
        self._shown = False  # something was written
        self._drawn_at = 0.0
        self._total = 0

    def __call__(self, done: int, total: int) -> None:
        self._total = total
        now = time.monotonic()
        if not self._shown:
            if now - self._started < SHOW_AFTER_S or total <= 0:
                return
            self._shown = True
            if not self._tty:
                self._write(f"reader: {self._doing.format(total=f'{total:,}')}…\n")
        if self._tty and now - self._drawn_at >= REDRAW_S:
            self._drawn_at = now
            self._write("\r" + self._bar(done, total) + "\x1b[K")

    def _bar(self, done: int, total: int) -> str:
        filled = BAR_WIDTH * min(done, total) // max(total, 1)
        what = self._doing.format(total=f"{total:,}")
        return f"reader: {what} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:,}/{total:,}"

    def end(self, *, finished: bool) -> None:
        """The step is over: its end line (``finished``), or just the bar cleared."""
        if not self._shown:
            return
        if self._tty:
            self._write("\r\x1b[K")
        if finished:
            seconds = time.monotonic() - self._started
            self._write(f"reader: {self._done.format(total=f'{self._total:,}', seconds=f'{seconds:.1f}')}\n")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


@contextmanager
def progress_line(doing: str, done: str, stream: TextIO | None = None) -> Iterator[ProgressLine]:
    """A :class:`ProgressLine` for the ``with`` block: its end line when the block
    finishes, the bar cleared when it stops on an error."""
    line = ProgressLine(doing, done, stream)
    try:
        yield line
    except BaseException:
        line.end(finished=False)
        raise
    line.end(finished=True)
