"""A folder dropped on the window opens: which drags it accepts, and the folder's path
from a drop (taken from the URL's bytes: ``QUrl.toLocalFile`` drops a byte that is not
UTF-8, and such names are found in real archives)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from reader.core import names


def accept_folder(event: QDragEnterEvent) -> None:
    """Accept a drag that brings a local folder."""
    urls = event.mimeData().urls()
    if urls and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir():
        event.acceptProposedAction()


def dropped_folder(event: QDropEvent) -> str | None:
    """The local path the drop brings (the first), accepting the drop; None for none."""
    urls = event.mimeData().urls()
    if not urls or not urls[0].isLocalFile():
        return None
    event.acceptProposedAction()
    return names.unquote(urls[0].path(QUrl.ComponentFormattingOption.FullyEncoded))
