"""File → Open Folder…: the folder dialog, where it starts, and what it gives.

It starts beside the archive shown (in its parent folder, where the reader's other
archives most likely are), or in the home folder when none is shown or the one shown is
the bundled sample (its folder is inside Reader's own files).

Qt's own dialog (the one used without a desktop) selects, in its list, the folder each
prefix of a typed path names (``/tmp``, then ``/tmp/blog``...), and lets go of the one
before only while its field has the keyboard focus. Without a window manager the dialog
is never the active window, so its field never has the focus even while it takes the
keys: the selections pile up, the dialog writes them back into the field (``"tmp"
"blog"``), and Enter opens the first of them, or the folder shown. So the dialog keeps
no selection from what is typed (the field's own text is what is typed), and the folder
opened is the one typed when it names a folder, whatever the dialog did with the field
meanwhile (went into the folder and emptied it); otherwise, the one the dialog chose."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QLineEdit, QListView, QWidget

from reader.core.paths import app_root


def start_folder(archive_root: Path | None) -> Path:
    """The shown archive's parent folder; else the home folder."""
    if archive_root is None:
        return Path.home()
    root = archive_root.resolve()
    if root.is_relative_to(app_root().resolve()) and root != app_root().resolve():
        return Path.home()  # the bundled sample: its parent is Reader's own folder
    return root.parent if root.parent.is_dir() else Path.home()


#: Keys that delete text (the others that edit it type a character).
DELETING_KEYS = frozenset({Qt.Key.Key_Backspace, Qt.Key.Key_Delete})


class FolderDialog(QFileDialog):
    """A dialog for one existing folder that remembers what was typed in its field."""

    def __init__(self, parent: QWidget | None, title: str, start: Path) -> None:
        super().__init__(parent, title, str(start))
        self.setFileMode(QFileDialog.FileMode.Directory)
        self.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self._typed: str | None = None  # the folder the field named when last typed in
        self._field = self.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog only
        self._list = self.findChild(QListView, "listView")
        self._typing: list[QObject] = []  # the field, and its completion list
        if self._field is not None:
            self._field.textEdited.connect(self._on_typed)
            completer = self._field.completer()
            self._typing.append(self._field)
            popup = completer.popup() if completer is not None else None
            if popup is not None:
                self._typing.append(popup)
            for widget in self._typing:  # the completion list takes the keys while shown
                widget.installEventFilter(self)
        # A folder picked in the lists, or gone into, counts instead of the one typed.
        # (Not the field's completion list: a window of its own, and its keys are typing.)
        for view in self.findChildren(QAbstractItemView):
            if view.window() is not self:
                continue
            view.viewport().installEventFilter(self)
            view.installEventFilter(self)
        self.directoryEntered.connect(self._on_entered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        typing = watched in self._typing and _typed_key(event)
        if typing and self._field is not None and self._list is not None:
            # Handled by the field, with no selection left in the list from it (see the
            # module's docstring).
            selection = self._list.selectionModel()
            blocked = selection.blockSignals(True)  # the dialog rewrites the field on each
            try:
                self._field.event(event)
            finally:
                selection.clearSelection()
                selection.blockSignals(blocked)
                self._list.viewport().update()
            return True
        if (
            event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress)
            and watched not in self._typing
        ):
            self._typed = None  # a folder picked in a list
        return super().eventFilter(watched, event)

    def _on_entered(self, folder: str) -> None:
        if self._typed is not None and os.path.normpath(folder) != self._typed:
            self._typed = None

    def _on_typed(self, text: str) -> None:
        text = text.strip()
        if not text or '"' in text:  # several names, quoted: not one folder
            self._typed = None
            return
        path = os.path.expanduser(text)
        if not os.path.isabs(path):
            path = os.path.join(self.directory().absolutePath(), path)
        self._typed = os.path.normpath(path)

    def chosen(self) -> str | None:
        """The folder to open, once the dialog was accepted."""
        if self._typed is not None and os.path.isdir(self._typed):
            return self._typed
        files = self.selectedFiles()
        return files[0] if files else None


def _typed_key(event: QEvent) -> bool:
    """A key press that edits the text (not one that moves, accepts or closes)."""
    if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
        return False
    return event.key() in DELETING_KEYS or (event.text().isprintable() and event.text() != "")


def choose_folder(parent: QWidget, title: str, archive_root: Path | None) -> str | None:
    """Ask for a folder (modal); None when the dialog is cancelled."""
    dialog = FolderDialog(parent, title, start_folder(archive_root))
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()
    finally:
        dialog.deleteLater()
