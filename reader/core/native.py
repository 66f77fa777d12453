"""The optional compiled helpers (``reader/core/_fastio_c/``, built by ``setup.py``), behind
one import, as plain functions: each does its work in one compiled call when the helper
is built, and the same work in Python when it is not, with the same result. Nothing else
imports ``_fastio`` or asks whether it is there, but for :func:`stats_in_batches`.

Why each exists, with what it saves at 100,000 posts (``tests/benchmarks/native.py``,
processor time summed over every file; docs/architecture.md has the table): listing a
folder and stat'ing its files without the GIL and without an object per entry (the scan
626 → 286 ms) lets the load read its cache at the same time; reading a file's head is
four system calls in one (2.8 → 2.4 s); the plain front matter (5.6 → 2.3 s) and the
common date form (3.4 → 2.3 s) skip YAML and the date rules for most posts; the
posts sorted and indexed after each load and update in one pass (240 → 165 ms).
"""

from __future__ import annotations

import errno
import os
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.core.post import Post

try:
    from reader.core import _fastio as fastio
except ImportError:  # pragma: no cover - only where no C compiler built it
    fastio = None  # type: ignore[assignment]

#: Whether the compiled front-matter reader has been given the rules it follows. Given
#: at its first use, not at import: listing and stat'ing files (all ``reader search``
#: does with a current index) must not import YAML.
_rules_given: list[bool] = []

__all__ = [
    "DT_DIR",
    "DT_LNK",
    "DT_OTHER",
    "DT_REG",
    "DT_UNKNOWN",
    "common_date",
    "entry_type",
    "fastio",
    "give_front_matter_rules",
    "list_folder",
    "open_file",
    "read_head",
    "simple_front_matter",
    "stat_folders",
    "stats_in_batches",
    "type_of",
]

#: Entry types as ``readdir`` gives them (``d_type``): the same on every Unix.
DT_UNKNOWN, DT_DIR, DT_REG, DT_LNK, DT_OTHER = 0, 4, 8, 10, 1


def type_of(mode: int) -> int:
    """The entry type (``DT_*``) of a file of ``mode``."""
    if S_ISREG(mode):
        return DT_REG
    if S_ISDIR(mode):
        return DT_DIR
    return DT_LNK if S_ISLNK(mode) else DT_OTHER


def entry_type(entry: os.DirEntry[str]) -> int:
    if entry.is_symlink():
        return DT_LNK
    if entry.is_dir(follow_symlinks=False):
        return DT_DIR
    return DT_REG if entry.is_file(follow_symlinks=False) else DT_OTHER


def list_folder(folder: str) -> tuple[list[str], bytes | list[int]]:
    """The names of a folder's entries and their types (``DT_*``), in listing order:
    compiled, read without the GIL and without an object per entry."""
    if fastio is not None:
        return fastio.list_folder(folder)
    with os.scandir(folder) as iterator:
        entries = list(iterator)
    return [entry.name for entry in entries], [entry_type(entry) for entry in entries]


def stats_in_batches() -> bool:
    """Can :func:`stat_folders` stat whole folders' files without the GIL?"""
    return fastio is not None


def stat_folders(runs: list[tuple[str, list[str]]]) -> list[tuple[bytes, bytes, bytes]]:
    """Per run (a folder and names in it): the files' sizes, mtimes (ns) and errors
    (0 when stat'ed). Only where :func:`stats_in_batches`."""
    assert fastio is not None, "only where stats_in_batches()"
    return fastio.stat_folders(runs)


#: Opening never waits: a named pipe put in a post's place since the scan opens at once,
#: and is then refused as what it is.
FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def open_file(path: str, folder: int | None) -> tuple[int, os.stat_result]:
    """An open regular file and its status; OSError for anything else."""
    descriptor = os.open(path, FILE_FLAGS, dir_fd=folder)
    try:
        info = os.fstat(descriptor)
        if not S_ISREG(info.st_mode):  # as the C reader says it
            code = errno.EISDIR if S_ISDIR(info.st_mode) else errno.EINVAL
            raise OSError(code, os.strerror(code), path)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, info


def read_head(path: str, folder: int | None, limit: int) -> tuple[bytes, int, int]:
    """A file's first ``limit`` bytes, its size and its mtime (ns), taken from the open
    file: a cache entry then always describes the very contents it holds."""
    if fastio is not None:  # the same four calls in one
        return fastio.read_head(path, -1 if folder is None else folder, limit)
    descriptor, info = open_file(path, folder)
    try:
        return os.read(descriptor, limit), info.st_size, info.st_mtime_ns
    finally:
        os.close(descriptor)


def simple_front_matter(raw: bytes, complete: bool) -> dict[str, Any] | None:
    """The front matter of ``raw`` (a file's first bytes) when it is plain (UTF-8,
    ``key: value`` lines), as the full reading would give it; None sends the file there
    (always, without the helper)."""
    if fastio is None:
        return None
    if not _rules_given:
        give_front_matter_rules()
    return fastio.simple_front_matter(raw, complete)


def give_front_matter_rules() -> None:
    """Give the compiled front-matter reader the rules it follows (done at its first use)."""
    from reader.core import front_matter

    if fastio is not None:
        fastio.set_front_matter_rules(*front_matter.fast_rules())
    _rules_given.append(True)


def common_date(value: object) -> tuple[int, int, int, int, int, int, int, int | None, float] | None:
    """A date written the way most archives write it (``2022-06-01 15:43:26 +0800``), as
    its parts, offset (seconds) and timestamp; None sends it to the full date rules
    (always, without the helper). Called by :func:`reader.core.dates.post_moment` only."""
    return None if fastio is None else fastio.common_date(value)


#: What :func:`sort_and_index` gives: by category, by tag, by (year, month), each name's
#: positions as the bytes of an ``array("i")``; and the posts' problem count.
Packed = tuple[dict[str, bytes], dict[str, bytes], dict[tuple[int, int], bytes], int]


def sort_and_index(posts: list[Post]) -> Packed | None:
    """Sort ``posts`` in place newest first (of the same moment, by path descending) and
    index them by category, tag and month, in one compiled pass that lets go of the GIL
    while it sorts; None, with the list untouched, where the helper is not built or a
    post is not of the usual shape: then :mod:`reader.core.indexes` does both in Python,
    the same way (``tests/core/test_fastio.py`` compares them)."""
    if fastio is None:
        return None
    return fastio.sort_posts(posts, "timestamp", "path", "categories", "tags", "written", "problems")
