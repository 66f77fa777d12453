"""Read and starred marks: each guarantee of reader.core.state, with real processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from reader.core.archive import load_archive
from reader.core.state import StateStore
from tests.conftest import REPO, post_text


def test_marks_survive_a_restart(tmp_path):
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    store.set_read(["a.md", "b.md"])
    store.set_starred(["b.md"])
    store.set_read(["a.md"], False)
    store.close()
    again = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    assert again.read == {"b.md"}
    assert again.starred == {"b.md"}


def test_marks_are_kept_per_archive(tmp_path):
    one = StateStore(tmp_path / "one", tmp_path / "state.sqlite3")
    two = StateStore(tmp_path / "two", tmp_path / "state.sqlite3")
    one.set_read(["x.md"])
    assert two.read == set()
    two.refresh()
    assert two.read == set()


def test_marks_survive_the_daily_move_to_old_post(write_archive, tmp_path):
    root = write_archive({"_posts/2022-06-01-NW1.md": post_text()})
    store = StateStore(root, tmp_path / "state.sqlite3")
    store.set_read([load_archive(root).posts[0].key])
    store.close()
    (root / "old_post").mkdir()
    (root / "_posts/2022-06-01-NW1.md").rename(root / "old_post/2022-06-01-NW1.md")
    moved = load_archive(root).posts[0]
    assert moved.path == "old_post/2022-06-01-NW1.md"
    assert StateStore(root, tmp_path / "state.sqlite3").is_read(moved.key)


WRITER = """
import sys, time
from reader.core.state import StateStore
store = StateStore(sys.argv[1], __import__('pathlib').Path(sys.argv[2]))
prefix = sys.argv[3]
for i in range(int(sys.argv[4])):
    store.set_read([f"{prefix}{i}"])
    if i % 2 == 0:
        store.set_starred([f"{prefix}{i}"])
    print(i, flush=True)
"""


def _writer(tmp_path, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRITER,
            str(tmp_path / "archive"),
            str(tmp_path / "state.sqlite3"),
            prefix,
            str(count),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


@pytest.mark.slow
@pytest.mark.parametrize("after_marks", [1, 57, 400])
def test_kill_9_loses_no_acknowledged_mark_and_never_corrupts(tmp_path, after_marks):
    earlier = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    earlier.set_read([f"earlier{i}" for i in range(1000)])
    earlier.close()
    writer = _writer(tmp_path, "k", 1_000_000)
    assert writer.stdout is not None
    acknowledged = -1
    while acknowledged < after_marks:
        acknowledged = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    assert store.warning is None
    assert {f"earlier{i}" for i in range(1000)} <= store.read
    assert {f"k{i}" for i in range(acknowledged + 1)} <= store.read
    assert {f"k{i}" for i in range(0, acknowledged, 2)} <= store.starred
    connection = sqlite3.connect(tmp_path / "state.sqlite3")
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_two_processes_lose_none_of_each_others_marks(tmp_path):
    StateStore(tmp_path / "archive", tmp_path / "state.sqlite3").close()
    writers = [_writer(tmp_path, prefix, 300) for prefix in ("left", "right")]
    for writer in writers:
        writer.communicate(timeout=120)
        assert writer.returncode == 0
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    assert {f"left{i}" for i in range(300)} | {f"right{i}" for i in range(300)} == store.read


def test_refresh_picks_up_another_windows_marks(tmp_path):
    mine = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    theirs = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    assert mine.refresh() is False
    theirs.set_starred(["x.md"])
    assert mine.refresh() is True
    assert mine.starred == {"x.md"}
    mine.set_read(["y.md"])
    assert mine.refresh() is False, "our own write is already in memory"


def test_corrupt_file_is_moved_aside_and_reader_starts_empty(tmp_path):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not a database " * 200)
    store = StateStore(tmp_path / "archive", path)
    assert store.read == set()
    assert store.warning is not None and "moved to" in store.warning
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3.corrupt-")]
    assert len(kept) == 1
    assert kept[0].read_bytes().startswith(b"this is not a database")
    store.set_read(["works.md"])
    assert StateStore(tmp_path / "archive", path).read == {"works.md"}


def test_truncated_database_is_moved_aside(tmp_path):
    path = tmp_path / "state.sqlite3"
    store = StateStore(tmp_path / "archive", path)
    store.set_read([f"k{i}" for i in range(5000)])
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50 + data[150 : len(data) // 2])
    again = StateStore(tmp_path / "archive", path)
    assert again.warning is not None


def test_hundred_thousand_marks_round_trip(tmp_path):
    keys = [f"2022-06-01-NW{i}.md" for i in range(100_000)]
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    store.set_read(keys)
    store.close()
    again = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    assert again.read == set(keys)


def test_marks_read_back_with_any_key_a_file_name_can_give(tmp_path):
    """Keys come back through SQLite joined in one text: none is split or merged."""
    keys = ["a.md", "新闻 2022,06.md", "line\nbreak.md", "x.md@old_post/x.md", "tab\there.md", ""]
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    store.set_read(keys)
    store.set_starred(keys[1:3])
    again = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    assert again.read == set(keys) and again.starred == set(keys[1:3])
    assert StateStore(tmp_path / "other", tmp_path / "state.sqlite3").read == set()


def test_read_flags_are_kept_for_one_later_call_while_no_mark_changes(tmp_path):
    """A loading thread works them out; the window counts from them once."""
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    store.set_read(["b.md"])
    keys = ("a.md", "b.md", "c.md")
    kept = store.read_flags(keys, keep=True)
    assert kept == bytes([0, 1, 0])
    assert store.read_flags(keys) is kept, "the kept answer, once"
    assert store.read_flags(keys) is not kept and store.read_flags(keys) == kept
    store.read_flags(keys, keep=True)
    store.set_read(["c.md"])  # a mark changed: worked out again
    assert store.read_flags(keys) == bytes([0, 1, 1])
    store.read_flags(keys, keep=True)
    assert store.read_flags(tuple(keys)) == bytes([0, 1, 1])  # other keys: worked out again


def test_read_flags_of_more_keys_than_one_slice_are_exact(tmp_path, monkeypatch):
    """Worked out a slice at a time (the GIL is let go between slices): the same flags."""
    import reader.core.state as state_module

    monkeypatch.setattr(state_module, "FLAGS_SLICE", 7)
    store = StateStore(tmp_path / "archive", tmp_path / "state.sqlite3")
    keys = tuple(f"{n}.md" for n in range(50))
    store.set_read([key for n, key in enumerate(keys) if n % 3 == 0 or n in (6, 7, 49)])
    expected = bytes(int(n % 3 == 0 or n in (6, 7, 49)) for n in range(50))
    assert store.read_flags(keys) == expected
    assert store.read_flags(()) == b""
