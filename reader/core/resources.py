"""The files the reading pane reads, a post's own and those it shows: found inside the
archive root, read there and nowhere else.

A post names its images by URL. :func:`resolve_local_resource` turns one into a path inside
the archive root, or refuses it (a scheme, a host, ``..`` or a symbolic link leading out);
:func:`read_inside` then reads that file with care: walked down from the root without
following any symbolic link at the moment it opens (a folder swapped for a link since the
check is refused), only a regular file (a named pipe or a device named like an image is
never opened: reading one could block or never end), opened without blocking, and at most
:data:`MAX_RESOURCE_BYTES` of it.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO
from urllib.parse import urlsplit

from reader.core.names import unquote

#: The largest file a post may show (32 MiB): a bigger "image" is refused unread.
MAX_RESOURCE_BYTES = 32 * 1024 * 1024

_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def resolve_local_resource(root: str | os.PathLike[str], post_path: str, url: str) -> str | None:
    """The path, relative to the archive's real root, of the file ``url`` (in the post at
    ``post_path``) names, or None.

    Relative paths resolve against the post's folder, site-absolute ones (``/img/x.png``)
    against the archive root; ``file:`` and other schemes, hosts, and anything that leads
    outside the root (``..``, a symbolic link out) give None. Nothing outside the root is
    looked at: a path that leaves it by its text is refused before any file system call.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path or "\x00" in path:
        return None
    root_real = os.path.realpath(root)
    if path.startswith("/"):
        candidate = os.path.join(root_real, path.lstrip("/"))
    else:
        candidate = os.path.join(root_real, os.path.dirname(post_path), path)
    if not _inside(os.path.normpath(candidate), root_real):
        return None
    real = os.path.realpath(candidate)
    if real == root_real or not _inside(real, root_real):
        return None
    return os.path.relpath(real, root_real)


def open_inside(root: str | os.PathLike[str], relative: str, limit: int | None = None) -> BinaryIO:
    """The regular file at ``relative`` under the folder ``root``, open for reading.

    ``relative`` may name a symbolic link that stays inside ``root`` (it is resolved first);
    the file is then reached from the root one name at a time without following any link
    (a folder swapped for a link out since is refused), is never a named pipe or a device
    (opened without blocking, checked again once open) and, with ``limit``, no larger than
    that. OSError otherwise."""
    root_real = os.path.realpath(root)
    real = os.path.realpath(os.path.join(root_real, relative))
    if real == root_real or not _inside(real, root_real):
        raise OSError(errno.EACCES, "leads outside the archive", relative)
    names = os.path.relpath(real, root_real).split(os.sep)
    folder = os.open(root_real, _FOLDER_FLAGS)
    try:
        for name in names[:-1]:
            inner = os.open(name, _FOLDER_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = inner
        _check(os.stat(names[-1], dir_fd=folder, follow_symlinks=False), relative, limit)
        descriptor = os.open(names[-1], _FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)
    try:
        _check(os.fstat(descriptor), relative, limit)  # the file opened, not the one checked
        os.set_blocking(descriptor, True)  # a regular file: reads never wait anyway
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def open_regular(path: str | os.PathLike[str]) -> BinaryIO | None:
    """The regular file at ``path`` (not through a link), open for reading; None when it is
    missing, unreadable or anything else. Never waits: a named pipe at ``path`` would
    otherwise hold the reader for good. For the caches, which Reader writes itself."""
    try:
        descriptor = os.open(path, _FILE_FLAGS)
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.set_blocking(descriptor, True)
            return os.fdopen(descriptor, "rb")
    except OSError:
        pass
    os.close(descriptor)
    return None


def open_post_file(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> BinaryIO:
    """A post's file, open for reading: as :func:`open_inside` opens it under the archive
    folder ``root``; without ``root`` (the scan has already kept links out) at least never
    a named pipe or a device, which could block the reader for good."""
    if root is None:
        folder, name = os.path.split(os.path.realpath(path))
        return open_inside(folder, name)
    return open_inside(root, os.path.relpath(os.path.join(root, path), root))


def read_inside(root: str | os.PathLike[str], relative: str, limit: int = MAX_RESOURCE_BYTES) -> bytes:
    """The bytes of the regular file at ``relative`` under the folder ``root``, as
    :func:`open_inside` opens it; OSError when it is anything else or over ``limit``."""
    names = [name for name in relative.split(os.sep) if name not in ("", ".")]
    if not names or ".." in names:
        raise OSError(errno.EACCES, "not a path inside the archive", relative)
    with open_inside(root, os.sep.join(names), limit) as file:
        data = file.read(limit + 1)  # the file may have grown since it was checked
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", relative)
    return data


def _check(info: os.stat_result, relative: str, limit: int | None) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", relative)
    if limit is not None and info.st_size > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", relative)
