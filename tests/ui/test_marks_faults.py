"""The window when the marks or the session cannot be written (a real full or read-only
disk under the user's folders): the archive shows, the window says what is kept and why,
marks made meanwhile count and are written once the disk takes them, nothing is set
aside, and closing says what could not be saved."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.conftest import REPO, post_text
from tests.faults import (
    OWNER,
    commit,
    corrupt_files,
    hold,
    marks_on_disk,
    open_folder,
    small_disk,
    unprivileged,
)
from tests.ui.conftest import WindowDriver

Key = Qt.Key
#: 1,500 marks committed before the fault: two of the archive's five posts, and others.
EARLIER = {f"2021-01-01-old{i}.md" for i in range(1498)} | {"2022-06-01-p1.md", "2022-06-02-p2.md"}


@pytest.fixture
def disk(tmp_path):
    yield from small_disk(tmp_path / "user")


@pytest.fixture
def told(monkeypatch) -> list[str]:
    """What the window told with a warning box as it closed (none is shown)."""
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: texts.append(text))
    return texts


@pytest.fixture
def on_disk(qtbot, disk, told):
    """A window whose settings and marks are on the small disk; closed before it goes."""
    driver = WindowDriver(qtbot, disk.where)
    yield driver
    driver.window.close()


@pytest.fixture
def root(write_archive):
    start = date(2022, 6, 1)
    return write_archive(
        {f"_posts/{start + timedelta(days=n - 1)}-p{n}.md": post_text(title=f"Post {n}") for n in range(1, 6)}
    )


def marks_saving_said(window) -> bool:
    return window.saving_status.isVisible() and window.saving_status.text() == "⚠ Marks not saved"


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_disk_at_fault_at_start_shows_the_archive_and_saves_marks_once_it_clears(
    on_disk, disk, root, qtbot, told, fault
):
    store = disk.where / "state.sqlite3"
    commit(store, root, EARLIER)
    disk.fill() if fault == "full" else disk.read_only()
    window = on_disk.open(root)  # the loaded archive, not "Loading…" for ever
    assert window.counts.text() == "5 posts · 3 unread", "the committed marks count"
    assert marks_saving_said(window)
    assert ("full" if fault == "full" else "read-only") in window.saving_status.toolTip()
    said = window.statusBar().currentMessage()
    assert "cannot be saved now" in said and "kept for this session" in said
    on_disk.key(Key.Key_J)  # selected: marked read
    on_disk.key(Key.Key_S)
    key = window.current_post().key
    assert window.counts.text() == "5 posts · 2 unread", "the marks made count"
    assert window.state.unsaved == 2
    assert corrupt_files(disk.where) == []
    disk.free() if fault == "full" else disk.writable()
    qtbot.waitUntil(lambda: not window.saving_status.isVisible(), timeout=10000)  # the poll writes them
    assert window.statusBar().currentMessage() == "Read marks and session saved again."
    assert marks_on_disk(store, root) == (EARLIER | {key}, {key})
    window.close()
    assert told == []


def test_a_data_folder_whose_name_is_not_utf8_is_named_whole_in_the_window(disk, root, qtbot, told):
    """Qt drops a lone surrogate: the folder's byte that is not UTF-8 is shown ``\\xff``."""
    folder = disk.where / os.fsdecode(b"user\xff")
    commit(folder / "state.sqlite3", root, EARLIER)
    disk.read_only()
    driver = WindowDriver(qtbot, folder)
    window = driver.open(root)
    try:
        window.settings.sync()
        window.saving.check()
        said = window.saving_status.toolTip()  # as Qt holds it
        assert said.count("user\\xff is on a read-only file system") == 2, said  # marks and session
        assert "user\\xff" in window.statusBar().currentMessage()
    finally:
        window.close()


@pytest.mark.slow
def test_a_store_another_process_holds_for_a_moment_neither_stalls_nor_alarms_the_window(driver, root, qtbot):
    """Marking while another process holds the store for 2 s: the key press returns at
    once (before, it waited for the hold, up to 10 s), no warning flashes, and the poll
    writes the mark once the hold ends."""
    store = driver.folder / "state.sqlite3"
    commit(store, root, EARLIER)
    window = driver.open(root)
    holder = hold(store, 2.0)
    try:
        started = time.monotonic()
        driver.key(Key.Key_J)  # selected: marked read
        took = time.monotonic() - started
        key = window.current_post().key
        assert took < 1.0, f"the key press waited {took:.2f} s"
        assert window.state.unsaved == 1 and window.counts.text() == "5 posts · 2 unread"
        window.marks_actions.poll()  # a poll while still held
        assert not window.saving_status.isVisible() and window.warnings == []
    finally:
        holder.wait(timeout=60)
    qtbot.waitUntil(lambda: window.state.unsaved == 0, timeout=10000)  # the poll writes it
    assert marks_on_disk(store, root) == (EARLIER | {key}, set())
    assert not window.saving_status.isVisible() and window.warnings == []
    assert "not" not in window.statusBar().currentMessage()
    window.close()


