"""Full-text search that works for Chinese: substring semantics for CJK text.

The index is SQLite FTS5 (stdlib) fed with our own tokens: every CJK (or other
non-ASCII) character is a token of its own, every run of ASCII letters and digits is one
token, and ``|`` marks where one run of word characters ends and the next begins. A
query term is the FTS phrase of its tokens, so ``央行`` matches exactly where the two
characters stand side by side, ``碳中和`` where the three do, ``央`` anywhere and
``A股`` where the word ``A`` stands before ``股``. ASCII words match whole, except that
the last one of a term matches as a prefix (``esg`` finds ``ESGs``, ``ral`` finds
``rallied``). FTS5's own trigram tokenizer finds
nothing under three characters, and indexing character pairs instead made FTS5 insert
ten times more distinct terms: building took 70–80 s for 100,000 posts, against about
20 s with single characters, for an index a third the size. Text is normalised with
NFKC and case folding, so ``Ａ股`` finds ``A股`` and ``１８８`` finds ``188``.

The index lives in the user cache folder, one per archive; files are re-indexed when
their size or modification time changes; a corrupt or older index is rebuilt. Deleted
or changed files leave a tombstone (their old rows are skipped) until the index is
compacted.

SQLite checks the structure of its pages, not the bytes of what they hold: a damaged
byte in a path or in the full-text index would give wrong results without an error.
So each shard is sealed after every write: its size and CRC-32 go to a file beside it
(``….seal``). Opening the index checks the seal; a shard that does not match it (a
damaged byte, a truncated file, a write cut short by a crash or a full disk) is deleted
and built again. Writing and checking take a lock file beside the shards, so that one
process never checks a shard while another writes it; searching takes it shared, so no
query reads a shard that another process is halfway through writing. None of them waits
for it longer than a moment (:data:`LOCK_WAIT`): while another process builds or writes
the index, which can take minutes, search reads the files instead.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import logging
import os
import re
import sqlite3
import stat
import tempfile
import time
import unicodedata
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock between processes
    fcntl = None  # type: ignore[assignment]

from reader.core import user_folders
from reader.core.liquid import RAW_BLOCK
from reader.core.names import archive_digest, from_stored, shown, to_stored
from reader.core.resources import open_regular
from reader.core.workers import LoadCancelled, background_priority, worker_context

if TYPE_CHECKING:
    from datetime import tzinfo

    from reader.core.archive import Archive
    from reader.core.post import Post

# The archive and front matter modules (and what they import: YAML, msgspec) are
# imported where they are used, not here: ``reader search`` answers from a current
# index without loading the archive, and its start-up must not pay for them.

log = logging.getLogger(__name__)

INDEX_VERSION = 8
BATCH = 500
#: Search reads the first this many bytes of each post's file: about 330,000 Chinese
#: characters, a hundred times a long news article. The rest of a bigger post is not
#: searched: indexing all of a 50 MB post took 1.5 GB of memory and held the process's
#: lock for seconds.
BODY_LIMIT = 1024 * 1024
#: Text becomes tokens this many characters at a time: a token list of a whole post took
#: ~80 bytes per character.
TOKEN_SLICE = 64 * 1024

_RUN = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_LIQUID = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(?:https?:)?//[^>\s]*>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|tr|br|center|blockquote|pre)\s*>|<br\s*/?>", re.I)


def _joined_runs(text: str) -> str:
    """The runs of letters, digits and CJK that search compares, normalised, joined by
    ``|``. The runs are picked out first and only they are normalised (skipped when
    already NFKC, as CJK text without full-width forms is): NFKC over a whole post was
    the most expensive step of indexing."""
    joined = "|".join(_RUN.findall(text))
    if unicodedata.is_normalized("NFKC", joined):
        return joined.casefold()
    return "|".join(_RUN.findall(unicodedata.normalize("NFKC", joined).casefold()))


def word_runs(text: str) -> list[str]:
    """The runs of letters, digits and CJK that search compares, normalised."""
    joined = _joined_runs(text)
    return joined.split("|") if joined else []


#: An ASCII word, any other character alone, or the ``|`` between runs.
_TOKEN = re.compile(r"[a-z0-9]+|[^|]|\|")


def tokens(text: str) -> list[str]:
    """The tokens search indexes for a text (see the module's description)."""
    return _TOKEN.findall(_joined_runs(text))


def stream(text: str) -> str:
    """A text's tokens as the index receives them: separated by spaces."""
    return " ".join(tokens(text))


#: A character that no run contains; the last one before the end of the text searched.
_GAP = re.compile(r"[\W_]")
_LAST_GAP = re.compile(r"[\W_][^\W_]*$")


def body_stream(text: str) -> str:
    """:func:`stream` of a body's text, made about :data:`TOKEN_SLICE` characters at a time
    (each slice ends after a character no run contains), so its memory stays small. The
    same text as :func:`stream` gives."""
    if len(text) <= TOKEN_SLICE:
        return stream(text)
    streams = []
    start = 0
    while start < len(text):
        end = start + TOKEN_SLICE
        if end < len(text):
            gap = _LAST_GAP.search(text, start, end) or _GAP.search(text, end)
            end = gap.start() + 1 if gap is not None else len(text)
        part = stream(text[start:end])
        if part:
            streams.append(part)
        start = end
    return " | ".join(streams)


def _is_word(token: str) -> bool:
    return token.isascii() and token.isalnum()


def body_text(body: str) -> str:
    """A post body's readable text: no front matter, Liquid, HTML tags or link targets."""
    text = RAW_BLOCK.sub(lambda m: m.group(1).replace("{", " ").replace("}", " "), body)
    text = _LIQUID.sub(" ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
    text = _MD_LINK_TARGET.sub("]", text)
    return html.unescape(text)


def _stamp(archive: Archive, path: str) -> tuple[int, int] | None:
    """(size, mtime) of a post's file: as the load saw it, else from disk; None when gone.

    The load has just looked at every file: asking the disk again would cost a second
    ``stat`` of 100,000 files."""
    stamp = archive.file_stamp(path)
    if stamp is not None:
        return stamp
    try:
        info = os.stat(os.path.join(archive.root, path))
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _stamp_key(size: int, mtime_ns: int) -> int:
    """One integer for (size, mtime): distinct for distinct pairs (|mtime| < 2**63)."""
    return (size << 64) + mtime_ns


# --- queries ---------------------------------------------------------------------------

_QUERY_PART = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
FIELDS = ("title", "tag", "category", "before", "after")


@dataclass(slots=True)
class Query:
    """A parsed query. Never fails: whatever cannot be read as syntax is text."""

    terms: list[tuple[str, bool, bool]] = field(default_factory=list)  # (text, title only, exclude)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    before: date | None = None
    after: date | None = None
    #: ``-tag:x``, ``-category:x``: posts with any of these are left out
    excluded_tags: list[str] = field(default_factory=list)
    excluded_categories: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.terms
            or self.tags
            or self.categories
            or self.before
            or self.after
            or self.excluded_tags
            or self.excluded_categories
        )

    @property
    def highlight_terms(self) -> list[str]:
        return [text for text, _title, exclude in self.terms if not exclude]


def _day(text: str) -> date | None:
    """A query's ``before:``/``after:`` day, ``2022-06-01``: the query's own syntax, not
    a post's date (that is :mod:`reader.core.dates`), so Ruby's forms are not read here."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


def parse_query(text: str) -> Query:
    """``央行 "a phrase" -word title:x tag:x category:x before:2022-06-01 after:2021-12-31``;
    ``-`` before ``title:``, ``tag:`` or ``category:`` excludes too. A date that is not
    one (``before:2022-02-30``), or a negated date, is text."""
    query = Query()
    for negate, name, quoted, bare in _QUERY_PART.findall(text.strip()):
        value = quoted.strip() if quoted else bare  # `tag:" x "` names the tag `x`
        key = name.lower()
        if key == "tag" and value:
            (query.excluded_tags if negate else query.tags).append(value)
        elif key == "category" and value:
            (query.excluded_categories if negate else query.categories).append(value)
        elif key in ("before", "after") and not negate and _day(value):
            setattr(query, key, _day(value))
        elif key == "title" and value:
            if word_runs(value):
                query.terms.append((value, True, bool(negate)))
        else:
            whole = f"{name}:{value}" if name else value
            if word_runs(whole):
                query.terms.append((whole, False, bool(negate)))
    return query


def _fts_expression(term: str, title_only: bool) -> str:
    """The FTS5 phrase of a term: its tokens side by side; a final ASCII word is a prefix."""
    parts = tokens(term)
    phrase = '"' + " ".join(parts) + '"' + (" *" if _is_word(parts[-1]) else "")
    return f"{{title}} : {phrase}" if title_only else phrase


# --- the index -------------------------------------------------------------------------


SHARDS = 2


def index_path(root: Path) -> Path:
    """The index's first shard; the others sit beside it (``….s1.sqlite3``, …)."""
    digest = archive_digest(root)[:20]
    return user_folders.search_indexes() / f"{digest}.s0.sqlite3"


def _shard_paths(first: Path) -> list[Path]:
    return [first.with_name(first.name.replace(".s0.", f".s{i}.")) for i in range(SHARDS)]


def _shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % SHARDS


@dataclass(frozen=True, slots=True)
class Hit:
    post_index: int
    score: float  # lower is better (FTS5's bm25)
    in_title: bool


def _tokens_of(absolute: str, title: str) -> tuple[str, str]:
    from reader.core import front_matter
    from reader.core.archive import read_body

    try:
        body = read_body(absolute, BODY_LIMIT)
    except (OSError, front_matter.UndecodableError):
        body = ""
    return stream(shown(title)), body_stream(body_text(body))


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # a cache: a crash only means a rebuild
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != INDEX_VERSION:
            if version != 0:
                raise sqlite3.DatabaseError(f"index version {version}, expected {INDEX_VERSION}")
            db.executescript(
                # What the command line prints of a post and filters it by is kept with
                # it (key, title, ISO date, sorting moment, categories and tags joined by
                # a unit separator), so a current index answers without loading the archive.
                "CREATE TABLE docs (id INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER,"
                " mtime_ns INTEGER, live INTEGER NOT NULL DEFAULT 1, key TEXT, title TEXT,"
                " date TEXT, moment REAL, categories TEXT, tags TEXT, fields INTEGER);"
                # What the archive's files were when the index was last brought up to
                # date with all of them (see listing_digest): in the first shard only.
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE INDEX docs_path ON docs(path) WHERE live;"
                "CREATE VIRTUAL TABLE fts USING fts5(title, body,"
                " content='', tokenize=\"ascii tokenchars '|'\");"
                # Bigger pages and fewer forced merges: bulk loads go faster, same size.
                "INSERT INTO fts(fts, rank) VALUES ('pgsz', 16000);"
                "INSERT INTO fts(fts, rank) VALUES ('crisismerge', 64);"
                f"PRAGMA user_version={INDEX_VERSION};"
            )
        db.execute("SELECT count(*) FROM fts WHERE fts MATCH 'x'").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether ``error`` says the file is not a usable index (corrupt, not a database,
    another version), rather than that it cannot be used now (locked, a full disk, a
    read-only or unwritable folder: those are sqlite3.OperationalError)."""
    return type(error) is sqlite3.DatabaseError


_SIDE_FILES = ("", "-wal", "-shm", ".seal")


def _remove(path: Path) -> None:
    for suffix in _SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            os.remove(str(path) + suffix)


def _seal_path(path: Path) -> Path:
    return path.with_name(path.name + ".seal")


def _seal_text(path: Path) -> str | None:
    """What the seal of the shard at ``path`` must say: its size and CRC-32; None when it
    is not a plain file (never opened in a way that could block on a named pipe)."""
    handle = open_regular(path)
    if handle is None:
        return None
    size = crc = 0
    with handle:
        while block := handle.read(1 << 20):  # zlib.crc32 lets go of the GIL
            crc = zlib.crc32(block, crc)
            size += len(block)
    return f"reader-search-index {INDEX_VERSION} {size} {crc:08x}\n"


def _sealed(path: Path) -> bool:
    """Whether the shard at ``path`` is exactly as its last writer left it."""
    try:
        wal = os.stat(f"{path}-wal")
    except FileNotFoundError:
        pass
    except OSError:
        return False
    else:
        if wal.st_size or not stat.S_ISREG(wal.st_mode):
            return False  # writes not checkpointed: a writer was cut short
    seal = _read_seal(path)
    try:
        expected = _seal_text(path)
    except OSError:
        return False
    return seal is not None and expected is not None and seal.partition("\n")[0] + "\n" == expected


def _read_seal(path: Path) -> str | None:
    """The seal of the shard at ``path``; None when there is none that can be read."""
    seal_path = _seal_path(path)
    try:
        if not stat.S_ISREG(os.stat(seal_path).st_mode):
            return None
        return seal_path.read_bytes().decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None


def _file_stamp(path: Path) -> str:
    """The second line of a seal: the shard file's size, times and inode as it was sealed.
    Any write to the file changes its ctime, which no one can set back."""
    info = os.stat(path)
    return f"file {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\n"


def _quickly_sealed(path: Path) -> bool:
    """Whether the shard at ``path`` is still the very file its seal was written for: no
    write since (its size, times and inode unchanged, no WAL pending), checked without
    reading it. The full check (:func:`_sealed`) reads it all: 0.2 s at 100,000 posts,
    more than a whole query may take on the command line. A shard this check refuses
    is opened the full way, which checks its bytes."""
    seal = _read_seal(path)
    if seal is None:
        return False
    try:
        if os.path.exists(f"{path}-wal") and os.stat(f"{path}-wal").st_size:
            return False
        return seal.partition("\n")[2] == _file_stamp(path)
    except OSError:
        return False


def _seal(path: Path, db: sqlite3.Connection) -> None:
    """Write the seal of the shard at ``path`` (``db``: a connection to it, idle): the
    WAL is checkpointed into the file first, so the file holds every write. A seal that
    cannot be written only means the shard is built again at the next open."""
    with contextlib.suppress(OSError, sqlite3.Error):
        busy, _frames, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        text = _seal_text(path)
        if busy or text is None:
            return
        text += _file_stamp(path)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".seal.tmp")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as stream:
                stream.write(text)
            os.replace(temporary, _seal_path(path))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _unseal(path: Path) -> None:
    """Remove the shard's seal before writing to it: until it is sealed again, an open
    that finds it builds it anew."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(_seal_path(path))


def listing_digest(
    root: Path | str, relatives: Sequence[str], sizes: Iterable[int], mtimes: Iterable[int]
) -> str:
    """What the archive's candidate files were (their paths, sizes and mtimes, in the
    order the scan lists them) and what else a post's fields depend on (``_config.yml``,
    the process's time zone), as one digest. The index stores it when it has indexed
    exactly those files: a scan that gives the same digest proves it current, and any
    file added, removed, moved or changed in place gives another."""
    digest = hashlib.blake2b(digest_size=20)
    for start in range(0, len(relatives), _DIGEST_SLICE):  # no long hold of the GIL: a window may be running
        digest.update(
            ("\n".join(relatives[start : start + _DIGEST_SLICE]) + "\n").encode("utf-8", "surrogateescape")
        )
    digest.update(b"\0" + array("q", sizes).tobytes() + array("q", mtimes).tobytes())
    try:
        config = os.stat(os.path.join(root, "_config.yml"))
        config_stamp = (config.st_size, config.st_mtime_ns, config.st_ino)
    except OSError:
        config_stamp = None
    zone = (os.environ.get("TZ"), time.tzname, time.timezone, time.altzone)
    digest.update(repr((len(relatives), config_stamp, zone)).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


_LISTING = "listing"
_DIGEST_SLICE = 20_000


def _stored_listing(db: sqlite3.Connection) -> str:
    row = db.execute("SELECT value FROM meta WHERE name = ?", (_LISTING,)).fetchone()
    return "" if row is None else str(row[0])


def _store_listing(db: sqlite3.Connection, listing: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (_LISTING, listing))


#: How long opening, writing or searching the index waits for its lock before it gives
#: up: another process is building or writing the index (minutes, at 100,000 posts),
#: and search then reads the files rather than wait for it.
LOCK_WAIT = 0.2
_LOCK_POLL = 0.01


class IndexBusy(BlockingIOError):
    """Another process holds the index's lock: it is building or writing the index.
    Search reads the files meanwhile (one of :data:`INDEX_FAULTS`)."""

    def __init__(self, lock: Path) -> None:
        super().__init__(errno.EWOULDBLOCK, "another process is writing the index", str(lock))


@contextlib.contextmanager
def _locked(first: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the index's lock (a file beside its shards): exclusive for writing or
    checking the shards, shared for reading them. Never waits longer than
    :data:`LOCK_WAIT`: raises :class:`IndexBusy` when another process keeps it."""
    if fcntl is None:  # pragma: no cover - not POSIX
        yield
        return
    # Without blocking: a named pipe in the lock's place must not hold the open.
    flags = os.O_RDONLY | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
    lock = first.with_name(first.name + ".lock")
    descriptor = os.open(lock, flags, 0o644)
    try:
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(descriptor, mode)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(lock) from None
                time.sleep(_LOCK_POLL)
            except OSError:
                # A file system without locks (ENOLCK) or a lock file that is no file:
                # go on unlocked, as SQLite's own locking alone would.
                break
        yield
    finally:
        os.close(descriptor)  # lets go of the lock


def _open_shard(path: Path, verify: bool) -> tuple[sqlite3.Connection, bool]:
    """(connection, rebuilt): a shard that cannot be used is deleted and started anew.
    With ``verify`` (and the index's lock held), a shard that does not match its seal is
    too, and a new shard is sealed."""
    unsealed = verify and not _sealed(path)
    rebuilt = unsealed and os.path.lexists(path)
    if unsealed:
        _remove(path)
    try:
        db = _connect(path)
    except sqlite3.DatabaseError as error:
        if not _damaged(error):
            raise
        _remove(path)
        db = _connect(path)
        rebuilt = True
    if unsealed or (verify and (rebuilt or not _quickly_sealed(path))):
        _seal(path, db)  # a sound shard whose file was touched (copied back, say): its stamp again
    return db, rebuilt


_WORKER_SHARDS: dict[Path, sqlite3.Connection] = {}


def _close_worker_shards() -> None:
    while _WORKER_SHARDS:
        _WORKER_SHARDS.popitem()[1].close()


#: A post to index: path, absolute path, size, mtime (ns), title, key, ISO date, sorting
#: moment, categories and tags (each joined by :data:`SEPARATOR`), :func:`_fields_of`.
Item = tuple[str, str, int, int, str, str, str, float, str, str, int]
#: Between the categories (and the tags) of a post, as the index keeps them.
SEPARATOR = "\x1f"


def _shown(post: Post, zone: tzinfo | None) -> datetime:
    """The post's time as the window shows it (see reader.core.dates.shown_time)."""
    from reader.core.dates import shown_time  # not at the top: see the note on imports

    return shown_time(post, zone)


def _item(root: str, post: Post, stamp: tuple[int, int], zone: tzinfo | None) -> Item:
    """What the index keeps of ``post``; ``zone``: the site's."""
    return (
        post.path,
        os.path.join(root, post.path),
        *stamp,
        post.title,
        post.key,
        _shown(post, zone).isoformat(),
        post.timestamp,
        SEPARATOR.join(post.categories),
        SEPARATOR.join(post.tags),
        _fields_of(post, zone),
    )


def _fields_of(post: Post, zone: tzinfo | None) -> int:
    """A CRC-32 of ``post``'s record (its msgpack form: about a microsecond) and of the
    site's zone (the date the index keeps is shown in it): when its file is unchanged but
    this is not, the index takes the post's new fields."""
    import msgspec

    try:
        record = zlib.crc32(msgspec.msgpack.encode(post))
    except UnicodeEncodeError:  # a name that is not UTF-8 (msgpack takes only valid text)
        record = zlib.crc32(repr(post).encode("utf-8", "backslashreplace"))
    return zlib.crc32(repr(zone).encode("utf-8", "backslashreplace"), record)


def _stored_fields(post: Post, zone: tzinfo | None) -> tuple[Any, ...]:
    """The docs columns key, title, date, moment, categories, tags and fields of ``post``."""
    return (
        to_stored(post.key),
        to_stored(post.title),
        _shown(post, zone).isoformat(),
        post.timestamp,
        to_stored(SEPARATOR.join(post.categories)),
        to_stored(SEPARATOR.join(post.tags)),
        _fields_of(post, zone),
    )


def _update_shard(
    path: Path,
    drop: Sequence[str],
    items: Sequence[Item],
    *,
    keep_open: bool = False,
) -> int:
    """Mark ``drop`` paths dead and index ``items`` (path, absolute, size, mtime_ns,
    title) into one shard. In a worker process (``keep_open``) the connection stays open
    between slices of one build: closing checkpoints the whole WAL each time."""
    db = _WORKER_SHARDS.get(path) if keep_open else None
    if db is None:
        db = _open_shard(path, verify=False)[0]
        db.execute("PRAGMA cache_size=-262144")  # 256 MB while building: about 20% faster
        if keep_open:
            _WORKER_SHARDS[path] = db
    try:
        db.execute("BEGIN")
        db.executemany("UPDATE docs SET live = 0 WHERE path = ? AND live", [(to_stored(p),) for p in drop])
        db.execute("COMMIT")
        for start in range(0, len(items), BATCH):
            block = items[start : start + BATCH]
            rows = [_tokens_of(item[1], item[4]) for item in block]
            db.execute("BEGIN")
            for item, tokens in zip(block, rows, strict=True):
                name, _absolute, size, mtime, title, key, day, moment, categories, tags, fields = item
                relative = to_stored(name)  # a name that is not UTF-8: its bytes
                db.execute("UPDATE docs SET live = 0 WHERE path = ? AND live", (relative,))
                doc = db.execute(
                    "INSERT INTO docs (path, size, mtime_ns, key, title, date, moment, categories, tags,"
                    " fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        relative,
                        size,
                        mtime,
                        to_stored(key),
                        to_stored(title),
                        day,
                        moment,
                        to_stored(categories),
                        to_stored(tags),
                        fields,
                    ),
                )
                db.execute(
                    "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                    (doc.lastrowid, *tokens),
                )
            db.execute("COMMIT")
    finally:
        if not keep_open:
            db.close()
    return len(items)


def _live_docs(db: sqlite3.Connection, index_of_path: dict[str, int]) -> dict[int, int]:
    """Live document ids of one shard -> post indexes (paths not UTF-8 are stored as bytes)."""
    mapping: dict[int, int] = {}
    find = index_of_path.get
    for doc_id, path in db.execute("SELECT id, path FROM docs WHERE live"):
        at = find(path) if path.__class__ is str else find(from_stored(path))
        if at is not None:
            mapping[doc_id] = at
    return mapping


class SearchIndex:
    """One archive's search index, in :data:`SHARDS` SQLite files that are built in
    parallel. Not shared between threads: open one per thread."""

    def __init__(self, root: Path, path: Path | None = None, *, verify: bool = True) -> None:
        """Open (or create) the index. ``verify`` checks each shard against its seal
        first (reading the whole file): the builder does, readers opened after it need
        not. Raises OSError or sqlite3.Error when the index cannot be opened or made
        (an unwritable or full cache folder): search then reads the files."""
        self.root = Path(root)
        self.path = path or index_path(self.root)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._verify = verify
        self.rebuilt = False
        self._shards: list[sqlite3.Connection] = []
        try:
            with _locked(self.path):
                for shard in _shard_paths(self.path):
                    db, rebuilt = _open_shard(shard, verify)
                    self._shards.append(db)
                    self.rebuilt |= rebuilt
        except BaseException:
            self.close()
            raise
        self._version = 0  # bumped by every update, so cached mappings are rebuilt
        self._mapping: list[dict[int, int]] = []
        self._mapping_for: Archive | None = None
        self._mapping_version: tuple[int, ...] = ()
        log.debug("index %s opened (%s)", self.path, "rebuilt" if self.rebuilt else "as it was")

    def close(self) -> None:
        for db in self._shards:
            db.close()

    # --- keeping it current ----------------------------------------------------------

    def _known(self) -> dict[str, int]:
        """What each indexed file was when indexed, and what was kept of its post, as
        :func:`_stamp_key` values shifted left by 32 bits, with :func:`_fields_of` in those.

        Plain integers, not (size, mtime) tuples: 100,000 tuples kept alive here made the
        garbage collector walk them all, holding the GIL (a stall of the window)."""
        known: dict[str, int] = {}
        for db in self._shards:
            for path, size, mtime, fields in db.execute(
                "SELECT path, size, mtime_ns, fields FROM docs WHERE live"
            ):
                known[path if path.__class__ is str else from_stored(path)] = (
                    _stamp_key(size, mtime) << 32
                ) | fields
        return known

    def stale(self, archive: Archive) -> list[int]:
        """Indexes of posts whose file is new or changed since it was indexed."""
        known = self._known()
        result = []
        for index, path in enumerate(map(attrgetter("path"), archive.posts)):
            stamp = _stamp(archive, path)
            if stamp is not None and known.get(path, -1) >> 32 != _stamp_key(*stamp):
                result.append(index)
        return result

    def update(
        self,
        archive: Archive,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int | None = None,
    ) -> int:
        """Index what changed; drop what is gone. Returns how many files were indexed.

        Raises OSError or sqlite3.Error when the index cannot be written (a full disk):
        it is then incomplete, left unsealed (built anew at the next open) and must not
        be searched; :func:`scan_search` gives the answers instead; :class:`IndexBusy`
        when another process is writing it."""
        # What is indexed is read under the lock too: read before, it could be from
        # before another process's update, whose work would then all be done again.
        started = time.perf_counter()
        with _locked(self.path):
            total = self._update(archive, progress=progress, cancelled=cancelled, workers=workers)
        log.debug("index brought up to date: %d files read in %.3f s", total, time.perf_counter() - started)
        return total

    def _update(
        self,
        archive: Archive,
        *,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        workers: int | None,
    ) -> int:
        # What lives through an update of the whole index (minutes, at 100,000 posts) is
        # kept where the garbage collector does not look: a dict of strings, tuples of
        # plain tuples. A set of 100,000 paths and lists of 100,000 items made each full
        # collection in the window process take ~30 ms instead of ~8, holding the GIL:
        # a stall of the window whenever the indexing thread triggered one.
        known = self._known()
        present: dict[str, None] = {}
        posts = archive.posts
        from reader.core.indexes import SLICE

        for start in range(0, len(posts), SLICE):  # one C call over 100,000 posts held the GIL ~40 ms
            present.update(dict.fromkeys(map(attrgetter("path"), posts[start : start + SLICE])))
        dropping: list[list[str]] = [[] for _ in range(SHARDS)]
        for path in known:
            if path not in present:
                dropping[_shard_of(path)].append(path)
        del present
        adding: list[list[Item]] = [[] for _ in range(SHARDS)]
        total = 0
        root = str(archive.root)
        # A file unchanged whose post's fields changed (its key made unique beside a new
        # file of the same name, its moment in a new time zone): the fields only.
        refields: list[list[tuple[Any, ...]]] = [[] for _ in range(SHARDS)]
        zone = archive.config.zone
        for post in archive.posts:
            path = post.path
            stamp = _stamp(archive, path)
            if stamp is None:
                continue
            had = known.get(path, -1)
            if had >> 32 != _stamp_key(*stamp):
                adding[_shard_of(path)].append(_item(root, post, stamp, zone))
                total += 1
            elif had & 0xFFFFFFFF != _fields_of(post, zone):
                refields[_shard_of(path)].append((*_stored_fields(post, zone), to_stored(path)))
        del known
        drops = [tuple(paths) for paths in dropping]
        todo = [tuple(items) for items in adding]
        del dropping, adding
        listing = listing_digest(archive.root, *archive.stamps)
        shards = _shard_paths(self.path)
        self._refield(refields, seal=not total and not any(drops))
        if not total and not any(drops):
            if _stored_listing(self._shards[0]) != listing:  # files that are no posts changed
                _unseal(shards[0])
                _store_listing(self._shards[0], listing)
                _seal(shards[0], self._shards[0])
            return 0
        self.close()
        self._shards = []
        for shard in shards:
            _unseal(shard)
        whole = complete = False  # every write ended (committed, or rolled back before a cancel); all done
        try:
            self._run(drops, todo, total, progress=progress, cancelled=cancelled, workers=workers)
            whole = complete = True
        except LoadCancelled:
            whole = True
            raise
        finally:
            self._version += 1
            for shard in shards:
                db = _open_shard(shard, False)[0]
                self._shards.append(db)
            if whole:
                # The listing is stored only once every post of it is indexed.
                _store_listing(self._shards[0], listing if complete else "")
                for shard, db in zip(shards, self._shards, strict=True):
                    _seal(shard, db)
        return total

    def _refield(self, refields: list[list[tuple[Any, ...]]], *, seal: bool) -> None:
        """Write the new fields of posts whose files are unchanged, per shard (sealing
        each shard written when ``seal``; else the update seals it when done)."""
        for at, rows in enumerate(refields):
            if not rows:
                continue
            shard, db = _shard_paths(self.path)[at], self._shards[at]
            _unseal(shard)
            db.execute("BEGIN")
            db.executemany(
                "UPDATE docs SET key = ?, title = ?, date = ?, moment = ?, categories = ?, tags = ?,"
                " fields = ? WHERE path = ? AND live",
                rows,
            )
            db.execute("COMMIT")
            self._version += 1
            if seal:
                _seal(shard, db)

    def _run(
        self,
        drops: list[tuple[str, ...]],
        todo: list[tuple[Item, ...]],
        total: int,
        *,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        workers: int | None,
    ) -> None:
        paths = _shard_paths(self.path)
        # Work in slices, so progress is reported and a cancel is seen between them.
        step = 2 * BATCH  # about a second of work per shard: a cancel or a close waits no longer
        done = 0
        parallel = (workers if workers is not None else (SHARDS if total >= 2000 else 1)) > 1
        slices = [
            [(drops[i] if start == 0 else (), todo[i][start : start + step]) for i in range(SHARDS)]
            for start in range(0, max(1, *(len(t) for t in todo)), step)
        ]
        pools: list[Any] = []
        futures: list[Any] = []
        if parallel:
            from concurrent.futures import ProcessPoolExecutor

            # One process per shard, so each shard's connection lives in one process.
            context = worker_context()
            pools = [
                ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=background_priority)
                for _ in range(SHARDS)
            ]
        try:
            if pools:
                # Every slice is queued at once, so neither shard waits for the other.
                futures = [
                    pools[i].submit(_update_shard, paths[i], drop, items, keep_open=True)
                    for work in slices
                    for i, (drop, items) in enumerate(work)
                ]
                for future in as_completed(futures):
                    if cancelled is not None and cancelled():
                        raise LoadCancelled()
                    done += future.result()
                    if progress is not None:
                        progress(done, total)
                return
            for work in slices:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                done += sum(_update_shard(paths[i], drop, items) for i, (drop, items) in enumerate(work))
                if progress is not None:
                    progress(done, total)
        finally:
            for future in futures:
                future.cancel()
            for pool in pools:
                with contextlib.suppress(Exception):
                    pool.submit(_close_worker_shards).result()
                pool.shutdown(cancel_futures=True)

    # --- searching -------------------------------------------------------------------

    def prepare(self, archive: Archive) -> None:
        """Build what searching ``archive`` needs, ahead of the first query."""
        with _locked(self.path, shared=True):
            self._doc_posts(archive)

    def _doc_posts(self, archive: Archive) -> list[dict[int, int]]:
        """Per shard: live document ids -> post indexes of ``archive``, built once."""
        # Another process that wrote the index since changes its data_version.
        version = (self._version, *(db.execute("PRAGMA data_version").fetchone()[0] for db in self._shards))
        if self._mapping_for is not archive or self._mapping_version != version:
            index_of_path = {post.path: at for at, post in enumerate(archive.posts)}  # not one long C call
            self._mapping = [_live_docs(db, index_of_path) for db in self._shards]
            self._mapping_for, self._mapping_version = archive, version
        return self._mapping

    def _matches(self, expression: str, archive: Archive, *, score: bool) -> Iterator[tuple[int, float]]:
        sql = (
            "SELECT rowid, bm25(fts, 4.0, 1.0) FROM fts WHERE fts MATCH ?"
            if score
            else "SELECT rowid, 0.0 FROM fts WHERE fts MATCH ?"
        )
        for db, doc_posts in zip(self._shards, self._doc_posts(archive), strict=True):
            for doc, value in db.execute(sql, (expression,)):
                index = doc_posts.get(doc)
                if index is not None:
                    yield index, value

    def search(self, query: Query | str, archive: Archive, within: Iterable[int] | None = None) -> list[Hit]:
        """Matches, best first: title matches, then relevance, then newest. Raises
        :class:`IndexBusy` while another process writes the index (its shards are then
        half written): :func:`scan_search` gives the answers instead."""
        if isinstance(query, str):
            query = parse_query(query)
        started = time.perf_counter()
        with _locked(self.path, shared=True):
            hits = self._search(query, archive, within)
        log.debug("%d hits in %.1f ms", len(hits), (time.perf_counter() - started) * 1000)
        return hits

    def _search(self, query: Query, archive: Archive, within: Iterable[int] | None) -> list[Hit]:
        positives = [(t, title) for t, title, exclude in query.terms if not exclude]
        negatives = [(t, title) for t, title, exclude in query.terms if exclude]
        scores: dict[int, float] = {}
        in_title: set[int] = set()
        if positives:
            expression = " AND ".join(_fts_expression(t, title) for t, title in positives)
            if negatives:
                expression += (
                    " NOT (" + " OR ".join(_fts_expression(t, title) for t, title in negatives) + ")"
                )
            scores = dict(self._matches(expression, archive, score=True))
            title_expression = " AND ".join(_fts_expression(t, True) for t, _title in positives)
            in_title = {index for index, _ in self._matches(title_expression, archive, score=False)}
        else:
            candidates = range(len(archive.posts)) if within is None else within
            scores = dict.fromkeys(candidates, 0.0)
            if negatives:
                expression = " OR ".join(_fts_expression(t, title) for t, title in negatives)
                for index, _ in self._matches(expression, archive, score=False):
                    scores.pop(index, None)
        return _finish(scores, in_title, query, archive, within)


def _finish(
    scores: dict[int, float], in_title: set[int], query: Query, archive: Archive, within: Iterable[int] | None
) -> list[Hit]:
    """Apply the node and the field filters, then rank."""
    allowed = set(within) if within is not None else None
    posts = archive.posts
    hits = []
    for index, score in scores.items():
        if allowed is not None and index not in allowed:
            continue
        post = posts[index]
        if query.tags and not all(tag in post.tags for tag in query.tags):
            continue
        if query.categories and not all(c in post.categories for c in query.categories):
            continue
        if any(tag in post.tags for tag in query.excluded_tags):
            continue
        if any(c in post.categories for c in query.excluded_categories):
            continue
        day = _shown(post, archive.config.zone).date()  # the day the window shows
        if query.before is not None and not day < query.before:
            continue
        if query.after is not None and not day > query.after:
            continue
        hits.append(Hit(index, score, index in in_title))
    # Archive.posts is newest first, so the index breaks ties by date.
    hits.sort(key=lambda hit: (not hit.in_title, hit.score, hit.post_index))
    return hits


#: What keeps the index from being opened, built or written: a full, read-only or
#: unwritable cache folder (OSError, sqlite3.OperationalError), a reading process that
#: died (BrokenExecutor). Search then reads the files.
INDEX_FAULTS: tuple[type[BaseException], ...] = (OSError, sqlite3.Error, BrokenExecutor)


def fault_reason(error: BaseException) -> str:
    """One line saying what kept the index from being used."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {shown(os.fsdecode(error.filename))}" if error.filename else ""
        return f"{error.strerror}{where}"
    return " ".join(str(error).split()) or type(error).__name__


def search_archive(
    query: Query | str, archive: Archive, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Hit], str | None]:
    """Search ``archive`` with its index, brought up to date first (``progress(done,
    total)`` as it is); when the index cannot be used (see :data:`INDEX_FAULTS`), by
    reading the files. Returns the hits and, in that case, why the index was not used
    (for a warning)."""
    try:
        index = SearchIndex(archive.root)
    except INDEX_FAULTS as error:
        log.debug("the index cannot be opened, reading the files: %r", error)
        return scan_search(query, archive), fault_reason(error)
    try:
        index.update(archive, progress=progress)
        return index.search(query, archive), None
    except INDEX_FAULTS as error:
        log.debug("the index cannot be used, reading the files: %r", error)
        return scan_search(query, archive), fault_reason(error)
    finally:
        index.close()


def scan_search(
    query: Query | str,
    archive: Archive,
    within: Iterable[int] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Hit]:
    """The same search without an index (slower): used while the index is being built.
    Raises :class:`LoadCancelled` when ``cancelled()`` turns true."""
    if isinstance(query, str):
        query = parse_query(query)
    positives = [(_needle(t), title) for t, title, exclude in query.terms if not exclude]
    negatives = [(_needle(t), title) for t, title, exclude in query.terms if exclude]
    candidates = range(len(archive.posts)) if within is None else within
    scores: dict[int, float] = {}
    in_title: set[int] = set()
    for count, index in enumerate(candidates):
        if cancelled is not None and count % 200 == 0 and cancelled():
            raise LoadCancelled()
        texts = _PostTexts(archive, index)
        if not all(needle in texts.get(t_only) for needle, t_only in positives):
            continue
        if any(needle in texts.get(t_only) for needle, t_only in negatives):
            continue
        scores[index] = 0.0
        if positives and all(needle in texts.title for needle, _t in positives):
            in_title.add(index)
    return _finish(scores, in_title, query, archive, within)


def _needle(term: str) -> str:
    """What :func:`_fts_expression` matches, as a substring of :meth:`_PostTexts.get`'s
    text: the term's tokens between spaces, the last one open when it is a word."""
    parts = tokens(term)
    return " " + " ".join(parts) + ("" if _is_word(parts[-1]) else " ")


class _PostTexts:
    """A post's title tokens, and its body's read only when a term needs them: each
    between spaces, title and body apart, so a needle matches inside one of them."""

    def __init__(self, archive: Archive, index: int) -> None:
        from reader.core import front_matter

        self._undecodable = front_matter.UndecodableError
        self.archive = archive
        self.post = archive.posts[index]
        self.title = f" {stream(self.post.title)} "
        self._body: str | None = None

    def get(self, title_only: bool) -> str:
        if title_only:
            return self.title
        if self._body is None:
            try:
                self._body = f" {body_stream(body_text(self.archive.read_body(self.post, BODY_LIMIT)))} "
            except (OSError, self._undecodable):
                self._body = " "
        return self.title + "\n" + self._body
