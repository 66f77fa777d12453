"""What the file system says about a write that failed, in words for people.

SQLite reports a full disk as a "disk I/O error" as often as not, and QSettings says
nothing at all: the folder's file system tells whether it is read-only or full. One
definition for the marks store (:mod:`reader.core.state`) and the settings
(:mod:`reader.ui.settings`). Paths are put in words by :func:`reader.core.names.shown`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from reader.core.names import shown

#: Below this much free space a failed write is put down to a full disk.
FULL_BELOW = 64 << 10


def disk_trouble(folder: Path) -> str | None:
    """Why nothing can be written in ``folder`` as its file system tells it (read-only or
    full), or None when it tells nothing."""
    with contextlib.suppress(OSError, AttributeError):  # no statvfs on Windows
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"{shown(str(folder))} is on a read-only file system"
    with contextlib.suppress(OSError):
        if shutil.disk_usage(folder).free < FULL_BELOW:
            return f"the disk holding {shown(str(folder))} is full"
    return None
