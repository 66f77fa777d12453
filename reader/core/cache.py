"""The persistent load cache: what each file gave last time, validated by size and mtime.

One file per archive in the user cache folder. It holds, per candidate file in the
order the folder scan met them, its path, size, modification time in nanoseconds and
the plain values reading it gave (a post's fields, or the reason it was skipped). A file
whose size or mtime differ is read again; entries for files that are gone are dropped.
The whole cache is ignored (and rebuilt) when it cannot be read, when its format version
differs, when it belongs to another folder, when the folder at this path is a different
one (another inode), or when ``_config.yml`` changed (its timezone decides naive dates).

It also keeps what the last load derived from those files (the posts' order and the
category, tag and month indexes). That is reused only when the new scan found exactly
the same files, sizes and times in the same order: then nothing can differ.

``marshal`` stores it: only plain values, fast, and loading never runs code.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from reader.core.names import archive_digest, archive_id

#: Bump when what is stored, or what a load derives from it, changes.
FORMAT_VERSION = 10
#: Files per marshal chunk: loading one takes about a millisecond.
CHUNK = 1000


@dataclass(slots=True)
class Cached:
    """One archive's cache, in the scan order of the load that wrote it."""

    relatives: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    #: per file: the post's fields, or None when it is not a post
    fields: list[Any] = field(default_factory=list)
    #: per file: why it was skipped, or None
    problems: list[str | None] = field(default_factory=list)
    #: what the load derived, for an unchanged folder: the posts as positions in the
    #: lists above, newest first, and the archive's indexes (opaque to this module)
    order: list[int] = field(default_factory=list)
    derived: Any = None

    def __len__(self) -> int:
        return len(self.relatives)

    def columns(self) -> list[list[Any]]:
        return [self.relatives, self.sizes, self.mtimes, self.fields, self.problems]

    def unchanged(self, relatives: list[str], sizes: list[int], mtimes: list[int]) -> bool:
        """Did a scan find exactly these files, sizes and times, in this order?"""
        return self.mtimes == mtimes and self.sizes == sizes and self.relatives == relatives


def cache_folder() -> Path:
    return platformdirs.user_cache_path("reader", appauthor=False) / "archives"


def cache_path(root: Path) -> Path:
    return cache_folder() / f"{archive_digest(root)[:20]}.load-cache"


def signature(root: Path) -> tuple[Any, ...]:
    """What must not change for the cache to apply: the folder's identity and config."""
    real = archive_id(root)
    info = os.stat(real)
    try:
        config = os.stat(os.path.join(real, "_config.yml"))
        config_sig: tuple[int, int] | None = (config.st_size, config.st_mtime_ns)
    except OSError:
        config_sig = None
    return (FORMAT_VERSION, real, info.st_dev, info.st_ino, config_sig)


#: The file: an 8-byte header length, the header (``marshal``: the signature and the length
#: of each part), then the parts, each one ``marshal`` blob: the chunks of files, the
#: posts' order, the derived indexes. Parts are read straight out of the file's bytes,
#: one at a time: no call holds the GIL for long, so a window loading on a thread stays
#: responsive.
_LENGTH = 8


def load(root: Path, settle: Callable[[], None] | None = None) -> Cached:
    """The cache for ``root``; an empty one when there is no usable cache.

    ``settle`` is called after each part is loaded (to collect garbage, say)."""
    path = cache_path(root)
    result = Cached()
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        size = int.from_bytes(data[:_LENGTH], "little")
        header, lengths = marshal.loads(data[_LENGTH : _LENGTH + size])
        if header != signature(root) or not isinstance(lengths, list) or len(lengths) < 2:
            return Cached()
        view = memoryview(data)
        offset = _LENGTH + size
        parts = []
        for length in lengths:
            parts.append(view[offset : offset + length])
            offset += length
        if offset != len(data):
            return Cached()
        for chunk in parts[:-2]:
            relatives, sizes, mtimes, fields, problems = marshal.loads(chunk)
            if not len(relatives) == len(sizes) == len(mtimes) == len(fields) == len(problems):
                return Cached()
            result.relatives += relatives
            result.sizes += sizes
            result.mtimes += mtimes
            result.fields += fields
            result.problems += problems
            if settle is not None:
                settle()
        order = array("i")
        order.frombytes(marshal.loads(parts[-2]))
        result.order = order.tolist()
        result.derived = marshal.loads(parts[-1])
    except (OSError, EOFError, ValueError, TypeError):
        return Cached()
    return result


def save(root: Path, columns: Sequence[list[Any]], *, order: list[int], derived: Any) -> None:
    """Write the cache atomically; failing to write it never fails a load.

    ``columns``: the files' relative paths, sizes, mtimes, fields and problems, in scan
    order, as :meth:`Cached.columns` gives them; ``order`` and ``derived`` as in
    :class:`Cached`."""
    relatives, sizes, mtimes, fields, problems = columns
    path = cache_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            parts = []
            for start in range(0, len(relatives), CHUNK):
                end = start + CHUNK
                chunk = (
                    relatives[start:end],
                    sizes[start:end],
                    mtimes[start:end],
                    fields[start:end],
                    problems[start:end],
                )
                parts.append(marshal.dumps(chunk))
            # The order as machine integers: one short copy, where a list of 100,000
            # Python ints would hold the GIL for its whole conversion.
            parts += [marshal.dumps(array("i", order).tobytes()), marshal.dumps(derived)]
            header = marshal.dumps((signature(root), [len(part) for part in parts]))
            with os.fdopen(handle, "wb") as stream:
                stream.write(len(header).to_bytes(_LENGTH, "little"))
                stream.write(header)
                for part in parts:
                    stream.write(part)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError):
        return
