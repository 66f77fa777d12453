"""The ``reader`` command: the window, ``check`` / ``list`` / ``search`` for scripts, and
``update`` / ``clone`` to get an archive's posts from its git remote.

The script commands share the core with the window and never import Qt.

File and folder names need not be UTF-8 (see :mod:`reader.core.names`). The output is
UTF-8 text whatever the locale's error handling: a byte of a name that is not UTF-8 is
printed as ``\\xNN``, and in JSON the strings say the same while ``path_bytes`` (base64)
gives such a post's path exactly.
"""

from __future__ import annotations

import argparse
import base64
import codecs
import io
import json
import logging
import os
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__, logs
from reader.core import names
from reader.progress import progress_line

if TYPE_CHECKING:
    from datetime import tzinfo

    from reader.core.archive import Archive
    from reader.core.post import Post, Problem

if TYPE_CHECKING:  # pygit2 is imported only by the commands that use it
    from reader.core import git

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_ERROR = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
SCRIPT_COMMANDS = ("check", "list", "search", "render", "update", "clone")
PROGRESS_HELP = "show progress on stderr even when it is not a terminal"
DEBUG_HELP = f"write debug lines on stderr (as {logs.DEBUG_VARIABLE}=1 does)"

log = logging.getLogger(__name__)


def _load(path: str) -> Archive | None:
    # Imported here: ``reader search`` answers from a current index without loading
    # the archive, and must not pay for importing what loads it.
    from reader.core.archive import ArchiveError, load_archive

    log.debug("loading %s", names.shown(path))
    started = time.perf_counter()
    try:
        with progress_line("reading {total} files", "read {total} files in {seconds} s") as progress:
            archive = load_archive(Path(path), progress=progress)
    except ArchiveError as error:
        log.debug("cannot load %s: %s", names.shown(path), error)
        print(f"reader: {error}", file=sys.stderr)
        return None
    log.debug(
        "loaded %d posts in %.3f s (%d folders read)",
        len(archive.posts),
        time.perf_counter() - started,
        archive.folders_read,
    )
    return archive


def _shown_time(post: Post, zone: tzinfo | None) -> datetime:
    """The post's time in the site's zone (see reader.core.dates.shown_time); imported
    here, not at the top: a search the index answers loads no post."""
    from reader.core.dates import shown_time

    return shown_time(post, zone)


def _date_range(archive: Archive) -> str:
    if not archive.posts:
        return "none"
    zone = archive.config.zone
    newest, oldest = _shown_time(archive.posts[0], zone), _shown_time(archive.posts[-1], zone)
    return f"{oldest:%Y-%m-%d} to {newest:%Y-%m-%d}"


#: What ``check`` and ``list`` say about a folder without posts (the window says the same).
NO_POSTS = (
    "no posts in {root}. Posts are files in _posts/ named YYYY-MM-DD-title.md (or .markdown, "
    ".html...), or text files elsewhere that start with front matter and have a date; "
    'see "What Reader reads as a post" in the README.'
)


def _say_no_posts(archive: Archive) -> None:
    print("reader: " + NO_POSTS.format(root=archive.root), file=sys.stderr)


def command_check(path: str) -> int:
    """Exit 0 without problems; 1 with problems, or with no posts at all (a folder that
    is not an archive yet: most likely the wrong one); 2 for an unusable folder."""
    archive = _load(path)
    if archive is None:
        return EXIT_UNUSABLE
    posts = archive.posts
    drafts = sum(post.draft for post in posts)
    unpublished = sum(not post.published and not post.draft for post in posts)
    problems = list(archive.all_problems())
    problems.extend(_body_problems(archive))
    print(f"Archive: {archive.root}")
    print(f"Posts: {len(posts)} ({unpublished} unpublished, {drafts} drafts)")
    print(f"Categories: {len(archive.by_category)}")
    print(f"Tags: {len(archive.by_tag)}")
    print(f"Dates: {_date_range(archive)}")
    print(f"Folders read: {archive.folders_read}")
    copies = _copies(archive)
    print(f"Stories: {len(posts) - sum(map(len, copies.values()))} ({sum(map(len, copies.values()))} copies)")
    print(f"Problems: {len(problems)}")
    for problem in problems:
        print(problem)
    for shown, others in copies.items():
        text = archive.read_body(shown)
        for other in others:
            if archive.read_body(other) != text:
                where, copied = names.shown(other.path), names.shown(shown.path)
                print(f"note: {where}: a copy of {copied} with another text")
    if not posts:
        _say_no_posts(archive)
    return EXIT_PROBLEMS if problems or not posts else EXIT_OK


