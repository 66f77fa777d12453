"""Diagnostics: the debug lines every module writes to its ``logging.getLogger(__name__)``,
shown on stderr when ``READER_DEBUG=1`` is set or ``--debug`` is given, and not otherwise.

Modules only ever log; this is the one place that decides where the lines go. Without
debugging, the ``reader`` logger passes warnings on as Python does by default (the
command line prints them as ``reader: warning: …``), and debug lines cost one level check.
"""

from __future__ import annotations

import logging
import os
import sys

#: The environment variable that turns the debug lines on: ``READER_DEBUG=1``.
DEBUG_VARIABLE = "READER_DEBUG"
#: Every module's logger is a child of this one (``reader.core.search``, ``reader.ui.app``).
ROOT_LOGGER = "reader"
LINE_FORMAT = "%(asctime)s.%(msecs)03d %(threadName)s %(name)s %(levelname)s: %(message)s"
TIME_FORMAT = "%H:%M:%S"


def debug_requested(environ: dict[str, str] | None = None) -> bool:
    """True when the environment asks for the debug lines (``READER_DEBUG`` set to a
    value other than empty, ``0``, ``no``, ``off`` or ``false``)."""
    value = (os.environ if environ is None else environ).get(DEBUG_VARIABLE, "")
    return value.strip().lower() not in ("", "0", "no", "off", "false")


class DebugLines(logging.Handler):
    """The debug handler: one line per record on whatever ``sys.stderr`` is then.

    With ``below_warnings`` it leaves warnings and errors to another handler that already
    says them (the command line's ``reader: warning:`` lines), so none is said twice."""

    def __init__(self, below_warnings: bool) -> None:
        super().__init__(logging.DEBUG)
        self.below_warnings = below_warnings
        self.setFormatter(logging.Formatter(LINE_FORMAT, TIME_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        if self.below_warnings and record.levelno >= logging.WARNING:
            return
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # a closed stderr must not end the program: logging's own rule
            self.handleError(record)


def configure(debug: bool, *, warnings_said_elsewhere: bool = False) -> None:
    """Show the debug lines on stderr, or stop showing them. Calling it again replaces
    the previous choice (one handler at most)."""
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, DebugLines)]:
        logger.removeHandler(handler)
    if not debug:
        logger.setLevel(logging.NOTSET)
        return
    logger.setLevel(logging.DEBUG)
    logger.addHandler(DebugLines(below_warnings=warnings_said_elsewhere))
    log = logging.getLogger(__name__)
    log.debug("debug lines on (pid %d, Python %s)", os.getpid(), sys.version.split()[0])
