"""Answering a query from the search index alone, without loading the archive: how
``reader search`` answers when the index is current.

The index keeps what the command prints of each post and what a query filters on (see
:mod:`reader.core.search`), and a digest of every candidate file of the archive as it
last indexed them (:func:`~reader.core.search.listing_digest`). Here the archive is
listed and every candidate file stat'ed (one batched call with the compiled helper)
while the index answers the query on a thread; the answer stands only when the listing gives the
index's digest: any post added, removed, moved or edited in place since (a new size
or mtime), a new ``_config.yml`` or another time zone, and :func:`answer` returns None,
so the caller loads the archive, brings the index up to date and answers then. It
returns None too when the index is missing, of another version, not sealed as its
last writer left it, or being written by another process.

The answers are ranked as :meth:`SearchIndex.search <reader.core.search.SearchIndex.search>`
ranks hits over the loaded archive: title matches first, then relevance, then newest
(of the same moment, by path descending, as the archive orders posts).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from reader.core.names import from_stored
from reader.core.scan import ArchiveError, scan
from reader.core.search import (
    INDEX_VERSION,
    SEPARATOR,
    Query,
    _fts_expression,
    _locked,
    _quickly_sealed,
    _shard_paths,
    _stored_listing,
    index_path,
    listing_digest,
    parse_query,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    """One post that matches, with what the command line prints of it."""

    key: str
    path: str
    title: str
    date: str  # ISO 8601, in the site's zone, as the window shows it (dates.shown_time)
    score: float  # lower is better (FTS5's bm25), as Hit.score
    in_title: bool
    moment: float  # Post.timestamp: orders posts of equal rank, newest first


class _Stale(Exception):
    """The index cannot answer for the archive as it is now."""


def answer(root: Path | str, query: Query | str) -> list[Answer] | None:
    """The answers to ``query`` over the archive at ``root``, best first, from its index
    alone; None when the index cannot vouch for the archive as it is now (see the
    module's description): the caller then searches the loaded archive."""
    started = time.perf_counter()
    if isinstance(query, str):
        query = parse_query(query)
    first = index_path(Path(root))
    try:
        # The index answers on a thread while the archive is listed and stat'ed: both
        # spend most of their time in compiled code that lets go of the GIL.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader-index") as pool:
            asking = pool.submit(_ask, first, query)
            scanned = scan(root)
            listing, answers = asking.result()
        if listing_digest(root, scanned.relatives, scanned.sizes, scanned.mtimes) != listing:
            raise _Stale("files changed since they were indexed")
    except (_Stale, ArchiveError, OSError, sqlite3.Error) as why:
        log.debug("the index cannot answer alone: %s", why)
        return None
    log.debug(
        "%d answers from the index alone in %.1f ms", len(answers), (time.perf_counter() - started) * 1000
    )
    return answers


def _ask(first: Path, query: Query) -> tuple[str, list[Answer]]:
    """The listing digest the index stores and the query's answers, read together under
    the index's shared lock (while the archive's files are stat'ed)."""
    shards = _shard_paths(first)
    if not all(os.path.isfile(shard) for shard in shards):
        raise _Stale("no index")
    with _locked(first, shared=True):
        if not all(_quickly_sealed(shard) for shard in shards):
            raise _Stale("the index is not sealed as its last writer left it")
        connections: list[sqlite3.Connection] = []
        try:
            for shard in shards:
                connections.append(_open_reading(shard))
                if connections[-1].execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
                    raise _Stale("an index of another version")
            return _stored_listing(connections[0]), _answers(connections, query)
        finally:
            for db in connections:
                db.close()


def _open_reading(shard: Path) -> sqlite3.Connection:
    """A shard opened to be read while the index's shared lock is held, so that nothing
    writes it meanwhile (writers hold the lock exclusively) and it has no pending WAL
    (:func:`_quickly_sealed`): immutable for SQLite, which then neither locks it nor
    makes its WAL files (nor needs a cache folder it can write)."""
    uri = f"{shard.absolute().as_uri()}?immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _answers(shards: list[sqlite3.Connection], query: Query) -> list[Answer]:
    positives = [(t, title) for t, title, exclude in query.terms if not exclude]
    negatives = [(t, title) for t, title, exclude in query.terms if exclude]
    # Per matching post: (not in the title, score, -moment, path, key, title, date,
    # categories, tags), so that plain tuple comparison ranks them.
    ranked: list[tuple[Any, ...]] = []
    excluding = " OR ".join(_fts_expression(t, title) for t, title in negatives)
    for db in shards:
        rows: Iterable[tuple[Any, ...]]
        if positives:
            expression = " AND ".join(_fts_expression(t, title) for t, title in positives)
            if negatives:
                expression += f" NOT ({excluding})"
            title_expression = " AND ".join(_fts_expression(t, True) for t, _title in positives)
            titled = {doc for (doc,) in db.execute(_MATCHING, (title_expression,))}
            rows = db.execute(_SCORED, (expression,))
        else:
            titled = set()
            rows = db.execute(_EVERY)
            if negatives:
                excluded = {doc for (doc,) in db.execute(_MATCHING, (excluding,))}
                rows = (row for row in rows if row[0] not in excluded)
        ranked += [(doc not in titled, *fields) for doc, *fields in rows]
    if (
        query.tags
        or query.categories
        or query.excluded_tags
        or query.excluded_categories
        or query.before
        or query.after
    ):
        ranked = [one for one in ranked if _wanted(query, one[6], one[7], one[8])]
    # The archive's order breaks ties: newest first, then path descending (the sort is
    # stable). A path that is not UTF-8 is stored as bytes: compared as the name it is.
    ranked.sort(key=_path_of, reverse=True)
    ranked.sort(key=_RANK)
    return [
        Answer(
            key=from_stored(key),
            path=_path_of(one),
            title=from_stored(title),
            date=day,
            score=score,
            in_title=not untitled,
            moment=-moment,
        )
        for one in ranked
        for untitled, score, moment, _path, key, title, day, _categories, _tags in (one,)
    ]


_FIELDS = "d.id, {score}, -d.moment, d.path, d.key, d.title, d.date, d.categories, d.tags"
_SCORED = (
    f"SELECT {_FIELDS.format(score='f.score')} FROM"
    " (SELECT rowid AS id, bm25(fts, 4.0, 1.0) AS score FROM fts WHERE fts MATCH ?) AS f"
    " JOIN docs AS d ON d.id = f.id WHERE d.live"
)
_EVERY = f"SELECT {_FIELDS.format(score='0.0')} FROM docs AS d WHERE d.live"
_MATCHING = "SELECT rowid FROM fts WHERE fts MATCH ?"
_RANK = itemgetter(0, 1, 2)


def _path_of(one: tuple[Any, ...]) -> str:
    path = one[3]
    return path if path.__class__ is str else from_stored(path)


def _wanted(query: Query, day: str, categories: str | bytes, tags: str | bytes) -> bool:
    """Whether a post passes the query's field filters (as SearchIndex.search applies them)."""
    if query.tags or query.excluded_tags:
        post_tags = _names(tags)
        if not all(tag in post_tags for tag in query.tags):
            return False
        if any(tag in post_tags for tag in query.excluded_tags):
            return False
    if query.categories or query.excluded_categories:
        post_categories = _names(categories)
        if not all(c in post_categories for c in query.categories):
            return False
        if any(c in post_categories for c in query.excluded_categories):
            return False
    if query.before is not None or query.after is not None:
        # ISO days, four-digit years: as text they compare as the days do.
        posted = day[:10]
        if query.before is not None and not posted < query.before.isoformat():
            return False
        if query.after is not None and not posted > query.after.isoformat():
            return False
    return True


def _names(stored: str | bytes) -> list[str]:
    text = from_stored(stored)
    return text.split(SEPARATOR) if text else []
