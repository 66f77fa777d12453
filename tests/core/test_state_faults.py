"""The marks store under faults, made for real: a full disk, a read-only disk, folder or
file, a file that is not ours, a store another process holds, two processes starting
together, damaged bytes. Only damage is set aside; through every other fault nothing
committed is lost, nothing is moved, the store says so, and marks made meanwhile are
written once the fault clears."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core import state as state_module
from reader.core.state import StateStore
from tests.conftest import REPO
from tests.faults import OWNER, StoreChild, corrupt_files, hold, marks_on_disk, open_folder, small_disk

EARLIER = {f"2022-06-01-NW{i}.md" for i in range(1500)}
STARRED = {f"2022-06-01-NW{i}.md" for i in range(0, 1500, 10)}


@pytest.fixture
def disk(tmp_path):
    yield from small_disk(tmp_path / "disk")


def committed(folder: Path) -> Path:
    """A healthy store in ``folder`` holding 1,500 marks of the archive ``folder/archive``."""
    path = folder / "state.sqlite3"
    store = StateStore(folder / "archive", path)
    store.set_read(EARLIER)
    store.set_starred(STARRED)
    assert store.close() == 0
    return path


def assert_untouched(path: Path, read: set[str] = EARLIER, starred: set[str] = STARRED) -> None:
    assert corrupt_files(path.parent) == [], "nothing healthy is set aside"
    assert marks_on_disk(path, path.parent / "archive") == (read, starred)


# --- a full disk ---------------------------------------------------------------------------


def test_a_store_opened_on_a_full_disk_is_kept_and_marks_made_meanwhile_are_saved_with_room(disk):
    path = committed(disk.where)
    disk.fill()
    store = StateStore(disk.where / "archive", path)
    assert store.read == EARLIER and store.starred == STARRED, "every committed mark is shown"
    assert not store.writable
    assert store.warning is not None and "cannot be saved now" in store.warning
    assert "full" in store.warning and "kept for this session" in store.warning
    assert store.set_read(["new-read.md"]) is False
    assert store.set_starred(["new-star.md"]) is False
    assert store.unsaved == 2 and "new-read.md" in store.read and "new-star.md" in store.starred
    assert store.refresh() is False and store.unsaved == 2, "still full: still kept"
    assert corrupt_files(disk.where) == []
    disk.free()
    store.refresh()
    assert store.unsaved == 0 and store.writable and store.problem is None
    assert store.read == EARLIER | {"new-read.md"} and store.starred == STARRED | {"new-star.md"}
    assert store.close() == 0
    assert_untouched(path, EARLIER | {"new-read.md"}, STARRED | {"new-star.md"})


def test_a_disk_filling_up_while_marking_keeps_each_mark_and_the_next_mark_saves_them(disk):
    path = committed(disk.where)
    store = StateStore(disk.where / "archive", path)
    assert store.warning is None and store.writable
    disk.fill()
    assert store.set_read([f"full{i}.md" for i in range(200)]) is False
    assert store.problem is not None and "full" in store.problem
    assert store.set_read(["full0.md"], False) is False, "a change of a kept mark is kept"
    assert store.unsaved == 200
    disk.free()
    assert store.set_starred(["after.md"]) is True, "the next mark writes those kept"
    assert store.unsaved == 0 and store.problem is None
    store.close()
    assert_untouched(path, EARLIER | {f"full{i}.md" for i in range(1, 200)}, STARRED | {"after.md"})


def test_marks_that_cannot_be_saved_by_close_are_counted_and_the_store_is_as_committed(disk):
    path = committed(disk.where)
    store = StateStore(disk.where / "archive", path)
    disk.fill()
    store.set_read(["lost1.md", "lost2.md"])
    assert store.close() == 2, "close tries once more, and says how many it could not write"
    disk.free()
    assert_untouched(path)
    assert StateStore(disk.where / "archive", path).warning is None


# --- a read-only disk ----------------------------------------------------------------------


KILLED_WRITER = """
import os, sys
from pathlib import Path
from reader.core.state import StateStore
store = StateStore(sys.argv[1], Path(sys.argv[2]))
store.set_read(["from-the-log.md"])
os.kill(os.getpid(), 9)
"""


@pytest.mark.parametrize("left", ["closed", "killed"])
def test_a_read_only_disk_shows_every_mark_and_saves_those_made_once_writable(disk, left):
    """Closed: SQLite cleaned its log up. Killed: a writer died (kill -9) with its last
    mark only in the write-ahead log, then the disk turned read-only."""
    path = committed(disk.where)
    expected = set(EARLIER)
    if left == "killed":
        command = [sys.executable, "-c", KILLED_WRITER, str(disk.where / "archive"), str(path)]
        assert subprocess.run(command, cwd=REPO, check=False).returncode == -9
        expected.add("from-the-log.md")
    disk.read_only()
    store = StateStore(disk.where / "archive", path)
    assert store.read == expected and store.starred == STARRED
    assert store.warning is not None and "read-only" in store.warning
    assert "kept for this session" in store.warning
    assert store.set_read(["new-read.md"]) is False and store.unsaved == 1
    disk.writable()
    assert store.refresh() is True
    assert store.unsaved == 0 and store.read == expected | {"new-read.md"}
    store.close()
    assert_untouched(path, expected | {"new-read.md"})


def test_a_folder_whose_name_is_not_utf8_is_named_in_the_warning_byte_for_byte(disk):
    """The window drops a lone surrogate: each path in a message is written ``\\xNN``."""
    folder = disk.where / os.fsdecode(b"user\xff")
    path = committed(folder)
    disk.read_only()
    store = StateStore(folder / "archive", path)
    assert store.read == EARLIER
    assert store.warning is not None and store.problem is not None
    for said in (store.warning, store.problem):
        assert "user\\xff is on a read-only file system" in said, said
        assert said.isprintable() and "\udcff" not in said
    store.close()


# --- rights: a process that is not root --------------------------------------------------------


@pytest.fixture
def shared():
    """A folder outside pytest's (root's alone) that the unprivileged process can reach."""
    folder = open_folder()
    yield folder
    shutil.rmtree(folder)


def own(folder: Path, folder_mode: int, file_mode: int) -> None:
    for item in (folder, *folder.iterdir()):
        os.chown(item, OWNER, OWNER)
        item.chmod(folder_mode if item == folder else file_mode)


FAULTS = {
    # name: (folder mode, file mode, what the process sees of the marks)
    "read-only folder": (0o755, 0o644, EARLIER),
    "read-only file": (0o777, 0o444, EARLIER),
    "file not readable": (0o755, 0o600, set()),
}


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS)
def test_a_store_without_the_right_to_write_is_kept_and_saved_once_it_has_it(shared, fault):
    folder_mode, file_mode, seen = FAULTS[fault]
    path = committed(shared / "user")
    own(shared / "user", folder_mode, file_mode)
    child = StoreChild(shared / "user" / "archive", path)
    try:
        opened = child.report()
        assert set(opened["read"]) == seen
        assert opened["writable"] is False
        assert isinstance(opened["warning"], str) and "kept for this session" in opened["warning"]
        marked = child.report()
        assert marked["saved"] is False and marked["unsaved"] == 2
        assert "new-read.md" in marked["read"]
        assert corrupt_files(shared / "user") == []
        assert_untouched(path)
        (shared / "user").chmod(0o777)  # the fault clears
        for item in (shared / "user").iterdir():
            item.chmod(0o666)
        refreshed = child.step()
        assert refreshed["unsaved"] == 0 and refreshed["writable"] is True
        assert set(refreshed["read"]) == EARLIER | {"new-read.md"}
        assert child.step()["lost"] == 0
    finally:
        child.end()
    assert_untouched(path, EARLIER | {"new-read.md"}, STARRED | {"new-star.md"})


@pytest.mark.slow
def test_marks_a_process_without_the_right_to_write_makes_are_counted_as_lost_on_close(shared):
    path = committed(shared / "user")
    own(shared / "user", 0o755, 0o644)
    child = StoreChild(shared / "user" / "archive", path)
    try:
        child.report()
        child.report()
        assert child.step()["unsaved"] == 2
        assert child.step()["lost"] == 2
    finally:
        child.end()
    assert_untouched(path)


# --- another process -----------------------------------------------------------------------


HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
connection.execute("COMMIT")
"""


