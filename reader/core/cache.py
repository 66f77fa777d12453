"""The persistent load cache: what each file gave last time, validated by size and mtime.

One file per archive in the user cache folder. It holds, per candidate file in the
order the folder scan met them, its path, size, modification time in nanoseconds and
what reading it gave (a :class:`~reader.core.post.Post`, or the reason it was skipped). A file
whose size or mtime differ is read again; entries for files that are gone are dropped.
The whole cache is ignored (and rebuilt) when it cannot be read, when its format version
differs, when it belongs to another folder, when the folder at this path is a different
one (another inode), or when ``_config.yml`` changed (its timezone decides naive dates).

It also keeps what the last load derived from those files (the posts' order and the
category, tag and month indexes). That is reused only when the new scan found exactly
the same files, sizes and times in the same order: then nothing can differ.

The files' part is msgpack, typed by :mod:`msgspec`, with the posts as columns
(:mod:`reader.core.post_columns`: checked against their declaration, each set of
categories or tags one shared tuple); the rest is ``marshal``: only plain values. Loading
never runs code.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import tempfile
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from reader.core import user_folders
from reader.core.names import archive_digest, archive_id, shown
from reader.core.post import Post
from reader.core.post_columns import PostColumns, Shared
from reader.core.resources import open_regular

#: Bump when what is stored, or what a load derives from it, changes.
FORMAT_VERSION = 16
#: Files per chunk: loading one takes about a millisecond.
CHUNK = 1000


@dataclass(slots=True)
class Cached:
    """One archive's cache, in the scan order of the load that wrote it."""

    relatives: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    #: per file: its post, or None when it is not a post
    fields: list[Post | None] = field(default_factory=list)
    #: per file: why it was skipped, or None
    problems: list[str | None] = field(default_factory=list)
    #: what the load derived, for an unchanged folder: the posts as positions in the
    #: lists above, newest first, and the archive's indexes (opaque to this module)
    order: list[int] = field(default_factory=list)
    derived: Any = None
    #: what the scan that found these files said: how many folders it read, and the
    #: folders and entries it could not use (path, why)
    folders_read: int = 0
    scan_problems: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.relatives)

    def columns(self) -> list[list[Any]]:
        return [self.relatives, self.sizes, self.mtimes, self.fields, self.problems]

    def unchanged(self, relatives: list[str], sizes: list[int], mtimes: list[int]) -> bool:
        """Did a scan find exactly these files, sizes and times, in this order?"""
        return self.mtimes == mtimes and self.sizes == sizes and self.relatives == relatives


def cache_folder() -> Path:
    return user_folders.archive_caches()


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


#: The file: :data:`_MAGIC`, the header's length (8 bytes) and CRC-32 (4 bytes), the header
#: (``marshal``: the signature, and the length and CRC-32 of each part), then the parts:
#: the chunks of files (each a msgpack :class:`_Chunk`), then the scan's facts, the posts'
#: order and the derived indexes (each one ``marshal`` blob).
#: Parts are read straight out of the file's bytes, one at a time: no call holds the GIL
#: for long, so a window loading on a thread stays responsive. Each part is checked
#: against its CRC-32 before it is unmarshalled (``zlib.crc32`` lets go of the GIL): a
#: damaged byte anywhere makes the whole cache unusable, never a wrong value.
_MAGIC = b"RDRLOAD\x00"
_LENGTH = 8
_CHECK = 4
_START = len(_MAGIC) + _LENGTH + _CHECK

log = logging.getLogger(__name__)


class _Chunk(msgspec.Struct, array_like=True):
    """:data:`CHUNK` files of a :class:`Cached`, as one part of the file."""

    relatives: list[str]
    sizes: list[int]
    mtimes: list[int]
    posts: PostColumns
    problems: list[str | None]


_CHUNK_ENCODER = msgspec.msgpack.Encoder()
_CHUNK_DECODER = msgspec.msgpack.Decoder(_Chunk)


def _read(path: Path) -> bytes | None:
    """The cache file's bytes; None when it is missing, unreadable or not a plain file
    (a named pipe at the cache's path would otherwise hold the load forever)."""
    handle = open_regular(path)
    if handle is None:
        return None
    with handle:
        try:
            return handle.read()
        except OSError:
            return None


def load(root: Path) -> Cached:
    """The cache for ``root``; an empty one when there is no usable cache (missing,
    unreadable, not a plain file, damaged, truncated, of another version or folder)."""
    data = _read(cache_path(root))
    if data is None:
        return Cached()
    try:
        return _parse(root, data)
    except (OSError, EOFError, ValueError, TypeError, msgspec.MsgspecError):
        return Cached()


