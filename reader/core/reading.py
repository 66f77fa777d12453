"""Reading one candidate file into a :class:`~reader.core.post.Post`, or the reason it was
skipped: its front matter, date, title, categories and tags, by Jekyll's rules."""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from reader.core import dates, front_matter, jekyll, native
from reader.core.names import shown as shown_name
from reader.core.post import Post
from reader.core.post_columns import PostColumns, Shared
from reader.core.scan import _FOLDER_FLAGS, _OPEN_AT, Kind

#: Most front matter fits here; a longer one is read in full.
HEAD_BYTES = 16 * 1024


#: The compiled helper's UTF-8 checks: valid; valid but for a character cut at the end.


#: What reading one file gives: (post or None, problem or None, size, mtime in ns).
#: Post None and problem None: not a post, nothing worth telling (a page, say).
#: Size and mtime are those of the file as it was read (0 when it could not be opened).
Reading = tuple[Post | None, str | None, int, int]


#: The most of a file a load reads looking for the end of its front matter (8 MiB): past
#: that, a post is read as having none (and told), whatever its size.
FRONT_MATTER_SEARCH_BYTES = 8 * 1024 * 1024


def _read_rest(path: str, folder: int | None) -> bytes:
    """A file's first :data:`FRONT_MATTER_SEARCH_BYTES`, and one more byte if it has it."""
    descriptor, _ = native.open_file(path, folder)
    with open(descriptor, "rb") as handle:
        return handle.read(FRONT_MATTER_SEARCH_BYTES + 1)


def _split_name(relative: str) -> tuple[str | None, str, str]:
    return jekyll.split_filename(relative.rsplit("/", 1)[-1])


def _read_head(path: str, folder: int | None) -> tuple[bytes, int, int]:
    """A file's first :data:`HEAD_BYTES`, its size and its mtime (ns)."""
    return native.read_head(path, folder, HEAD_BYTES)


def _cannot_read(error: OSError) -> str:
    if error.errno == errno.EINVAL:  # replaced since the scan by a pipe, a device…
        return "file cannot be read: no longer a regular file; skipped"
    return f"file cannot be read: {error.strerror or error}"


class _NotAPost(Exception):
    """A step of :func:`read_file` found the file is no post: ``problem`` says why, or is
    None when that is nothing worth telling (a page, say)."""

    def __init__(self, problem: str | None) -> None:
        super().__init__(problem)
        self.problem = problem


def read_file(
    path: str, relative: str, kind: Kind, site_zone: tzinfo | None, *, folder: int | None = None
) -> Reading:
    """Turn one candidate file into a post, or a reason it was skipped.

    ``path`` is relative to the open folder ``folder`` when it is given."""
    try:
        head, size, mtime = _read_head(path, folder)
    except FileNotFoundError:
        return None, "file vanished while the archive was loading", 0, 0
    except IsADirectoryError:
        return None, None, 0, 0
    except OSError as error:
        return None, _cannot_read(error), 0, 0
    problems: list[str] = []
    try:
        data = _front_matter_data(path, folder, head, kind, problems)
        moment = _moment_of(data, relative, kind, mtime=mtime, site_zone=site_zone, problems=problems)
    except _NotAPost as skipped:
        return None, skipped.problem, size, mtime
    return _post(relative, kind, data, moment, problems), None, size, mtime


def _without_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(front_matter.BOM) else head


def _front_matter_data(
    path: str, folder: int | None, head: bytes, kind: Kind, problems: list[str]
) -> dict[str, Any]:
    """The file's front matter, from its first bytes ``head`` (read on when they do not
    hold it all). Raises :class:`_NotAPost`."""
    complete = len(head) < HEAD_BYTES
    body_start = _without_bom(head)
    # The plain case (UTF-8 text, "key: value" lines) in one compiled call, with the
    # result the code below would give; None sends the file that way.
    simple = native.simple_front_matter(body_start, complete)
    if simple is not None:
        return simple
    if b"\0" in head:
        # Binary, unless the NUL bytes are all in the body, after whole front matter
        # (as the compiled reader of simple front matter, which reads no body, has it).
        whole = front_matter.FRONT_MATTER_BYTES.match(body_start)
        if whole is None or b"\0" in whole.group(0):
            raise _NotAPost(None if kind == "other" else "binary file, not a post; skipped")
    if kind == "other" and not front_matter.YAML_HEADER.match(body_start):
        raise _NotAPost(None)  # a text file without front matter is not a post
    match = front_matter.FRONT_MATTER_BYTES.match(body_start)
    if match is None and not complete:
        body_start, complete = _read_on(path, folder, problems)
        match = front_matter.FRONT_MATTER_BYTES.match(body_start)
    utf8 = _is_utf8_prefix(body_start, complete)
    if not utf8:
        try:
            front_matter.decode(body_start if complete else body_start[: len(body_start) - 4])
        except front_matter.UndecodableError as error:
            raise _NotAPost(f"{error}; skipped") from None
        problems.append("not UTF-8; read as GB18030 (Chinese)")
    if match is None:
        if kind == "other":
            raise _NotAPost(None)  # an opening ``---`` that never closes: not front matter
        return {}
    raw = match.group(1)  # whole characters: it ends before the closing line
    return front_matter.parse_post(raw.decode("utf-8") if utf8 else front_matter.decode(raw).text, problems)


