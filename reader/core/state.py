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
* a file that is not a usable database is moved aside (kept, never deleted) and a fresh
  one started; :attr:`StateStore.warning` says so.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import platformdirs

from reader.core.names import archive_id, to_stored

SCHEMA_VERSION = 1
APP_NAME = "reader"


def default_state_path() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "state.sqlite3"


class StateStore:
    """The read and starred marks of one archive."""

    def __init__(self, archive: Path | str, path: Path | None = None) -> None:
        self.archive = archive_id(archive)  # its absolute, resolved folder
        self.path = path or default_state_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.warning: str | None = None
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self._connection = self._open()
        self._data_version = -1
        self._read_version = 0  # moves whenever self.read changes
        self._flags: tuple[Sequence[str], int, bytes] | None = None  # see read_flags
        self.refresh()

    # --- opening ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        connection.text_factory = _text  # keys stored as bytes come back as os.fsdecode gives them
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS marks ("
            " archive TEXT NOT NULL, key TEXT NOT NULL,"
            " read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,"
            " updated REAL NOT NULL, PRIMARY KEY (archive, key)) WITHOUT ROWID"
        )
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        return connection

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(self.path) + suffix)
                if source.exists():
                    os.replace(source, Path(str(aside) + suffix))
            self.warning = (
                f"The saved read state could not be used ({error}); it was moved to {aside} "
                "and Reader started with none."
            )
            return self._connect()

    # --- reading ---------------------------------------------------------------------

    def refresh(self) -> bool:
        """Reload the marks if another connection changed them; True when they changed."""
        version = self._connection.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version:
            return False
        self._data_version = version
        self.read, self.starred = self._keys_where("read"), self._keys_where("starred")
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
        flags = bytes(map(self.read.__contains__, keys)) if self.read else bytes(len(keys))
        if keep:
            self._flags = (keys, version, flags)
        return flags

    def _keys_where(self, column: str) -> set[str]:
        """The keys with ``column`` set. Joined by SQLite into one text (keys are file
        names: never a NUL) and split in one call: with 90,000 marks, 45 ms instead of
        80, most of it without the GIL, and no tuple per mark for the collector. A key
        stored as bytes joins as its bytes, decoded back by :func:`_text`."""
        (joined,) = self._connection.execute(
            f"SELECT group_concat(key, char(0)) FROM marks WHERE archive = ? AND {column}",
            (to_stored(self.archive),),
        ).fetchone()
        return set(joined.split("\0")) if joined is not None else set()

    def is_read(self, key: str) -> bool:
        return key in self.read

    def is_starred(self, key: str) -> bool:
        return key in self.starred

    # --- writing ---------------------------------------------------------------------

    def _write(self, column: str, keys: Iterable[str], value: bool) -> None:
        stamp = time.time()
        archive = to_stored(self.archive)
        rows = [(archive, to_stored(key), int(value), stamp) for key in keys]
        if not rows:
            return
        with self._connection:  # one transaction, committed on exit
            self._connection.execute("BEGIN IMMEDIATE")
            self._connection.executemany(
                f"INSERT INTO marks (archive, key, {column}, updated) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT(archive, key) DO UPDATE SET {column} = excluded.{column}, "
                "updated = excluded.updated",
                rows,
            )
        # Our own write moved data_version on other connections only; keep ours current.
        self._data_version = self._connection.execute("PRAGMA data_version").fetchone()[0]

    def _mark(self, column: str, marked: set[str], keys: Iterable[str], value: bool) -> None:
        keys = list(keys)
        self._write(column, keys, value)
        if value:
            marked.update(keys)
        else:
            marked.difference_update(keys)
        self._read_version += 1  # after the change (see read_flags)

    def set_read(self, keys: Iterable[str], read: bool = True) -> None:
        self._mark("read", self.read, keys, read)

    def set_starred(self, keys: Iterable[str], starred: bool = True) -> None:
        self._mark("starred", self.starred, keys, starred)

    def close(self) -> None:
        self._connection.close()


def _text(data: bytes) -> str:
    """SQLite's text, and keys stored as bytes (see :func:`reader.core.names.to_stored`),
    as Python's ``os`` functions decode a file name."""
    return data.decode("utf-8", "surrogateescape")
