"""Walking an archive folder for the files that may be posts, as Jekyll reads it.

What counts as a candidate post:

* under a ``_posts`` folder at any depth, a file whose name matches Jekyll's
  ``DATE_FILENAME_MATCHER`` (Jekyll's special names skipped); under ``_drafts``, any
  file with an extension (a draft: flagged unpublished);
* anywhere else, a text file (:data:`TEXT_EXTENSIONS`) that starts with front matter
  and has a date, in its front matter or its file name. This is how archives keep
  posts moved out of ``_posts`` (``old_post/``) and plain folders of posts.

Problems are data: every file either becomes a post (its problems attached) or is
skipped with a :class:`~reader.core.problem.Problem` on the archive. Nothing raises but
an unusable root folder (:class:`ArchiveError`).
"""

from __future__ import annotations

import errno
import os
from array import array
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISFIFO, S_ISSOCK
from typing import Any, Literal, TypeVar

from reader.core import jekyll, native
from reader.core.problem import Problem

TEXT_EXTENSIONS = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm", ".txt", ".text"})
_TEXT_SUFFIXES = tuple(TEXT_EXTENSIONS)
#: Folders never read: Jekyll's output, caches, dependencies and theme parts.
SKIPPED_FOLDERS = frozenset(
    {"_site", ".git", "node_modules", "vendor", ".jekyll-cache", "_layouts", "_includes", "_sass", "_data"}
)
_STAT_AT = os.stat in os.supports_dir_fd
_OPEN_AT = os.open in os.supports_dir_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)

Kind = Literal["post", "draft", "other"]
T = TypeVar("T")


class ArchiveError(Exception):
    """The archive folder itself cannot be used (missing, not a folder, unreadable)."""


@dataclass(slots=True)
class ScanResult:
    """The candidate files, as columns (one list per field: no object per file).

    Sizes and mtimes (ns) are 0 when the scan was asked not to ``stat`` the files."""

    root: str = ""
    relatives: list[str] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders_read: int = 0

    def columns(self) -> list[list[Any]]:
        return [self.relatives, self.kinds, self.sizes, self.mtimes]


def _folder_rule(kind: Kind, below: str, name: str) -> tuple[Kind, str] | None:
    """Is the folder ``name`` walked, in a folder of ``kind`` (``below``: the path below
    the nearest ``_posts``/``_drafts``)? Its own kind and ``below`` if so."""
    if name[0] == "." or name in SKIPPED_FOLDERS:
        return None
    if kind != "other" and jekyll.is_special_entry(below + name):
        return None  # Jekyll skips special names below _posts, folders too
    if name == jekyll.POSTS_DIR:
        return "post", ""
    if name == jekyll.DRAFTS_DIR and kind == "other":
        return "draft", ""
    return kind, (below + name + "/" if kind != "other" else "")


def is_candidate(kind: Kind, below: str, name: str) -> bool:
    """Is the file ``name``, in a folder of ``kind``, a candidate post?"""
    if kind == "post":
        return not jekyll.is_special_entry(below + name) and jekyll.DATE_FILENAME.match(name) is not None
    if kind == "draft":
        return not jekyll.is_special_entry(below + name) and jekyll.DATELESS_FILENAME.match(name) is not None
    return name[0] != "." and name.lower().endswith(_TEXT_SUFFIXES)


def _candidates(kind: Kind, below: str, names: list[str]) -> list[str]:
    """The regular files ``names`` that :func:`is_candidate` takes, in their order."""
    if kind == "other":  # most files: the rule inlined
        return [name for name in names if name[0] != "." and name.lower().endswith(_TEXT_SUFFIXES)]
    return [name for name in names if is_candidate(kind, below, name)]


def folder_kind(folder: str) -> tuple[Kind, str] | None:
    """The kind and ``below`` of the folder at the relative path ``folder`` ("" is the
    root), by the scan's rules; None when the scan does not walk it."""
    kind: Kind = "other"
    below = ""
    for name in folder.split("/") if folder else ():
        inside = _folder_rule(kind, below, name)
        if inside is None:
            return None
        kind, below = inside
    return kind, below


def scan(root: Path | str, *, stat: bool = True) -> ScanResult:
    """Walk ``root`` for candidate files. Symlinks are followed only while they stay
    inside the archive, and a folder is never read twice (no loops).

    Which rule applies is decided once per folder (below ``_posts``, below ``_drafts``,
    or elsewhere), so each file costs one name test and one ``stat`` (none with
    ``stat=False``: for a load with nothing to check the files against).
    """
    return scan_meanwhile(root, stat=stat)[0]


def unusable_folder(root: Path | str) -> str | None:
    """Why ``root`` cannot be an archive (``"ROOT: no such folder"``...), or None: the
    one wording of the command line and the window."""
    if not os.path.isdir(root):
        return f"{root}: not a folder" if os.path.exists(root) else f"{root}: no such folder"
    if not os.access(root, os.R_OK | os.X_OK):
        return f"{root}: folder cannot be read (permission denied)"
    return None


