"""The window: loading, selection and marks, every shortcut, links, resources, session."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDropEvent, QTextDocument

from reader.ui import folder_dialog
from reader.ui import main_window as main_window_module
from reader.ui.nav_model import ALL
from reader.ui.settings import RECENT
from tests.conftest import post_text

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


def news(write_archive, count: int = 5):
    start = date(2022, 6, 1)
    files = {
        f"_posts/{start + timedelta(days=n - 1)}-p{n}.md": post_text(
            title=f"Post {n}", categories="markets" if n % 2 else "tech", tags="财经"
        )
        for n in range(1, count + 1)
    }
    return write_archive(files)


def titles_in_list(window) -> list[str]:
    model = window.post_model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def current_title(window) -> str | None:
    post = window.current_post()
    return post.title if post else None


@pytest.fixture
def opened(driver, write_archive):
    return driver.open(news(write_archive))


@pytest.fixture
def browser_calls(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: calls.append(url.toString()) or True)
    return calls


# --- loading and the panes -------------------------------------------------------------


def test_the_first_time_an_archive_is_shown_its_newest_unread_post_is_open(driver, write_archive, qtbot):
    """As in the README's picture; later, the session is restored instead."""
    from reader.core.state import StateStore

    root = news(write_archive)
    marks = StateStore(root, driver.folder / "state.sqlite3")
    marks.set_read(["2022-06-05-p5.md"])
    marks.close()
    window = driver.open(root, first_time=True)
    assert current_title(window) == "Post 4", "the newest unread post"
    assert window.viewer.toPlainText().startswith("Post 4")
    qtbot.waitUntil(lambda: window.counts.text() == "5 posts · 3 unread", timeout=5000)  # shown: read
    window.select_post_key("2022-06-02-p2.md")
    window.close()
    again = driver.new_window()
    driver.open(root, again, first_time=True)
    assert current_title(again) == "Post 2", "the session, not the newest unread post"


def test_window_shows_tree_list_and_viewer(opened):
    assert titles_in_list(opened) == ["Post 5", "Post 4", "Post 3", "Post 2", "Post 1"]
    assert opened.current_node().path == f"{ALL}/"
    assert opened.menuBar().actions()[0].text() == "&File"
    assert [a.text().replace("&", "") for a in opened.menuBar().actions()] == [
        "File",
        "View",
        "Go",
        "Post",
        "Help",
    ]


def test_selecting_a_post_shows_it_and_marks_it_read(opened, driver):
    driver.key(Key.Key_J)
    assert current_title(opened) == "Post 5"
    assert "Body text." in opened.viewer.toPlainText()
    assert "Post 5" in opened.viewer.toPlainText()
    assert opened.state.is_read("2022-06-05-p5.md")
    assert opened.counts.text() == "5 posts · 4 unread"


def test_selecting_a_node_filters_the_list_and_keeps_the_post(opened, driver):
    driver.key(Key.Key_J)  # Post 5, in markets
    assert opened.select_node_path("category/markets")
    assert titles_in_list(opened) == ["Post 5", "Post 3", "Post 1"]
    assert current_title(opened) == "Post 5"
    opened.select_node_path("category/tech")
    assert titles_in_list(opened) == ["Post 4", "Post 2"]
    assert opened.current_post() is None


def test_sorting_keeps_the_current_post_selected(opened, driver):
    driver.key(Key.Key_J)
    driver.key(Key.Key_J)
    assert current_title(opened) == "Post 4"
    opened.list.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert titles_in_list(opened)[0] == "Post 1"
    assert current_title(opened) == "Post 4"


def test_loading_happens_off_the_ui_thread(driver, write_archive, qtbot):
    root = news(write_archive, 50)
    window = driver.window
    window.open_archive(root)
    assert window.archive is None, "open_archive returns before the load ends"
    qtbot.waitUntil(lambda: window.archive is not None, timeout=20000)
    assert len(window.archive.posts) == 50


