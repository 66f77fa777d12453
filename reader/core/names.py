"""File and folder names that are not UTF-8: one representation, end to end.

On Linux a file name is any bytes but ``/`` and NUL. Python's ``os`` functions give a
``str`` in which each byte that is not part of valid UTF-8 stands as a lone surrogate,
U+DC80 to U+DCFF (the ``surrogateescape`` error handler), and take that ``str`` back to
the same bytes. Inside Reader, paths, post keys, category folders and archive folders
stay ``str`` in that form, so the file system always finds them again. Where only valid
text may go, they pass through this module:

* :func:`archive_id` and :func:`archive_digest`: an archive folder's identity, for its
  marks, its settings, its load cache and its search index;
* :func:`to_stored` and :func:`from_stored`: SQLite (marks, search index) and the
  settings file. A name that is valid text is stored as text, as it always was; any
  other name as its bytes (a BLOB; a byte array in the settings file). Distinct names
  stay distinct and come back exactly;
* :func:`quote` and :func:`unquote`: in URLs (links between posts, images, a dropped
  folder), as the bytes' ``%XX`` escapes;
* :func:`shown`: for people (the window, the commands' output). Each byte that is not
  UTF-8 is written as the four characters ``\\xNN`` (``bad\\xff.md``), as Python writes a
  byte it cannot show.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from pathlib import Path

#: A byte that is not UTF-8, as ``surrogateescape`` decoding leaves it.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def is_text(name: str) -> bool:
    """Is ``name`` valid Unicode text (no byte that is not UTF-8)?"""
    return name.isascii() or _ESCAPED_BYTE.search(name) is None


def shown(name: str) -> str:
    """``name`` for people: each byte that is not UTF-8 written ``\\xNN``."""
    if is_text(name):
        return name
    return _ESCAPED_BYTE.sub(lambda match: f"\\x{ord(match[0]) - 0xDC00:02x}", name)


def to_stored(name: str) -> str | bytes:
    """``name`` for a store that takes only valid text: itself when it is valid text,
    else its bytes (which no text value equals, so the two kinds never collide)."""
    return name if is_text(name) else os.fsencode(name)


def from_stored(value: str | bytes | bytearray | memoryview) -> str:
    """The name :func:`to_stored` gave ``value`` for."""
    return value if isinstance(value, str) else os.fsdecode(bytes(value))


def archive_id(root: Path | str) -> str:
    """How an archive is known everywhere: its absolute folder, links resolved."""
    return os.path.realpath(root)


def archive_digest(root: Path | str) -> str:
    """A file-name-safe digest of :func:`archive_id` (hex SHA-1 of the folder's bytes)."""
    return hashlib.sha1(os.fsencode(archive_id(root))).hexdigest()


def quote(name: str) -> str:
    """``name`` for a URL's path: its bytes, ``%XX``-escaped where needed."""
    return urllib.parse.quote(name, errors="surrogateescape")


def unquote(text: str) -> str:
    """A URL path's ``%XX`` escapes decoded to a name (``%FF`` gives the name with that byte)."""
    return urllib.parse.unquote(text, errors="surrogateescape")
