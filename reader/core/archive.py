"""Scan an archive folder into posts and indexes, as Jekyll reads it.

What counts as a post:

* under a ``_posts`` folder at any depth, a file whose name matches Jekyll's
  ``DATE_FILENAME_MATCHER`` (Jekyll's special names skipped); under ``_drafts``, any
  file with an extension (a draft: flagged unpublished);
* anywhere else, a text file (:data:`TEXT_EXTENSIONS`) that starts with front matter
  and has a date, in its front matter or its file name. This is how archives keep
  posts moved out of ``_posts`` (``old_post/``) and plain folders of posts.

Problems are data: every file either becomes a post (its problems attached) or is
skipped with a :class:`~reader.core.post.Problem` on the archive. Nothing raises but
an unusable root folder (:class:`ArchiveError`).
"""

from __future__ import annotations

import errno
import gc
import os
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import InitVar, dataclass, field
from datetime import datetime, tzinfo
from functools import partial
from itertools import compress, islice, repeat
from operator import attrgetter, eq, itemgetter, not_
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISLNK, S_ISREG, S_ISSOCK
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

import yaml

from reader.core import cache, front_matter, jekyll

try:  # the compiled helpers (setup.py); without them the same work is done in Python
    from reader.core import _fastio
except ImportError:  # pragma: no cover - only where no C compiler built it
    _fastio = None  # type: ignore[assignment]
else:
    _fastio.set_front_matter_rules(*front_matter.fast_rules())
from reader.core.names import shown as shown_name
from reader.core.post import (
    CATEGORIES,
    KEY,
    MONTH,
    PATH,
    PROBLEMS,
    TAGS,
    TIMESTAMP,
    YEAR,
    Post,
    PostList,
    Problem,
    Row,
)
from reader.core.resources import open_inside, open_post_file

TEXT_EXTENSIONS = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm", ".txt", ".text"})
_TEXT_SUFFIXES = tuple(TEXT_EXTENSIONS)
#: Folders never read: Jekyll's output, caches, dependencies and theme parts.
SKIPPED_FOLDERS = frozenset(
    {"_site", ".git", "node_modules", "vendor", ".jekyll-cache", "_layouts", "_includes", "_sass", "_data"}
)
_STAT_AT = os.stat in os.supports_dir_fd
_OPEN_AT = os.open in os.supports_dir_fd
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
#: Most front matter fits here; a longer one is read in full.
HEAD_BYTES = 16 * 1024

Kind = Literal["post", "draft", "other"]
T = TypeVar("T")
Progress = Callable[[int, int], None]


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


def _file_rule(kind: Kind, below: str, name: str) -> bool:
    """Is the file ``name``, in a folder of ``kind``, a candidate post?"""
    if kind == "post":
        return not jekyll.is_special_entry(below + name) and jekyll.DATE_FILENAME.match(name) is not None
    if kind == "draft":
        return not jekyll.is_special_entry(below + name) and jekyll.DATELESS_FILENAME.match(name) is not None
    return name[0] != "." and name.lower().endswith(_TEXT_SUFFIXES)


def _candidates(kind: Kind, below: str, names: list[str]) -> list[str]:
    """The regular files ``names`` that :func:`_file_rule` takes, in their order."""
    if kind == "other":  # most files: the rule inlined
        return [name for name in names if name[0] != "." and name.lower().endswith(_TEXT_SUFFIXES)]
    return [name for name in names if _file_rule(kind, below, name)]


def _folder_kind(folder: str) -> tuple[Kind, str] | None:
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