def test_opening_another_archive_during_a_load_cancels_the_first(driver, write_archive, tmp_path, qtbot):
    first = news(write_archive, 2000)
    second = tmp_path / "second"
    (second / "_posts").mkdir(parents=True)
    (second / "_posts" / "2022-01-01-only.md").write_text(post_text(title="Only"), encoding="utf-8")
    window = driver.window
    loaded = []
    window.archive_loaded.connect(lambda: loaded.append(window.archive.root))
    window.open_archive(first)
    window.open_archive(second)
    qtbot.waitUntil(lambda: bool(loaded), timeout=20000)
    qtbot.wait(200)
    assert loaded == [second]
    assert titles_in_list(window) == ["Only"]


# --- empty states ----------------------------------------------------------------------


def test_empty_archive_says_so(driver, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    window = driver.open(empty)
    assert "No posts in this folder" in window.viewer.toPlainText()
    assert window.list_stack.currentWidget() is window.list_message


def test_empty_node_says_so(opened):
    opened.select_node_path("starred/")
    assert opened.list_stack.currentWidget() is opened.list_message
    assert "No posts in Starred" in opened.list_message.text()


def test_folder_without_posts_leaves_the_current_archive_open(opened, driver, tmp_path, qtbot):
    empty = tmp_path / "empty"
    empty.mkdir()
    with qtbot.waitSignal(opened.load_failed, timeout=20000):
        opened.open_archive(empty)
    assert len(opened.archive.posts) == 5
    assert "No posts in" in opened.statusBar().currentMessage()


def test_unreadable_folder_leaves_the_current_archive_open(opened, tmp_path, qtbot):
    with qtbot.waitSignal(opened.load_failed, timeout=20000):
        opened.open_archive(tmp_path / "does-not-exist")
    assert len(opened.archive.posts) == 5
    assert "no such folder" in opened.statusBar().currentMessage()


def test_unreadable_folder_at_start_is_explained(driver, tmp_path, qtbot):
    window = driver.window
    with qtbot.waitSignal(window.load_failed, timeout=20000):
        window.open_archive(tmp_path / "missing")
    assert "cannot be read" in window.viewer.toPlainText()


# --- shortcuts ---------------------------------------------------------------------------


def test_j_and_k_move_through_the_list(opened, driver):
    driver.key(Key.Key_J)
    driver.key(Key.Key_J)
    assert current_title(opened) == "Post 4"
    driver.key(Key.Key_K)
    assert current_title(opened) == "Post 5"


def test_n_goes_to_the_next_unread_post_anywhere(opened, driver):
    opened.state.set_read(["2022-06-05-p5.md", "2022-06-04-p4.md"])
    opened.nav_model.recount()
    opened.select_node_path("category/tech")  # Post 4 and Post 2
    driver.key(Key.Key_N)
    assert current_title(opened) == "Post 2"
    driver.key(Key.Key_N)  # nothing unread left in tech: moves the tree
    assert current_title(opened) == "Post 3"
    assert opened.current_node().path == f"{ALL}/"


def test_n_with_nothing_unread_says_so(opened, driver):
    opened.state.set_read([p.key for p in opened.archive.posts])
    driver.key(Key.Key_N)
    assert "No unread posts" in opened.statusBar().currentMessage()


def test_space_scrolls_then_goes_to_the_next_unread(driver, write_archive, qtbot):
    long_body = "\n\n".join(f"Paragraph {i} " + "text " * 40 for i in range(80))
    root = write_archive(
        {
            "_posts/2022-06-02-long.md": post_text(title="Long").replace("Body text.", long_body),
            "_posts/2022-06-01-next.md": post_text(title="Next"),
        }
    )
    window = driver.open(root)
    driver.key(Key.Key_J)
    driver.key(Key.Key_Space)  # over 8 KB, the post is still coming: Space waits for it
    assert current_title(window) == "Long"
    qtbot.waitUntil(lambda: not window.viewer.preparing, timeout=10000)
    bar = window.viewer.verticalScrollBar()
    assert bar.maximum() > 0
    driver.key(Key.Key_Space)
    assert bar.value() > 0
    assert current_title(window) == "Long"
    bar.setValue(bar.maximum())
    driver.key(Key.Key_Space)
    assert current_title(window) == "Next"


def test_m_toggles_read_and_u_marks_unread(opened, driver):
    driver.key(Key.Key_J)
    key = opened.current_post().key
    assert opened.state.is_read(key)
    driver.key(Key.Key_M)
    assert not opened.state.is_read(key)
    driver.key(Key.Key_M)
    assert opened.state.is_read(key)
    driver.key(Key.Key_U)
    assert not opened.state.is_read(key)
    assert opened.counts.text() == "5 posts · 5 unread"


def test_s_toggles_the_star(opened, driver):
    driver.key(Key.Key_J)
    key = opened.current_post().key
    driver.key(Key.Key_S)
    assert opened.state.is_starred(key)
    index = opened.nav_model.index_of_path("starred/").siblingAtColumn(1)
    assert opened.nav_model.data(index) == "0 / 1"
    driver.key(Key.Key_S)
    assert not opened.state.is_starred(key)


def test_mark_all_in_the_node_as_read(opened, driver):
    opened.select_node_path("category/markets")
    driver.key(Key.Key_M, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert {p.key for p in opened.archive.posts if opened.state.is_read(p.key)} == {
        "2022-06-05-p5.md",
        "2022-06-03-p3.md",
        "2022-06-01-p1.md",
    }
    index = opened.nav_model.index_of_path("category/markets").siblingAtColumn(1)
    assert opened.nav_model.data(index) == "0 / 3"


def test_mark_all_asks_first_above_100_posts(driver, write_archive, monkeypatch):
    window = driver.open(news(write_archive, 120))
    asked: list[int] = []
    monkeypatch.setattr(window.marks_actions, "confirm_mark_all", lambda count: asked.append(count) or False)
    window.act_mark_all.trigger()
    assert asked == [120]
    assert window.state.read == set(), "declined: nothing marked"
    monkeypatch.setattr(window.marks_actions, "confirm_mark_all", lambda count: True)
    window.act_mark_all.trigger()
    assert len(window.state.read) == 120


def test_o_opens_the_original_address(driver, write_archive, browser_calls):
    body = "<p>正文</p>\n\n<http://news.example/NW1>\n\n[返回](//news.example/category/markets.html)\n"
    root = write_archive(
        {"_posts/2022-06-01-x.md": post_text(categories="markets").replace("Body text.", body)}
    )
    driver.open(root)
    driver.key(Key.Key_J)
    driver.key(Key.Key_O)
    assert browser_calls == ["http://news.example/NW1"]


def test_ctrl_o_opens_a_folder(opened, driver, write_archive, tmp_path, monkeypatch, qtbot):
    other = tmp_path / "other"
    (other / "_posts").mkdir(parents=True)
    (other / "_posts" / "2022-01-01-o.md").write_text(post_text(title="Other"), encoding="utf-8")
    monkeypatch.setattr(folder_dialog, "choose_folder", lambda *a, **k: str(other))
    with qtbot.waitSignal(opened.archive_loaded, timeout=20000):
        driver.key(Key.Key_O, CTRL)
    assert titles_in_list(opened) == ["Other"]


def test_f5_reloads_and_keeps_the_selection(opened, driver, qtbot):
    driver.key(Key.Key_J)
    driver.key(Key.Key_J)
    (opened.archive.root / "_posts" / "2022-06-09-new.md").write_text(
        post_text(title="New"), encoding="utf-8"
    )
    with qtbot.waitSignal(opened.archive_loaded, timeout=20000):
        driver.key(Key.Key_F5)
    assert titles_in_list(opened)[0] == "New"
    assert current_title(opened) == "Post 4"
    assert opened.state.is_read("2022-06-05-p5.md")


def test_ctrl_q_quits(opened, driver):
    driver.key(Key.Key_Q, CTRL)
    assert not opened.isVisible()


def test_text_size_keys_are_remembered(opened, driver):
    size = opened.viewer.font().pointSizeF()
    driver.key(Key.Key_Equal, CTRL)
    driver.key(Key.Key_Equal, CTRL)
    assert opened.zoom_level == 2
    assert opened.viewer.font().pointSizeF() > size
    driver.key(Key.Key_Minus, CTRL)
    assert opened.zoom_level == 1
    opened.close()
    again = driver.new_window()
    assert again.zoom_level == 1
    driver.window = again
    driver.key(Key.Key_0, CTRL)
    assert again.zoom_level == 0


def test_help_lists_every_shortcut(opened, driver):
    driver.key(Key.Key_F1)
    rows = dict(opened.shortcut_rows())
    assert opened.shortcuts_dialog is not None and opened.shortcuts_dialog.isVisible()
    for name, keys in {
        "Next Post": "J",
        "Previous Post": "K",
        "Next Unread Post": "N",
        "Scroll Down or Next Unread": "Space",
        "Toggle Read": "M",
        "Toggle Star": "S",
        "Open Original in Browser": "O",
        "Open Folder…": "Ctrl+O",
        "Reload": "F5",
        "Quit": "Ctrl+Q",
        "Actual Size": "Ctrl+0",
    }.items():
        assert rows[name] == keys


# --- links and resources -------------------------------------------------------------------


SEED_LIKE = (
    '<p>第一段。</p><center><img src="https://cdn.example/a.jpg" alt="image" /></center><p>第二段。</p>\n\n'
    "<http://news.example/html/NewsShare.html?infoCode=NW1>\n\n"
    "[返回财联社新闻](//finews.example/category/cailianshe.html)｜[返回首页](//finews.example/)\n"
)


def test_links_in_posts(driver, write_archive, browser_calls):
    root = write_archive(
        {
            "old_post/2022-06-01-a.md": post_text(
                title="A", date="2022-06-01", categories="cailianshe"
            ).replace("Body text.", SEED_LIKE),
            "old_post/2022-05-01-b.md": post_text(title="B", date="2022-05-01", tags="t"),
        }
    )
    window = driver.open(root)
    window.follow_link("//finews.example/category/cailianshe.html")
    assert window.current_node().path == "category/cailianshe"
    window.follow_link("reader:tag/t")
    assert window.current_node().path == "tag/t"
    window.follow_link("reader:post/2022-06-01-a")
    assert current_title(window) == "A"
    window.follow_link("/2022/05/01/b.html")
    assert current_title(window) == "B"
    window.follow_link("http://news.example/x")
    assert browser_calls == ["http://news.example/x"]
    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://x/y"):
        window.follow_link(url)
        assert window.last_link_target.kind == "none"
    assert browser_calls == ["http://news.example/x"]


def test_seed_like_body_renders_paragraphs_and_links_not_raw_text(driver, write_archive):
    root = write_archive({"old_post/a.md": post_text(date="2022-06-01").replace("Body text.", SEED_LIKE)})
    window = driver.open(root)
    driver.key(Key.Key_J)
    html = window.viewer.toHtml()
    text = window.viewer.toPlainText()
    assert "<p>" not in text and "](" not in text
    assert "第一段。" in text and "第二段。" in text
    assert 'href="http://news.example/html/NewsShare.html?infoCode=NW1"' in html
    assert 'href="//finews.example/category/cailianshe.html"' in html
    assert "[image]" in text, "remote image replaced by its alt text"


def test_news_seed_renders(driver, news_seed, tmp_path):
    """The news-shaped post, named as its archive names it (``.md``); the fixture's copy is
    a ``.txt``, which Jekyll does not render as Markdown (see the test below)."""
    (tmp_path / "old_post").mkdir()
    seed = (news_seed / "000_a32ff6c10c6f79ee.txt").read_bytes()
    (tmp_path / "old_post" / "2022-06-01-NW202206012399330211.md").write_bytes(seed)
    window = driver.open(tmp_path)
    driver.key(Key.Key_J)
    driver.qtbot.waitUntil(lambda: not window.viewer.preparing, timeout=20000)  # 9.6 KB: in parts
    text = window.viewer.toPlainText()
    assert text.startswith("蚂蚁集团发布2021可持续发展报告")
    assert "数字普惠：落实降费让利" in text
    assert "返回财联社新闻" in text and "返回首页" in text
    assert (
        window.viewer.original_url
        == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202206012399330211"
    )
    assert text.count("\n") > 20, "paragraphs, not one line"


def test_a_txt_post_shows_its_text_as_written_as_jekyll_copies_it(driver, write_archive):
    body = post_text(date="2022-06-01").replace("Body text.", "*not* [md](x)\nline two")
    root = write_archive({"old_post/a.txt": body})
    window = driver.open(root)
    driver.key(Key.Key_J)
    text = window.viewer.toPlainText()
    assert "*not* [md](x)\nline two" in text


def png_bytes() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage

    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_images_inside_the_archive_show_and_nothing_outside_is_read(driver, write_archive, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png_bytes())
    body = (
        '<img src="pics/local.png" alt="local"> <img src="/img/site.png" alt="site"> '
        '<img src="../../../outside/secret.png" alt="up"> <img src="file:///etc/hostname" alt="file"> '
        f'<img src="{outside}/secret.png" alt="abs"> <img src="/img/link.png" alt="link">'
    )
    root = write_archive(
        {
            "posts/2022-06-01-a.md": post_text(date="2022-06-01").replace("Body text.", body),
            "posts/pics/local.png": png_bytes(),
            "img/site.png": png_bytes(),
        }
    )
    (root / "img" / "link.png").symlink_to(outside / "secret.png")
    window = driver.open(root)
    driver.key(Key.Key_J)
    viewer = window.viewer
    assert viewer.image("pics/local.png") is not None
    assert viewer.image("/img/site.png") is not None
    for refused in (
        "../../../outside/secret.png",
        "file:///etc/hostname",
        f"{outside}/secret.png",
        "/img/link.png",
        "../../etc/passwd",
    ):
        assert viewer.image(refused) is None, refused
    assert "file:///etc/hostname" in viewer.resources_refused


def test_a_resource_is_read_once_per_post_not_per_repaint(opened, driver, monkeypatch):
    driver.key(Key.Key_J)
    viewer = opened.viewer
    reads: list[str] = []
    monkeypatch.setattr(viewer, "_load_image", reads.append)
    image = QTextDocument.ResourceType.ImageResource.value
    for _ in range(5):
        viewer.loadResource(image, QUrl("pics/x.png"))
    assert reads == ["pics/x.png"]


# --- opening, session ---------------------------------------------------------------------


def test_drop_a_folder_opens_it(opened, tmp_path, qtbot):
    other = tmp_path / "dropped"
    (other / "_posts").mkdir(parents=True)
    (other / "_posts" / "2022-01-01-d.md").write_text(post_text(title="Dropped"), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(opened.archive_loaded, timeout=20000):
        opened.dropEvent(event)
    assert titles_in_list(opened) == ["Dropped"]


def test_recent_folders_are_listed_and_missing_ones_marked(opened, driver, tmp_path):
    gone = tmp_path / "gone"
    opened.settings.set(RECENT, [str(opened.archive.root.resolve()), str(gone)])
    opened.recent_menu.fill()
    entries = [(a.text(), a.isEnabled()) for a in opened.recent_menu.actions()]
    assert entries == [(str(opened.archive.root.resolve()), True), (f"{gone} (missing)", False)]


def test_session_is_restored_per_archive(opened, driver):
    opened.select_node_path("category/markets")
    opened.list.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    driver.key(Key.Key_J)
    driver.key(Key.Key_J)
    chosen = current_title(opened)
    root = opened.archive.root
    opened.close()
    again = driver.open(root, driver.new_window())
    assert again.current_node().path == "category/markets"
    assert again.post_model.sort_column == 0
    assert current_title(again) == chosen


def test_the_post_shown_before_comes_back_in_a_turn_after_the_list(opened, driver, qtbot):
    """The list is drawn first; the post shown before (read, rendered and laid out: 20-45
    ms at 100,000 posts) comes in a turn of its own, before the archive counts as loaded."""
    driver.key(Key.Key_J)
    chosen = current_title(opened)
    root = opened.archive.root
    opened.close()
    again = driver.new_window()
    seen: list[object] = []
    again.posts_shown.connect(lambda: seen.append(current_title(again)))
    again.archive_loaded.connect(lambda: seen.append(current_title(again)))
    with qtbot.waitSignal(again.archive_loaded, timeout=20000):
        again.open_archive(root)
    assert seen == [None, chosen]
    assert again.viewer.toPlainText().startswith(chosen)


def test_the_loading_thread_prepares_rendering(driver, write_archive, monkeypatch):
    """Off the UI thread, so that the turn showing the first post is not ~25 ms longer."""
    from reader.core import render

    monkeypatch.setattr(render, "_prepared", [])
    driver.open(news(write_archive))
    assert render._prepared


def test_the_marks_are_opened_off_the_ui_thread_and_closed_when_not_used(
    driver, write_archive, monkeypatch, qtbot, tmp_path
):
    """Opening the marks of an archive with 90,000 posts read takes 100-150 ms: the
    session opens them on a thread of their own while the archive loads, and hands them
    to the window with the archive. Marks opened
    for a load that gives the window nothing are closed."""
    import threading

    from reader.core.state import StateStore
    from reader.ui import marks_opener as marks_opener_module

    opened: list[tuple[StateStore, bool]] = []
    closed: list[StateStore] = []

    class Recorded(StateStore):
        def __init__(self, *arguments, **options) -> None:
            super().__init__(*arguments, **options)
            opened.append((self, threading.current_thread() is threading.main_thread()))

        def close(self) -> None:
            closed.append(self)
            super().close()

        def read_flags(self, keys, *, keep: bool = False) -> bytes:
            flags = super().read_flags(keys, keep=keep)
            flagged.append((keep, threading.current_thread() is threading.main_thread(), flags))
            return flags

    flagged: list[tuple[bool, bool, bytes]] = []
    monkeypatch.setattr(marks_opener_module, "StateStore", Recorded)
    root = news(write_archive)
    window = driver.open(root)
    assert [on_ui for _, on_ui in opened] == [False]
    assert window.state is opened[0][0] and not closed
    # The unread counts start from read flags the loading thread worked out.
    assert flagged[0][:2] == (True, False) and flagged[1][:2] == (False, True)
    assert flagged[1][2] is flagged[0][2]
    flagged.clear()
    driver.open(root)  # the same archive again: it keeps its marks, none are opened
    assert len(opened) == 1 and window.state is opened[0][0]
    assert flagged[0][:2] == (True, False) and flagged[1][2] is flagged[0][2], (
        "flags worked out off the UI thread"
    )
    other = tmp_path / "other"
    (other / "_posts").mkdir(parents=True)
    (other / "_posts" / "2022-01-01-o.md").write_text(post_text(title="O"), encoding="utf-8")
    window.open_archive(other)
    window.open_archive(tmp_path / "missing")  # the first is cancelled, the second fails
    qtbot.waitUntil(lambda: not window.loader.busy and len(opened) == 3 and len(closed) == 2, timeout=20000)
    assert window.state is opened[0][0], "the window keeps the marks of the archive it shows"
    assert {id(store) for store in closed} == {id(store) for store, _ in opened[1:]}


def test_the_first_load_warms_the_viewer_up_without_touching_it(driver, write_archive, monkeypatch):
    """A hidden twin shows and paints a sample post before the first load starts; the
    viewer shown keeps what it shows."""
    from reader.ui.viewer import Viewer

    window = driver.window
    window.viewer.show_message("Shown", "as it was")
    window.viewer.warm_up()
    assert window.viewer.toPlainText().startswith("Shown")
    warmed: list[bool] = []
    real = Viewer.warm_up
    monkeypatch.setattr(Viewer, "warm_up", lambda viewer: warmed.append(window.loader.busy) or real(viewer))
    root = news(write_archive)
    driver.open(root)
    driver.open(root)
    assert warmed == [False], "once, before the first load starts"


def test_state_warning_is_shown_when_the_store_was_corrupt(driver, write_archive):
    (driver.folder / "state.sqlite3").write_bytes(b"not sqlite at all" * 100)
    window = driver.open(news(write_archive))
    assert window.warnings and "moved to" in window.warnings[0]
    assert "moved to" in window.statusBar().currentMessage()


def test_marks_from_another_window_show_up(opened, driver, qtbot):
    from reader.core.state import StateStore

    other = StateStore(opened.archive.root, driver.folder / "state.sqlite3")
    other.set_read(["2022-06-05-p5.md"])
    opened.marks_actions.poll()
    assert opened.counts.text() == "5 posts · 4 unread"


def test_main_window_module_has_no_core_logic():
    source = Path(main_window_module.__file__).read_text(encoding="utf-8")
    assert "front_matter" not in source and "yaml" not in source


def test_start_opens_path_else_last_archive_else_the_sample(tmp_path, qapp):
    from reader.core.paths import bundled_seeds
    from reader.ui.app import initial_archive
    from reader.ui.settings import Settings

    settings = Settings(tmp_path / "r.ini")
    assert initial_archive(None, settings) == bundled_seeds()
    last = tmp_path / "last"
    last.mkdir()
    settings.add_recent(last)
    assert initial_archive(None, settings) == last.resolve()
    assert initial_archive(str(tmp_path), settings) == tmp_path
    last.rmdir()
    assert initial_archive(None, settings) == bundled_seeds()


# --- search ----------------------------------------------------------------------------------


@pytest.fixture
def searchable(driver, write_archive, qtbot):
    root = write_archive(
        {
            "old_post/a.md": post_text(
                title="央行降准", date="2022-06-03 10:00:00 +0800", categories="cailianshe"
            ).replace("Body text.", "<p>中国人民银行决定下调存款准备金率。A股上涨。</p>"),
            "old_post/b.md": post_text(
                title="蚂蚁集团报告", date="2022-06-01 10:00:00 +0800", categories="cailianshe"
            ).replace("Body text.", "<p>蚂蚁集团研发投入超188亿元。央行表示关注。央行再次表态。</p>"),
            "old_post/c.md": post_text(
                title="港股收评", date="2022-06-02 10:00:00 +0800", categories="zhitong"
            ).replace("Body text.", "<p>恒生指数收涨。</p>"),
        }
    )
    window = driver.open(root)
    if not window.search.indexed:
        with qtbot.waitSignal(window.search_ready, timeout=20000):
            pass
    return window


def type_search(window, qtbot, text):
    window.search_box.setText(text)
    qtbot.waitUntil(lambda: "match" in window.search_count.text(), timeout=10000)


def test_search_box_finds_posts_ranked_and_counts(searchable, qtbot):
    type_search(searchable, qtbot, "央行")
    assert titles_in_list(searchable) == ["央行降准", "蚂蚁集团报告"], "title match first"
    assert searchable.search_count.text() == "2 matches"


def test_the_match_count_keeps_clear_of_the_windows_edge(searchable, qtbot):
    type_search(searchable, qtbot, "央行")
    count = searchable.search_count
    right = count.mapTo(searchable, QPoint(count.width(), 0)).x()
    assert right <= searchable.width() - 6, "a margin between the count and the window's edge"
    assert count.width() >= count.sizeHint().width(), "the count is not cut"


def test_the_status_bar_counts_the_selected_node_and_the_search(searchable, qtbot):
    window = searchable
    assert window.counts.text() == "3 posts · 3 unread"
    window.select_node_path("category/cailianshe")
    assert window.counts.text() == "cailianshe: 2 posts · 2 unread"
    type_search(window, qtbot, "央行")
    qtbot.waitUntil(lambda: window.counts.text() == "cailianshe: 2 matches of 2 posts", timeout=5000)
    window.select_node_path(f"{ALL}/")
    qtbot.waitUntil(lambda: window.counts.text() == "2 matches of 3 posts", timeout=5000)
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.counts.text() == "3 posts · 3 unread", timeout=5000)


def test_while_searching_the_empty_reading_pane_says_how_many_match(searchable, qtbot):
    window = searchable
    assert window.current_post() is None
    type_search(window, qtbot, "央行")
    assert "2 posts match “央行”. Select one to read it." in window.viewer.toPlainText()
    assert "3 posts" not in window.viewer.toPlainText()
    type_search(window, qtbot, "不存在")
    qtbot.waitUntil(lambda: "No posts match “不存在”." in window.viewer.toPlainText(), timeout=5000)


def test_a_search_right_after_a_reload_is_answered_from_the_new_archive(searchable, qtbot):
    """The reloaded archive's posts have other positions: answers from the old archive's
    worker would show the wrong posts. And the reload does not wait for that worker."""
    window = searchable
    old_worker = window.search._worker
    root = window.archive.root
    (root / "old_post/new.md").write_text(
        post_text(title="最新", date="2022-06-09 10:00:00 +0800").replace("Body text.", "<p>新闻</p>"),
        encoding="utf-8",
    )
    with qtbot.waitSignal(window.archive_loaded, timeout=10000):
        window.open_archive(root, quiet=True)
    assert window.search._worker is not old_worker and window.search._worker.archive is window.archive
    assert window.archive.posts[0].title == "最新", "every older post moved down one place"
    type_search(window, qtbot, "央行")
    assert titles_in_list(window) == ["央行降准", "蚂蚁集团报告"]


def test_search_within_the_selected_node(searchable, qtbot):
    searchable.select_node_path("category/zhitong")
    type_search(searchable, qtbot, "央行")
    assert searchable.list_stack.currentWidget() is searchable.list_message
    assert "No matches" in searchable.list_message.text()
    searchable.select_node_path("category/cailianshe")
    qtbot.waitUntil(lambda: titles_in_list(searchable) == ["央行降准", "蚂蚁集团报告"], timeout=10000)


def test_slash_and_ctrl_f_focus_search_and_escape_clears(searchable, driver, qtbot):
    driver.key(Key.Key_Slash)
    assert searchable.search_box.hasFocus()
    searchable.list.setFocus()
    driver.key(Key.Key_F, CTRL)
    assert searchable.search_box.hasFocus()
    type_search(searchable, qtbot, "港股")
    assert titles_in_list(searchable) == ["港股收评"]
    qtbot.keyClick(searchable.search_box, Key.Key_Escape)
    assert searchable.search_box.text() == ""
    qtbot.waitUntil(lambda: len(titles_in_list(searchable)) == 3, timeout=10000)


def test_matches_are_highlighted_and_f3_moves_between_them(searchable, driver, qtbot):
    type_search(searchable, qtbot, "央行")
    searchable.select_post_key("b.md")
    assert len(searchable.viewer.extraSelections()) == 2
    driver.key(Key.Key_F3)
    first = searchable.viewer.textCursor().position()
    driver.key(Key.Key_F3)
    second = searchable.viewer.textCursor().position()
    assert second > first
    driver.key(Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert searchable.viewer.textCursor().position() < second


# --- find in the post, copy ------------------------------------------------------------------


@pytest.fixture
def reading(driver, write_archive):
    body = "<p>央行今天表示。</p><p>另一段也提到央行。</p><p>第三段提到央行和 ESG。</p>\n\n<http://news.example/NW9>\n"
    window = driver.open(
        write_archive({"_posts/2022-06-01-x.md": post_text(title="报道").replace("Body text.", body)})
    )
    window.select_post_key("2022-06-01-x.md")
    return window


def test_ctrl_f_in_the_reading_pane_finds_in_the_post(reading, driver, qtbot):
    reading.viewer.setFocus()
    driver.key(Key.Key_F, CTRL, widget=reading.viewer)
    assert reading.find_bar.isVisible()
    assert reading.find_bar.field.hasFocus()
    reading.find_bar.field.setText("央行")  # QTest types ASCII only
    assert reading.find_bar.count.text() == "3 matches"
    first = reading.viewer.textCursor().position()
    qtbot.keyClick(reading.find_bar.field, Key.Key_Return)
    second = reading.viewer.textCursor().position()
    assert second > first
    qtbot.keyClick(reading.find_bar.field, Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert reading.viewer.textCursor().position() == first
    qtbot.keyClick(reading.find_bar.field, Key.Key_Escape)
    assert not reading.find_bar.isVisible()
    assert reading.viewer.extraSelections() == []


def test_ctrl_f_elsewhere_and_slash_search_the_archive(reading, driver):
    driver.key(Key.Key_F, CTRL)  # the list has the focus
    assert reading.search_box.hasFocus()
    assert not reading.find_bar.isVisible()


def test_copy_the_posts_text_and_link(reading, driver):
    from PySide6.QtWidgets import QApplication

    driver.key(Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    text = QApplication.clipboard().text()
    assert text.startswith("报道") and "第三段提到央行和 ESG。" in text
    driver.key(Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.clipboard().text() == "http://news.example/NW9"