def _copies(archive: Archive) -> dict[Post, list[Post]]:
    """The copy shown of each story that has copies, and its other copies."""
    posts = archive.posts
    positions: dict[int, list[int]] = {}
    for at, shown in enumerate(archive.stories()):
        if shown != at:
            positions.setdefault(shown, []).append(at)
    return {posts[shown]: [posts[at] for at in others] for shown, others in positions.items()}


def _body_problems(archive: Archive) -> list[Problem]:
    """What the posts' bodies show wrong (Liquid that cannot run, front matter Jekyll
    does not read), as the reading pane's banner says it."""
    from reader.core.post import Problem
    from reader.core.post_view import body_problems
    from reader.core.site_vars import site_variables

    site = site_variables(archive)
    return [
        Problem(post.path, message)
        for post in archive.posts
        for message in body_problems(archive, post, site)
    ]


def _find_post(archive: Archive, wanted: str) -> Post | None:
    """A post by its key, its path in the archive, or its file name with or without extension."""
    wanted = wanted.replace(os.sep, "/")
    at = archive.by_key.get(wanted)
    if at is not None:
        return archive.posts[at]
    root = os.path.realpath(archive.root)
    relative = (
        os.path.relpath(os.path.realpath(wanted), root).replace(os.sep, "/")
        if os.path.exists(wanted)
        else None
    )
    for post in archive.posts:
        if post.path in (wanted, relative):
            return post
    key = archive.key_by_stem().get(wanted.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return archive.posts[archive.by_key[key]] if key is not None else None


def command_render(path: str, post_name: str, as_text: bool) -> int:
    """Print one post's body as the reading pane renders it (HTML, or its visible text)."""
    from reader.core.post_view import render_post
    from reader.core.visible_text import visible_text

    archive = _load(path)
    if archive is None:
        return EXIT_UNUSABLE
    post = _find_post(archive, post_name)
    if post is None:
        print(f"reader: {names.shown(post_name)}: no such post in {names.shown(path)}", file=sys.stderr)
        return EXIT_UNUSABLE
    rendered = render_post(archive, post)
    print(visible_text(rendered.html) if as_text else rendered.html)
    for problem in rendered.problems:
        _warn(f"{names.shown(post.path)}: {problem}")
    return EXIT_PROBLEMS if rendered.problems else EXIT_OK


def _shown(value: object) -> object:
    if isinstance(value, str):
        return names.shown(value)
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


def _json_names(fields: dict[str, object], path: str) -> dict[str, object]:
    """``fields`` made valid Unicode for JSON: every string as :func:`names.shown` writes
    it, and ``path_bytes`` (the path's exact bytes, base64) when the path is not UTF-8."""
    result = {name: _shown(value) for name, value in fields.items()}
    if not names.is_text(path):
        result["path_bytes"] = base64.b64encode(os.fsencode(path)).decode("ascii")
    return result


def post_as_json(post: Post, zone: tzinfo | None, story: Post) -> dict[str, object]:
    """``zone``: the site's; ``story``: the copy shown for the post's story (the post
    itself when it has no copy)."""
    fields: dict[str, object] = {
        "key": post.key,
        "path": post.path,
        "title": post.title,
        "date": _shown_time(post, zone).isoformat(),
        "categories": list(post.categories),
        "tags": list(post.tags),
        "published": post.published,
        "problems": list(post.problems),
        "story": story.key,
    }
    return _json_names(fields, post.path)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to ``width`` terminal columns."""
    if _width(text) > width:
        while text and _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * max(0, width - _width(text))


def command_list(path: str, as_json: bool) -> int:
    archive = _load(path)
    if archive is None:
        return EXIT_UNUSABLE
    if not archive.posts:
        _say_no_posts(archive)
    if as_json:
        posts, zone, stories = archive.posts, archive.config.zone, archive.stories()
        rows = [post_as_json(post, zone, posts[at]) for post, at in zip(posts, stories, strict=True)]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    shown = [names.shown(", ".join(p.categories)) for p in archive.posts]
    category_width = min(24, max(map(_width, shown), default=0))
    for post, categories_text in zip(archive.posts, shown, strict=True):
        flags = ("!" if post.problems else " ") + ("D" if post.draft else "U" if not post.published else " ")
        when = _shown_time(post, archive.config.zone).strftime("%Y-%m-%d %H:%M")
        categories = _fit(categories_text, category_width)
        print(f"{when}  {flags}  {categories}  {post.title or '(untitled)'}")
    return EXIT_OK


def command_search(path: str, query: str, as_json: bool, limit: int | None) -> int:
    from reader.core.index_answers import Answer, answer

    # A current index answers alone: no load of the archive (whose every file is still
    # stat'ed, to know the index is current); else the archive is loaded, the index
    # brought up to date, and the answers are the same.
    answers = answer(path, query)
    if answers is None:
        from reader.core.search import search_archive

        archive = _load(path)
        if archive is None:
            return EXIT_UNUSABLE
        with progress_line(
            "indexing {total} posts for search", "indexed {total} posts for search in {seconds} s"
        ) as progress:
            hits, trouble = search_archive(query, archive, progress)
        if trouble is not None:
            _warn(f"the search index cannot be used ({trouble}); the files were read instead")
        if limit is not None:
            hits = hits[: max(0, limit)]
        posts = [archive.posts[hit.post_index] for hit in hits]
        zone = archive.config.zone
        answers = [
            Answer(
                post.key,
                post.path,
                post.title,
                _shown_time(post, zone).isoformat(),
                hit.score,
                hit.in_title,
                post.timestamp,
            )
            for hit, post in zip(hits, posts, strict=True)
        ]
    if limit is not None:
        answers = answers[: max(0, limit)]
    if as_json:
        rows = [
            _json_names(
                {
                    "key": one.key,
                    "path": one.path,
                    "title": one.title,
                    "date": one.date,
                    "score": round(-one.score, 6),
                },
                one.path,
            )
            for one in answers
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for start in range(0, len(answers), 1000):  # written a thousand lines at a time
            sys.stdout.write(
                "".join(
                    f"{_minute(one.date)}  {one.title or '(untitled)'}  [{one.path}]\n"
                    for one in answers[start : start + 1000]
                )
            )
    if not answers:
        print(f'reader: no posts match "{query}" in {path}', file=sys.stderr)
    return EXIT_OK if answers else EXIT_PROBLEMS


def _minute(iso: str) -> str:
    """``2022-06-01 15:43`` of an ISO date, as ``strftime("%Y-%m-%d %H:%M")`` writes it
    (which writes a year before 1000 with fewer digits: those go through it)."""
    if iso[0] != "0" and iso[4:5] == "-" and iso[10:11] == "T":
        return f"{iso[:10]} {iso[11:16]}"
    return f"{datetime.fromisoformat(iso):%Y-%m-%d %H:%M}"


class _ProgressLine:
    """Transfer progress on stderr, as git shows it: on a terminal (or with ``--progress``)
    only; one line redrawn on a terminal, else a line for each stage and its end."""

    def __init__(self, forced: bool) -> None:
        self._terminal = sys.stderr.isatty()
        self._shown = forced or self._terminal
        self._stage = ""
        self._drawn = False

    def __call__(self, progress: git.Progress) -> None:
        if not self._shown:
            return
        text = git_progress_text(progress)
        if self._terminal:
            print(f"\r{text}\x1b[K", end="", file=sys.stderr, flush=True)
            self._drawn = True
        elif progress.stage != self._stage or progress.done == progress.total:
            print(text, file=sys.stderr, flush=True)
        self._stage = progress.stage if progress.done < progress.total else ""

    def end(self) -> None:
        if self._drawn:
            print(file=sys.stderr, flush=True)
            self._drawn = False


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{count:.0f} B"
        count /= 1024
    return f"{count:.1f} GB"  # pragma: no cover - the loop returns


def git_progress_text(progress: git.Progress) -> str:
    """One line of progress, as ``git`` prints it."""
    if progress.stage == "receiving":
        return (
            f"Receiving objects: {progress.done:,}/{progress.total:,}, {_size(progress.bytes)}"
            f" | {_size(progress.speed)}/s"
        )
    if progress.stage == "resolving":
        return f"Resolving deltas: {progress.done:,}/{progress.total:,}"
    return f"Writing files: {progress.done:,}/{progress.total:,}"


def _git_exit(problem: git.GitProblem) -> int:
    from reader.core import git

    print(f"reader: {problem}", file=sys.stderr)
    if problem.kind is git.Trouble.CANCELLED:
        return EXIT_INTERRUPTED
    refused = (git.Trouble.DIRTY, git.Trouble.AHEAD, git.Trouble.DIVERGED, git.Trouble.DETACHED)
    return EXIT_PROBLEMS if problem.kind in refused else EXIT_UNUSABLE


def _stop_on_signal() -> threading.Event:
    """Ctrl+C or SIGTERM asks the transfer to stop (it cleans up after itself, at its next
    step); a second one stops at once. libgit2 calls back into Python only between its
    steps: a signal's exception raised there would be taken for a callback's and lost."""
    stop = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, interrupt)
        if hasattr(signal, "siginterrupt"):  # a read under way goes on (libgit2 takes EINTR as an error)
            signal.siginterrupt(number, False)
    return stop


def command_update(path: str, progress: bool = False) -> int:
    from reader.core import git

    stop = _stop_on_signal()
    line = _ProgressLine(progress)
    try:
        summary = git.update(Path(path), progress=line, cancel=stop)
    except git.GitProblem as problem:
        line.end()
        return _git_exit(problem)
    except KeyboardInterrupt:
        line.end()
        print("reader: stopped: the archive is as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    line.end()
    print(summary.describe())
    return EXIT_OK


def command_clone(url: str, folder: str, depth: int | None, progress: bool = False) -> int:
    from reader.core import git

    stop = _stop_on_signal()
    line = _ProgressLine(progress)
    try:
        depth = git.DEFAULT_DEPTH if depth is None else depth
        git.clone(url, Path(folder), depth=depth, progress=line, cancel=stop)
    except git.GitProblem as problem:
        line.end()
        return _git_exit(problem)
    line.end()
    print(f"Cloned {url} into {folder}")
    return EXIT_OK


def _debug_option() -> argparse.ArgumentParser:
    """``--debug``, which every command takes."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    return parent


def _script_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description="Read archives of Jekyll-style posts.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    debug = [_debug_option()]
    check = commands.add_parser("check", parents=debug, help="summarise an archive and list its problems")
    check.add_argument("path", help="the archive folder")
    listing = commands.add_parser("list", parents=debug, help="list an archive's posts, newest first")
    listing.add_argument("path", help="the archive folder")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    search = commands.add_parser(
        "search", parents=debug, help="full-text search, best matches first (exit 1: none)"
    )
    search.add_argument("path", help="the archive folder")
    search.add_argument(
        "query", nargs="*", help='words, "a phrase", -exclude, title:, tag:, category:, before:, after:'
    )
    search.add_argument("--json", action="store_true", help="print a JSON array")
    search.add_argument("--limit", type=int, default=None, metavar="N", help="at most N results")
    render = commands.add_parser(
        "render",
        parents=debug,
        help="print one post's body as the reading pane renders it (exit 1: problems)",
    )
    render.add_argument("path", help="the archive folder")
    render.add_argument("post", help="the post: its key, its path in the archive or its file name")
    shape = render.add_mutually_exclusive_group()
    shape.add_argument("--html", dest="text", action="store_false", help="print the HTML (the default)")
    shape.add_argument("--text", dest="text", action="store_true", help="print the text a reader sees")
    render.set_defaults(text=False)
    update = commands.add_parser(
        "update",
        parents=debug,
        help="fetch the archive's git remote and fast-forward (exit 1: refused, to keep local changes)",
    )
    update.add_argument("path", help="the archive folder (a git work tree with a remote)")
    update.add_argument("--progress", action="store_true", help=PROGRESS_HELP)
    clone = commands.add_parser("clone", parents=debug, help="get an archive from a git remote (shallow)")
    clone.add_argument("url", help="the git remote (https://, git://, ssh://, file:// or a path)")
    clone.add_argument("folder", help="a new or empty folder")
    clone.add_argument("--progress", action="store_true", help=PROGRESS_HELP)
    clone.add_argument(
        "--depth",
        type=int,
        default=None,
        metavar="N",
        help="the last N commits (default 1; 0: the whole history; a remote on this machine is copied whole)",
    )
    return parser


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        parents=[_debug_option()],
        description="Read archives of Jekyll-style posts. Commands for scripts: "
        + ", ".join(SCRIPT_COMMANDS)
        + " (reader COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("path", nargs="?", help="the archive folder (default: the last one, else the sample)")
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="open the window offscreen at 1280x800 with the newest post shown, save a PNG, exit",
    )
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        help="the theme for this run (View → Theme changes the one remembered)",
    )
    parser.add_argument(
        "--lang",
        choices=("system", "en", "zh_CN"),
        help="the interface language for this run (View → Language changes the one remembered)",
    )
    return parser


