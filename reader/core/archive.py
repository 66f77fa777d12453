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

import os
import stat
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from reader.core import front_matter, jekyll
from reader.core.post import Post, Problem

TEXT_EXTENSIONS = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm", ".txt", ".text"})
#: Folders never read: Jekyll's output, caches, dependencies and theme parts.
SKIPPED_FOLDERS = frozenset(
    {"_site", ".git", "node_modules", "vendor", ".jekyll-cache", "_layouts", "_includes", "_sass", "_data"}
)
#: Most front matter fits here; a longer one is read in full.
HEAD_BYTES = 16 * 1024

Kind = Literal["post", "draft", "other"]
Progress = Callable[[int, int], None]


class ArchiveError(Exception):
    """The archive folder itself cannot be used (missing, not a folder, unreadable)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file the scan found that may be a post."""

    relative: str  # POSIX, relative to the archive root
    absolute: str
    kind: Kind


@dataclass(slots=True)
class ScanResult:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders_read: int = 0


def _kind_for(parts: list[str]) -> Kind | None:
    """Which rule applies to a file at ``parts`` (its path split on ``/``)."""
    name = parts[-1]
    for index, part in enumerate(parts[:-1]):
        if part == jekyll.POSTS_DIR:
            below = "/".join(parts[index + 1 :])
            if jekyll.is_special_entry(below) or not jekyll.DATE_FILENAME.match(name):
                return None
            return "post"
        if part == jekyll.DRAFTS_DIR:
            below = "/".join(parts[index + 1 :])
            if jekyll.is_special_entry(below) or not jekyll.DATELESS_FILENAME.match(name):
                return None
            return "draft"
    if os.path.splitext(name)[1].lower() in TEXT_EXTENSIONS and not name.startswith("."):
        return "other"
    return None