def test_closing_on_a_read_only_disk_says_what_could_not_be_saved_and_keeps_what_was(
    on_disk, disk, root, told
):
    store = disk.where / "state.sqlite3"
    commit(store, root, EARLIER)
    window = on_disk.open(root)
    window.close()
    settings_before = (disk.where / "reader.ini").read_bytes()
    disk.read_only()  # (a disk with files open for writing cannot be made read-only)
    window = on_disk.window = on_disk.new_window()
    on_disk.open(root, window)
    on_disk.key(Key.Key_J)
    on_disk.key(Key.Key_S)
    window.close()
    assert len(told) == 2
    assert "The session (window, panes, post shown) could not be saved" in told[0]
    assert told[1].startswith("2 read marks made in this session could not be saved")
    disk.writable()
    assert marks_on_disk(store, root) == (EARLIER, set()), "every committed mark, nothing else"
    assert (disk.where / "reader.ini").read_bytes() == settings_before, "the session as last written"
    assert corrupt_files(disk.where) == []


def test_a_disk_filling_up_keeps_marks_and_session_and_writes_them_once_it_has_room(
    on_disk, disk, root, qtbot, told
):
    store, settings = disk.where / "state.sqlite3", disk.where / "reader.ini"
    commit(store, root, EARLIER)
    window = on_disk.open(root)
    window.select_post_key("2022-06-03-p3.md")
    window.save_session()
    written = settings.read_bytes()
    assert b"2022-06-03-p3.md" in written and not window.saving_status.isVisible()
    disk.fill()
    window.select_post_key("2022-06-04-p4.md")  # marked read: not written
    assert marks_saving_said(window), "a mark the slot could not write is said, not lost"
    assert "full" in window.saving_status.toolTip()
    window.save_session()
    assert settings.read_bytes() == written, "the session file as it was, whole"
    assert "The session (window, panes, post shown) cannot be saved now" in window.saving_status.toolTip()
    assert any("session" in warning for warning in window.warnings)
    on_disk.key(Key.Key_S)
    assert window.state.unsaved == 2 and window.counts.text() == "5 posts · 1 unread"
    disk.free()
    on_disk.key(Key.Key_M)  # the next mark writes those kept
    assert window.state.unsaved == 0
    assert marks_on_disk(store, root) == (
        EARLIER | {"2022-06-03-p3.md"},
        {"2022-06-04-p4.md"},
    ), "p4 marked read, then unread by M; starred"
    qtbot.waitUntil(lambda: not window.saving_status.isVisible(), timeout=10000)  # the session, by the poll
    assert b"2022-06-04-p4.md" in settings.read_bytes()
    assert corrupt_files(disk.where) == []
    window.close()
    assert told == []


#: A window in a process without root's rights: opens the archive, marks the post shown
#: first, and closes; prints what it showed and told as one JSON line.
WINDOW_CHILD = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from reader.ui.app import install_language
from reader.ui.main_window import MainWindow
from reader.ui.settings import NODE, Settings

app = QApplication([])
install_language(app, "en")
told = []
QMessageBox.warning = lambda parent, title, text, *rest: told.append(text)
user, root = Path(sys.argv[1]), Path(sys.argv[2])
settings = Settings(user / "reader.ini")
settings.archive_set(root, NODE, "all/")  # shown before, no post chosen: the window picks none
window = MainWindow(settings, state_path=user / "state.sqlite3", background=False)
window.show()
shown = {}


def loaded():
    window.select_post_key("2022-06-05-p5.md")
    shown.update(counts=window.counts.text(), sign=window.saving_status.text(),
                 visible=window.saving_status.isVisible(), message=window.statusBar().currentMessage())
    app.quit()


window.archive_loaded.connect(loaded)
QTimer.singleShot(60000, app.quit)
window.open_archive(root)
app.exec()
shown["counts after"] = window.counts.text()
window.close()
print(json.dumps({**shown, "told": told}), flush=True)
"""


@pytest.mark.slow
def test_a_read_only_data_folder_of_a_user_not_root_shows_the_archive_and_says_so(root):
    """The window in a process without root's rights, its data folder and marks read-only."""
    shared = open_folder()
    try:
        archive = shared / "archive"
        shutil.copytree(root, archive)
        user = shared / "user"
        commit(user / "state.sqlite3", archive, EARLIER)
        for folder, _, files in os.walk(shared):  # read-only to others: the archive too
            for item in [folder, *(os.path.join(folder, name) for name in files)]:
                os.chown(item, OWNER, OWNER)
        home = shared / "home"  # the rest of the user's folders: writable
        home.mkdir(mode=0o777)
        home.chmod(0o777)
        environment = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            environment[variable] = str(home / variable.lower())
        environment["XDG_RUNTIME_DIR"] = str(home)
        result = subprocess.run(
            [*unprivileged(), sys.executable, "-c", WINDOW_CHILD, str(user), str(archive)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=environment,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        shown = json.loads(result.stdout.splitlines()[-1])
        assert shown.get("counts") == "5 posts · 2 unread", ("the archive shows", shown, result.stderr)
        assert shown["visible"] and shown["sign"] == "⚠ Marks not saved"
        assert "kept for this session" in shown["message"]
        assert shown["told"][-1].startswith("1 read mark made in this session could not be saved")
        assert corrupt_files(user) == []
        assert marks_on_disk(user / "state.sqlite3", archive) == (EARLIER, set())
    finally:
        shutil.rmtree(shared)
