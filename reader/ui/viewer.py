"""The reading pane: a QTextBrowser that answers every resource and link itself.

QTextBrowser's own ``loadResource`` reads any local file a page names (``file:///…``,
``../../etc/passwd``) and is called again on every repaint: here, only images inside the
archive root are read, once per post shown, scaled down to the pane's width. Remote
images never reach this point: the renderer replaced them with their alt text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QResizeEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.core.archive import Archive
from reader.core.post import Post
from reader.core.render import render_body, render_header
from reader.ui.theme import reading_css

#: The longest line, in CJK characters (Chinese typography: 35-45).
READING_MEASURE = 40
_BODY_RULE = re.compile(r"(?:^|})\s*body\s*{([^}]*)}", re.M)
_DECLARATION = re.compile(r"([\w-]+)\s*:\s*([^;]+?)\s*;")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".svg", ".ico"})


def resolve_local_resource(root: Path, post_path: str, url: str) -> Path | None:
    """The file inside ``root`` that ``url`` (in the post at ``post_path``) names, or None.

    Relative paths resolve against the post's folder, site-absolute ones (``/img/x.png``)
    against the archive root; ``file:`` URLs, remote URLs and anything that resolves
    outside the root (``..``, a symbolic link out) give None.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    root_real = os.path.realpath(root)
    if path.startswith("/"):
        candidate = os.path.join(root_real, path.lstrip("/"))
    else:
        candidate = os.path.join(root_real, os.path.dirname(post_path), path)
    real = os.path.realpath(candidate)
    if real != root_real and not real.startswith(root_real.rstrip(os.sep) + os.sep):
        return None
    return Path(real) if os.path.isfile(real) else None


class Viewer(QTextBrowser):
    """Shows one post. Link clicks come out as :attr:`link_activated` (the URL text)."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setTabChangesFocus(True)  # Tab moves on to the search box; links take Enter
        self.setOpenExternalLinks(False)
        self.setAccessibleName(self.tr("Post"))
        self.document().setDocumentMargin(18)
        self.anchorClicked.connect(lambda url: self.link_activated.emit(url.toString()))
        self._archive: Archive | None = None
        self._post: Post | None = None
        self._images: dict[str, QImage | None] = {}
        self.resources_refused: list[str] = []
        self.original_url: str | None = None
        self._highlight_terms: list[str] = []
        self._date_text = ""
        self._css = ""
        self.set_reading_style(reading_css("light"))

    def line_width_limit(self) -> int:
        """A comfortable measure: about 40 CJK characters (70-odd Latin ones) a line."""
        return self.fontMetrics().horizontalAdvance("中") * READING_MEASURE

    def _centre_text(self) -> None:
        spare = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        margin = max(0, (spare - self.line_width_limit()) // 2)
        self.setViewportMargins(margin, 0, margin, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._centre_text()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._centre_text()
        super().changeEvent(event)

    def set_reading_style(self, css: str) -> None:
        """Use ``css`` for posts; the pane itself takes the colours of its ``body`` rule."""
        self._css = css
        self.document().setDefaultStyleSheet(css)
        body = _BODY_RULE.search(css)
        rules = dict(_DECLARATION.findall(body.group(1))) if body else {}
        background, colour = rules.get("background-color"), rules.get("color")
        if background and colour:
            self.setStyleSheet(f"QTextBrowser {{ background-color: {background}; color: {colour}; }}")
        if self._archive is not None and self._post is not None:
            self.show_post(self._archive, self._post, self._date_text)

    def _labels(self) -> dict[str, str]:
        return {
            "untitled": self.tr("(untitled)"),
            "draft": self.tr("draft"),
            "unpublished": self.tr("unpublished"),
            "problems": self.tr("Problems with this file"),
        }

    @property
    def post(self) -> Post | None:
        return self._post

    def show_message(self, title: str, text: str) -> None:
        """An empty state: a heading and a line of help, instead of a post."""
        self._archive, self._post, self._images, self.original_url = None, None, {}, None
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(
            f'<div style="margin-top: 40px" align="center"><h2>{_esc(title)}</h2><p>{_esc(text)}</p></div>'
        )

    def show_post(self, archive: Archive, post: Post, date_text: str) -> None:
        self._archive, self._post, self._images = archive, post, {}
        self._date_text = date_text
        try:
            body = archive.read_body(post)
        except OSError as error:
            self.original_url = None
            header = render_header(post, date_text, self._labels())
            cannot = self.tr("This file cannot be read now:")
            self.setHtml(f"{header}<p><i>{_esc(cannot)} {_esc(str(error))}</i></p>")
            return
        extension = os.path.splitext(post.path)[1]
        page = {"title": post.title, "categories": list(post.categories), "tags": list(post.tags)}
        rendered = render_body(body, extension=extension, site=archive.config.values, page=page)
        self.original_url = rendered.original_url
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(render_header(post, date_text, self._labels()) + "\n" + rendered.html)
        self.verticalScrollBar().setValue(0)

    # --- search highlights -----------------------------------------------------------

    def highlight(self, terms: list[str]) -> int:
        """Mark every occurrence of ``terms`` (case-insensitive); returns how many."""
        self._highlight_terms = [t for t in terms if t.strip()]
        selections = []
        colour = QColor("#ffd54f")
        for term in self._highlight_terms:
            cursor = QTextCursor(self.document())
            while True:
                cursor = self.document().find(term, cursor)
                if cursor.isNull():
                    break
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format.setBackground(colour)
                selection.format.setForeground(QColor("#000000"))
                selections.append(selection)
        self.setExtraSelections(selections)
        return len(selections)

    def find_highlight(self, backward: bool = False) -> bool:
        """Move to the next (or previous) highlighted match, wrapping around."""
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        for term in self._highlight_terms:
            if self.find(term, flags):
                return True
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.setTextCursor(cursor)
        return any(self.find(term, flags) for term in self._highlight_terms)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        text = url.toString() if isinstance(url, QUrl) else str(url)
        if kind not in (
            QTextDocument.ResourceType.ImageResource.value,
            QTextDocument.ResourceType.ImageResource,
        ):
            return None
        if text in self._images:
            return self._images[text]
        image = self._load_image(text)
        self._images[text] = image
        return image

    def _load_image(self, url: str) -> QImage | None:
        if self._archive is None or self._post is None:
            return None
        path = resolve_local_resource(self._archive.root, self._post.path, url)
        if path is None or path.suffix.lower() not in IMAGE_SUFFIXES:
            self.resources_refused.append(url)
            return None
        image = QImage(str(path))
        if image.isNull():
            return None
        width = max(100, self.viewport().width() - 40)
        if image.width() > width:
            image = image.scaledToWidth(width)
        return image


def _esc(text: str) -> str:
    from html import escape

    return escape(text, quote=False)
