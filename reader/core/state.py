"""Read and starred marks, kept in SQLite under the user data folder.

One database for all archives (``state.sqlite3``); rows are keyed by the archive's
folder and the post's stable key (:func:`reader.core.jekyll.post_key`), so marks survive
posts moving between folders. A folder or key that is not valid UTF-8 (a file name's bytes
can be anything) is stored as its bytes, a BLOB (:func:`reader.core.names.to_stored`): it
never equals a text key, and every other key is stored as text, as it always was.

Guarantees (each has a test):

* every mark is committed when it is made, in WAL mode: a crash or ``kill -9`` loses
  nothing already returned from :meth:`StateStore.set_read`;
* two processes on the same archive each write only the rows they change (upserts), so
  neither loses the other's marks; :meth:`StateStore.refresh` picks up the other's;
* only a damaged file (SQLite finds it is not a database or is corrupt, or its integrity
  check fails) is moved aside (kept, never deleted) and a fresh one started;
  :attr:`StateStore.warning` says so;
* any other fault (the disk full, the file or folder read-only or not ours, the store
  locked or busy, an I/O error) moves nothing and loses nothing: the marks are read as
  far as they can be, marks made meanwhile are kept in memory (:attr:`StateStore.unsaved`)
  and written by the next mark, :meth:`StateStore.refresh` or :meth:`StateStore.close`
  that finds the store writable again; :attr:`StateStore.warning` and
  :attr:`StateStore.problem` say so (a store another process holds only once it has
  refused writes for :data:`BUSY_GRACE` seconds);
* a mark never waits long for a store another process holds (:data:`WRITE_WAIT`,
  then :data:`RETRY_WAIT` while it is held): the UI thread does not stall;
* two processes starting together on a new store wait for each other (a busy store is
  never taken for a damaged one).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from reader.core import user_folders
from reader.core.faults import disk_trouble
from reader.core.names import archive_id, shown, to_stored

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
#: Keys looked up per C call when working out read flags (each call ~2-3 ms).
FLAGS_SLICE = 10_000

#: How long opening waits for another process that holds the store (seconds): two
#: windows starting together on a new store take turns to set it up.
OPEN_WAIT = 10.0
#: How long a mark's write (on the UI thread) waits for a store another process holds:
#: a write takes about a millisecond, so only a long hold makes it give up; the mark is
#: then kept (:attr:`StateStore.unsaved`) and the next try writes it.
WRITE_WAIT = 0.05
#: How long a retry waits while the store is still held or cannot be written: the
#: window retries on a timer, so a retry need not wait for long.
RETRY_WAIT = 0.005
#: How long a store held by another process may refuse writes before
#: :attr:`StateStore.problem` says so: a hold that ends by the next retry (the window
#: polls every 2 s) is not worth a warning; the marks wait in memory meanwhile.
BUSY_GRACE = 5.0
#: How long closing waits for a store another process holds, to write the marks not
#: saved yet before they are lost with the session.
CLOSE_WAIT = 2.0

# SQLite's primary result codes (the low byte of sqlite_errorcode).
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26


def default_state_path() -> Path:
    return user_folders.marks_file()


class Damaged(sqlite3.DatabaseError):
    """The store's integrity check failed."""


def is_damaged(error: BaseException) -> bool:
    """Whether ``error`` says the store itself is damaged (not a database, corrupt, or
    failing its integrity check), as opposed to a fault around it (locked, busy, full,
    read-only, permission, I/O, cannot open) that goes away by itself."""
    if isinstance(error, Damaged):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_CORRUPT, _NOTADB)


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_BUSY, _LOCKED)


def _reason(error: BaseException, folder: Path) -> str:
    """``error`` in words, with what the folder's file system says when it explains it
    (see :func:`reader.core.faults.disk_trouble`)."""
    name = getattr(error, "sqlite_errorname", None)
    reason = shown(f"{error} ({name})" if name else str(error))
    trouble = disk_trouble(folder)
    return f"{reason}; {trouble}" if trouble else reason


