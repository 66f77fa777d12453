"""An archive: the posts of one folder, with their indexes; loading it (from the load
cache where files did not change, reading the others in worker processes) and updating
it when files change."""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import InitVar, dataclass, field
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, eq, not_
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import Any, cast

import msgspec

from reader.core import cache, front_matter, jekyll, stories
from reader.core.indexes import (
    SLICE,
    Derived,
    Indexes,
    derive,
    newest_first_indexed,
    pack,
    positions,
    unique_keys,
    unpack,
)
from reader.core.post import Post, Problem
from reader.core.post_columns import Shared
from reader.core.reading import (
    HEAD_BYTES,
    Columns,
    Reading,
    read_file,
    read_files,
    read_files_packed,
    unpack_columns,
)
from reader.core.resources import open_post_file
from reader.core.scan import (
    SKIPPED_FOLDERS,
    TEXT_EXTENSIONS,
    ArchiveError,
    Kind,
    ScanResult,
    folder_kind,
    is_candidate,
    scan,
    scan_meanwhile,
)
from reader.core.site_config import SiteConfig, read_site_config
from reader.core.workers import (
    BACKGROUND_NICENESS,
    LoadCancelled,
    background_priority,
    worker_context,
    worker_count,
)

#: What users import from here; most are defined where their concern lives.
__all__ = [
    "BACKGROUND_NICENESS",
    "HEAD_BYTES",
    "SKIPPED_FOLDERS",
    "TEXT_EXTENSIONS",
    "Archive",
    "ArchiveError",
    "Kind",
    "LoadCancelled",
    "Reading",
    "SiteConfig",
    "background_priority",
    "load_archive",
    "read_body",
    "read_files",
    "read_site_config",
    "scan",
    "scan_meanwhile",
    "update_archive",
    "worker_context",
]

Progress = Callable[[int, int], None]


#: Paths, sizes and mtimes (ns). Kept as a tuple and arrays rather than lists: compact,
#: and the garbage collector never walks the items of an array, nor those of a tuple of
#: strings once it has seen it.
Stamps = tuple[Sequence[str], "array[int]", "array[int]"]


def _kept(stamps: tuple[list[str], list[int], list[int]]) -> Stamps:
    relatives, sizes, mtimes = stamps
    return tuple(relatives), array("q", sizes), array("q", mtimes)


@dataclass(slots=True)
class Archive:
    """All posts of one folder, newest first, with indexes by category, tag and month."""

    root: Path
    posts: list[Post]
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
    _stories: list[int] | None = field(init=False, default=None)

    #: the indexes and problem count, when the load made them with the posts
    made: InitVar[Derived | None] = None

    def __post_init__(self, made: Derived | None) -> None:
        posts = self.posts
        self._key_posts(posts)
        if len(self.by_key) != len(posts):  # files sharing a key: give each its own
            posts[:] = unique_keys(posts)  # the same order: it does not depend on keys
            self._key_posts(posts)
        self.by_category, self.by_tag, self.by_month, self.post_problems = made or derive(posts)

    def _key_posts(self, posts: list[Post]) -> None:
        self.keys = tuple(map(attrgetter("key"), posts))  # a tuple: see Stamps
        self.by_key = positions(self.keys)

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
        for container in (self.posts, self.by_key, self.stamps[1], self.stamps[2]):
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

    def stories(self) -> list[int]:
        """For each post (by position), the position of the copy shown for its story: its
        own when no other post is a copy of it (see :mod:`reader.core.stories`)."""
        if self._stories is None:
            relatives, _, mtimes = self.stamps
            self._stories = stories.stories(self.posts, dict(zip(relatives, mtimes, strict=True)))
        return self._stories

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


