"""A post's HTML prepared off the UI thread, as parts the viewer shows one per turn.

Rendering (:func:`reader.core.render.render_body`: Liquid, Markdown, sanitizing) takes
about 1 ms per KB of body: a 5 MB post held the window 2.7 s, a 50 MB one 50 s. Here a
worker thread renders the post the viewer asks for and cuts the HTML into parts of about
:data:`PART_CHARS` characters (:func:`reader.core.pieces.split`), each of which Qt adds to
the document in 5-15 ms. A post up to :data:`WHOLE_BYTES` is rendered in one piece, exactly as a
small post is; a bigger one is read and rendered :data:`SOURCE_CHARS` characters at a
time (:class:`reader.core.pieces.BodyPieces`), so neither the whole text nor its HTML is
ever held, and nothing is rendered beyond what the viewer asked for and two parts ahead.

A new request cancels the one before: its parts are never handed out.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from reader.core import front_matter
from reader.core.pieces import BodyPieces, split
from reader.core.render import Rendered, render_body

#: Characters of HTML in one part: Qt takes about 1.3 ms per 1,000 characters to add them
#: to the document and lay them out, and ~6 ms to paint after.
PART_CHARS = 4_000
#: A post file up to this size is rendered as a whole, as a small post is (a long blog
#: post is 20-60 KB); a bigger one a piece at a time, each piece's Markdown alone (a
#: reference link or footnote defined in another piece shows as text). The renderer is a
#: black box that holds Python's lock in single calls for up to 0.4 ms per 1,000
#: characters (a 350,000-character body held it 140 ms, a stall of the window).
WHOLE_BYTES = 64 * 1024
#: Characters of a big post's body rendered at a time (~30 ms of the worker's time, the
#: lock held at most ~12 ms at once).
SOURCE_CHARS = 16_000
#: Parts rendered ahead of the viewer, at most.
AHEAD = 2


@dataclass(frozen=True, slots=True)
class Part:
    """Some HTML of the post, in its order. A part that starts a rendered piece carries
    that piece's remote images and original address."""

    html: str
    index: int  # 0 for the first part of the post
    last: bool  # nothing comes after it
    remaining: int = 0  # about how many bytes of the file come after it
    original_url: str | None = None
    remote_images: int = 0
    remote_urls: tuple[str, ...] = ()
    error: str | None = None  # the file cannot be read, or a piece cannot be rendered
    unreadable: bool = False  # the error is the file's (OSError, undecodable)
    problems: tuple[str, ...] = ()  # what its piece's Liquid could not run


@dataclass(slots=True)
class RenderJob:
    """One post to render: its file and what :func:`render_body` needs."""

    root: str  # the archive folder: the file is read from inside it only
    path: str  # the post's file, relative to root
    extension: str
    site: Mapping[str, Any]
    page: Mapping[str, Any]
    remote_images: Callable[[str], bool]
    wanted: float = 1  # parts the viewer wants so far
    made: int = 0
    parts: deque[Part] = field(default_factory=deque)
    cancelled: bool = False
    started: bool = False


class _Shared:
    """What the worker thread and the renderer share, under one lock."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.job: RenderJob | None = None
        self.stopped = False
        self.thread: threading.Thread | None = None


class PostRenderer(QObject):
    """Renders one post at a time on a worker thread. :attr:`part_ready` says a part is
    waiting; :meth:`take` hands it out."""

    part_ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shared = _Shared()
        shared = self._shared
        self.destroyed.connect(lambda *_: _stop(shared))

    @property
    def job(self) -> RenderJob | None:
        return self._shared.job

    def start(self, job: RenderJob) -> None:
        """Render ``job``'s post, instead of any other."""
        shared = self._shared
        with shared.condition:
            if shared.job is not None:
                shared.job.cancelled = True
            shared.job = job
            if shared.thread is None or not shared.thread.is_alive():
                shared.thread = threading.Thread(
                    target=_work, args=(shared, self._emit), name="post-renderer", daemon=True
                )
                shared.thread.start()
            shared.condition.notify_all()

    def cancel(self) -> None:
        """Stop rendering; nothing more is handed out."""
        shared = self._shared
        with shared.condition:
            if shared.job is not None:
                shared.job.cancelled = True
            shared.job = None
            shared.condition.notify_all()

    def want(self, parts: float) -> None:
        """Render up to ``parts`` parts of the post (``math.inf``: all of it)."""
        shared = self._shared
        with shared.condition:
            if shared.job is not None:
                shared.job.wanted = max(shared.job.wanted, parts)
                shared.condition.notify_all()

    def take(self) -> Part | None:
        """The next part of the post, if one is ready."""
        shared = self._shared
        with shared.condition:
            job = shared.job
            if job is None or not job.parts:
                return None
            part = job.parts.popleft()
            shared.condition.notify_all()
            return part

    def waiting(self) -> bool:
        """Is a part ready to be taken?"""
        job = self._shared.job
        return job is not None and bool(job.parts)

    def _emit(self) -> None:
        self.part_ready.emit()