@pytest.mark.slow
def test_a_store_another_process_holds_is_read_and_marks_kept_until_it_lets_go(tmp_path, monkeypatch):
    monkeypatch.setattr(state_module, "OPEN_WAIT", 0.5, raising=False)
    path = committed(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        store = StateStore(tmp_path / "archive", path)  # waits OPEN_WAIT, then reads
        assert store.read == EARLIER
        assert store.warning is not None and "locked" in store.warning
        assert store.set_read(["meanwhile.md"]) is False, "kept, not lost in an error"
    finally:
        holder.communicate("\n", timeout=60)
    store.refresh()
    assert store.unsaved == 0
    store.close()
    assert_untouched(path, EARLIER | {"meanwhile.md"})


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.slow
def test_a_mark_made_while_another_process_holds_the_store_returns_at_once_and_is_written_after(tmp_path):
    """The UI thread marks: a hold of 2 s (before, up to 10 s) does not hold it up."""
    path = committed(tmp_path)
    store = StateStore(tmp_path / "archive", path)
    assert store.writable
    holder = hold(path, 2.0)
    try:
        saved, took = timed(lambda: store.set_read(["meanwhile.md"]))
        assert saved is False and took < 1.0, f"set_read waited {took:.2f} s"
        assert store.unsaved == 1 and "meanwhile.md" in store.read, "kept in memory"
        assert store.problem is None, "a hold that ends soon is not worth a warning"
        saved, took = timed(lambda: store.set_starred(["meanwhile.md"]))
        assert saved is False and took < 1.0 and store.unsaved == 2
        _, took = timed(store.refresh)  # the window's poll
        assert took < 1.0 and store.unsaved == 2
        assert marks_on_disk(path, tmp_path / "archive") == (EARLIER, STARRED)
    finally:
        assert holder.wait(timeout=60) == 0
    store.refresh()  # the next poll writes them
    assert store.unsaved == 0 and store.problem is None and store.writable
    assert marks_on_disk(path, tmp_path / "archive") == (
        EARLIER | {"meanwhile.md"},
        STARRED | {"meanwhile.md"},
    )
    assert store.close() == 0


@pytest.mark.slow
def test_a_hold_that_lasts_is_said_and_closing_waits_for_it_to_end(tmp_path, monkeypatch):
    monkeypatch.setattr(state_module, "BUSY_GRACE", 0.3)
    path = committed(tmp_path)
    store = StateStore(tmp_path / "archive", path)
    holder = hold(path, 1.5)
    try:
        assert store.set_read(["held.md"]) is False and store.problem is None
        time.sleep(0.4)
        assert store.refresh() is False
        assert store.problem is not None and "locked" in store.problem, "said once it lasts"
        assert not store.writable and store.unsaved == 1
        assert store.close() == 0, "closing waits for the hold to end (CLOSE_WAIT) and writes the mark"
    finally:
        holder.wait(timeout=60)
    assert_untouched(path, EARLIER | {"held.md"})


STARTER = r"""
import sys, time
from pathlib import Path
from reader.core.state import StateStore
for line in sys.stdin:
    name, start = line.split("\t")
    while time.time() < float(start):  # both start at the same moment
        pass
    store = StateStore(sys.argv[1], Path(name))
    store.set_read([sys.argv[2]])
    print(repr(store.warning), store.close(), flush=True)
"""


@pytest.mark.slow
def test_two_processes_starting_together_on_a_new_store_wait_for_each_other(tmp_path):
    """100 trials, each two processes opening a new store at the same moment (before,
    about 5 in 100 moved the live store aside as damaged, "database is locked")."""
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(tmp_path / "archive"), f"{name}.md"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for name in ("left", "right")
    ]
    try:
        for trial in range(100):
            path = tmp_path / f"trial{trial}" / "state.sqlite3"
            start = time.time() + 0.05
            for starter in starters:
                assert starter.stdin is not None
                starter.stdin.write(f"{path}\t{start}\n")
                starter.stdin.flush()
            answers = [starter.stdout.readline().strip() for starter in starters if starter.stdout]
            assert answers == ["None 0", "None 0"], (trial, answers)
            assert corrupt_files(path.parent) == [], trial
            assert marks_on_disk(path, tmp_path / "archive") == ({"left.md", "right.md"}, set()), trial
    finally:
        for starter in starters:
            starter.communicate(timeout=60)


