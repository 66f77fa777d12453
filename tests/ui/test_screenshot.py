"""``reader --screenshot FILE [PATH]`` writes a 1280×800 PNG of the window with a post shown."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from reader.core.paths import bundled_seeds
from tests.conftest import take_screenshot


def distinct_colours(image: QImage, step: int = 16) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


@pytest.mark.slow
def test_screenshot_command_writes_a_1280_by_800_png(tmp_path, qapp):
    target = tmp_path / "shot.png"
    take_screenshot(target)
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
    assert distinct_colours(image) > 4, "not blank"


def test_screenshot_shows_the_newest_post(tmp_path, qapp, monkeypatch):
    from reader.ui import app

    shown: list[str] = []
    original = app.MainWindow.close

    def close(window):
        shown.append(window.viewer.toPlainText())
        return original(window)

    monkeypatch.setattr(app.MainWindow, "close", close)
    assert app.screenshot(str(tmp_path / "s.png"), str(bundled_seeds())) == 0
    from reader.core.archive import load_archive

    newest = load_archive(bundled_seeds()).posts[0]
    assert shown[0].startswith(newest.title)


def test_a_screenshot_marks_nothing_read(tmp_path, qapp, write_archive):
    """The window a screenshot makes shows the newest post without marking it, even the
    first time (when a window shows its newest unread post, marked read)."""
    from reader.core.state import StateStore, default_state_path
    from reader.ui import app
    from tests.conftest import post_text

    root = write_archive({"_posts/2022-06-01-a.md": post_text("A"), "_posts/2022-06-02-b.md": post_text("B")})
    assert app.screenshot(str(tmp_path / "s.png"), str(root)) == 0
    marks = StateStore(root, default_state_path())
    try:
        assert marks.read == set()
    finally:
        marks.close()
