"""Printing the post shown, and saving it as a PDF: on paper, in the light style
whatever the theme (see :meth:`Viewer.print_document`)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from reader.core import names
from reader.ui.viewer import Viewer


class PostPrinting(QObject):
    """File → Print… and File → Export as PDF…, for the post shown in ``viewer``."""

    said = Signal(str, int)  # a status message and how long it shows (ms)

    def __init__(self, viewer: Viewer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._viewer = viewer

    def print_post(self) -> None:
        """The post on paper, in the light style whatever the theme."""
        print_post(self._viewer, self._viewer.window())

    def export_pdf_dialog(self) -> None:
        path = ask_pdf_path(
            self._viewer, self._viewer.window(), self.tr("Export as PDF"), self.tr("PDF files (*.pdf)")
        )
        if path is not None:
            self.export_pdf(path)

    def export_pdf(self, path: Path) -> bool:
        """Write the post shown as a PDF, styled for paper; said in the status bar."""
        if self._viewer.post is None:
            return False
        ok = export_pdf(self._viewer, path)
        message = self.tr("Saved %s") if ok else self.tr("Could not write %s")
        self.said.emit(message % path, 8000)
        return ok


def print_post(viewer: Viewer, parent: QWidget) -> None:
    """The print dialog, then the post on the printer chosen."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # loads only when printing

    if viewer.post is None:
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(viewer.post.title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() == QPrintDialog.DialogCode.Accepted:
        viewer.print_document().print_(printer)


def ask_pdf_path(viewer: Viewer, parent: QWidget, title: str, filter_text: str) -> Path | None:
    """Where to save the post shown as a PDF: a file dialog in the documents folder."""
    if viewer.post is None:
        return None
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name = file_name(viewer.post.title or names.shown(Path(viewer.post.path).stem)) + ".pdf"
    path, _filter = QFileDialog.getSaveFileName(parent, title, os.path.join(folder, name), filter_text)
    return Path(path) if path else None


def export_pdf(viewer: Viewer, path: Path) -> bool:
    """Write the post shown as a PDF, styled for paper; whether the file was written."""
    from PySide6.QtPrintSupport import QPrinter

    if viewer.post is None:
        return False
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(viewer.post.title)
    printer.setCreator("Reader")
    viewer.print_document().print_(printer)
    return path.is_file() and path.stat().st_size > 0


def file_name(title: str) -> str:
    """A title made safe as a file name."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in title).strip(" .")
    return cleaned[:120] or "post"