# --- damage --------------------------------------------------------------------------------


def damage_header(path: Path) -> None:
    path.write_bytes(b"\x89not a database\0" * 400)


def damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(4096 * 3, len(data) - 4096, 4096 * 2):  # every other page after the first few
        data[page : page + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [damage_header, damage_pages])
def test_a_damaged_store_is_set_aside_kept_whole_and_said_so(tmp_path, damage):
    path = committed(tmp_path)
    damage(path)
    damaged = path.read_bytes()
    store = StateStore(tmp_path / "archive", path)
    assert store.warning is not None and "moved to" in store.warning
    assert store.read == set() and store.writable
    kept = corrupt_files(tmp_path)
    assert kept and (tmp_path / kept[0]).read_bytes() == damaged, "set aside byte for byte"
    assert store.set_read(["fresh.md"]) is True
    store.close()
    assert marks_on_disk(path, tmp_path / "archive") == ({"fresh.md"}, set())


def test_damage_is_told_apart_from_every_other_fault():
    def error(message: str, code: int) -> sqlite3.Error:
        made = sqlite3.OperationalError(message)
        made.sqlite_errorcode = code
        return made

    damaged = [error("file is not a database", 26), error("database disk image is malformed", 11)]
    damaged.append(error("malformed", 11 | 1 << 8))  # SQLITE_CORRUPT_VTAB and kin
    damaged.append(state_module.Damaged("integrity check failed"))
    faults = [error(m, c) for m, c in [("locked", 5), ("locked", 6), ("full", 13), ("readonly", 8)]]
    faults += [error("I/O", 10 | 19 << 8), error("cannot open", 14), error("auth", 23), sqlite3.Error("x")]
    faults += [PermissionError(13, "Permission denied"), OSError(28, "No space left on device")]
    assert all(state_module.is_damaged(e) for e in damaged)
    assert not any(state_module.is_damaged(e) for e in faults)
