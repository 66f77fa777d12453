"""The reading pane: a QTextBrowser that answers every resource and link itself.

Left to itself, Qt reads any local file a page names: QTextDocument falls back to opening
the file when ``loadResource`` answers nothing, Qt's image drawing loads the image's name
as a file when the answer is not an image (``file:///…``, ``../../etc/passwd`` against the
working folder, ``/dev/zero``, a named pipe), CSS ``@import`` and ``<link>`` read style
sheets, and an SVG image reads what it names. Here every document the pane makes answers
every resource itself and never with nothing: a style sheet or page is empty, an image is
one read from inside the archive root (:mod:`reader.core.resources`: a regular file of at
most 32 MiB, never through a link out, never SVG), a ``data:`` image,
or else a small "missing image" mark. Each is read once per post shown, scaled down to the
pane's width. Remote images reach this point only when the reader asked for them (for the
archive, or for this post): they come from the on-disk image cache, fetched by
:class:`~reader.ui.remote_images.RemoteImages`; the others were replaced by their alt
text, as are the ones that failed.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageIOHandler,
    QImageReader,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.core.archive import Archive
from reader.core.image_cache import absolute_url, image_kind
from reader.core.post import Post
from reader.core.render import render_body, render_header
from reader.core.resources import MAX_RESOURCE_BYTES, read_inside, resolve_local_resource
from reader.ui.remote_images import RemoteImages
from reader.ui.theme import reading_css

#: The longest line, in CJK characters (Chinese typography: 35-45).
READING_MEASURE = 40
_BODY_RULE = re.compile(r"(?:^|})\s*body\s*{([^}]*)}", re.M)
_DECLARATION = re.compile(r"([\w-]+)\s*:\s*([^;]+?)\s*;")
#: SVG is not among them: Qt's SVG reader fetches the files a drawing names (``<image
#: href="/etc/…">``) on its own, from memory too, so no answer of the viewer's could
#: contain it. An SVG image shows as its alt text.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".ico"})


#: The most memory one image may take decoded (128 MiB: about 32 megapixels).
MAX_IMAGE_MEGABYTES = 128
#: What shows for an image that cannot be shown (refused, missing, broken, not yet fetched):
#: the mark Qt itself draws, from Qt's own resources. Never "nothing": Qt would then load
#: the image's name as a file.
MISSING_IMAGE = ":/qt-project.org/styles/commonstyle/images/file-16.png"
_IMAGE_KIND = QTextDocument.ResourceType.ImageResource.value
# On a high-density screen Qt looks for NAME@2x.EXT beside every image a page names, with
# the name taken as a file path (relative ones against the working folder): a look outside
# the archive, and an image the archive does not have asked for. Read once, at Qt's first
# such look; Reader ships no @2x images.
os.environ.setdefault("QT_HIGHDPI_DISABLE_2X_IMAGE_LOADING", "1")


#: What Viewer.warm_up shows: a post with the parts real ones have, in Chinese and Latin.
_SAMPLE_POST = Post(
    "sample.md", "sample.md", "人民币汇率：市场观察（第1号）", 2022, 6, 1, 8, 0, 0, 0, 28800, 0.0,
    ("财经",), ("财经新闻",), True, False, (),
)  # fmt: skip
_SAMPLE_DATE = "2022-06-01 08:00"
_SAMPLE_BODY = (
    "<p>中国人民银行今日公布，人民币对美元汇率中间价报6.6766，较上一交易日上调。市场人士认为，"
    "经济数据好于预期，资金面保持合理充裕，政策继续发力稳增长。</p>"
    "<p>Markets opened higher on Monday; the index rose 1.2% to 3,250 points.</p>"
    '<p><a href="https://example.com/">原文链接</a> <b>重点</b> <i>分析</i></p>'
)


class ContainedDocument(QTextDocument):
    """A document that reads nothing itself: every resource it needs comes from ``source``
    (the pane's :meth:`Viewer.loadResource`), never from Qt's own loading, which reads the
    file a name gives when the answer is empty."""

    def __init__(self, source: Callable[[int, QUrl | str], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        return self._source(kind, url)


class Viewer(QTextBrowser):
    """Shows one post. Link clicks come out as :attr:`link_activated` (the URL text)."""

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setTabChangesFocus(True)  # Tab moves on to the search box; links take Enter
        self.setOpenExternalLinks(False)
        self.setAccessibleName(self.tr("Post"))
        self.setSearchPaths([])  # names are never looked up in folders (see loadResource)
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
        self._printable = ""  # the post's HTML without on-screen controls
        self._remote: RemoteImages | None = None
        self.remote_enabled = False  # the archive's "Load remote images"
        self._post_remote = False  # "Show images" for the post shown
        self.remote_urls: tuple[str, ...] = ()  # the post's remote images
        self.remote_blocked = 0  # how many of them show as alt text
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(150)  # images arriving together: one re-layout
        self._refresh.timeout.connect(self._rerender)
        self.set_reading_style(reading_css("light"))

    def warm_up(self) -> None:
        """Show a sample post in a hidden twin of this viewer and paint it to an image
        (~25 ms). Qt sets up the reading style's fonts and text layout the first time a
        post is painted: after this, the first post the window shows takes ~19 ms to show
        and paint instead of ~30. For a window about to start its first load."""
        twin = Viewer()
        try:
            twin.setFont(self.font())
            twin.set_reading_style(self._css)
            twin.resize(self.size())
            twin.setHtml(
                render_header(_SAMPLE_POST, _SAMPLE_DATE) + render_body(_SAMPLE_BODY, extension=".html").html
            )
            image = QImage(twin.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
            twin.viewport().render(image)
        finally:
            twin.deleteLater()

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

    # --- remote images -----------------------------------------------------------------

    def set_remote_images(self, remote: RemoteImages) -> None:
        self._remote = remote
        remote.ready.connect(self._on_remote_done)
        remote.failed.connect(self._on_remote_done)

    def set_remote_enabled(self, enabled: bool) -> None:
        """The archive's "Load remote images" toggle; shows the post again."""
        if enabled != self.remote_enabled:
            self.remote_enabled = enabled
            self._rerender()

    def show_post_images(self) -> None:
        """Show the remote images of the post shown (for this post only)."""
        if not self._post_remote:
            self._post_remote = True
            self._rerender()

    def _show_remote(self, url: str) -> bool:
        if self._remote is None or not (self.remote_enabled or self._post_remote):
            return False
        return not self._remote.has_failed(url)

    def _on_remote_done(self, url: str) -> None:
        if url in self.remote_urls and (self.remote_enabled or self._post_remote):
            self._refresh.start()

    def _rerender(self) -> None:
        if self._archive is None or self._post is None:
            return
        position = self.verticalScrollBar().value()
        self._render(self._archive, self._post)
        self.verticalScrollBar().setValue(position)
        if self._highlight_terms:
            self.highlight(self._highlight_terms)

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
        self._post_remote = False
        self._date_text = date_text
        self._render(archive, post)
        self.verticalScrollBar().setValue(0)

    def _render(self, archive: Archive, post: Post) -> None:
        self._archive, self._post, self._images = archive, post, {}
        self.remote_urls, self.remote_blocked = (), 0
        date_text = self._date_text
        try:
            body = archive.read_body(post)
        except OSError as error:
            self.original_url = None
            header = render_header(post, date_text, self._labels())
            cannot = self.tr("This file cannot be read now:")
            self._printable = f"{header}<p><i>{_esc(cannot)} {_esc(str(error))}</i></p>"
            self.setHtml(self._printable)
            return
        extension = os.path.splitext(post.path)[1]
        page = {"title": post.title, "categories": list(post.categories), "tags": list(post.tags)}
        rendered = render_body(
            body, extension=extension, site=archive.config.values, page=page, remote_images=self._show_remote
        )
        self.original_url = rendered.original_url
        self.remote_urls, self.remote_blocked = rendered.remote_urls, rendered.remote_images
        header = render_header(post, date_text, self._labels())
        self._printable = header + "\n" + rendered.html
        if rendered.remote_images:
            label = self.tr("Show %n remote image(s) of this post", "", rendered.remote_images)
            header += f'\n<p class="meta"><a href="reader:show-images">{_esc(label)}</a></p>'
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(header + "\n" + rendered.html)
        if self._remote is not None:
            for url in rendered.remote_urls:
                if self._show_remote(url):
                    self._remote.request(url, first=True)

    # --- paper ---------------------------------------------------------------------

    def print_document(self) -> QTextDocument:
        """The post shown, as a document for the printer: the paper style sheet, the
        images the pane has, no "show images" link."""
        document = ContainedDocument(self.loadResource, self)
        document.setDefaultStyleSheet(reading_css("print"))
        document.setDefaultFont(self.font())
        for url, image in self._images.items():
            if image is not None:
                document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url), image)
        document.setHtml(self._printable)
        return document

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
        """Every resource any document of the pane asks for: an image (see :meth:`image`),
        or an empty style sheet or page. Never None: Qt would read the file itself."""
        if kind not in (_IMAGE_KIND, QTextDocument.ResourceType.ImageResource):
            return QByteArray()
        text = url.toString() if isinstance(url, QUrl) else str(url)
        image = self.image(text)
        return image if image is not None else QImage(MISSING_IMAGE)

    def image(self, url: str) -> QImage | None:
        """The image ``url`` names in the post shown, read once per post; None when it
        cannot be shown."""
        if url in self._images:
            return self._images[url]
        try:
            image = self._load_image(url)
        except Exception:  # whatever happens, Qt must get an answer: a bad image is missing
            image = None
        self._images[url] = image
        return image

    def _load_image(self, url: str) -> QImage | None:
        if url[:5].lower() == "data:":
            return self._decode(_data_url_bytes(url))
        if self._archive is None or self._post is None:
            return None
        if absolute_url(url) is not None:
            # Only addresses the renderer let through: cached images, else nothing yet.
            if self._remote is None or url not in self.remote_urls or not self._show_remote(url):
                self.resources_refused.append(url)
                return None
            image = self._remote.image(url)
            if image is None:
                return None
            return self._fit(image)
        relative = resolve_local_resource(self._archive.root, self._post.path, url)
        if relative is None or os.path.splitext(relative)[1].lower() not in IMAGE_SUFFIXES:
            self.resources_refused.append(url)
            return None
        try:
            data = read_inside(self._archive.root, relative)
        except OSError:
            self.resources_refused.append(url)
            return None
        return self._decode(data)

    def _decode(self, data: bytes | None) -> QImage | None:
        """``data`` as an image no wider than the reading column, when it is one of the
        formats posts show (PNG, JPEG, GIF, WebP, BMP, ICO: never SVG, see
        :data:`IMAGE_SUFFIXES`) and takes at most :data:`MAX_IMAGE_MEGABYTES` decoded."""
        kind = image_kind(data) if data else None
        if data is None or kind is None:
            return None
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer, kind.encode())
        reader.setAutoDetectImageFormat(False)  # the format found above, not one a plug-in claims
        reader.setAllocationLimit(MAX_IMAGE_MEGABYTES)
        size, width = reader.size(), self._column_width()
        if (
            size.isValid()
            and size.width() > width
            and reader.supportsOption(QImageIOHandler.ImageOption.ScaledSize)
        ):
            reader.setScaledSize(size.scaled(QSize(width, 1 << 20), Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        return None if image.isNull() else self._fit(image)

    def _column_width(self) -> int:
        return max(100, min(self.viewport().width(), self.line_width_limit()) - 40)

    def _fit(self, image: QImage) -> QImage:
        """Scaled down to the reading column's width."""
        width = self._column_width()
        if image.width() > width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        return image


def _data_url_bytes(url: str) -> bytes | None:
    """The bytes a ``data:`` URL holds (None when it is malformed or over the size limit)."""
    header, comma, payload = url.partition(",")
    if not comma or len(payload) > MAX_RESOURCE_BYTES * 4 // 3 + 4:
        return None
    raw = unquote_to_bytes(payload)
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError):
            return None
    return raw


def _esc(text: str) -> str:
    from html import escape

    return escape(text, quote=False)