def scan_meanwhile(
    root: Path | str, *, stat: bool = True, meanwhile: Callable[[], T] | None = None
) -> tuple[ScanResult, T | None]:
    """:func:`scan`, calling ``meanwhile()`` (and giving what it returned) while the
    files are stat'ed: with the compiled helper that is done on a thread, without the
    GIL, so ``meanwhile`` runs at the same time."""
    result = ScanResult(str(root))
    # With the compiled helper the files are listed first (sizes and mtimes left 0),
    # then stat'ed in runs of one folder's files: (folder, names) and where each run starts.
    batching = stat and _fastio is not None
    runs: list[tuple[str, list[str]]] = []
    run_starts: list[int] = []
    root_real = os.path.realpath(root)
    root_prefix = root_real.rstrip(os.sep) + os.sep
    seen: set[tuple[int, int]] = set()
    add_relative, add_kind = result.relatives.append, result.kinds.append
    add_size, add_mtime = result.sizes.append, result.mtimes.append
    stat_at = os.stat if stat and not batching else None
    is_candidate = _file_rule

    stat_by_descriptor = _STAT_AT and stat_at is not None

    def walk(folder: str, prefix: str, kind: Kind, below: str) -> Iterator[tuple[str, str, Kind, str]]:
        """Walk one folder, yielding each subfolder to walk (its files come between this
        folder's, as they are listed): the caller walks it before going on with this one.
        A stack of these, not recursion: folders nested thousands deep overflow nothing."""
        # ``below``: the path below the nearest ``_posts``/``_drafts`` folder ("" at it).
        where = prefix.rstrip("/") or "."
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                return
            seen.add((info.st_dev, info.st_ino))
            names_listed, types = _list_folder(folder)
        except OSError as error:
            result.problems.append(Problem(where, f"folder cannot be read: {error.strerror}"))
            return
        result.folders_read += 1
        if stat_at is None and types.count(_DT_REG) == len(types):
            # Regular files only (the folders of posts): chosen in one pass, and added
            # in bulk. At 100,000 files this is 15 ms, the loop below 50.
            chosen = _candidates(kind, below, names_listed)
            if chosen and batching:
                runs.append((folder, chosen))
                run_starts.append(len(result.relatives))
            result.relatives += map(prefix.__add__, chosen)
            result.kinds += repeat(kind, len(chosen))
            result.sizes += repeat(0, len(chosen))
            result.mtimes += repeat(0, len(chosen))
            return
        base = folder.rstrip(os.sep) + os.sep
        names: list[str] | None = None  # the files of this folder's current run
        # Files are stat'ed by name relative to an open folder: the kernel then does not
        # walk the whole path again for each of 100,000 files. Opened when a file needs
        # it, closed while a subfolder is walked: one open folder at a time, at any depth.
        descriptor: int | None = None
        try:
            for name, listed_type in zip(names_listed, types, strict=True):
                type_ = listed_type
                try:
                    if type_ != _DT_REG:
                        mode = 0  # of what the entry is, once known
                        if type_ == _DT_UNKNOWN:  # the file system does not say
                            mode = os.lstat(base + name).st_mode
                            type_ = _type_of(mode)
                        link = type_ == _DT_LNK
                        if link:
                            real = os.path.realpath(base + name)
                            if real != root_real and not real.startswith(root_prefix):
                                message = "symbolic link leads outside the archive; not followed"
                                result.problems.append(Problem(prefix + name, message))
                                continue
                            try:
                                mode = os.stat(base + name).st_mode
                            except OSError as error:
                                if is_candidate(kind, below, name):  # named like a post
                                    why = _broken_link(error)
                                    result.problems.append(Problem(prefix + name, why))
                                continue
                            type_ = _type_of(mode)
                        if type_ == _DT_DIR:
                            inside = _folder_rule(kind, below, name)
                            if inside is not None:
                                if descriptor is not None:
                                    os.close(descriptor)
                                    descriptor = None
                                yield base + name, prefix + name + "/", *inside
                                names = None  # the subfolder's files come between
                            continue
                        if type_ != _DT_REG:
                            # A fifo, socket or device, or a link to one: reading it could
                            # block, so it is never opened; named like a post, it is told.
                            if is_candidate(kind, below, name):
                                if not mode:
                                    mode = os.stat(base + name).st_mode
                                why = _not_a_file(mode, link)
                                result.problems.append(Problem(prefix + name, why))
                            continue
                    if not is_candidate(kind, below, name):
                        continue
                    if batching:
                        if names is None:
                            names = []
                            runs.append((folder, names))
                            run_starts.append(len(result.relatives))
                        names.append(name)
                    if stat_at is None:
                        size = mtime = 0
                    else:
                        if stat_by_descriptor and descriptor is None:
                            descriptor = os.open(folder, _FOLDER_FLAGS)
                        at = name if descriptor is not None else base + name
                        info = stat_at(at, dir_fd=descriptor)
                        size, mtime = info.st_size, info.st_mtime_ns
                except OSError:
                    continue
                add_relative(prefix + name)
                add_kind(kind)
                add_size(size)
                add_mtime(mtime)
        finally:
            if descriptor is not None:
                os.close(descriptor)

    if not os.path.isdir(root):
        raise ArchiveError(f"{root}: not a folder" if os.path.exists(root) else f"{root}: no such folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ArchiveError(f"{root}: folder cannot be read (permission denied)")
    walking = [walk(str(root), "", "other", "")]
    while walking:
        subfolder = next(walking[-1], None)
        if subfolder is None:
            walking.pop()
        else:
            walking.append(walk(*subfolder))
    if not runs:
        return result, None if meanwhile is None else meanwhile()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-stats") as pool:
        stats = pool.submit(_fastio.stat_folders, runs)  # the C call lets go of the GIL
        try:
            returned = None if meanwhile is None else meanwhile()
        finally:
            stamped = stats.result()
    gone: list[int] = []
    for start, (_, names), (sizes, mtimes, errors) in zip(run_starts, runs, stamped, strict=True):
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
    return result, returned


#: Entry types as ``readdir`` gives them (``d_type``): the same on every Unix.
_DT_UNKNOWN, _DT_DIR, _DT_REG, _DT_LNK, _DT_OTHER = 0, 4, 8, 10, 1


def _type_of(mode: int) -> int:
    if S_ISREG(mode):
        return _DT_REG
    if S_ISDIR(mode):
        return _DT_DIR
    return _DT_LNK if S_ISLNK(mode) else _DT_OTHER


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
    """The names of a folder's entries and their types (``_DT_*``), in listing order:
    with the compiled helper, read without the GIL and without an object per entry."""
    if _fastio is not None:
        return _fastio.list_folder(folder)
    with os.scandir(folder) as iterator:
        entries = list(iterator)
    return [entry.name for entry in entries], [_entry_type(entry) for entry in entries]


def _entry_type(entry: os.DirEntry[str]) -> int:
    if entry.is_symlink():
        return _DT_LNK
    if entry.is_dir(follow_symlinks=False):
        return _DT_DIR
    return _DT_REG if entry.is_file(follow_symlinks=False) else _DT_OTHER


# --- reading one file ----------------------------------------------------------------

#: What reading one file gives, in plain values (so it crosses processes and caches),
#: laid out as a :class:`Post` is: (key, path, title, year, month, day, hour, minute,
#: second, microsecond, UTC offset seconds or None, timestamp, categories, tags,
#: published, draft, problems).
Fields = Row


#: What reading one file gives: (fields or None, problem or None, size, mtime in ns).
#: Fields None and problem None: not a post, nothing worth telling (a page, say).
#: Size and mtime are those of the file as it was read (0 when it could not be opened).
Reading = tuple[Fields | None, str | None, int, int]


#: The most of a file a load reads looking for the end of its front matter (8 MiB): past
#: that, a post is read as having none (and told), whatever its size.
FRONT_MATTER_SEARCH_BYTES = 8 * 1024 * 1024


def _read_rest(path: str, folder: int | None) -> bytes:
    """A file's first :data:`FRONT_MATTER_SEARCH_BYTES`, and one more byte if it has it."""
    descriptor, _ = _open_file(path, folder)
    with open(descriptor, "rb") as handle:
        return handle.read(FRONT_MATTER_SEARCH_BYTES + 1)


def _is_utf8_prefix(raw: bytes, complete: bool) -> bool:
    """Is ``raw`` valid UTF-8, allowing a character cut at the end of a partial read?"""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return not complete and error.start >= len(raw) - 3 and error.reason == "unexpected end of data"
    return True


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return " ".join(line.strip() for line in text[:1]) if text else type(error).__name__


#: The front-matter keys a load reads: of front matter too long for YAML, only these are
#: read (line by line), so that a million other keys make no mapping of a million.
_KEYS_READ = frozenset({"title", "date", "categories", "category", "tags", "tag", "published", "layout"})


def _parse(source: str, problems: list[str]) -> dict[str, Any]:
    if len(source) > front_matter.MAX_YAML_CHARS:
        why = front_matter.FrontMatterTooLong(len(source)).problem
        problems.append(f"front matter {why}; its title, date, categories and tags read line by line")
        return front_matter.parse_lenient(source, _KEYS_READ)
    simple = front_matter.parse_simple(source)
    if simple is not None:
        return simple  # string keys already
    try:
        data = front_matter.parse_yaml(source, problems)  # values too big to read: left out, told
    except front_matter.ExpansionError as error:
        problems.append(f"front matter {error.problem}; ignored")
        return {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        reason = getattr(error, "problem", None) or _first_line(error)
        problems.append(f"invalid YAML front matter{where}: {reason}; fields read line by line")
        return front_matter.parse_lenient(source)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(f"front matter is not a mapping (it is a {type(data).__name__}); ignored")
        return {}
    return {str(key) if not isinstance(key, str) else key: value for key, value in data.items()}


def _split_name(relative: str) -> tuple[str | None, str, str]:
    return jekyll.split_filename(relative.rsplit("/", 1)[-1])


#: Opening never waits: a named pipe put in a post's place since the scan opens at once,
#: and is then refused as what it is.
_FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def _open_file(path: str, folder: int | None) -> tuple[int, os.stat_result]:
    """An open regular file and its status; OSError for anything else."""
    descriptor = os.open(path, _FILE_FLAGS, dir_fd=folder)
    try:
        info = os.fstat(descriptor)
        if not S_ISREG(info.st_mode):  # as the C reader says it
            code = errno.EISDIR if S_ISDIR(info.st_mode) else errno.EINVAL
            raise OSError(code, os.strerror(code), path)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, info


def _read_head(path: str, folder: int | None) -> tuple[bytes, int, int]:
    """A file's first :data:`HEAD_BYTES`, its size and its mtime (ns), taken from the open
    file: a cache entry then always describes the very contents it holds."""
    if _fastio is not None:  # the same four calls in one
        return _fastio.read_head(path, -1 if folder is None else folder, HEAD_BYTES)
    descriptor, info = _open_file(path, folder)
    try:
        return os.read(descriptor, HEAD_BYTES), info.st_size, info.st_mtime_ns
    finally:
        os.close(descriptor)


def _cannot_read(error: OSError) -> str:
    if error.errno == errno.EINVAL:  # replaced since the scan by a pipe, a device…
        return "file cannot be read: no longer a regular file; skipped"
    return f"file cannot be read: {error.strerror or error}"


def read_file(
    path: str, relative: str, kind: Kind, site_zone: tzinfo | None, *, folder: int | None = None
) -> Reading:
    """Turn one candidate file into a post's fields, or a reason it was skipped.

    ``path`` is relative to the open folder ``folder`` when it is given."""
    try:
        head, size, mtime = _read_head(path, folder)
    except FileNotFoundError:
        return None, "file vanished while the archive was loading", 0, 0
    except IsADirectoryError:
        return None, None, 0, 0
    except OSError as error:
        return None, _cannot_read(error), 0, 0
    complete = len(head) < HEAD_BYTES

    body_start = head[3:] if head.startswith(front_matter.BOM) else head
    problems: list[str] = []
    # The plain case (UTF-8 text, "key: value" lines) in one compiled call, with the
    # result the code below would give; None sends the file that way.
    simple = _fastio.simple_front_matter(body_start, complete) if _fastio is not None else None
    data: dict[str, Any]
    if simple is not None:
        data = simple
    else:
        if b"\0" in head:
            # Binary, unless the NUL bytes are all in the body, after whole front matter
            # (as the compiled reader of simple front matter, which reads no body, has it).
            whole = front_matter.FRONT_MATTER_BYTES.match(body_start)
            if whole is None or b"\0" in whole.group(0):
                return None, (None if kind == "other" else "binary file, not a post; skipped"), size, mtime
        if kind == "other" and not front_matter.YAML_HEADER.match(body_start):
            return None, None, size, mtime  # a text file without front matter is not a post

        match = front_matter.FRONT_MATTER_BYTES.match(body_start)
        if match is None and not complete:
            try:
                head = _read_rest(path, folder)
            except OSError as error:
                return None, _cannot_read(error), size, mtime
            complete = len(head) <= FRONT_MATTER_SEARCH_BYTES
            head = head[:FRONT_MATTER_SEARCH_BYTES]
            body_start = head[3:] if head.startswith(front_matter.BOM) else head
            match = front_matter.FRONT_MATTER_BYTES.match(body_start)
            if match is None and not complete:
                megabytes = FRONT_MATTER_SEARCH_BYTES >> 20
                problems.append(f"front matter not closed within the first {megabytes} MiB; read as none")

        utf8 = _is_utf8_prefix(body_start, complete)
        if not utf8:
            try:
                front_matter.decode(body_start if complete else body_start[: len(body_start) - 4])
            except front_matter.UndecodableError as error:
                return None, f"{error}; skipped", size, mtime
            problems.append("not UTF-8; read as GB18030 (Chinese)")

        data = {}
        if match is not None:
            raw = match.group(1)  # whole characters: it ends before the closing line
            data = _parse(raw.decode("utf-8") if utf8 else front_matter.decode(raw).text, problems)
        elif kind == "other":
            return None, None, size, mtime  # an opening ``---`` that never closes: not front matter

    # The date written the way most archives write it, in one compiled call; else the
    # front matter's date in any form, then the file name's, then (flagged) the mtime.
    moment: Moment | None = _fastio.common_date(data.get("date")) if _fastio is not None else None
    if moment is None:
        when = _post_date(data, relative, kind, problems)
        if when is None:
            if kind == "other" and "date" not in data:
                if data.get("layout") == "post":
                    return None, "has layout: post but no date; skipped", size, mtime
                return None, None, size, mtime  # a page, not a post
            when = datetime.fromtimestamp(mtime / 1e9)
            if kind != "draft":  # Jekyll dates drafts by their mtime: not a problem there
                problems.append("no usable date; using the file's modification time")
        moment = _moment(when, site_zone)

    title_value = data.get("title")
    if title_value is None or title_value is False:
        title = shown_name(jekyll.titleize_slug(_split_name(relative)[1]))  # text for people
    else:
        title = title_value if isinstance(title_value, str) else jekyll.ruby_to_s(title_value)

    if kind == "post":
        path_categories = tuple(jekyll.categories_from_path(relative, jekyll.POSTS_DIR))
    elif kind == "draft":
        path_categories = tuple(jekyll.categories_from_path(relative, jekyll.DRAFTS_DIR))
    else:
        path_categories = ()
    categories, tags = jekyll.categories_and_tags(path_categories, data)

    fields: Fields = (
        jekyll.post_key(relative),
        relative,
        title,
        *moment,
        categories,
        tags,
        data.get("published", True) is not False and kind != "draft",  # jekyll.is_published
        kind == "draft",
        tuple(problems) if problems else (),
    )
    return fields, None, size, mtime


def _post_date(data: dict[str, Any], relative: str, kind: Kind, problems: list[str]) -> datetime | None:
    """The front matter's date, else the file name's; None when neither gives one."""
    when: datetime | None = None
    if "date" in data:
        when = jekyll.normalise_date(data["date"])
        if when is None:
            shown = jekyll.ruby_to_s(data["date"]).strip()
            problems.append(f"date {shown!r} cannot be read" if shown else "date is empty")
    if when is None:
        day_text = _split_name(relative)[0]
        if day_text is not None:
            when = jekyll.parse_date_text(day_text)
            if when is None:
                problems.append(f"file name date {day_text!r} is not a real day")
    return when


#: A post's moment as its fields keep it: year, month, day, hour, minute, second,
#: microsecond as written, the offset east of UTC in seconds (None when the date has
#: none) and the timestamp.
Moment = tuple[int, int, int, int, int, int, int, int | None, float]


_EPOCH = datetime(1970, 1, 1)


def _moment(when: datetime, site_zone: tzinfo | None) -> Moment:
    """``when`` as a post's fields keep it: a date with no offset is in the site's zone."""
    offset = when.utcoffset()
    try:
        if offset is None:
            timestamp = (when if site_zone is None else when.replace(tzinfo=site_zone)).timestamp()
        else:
            timestamp = when.timestamp()
    except (OverflowError, ValueError):
        # At the calendar's ends (``0001-01-01`` with no offset, in a zone east of UTC)
        # the local time steps out of it on the way to UTC: the time is read as UTC.
        timestamp = (when.replace(tzinfo=None) - _EPOCH).total_seconds()
        timestamp -= offset.total_seconds() if offset is not None else 0
    seconds = None if offset is None else int(offset.total_seconds())
    return (
        when.year,
        when.month,
        when.day,
        when.hour,
        when.minute,
        when.second,
        when.microsecond,
        seconds,
        timestamp,
    )


#: What :func:`read_files` gives: fields, problems, sizes and mtimes.
Columns = tuple[list[Fields | None], list[str | None], list[int], list[int]]


def read_files(root: str, relatives: Sequence[str], kinds: Sequence[Kind], zone_name: str | None) -> Columns:
    """Read a batch of candidate files (in a worker process, say), as four columns:
    fields, problems, sizes and mtimes, in the order of ``relatives``."""
    zone = ZoneInfo(zone_name) if zone_name else None
    prefix = os.path.join(root, "")
    fields: list[Fields | None] = []
    problems: list[str | None] = []
    sizes: list[int] = []
    mtimes: list[int] = []
    # Files are opened by name relative to their open folder: the kernel then resolves
    # one name per file, not the whole path again.
    folders: dict[str, int | None] = {}
    try:
        for relative, kind in zip(relatives, kinds, strict=True):
            where, _, name = relative.rpartition("/")
            folder = folders.get(where, -1)
            if folder == -1:
                folder = folders[where] = _open_folder(prefix + where)
            try:
                if folder is None:
                    read, problem, size, mtime = read_file(prefix + relative, relative, kind, zone)
                else:
                    read, problem, size, mtime = read_file(name, relative, kind, zone, folder=folder)
            except Exception as error:  # whatever one file does, the others load
                # Reported as unreadable, so it is read again at the next load, not cached.
                why = f"file cannot be read: {type(error).__name__}: {error}"
                read, problem, size, mtime = None, why, 0, 0
            fields.append(read)
            problems.append(problem)
            sizes.append(size)
            mtimes.append(mtime)
    finally:
        for folder in folders.values():
            if folder is not None:
                os.close(folder)
    return fields, problems, sizes, mtimes


def _open_folder(path: str) -> int | None:
    """An open folder to read files from by name, or None to use whole paths."""
    if not _OPEN_AT:
        return None
    try:
        return os.open(path or ".", _FOLDER_FLAGS)
    except OSError:
        return None  # each file then gives its own reason


# --- the archive ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What the reader uses from ``_config.yml``."""

    values: dict[str, Any]
    zone: tzinfo | None  # ``timezone:``; None means the system's local zone


#: The largest ``_config.yml`` read (1 MiB; a site's is a few KB).
CONFIG_LIMIT = 1 << 20


def read_site_config(root: Path) -> tuple[SiteConfig, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    config_path = root / "_config.yml"
    if config_path.is_file():
        left_out: list[str] = []
        try:
            with open_inside(root, "_config.yml", CONFIG_LIMIT) as file:  # never through a link out
                raw = file.read(CONFIG_LIMIT)
            loaded = front_matter.parse_yaml(front_matter.decode(raw).text, left_out)
        except (OSError, yaml.YAMLError, front_matter.UndecodableError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else _first_line(error)
            problems.append(Problem("_config.yml", f"cannot be read: {why}"))
        else:
            for why in left_out:
                problems.append(Problem("_config.yml", why.replace("front matter", "settings", 1)))
            if isinstance(loaded, dict):
                values = {str(k): v for k, v in loaded.items()}
            elif loaded is not None:
                problems.append(Problem("_config.yml", "is not a mapping; ignored"))
    zone: tzinfo | None = None
    name = values.get("timezone")
    if isinstance(name, str) and name:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Problem("_config.yml", f"unknown timezone {name!r}; using the system's"))
    return SiteConfig(values, zone), problems


def _unique_keys(rows: list[Row]) -> list[Row]:
    """Give every post its own key: the first by path order (``_posts`` folders first)
    keeps the shared key, the others get ``key@path``."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[row[KEY]] = seen.get(row[KEY], 0) + 1
    shared = [row for row in rows if seen[row[KEY]] > 1]
    ordered = sorted(shared, key=lambda row: (jekyll.POSTS_DIR not in row[PATH].split("/"), row[PATH]))
    taken: set[str] = set()
    renamed: dict[str, Row] = {}
    for row in ordered:
        if row[KEY] in taken:
            renamed[row[PATH]] = (f"{row[KEY]}@{row[PATH]}", *row[1:])
        taken.add(row[KEY])
    return [renamed.get(row[PATH], row) for row in rows]


#: Paths, sizes and mtimes (ns). Kept as a tuple and arrays rather than lists: the garbage
#: collector walks every item of a big list on each full collection (a few ms per
#: 100,000), never those of an array, nor of a tuple of strings once it has seen it.
Stamps = tuple[Sequence[str], "array[int]", "array[int]"]


def _kept(stamps: tuple[list[str], list[int], list[int]]) -> Stamps:
    relatives, sizes, mtimes = stamps
    return tuple(relatives), array("q", sizes), array("q", mtimes)


#: by category, by tag, by (year, month): positions in ``Archive.posts``, as machine
#: integers (``array("i")``): 300,000 positions in lists would be Python ints for every
#: garbage collection to walk and every cache save to convert.
Indexes = tuple[dict[str, "array[int]"], dict[str, "array[int]"], dict[tuple[int, int], "array[int]"]]
#: What a load derives from the posts: the indexes, and how many problems the posts have
Derived = tuple[dict[str, "array[int]"], dict[str, "array[int]"], dict[tuple[int, int], "array[int]"], int]


@dataclass(slots=True)
class Archive:
    """All posts of one folder, newest first, with indexes by category, tag and month."""

    root: Path
    posts: PostList
    problems: list[Problem]  # files skipped and folders that could not be read
    folders_read: int
    config: SiteConfig
    files_read: int = 0  # files read from disk by this load
    files_cached: int = 0  # files whose cached reading was still valid
    by_key: dict[str, int] = field(init=False)
    keys: tuple[str, ...] = field(init=False)  # posts[i].key, for passes that need only keys
    post_problems: int = field(init=False)  # how many problems the posts have in all
    by_category: dict[str, array[int]] = field(init=False)
    by_tag: dict[str, array[int]] = field(init=False)
    by_month: dict[tuple[int, int], array[int]] = field(init=False)
    #: every file the load looked at: paths, sizes and mtimes (ns), in scan order
    stamps: Stamps = field(default=((), array("q"), array("q")), repr=False)
    _stems: dict[str, str] | None = field(init=False, default=None)
    _stamp_at: dict[str, int] | None = field(init=False, default=None)

    #: the indexes and problem count, when the load made them with the posts
    made: InitVar[Derived | None] = None

    def __post_init__(self, made: Derived | None) -> None:
        rows = self.posts.rows
        self._key_rows(rows)
        if len(self.by_key) != len(rows):  # files sharing a key: give each its own
            rows[:] = _unique_keys(rows)  # the same order: it does not depend on keys
            self._key_rows(rows)
        self.by_category, self.by_tag, self.by_month, self.post_problems = made or _derive(rows)

    def _key_rows(self, rows: list[Row]) -> None:
        self.keys = tuple(map(itemgetter(KEY), rows))  # a tuple: see Stamps
        self.by_key = _positions(self.keys)

    def indexes(self) -> Indexes:
        """The category, tag and month indexes."""
        return self.by_category, self.by_tag, self.by_month

    def derived(self) -> Derived:
        """The indexes and the problem count, as plain values (for the load cache)."""
        return self.by_category, self.by_tag, self.by_month, self.post_problems

    def key_by_stem(self) -> dict[str, str]:
        """Post keys by file name without extension (``2022-06-01-x``), built once."""
        if self._stems is None:
            stems: dict[str, str] = {}
            for post in self.posts:
                name = post.path.rsplit("/", 1)[-1]
                stems.setdefault(name.rsplit(".", 1)[0] if "." in name else name, post.key)
            self._stems = stems
        return self._stems

    def release(self) -> Iterator[None]:
        """Empty this archive a slice at a time, yielding between slices: for a window
        done with it, so that freeing 100,000 posts never holds the GIL for long. Only
        when nothing else uses the archive any more."""
        for container in (self.posts.rows, self.by_key, self.stamps[1], self.stamps[2]):
            yield from _release_steps(container)
        self.keys, self.stamps = (), ((), array("q"), array("q"))  # tuples: freed at once, and cheaply
        for index in (self.by_category, self.by_tag, self.by_month, self._stamp_at or {}):
            yield from _release_steps(index)

    def file_stamp(self, path: str) -> tuple[int, int] | None:
        """(size, mtime in ns) of the file at ``path`` when the load looked at it."""
        relatives, sizes, mtimes = self.stamps
        if self._stamp_at is None:
            # Positions, not (size, mtime) tuples: 100,000 kept tuples would be walked by
            # every full garbage collection.
            self._stamp_at = {path: at for at, path in enumerate(relatives)}
        at = self._stamp_at.get(path)
        return None if at is None else (sizes[at], mtimes[at])

    def all_problems(self) -> Iterator[Problem]:
        """Archive problems, then each post's, in the posts' order."""
        yield from self.problems
        for post in self.posts:
            for message in post.problems:
                yield Problem(post.path, message)

    def read_body(self, post: Post, limit: int | None = None) -> str:
        """The post's body (everything after the front matter), read from disk now, from
        inside the archive only; with ``limit``, from the file's first ``limit`` bytes only
        (see :func:`read_body`)."""
        return read_body(post.path, limit, root=self.root)


def read_body(
    path: str | os.PathLike[str], limit: int | None = None, root: str | os.PathLike[str] | None = None
) -> str:
    """The body of the post file at ``path`` (relative to ``root``, the archive folder,
    when given: see :func:`~reader.core.resources.open_post_file`). With ``limit``, only
    the file's first ``limit`` bytes are read: memory stays bounded whatever the file's
    size (a front matter not closed by then gives an empty body). Raises OSError and
    UndecodableError."""
    with open_post_file(path, root) as file:
        raw = file.read() if limit is None else file.read(limit + 1)
    truncated = limit is not None and len(raw) > limit
    if truncated:
        raw = raw[:limit]
    text = front_matter.decode(raw, truncated=truncated).text
    front, body = front_matter.split_text(text)
    if truncated and front is None and front_matter.YAML_HEADER.match(raw):
        return ""
    return body


#: Whether collection was on when the load began (see :func:`_make_rows`).
_collect_while_loading: ContextVar[bool] = ContextVar("collect_while_loading", default=False)
#: Items per step of the C-level passes over all posts: each step holds the GIL ~1 ms, so a
#: window loading on a thread keeps getting it.
SLICE = 10_000
#: Below this many files to read, one process reads them (worker start-up costs more).
PARALLEL_THRESHOLD = 4000
CHUNK = 1000
#: Problems that depend on the moment, not the file: never cached.
_TRANSIENT = ("file vanished", "file cannot be read")


#: What the worker processes' server imports once, before it forks them: each worker
#: then starts with the reading (and indexing) code in place instead of importing it.
WORKER_MODULES = ["reader.core.archive", "reader.core.search"]


def worker_context() -> BaseContext:
    """The multiprocessing context for worker processes. forkserver: workers fork from a
    clean single-threaded server, never from this process, which may be running Qt
    threads."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)  # no effect once the server runs
    return context


def background_priority() -> None:
    """Run this process below the others (``nice`` 10), for work done in the background
    (indexing for search): a window and the loads it waits for come first."""
    if hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(BACKGROUND_NICENESS)


#: How much lower background worker processes run.
BACKGROUND_NICENESS = 10


def _worker_count(files: int) -> int:
    if files < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


#: One batch read: the positions (in scan order) it covers, and :func:`read_files`' columns.
Batch = tuple[Sequence[int], Columns]


def _read_all(
    scanned: ScanResult,
    reading: Sequence[int],
    config: SiteConfig,
    *,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    workers: int | None,
) -> Iterator[Batch]:
    """Read the scanned files at the positions ``reading``, in worker processes when
    there are many, a batch at a time, in any order."""
    total = len(reading)
    count = _worker_count(total) if workers is None else workers
    zone_name = getattr(config.zone, "key", None)
    relatives, kinds = scanned.relatives, scanned.kinds
    step = CHUNK if count > 1 else CHUNK // 2  # alone: report progress more often
    batches = [reading[start : start + step] for start in range(0, total, step)]

    def arguments(batch: Sequence[int]) -> tuple[str, list[str], list[Kind], str | None]:
        if isinstance(batch, range):  # positions in a row: slices, C-level
            return (
                scanned.root,
                relatives[batch.start : batch.stop],
                kinds[batch.start : batch.stop],
                zone_name,
            )
        return scanned.root, [relatives[at] for at in batch], [kinds[at] for at in batch], zone_name

    done = 0
    if count <= 1 or total < 2:
        for batch in batches:
            if cancelled is not None and cancelled():
                raise LoadCancelled()
            if done and progress is not None:
                progress(done, total)
            yield batch, read_files(*arguments(batch))
            done += len(batch)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only big loads pay for it

    with ProcessPoolExecutor(max_workers=count, mp_context=worker_context()) as pool:
        futures = {pool.submit(read_files, *arguments(batch)): batch for batch in batches}
        try:
            for future in as_completed(futures):
                batch = futures[future]
                yield batch, future.result()
                done += len(batch)
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                if progress is not None:
                    progress(done, total)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def load_archive(
    root: Path | str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    use_cache: bool = True,
    workers: int | None = None,
) -> Archive:
    """Read the folder ``root`` into an :class:`Archive`.

    Files whose size and modification time match the persistent cache
    (:mod:`reader.core.cache`) are not read again. ``progress(done, total)`` is called
    now and then; when ``cancelled()`` turns true the load stops with
    :class:`LoadCancelled`. ``workers`` forces the number of reading processes.
    """
    with _collecting_as_loads_do():
        return _load(Path(root), progress, cancelled, use_cache, workers)


#: A load ends with a full collection at least this often (see _collecting_as_loads_do).
FULL_EVERY = 8
_loads_since_full = [0]  # in a list: changed from inside the function


@contextmanager
def _collecting_as_loads_do() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()  # the load makes a few objects per file and no cycles: nothing to collect
    gc.unfreeze()  # what the last load set aside (below) is walked again
    token = _collect_while_loading.set(collecting)
    try:
        yield
    finally:
        _collect_while_loading.reset(token)
        if collecting:
            gc.enable()
            # What the load left is walked now, on the loading thread, rather than by
            # whichever thread allocates next: in a window, the UI thread, on top of its
            # own work for the load. The young generations only (~8 ms after a load of
            # 100,000 posts from the cache), but every FULL_EVERY loads: a full walk
            # takes 25-35 ms in a window process, holding the GIL while the window
            # waits to show the archive. A full collection that falls due meanwhile
            # walks only what is newer than the set-aside below.
            full = _loads_since_full[0] + 1 >= FULL_EVERY
            gc.collect(2 if full else 1)
            _loads_since_full[0] = 0 if full else _loads_since_full[0] + 1
            # What is alive now (the archive, and in a window all of Qt's and Python's
            # own objects) is set aside: until the next load, each full collection walks
            # only what is newer. One that walked it all took 20-35 ms at 100,000 posts,
            # holding the GIL, on whichever thread triggered it: a stall of the window
            # soon after a load. The next load puts it all back (above); a cycle that
            # was set aside is collected by the next load that ends with a full
            # collection, at least every FULL_EVERY loads.
            gc.freeze()


def update_archive(archive: Archive, changed: Iterable[str]) -> Archive | None:
    """The archive after the files at the paths ``changed`` (absolute, as a folder
    watcher reports them; a folder created, deleted or moved ends with a separator)
    were added, edited, deleted or moved, reading only those files; the same archive a
    full load would give. None when the change is one a full load must handle: a folder
    that appeared, went or moved, a link, ``_config.yml``, or a file in a folder the
    last load did not read.

    The load cache is left as it is (it still validates every file it holds)."""
    with _collecting_as_loads_do():
        return _update(archive, changed)


def _update(archive: Archive, changed: Iterable[str]) -> Archive | None:
    root = os.path.realpath(archive.root)
    relatives, sizes, mtimes = archive.stamps
    touched: set[str] = set()
    for path in changed:
        if path.endswith(os.sep):
            return None  # a folder came, went or moved: the scan's rules for folders apply
        relative = os.path.relpath(path, root)
        if relative == "." or relative.startswith(".." + os.sep) or relative == "..":
            return None
        touched.add(relative.replace(os.sep, "/"))
    if "_config.yml" in touched:
        return None
    known = set(relatives)
    if any(problem.path in touched and problem.path not in known for problem in archive.problems):
        return None  # something the scan told of (a fifo named like a post, say) changed
    folders = {""}  # every folder that holds candidates, and the folders above them
    for parent in {relative.rpartition("/")[0] for relative in relatives}:
        folder = parent
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    arrived: list[tuple[str, Kind]] = []
    for relative in touched:
        full = os.path.join(root, relative)
        try:
            info = os.lstat(full)
        except FileNotFoundError:
            if relative in folders or not os.path.isdir(os.path.dirname(full)):
                return None  # a folder that held posts went away, or the file's own folder
            continue
        except OSError:
            return None
        if relative in folders:
            if S_ISDIR(info.st_mode):
                continue  # the folder's own listing changed: its files come as their own events
            return None
        if S_ISDIR(info.st_mode) or S_ISLNK(info.st_mode):
            return None  # a new folder, or a link: the scan's rules for those apply
        folder, _, name = relative.rpartition("/")
        if folder not in folders:
            return None
        rule = _folder_kind(folder)
        if rule is None:
            return None
        kind, below = rule
        if _file_rule(kind, below, name):
            if not S_ISREG(info.st_mode):
                return None  # a fifo or device named like a post: the scan tells of it
            arrived.append((relative, kind))
    arrived.sort()
    zone = archive.config.zone
    read = [read_file(os.path.join(root, relative), relative, kind, zone) for relative, kind in arrived]

    # The stamps and skipped files, without the touched files, then with what they are now.
    kept_at = [at for at, relative in enumerate(relatives) if relative not in touched]
    new_relatives = [relatives[at] for at in kept_at]
    new_sizes = array("q", (sizes[at] for at in kept_at))
    new_mtimes = array("q", (mtimes[at] for at in kept_at))
    others = [problem for problem in archive.problems if problem.path not in known]
    skipped = [
        problem for problem in archive.problems if problem.path in known and problem.path not in touched
    ]
    rows = [row for row in archive.posts.rows if row[PATH] not in touched]
    for (relative, _), (fields, problem, size, mtime) in zip(arrived, read, strict=True):
        new_relatives.append(relative)
        new_sizes.append(size)
        new_mtimes.append(mtime)
        if problem is not None:
            skipped.append(Problem(relative, problem))
        if fields is not None:
            rows.append(fields)
    # Keys made unique by the last load (``key@path``) start again from the plain key.
    for at, row in enumerate(rows):
        if "@" in row[KEY]:
            rows[at] = (jekyll.post_key(row[PATH]), *row[1:])
    skipped.sort(key=attrgetter("path"))
    rows, derived = _ordered(rows)
    return Archive(
        root=archive.root,
        posts=PostList(rows),
        made=derived,
        problems=[*others, *skipped],
        folders_read=archive.folders_read,
        config=archive.config,
        files_read=len(arrived),
        files_cached=len(new_relatives) - len(arrived),
        stamps=(tuple(new_relatives), new_sizes, new_mtimes),
    )


def _load(
    root: Path,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    use_cache: bool,
    workers: int | None,
) -> Archive:
    # With no cache to check the files against, the scan need not ``stat`` them: the
    # reading processes take sizes and mtimes from the files they open.
    checking = use_cache and cache.cache_path(root).exists()
    # The cache is read while the files are stat'ed (at the same time, with the
    # compiled helper): at 100,000 files the two then take as long as the longer one.
    scanned, cached = scan_meanwhile(
        root, stat=checking, meanwhile=partial(cache.load, root, _settle) if checking else cache.Cached
    )
    assert cached is not None
    config, config_problems = read_site_config(root)
    if cancelled is not None and cancelled():
        raise LoadCancelled()
    relatives, sizes, mtimes = stamps = (scanned.relatives, scanned.sizes, scanned.mtimes)
    if cached.relatives and cached.unchanged(*stamps):
        unchanged = _unchanged(root, scanned, config, config_problems, cached)
        if unchanged is not None:
            unchanged.stamps = _kept(stamps)
            _release(*cached.columns(), *scanned.columns())
            return unchanged
    count = len(relatives)
    fields: list[Fields | None] = [None] * count
    problems: list[str | None] = [None] * count
    reading: Sequence[int] = range(count)
    last_order: list[int] = []
    if cached.relatives:
        reading, last_order = _reuse(stamps, cached, fields, problems)
    if cancelled is not None and cancelled():
        raise LoadCancelled()
    # Each batch's posts are let go of by the collector as they come, while the reading
    # processes work (see _make_rows, which then need not make the posts again: ~80 ms
    # less after the last batch at 100,000 posts). Everything older is set aside, so
    # the two short collections per batch (as in _settle: a post can be tracked before
    # its category tuples) see little more than the batch's posts.
    settling = _collect_while_loading.get()
    if settling:
        gc.freeze()
    try:
        for batch, (read, skipped_why, read_sizes, read_mtimes) in _read_all(
            scanned, reading, config, progress=progress, cancelled=cancelled, workers=workers
        ):
            if isinstance(batch, range):  # positions in a row: slices, C-level
                where = slice(batch.start, batch.stop)
                fields[where], problems[where] = read, skipped_why
                sizes[where], mtimes[where] = read_sizes, read_mtimes
            else:
                for at, one, why, size, mtime in zip(
                    batch, read, skipped_why, read_sizes, read_mtimes, strict=True
                ):
                    fields[at], problems[at], sizes[at], mtimes[at] = one, why, size, mtime
            if settling:
                gc.collect(0)
                gc.collect(1)
    finally:
        if settling:
            gc.unfreeze()
    if progress is not None:
        progress(len(reading), len(reading))
    posts = _in_last_order(fields, last_order, reading)
    rows, derived = _ordered(posts)
    skipped = sorted(
        (Problem(relatives[at], problem) for at, problem in enumerate(problems) if problem is not None),
        key=attrgetter("path"),
    )
    archive = Archive(
        root=root,
        posts=PostList(rows),
        made=derived,
        problems=[*config_problems, *scanned.problems, *skipped],
        folders_read=scanned.folders_read,
        config=config,
        files_read=len(reading),
        files_cached=count - len(reading),
        stamps=_kept(stamps),
    )
    if use_cache and (reading or relatives != cached.relatives):
        columns: list[list[Any]] = [relatives, sizes, mtimes, fields, problems]
        transient = [
            at
            for at, problem in enumerate(problems)
            if problem is not None and problem.startswith(_TRANSIENT)
        ]
        if transient:  # a problem of the moment, not of the file: read again next time
            gone = set(transient)
            columns = [[value for at, value in enumerate(column) if at not in gone] for column in columns]
        position = {relative: at for at, relative in enumerate(columns[0])}
        order = [position[row[PATH]] for row in rows]
        cache.save(root, columns, order=order, derived=_pack(archive.derived()))
        _release(position, order)
    _release(posts, fields, problems, *cached.columns(), *scanned.columns())
    return archive


def _sort_newest_first(rows: list[Row]) -> None:
    """Sort the posts newest first; posts of the same moment by path, descending.

    Sorting on float keys alone takes a quarter of the time of sorting on (timestamp,
    path) tuples, which must be made for every post. So the posts are sorted by
    timestamp, then each run of equal timestamps by path (the sort is stable)."""
    rows.sort(key=itemgetter(TIMESTAMP), reverse=True)
    stamps = list(map(itemgetter(TIMESTAMP), rows))
    ties = compress(range(1, len(stamps)), map(eq, stamps, islice(stamps, 1, None)))
    run_start = run_end = -1
    for at in ties:  # ``at`` has the same timestamp as the post before it
        if at != run_end + 1:
            _sort_run_by_path(rows, run_start, run_end)
            run_start = at - 1
        run_end = at
    _sort_run_by_path(rows, run_start, run_end)


def _sort_run_by_path(rows: list[Row], start: int, end: int) -> None:
    if start >= 0:
        rows[start : end + 1] = sorted(rows[start : end + 1], key=itemgetter(PATH), reverse=True)


def _release(*containers: list[Any] | dict[Any, Any]) -> None:
    """Empty big lists and dicts a slice at a time (see :func:`_release_steps`)."""
    for container in containers:
        for _ in _release_steps(container):
            pass


def _release_steps(container: list[Any] | dict[Any, Any] | array[int]) -> Iterator[None]:
    """Empty a list or dict a slice at a time, yielding after each slice.

    Dropping a container of 100,000 tuples frees them all in one C call that holds the
    GIL for tens of milliseconds: a stall of a window, whichever thread does it. A slice
    at a time, each step is short."""
    if isinstance(container, dict):
        keys = list(container)
        for start in range(0, len(keys), SLICE):
            for key in keys[start : start + SLICE]:
                del container[key]
            yield
    else:
        while container:
            del container[-SLICE:]
            yield


def _ordered(posts: list[Fields]) -> tuple[list[Row], Derived]:
    """The posts' rows (see :func:`_make_rows`), newest first, and their indexes: sorted
    and indexed in one compiled call where it is built (~35 ms at 100,000 posts, against
    ~130 in Python)."""
    rows = _make_rows(posts)
    if _fastio is not None:
        packed = _fastio.sort_rows(rows, TIMESTAMP, PATH, CATEGORIES, TAGS, YEAR, MONTH, PROBLEMS)
        if packed is not None:
            return rows, _unpack(packed)
    _sort_newest_first(rows)
    return rows, _derive(rows)


def _make_rows(all_fields: list[Fields]) -> list[Row]:
    """The posts' rows, made so that the garbage collector stops tracking them at once.

    The load runs with collection off. Left at that, the first collection after it
    goes through all 100,000 new posts in one pass of ~50 ms that holds the GIL: a stall
    of the window. So everything older is set aside (``gc.freeze``) and collection is
    on while the posts are made: each small collection sees a few hundred new posts,
    finds them made of plain values and stops tracking them for good. A tuple counts as
    plain only when the tuples in it are untracked too, so each post gets fresh copies
    of its category and tag tuples, made just before it, one per distinct value, which
    the posts share. Then the older objects are put back (``gc.unfreeze``). A load
    that let the collector go through each batch as it came (see ``_load``) has only
    a few posts left to remake here.
    """
    rows = list(all_fields)  # a list of its own: the load lets go of ``all_fields``
    if _collect_while_loading.get():
        copies: dict[tuple[str, ...], tuple[str, ...]] = {(): ()}
        is_tracked = gc.is_tracked
        gc.freeze()
        gc.enable()
        try:
            rows = [_untrackable(f, copies) if is_tracked(f) else f for f in all_fields]
        finally:
            gc.disable()
            gc.unfreeze()
    return rows


def _untrackable(f: Fields, copies: dict[tuple[str, ...], tuple[str, ...]]) -> Row:
    """The row of ``f`` with fresh tuples in it (see :func:`_make_rows`)."""
    categories = copies.get(f[12]) or copies.setdefault(f[12], _fresh(f[12]))
    tags = copies.get(f[13]) or copies.setdefault(f[13], _fresh(f[13]))
    problems = _fresh(f[16]) if f[16] else ()
    # fmt: off
    return (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
            f[10], f[11], categories, tags, f[14], f[15], problems)
    # fmt: on


def _derive(rows: list[Row]) -> Derived:
    """The category, tag and month indexes of the posts ``rows``, and their problem count
    (what ``_fastio.sort_rows`` gives along with the order)."""
    positions = partial(array, "i")
    by_category: defaultdict[str, array[int]] = defaultdict(positions)
    by_tag: defaultdict[str, array[int]] = defaultdict(positions)
    by_month: defaultdict[tuple[int, int], array[int]] = defaultdict(positions)
    problem_count = 0
    for at, row in enumerate(rows):
        for category in row[CATEGORIES]:
            by_category[category].append(at)
        for tag in row[TAGS]:
            by_tag[tag].append(at)
        by_month[row[YEAR], row[MONTH]].append(at)
        if row[PROBLEMS]:
            problem_count += len(row[PROBLEMS])
    return dict(by_category), dict(by_tag), dict(by_month), problem_count


def _settle() -> None:
    """Let the collector go through what was just loaded, twice: the first pass stops
    tracking the small tuples inside the posts, the second then the posts. ``marshal``
    makes a tuple before what is in it, so one pass is not enough; on 1,000 posts at a
    time each pass is short. Left tracked, 100,000 posts would be walked by every full
    collection (see :func:`_make_rows`)."""
    if _collect_while_loading.get():
        gc.collect(0)
        gc.collect(1)


def _fresh(names: tuple[str, ...]) -> tuple[str, ...]:
    """A new tuple equal to ``names`` (``tuple(names)`` would be ``names`` itself)."""
    return tuple(list(names))  # noqa: C414 - a new object is the point


def _positions(names: Sequence[str]) -> dict[str, int]:
    """Each name's position (the last one, for a name seen twice)."""
    result: dict[str, int] = {}
    for start in range(0, len(names), SLICE):  # C-level, in slices: each holds the GIL briefly
        part = names[start : start + SLICE]
        result.update(zip(part, range(start, start + len(part)), strict=True))
    return result


def _reuse(
    stamps: tuple[list[str], list[int], list[int]],
    cached: cache.Cached,
    fields: list[Fields | None],
    problems: list[str | None],
) -> tuple[list[int], list[int]]:
    """Fill ``fields`` and ``problems`` (in scan order) from the cache, for every file
    found with the size and mtime it had then. Returns the positions of the files to
    read, and last load's posts that are still valid, as positions now, newest first."""
    relatives, sizes, mtimes = stamps
    count = len(relatives)
    position = _positions(relatives)
    now: list[int] = []  # per cached file: where it is now; ``count`` when it is gone
    for start in range(0, len(cached.relatives), SLICE):
        part = cached.relatives[start : start + SLICE]
        now += map(position.get, part, repeat(count, len(part)))
    del position  # positions are ints, shared with ``now``: freeing it is quick
    filled = bytearray(count + 1)  # the last one stands for "gone"
    valid = bytearray(len(now))
    cached_sizes, cached_mtimes = cached.sizes, cached.mtimes
    cached_fields, cached_problems = cached.fields, cached.problems
    for index, at in enumerate(now):
        if at != count and sizes[at] == cached_sizes[index] and mtimes[at] == cached_mtimes[index]:
            fields[at], problems[at] = cached_fields[index], cached_problems[index]
            filled[at] = valid[index] = 1
    reading = list(compress(range(count), map(not_, filled)))
    try:
        last_order = [now[index] for index in cached.order if valid[index]]
    except (IndexError, TypeError):  # a damaged order: sort from scratch
        last_order = []
    return reading, last_order


def _in_last_order(
    fields: list[Fields | None], last_order: list[int], reading: Sequence[int]
) -> list[Fields]:
    """The posts' fields: last load's posts in last load's (sorted) order, then the files
    read now, so that sorting them again is close to linear."""
    posts = [read for read in fields if read is not None]
    if not last_order:
        return posts
    sequence = last_order + list(reading)
    result = [read for read in map(fields.__getitem__, sequence) if read is not None]
    if len(set(sequence)) != len(sequence) or len(result) != len(posts):
        return posts  # a damaged order
    return result


def _pack(made: Derived) -> tuple[Any, ...]:
    """The indexes as bytes, for the load cache: one short copy each way."""
    by_category, by_tag, by_month, problem_count = made
    indexes: tuple[dict[Any, array[int]], ...] = (by_category, by_tag, by_month)
    return (*({key: at.tobytes() for key, at in index.items()} for index in indexes), problem_count)


def _unpack(packed: Any) -> Derived:
    """:func:`_pack` undone; TypeError or ValueError when ``packed`` is not its work."""
    by_category, by_tag, by_month, problem_count = packed
    indexes = []
    index: Any
    for index in (by_category, by_tag, by_month):
        unpacked = {}
        for key, raw in index.items():
            positions = array("i")
            positions.frombytes(raw)
            unpacked[key] = positions
        indexes.append(unpacked)
    return indexes[0], indexes[1], indexes[2], problem_count


def _unchanged(
    root: Path, scanned: ScanResult, config: SiteConfig, config_problems: list[Problem], cached: cache.Cached
) -> Archive | None:
    """The archive as the cache left it, when the folder is exactly as it was then; None
    when the cache's derived part does not hold together (then the files are matched)."""
    all_fields = cached.fields
    try:
        rows = [all_fields[index] for index in cached.order]  # let go of as loaded (_settle)
        by_category, by_tag, by_month, problem_count = _unpack(cached.derived)
    except (IndexError, TypeError, ValueError):
        return None
    if not (
        isinstance(by_category, dict)
        and isinstance(by_tag, dict)
        and isinstance(by_month, dict)
        and isinstance(problem_count, int)
    ):
        return None
    if len(rows) != len(all_fields) - all_fields.count(None):
        return None
    skipped = [
        Problem(relative, problem)
        for relative, problem in zip(cached.relatives, cached.problems, strict=True)
        if problem is not None
    ]
    skipped.sort(key=attrgetter("path"))
    return Archive(
        root=root,
        posts=PostList(rows),
        problems=[*config_problems, *scanned.problems, *skipped],
        folders_read=scanned.folders_read,
        config=config,
        files_read=0,
        files_cached=len(scanned.relatives),
        made=(by_category, by_tag, by_month, problem_count),
    )


class LoadCancelled(Exception):
    """A load was cancelled through its ``cancelled`` callback."""