def scan(root: Path) -> ScanResult:
    """Walk ``root`` for candidate files. Symlinks are followed only while they stay
    inside the archive, and a folder is never read twice (no loops)."""
    result = ScanResult()
    root_real = os.path.realpath(root)
    seen: set[tuple[int, int]] = set()

    def inside(real: str) -> bool:
        return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)

    def walk(folder: str, prefix: list[str]) -> None:
        try:
            info = os.stat(folder)
        except OSError as error:
            result.problems.append(
                Problem("/".join(prefix) or ".", f"folder cannot be read: {error.strerror}")
            )
            return
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(folder) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError as error:
            result.problems.append(
                Problem("/".join(prefix) or ".", f"folder cannot be read: {error.strerror}")
            )
            return
        result.folders_read += 1
        for entry in entries:
            parts = [*prefix, entry.name]
            relative = "/".join(parts)
            try:
                is_link = entry.is_symlink()
                if is_link and not inside(os.path.realpath(entry.path)):
                    result.problems.append(
                        Problem(relative, "symbolic link leads outside the archive; not followed")
                    )
                    continue
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS:
                    continue
                walk(entry.path, parts)
                continue
            kind = _kind_for(parts)
            if kind is not None:
                result.candidates.append(Candidate(relative, entry.path, kind))

    if not os.path.isdir(root):
        raise ArchiveError(f"{root}: not a folder" if os.path.exists(root) else f"{root}: no such folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ArchiveError(f"{root}: folder cannot be read (permission denied)")
    walk(str(root), [])
    return result


# --- reading one file ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadResult:
    post: Post | None
    problem: Problem | None  # set when the file was skipped for a reason worth telling


def _read_head(path: str) -> tuple[bytes, bool, os.stat_result]:
    """The first :data:`HEAD_BYTES` of a file, whether that is all of it, and its stat."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        head = handle.read(HEAD_BYTES)
        complete = len(head) < HEAD_BYTES
        return head, complete, info


def _read_rest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


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


def _parse(source: str, problems: list[str]) -> dict[str, Any]:
    try:
        data = front_matter.parse_front_matter(source)
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


def read_candidate(candidate: Candidate, site_zone: tzinfo | None) -> ReadResult:
    """Turn one candidate file into a post, or a reason it was skipped."""
    relative, kind = candidate.relative, candidate.kind
    try:
        head, complete, info = _read_head(candidate.absolute)
    except FileNotFoundError:
        return ReadResult(None, Problem(relative, "file vanished while the archive was loading"))
    except OSError as error:
        return ReadResult(None, Problem(relative, f"file cannot be read: {error.strerror or error}"))
    if not stat.S_ISREG(info.st_mode):
        return ReadResult(None, None)

    body_start = head[3:] if head.startswith(front_matter.BOM) else head
    if b"\0" in head:
        if kind == "other":
            return ReadResult(None, None)
        return ReadResult(None, Problem(relative, "binary file, not a post; skipped"))
    if kind == "other" and not front_matter.YAML_HEADER.match(body_start):
        return ReadResult(None, None)  # a text file without front matter is not a post

    problems: list[str] = []
    match = front_matter.FRONT_MATTER_BYTES.match(body_start)
    if match is None and not complete:
        try:
            whole = _read_rest(candidate.absolute)
        except OSError as error:
            return ReadResult(None, Problem(relative, f"file cannot be read: {error.strerror or error}"))
        head, complete = whole, True
        body_start = head[3:] if head.startswith(front_matter.BOM) else head
        match = front_matter.FRONT_MATTER_BYTES.match(body_start)

    if not _is_utf8_prefix(body_start, complete):
        try:
            front_matter.decode(body_start if complete else body_start[: len(body_start) - 4])
        except front_matter.UndecodableError as error:
            return ReadResult(None, Problem(relative, f"{error}; skipped"))
        problems.append("not UTF-8; read as GB18030 (Chinese)")

    data: dict[str, Any] = {}
    if match is not None:
        source = front_matter.decode(match.group(1)).text
        data = _parse(source, problems)
    elif kind == "other":
        return ReadResult(None, None)  # an opening ``---`` that never closes: not front matter

    name = relative.rsplit("/", 1)[-1]
    day_text, slug, _ext = jekyll.split_filename(name)

    # The date: front matter first, then the file name, then (flagged) the file's mtime.
    when: datetime | None = None
    if "date" in data:
        when = jekyll.normalise_date(data["date"])
        if when is None:
            shown = jekyll.ruby_to_s(data["date"]).strip()
            problems.append(f"date {shown!r} cannot be read" if shown else "date is empty")
    if when is None and day_text is not None:
        when = jekyll.parse_date_text(day_text)
        if when is None:
            problems.append(f"file name date {day_text!r} is not a real day")
    if when is None:
        if kind == "other" and "date" not in data:
            if data.get("layout") == "post":
                return ReadResult(None, Problem(relative, "has layout: post but no date; skipped"))
            return ReadResult(None, None)  # a page, not a post
        when = datetime.fromtimestamp(info.st_mtime)
        if kind != "draft":  # Jekyll dates drafts by their mtime: not a problem there
            problems.append("no usable date; using the file's modification time")

    title_value = data.get("title")
    title = (
        jekyll.titleize_slug(slug)
        if title_value is None or title_value is False
        else jekyll.ruby_to_s(title_value)
    )

    if kind == "post":
        path_categories = jekyll.categories_from_path(relative, jekyll.POSTS_DIR)
    elif kind == "draft":
        path_categories = jekyll.categories_from_path(relative, jekyll.DRAFTS_DIR)
    else:
        path_categories = []

    naive_zone = site_zone
    timestamp = (
        when if when.tzinfo is not None or naive_zone is None else when.replace(tzinfo=naive_zone)
    ).timestamp()
    post = Post(
        key=jekyll.post_key(relative),
        path=relative,
        title=title,
        date=when,
        timestamp=timestamp,
        categories=jekyll.jekyll_categories(path_categories, data),
        tags=jekyll.jekyll_tags(data),
        published=jekyll.is_published(data) and kind != "draft",
        draft=kind == "draft",
        problems=tuple(problems),
    )
    return ReadResult(post, None)


# --- the archive ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What the reader uses from ``_config.yml``."""

    values: dict[str, Any]
    zone: tzinfo | None  # ``timezone:``; None means the system's local zone


def read_site_config(root: Path) -> tuple[SiteConfig, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    config_path = root / "_config.yml"
    if config_path.is_file():
        try:
            loaded = front_matter.parse_yaml(front_matter.decode(config_path.read_bytes()).text)
        except (OSError, yaml.YAMLError, front_matter.UndecodableError) as error:
            problems.append(Problem("_config.yml", f"cannot be read: {_first_line(error)}"))
        else:
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


def _unique_keys(posts: list[Post]) -> list[Post]:
    """Give every post its own key: the first by path order (``_posts`` folders first)
    keeps the shared key, the others get ``key@path``."""
    ordered = sorted(posts, key=lambda p: (jekyll.POSTS_DIR not in p.path.split("/"), p.path))
    taken: set[str] = set()
    result: list[Post] = []
    for post in ordered:
        unique = replace(post, key=f"{post.key}@{post.path}") if post.key in taken else post
        taken.add(unique.key)
        result.append(unique)
    return result


@dataclass(slots=True)
class Archive:
    """All posts of one folder, newest first, with indexes by category, tag and month."""

    root: Path
    posts: list[Post]
    problems: list[Problem]  # files skipped and folders that could not be read
    folders_read: int
    config: SiteConfig
    by_key: dict[str, int] = field(init=False)
    by_category: dict[str, list[int]] = field(init=False)
    by_tag: dict[str, list[int]] = field(init=False)
    by_month: dict[tuple[int, int], list[int]] = field(init=False)
    _stems: dict[str, str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.by_key = {}
        by_category: defaultdict[str, list[int]] = defaultdict(list)
        by_tag: defaultdict[str, list[int]] = defaultdict(list)
        by_month: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
        for index, post in enumerate(self.posts):
            self.by_key[post.key] = index
            for category in post.categories:
                by_category[category].append(index)
            for tag in post.tags:
                by_tag[tag].append(index)
            by_month[(post.date.year, post.date.month)].append(index)
        self.by_category = dict(by_category)
        self.by_tag = dict(by_tag)
        self.by_month = dict(by_month)

    def key_by_stem(self) -> dict[str, str]:
        """Post keys by file name without extension (``2022-06-01-x``), built once."""
        if self._stems is None:
            stems: dict[str, str] = {}
            for post in self.posts:
                name = post.path.rsplit("/", 1)[-1]
                stems.setdefault(name.rsplit(".", 1)[0] if "." in name else name, post.key)
            self._stems = stems
        return self._stems

    def all_problems(self) -> Iterator[Problem]:
        """Archive problems, then each post's, in the posts' order."""
        yield from self.problems
        for post in self.posts:
            for message in post.problems:
                yield Problem(post.path, message)

    def read_body(self, post: Post) -> str:
        """The post's body (everything after the front matter), read from disk now."""
        raw = (self.root / post.path).read_bytes()
        text = front_matter.decode(raw).text
        return front_matter.split_text(text)[1]


def load_archive(
    root: Path | str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Archive:
    """Read the folder ``root`` into an :class:`Archive`.

    ``progress(done, total)`` is called now and then; when ``cancelled()`` turns true
    the load stops with :class:`LoadCancelled`.
    """
    root = Path(root)
    scanned = scan(root)
    config, config_problems = read_site_config(root)
    problems = [*config_problems, *scanned.problems]
    posts: list[Post] = []
    total = len(scanned.candidates)
    for done, candidate in enumerate(scanned.candidates, 1):
        result = read_candidate(candidate, config.zone)
        if result.post is not None:
            posts.append(result.post)
        elif result.problem is not None:
            problems.append(result.problem)
        if done % 500 == 0:
            if cancelled is not None and cancelled():
                raise LoadCancelled(str(root))
            if progress is not None:
                progress(done, total)
    if progress is not None:
        progress(total, total)
    posts = _unique_keys(posts)
    posts.sort(key=lambda p: (p.timestamp, p.path), reverse=True)
    return Archive(
        root=root, posts=posts, problems=problems, folders_read=scanned.folders_read, config=config
    )


class LoadCancelled(Exception):
    """A load was cancelled through its ``cancelled`` callback."""
