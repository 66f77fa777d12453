"""Faults made for real, for the tests of the marks store, the caches and the window: a
small disk that fills up or turns read-only (a tmpfs, mounted as root: CI runs as root), a
process without root's rights over files, damaged bytes, ``reader`` run as a separate
process, and what the marks store holds, read past the store."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest

from reader.core.state import StateStore
from tests.conftest import REPO

#: Owner of the files an unprivileged process is given: neither root nor nobody, so that
#: both see them as "other" (see unprivileged()).
OWNER = 4242
#: The unprivileged user and group the permission cases run as (``nobody``).
NOBODY = 65534


def require_root(why: str) -> None:
    """Skip where the test cannot run (not root: a developer's own account); as root (CI)
    every fault is made for real, and a failure to make it fails the test."""
    if os.geteuid() != 0:
        pytest.skip(f"needs root ({why}); CI runs as root")


class SmallDisk:
    """A tmpfs of ``size`` mounted at ``where`` (as root: see :func:`require_root`)."""

    def __init__(self, where: Path, size: str, *, mode: str = "0755", read_only: bool = False) -> None:
        require_root("mounting a small tmpfs")
        self.where = where
        where.mkdir(parents=True, exist_ok=True)
        options = f"size={size},mode={mode}" + (",ro" if read_only else "")
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"mounting a small tmpfs as root failed: {result.stderr.strip()}")
        self._filler = where / "filler"

    def fill(self, leave: int = 0) -> None:
        """Fill the disk up to its last byte, then give back ``leave`` bytes (tmpfs counts
        whole pages)."""
        with open(self._filler, "ab", buffering=0) as out:
            for chunk in (1 << 16, 1 << 12, 1 << 9, 1):
                try:
                    while True:
                        out.write(b"\0" * chunk)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
        assert shutil.disk_usage(self.where).free == 0
        if leave:
            os.truncate(self._filler, max(0, self._filler.stat().st_size - leave))

    def free(self) -> None:
        self._filler.unlink()

    def read_only(self) -> None:
        self._remount("ro")

    def writable(self) -> None:
        self._remount("rw")

    def _remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.where)], check=True)

    def unmount(self) -> None:
        # Lazily: whatever still has a file open there lets go of it when it closes.
        subprocess.run(["umount", "-l", str(self.where)], check=False)


def small_disk(where: Path, size: str = "4m") -> Iterator[SmallDisk]:
    """For a fixture: the disk, unmounted after the test."""
    disk = SmallDisk(where, size)
    try:
        yield disk
    finally:
        disk.unmount()


def corrupt_files(folder: Path) -> list[str]:
    """Files set aside as damaged in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name)


def marks_on_disk(path: Path, archive: Path) -> tuple[set[str], set[str]]:
    """(read, starred) as the store file holds them, read with SQLite directly."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT key, read, starred FROM marks WHERE archive = ?", (str(archive.resolve()),)
        ).fetchall()
    finally:
        connection.close()
    return {key for key, read, _ in rows if read}, {key for key, _, starred in rows if starred}


@cache
def unprivileged() -> tuple[str, ...]:
    """How to start a process without root's rights over files: as nobody, when nobody can
    run this checkout's Python; else (a checkout nobody can read, under /root say) as root
    without the capabilities that override file permissions. Either way files owned by
    :data:`OWNER` are read and written as their modes say to others."""
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to run a process without root's rights")
    nobody = ("setpriv", "--reuid", str(NOBODY), "--regid", str(NOBODY), "--clear-groups")
    command = [*nobody, sys.executable, "-c", "import reader.core.state"]
    probe = subprocess.run(command, cwd=REPO, capture_output=True, check=False)
    if probe.returncode == 0:
        return nobody
    return ("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--inh-caps", "-all")


def open_folder() -> Path:
    """A new folder any user can reach (pytest's own are root's alone); removed by the caller."""
    folder = Path(tempfile.mkdtemp(prefix="reader-faults-"))
    folder.chmod(0o755)
    return folder


#: Opens the store named on its command line, marks, and reports each step as a JSON
#: line; between steps it waits for a line on its input (the test changes the files).
STORE_CHILD = r"""
import json, sys
from pathlib import Path
from reader.core.state import StateStore

store = StateStore(sys.argv[1], Path(sys.argv[2]))


def report(**more):
    print(json.dumps({"read": sorted(store.read), "starred": sorted(store.starred),
                      "warning": store.warning, "problem": store.problem,
                      "writable": store.writable, "unsaved": store.unsaved, **more}), flush=True)


report(step="opened")
saved = store.set_read(["new-read.md"])
saved = store.set_starred(["new-star.md"]) and saved
report(step="marked", saved=saved)
sys.stdin.readline()
report(step="refreshed", changed=store.refresh())
sys.stdin.readline()
report(step="closed", lost=store.close())
"""


class StoreChild:
    """:data:`STORE_CHILD` running unprivileged; :meth:`step` lets it go on and reads its report."""

    def __init__(self, archive: Path, path: Path) -> None:
        self.process = subprocess.Popen(
            [*unprivileged(), sys.executable, "-c", STORE_CHILD, str(archive), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )

    def report(self) -> dict[str, object]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=60)
            assert self.process.stderr is not None
            pytest.fail(f"the store's process ended: {self.process.stderr.read()}")
        result: dict[str, object] = json.loads(line)
        return result

    def step(self) -> dict[str, object]:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return self.report()

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate(timeout=60)


def commit(path: Path, archive: Path, read: Iterable[str], starred: Iterable[str] = ()) -> None:
    """Write marks of ``archive`` into the store at ``path`` and close it."""
    store = StateStore(archive, path)
    assert store.set_read(read) and store.set_starred(starred)
    assert store.close() == 0


#: Holds the store's write lock for argv[2] seconds, then lets go by itself.
HOLDER_FOR = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the store's write lock for ``seconds`` from now."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER_FOR, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.stdout.close()  # it says nothing more; the caller waits for it
    return holder


# --- the caches and the command line ---------------------------------------------


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


@contextlib.contextmanager
def _disk_in_new_folder(prefix: str, size: str, *, mode: str, read_only: bool = False) -> Iterator[SmallDisk]:
    """A :class:`SmallDisk` in a new folder of its own, unmounted and removed after."""
    require_root("mounting a small tmpfs")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        disk = SmallDisk(folder, size, mode=mode, read_only=read_only)
        try:
            yield disk
        finally:
            disk.unmount()
    finally:
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def full_disk(free: int) -> Iterator[Path]:
    """A folder on a small tmpfs of its own, filled up so that ``free`` bytes are left."""
    size = free + 1024 * 1024  # room for every cache once the filler goes
    with _disk_in_new_folder("reader-full-", str(size), mode="0777") as disk:
        disk.fill(leave=free)
        yield disk.where


@contextlib.contextmanager
def read_only_disk() -> Iterator[Path]:
    """A folder on a tmpfs mounted read-only: even root cannot write there."""
    with _disk_in_new_folder("reader-ro-", "1m", mode="1777", read_only=True) as disk:
        yield disk.where


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