def scan_meanwhile(
    root: Path | str, *, stat: bool = True, meanwhile: Callable[[], T] | None = None
) -> tuple[ScanResult, T | None]:
    """:func:`scan`, calling ``meanwhile()`` (and giving what it returned) while the
    files are stat'ed: with the compiled helper that is done on a thread, without the
    GIL, so ``meanwhile`` runs at the same time."""
    walk = _Walk(root, stat=stat)
    unusable = unusable_folder(root)
    if unusable is not None:
        raise ArchiveError(unusable)
    walking = [walk.folder(str(root), "", "other", "")]
    while walking:
        subfolder = next(walking[-1], None)
        if subfolder is None:
            walking.pop()
        else:
            walking.append(walk.folder(*subfolder))
    returned = walk.stat_runs(meanwhile)
    return walk.result, returned


#: A folder to walk: its path, its path relative to the root (with a trailing "/"; ""
#: for the root), its kind and the path below the nearest ``_posts``/``_drafts`` ("" at it).
Subfolder = tuple[str, str, Kind, str]


class _Walk:
    """One scan's walk: what it found so far, and how it stats files."""

    def __init__(self, root: Path | str, *, stat: bool) -> None:
        self.result = ScanResult(str(root))
        # With the compiled helper the files are listed first (sizes and mtimes left 0),
        # then stat'ed in runs of one folder's files: (folder, names) and where each run
        # starts (see stat_runs).
        self.batching = stat and native.stats_in_batches()
        self.runs: list[tuple[str, list[str]]] = []
        self.run_starts: list[int] = []
        self.root_real = os.path.realpath(root)
        self.root_prefix = self.root_real.rstrip(os.sep) + os.sep
        self.seen: set[tuple[int, int]] = set()
        self.stat_at = os.stat if stat and not self.batching else None
        self.stat_by_descriptor = _STAT_AT and self.stat_at is not None

    def folder(self, folder: str, prefix: str, kind: Kind, below: str) -> Iterator[Subfolder]:
        """Walk one folder, yielding each subfolder to walk (its files come between this
        folder's, as they are listed): the caller walks it before going on with this one.
        A stack of these, not recursion: folders nested thousands deep overflow nothing."""
        # ``below``: the path below the nearest ``_posts``/``_drafts`` folder ("" at it).
        result = self.result
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in self.seen:
                return
            self.seen.add((info.st_dev, info.st_ino))
            names_listed, types = _list_folder(folder)
        except OSError as error:
            where = prefix.rstrip("/") or "."
            result.problems.append(Problem(where, f"folder cannot be read: {error.strerror}"))
            return
        result.folders_read += 1
        if self.stat_at is None and types.count(_DT_REG) == len(types):
            # Regular files only (the folders of posts): chosen in one pass, and added
            # in bulk. At 100,000 files this is 15 ms, the loop in entries 50.
            chosen = _candidates(kind, below, names_listed)
            if chosen and self.batching:
                self.runs.append((folder, chosen))
                self.run_starts.append(len(result.relatives))
            result.relatives += map(prefix.__add__, chosen)
            result.kinds += repeat(kind, len(chosen))
            result.sizes += repeat(0, len(chosen))
            result.mtimes += repeat(0, len(chosen))
            return
        yield from self.entries((folder, prefix, kind, below), names_listed, types)

    def entries(
        self, where: Subfolder, names_listed: list[str], types: bytes | list[int]
    ) -> Iterator[Subfolder]:
        """The entries of the folder ``where`` one by one: candidates added, subfolders
        yielded."""
        folder, prefix, kind, below = where
        base = folder.rstrip(os.sep) + os.sep
        names: list[str] | None = None  # the files of this folder's current run
        # Files are stat'ed by name relative to an open folder: the kernel then does not
        # walk the whole path again for each of 100,000 files. Opened when a file needs
        # it, closed while a subfolder is walked: one open folder at a time, at any depth.
        descriptor: int | None = None
        try:
            for name, type_ in zip(names_listed, types, strict=True):
                try:
                    if type_ != _DT_REG:
                        what = self.other_entry(where, name, type_)
                        if isinstance(what, tuple):
                            if descriptor is not None:
                                os.close(descriptor)
                                descriptor = None
                            yield base + name, prefix + name + "/", *what
                            names = None  # the subfolder's files come between
                            continue
                        if not what:
                            continue
                    if not is_candidate(kind, below, name):
                        continue
                    if self.batching:
                        if names is None:
                            names = []
                            self.runs.append((folder, names))
                            self.run_starts.append(len(self.result.relatives))
                        names.append(name)
                    if self.stat_by_descriptor and descriptor is None:
                        descriptor = os.open(folder, _FOLDER_FLAGS)
                    size, mtime = self.stamp(base, name, descriptor)
                except OSError:
                    continue
                self.add(prefix + name, kind, size, mtime)
        finally:
            if descriptor is not None:
                os.close(descriptor)

    def stamp(self, base: str, name: str, descriptor: int | None) -> tuple[int, int]:
        """The size and mtime (ns) of the file ``name`` in the folder ``base`` (open as
        ``descriptor``, when it is); 0 and 0 when the scan does not stat files now."""
        if self.stat_at is None:
            return 0, 0
        info = self.stat_at(name if descriptor is not None else base + name, dir_fd=descriptor)
        return info.st_size, info.st_mtime_ns

    def add(self, relative: str, kind: Kind, size: int, mtime: int) -> None:
        result = self.result
        result.relatives.append(relative)
        result.kinds.append(kind)
        result.sizes.append(size)
        result.mtimes.append(mtime)

    def other_entry(self, where: Subfolder, name: str, type_: int) -> tuple[Kind, str] | bool:
        """What an entry of the folder ``where`` not listed as a regular file is: a
        folder to walk (its kind and ``below``), True for a regular file (through a
        link), False for anything else, told as a problem when it is named like a post.
        Raises OSError."""
        folder, prefix, kind, below = where
        base = folder.rstrip(os.sep) + os.sep
        mode = 0  # of what the entry is, once known
        if type_ == _DT_UNKNOWN:  # the file system does not say
            mode = os.lstat(base + name).st_mode
            type_ = native.type_of(mode)
        link = type_ == _DT_LNK
        if link:
            real = os.path.realpath(base + name)
            if real != self.root_real and not real.startswith(self.root_prefix):
                message = "symbolic link leads outside the archive; not followed"
                self.result.problems.append(Problem(prefix + name, message))
                return False
            try:
                mode = os.stat(base + name).st_mode
            except OSError as error:
                if is_candidate(kind, below, name):  # named like a post
                    self.result.problems.append(Problem(prefix + name, _broken_link(error)))
                return False
            type_ = native.type_of(mode)
        if type_ == _DT_DIR:
            inside = _folder_rule(kind, below, name)
            return False if inside is None else inside
        if type_ != _DT_REG:
            # A fifo, socket or device, or a link to one: reading it could block, so it
            # is never opened; named like a post, it is told.
            if is_candidate(kind, below, name):
                why = _not_a_file(mode or os.stat(base + name).st_mode, link)
                self.result.problems.append(Problem(prefix + name, why))
            return False
        return True

    def stat_runs(self, meanwhile: Callable[[], T] | None) -> T | None:
        """Stat the files listed in runs (with the compiled helper, on a thread, without
        the GIL), calling ``meanwhile()`` at the same time; what it returned. Files gone
        since they were listed are left out."""
        if not self.runs:
            return None if meanwhile is None else meanwhile()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-stats") as pool:
            stats = pool.submit(native.stat_folders, self.runs)  # the C call lets go of the GIL
            try:
                returned = None if meanwhile is None else meanwhile()
            finally:
                stamped = stats.result()
        result = self.result
        gone: list[int] = []
        for start, (_, names), (sizes, mtimes, errors) in zip(
            self.run_starts, self.runs, stamped, strict=True
        ):
            where = slice(start, start + len(names))
            result.sizes[where], result.mtimes[where] = array("q", sizes), array("q", mtimes)
            failed = array("i", errors)
            if failed.count(0) != len(failed):  # files gone since the listing: left out
                gone += [start + at for at, error in enumerate(failed) if error]
        if gone:
            kept = [True] * len(result.relatives)
            for at in gone:
                kept[at] = False
            for column in result.columns():
                column[:] = compress(column, kept)
        return returned


_DT_UNKNOWN, _DT_DIR, _DT_REG, _DT_LNK = native.DT_UNKNOWN, native.DT_DIR, native.DT_REG, native.DT_LNK


#: What a file that is not a regular one is, by its mode.
_SPECIAL_FILES = (
    (S_ISFIFO, "named pipe"),
    (S_ISSOCK, "socket"),
    (S_ISCHR, "character device"),
    (S_ISBLK, "block device"),
)


def _not_a_file(mode: int, link: bool) -> str:
    """The problem of a fifo, socket or device named like a post (never opened)."""
    what = next((name for test, name in _SPECIAL_FILES if test(mode)), "special file")
    if link:
        what = f"symbolic link to a {what}"
    return f"{what}, not a regular file: never opened (reading it could block)"


def _broken_link(error: OSError) -> str:
    """The problem of a symbolic link named like a post that leads nowhere."""
    if error.errno == errno.ENOENT:
        return "symbolic link to nothing; skipped"
    return f"symbolic link cannot be followed: {error.strerror}; skipped"


def _list_folder(folder: str) -> tuple[list[str], bytes | list[int]]:
    """The names of a folder's entries and their types (see :func:`native.list_folder`)."""
    return native.list_folder(folder)
