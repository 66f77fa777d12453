"""Remote images kept on disk for offline reading, least recently used evicted.

One file per image address in the user cache folder (``images/ab/abcdef…``, the name
a SHA-1 of the address), written atomically; a file's modification time is when it
was last shown, so eviction removes the oldest first once the folder is over its cap.
Only bytes that are an image (by their first bytes, not by what the server said) are
kept. Nothing here fetches: the window does, and hands the bytes to :meth:`put`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

from reader.core import user_folders

DEFAULT_LIMIT = 500 * 1024 * 1024

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"\x00\x00\x01\x00", "ico"),
)

_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I | re.S)
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def image_kind(data: bytes) -> str | None:
    """The image format ``data`` starts with (png, jpeg, gif, webp, bmp, ico), or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def absolute_url(src: str) -> str | None:
    """A remote image address as fetched (``//host/x`` → ``https://host/x``), or None
    when ``src`` is not remote."""
    src = src.strip()
    if src.startswith("//"):
        return "https:" + src
    if src.lower().startswith(("http://", "https://")):
        return src
    return None


def remote_image_urls(body: str) -> list[str]:
    """The remote images a post's body (HTML or Markdown) shows, in order, once each."""
    found: dict[str, None] = {}
    for match in _IMG_SRC.finditer(body):
        url = absolute_url(next(g for g in match.groups() if g is not None))
        if url:
            found.setdefault(url)
    for match in _MARKDOWN_IMAGE.finditer(body):
        url = absolute_url(match.group(1))
        if url:
            found.setdefault(url)
    return list(found)


def default_folder() -> Path:
    return user_folders.image_cache()


class ImageCache:
    """The on-disk image cache. Safe to share between the threads of one process."""

    def __init__(self, folder: Path | None = None, limit: int = DEFAULT_LIMIT) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.limit = limit
        self._total: int | None = None

    def _path(self, url: str) -> Path:
        digest = hashlib.sha1(url.encode("utf-8", "surrogateescape")).hexdigest()
        return self.folder / digest[:2] / digest

    def __contains__(self, url: str) -> bool:
        return self._path(url).is_file()

    def get(self, url: str) -> bytes | None:
        """The image's bytes, or None; marks it as just used."""
        path = self._path(url)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def put(self, url: str, data: bytes) -> bool:
        """Keep ``data`` for ``url`` when it is an image; False (nothing kept) otherwise."""
        if image_kind(data) is None or len(data) > self.limit:
            return False
        path = self._path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.stat().st_size if path.is_file() else 0
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(temporary)
            return False
        self._total = self.total_size() + len(data) - old
        if self._total > self.limit:
            self.evict(keep=path)
        return True

    def _files(self) -> list[tuple[float, int, Path]]:
        files: list[tuple[float, int, Path]] = []
        if not self.folder.is_dir():
            return files
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub):
                if entry.name.startswith(".part-"):
                    continue
                with contextlib.suppress(OSError):
                    info = entry.stat()
                    files.append((info.st_mtime, info.st_size, Path(entry.path)))
        return files

    def total_size(self) -> int:
        if self._total is None:
            self._total = sum(size for _mtime, size, _path in self._files())
        return self._total

    def evict(self, keep: Path | None = None) -> int:
        """Remove the least recently used images until the cache fits its cap."""
        files = sorted(self._files())
        total = sum(size for _mtime, size, _path in files)
        removed = 0
        for _mtime, size, path in files:
            if total <= self.limit:
                break
            if path == keep:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                removed += 1
        self._total = total
        return removed

    def clear(self) -> None:
        for _mtime, _size, path in self._files():
            with contextlib.suppress(OSError):
                path.unlink()
        self._total = 0
