"""The pane's reads of archive files: checked when opened, not only when named.

A folder of the archive swapped for a link out between the check of an image's path
and its reading must not make the pane read outside; a link that stays inside still
shows; a named pipe is never opened (checked as it is opened, not only before).
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from reader.core.archive import load_archive
from reader.ui import viewer as viewer_module
from reader.ui.viewer import Viewer
from tests.conftest import post_text
from tests.ui.containment_corpus import BLUE, MAGENTA, png


def pixel(image, x: int = 10, y: int = 10) -> tuple[int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


@pytest.fixture
def pane(qtbot, write_archive, tmp_path):
    body = '<img src="/img/inside.png"> <img src="/img/alias.png"> <img src="/img/pipe.png">'
    root = write_archive(
        {
            "_posts/2022-06-01-a.html": post_text(date="2022-06-01").replace("Body text.", body),
            "img/inside.png": png(16, 16, BLUE),
        }
    )
    (root / "img" / "alias.png").symlink_to("inside.png")
    outside = tmp_path / "outside" / "img"
    outside.mkdir(parents=True)
    (outside / "inside.png").write_bytes(png(16, 16, MAGENTA))
    archive = load_archive(root, use_cache=False, workers=1)
    viewer = Viewer()
    qtbot.addWidget(viewer)
    viewer.resize(600, 400)
    return viewer, archive, outside


def shown(viewer, url: str):
    """What the pane gives Qt for the image ``url`` (None: nothing)."""
    return viewer.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))


def test_a_folder_swapped_for_a_link_out_after_the_check_is_not_read(pane, monkeypatch):
    viewer, archive, outside = pane
    images = archive.root / "img"
    checked = viewer_module.resolve_local_resource

    def check_then_swap(*arguments: object) -> object:
        found = checked(*arguments)  # the path is fine now...
        shutil.rmtree(images)  # ...and then the folder becomes a link out of the archive
        images.symlink_to(outside, target_is_directory=True)
        return found

    monkeypatch.setattr(viewer_module, "resolve_local_resource", check_then_swap)
    viewer._archive, viewer._post = archive, archive.posts[0]
    image = shown(viewer, "/img/inside.png")
    assert image is None or pixel(image) != MAGENTA, "the file outside was read"
    assert "/img/inside.png" in viewer.resources_refused


def test_a_link_that_stays_inside_the_archive_shows(pane):
    viewer, archive, _outside = pane
    viewer.show_post(archive, archive.posts[0], "")
    for url in ("/img/inside.png", "/img/alias.png"):
        image = shown(viewer, url)
        assert image is not None and pixel(image) == BLUE, url


def test_a_pipe_that_appears_after_the_check_is_never_opened(pane, monkeypatch):
    viewer, archive, _outside = pane
    target = archive.root / "img" / "inside.png"
    checked = viewer_module.resolve_local_resource
    done = threading.Event()
    reader_came: list[bool] = []

    def check_then_swap(*arguments: object) -> object:
        found = checked(*arguments)
        target.unlink()
        os.mkfifo(target)
        return found

    def writer() -> None:
        """Feeds magenta to whoever opens the pipe for reading (so a reader never hangs)."""
        while not done.is_set():
            try:
                if not stat.S_ISFIFO(os.lstat(target).st_mode):
                    raise FileNotFoundError(target)  # not yet a pipe
                descriptor = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no pipe yet, or no reader (ENXIO)
                time.sleep(0.02)
                continue
            reader_came.append(True)
            with open(descriptor, "wb") as pipe:
                pipe.write(png(16, 16, MAGENTA))
            return

    feeding = threading.Thread(target=writer, daemon=True)
    feeding.start()
    monkeypatch.setattr(viewer_module, "resolve_local_resource", check_then_swap)
    viewer._archive, viewer._post = archive, archive.posts[0]
    try:
        image = shown(viewer, "/img/inside.png")
        time.sleep(0.3)  # time for the writer to see a reader, had there been one
    finally:
        done.set()
        feeding.join(5)
    assert reader_came == [], "the pane opened the named pipe"
    assert image is None or pixel(image) != MAGENTA
    assert "/img/inside.png" in viewer.resources_refused
