"""The window's small dialogs: keyboard shortcuts, about, and a notice that does not
block. Their texts are translated in the window's context ("MainWindow")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader import __version__


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """Each action with keys: its name (no mnemonic) and its keys, as the system writes them."""
    return [
        (
            action.text().replace("&", ""),
            ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()),
        )
        for action in actions
        if not action.shortcut().isEmpty()
    ]


def shortcuts_dialog(parent: QWidget, rows: list[tuple[str, str]]) -> QDialog:
    """Help → Keyboard Shortcuts: a table of ``rows``, shown without blocking."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("MainWindow", "Keyboard Shortcuts"))
    table = QTableWidget(0, 2, dialog)
    table.setHorizontalHeaderLabels(
        [QCoreApplication.translate("MainWindow", "Action"), QCoreApplication.translate("MainWindow", "Keys")]
    )
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for name, keys in rows:
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(name))
        table.setItem(row, 1, QTableWidgetItem(keys))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(460, 520)
    dialog.show()
    return dialog


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        QCoreApplication.translate("MainWindow", "About Reader"),
        QCoreApplication.translate("MainWindow", "Reader %s\nRead archives of Jekyll-style posts offline.")
        % __version__,
    )


def inform(parent: QWidget, title: str, text: str) -> None:
    """A notice that leaves the window usable while it is shown."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setModal(False)
    box.show()