def _read_on(path: str, folder: int | None, problems: list[str]) -> tuple[bytes, bool]:
    """The file's first :data:`FRONT_MATTER_SEARCH_BYTES` (without a byte order mark), and
    whether that is the whole file. Raises :class:`_NotAPost`."""
    try:
        head = _read_rest(path, folder)
    except OSError as error:
        raise _NotAPost(_cannot_read(error)) from None
    complete = len(head) <= FRONT_MATTER_SEARCH_BYTES
    body_start = _without_bom(head[:FRONT_MATTER_SEARCH_BYTES])
    if not complete and front_matter.FRONT_MATTER_BYTES.match(body_start) is None:
        megabytes = FRONT_MATTER_SEARCH_BYTES >> 20
        problems.append(f"front matter not closed within the first {megabytes} MiB; read as none")
    return body_start, complete


def _moment_of(
    data: dict[str, Any],
    relative: str,
    kind: Kind,
    *,
    mtime: int,
    site_zone: tzinfo | None,
    problems: list[str],
) -> dates.Moment:
    """The post's moment (see :func:`reader.core.dates.post_moment`), else (flagged) the
    mtime's. Raises :class:`_NotAPost` for a page (no date anywhere)."""
    found = dates.post_moment(data, relative, site_zone, problems)
    if found is not None:
        return found
    if kind == "other" and "date" not in data:
        if data.get("layout") == "post":
            raise _NotAPost("has layout: post but no date; skipped")
        raise _NotAPost(None)  # a page, not a post
    when = datetime.fromtimestamp(mtime / 1e9)
    if kind != "draft":  # Jekyll dates drafts by their mtime: not a problem there
        problems.append("no usable date; using the file's modification time")
    return dates.moment(when, site_zone)


def _post(relative: str, kind: Kind, data: dict[str, Any], moment: dates.Moment, problems: list[str]) -> Post:
    """The post of the file at ``relative``, of its front matter ``data`` and moment."""
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
    written, offset, timestamp = moment
    return Post(
        jekyll.post_key(relative),
        relative,
        title,
        written,
        offset,
        timestamp,
        categories,
        tags,
        data.get("published", True) is not False and kind != "draft",  # jekyll.is_published
        kind == "draft",
        tuple(problems) if problems else (),
    )


#: What :func:`read_files` gives: posts, problems, sizes and mtimes.
Columns = tuple[list[Post | None], list[str | None], list[int], list[int]]
#: :data:`Columns` with the posts as msgpack columns (:mod:`reader.core.post_columns`):
#: how a reading process hands a batch back (half the time of pickling the posts, both
#: ways, and the batches' posts share their sets of categories and tags).
PackedColumns = tuple[bytes, list[str | None], list[int], list[int]]

_POSTS_ENCODER = msgspec.msgpack.Encoder()
_POSTS_DECODER = msgspec.msgpack.Decoder(PostColumns)


def read_files(root: str, relatives: Sequence[str], kinds: Sequence[Kind], zone_name: str | None) -> Columns:
    """Read a batch of candidate files, as four columns: posts, problems, sizes and
    mtimes, in the order of ``relatives``."""
    zone = ZoneInfo(zone_name) if zone_name else None
    prefix = os.path.join(root, "")
    fields: list[Post | None] = []
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


def read_files_packed(
    root: str, relatives: Sequence[str], kinds: Sequence[Kind], zone_name: str | None
) -> PackedColumns:
    """:func:`read_files` in a worker process: the posts come back as msgpack."""
    posts, problems, sizes, mtimes = read_files(root, relatives, kinds, zone_name)
    return _POSTS_ENCODER.encode(PostColumns.of(posts)), problems, sizes, mtimes


def unpack_columns(columns: PackedColumns, shared: Shared) -> Columns:
    """:func:`read_files_packed`'s batch again; ``shared``: the load's sets of names."""
    posts, problems, sizes, mtimes = columns
    return _POSTS_DECODER.decode(posts).posts(shared), problems, sizes, mtimes


def _open_folder(path: str) -> int | None:
    """An open folder to read files from by name, or None to use whole paths."""
    if not _OPEN_AT:
        return None
    try:
        return os.open(path or ".", _FOLDER_FLAGS)
    except OSError:
        return None  # each file then gives its own reason


def _is_utf8_prefix(raw: bytes, complete: bool) -> bool:
    """Is ``raw`` valid UTF-8, allowing a character cut at the end of a partial read?"""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return not complete and error.start >= len(raw) - 3 and error.reason == "unexpected end of data"
    return True