class StateStore:
    """The read and starred marks of one archive."""

    def __init__(self, archive: Path | str, path: Path | None = None) -> None:
        self.archive = archive_id(archive)  # its absolute, resolved folder
        self.path = path or default_state_path()
        #: What to tell the user about opening the store (moved aside, not writable), or None.
        self.warning: str | None = None
        #: Why marks cannot be written now, or None while they are written as they are made.
        self.problem: str | None = None
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self._connection: sqlite3.Connection | None = None
        self._writable = False
        self._unsaved: dict[tuple[str, str], bool] = {}  # (column, key): value, not yet written
        self._closed = False
        self._data_version = -1
        self._reloaded = False  # marks read again by a retry, for refresh to report
        self._read_version = 0  # moves whenever self.read changes
        self._flags: tuple[Sequence[str], int, bytes] | None = None  # see read_flags
        self._busy_since: float | None = None  # when another process's hold first refused a write
        self._busy_reason: str | None = None  # what it said, for problem once it lasts
        self._wait = WRITE_WAIT  # the connection's busy timeout (seconds)
        self._closing = False
        self._open()
        self._load()
        log.debug(
            "marks of %s from %s: %d read, %d starred%s",
            shown(self.archive),
            self.path,
            len(self.read),
            len(self.starred),
            "" if self._writable else f" (not writable: {self.problem})",
        )

    # --- opening ---------------------------------------------------------------------

    def _connect(self, wait: float) -> sqlite3.Connection:
        """A writable connection, set up; raises when the store cannot be written."""
        connection = sqlite3.connect(self.path, timeout=wait, isolation_level=None, check_same_thread=False)
        connection.text_factory = _text  # keys stored as bytes come back as os.fsdecode gives them
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            # The write lock first: the schema is then read as the last writer left it
            # (two processes setting up a new store take turns), and a store that cannot
            # be written (a read-only file opens without a word) says so here.
            connection.execute("BEGIN IMMEDIATE")
            try:
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                exists = connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'marks'").fetchone()
                connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")  # a write: fails if read-only
                if exists and version == SCHEMA_VERSION:
                    connection.execute("ROLLBACK")  # nothing to change: nothing written
                else:
                    connection.execute(
                        "CREATE TABLE IF NOT EXISTS marks ("
                        " archive TEXT NOT NULL, key TEXT NOT NULL,"
                        " read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,"
                        " updated REAL NOT NULL, PRIMARY KEY (archive, key)) WITHOUT ROWID"
                    )
                    connection.execute("COMMIT")
            finally:
                if connection.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise Damaged("integrity check failed")
            connection.execute(f"PRAGMA busy_timeout={round(WRITE_WAIT * 1000)}")
            return connection
        except BaseException:
            connection.close()
            raise

    def _connect_waiting(self) -> sqlite3.Connection:
        """:meth:`_connect`, waiting up to :data:`OPEN_WAIT` while another process holds
        the store: SQLite answers "locked" at once, without waiting, when two connections
        would otherwise wait for each other (two windows setting up a new store)."""
        deadline = time.monotonic() + OPEN_WAIT
        while True:
            try:
                return self._connect(max(0.0, deadline - time.monotonic()))
            except sqlite3.Error as error:
                if not _is_busy(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.02)

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._use(self._connect_waiting())
        except (sqlite3.Error, OSError) as error:
            if is_damaged(error):
                self._set_aside(error)
            else:
                self._cannot_write(error)
                self._read_only()
                self.warning = self._not_saved_warning()

    def _use(self, connection: sqlite3.Connection) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._writable, self.problem = connection, True, None
        self._data_version = -1  # read it all again
        self._wait, self._busy_since, self._busy_reason = WRITE_WAIT, None, None

    def _set_aside(self, error: BaseException) -> None:
        """Move a damaged store aside (kept, never deleted) and start a fresh one."""
        log.debug("the marks store %s is damaged (%s): moving it aside", self.path, error)
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(self.path) + suffix)
                if source.exists():
                    os.replace(source, Path(str(aside) + suffix))
        except OSError as move_error:
            self._cannot_write(move_error)
            self.warning = (
                f"The saved read state is damaged ({error}) and could not be moved aside "
                f"({shown(str(move_error))}); Reader started with none. {self._kept_sentence()}"
            )
            return
        self.warning = (
            f"The saved read state could not be used ({error}); it was moved to {shown(str(aside))} "
            "and Reader started with none."
        )
        try:
            self._use(self._connect_waiting())
        except (sqlite3.Error, OSError) as again:
            self._cannot_write(again)
            self.warning += " " + self._not_saved_warning()

    def _cannot_write(self, error: BaseException) -> None:
        self._writable, self.problem = False, _reason(error, self.path.parent)

    def _read_only(self) -> None:
        """Read the marks once without writing anything: as other connections see them,
        or failing that (no shared-memory file can be made beside the store) as the store
        file holds them; what a crash left in its write-ahead log comes back once the store
        can be written. No connection stays open: a read-only one would make SQLite treat
        every later connection of this process to the file as read-only too."""
        uri = self.path.absolute().as_uri()
        for options in ("mode=ro", "mode=ro&immutable=1"):
            with contextlib.suppress(sqlite3.Error):
                connection = sqlite3.connect(f"{uri}?{options}", uri=True)
                connection.text_factory = _text
                try:
                    self.read = self._keys_where(connection, "read")
                    self.starred = self._keys_where(connection, "starred")
                    return
                finally:
                    connection.close()

    def _kept_sentence(self) -> str:
        where = shown(str(self.path))
        return f"Marks made now are kept for this session and saved when {where} can be written again."

    def _not_saved_warning(self) -> str:
        return f"The read marks cannot be saved now ({self.problem}). {self._kept_sentence()}"

    @property
    def writable(self) -> bool:
        """Whether marks are written as they are made (else kept until they can be)."""
        return self._writable and self.problem is None

    @property
    def unsaved(self) -> int:
        """How many marks were made that are not written yet."""
        return len(self._unsaved)

    # --- reading ---------------------------------------------------------------------

    def refresh(self) -> bool:
        """Write the marks not saved yet if the store can take them now; reload the marks
        if another connection changed them. True when they changed."""
        self.retry()
        changed = self._load()
        changed, self._reloaded = changed or self._reloaded, False
        return changed

    def _load(self) -> bool:
        """Read the marks again if the store changed since they were read (keeping those
        not written yet); True when read."""
        connection = self._connection
        if connection is None:
            return False
        try:
            version = connection.execute("PRAGMA data_version").fetchone()[0]
            if version == self._data_version:
                return False
            read, starred = self._keys_where(connection, "read"), self._keys_where(connection, "starred")
        except sqlite3.Error:
            return False  # kept as they are: read again when the store answers
        self._data_version = version
        for (column, key), value in self._unsaved.items():  # not written yet: still ours
            marked = read if column == "read" else starred
            if value:
                marked.add(key)
            else:
                marked.discard(key)
        self.read, self.starred = read, starred
        self._read_version += 1
        return True

    def read_flags(self, keys: Sequence[str], *, keep: bool = False) -> bytes:
        """One byte per key of ``keys``: 1 when read. With ``keep``, the answer is kept
        for one later call with the same ``keys`` (the same object) while no read mark
        changes: a loading thread works it out (15-20 ms at 100,000 posts), the window
        then counts from it."""
        kept, self._flags = self._flags, None
        version = self._read_version  # before the flags: a change meanwhile moves it on
        if kept is not None and kept[0] is keys and kept[1] == version:
            return kept[2]
        if self.read:
            # A slice at a time: over 100,000 keys one C call held the GIL 15-35 ms, a
            # stall of the window while a reload's flags were worked out on this thread.
            contains = self.read.__contains__
            flags = b"".join(
                bytes(map(contains, keys[start : start + FLAGS_SLICE]))
                for start in range(0, len(keys), FLAGS_SLICE)
            )
        else:
            flags = bytes(len(keys))
        if keep:
            self._flags = (keys, version, flags)
        return flags

    def _keys_where(self, connection: sqlite3.Connection, column: str) -> set[str]:
        """The keys with ``column`` set. Joined by SQLite into one text (keys are file
        names: never a NUL) and split in one call: with 90,000 marks, 45 ms instead of
        80, most of it without the GIL, and no tuple per mark for the collector. A key
        stored as bytes joins as its bytes, decoded back by :func:`_text`."""
        (joined,) = connection.execute(
            f"SELECT group_concat(key, char(0)) FROM marks WHERE archive = ? AND {column}",
            (to_stored(self.archive),),
        ).fetchone()
        return set(joined.split("\0")) if joined is not None else set()

    def is_read(self, key: str) -> bool:
        return key in self.read

    def is_starred(self, key: str) -> bool:
        return key in self.starred

    # --- writing ---------------------------------------------------------------------

    def retry(self) -> bool:
        """Write the marks not saved yet, opening the store for writing again if it could
        not be; True when none is left unsaved. Cheap when there is nothing to do."""
        if self._closed:
            return not self._unsaved
        if not self._writable:
            try:
                self._use(self._connect(CLOSE_WAIT if self._closing else RETRY_WAIT))
            except (sqlite3.Error, OSError) as error:
                if self.problem is None and isinstance(error, sqlite3.Error) and _is_busy(error):
                    self._refused(error)  # still held by another process, not yet a problem
                else:
                    self._cannot_write(error)
                return not self._unsaved
            # What the store holds that could not be read (or changed) meanwhile.
            self._reloaded = self._load() or self._reloaded
        if not self._unsaved:
            return True
        return self._write()

    def _write(self) -> bool:
        """Write every mark not saved yet in one transaction; False (and :attr:`problem`
        set) when the store refuses them: they stay in memory for the next try."""
        connection = self._connection
        assert connection is not None and self._writable
        stamp, archive = time.time(), to_stored(self.archive)
        try:
            if self._closing:  # the last chance before the marks are lost
                self._wait_for(CLOSE_WAIT)
            else:  # held by another process at the last try: do not wait long again
                self._wait_for(RETRY_WAIT if self._busy_since is not None else WRITE_WAIT)
            connection.execute("BEGIN IMMEDIATE")
            try:
                for column in ("read", "starred"):
                    rows = [
                        (archive, to_stored(key), int(value), stamp)
                        for (marked, key), value in self._unsaved.items()
                        if marked == column
                    ]
                    connection.executemany(
                        f"INSERT INTO marks (archive, key, {column}, updated) VALUES (?, ?, ?, ?) "
                        f"ON CONFLICT(archive, key) DO UPDATE SET {column} = excluded.{column}, "
                        "updated = excluded.updated",
                        rows,
                    )
                connection.execute("COMMIT")
            finally:
                if connection.in_transaction:  # a failed statement or COMMIT
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
            # Our own write moved data_version on other connections only; keep ours current.
            self._data_version = connection.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as error:
            self._refused(error)
            log.debug("%d marks kept in memory: %s", len(self._unsaved), error)
            return False
        log.debug("%d marks written", len(self._unsaved))
        self._unsaved.clear()
        self.problem = self._busy_since = self._busy_reason = None
        return True

    def _wait_for(self, seconds: float) -> None:
        """Set how long the connection waits for a store another process holds."""
        if seconds != self._wait and self._connection is not None:
            self._connection.execute(f"PRAGMA busy_timeout={round(seconds * 1000)}")
            self._wait = seconds

    def _refused(self, error: BaseException) -> None:
        """A write failed: say why in :attr:`problem`, at once for a fault, and for a store
        another process holds once it has held it for :data:`BUSY_GRACE` seconds."""
        reason = _reason(error, self.path.parent)
        if not (isinstance(error, sqlite3.Error) and _is_busy(error)):
            self.problem, self._busy_since, self._busy_reason = reason, None, None
            return
        now = time.monotonic()
        if self._busy_since is None:
            self._busy_since = now
        self._busy_reason = reason
        if now - self._busy_since >= BUSY_GRACE:
            self.problem = reason

    def _mark(self, column: str, marked: set[str], keys: Iterable[str], value: bool) -> bool:
        keys = list(keys)
        if value:
            marked.update(keys)
        else:
            marked.difference_update(keys)
        self._read_version += 1  # after the change (see read_flags)
        for key in keys:
            self._unsaved[(column, key)] = value
        return self.retry()

    def set_read(self, keys: Iterable[str], read: bool = True) -> bool:
        """Mark ``keys`` read (or unread). True when written (committed) on return; else
        the marks are kept, :attr:`problem` says why, and a later try writes them."""
        return self._mark("read", self.read, keys, read)

    def set_starred(self, keys: Iterable[str], starred: bool = True) -> bool:
        """Star (or unstar) ``keys``; returns as :meth:`set_read` does."""
        return self._mark("starred", self.starred, keys, starred)

    def close(self) -> int:
        """Close the store after one more try at writing the marks not saved yet; how
        many of them could not be written (lost with this session)."""
        self._closing = True
        lost = 0 if not self._unsaved or self.retry() else len(self._unsaved)
        if lost and self.problem is None:
            self.problem = self._busy_reason
        self._closed, self._writable = True, False
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        return lost


def _text(data: bytes) -> str:
    """SQLite's text, and keys stored as bytes (see :func:`reader.core.names.to_stored`),
    as Python's ``os`` functions decode a file name."""
    return data.decode("utf-8", "surrogateescape")
