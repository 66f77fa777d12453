"""Opening marks off the UI thread: handed over with their read flags, and closed when
nobody takes them."""

from __future__ import annotations

from reader.core.archive import load_archive
from reader.core.state import StateStore
from reader.ui import marks_opener as marks_opener_module
from reader.ui.marks_opener import MarksOpener
from tests.conftest import post_text


def recording(monkeypatch) -> list[StateStore]:
    closed: list[StateStore] = []
    real_close = StateStore.close

    def close(self: StateStore) -> int:
        closed.append(self)
        return real_close(self)

    monkeypatch.setattr(marks_opener_module.StateStore, "close", close)
    return closed


def test_marks_are_opened_handed_over_and_closed_when_dropped(write_archive, tmp_path, qtbot, monkeypatch):
    closed = recording(monkeypatch)
    root = write_archive({"_posts/2022-06-01-a.md": post_text(title="A")})
    archive = load_archive(root, use_cache=False)
    opener = MarksOpener(tmp_path / "state.sqlite3")
    try:
        opener.open(root)
        with qtbot.waitSignal(opener.prepared, timeout=10000):
            opener.prepare(archive, None)
        marks = opener.take()
        assert marks is not None and not closed
        assert marks.read_flags(archive.keys) == b"\0", "the read flags of its posts"
        assert opener.take() is None, "taken once"
        with qtbot.waitSignal(opener.prepared, timeout=10000):
            opener.prepare(archive, marks)  # a reload keeps its marks
        assert opener.take() is marks and not closed
        opener.open(root)
        opener.open(root)  # the first is dropped: closed once open
        opener.discard()  # and the second
        qtbot.waitUntil(lambda: len(closed) == 2, timeout=10000)
        assert marks not in closed
    finally:
        opener.shutdown()
        marks.close()
