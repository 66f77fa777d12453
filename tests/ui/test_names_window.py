"""The window on an archive whose folder, files and categories have names that are not
UTF-8: what Qt shows (read back from Qt), marks that survive a restart, Mark All Read,
the star, the post's link, images and links, search, the session, a drop and a new file."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextDocument
from PySide6.QtWidgets import QApplication

from reader.core import names
from reader.core.state import StateStore
from reader.ui.app import initial_archive
from reader.ui.nav_model import ALL
from reader.ui.settings import Settings
from tests.conftest import post_text
from tests.core.test_names import BAD_CATEGORY, BAD_POST, POST_COUNT, bad_key, write_names_archive
from tests.ui.test_window import png_bytes

Key = Qt.Key
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CATEGORY = os.fsdecode(BAD_CATEGORY)
MENU_KEY = os.fsdecode(BAD_CATEGORY + b"/2020-02-01-menu.md")


@pytest.fixture
def root(tmp_path) -> Path:
    root = write_names_archive(tmp_path)
    body = '<p>A picture: <img src="/img/pic%FD.png" alt="pic"></p>\n\n[the bad one](2020-01-03-bad%FF.md)\n'
    good = post_text(title="Post 1").replace("Body text.", body)
    (root / "_posts/2020-01-01-good1.md").write_text(good, encoding="utf-8")
    (root / "img").mkdir()
    (root / os.fsdecode(b"img/pic\xfd.png")).write_bytes(png_bytes())
    return root


def row_of(window, key: str) -> int:
    return window.post_model.row_of_post(window.archive.by_key[key])


def shown_by_qt(window, key: str, column: int) -> str:
    """The list's text for a post, as Qt has it (through QModelIndex, so a string Qt
    could not take would come back changed)."""
    return window.post_model.index(row_of(window, key), column).data()


def test_the_window_shows_and_marks_posts_whose_names_are_not_utf8(driver, root):
    window = driver.open(root)
    assert window.windowTitle() == "arch\\xffive — Reader"
    assert window.state.warning is None
    category = window.nav_model.index_of_path(f"category/{CATEGORY}")
    assert category.data() == "caf\\xe9"
    assert shown_by_qt(window, bad_key(), 0) == "Bad\\xff"
    assert shown_by_qt(window, MENU_KEY, 2) == "caf\\xe9"

    assert window.select_post_key(bad_key())
    text = window.viewer.toPlainText()
    assert text.startswith("Bad\\xff") and "needle in a bad name" in text
    assert window.state.is_read(bad_key())
    driver.key(Key.Key_S)
    assert window.state.is_starred(bad_key())
    driver.key(Key.Key_L, CTRL_SHIFT)
    link = QApplication.clipboard().text()
    assert link.startswith("file:///") and link.endswith("/arch%FFive/_posts/2020-01-03-bad%FF.md")
    assert urllib.parse.unquote_to_bytes(link[len("file://") :]) == os.fsencode(root) + b"/" + BAD_POST

    window.select_node_path(f"{ALL}/")
    window.act_mark_all.trigger()
    assert window.counts.text() == f"{POST_COUNT} posts · 0 unread"
    window.close()
    again = StateStore(root, driver.folder / "state.sqlite3")  # a restart
    assert again.read == {post.key for post in window.archive.posts}
    assert len(again.read) == POST_COUNT
    assert again.starred == {bad_key()}


def test_the_category_header_images_and_links_reach_names_that_are_not_utf8(driver, root):
    window = driver.open(root)
    window.select_post_key(MENU_KEY)
    assert "caf\\xe9" in window.viewer.toPlainText()
    window.follow_link(f"reader:category/{names.quote(CATEGORY)}")  # the header's category link
    assert window.current_node().path == f"category/{CATEGORY}"

    window.select_node_path(f"{ALL}/")
    window.select_post_key("2020-01-01-good1.md")
    image = QTextDocument.ResourceType.ImageResource.value
    assert window.viewer.loadResource(image, QUrl("/img/pic%FD.png")) is not None
    assert not window.viewer.resources_refused
    window.follow_link("2020-01-03-bad%FF.md")
    assert window.current_post().key == bad_key()


def test_search_in_the_window_finds_a_post_whose_name_is_not_utf8(driver, root, qtbot):
    window = driver.open(root)
    if not window.search.indexed:
        with qtbot.waitSignal(window.search_ready, timeout=20000):
            pass
    window.search_box.setText("needle")
    qtbot.waitUntil(lambda: "match" in window.search_count.text(), timeout=10000)
    assert window.search_count.text().startswith("1 match")
    assert window.post_model.index(0, 0).data() == "Bad\\xff"


def test_the_session_of_an_archive_whose_folder_is_not_utf8_comes_back(driver, root):
    window = driver.open(root)
    assert window.select_node_path(f"category/{CATEGORY}")
    window.select_post_key(MENU_KEY)
    window.close()
    ini = (driver.folder / "reader.ini").read_bytes()
    assert b"@ByteArray(" in ini
    settings = Settings(driver.folder / "reader.ini")
    assert settings.recent() == [names.archive_id(root)]
    assert initial_archive(None, settings) == Path(names.archive_id(root))
    assert Settings._archive_group(root) == "archive-" + names.archive_digest(root)[:16]
    again = driver.open(initial_archive(None, settings), driver.new_window())
    assert again.current_node().path == f"category/{CATEGORY}"
    assert again.current_post().key == MENU_KEY
    again.recent_menu.fill()
    assert [action.text() for action in again.recent_menu.actions()] == [names.shown(names.archive_id(root))]


def test_a_dropped_folder_whose_name_is_not_utf8_opens(driver, write_archive, root, qtbot):
    window = driver.open(write_archive({"_posts/2022-01-01-a.md": post_text(title="Other")}))
    mime = QMimeData()
    mime.setUrls([QUrl.fromEncoded(root.as_uri().encode())])
    no_button, no_key = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, no_button, no_key)
    with qtbot.waitSignal(window.archive_loaded, timeout=20000):
        window.dropEvent(event)
    assert window.archive.root == root
    assert len(window.archive.posts) == POST_COUNT


def test_a_new_file_whose_name_is_not_utf8_appears(driver, root, qtbot):
    window = driver.open(root)
    qtbot.waitUntil(lambda: window.following, timeout=5000)
    new = os.fsencode(root) + b"/_posts/2020-01-10-new\xfc.md"
    with open(new, "wb") as handle:
        handle.write(post_text(title="New one").encode())
    qtbot.waitUntil(lambda: "2020-01-10-new\udcfc.md" in window.archive.by_key, timeout=5000)
    # The counts come in the load's second turn, a moment after its posts.
    qtbot.waitUntil(
        lambda: window.counts.text() == f"{POST_COUNT + 1} posts · {POST_COUNT + 1} unread", timeout=5000
    )