CHUNK = 1000
#: Problems that depend on the moment, not the file: never cached.
_TRANSIENT = ("file vanished", "file cannot be read")


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
    count = worker_count(total) if workers is None else workers
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

    shared: Shared = {}  # the batches' sets of categories and tags, one tuple each
    with ProcessPoolExecutor(max_workers=count, mp_context=worker_context()) as pool:
        futures = {pool.submit(read_files_packed, *arguments(batch)): batch for batch in batches}
        try:
            for future in as_completed(futures):
                batch = futures[future]
                yield batch, unpack_columns(future.result(), shared)
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
    return _load(Path(root), progress, cancelled, use_cache, workers)


def load_cached_archive(root: Path | str) -> Archive | None:
    """The archive as the load cache last saw it, without looking at its files; None when
    there is no usable cache. Reading the cache alone takes a fraction of a load (at
    100,000 posts, about a third of a warm one: the files are not listed and ``stat``'ed),
    so the window shows it at once and then checks it with :func:`check_archive`."""
    root = Path(root)
    cached = cache.load(root)
    if not cached.relatives:
        return None
    config, config_problems = read_site_config(root)
    try:
        scan_problems = [Problem(path, message) for path, message in cached.scan_problems]
    except (TypeError, ValueError):
        return None
    archive = _as_cached(root, config, [*config_problems, *scan_problems], cached.folders_read, cached)
    if archive is not None:
        archive.stamps = _kept((cached.relatives, cached.sizes, cached.mtimes))
    _release(*cached.columns())
    return archive