def _escape_names(error: UnicodeError) -> tuple[str, int]:
    """The output's error handler: a byte of a name that is not UTF-8 as ``\\xNN`` (as
    :func:`names.shown` writes it), any other character the stream cannot take as
    ``\\uXXXX``. Python's own (``strict``, or ``surrogateescape`` under ``C.UTF-8``)
    would stop with an error or write bytes that are not UTF-8."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = names.shown(error.object[error.start : error.end])
    return text.encode("ascii", "backslashreplace").decode("ascii"), error.end


codecs.register_error("reader.names", _escape_names)


def _escape_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="reader.names")


def _warn(message: str) -> None:
    print(f"reader: warning: {message}", file=sys.stderr)


class _Warnings(logging.Handler):
    """The core's warnings (a cache that cannot be written), one line each on stderr:
    whatever ``sys.stderr`` is when one comes."""

    def emit(self, record: logging.LogRecord) -> None:
        _warn(" ".join(record.getMessage().split()))


def _say_warnings() -> None:
    logger = logging.getLogger("reader")
    if not any(isinstance(handler, _Warnings) for handler in logger.handlers):
        logger.addHandler(_Warnings(logging.WARNING))


def _drop_output() -> None:
    """Send what is left of our output nowhere: its reader is gone or it cannot be
    written, and the interpreter's last flush must not fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line. Exit codes: 0 success, 1 problems found or no match, 2 an
    unusable folder or arguments, 3 an unexpected error (one line on stderr, never a
    traceback). A cache that cannot be written is no error: a warning."""
    _escape_output()
    _say_warnings()
    try:
        code = _main(argv)
        if sys.stdout is not None:
            sys.stdout.flush()  # a failing write is this command's error, not the exit's
        return code
    except BrokenPipeError:
        # The reader of our output went away (``reader list | head``): not an error.
        _drop_output()
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:  # the promise: one line, never a traceback
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except OSError:
            _drop_output()
        detail = " ".join(str(error).split())
        print(f"reader: error: {type(error).__name__}{': ' + detail if detail else ''}", file=sys.stderr)
        return EXIT_ERROR


def _main(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SCRIPT_COMMANDS:
        parser = _script_parser()
        options, extra = parser.parse_known_args(args)
        if options.command == "search":
            # An excluded word (``-降息``) looks like an option to argparse, and ends its
            # reading of the query: both are query words; only ``--name`` is an option.
            # (``--`` before the query says so too).
            extra = [word for word in extra if word != "--"]
            unknown = [word for word in extra if word.startswith("--")]
            if unknown:
                parser.error(f"unrecognized arguments: {' '.join(unknown)}")
            options.query = " ".join([*options.query, *extra])
            if not options.query.strip():
                parser.error("a query is needed")
        elif extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        logs.configure(options.debug or logs.debug_requested(), warnings_said_elsewhere=True)
        log.debug("reader %s: %s", __version__, options.command)
        if options.command == "check":
            return command_check(options.path)
        if options.command == "update":
            return command_update(options.path, options.progress)
        if options.command == "clone":
            return command_clone(options.url, options.folder, options.depth, options.progress)
        if options.command == "search":
            return command_search(options.path, options.query, options.json, options.limit)
        if options.command == "render":
            return command_render(options.path, options.post, options.text)
        return command_list(options.path, options.json)
    options = _window_parser().parse_args(args)
    logs.configure(options.debug or logs.debug_requested())
    from reader.core.scan import unusable_folder

    unusable = unusable_folder(options.path) if options.path else None
    if unusable is not None:
        print(f"reader: {unusable}", file=sys.stderr)
        return EXIT_UNUSABLE
    from reader.ui import app  # Qt is imported only for the window

    if options.screenshot:
        return app.screenshot(options.screenshot, options.path, options.theme, options.lang)
    return app.run(options.path, options.theme, options.lang)


if __name__ == "__main__":
    raise SystemExit(main())
