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
import math
import os
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote_to_bytes

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QLocale,
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
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.core.archive import Archive
from reader.core.front_matter import UndecodableError
from reader.core.image_cache import absolute_url, image_kind
from reader.core.post import Post
from reader.core.post_view import render_post
from reader.core.render import render_body, render_header
from reader.core.resources import MAX_RESOURCE_BYTES, read_inside, resolve_local_resource
from reader.core.site_vars import PageVariables, SiteVariables, page_variables, site_variables
from reader.ui.post_renderer import Part, PostRenderer, RenderJob
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
#: A post file up to this size is rendered and shown at once, on the UI thread: the news
#: archive's posts run to about 10 KB (its sample post, 9.6 KB, shows and paints in 16 ms
#: at once, against 19 ms and a "Preparing" flash in parts); 16 KB of dense text took
#: 40-60 ms on a busy machine, too near a stall.
#: A bigger one is rendered by a worker thread (:mod:`reader.ui.post_renderer`) and shown
#: a part per turn.
SYNC_BYTES = 12 * 1024
#: A post file up to this size is shown whole, a part per turn; a bigger one shows its
#: first FIRST_PARTS parts and a "Show the rest" link: a reader of a news archive reads
#: the start of an odd 50 MB post, and all of it takes ~20 times its size in memory and
#: a minute.
REST_LINK_BYTES = 1024 * 1024
#: Parts of a big post shown before the link: ~64,000 characters, 80 screens of Chinese.
FIRST_PARTS = 16
#: The pause between two parts of a post: input and painting go first.
PART_PAUSE_MS = 2


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
    "sample.md", "sample.md", "人民币汇率：市场观察（第1号）", datetime(2022, 6, 1, 8, 0), 28800, 0.0,
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
        self._site_variables: tuple[Archive, SiteVariables] | None = None
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
        # A post bigger than SYNC_BYTES: rendered by the worker, shown a part per turn.
        self._renderer = PostRenderer(self)
        self._renderer.part_ready.connect(self._schedule_part)
        self._parts = QTimer(self)
        self._parts.setSingleShot(True)
        self._parts.setInterval(PART_PAUSE_MS)
        self._parts.timeout.connect(self._show_part)
        self._header = ""  # the post's header, as shown
        self._shown: list[str] = []  # the parts of the body shown, in order
        self._waiting = False  # the first part is not shown yet
        self._appending = False  # parts are still to come
        self._rest_link = False  # the post ends with "Show the rest"
        self._rest_asked = False  # the reader asked for the rest of the post shown
        self._rerendering = False
        self._rest_bytes = 0  # about how many bytes of the file are not shown
        self._keep_position: int | None = None  # a scroll position to restore
        self._selections: list[QTextEdit.ExtraSelection] = []
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
        if self._keep_position is not None:  # shown again before the place was back
            position = self._keep_position
        self._rerendering = True  # a big post: what is shown stays until its new first part
        try:
            self._render(self._archive, self._post)
        finally:
            self._rerendering = False
        if self._waiting or self.verticalScrollBar().maximum() < position:
            self._keep_position = position  # once the post is long enough again
        else:
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
        self._stop_parts()
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(
            f'<div style="margin-top: 40px" align="center"><h2>{_esc(title)}</h2><p>{_esc(text)}</p></div>'
        )

    def show_post(self, archive: Archive, post: Post, date_text: str) -> None:
        self._post_remote = False
        self._date_text = date_text
        self._keep_position = None
        self._rest_asked = False
        self._render(archive, post)
        self.verticalScrollBar().setValue(0)

    @property
    def preparing(self) -> bool:
        """Is the post shown still coming (its first part, or the parts after it)?"""
        return self._waiting or self._appending

    def _stop_parts(self) -> None:
        self._renderer.cancel()
        self._parts.stop()
        self._waiting = self._appending = self._rest_link = False
        self._shown = []

    def _render(self, archive: Archive, post: Post) -> None:
        self._archive, self._post, self._images = archive, post, {}
        self.remote_urls, self.remote_blocked = (), 0
        self._stop_parts()
        path = os.path.join(archive.root, post.path)
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0  # read below, which says why it cannot be
        if size > SYNC_BYTES:
            self._render_later(archive, post, size)
            return
        date_text = self._date_text
        try:
            body = archive.read_body(post)
        except (OSError, UndecodableError) as error:  # changed since the load: said, not raised
            self._cannot_read(str(error))
            return
        try:
            rendered = render_post(
                archive,
                post,
                body,
                site=self._liquid_variables(archive, post)[0],
                remote_images=self._show_remote,
            )
        except Exception as error:  # as the worker does: a body that cannot be rendered is said
            cannot = self.tr("This part of the post cannot be shown:")
            self._cannot_read(f"{type(error).__name__}: {error}", cannot)
            return
        self.original_url = rendered.original_url
        self.remote_urls, self.remote_blocked = rendered.remote_urls, rendered.remote_images
        header = render_header(post, date_text, self._labels(), rendered.problems)
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

    def _liquid_variables(self, archive: Archive, post: Post) -> tuple[SiteVariables, PageVariables]:
        """``site`` (one per archive) and ``page`` for the post's Liquid."""
        site = self._site_variables
        if site is None or site[0] is not archive:
            site = self._site_variables = (archive, site_variables(archive))
        return site[1], page_variables(archive, post)

    def _cannot_read(self, error: str, cannot: str | None = None) -> None:
        assert self._post is not None
        self.original_url = None
        header = render_header(self._post, self._date_text, self._labels())
        cannot = cannot or self.tr("This file cannot be read now:")
        self._printable = f"{header}<p><i>{_esc(cannot)} {_esc(error)}</i></p>"
        self.setHtml(self._printable)

    # --- a big post, a part at a time ---------------------------------------------------

    def _render_later(self, archive: Archive, post: Post, size: int) -> None:
        """Show the header now and the body as the worker renders it: a post up to
        REST_LINK_BYTES all of it, a bigger one its first parts, then "Show the rest"
        (all of it when the reader asked for the rest before). Shown again (images came),
        the post stays as it is until its first part is ready."""
        self.original_url = None
        self._header = render_header(post, self._date_text, self._labels())
        self._printable = self._header
        self._waiting = True
        if not self._rerendering:
            preparing = self.tr("Preparing this post…")
            self.document().setDefaultStyleSheet(self._css)
            self.setHtml(f'{self._header}\n<p class="meta"><i>{_esc(preparing)}</i></p>')
        remote = self._remote
        allowed = remote is not None and (self.remote_enabled or self._post_remote)

        def show_remote(url: str) -> bool:  # on the worker thread: reads a set only
            return allowed and remote is not None and not remote.has_failed(url)

        extension = os.path.splitext(post.path)[1]
        site, page = self._liquid_variables(archive, post)
        job = RenderJob(str(archive.root), post.path, extension, site, page, show_remote)
        job.wanted = math.inf if size <= REST_LINK_BYTES or self._rest_asked else FIRST_PARTS
        self._renderer.start(job)

    def _schedule_part(self) -> None:
        """A part is ready: shown in a turn of its own, after a pause."""
        if not self._parts.isActive():
            self._parts.start()

    def _show_part(self) -> None:
        part = self._renderer.take()
        if part is None or self._post is None:
            return
        if part.remote_urls:  # known before Qt asks for the images
            self.remote_urls = tuple(dict.fromkeys(self.remote_urls + part.remote_urls))
            self.remote_blocked += part.remote_images
        if self.original_url is None and part.original_url is not None:
            self.original_url = part.original_url
        if part.error is not None and part.unreadable and part.index == 0:
            self._waiting = False
            self._cannot_read(part.error)
        elif part.index == 0:
            self._show_first(part)
        else:
            self._append(part)
        if self._remote is not None:
            for url in part.remote_urls:
                if self._show_remote(url):
                    self._remote.request(url, first=True)
        self._keep_scroll_position()
        if self._renderer.waiting():
            self._parts.start()

    def _error_html(self, part: Part) -> str:
        if part.error is None:
            return ""
        cannot = self.tr("This part of the post cannot be shown:")
        return f"<p><i>{_esc(cannot)} {_esc(part.error)}</i></p>"

    def _show_first(self, part: Part) -> None:
        self._waiting = False
        if part.problems and self._post is not None:
            self._header = render_header(self._post, self._date_text, self._labels(), part.problems)
        self._appending = not part.last
        html = part.html + self._error_html(part)
        self._shown = [html]
        self._printable = self._header + "\n" + html
        header = self._header
        if part.remote_images:
            label = self.tr("Show %n remote image(s) of this post", "", part.remote_images)
            header += f'\n<p class="meta"><a href="reader:show-images">{_esc(label)}</a></p>'
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(header + "\n" + html)
        if self._highlight_terms:
            self.highlight(self._highlight_terms)
        self._offer_rest(part)

    def _offer_rest(self, part: Part) -> None:
        """After the last part asked for, when more would come: "Show the rest"."""
        job = self._renderer.job
        if part.last or job is None or part.index + 1 < job.wanted:
            return
        self._appending = False
        self._rest_link = True
        self._rest_bytes = part.remaining
        label = self.tr("Show the rest of this post (%1)").replace("%1", self._rest_size())
        self._insert_html(f'<p class="meta"><a href="reader:show-rest">{_esc(label)}</a></p>')

    def _rest_size(self) -> str:
        return QLocale().formattedDataSize(self._rest_bytes, 1, QLocale.DataSizeFormat.DataSizeSIFormat)

    def show_rest(self) -> None:
        """The rest of a big post, after its first parts: added a part per turn."""
        if not self._rest_link:
            return
        self._rest_link = False
        self._rest_asked = True
        self._appending = True
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.deletePreviousChar()  # the link's paragraph, gone
        self._renderer.want(math.inf)

    def _append(self, part: Part) -> None:
        self._appending = not part.last
        html = part.html + self._error_html(part)
        self._shown.append(html)
        start = self._insert_html(html)
        if self._highlight_terms:
            self._highlight_from(start)
        self._offer_rest(part)

    def _insert_html(self, html: str) -> int:
        """Add ``html`` at the end of the post, as it would show had the post been set at
        once: each block keeps its own format (an HTML fragment inserted at the end merges
        its first block into the last one). Returns where it starts."""
        fragment = ContainedDocument(self.loadResource)  # parsing it reads nothing either
        fragment.setDefaultStyleSheet(self._css)
        fragment.setDefaultFont(self.document().defaultFont())
        fragment.setHtml(html)
        source = QTextCursor(fragment)
        if fragment.begin().length() > 1:
            source.insertBlock()  # an empty first block merges; the content keeps its formats
        source.movePosition(QTextCursor.MoveOperation.Start)
        source.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        end = QTextCursor(self.document())
        end.movePosition(QTextCursor.MoveOperation.End)
        start = end.position()
        end.insertFragment(QTextDocumentFragment(source))
        return start

    def _keep_scroll_position(self) -> None:
        bar = self.verticalScrollBar()
        position = self._keep_position
        if position is not None and not self._waiting and (bar.maximum() >= position or not self._appending):
            bar.setValue(position)
            self._keep_position = None

    # --- paper ---------------------------------------------------------------------

    def print_document(self) -> QTextDocument:
        """The post shown, as a document for the printer: the paper style sheet, the
        images the pane has, no "show images" link. Of a big post, the parts shown."""
        document = ContainedDocument(self.loadResource, self)
        document.setDefaultStyleSheet(reading_css("print"))
        document.setDefaultFont(self.font())
        for url, image in self._images.items():
            if image is not None:
                document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url), image)
        printable = self._printable
        if self._shown:
            printable = self._header + "\n" + "".join(self._shown)
            if self._rest_link:
                note = self.tr("The rest of this post (%1) is not shown.").replace("%1", self._rest_size())
                printable += f"<p><i>{_esc(note)}</i></p>"
        document.setHtml(printable)
        return document

    # --- search highlights -----------------------------------------------------------

    def highlight(self, terms: list[str]) -> int:
        """Mark every occurrence of ``terms`` (case-insensitive); returns how many."""
        self._highlight_terms = [t for t in terms if t.strip()]
        self._selections = []
        return self._highlight_from(0)

    def _highlight_from(self, start: int) -> int:
        """Mark the occurrences from ``start`` on (parts of a post added there)."""
        colour = QColor("#ffd54f")
        for term in self._highlight_terms:
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            while True:
                cursor = self.document().find(term, cursor)
                if cursor.isNull():
                    break
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format.setBackground(colour)
                selection.format.setForeground(QColor("#000000"))
                self._selections.append(selection)
        self.setExtraSelections(self._selections)
        return len(self._selections)

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
