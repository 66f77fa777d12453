"""The post's own file, read when it is shown: changed on disk since the load, it is still
read only from inside the archive, never as a named pipe, and a body that cannot be read
or rendered is said in the pane, never raised out of it.

The load checked each file; what the pane reads is what is on disk when the post is
shown, which may be anything by then. Small posts are read on the UI thread, bigger ones
by the render worker: both are tried.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from reader.core.archive import load_archive
from reader.ui.viewer import SYNC_BYTES, Viewer
from tests.conftest import post_text

SECRET = "SECRET-OUTSIDE-TEXT"
POST = "_posts/2022-06-01-a.md"


@pytest.fixture(params=["small", "big"])
def pane(request, qtbot, write_archive, tmp_path):
    body = "Body text." if request.param == "small" else "大文件填充文字。" * (SYNC_BYTES // 8)
    root = write_archive({POST: post_text(date="2022-06-01").replace("Body text.", body)})
    archive = load_archive(root, use_cache=False, workers=1)
    viewer = Viewer()
    qtbot.addWidget(viewer)
    viewer.resize(600, 400)
    outside = tmp_path / "outside.md"
    outside.write_text(post_text(date="2022-06-01").replace("Body text.", SECRET * (SYNC_BYTES // 8)))
    return viewer, archive, outside


def show(qtbot, viewer, archive) -> str:
    viewer.show_post(archive, archive.posts[0], "")
    qtbot.waitUntil(lambda: not viewer.preparing, timeout=20000)
    return viewer.toPlainText()


def test_the_shown_post_reads_its_own_file(pane, qtbot):
    viewer, archive, _ = pane
    assert "Body text." in show(qtbot, viewer, archive) or "大文件填充文字" in viewer.toPlainText()


def test_a_post_swapped_for_a_link_out_is_not_read(pane, qtbot):
    viewer, archive, outside = pane
    path = archive.root / POST
    path.unlink()
    path.symlink_to(outside)
    text = show(qtbot, viewer, archive)
    assert SECRET not in text
    assert "outside the archive" in text


def test_a_post_swapped_for_a_named_pipe_is_never_opened(pane, qtbot):
    viewer, archive, _ = pane
    path = archive.root / POST
    path.unlink()
    os.mkfifo(path)
    opened = threading.Event()

    def writer() -> None:  # opening the pipe for writing waits until someone reads it
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody has it open for reading
            return
        opened.set()
        os.close(descriptor)

    started = time.monotonic()
    text = show(qtbot, viewer, archive)
    assert time.monotonic() - started < 10
    assert "not a regular file" in text
    writer()
    assert not opened.is_set()


def test_a_body_no_longer_text_is_said_not_raised(pane, qtbot):
    viewer, archive, _ = pane
    path = archive.root / POST
    path.write_bytes(path.read_bytes()[:200] + b"\xff\xfe\x80" * 40000)
    text = show(qtbot, viewer, archive)
    assert "A post" in text  # the header still shows
    assert "cannot" in text


def test_a_body_the_renderer_cannot_take_is_said_not_raised(qtbot, write_archive):
    # Python-Markdown recurses once per nesting level: 3,000 nested list items exceed it.
    root = write_archive({POST: post_text(date="2022-06-01").replace("Body text.", "- " * 3000 + "x")})
    archive = load_archive(root, use_cache=False, workers=1)
    viewer = Viewer()
    qtbot.addWidget(viewer)
    text = show(qtbot, viewer, archive)
    assert "cannot be shown" in text