def _stop(shared: _Shared) -> None:
    """End the worker thread: the renderer is gone."""
    with shared.condition:
        shared.stopped = True
        if shared.job is not None:
            shared.job.cancelled = True
        shared.condition.notify_all()


def _work(shared: _Shared, emit: Callable[[], None]) -> None:
    """The worker thread: one job after the other, until stopped."""
    while True:
        with shared.condition:
            while not shared.stopped and (shared.job is None or shared.job.started):
                shared.condition.wait()
            if shared.stopped:
                shared.thread = None
                return
            job = shared.job
            assert job is not None
            job.started = True
        _render(shared, job, emit)


def _deliver(shared: _Shared, job: RenderJob, part: Part, emit: Callable[[], None]) -> bool:
    """Hand ``part`` over, once the viewer wants it; False when the job is over."""
    with shared.condition:
        while not (job.cancelled or shared.stopped) and (job.made >= job.wanted or len(job.parts) >= AHEAD):
            shared.condition.wait()
        if job.cancelled or shared.stopped:
            return False
        job.parts.append(part)
        job.made += 1
    try:
        emit()
    except RuntimeError:  # the renderer is gone
        _stop(shared)
        return False
    return not part.last


def _render(shared: _Shared, job: RenderJob, emit: Callable[[], None]) -> None:
    """Render ``job``'s post piece by piece, handing over its parts."""
    try:
        pieces = BodyPieces(job.path, root=job.root)  # the whole body as one piece, unless big (below)
    except (OSError, front_matter.UndecodableError) as error:
        _deliver(shared, job, Part("", 0, True, error=str(error), unreadable=True), emit)
        return
    with pieces:
        if pieces.size > WHOLE_BYTES:
            pieces.piece_chars = SOURCE_CHARS
        index = 0
        while not (job.cancelled or shared.stopped):
            try:
                source = pieces.next_piece()
            except OSError as error:
                _deliver(shared, job, Part("", index, True, error=str(error), unreadable=True), emit)
                return
            if source is None:
                if index == 0:  # an empty body
                    _deliver(shared, job, Part("", 0, True), emit)
                return
            try:
                rendered = render_body(
                    source,
                    extension=job.extension,
                    site=job.site,
                    page=job.page,
                    remote_images=job.remote_images,
                    root=job.root,
                    post_path=job.path,
                )
            except Exception as error:  # a piece that cannot be rendered is said, never fatal
                _deliver(shared, job, Part("", index, True, error=f"{type(error).__name__}: {error}"), emit)
                return
            del source
            for part in _parts(rendered, pieces, index):
                if not _deliver(shared, job, part, emit):
                    return
                index += 1


def _parts(rendered: Rendered, pieces: BodyPieces, index: int) -> Iterator[Part]:
    """A rendered piece as parts; the first carries its images and address."""
    html = list(split(rendered.html, PART_CHARS)) or [""]
    for at, text in enumerate(html):
        last = pieces.done and at == len(html) - 1
        # The file's bytes after this part: what is still to read, and this piece's share.
        remaining = pieces.remaining + pieces.last_bytes * (len(html) - at - 1) // len(html)
        if at:
            yield Part(text, index + at, last, 0 if last else remaining)
        else:
            yield Part(
                text,
                index,
                last,
                0 if last else remaining,
                rendered.original_url,
                rendered.remote_images,
                rendered.remote_urls,
                problems=rendered.problems,
            )
