"""Real faults for tests: damaged bytes, a full disk, an unprivileged user, ``reader`` run
as a separate process."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

#: The unprivileged user and group the permission cases run as (``nobody``).
NOBODY = 65534


def flip_bytes(path: Path, rng: random.Random) -> list[int]:
    """Change 1-16 random bytes of ``path`` in place (same file, same size); returns where."""
    size = path.stat().st_size
    where = sorted(rng.sample(range(size), min(size, rng.randint(1, 16))))
    descriptor = os.open(path, os.O_RDWR)
    try:
        for at in where:
            [old] = os.pread(descriptor, 1, at)
            os.pwrite(descriptor, bytes([old ^ rng.randint(1, 255)]), at)
    finally:
        os.close(descriptor)
    return where


def require_root(why: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"needs root ({why}); CI runs as root")


@contextlib.contextmanager
def full_disk(free: int) -> Iterator[Path]:
    """A folder on a small tmpfs of its own, filled up so that ``free`` bytes are left."""
    require_root("mounting a small tmpfs")
    folder = Path(tempfile.mkdtemp(prefix="reader-full-"))
    size = free + 1024 * 1024  # room for every cache once the filler goes
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder)], check=True)
    try:
        filler = folder / "filler"
        with open(filler, "wb") as stream, contextlib.suppress(OSError):
            stream.write(b"\0" * size)
            stream.flush()
        # tmpfs counts whole pages: give back what ``free`` asks for.
        os.truncate(filler, max(0, filler.stat().st_size - free))
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def read_only_disk() -> Iterator[Path]:
    """A folder on a tmpfs mounted read-only: even root cannot write there."""
    require_root("mounting a read-only tmpfs")
    folder = Path(tempfile.mkdtemp(prefix="reader-ro-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


def cache_env(cache_home: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONDONTWRITEBYTECODE": "1"}


def run_reader(
    *arguments: str, env: dict[str, str], cwd: Path = REPO, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m reader ARGUMENTS`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def nobody_space() -> Iterator[Path]:
    """A folder the unprivileged user can reach, holding a copy of the ``reader`` package
    (the repository itself may sit where that user cannot look, as under /root)."""
    require_root("dropping to an unprivileged user")
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to run as an unprivileged user")
    folder = Path(tempfile.mkdtemp(prefix="reader-nobody-"))
    folder.chmod(0o755)
    shutil.copytree(REPO / "reader", folder / "code" / "reader", ignore=shutil.ignore_patterns("__pycache__"))
    for path in [folder / "code", *(folder / "code").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_as_nobody(
    space: Path, *arguments: str, cache_home: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m reader ARGUMENTS`` as the unprivileged user, from ``space``'s copy."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(space),
        "XDG_CACHE_HOME": str(cache_home),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    command = ["setpriv", "--reuid", str(NOBODY), "--regid", str(NOBODY), "--clear-groups"]
    return subprocess.run(
        [*command, sys.executable, "-m", "reader", *arguments],
        capture_output=True,
        text=True,
        cwd=space / "code",
        env=env,
        timeout=timeout,
        check=False,
    )


def give_to_nobody(*paths: Path) -> None:
    for path in paths:
        os.chown(path, NOBODY, NOBODY)
