"""File → Open Folder… with Qt's own dialog (the one used without a desktop): the folder
typed is the folder opened, and the dialog starts beside the archive shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QListView

from reader.core.paths import bundled_seeds
from reader.ui.folder_dialog import FolderDialog, start_folder
from tests.conftest import post_text


def archive_at(folder: Path, title: str) -> Path:
    (folder / "_posts").mkdir(parents=True)
    (folder / "_posts" / "2022-01-01-p.md").write_text(post_text(title=title), encoding="utf-8")
    return folder


def when_the_dialog_shows(qtbot, act) -> list[Path]:
    """Call ``act(dialog)`` once the modal folder dialog is up; the folders it started in."""
    seen: list[Path] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FolderDialog) and dialog.isVisible():
            seen.append(Path(dialog.directory().absolutePath()))
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


#: Qt's dialog on the offscreen platform: it cannot raise itself or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.mark.parametrize("emptied", [False, True], ids=["as typed", "field emptied before accepting"])
def test_a_folder_typed_without_a_trailing_slash_and_enter_is_the_folder_opened(
    driver, tmp_path, qtbot, emptied
):
    window = driver.open(archive_at(tmp_path / "shown", "Shown"))
    blog = archive_at(tmp_path / "elsewhere" / "blog", "Blog")

    def type_and_enter(dialog: FolderDialog) -> None:
        field = dialog.findChild(QLineEdit, "fileNameEdit")
        assert field is not None, "Qt's own dialog, with its folder field"
        assert not dialog.testOption(QFileDialog.Option.DontUseNativeDialog) or field.isVisible()
        field.setFocus()
        qtbot.keyClicks(field, str(blog))  # no trailing slash
        if emptied:  # as a dialog that went into the folder first, or lost the text, would
            field.setText("")
        qtbot.keyClick(field, Qt.Key.Key_Return)
        if dialog.isVisible():  # Enter went into the folder: accept as the Choose button does
            dialog.accept()

    seen = when_the_dialog_shows(qtbot, type_and_enter)
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.choose_folder()
    assert seen == [tmp_path], "it started beside the archive shown"
    assert window.archive.root == blog
    assert window.archive.posts[0].title == "Blog"


def test_a_folder_clicked_after_typing_is_the_one_opened(driver, tmp_path, qtbot):
    window = driver.open(archive_at(tmp_path / "shown", "Shown"))
    other = archive_at(tmp_path / "other", "Other")

    def type_then_click(dialog: FolderDialog) -> None:
        qtbot.keyClicks(dialog.findChild(QLineEdit, "fileNameEdit"), str(tmp_path / "shown"))
        view = dialog.findChild(QListView, "listView")
        rows = view.model()
        qtbot.waitUntil(
            lambda: any(
                rows.index(r, 0, view.rootIndex()).data() == "other"
                for r in range(rows.rowCount(view.rootIndex()))
            ),
            timeout=5000,
        )
        row = next(
            r
            for r in range(rows.rowCount(view.rootIndex()))
            if rows.index(r, 0, view.rootIndex()).data() == "other"
        )
        rect = view.visualRect(rows.index(row, 0, view.rootIndex()))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        dialog.accept()  # the Choose button

    when_the_dialog_shows(qtbot, type_then_click)
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.choose_folder()
    assert window.archive.root == other


def test_the_dialog_starts_beside_the_archive_else_at_home(tmp_path):
    assert start_folder(tmp_path / "blog") == tmp_path
    assert start_folder(None) == Path.home()
    assert start_folder(bundled_seeds()) == Path.home(), "not inside Reader's own files"
