"""File → Update Archive, Get Archive… and Update Automatically…, with remotes on this machine."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from reader.core import git as reader_git
from reader.ui.clone_dialog import CloneDialog, CloneRequest
from reader.ui.settings import AUTO_UPDATE_MINUTES
from tests.git_remotes import Upstream, git, git_daemon, slow_proxy

UPDATE_WITHIN_MS = 20_000
POSTS = {f"_posts/2022-06-0{i}-p{i}.md": f"P{i}" for i in range(1, 6)}


@pytest.fixture
def upstream(tmp_path) -> Upstream:
    remote = Upstream(tmp_path)
    remote.publish(POSTS, message="first posts")
    return remote


@pytest.fixture
def followed(driver, upstream, tmp_path, qtbot):
    """A window on a clone of ``upstream``, following its folder."""
    root = reader_git.clone(upstream.url, tmp_path / "archive")
    window = driver.open(root)
    qtbot.waitUntil(lambda: window.following, timeout=5000)
    # Whether the folder can be updated is found on a thread after the load.
    qtbot.waitUntil(window.act_update_archive.isEnabled, timeout=5000)
    return window, root


def titles(window) -> set[str]:
    return {post.title for post in window.archive.posts}


def notices(window) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_update_is_offered_only_for_a_git_work_tree_with_a_remote(driver, followed, tmp_path, qtbot):
    window, _root = followed
    assert window.act_update_archive.isEnabled()
    assert window.act_update_archive.shortcut().toString() == "Ctrl+U"
    plain = tmp_path / "plain"
    (plain / "_posts").mkdir(parents=True)
    (plain / "_posts/2022-06-01-a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    driver.open(plain)
    qtbot.waitUntil(lambda: not window.act_update_archive.isEnabled(), timeout=5000)


def test_ctrl_u_brings_new_posts_unread_and_keeps_marks_and_the_post_shown(
    driver, upstream, followed, qtbot, monkeypatch
):
    window, _root = followed
    window.state.set_read(["2022-06-01-p1.md", "2022-06-03-p3.md"])
    window.state.set_starred(["2022-06-01-p1.md"])
    assert window.select_post_key("2022-06-03-p3.md")
    upstream.publish(
        {"_posts/2022-06-08-n1.md": "N1", "_posts/2022-06-09-n2.md": "N2"},
        move=["_posts/2022-06-01-p1.md", "_posts/2022-06-02-p2.md"],
    )
    threads: list[str] = []
    update = reader_git.update

    def recorded(*arguments, **options):
        threads.append(threading.current_thread().name)
        return update(*arguments, **options)

    monkeypatch.setattr(reader_git, "update", recorded)
    driver.key(Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.updates.last_summary is not None, timeout=UPDATE_WITHIN_MS)
    assert threads and threads[0] != threading.main_thread().name, "the update ran on the window's thread"
    assert "2 new posts, 2 moved" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: {"N1", "N2"} <= titles(window), timeout=UPDATE_WITHIN_MS)
    qtbot.waitUntil(
        lambda: any(post.path.startswith("old_post/") for post in window.archive.posts), timeout=5000
    )
    assert not window.state.is_read("2022-06-08-n1.md")
    assert window.state.is_read("2022-06-01-p1.md") and window.state.is_starred("2022-06-01-p1.md")
    assert window.state.is_read("2022-06-03-p3.md")
    # The post shown before comes back in a turn of its own, after the posts.
    qtbot.waitUntil(lambda: window.current_post() is not None, timeout=5000)
    assert window.current_post().key == "2022-06-03-p3.md"
    qtbot.waitUntil(lambda: window.counts.text() == "7 posts · 5 unread", timeout=5000)
    assert not window.git_status.isVisible()


def test_a_refused_update_is_explained_and_changes_nothing(upstream, followed, qtbot):
    window, root = followed
    upstream.publish({"_posts/2022-06-08-n1.md": "N1"})
    mine = root / "_posts/2022-06-01-p1.md"
    mine.write_text("my own text", encoding="utf-8")
    head = git("rev-parse", "HEAD", cwd=root)
    window.act_update_archive.trigger()
    qtbot.waitUntil(lambda: window.updates.last_problem is not None, timeout=UPDATE_WITHIN_MS)
    assert window.updates.last_problem.kind is reader_git.Trouble.DIRTY
    qtbot.waitUntil(lambda: any("changed here" in text for text in notices(window)), timeout=5000)
    assert git("rev-parse", "HEAD", cwd=root) == head
    assert mine.read_text(encoding="utf-8") == "my own text"
    assert not (root / "_posts/2022-06-08-n1.md").exists()


def test_an_unreachable_remote_is_said(followed, qtbot):
    window, root = followed
    git("remote", "set-url", "origin", "http://127.0.0.1:9/archive.git", cwd=root)
    window.act_update_archive.trigger()
    qtbot.waitUntil(lambda: window.updates.last_problem is not None, timeout=UPDATE_WITHIN_MS)
    assert window.updates.last_problem.kind is reader_git.Trouble.UNREACHABLE
    qtbot.waitUntil(lambda: any("cannot be reached" in text for text in notices(window)), timeout=5000)


def test_get_archive_clones_in_the_background_then_opens_it(driver, upstream, tmp_path, qtbot):
    window = driver.window
    folder = tmp_path / "got"
    with qtbot.waitSignal(window.archive_loaded, timeout=UPDATE_WITHIN_MS):
        window.updates.clone(CloneRequest(upstream.url, folder, 1))
    assert window.archive.root == folder
    assert titles(window) == set(POSTS.values())
    qtbot.waitUntil(window.act_update_archive.isEnabled, timeout=5000)


def test_get_archive_into_a_folder_in_use_is_refused(driver, upstream, tmp_path, qtbot):
    window = driver.window
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "mine.txt").write_text("mine", encoding="utf-8")
    window.updates.clone(CloneRequest(upstream.url, folder, 1))
    qtbot.waitUntil(lambda: window.updates.last_problem is not None, timeout=UPDATE_WITHIN_MS)
    assert window.updates.last_problem.kind is reader_git.Trouble.FOLDER_IN_USE
    assert [path.name for path in folder.iterdir()] == ["mine.txt"]
    assert window.archive is None


def test_the_get_archive_dialog_asks_for_a_shallow_copy_by_default(tmp_path, qtbot):
    dialog = CloneDialog(None, tmp_path)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled(), "no address, nothing to get"
    dialog.url.setText(" https://example.org/archive.git ")
    dialog.folder.setText(str(tmp_path / "news"))
    assert ok.isEnabled()
    assert dialog.request() == CloneRequest("https://example.org/archive.git", tmp_path / "news", 1)
    dialog.whole_history.setChecked(True)
    assert dialog.request().depth is None


def test_updating_on_time_is_off_by_default_and_quiet_when_it_fails(driver, followed, qtbot):
    window, root = followed
    updates = window.updates
    assert window.settings.get(AUTO_UPDATE_MINUTES) == 0
    assert not updates.timer.isActive()
    updates.set_interval(15)
    assert updates.timer.isActive() and updates.timer.interval() == 15 * 60_000
    git("remote", "set-url", "origin", "http://127.0.0.1:9/archive.git", cwd=root)
    updates.timer.timeout.emit()
    qtbot.waitUntil(lambda: updates.last_problem is not None, timeout=UPDATE_WITHIN_MS)
    QApplication.processEvents()
    assert notices(window) == [], "no dialog for an update the reader did not ask for"
    assert "cannot be reached" in window.statusBar().currentMessage()
    updates.set_interval(0)
    assert not updates.timer.isActive()


def test_stopping_a_download_leaves_no_half_archive(driver, tmp_path, qtbot):
    remote = Upstream(tmp_path)
    for number in range(40):
        (remote.work / f"blob{number}.bin").write_bytes(os.urandom(50_000))
    remote.publish(POSTS)
    window = driver.window
    folder = tmp_path / "got"
    with git_daemon(tmp_path) as base, slow_proxy(int(base.rsplit(":", 1)[1]), 200_000) as port:
        window.updates.clone(CloneRequest(f"git://127.0.0.1:{port}/remote.git", folder, 1))
        assert window.act_git_cancel.isEnabled()
        qtbot.waitUntil(lambda: "objects" in window.git_status.text(), timeout=UPDATE_WITHIN_MS)
        window.act_git_cancel.trigger()
        qtbot.waitUntil(lambda: window.updates.last_problem is not None, timeout=UPDATE_WITHIN_MS)
    assert window.updates.last_problem.kind is reader_git.Trouble.CANCELLED
    assert not folder.exists()
    assert not reader_git.partial_folder(folder).exists()
    qtbot.waitUntil(lambda: not window.act_git_cancel.isEnabled(), timeout=5000)
    assert window.archive is None


def test_update_automatically_asks_for_minutes_and_remembers_them(followed, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window, _root = followed
    asked = []

    def answer(parent, title, label, value, *bounds):
        asked.append((parent, value))
        return 30, True

    monkeypatch.setattr(QInputDialog, "getInt", answer)
    window.act_auto_update.trigger()
    assert asked == [(window, 0)]
    assert window.settings.get(AUTO_UPDATE_MINUTES) == 30
    assert window.updates.timer.isActive() and window.updates.timer.interval() == 30 * 60_000


def test_get_archive_from_the_menu_clones_what_the_dialog_says(
    driver, upstream, tmp_path, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QDialog

    window = driver.window
    folder = tmp_path / "from-menu"

    def accept(dialog):
        assert dialog.parent() is window
        dialog.url.setText(upstream.url)
        dialog.folder.setText(str(folder))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CloneDialog, "exec", accept)
    with qtbot.waitSignal(window.archive_loaded, timeout=UPDATE_WITHIN_MS):
        window.act_get_archive.trigger()
    assert window.archive.root == folder
