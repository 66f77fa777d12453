"""The window opens the hostile archive (see :mod:`tests.core.hostile`): it lists every
good post, tells how many problems there are, and shows good and bad posts."""

from __future__ import annotations

import pytest

from tests.core.hostile import build, folder_for_deep_trees

pytestmark = pytest.mark.slow


@pytest.fixture
def hostile():
    with folder_for_deep_trees("reader-hostile-window-") as base:
        yield build(base / "archive", base / "outside")


def select(window, path: str) -> None:
    model = window.post_model
    for row in range(model.rowCount()):
        if model.post_at(row).path == path:
            window.list.setCurrentIndex(model.index(row, 0))
            break
    else:
        raise AssertionError(f"{path!r} is not in the list")


def test_the_window_shows_the_good_posts_of_the_hostile_archive(driver, hostile, qtbot):
    window = driver.open(hostile.root)
    model = window.post_model
    listed = {model.post_at(row).path: model.post_at(row).title for row in range(model.rowCount())}
    for good in hostile.good + hostile.fine:
        assert listed.get(good.path) == good.title, good.path
    for bad in hostile.bad:
        assert (bad.path in listed) == bad.post, bad.path
    archive = window.archive
    problems = len(archive.problems) + archive.post_problems
    assert problems >= len(hostile.bad)
    assert f"{problems} problems" in window.statusBar().currentMessage()

    # Good and bad posts show; none stops the window (pytest-qt fails on an error in a slot).
    for path, title in [
        (hostile.good[0].path, hostile.good[0].title),
        ("_posts/2021-03-01-bomb-tags.md", "Bomb in tags"),
        ("_posts/2021-03-01-bomb-title.md", "Bomb Title"),
        ("_posts/2021-08-02-nul-body.md", "NUL in body"),
        ("_posts/2021-09-01-new\nline.md", "Line break in the name"),
    ]:
        select(window, path)
        qtbot.waitUntil(lambda path=path: window.current_post() and window.current_post().path == path)
        assert title in window.viewer.toPlainText()
