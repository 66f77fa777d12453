"""The persistent load cache: what each file gave last time, validated by size and mtime.

One file per archive in the user cache folder. It holds, per candidate file, its size,
its modification time in nanoseconds and the plain values reading it gave (a post's
fields, or the reason it was skipped). A file whose size or mtime differ is read again;
entries for files that are gone are dropped. The whole cache is ignored (and rebuilt)
when it cannot be read, when its format version differs, when it belongs to another
folder, when the folder at this path is a different one (another inode), or when
``_config.yml`` changed (its timezone decides naive dates).

``marshal`` stores it: only plain values, fast, and loading never runs code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

FORMAT_VERSION = 4
#: Entries per marshal chunk.
CHUNK = 4000

#: relative path -> (size, mtime_ns, fields or None, problem or None), kept in the
#: archive's newest-first order so the next load's sort has almost nothing to do
Entries = dict[str, tuple[int, int, Any, str | None]]


def cache_folder() -> Path:
    return platformdirs.user_cache_path("reader", appauthor=False) / "archives"


def cache_path(root: Path) -> Path:
    digest = hashlib.sha1(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return cache_folder() / f"{digest}.load-cache"


def signature(root: Path) -> tuple[Any, ...]:
    """What must not change for the cache to apply: the folder's identity and config."""
    real = os.path.realpath(root)
    info = os.stat(real)
    try:
        config = os.stat(os.path.join(real, "_config.yml"))
        config_sig: tuple[int, int] | None = (config.st_size, config.st_mtime_ns)
    except OSError:
        config_sig = None
    return (FORMAT_VERSION, real, info.st_dev, info.st_ino, config_sig)


def load(root: Path) -> Entries:
    """The cached entries for ``root``, or an empty dict when there is no usable cache."""
    path = cache_path(root)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        header, chunks = marshal.loads(data)  # loads on bytes: load() on a file is slow
        if header != signature(root) or not isinstance(chunks, list):
            return {}
        entries: Entries = {}
        for chunk in chunks:
            # One chunk at a time: each call holds the GIL briefly, so a window whose
            # load runs on a thread stays responsive.
            part = marshal.loads(chunk)
            if not isinstance(part, dict):
                return {}
            entries.update(part)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries


def save(root: Path, entries: Entries) -> None:
    """Write the cache atomically; failing to write it never fails a load."""
    path = cache_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            items = list(entries.items())
            chunks = [marshal.dumps(dict(items[i : i + CHUNK])) for i in range(0, len(items), CHUNK)]
            with os.fdopen(handle, "wb") as stream:
                stream.write(marshal.dumps((signature(root), chunks)))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError):
        return
