"""File → Get Archive…: the git address of an archive, the new folder to put it in, and
whether to take its whole history (a shallow copy of the last commit by default)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)


@dataclass(frozen=True)
class CloneRequest:
    url: str
    folder: Path
    depth: int | None  # None: the whole history


class CloneDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, start: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Get Archive"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://example.org/news-archive.git")
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(str((start or Path.home()) / "news-archive"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.whole_history = QCheckBox(
            self.tr("Whole history (much larger; the last state is enough to read)")
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Git address:"), self.url)
        form.addRow(self.tr("New folder:"), folder_row)
        form.addRow(self.whole_history)
        form.addRow(self.buttons)
        self.url.textChanged.connect(self._check)
        self.folder.textChanged.connect(self._check)
        self._check()
        self.resize(560, self.sizeHint().height())

    def request(self) -> CloneRequest:
        folder = self.folder.text().strip() or self.folder.placeholderText()
        return CloneRequest(
            self.url.text().strip(), Path(folder).expanduser(), None if self.whole_history.isChecked() else 1
        )

    def _check(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(bool(self.url.text().strip()))

    def _choose_folder(self) -> None:
        start = self.folder.text().strip() or self.folder.placeholderText()
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("New Folder for the Archive"), start, options=QFileDialog.Option.ShowDirsOnly
        )
        if chosen:
            self.folder.setText(chosen)