def check_archive(
    archive: Archive,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Archive:
    """``archive`` itself when its folder is as it says: the same files, with the same
    sizes and mtimes, and the same ``_config.yml``. Else the archive as the folder is now:
    the files that differ read again (as :func:`update_archive` does), or, when that does
    not apply, the folder loaded again (as :func:`load_archive` does)."""
    root = archive.root
    scanned = scan(root, stat=True)
    config, _ = read_site_config(root)
    if cancelled is not None and cancelled():
        raise LoadCancelled()
    if config == archive.config and scanned.folders_read == archive.folders_read:
        differing = _differing(archive.stamps, scanned)
        if not differing:
            return archive
        if len(differing) <= UPDATE_AT_MOST:
            real = os.path.realpath(root)
            updated = update_archive(archive, [os.path.join(real, relative) for relative in differing])
            if updated is not None:
                return updated
    return _load(root, progress, cancelled, True, None)


#: The most files :func:`check_archive` reads one by one; past that, the folder is
#: loaded again (in the reading processes, from the cache for the files unchanged).
UPDATE_AT_MOST = 2000


def _differing(stamps: Stamps, scanned: ScanResult) -> list[str]:
    """The files (relative paths) that are in ``stamps`` or the scan but not the same in
    both: added, removed, or with another size or mtime."""
    relatives, sizes, mtimes = stamps
    if (
        len(relatives) == len(scanned.relatives)
        and all(map(eq, relatives, scanned.relatives))
        and sizes == array("q", scanned.sizes)
        and mtimes == array("q", scanned.mtimes)
    ):
        return []
    then = dict(zip(relatives, zip(sizes, mtimes, strict=True), strict=True))
    now = dict(zip(scanned.relatives, zip(scanned.sizes, scanned.mtimes, strict=True), strict=True))
    return sorted(
        then.keys() ^ now.keys()
        | {relative for relative, stamp in now.items() if relative in then and then[relative] != stamp}
    )


def update_archive(archive: Archive, changed: Iterable[str]) -> Archive | None:
    """The archive after the files at the paths ``changed`` (absolute, as a folder
    watcher reports them; a folder created, deleted or moved ends with a separator)
    were added, edited, deleted or moved, reading only those files; the same archive a
    full load would give. None when the change is one a full load must handle: a folder
    that appeared, went or moved, a link, ``_config.yml``, or a file in a folder the
    last load did not read.

    The load cache is left as it is (it still validates every file it holds)."""
    return _update(archive, changed)


class _FullLoad(Exception):
    """The change is one only a full load handles (see :func:`update_archive`)."""


def _update(archive: Archive, changed: Iterable[str]) -> Archive | None:
    root = os.path.realpath(archive.root)
    try:
        touched = _touched(root, changed)
        known = set(archive.stamps[0])
        if any(problem.path in touched and problem.path not in known for problem in archive.problems):
            return None  # something the scan told of (a fifo named like a post, say) changed
        folders = _folders_holding(known)
        arrived = sorted(
            (relative, kind)
            for relative in touched
            if (kind := _arrival(root, relative, folders)) is not None
        )
    except _FullLoad:
        return None
    zone = archive.config.zone
    read = [read_file(os.path.join(root, relative), relative, kind, zone) for relative, kind in arrived]
    return _updated(archive, touched, known, [relative for relative, _ in arrived], read)


def _touched(root: str, changed: Iterable[str]) -> set[str]:
    """The changed files' paths, relative to the archive. Raises :class:`_FullLoad`."""
    touched: set[str] = set()
    for path in changed:
        if path.endswith(os.sep):
            raise _FullLoad  # a folder came, went or moved: the scan's rules for folders apply
        relative = os.path.relpath(path, root)
        if relative == "." or relative.startswith(".." + os.sep) or relative == "..":
            raise _FullLoad
        touched.add(relative.replace(os.sep, "/"))
    if "_config.yml" in touched:
        raise _FullLoad
    return touched


def _folders_holding(relatives: Iterable[str]) -> set[str]:
    """Every folder that holds one of the files ``relatives``, and the folders above them."""
    folders = {""}
    for parent in {relative.rpartition("/")[0] for relative in relatives}:
        folder = parent
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def _arrival(root: str, relative: str, folders: set[str]) -> Kind | None:
    """The kind of the candidate file now at ``relative``; None when there is none
    there (gone, or a file the scan does not take). Raises :class:`_FullLoad`."""
    full = os.path.join(root, relative)
    try:
        info = os.lstat(full)
    except FileNotFoundError:
        if relative in folders or not os.path.isdir(os.path.dirname(full)):
            raise _FullLoad from None  # a folder that held posts went away, or the file's own folder
        return None
    except OSError:
        raise _FullLoad from None
    if relative in folders:
        if S_ISDIR(info.st_mode):
            return None  # the folder's own listing changed: its files come as their own events
        raise _FullLoad
    if S_ISDIR(info.st_mode) or S_ISLNK(info.st_mode):
        raise _FullLoad  # a new folder, or a link: the scan's rules for those apply
    folder, _, name = relative.rpartition("/")
    rule = folder_kind(folder) if folder in folders else None
    if rule is None:
        raise _FullLoad
    kind, below = rule
    if not is_candidate(kind, below, name):
        return None
    if not S_ISREG(info.st_mode):
        raise _FullLoad  # a fifo or device named like a post: the scan tells of it
    return kind


def _updated(
    archive: Archive, touched: set[str], known: set[str], arrived: list[str], read: list[Reading]
) -> Archive:
    """``archive`` without the files ``touched``, then with the files ``arrived`` as they
    were ``read``."""
    relatives, sizes, mtimes = archive.stamps
    # The stamps and skipped files, without the touched files, then with what they are now.
    kept_at = [at for at, relative in enumerate(relatives) if relative not in touched]
    new_relatives = [relatives[at] for at in kept_at]
    new_sizes = array("q", (sizes[at] for at in kept_at))
    new_mtimes = array("q", (mtimes[at] for at in kept_at))
    others = [problem for problem in archive.problems if problem.path not in known]
    skipped = [
        problem for problem in archive.problems if problem.path in known and problem.path not in touched
    ]
    posts = [post for post in archive.posts if post.path not in touched]
    for relative, (post, problem, size, mtime) in zip(arrived, read, strict=True):
        new_relatives.append(relative)
        new_sizes.append(size)
        new_mtimes.append(mtime)
        if problem is not None:
            skipped.append(Problem(relative, problem))
        if post is not None:
            posts.append(post)
    # Keys made unique by the last load (``key@path``) start again from the plain key.
    for at, post in enumerate(posts):
        if "@" in post.key:
            posts[at] = msgspec.structs.replace(post, key=jekyll.post_key(post.path))
    skipped.sort(key=attrgetter("path"))
    posts, derived = newest_first_indexed(posts)
    return Archive(
        root=archive.root,
        posts=posts,
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
        root, stat=checking, meanwhile=partial(cache.load, root) if checking else cache.Cached
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
    fields: list[Post | None] = [None] * count
    problems: list[str | None] = [None] * count
    reading: Sequence[int] = range(count)
    last_order: list[int] = []
    if cached.relatives:
        reading, last_order = _reuse(stamps, cached, fields, problems)
    if cancelled is not None and cancelled():
        raise LoadCancelled()
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
    if progress is not None:
        progress(len(reading), len(reading))
    posts, derived = newest_first_indexed(_in_last_order(fields, last_order, reading))
    skipped = sorted(
        (Problem(relatives[at], problem) for at, problem in enumerate(problems) if problem is not None),
        key=attrgetter("path"),
    )
    archive = Archive(
        root=root,
        posts=posts,
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
        order = [position[post.path] for post in posts]
        facts = (scanned.folders_read, [(problem.path, problem.message) for problem in scanned.problems])
        cache.save(root, columns, order=order, derived=pack(archive.derived()), scan=facts)
        _release(position, order)
    _release(fields, problems, *cached.columns(), *scanned.columns())
    return archive


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


def _reuse(
    stamps: tuple[list[str], list[int], list[int]],
    cached: cache.Cached,
    fields: list[Post | None],
    problems: list[str | None],
) -> tuple[list[int], list[int]]:
    """Fill ``fields`` and ``problems`` (in scan order) from the cache, for every file
    found with the size and mtime it had then. Returns the positions of the files to
    read, and last load's posts that are still valid, as positions now, newest first."""
    relatives, sizes, mtimes = stamps
    count = len(relatives)
    position = positions(relatives)
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


def _in_last_order(fields: list[Post | None], last_order: list[int], reading: Sequence[int]) -> list[Post]:
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


def _unchanged(
    root: Path, scanned: ScanResult, config: SiteConfig, config_problems: list[Problem], cached: cache.Cached
) -> Archive | None:
    """The archive as the cache left it, when the folder is exactly as it was then; None
    when the cache's derived part does not hold together (then the files are matched)."""
    return _as_cached(root, config, [*config_problems, *scanned.problems], scanned.folders_read, cached)


def _as_cached(
    root: Path, config: SiteConfig, problems: list[Problem], folders_read: int, cached: cache.Cached
) -> Archive | None:
    """The archive the cache holds, with ``problems`` of its folders; None when the cache's
    derived part does not hold together."""
    all_fields = cached.fields
    try:
        posts = [all_fields[index] for index in cached.order]
        by_category, by_tag, by_month, problem_count = unpack(cached.derived)
    except (IndexError, TypeError, ValueError):
        return None
    if not (
        isinstance(by_category, dict)
        and isinstance(by_tag, dict)
        and isinstance(by_month, dict)
        and isinstance(problem_count, int)
    ):
        return None
    if len(posts) != len(all_fields) - all_fields.count(None) or None in posts:
        return None
    skipped = [
        Problem(relative, problem)
        for relative, problem in zip(cached.relatives, cached.problems, strict=True)
        if problem is not None
    ]
    skipped.sort(key=attrgetter("path"))
    return Archive(
        root=root,
        posts=cast("list[Post]", posts),  # no None in it: checked above
        problems=[*problems, *skipped],
        folders_read=folders_read,
        config=config,
        files_read=0,
        files_cached=len(cached.relatives),
        made=(by_category, by_tag, by_month, problem_count),
    )