def _parse(root: Path, data: bytes) -> Cached:
    if not data.startswith(_MAGIC):
        return Cached()
    size = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + _LENGTH], "little")
    check = int.from_bytes(data[len(_MAGIC) + _LENGTH : _START], "little")
    view = memoryview(data)
    raw_header = view[_START : _START + size]
    if len(raw_header) != size or zlib.crc32(raw_header) != check:
        return Cached()
    header, parts_info = marshal.loads(raw_header)
    if header != signature(root) or not isinstance(parts_info, list) or len(parts_info) < 3:
        return Cached()
    offset = _START + size
    parts = []
    for length, crc in parts_info:
        part = view[offset : offset + length]
        if len(part) != length or zlib.crc32(part) != crc:
            return Cached()
        parts.append(part)
        offset += length
    if offset != len(data):
        return Cached()
    result = Cached()
    shared: Shared = {}
    for part in parts[:-3]:
        chunk = _CHUNK_DECODER.decode(part)
        relatives = chunk.relatives
        if len(relatives) != chunk.posts.count:
            return Cached()
        posts = chunk.posts.posts(shared, paths=relatives)  # the posts share the paths' strings
        if not len(relatives) == len(chunk.sizes) == len(chunk.mtimes) == len(posts) == len(chunk.problems):
            return Cached()
        result.relatives += relatives
        result.sizes += chunk.sizes
        result.mtimes += chunk.mtimes
        result.fields += posts
        result.problems += chunk.problems
    result.folders_read, result.scan_problems = marshal.loads(parts[-3])
    if not isinstance(result.folders_read, int) or not isinstance(result.scan_problems, list):
        return Cached()
    order = array("i")
    order.frombytes(marshal.loads(parts[-2]))
    result.order = order.tolist()
    result.derived = marshal.loads(parts[-1])
    return result


def save(
    root: Path,
    columns: Sequence[list[Any]],
    *,
    order: list[int],
    derived: Any,
    scan: tuple[int, list[tuple[str, str]]] = (0, []),
) -> bool:
    """Write the cache atomically; failing to write it never fails a load. Returns
    whether it was written; when it was not (a full disk, a read-only or unwritable
    folder), says why as a warning of this module's logger.

    ``columns``: the files' relative paths, sizes, mtimes, fields and problems, in scan
    order, as :meth:`Cached.columns` gives them; ``order`` and ``derived`` as in
    :class:`Cached`; ``scan``: its ``folders_read`` and ``scan_problems``."""
    relatives, sizes, mtimes, fields, problems = columns
    path = cache_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            parts = []
            for start in range(0, len(relatives), CHUNK):
                end = start + CHUNK
                chunk = _Chunk(
                    relatives[start:end],
                    sizes[start:end],
                    mtimes[start:end],
                    PostColumns.of(fields[start:end], paths=False),
                    problems[start:end],
                )
                parts.append(_CHUNK_ENCODER.encode(chunk))
            # The order as machine integers: one short copy, where a list of 100,000
            # Python ints would hold the GIL for its whole conversion.
            parts += [marshal.dumps(scan), marshal.dumps(array("i", order).tobytes()), marshal.dumps(derived)]
            header = marshal.dumps((signature(root), [(len(part), zlib.crc32(part)) for part in parts]))
            with os.fdopen(handle, "wb") as stream:
                stream.write(_MAGIC)
                stream.write(len(header).to_bytes(_LENGTH, "little"))
                stream.write(zlib.crc32(header).to_bytes(_CHECK, "little"))
                stream.write(header)
                for part in parts:
                    stream.write(part)
            if path.is_dir() and not path.is_symlink():
                path.rmdir()  # an empty folder in the cache's place; anything else is kept
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, ValueError) as error:
        _warn_once(path, error)
        return False
    return True


_warned: set[tuple[str, str]] = set()


def _warn_once(path: Path, error: Exception) -> None:
    """Say once per process why the cache at ``path`` cannot be written."""
    if isinstance(error, OSError) and error.strerror:
        reason, where = error.strerror, shown(os.fsdecode(error.filename or path))
    else:
        reason, where = str(error), shown(str(path))
    if (where, reason) not in _warned:
        _warned.add((where, reason))
        log.warning("the load cache cannot be written (%s: %s); loading goes on without it", reason, where)
