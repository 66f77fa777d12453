"""Big posts never freeze the window: rendered on a worker thread, shown a part per turn;
a post over 1 MB shows its beginning and a "Show the rest" link. What the window shows of
them (highlights, find, print, remote images) works as for a small post.

How long the window stalls is measured by tests/benchmarks/big_posts.py, not here."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QTextCursor

from reader.core.render import render_body, render_header
from reader.ui import post_renderer
from reader.ui.viewer import Viewer
from tests.conftest import post_text
from tests.ui.test_remote_images import Server

PARAGRAPH = "<p>中国人民银行今日公布人民币对美元汇率中间价，市场保持稳定，资金面合理充裕。</p>"
BIG = "2022-06-01-big.md"
SMALL = "2022-06-02-small.md"


def post_of(size: int, start: str = "开头标记", end: str = "结尾标记", title: str = "大文章") -> str:
    """A news post of about ``size`` bytes: raw HTML paragraphs on one line, as the mirror
    writes them, with a paragraph to find at each end."""
    count = max(1, size // len(PARAGRAPH.encode()))
    body = f"<p>{start}</p>" + PARAGRAPH * count + f"<p>{end}</p>\n"
    return post_text(title=title, date="2022-06-01 08:00:00 +0800").replace("Body text.", body)


def small_post() -> str:
    text = post_text(title="小文章", date="2022-06-02 08:00:00 +0800")
    return text.replace("Body text.", "<p>小文章正文</p>")


@pytest.fixture
def renders(monkeypatch):
    """Every call of render_body the worker makes: (characters, on the main thread)."""
    calls: list[tuple[int, bool]] = []
    real = post_renderer.render_body

    def counting(body, **options):
        calls.append((len(body), threading.current_thread() is threading.main_thread()))
        return real(body, **options)

    monkeypatch.setattr(post_renderer, "render_body", counting)
    return calls


def shown(window, qtbot, *, everything: bool = True) -> str:
    """Wait until the post's first part shows (and all that is coming, when asked)."""
    viewer = window.viewer
    qtbot.waitUntil(lambda: not viewer._waiting, timeout=20000)
    if everything:
        qtbot.waitUntil(lambda: not viewer.preparing, timeout=60000)
    return viewer.toPlainText()


def test_a_50_mb_post_shows_its_beginning_and_a_link_to_the_rest(driver, write_archive, qtbot, renders):
    root = write_archive({f"_posts/{BIG}": post_of(50_000_000), f"_posts/{SMALL}": small_post()})
    window = driver.open(root)
    window.select_post_key(BIG)
    assert "大文章" in window.viewer.toPlainText()  # the header at once
    text = shown(window, qtbot)
    assert "开头标记" in text and "结尾标记" not in text
    assert "Show the rest of this post (49." in text and "MB)" in text
    # What was rendered and handed to Qt is bounded, not the post's size.
    assert sum(size for size, _main in renders) < 200_000
    assert window.viewer.document().characterCount() < 100_000
    assert "reader:show-rest" in window.viewer.toHtml()


def test_the_rest_of_a_big_post_is_reachable(driver, write_archive, qtbot):
    root = write_archive({f"_posts/{BIG}": post_of(1_500_000)})
    window = driver.open(root)
    window.select_post_key(BIG)
    assert "结尾标记" not in shown(window, qtbot)
    window.follow_link("reader:show-rest")  # the link's click
    text = shown(window, qtbot)
    assert text.rstrip().endswith("结尾标记") and "Show the rest" not in text
    assert text.count("市场保持稳定") == (1_500_000 // len(PARAGRAPH.encode()))  # every paragraph once


def test_a_big_post_renders_off_the_ui_thread_and_a_small_one_at_once(driver, write_archive, qtbot, renders):
    root = write_archive({f"_posts/{BIG}": post_of(300_000), f"_posts/{SMALL}": small_post()})
    window = driver.open(root)
    window.select_post_key(SMALL)
    assert "小文章正文" in window.viewer.toPlainText()  # no turn of the event loop needed
    window.select_post_key(BIG)
    assert "结尾标记" in shown(window, qtbot)
    assert renders and not any(on_main for _size, on_main in renders)


def test_a_post_chosen_while_a_big_one_renders_wins(driver, write_archive, qtbot, monkeypatch):
    """The worker is held inside the big post's rendering while the reader moves on."""
    release = threading.Event()
    entered = threading.Event()
    real = post_renderer.render_body

    def held(body, **options):
        if "第一篇" in body:
            entered.set()
            release.wait(20)
        return real(body, **options)

    monkeypatch.setattr(post_renderer, "render_body", held)
    root = write_archive(
        {
            f"_posts/{BIG}": post_of(200_000, start="第一篇"),
            "_posts/2022-06-03-second.md": post_of(200_000, start="第二篇", title="第二篇文章"),
            f"_posts/{SMALL}": small_post(),
        }
    )
    window = driver.open(root)
    window.select_post_key(BIG)
    qtbot.waitUntil(entered.is_set, timeout=10000)
    window.select_post_key(SMALL)  # a small one: at once
    assert "小文章正文" in window.viewer.toPlainText()
    window.select_post_key("2022-06-03-second.md")  # a big one: after the first is given up
    release.set()
    text = shown(window, qtbot)
    assert "第二篇" in text and "第一篇" not in text
    qtbot.wait(300)  # nothing of the first post comes late
    assert "第一篇" not in window.viewer.toPlainText() and window.viewer.post.key == "2022-06-03-second.md"


def test_search_highlights_and_find_reach_parts_added_later(driver, write_archive, qtbot):
    root = write_archive({f"_posts/{BIG}": post_of(400_000, start="碳中和开头", end="碳中和结尾")})
    window = driver.open(root)
    if not window.search.indexed:
        with qtbot.waitSignal(window.search_ready, timeout=20000):
            pass
    window.search_box.setText("碳中和")
    qtbot.waitUntil(lambda: "match" in window.search_count.text(), timeout=10000)
    window.select_post_key(BIG)
    shown(window, qtbot)
    assert len(window.viewer.extraSelections()) == 2  # the one in the last part too
    window.find_in_post.find("结尾")
    assert window.find_bar.count.text().startswith("1 match")
    cursor = window.viewer.textCursor()
    assert cursor.selectedText() == "结尾"
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert cursor.position() - window.viewer.textCursor().position() < 10  # found at the end


def test_printing_a_big_post_prints_what_is_shown_and_says_what_is_not(driver, write_archive, qtbot):
    root = write_archive({f"_posts/{BIG}": post_of(1_200_000)})
    window = driver.open(root)
    window.select_post_key(BIG)
    shown(window, qtbot)
    printed = window.viewer.print_document().toPlainText()
    assert "大文章" in printed and "开头标记" in printed
    assert "The rest of this post (" in printed and "is not shown" in printed
    assert "Show the rest" not in printed
    window.follow_link("reader:show-rest")
    shown(window, qtbot)
    printed = window.viewer.print_document().toPlainText()
    assert printed.rstrip().endswith("结尾标记") and "is not shown" not in printed


def blocks(viewer: Viewer) -> list[tuple[object, ...]]:
    """Each block of the document: its text and what formats it."""
    out = []
    block = viewer.document().begin()
    while block.isValid():
        form, chars = block.blockFormat(), block.charFormat()
        listed = block.textList().format().style() if block.textList() else None
        out.append(
            (block.text(), form.headingLevel(), form.topMargin(), form.leftMargin(), form.nonBreakableLines(),
             form.alignment(), chars.fontWeight(), listed)
        )  # fmt: skip
        block = block.next()
    return out


MARKDOWN = [
    "## A heading {n}\n\nA paragraph with *emphasis* and `code` number {n}.\n",
    "- one {n}\n- two\n- three\n",
    "1. first {n}\n2. second\n",
    "> a quote {n}\n",
    "```python\nx = {n}\ny = x * 2\n```\n",
    "| a | b |\n|---|---|\n| {n} | 2 |\n",
    '<center>centred {n}</center>\n<p class="em_media">source {n}</p>\n',
    "<p>新闻段落{n}，市场保持稳定。</p><p>第二段{n}。</p>\n",
]


def test_a_post_shown_in_parts_looks_as_shown_at_once(driver, write_archive, qtbot):
    """Up to 64 KB a post is rendered whole: added to the pane a part at a time, each block
    keeps the formats it has when the HTML is set at once."""
    body = "\n".join(MARKDOWN[n % len(MARKDOWN)].format(n=n) for n in range(900))
    assert 16 * 1024 < len(body.encode()) < 64 * 1024
    text = post_text(title="Formats", date="2022-06-01").replace("Body text.", body)
    window = driver.open(write_archive({f"_posts/{BIG}": text}))
    window.select_post_key(BIG)
    shown(window, qtbot)
    assert len(window.viewer._shown) > 3  # it did come in parts
    whole = Viewer()
    whole.set_reading_style(window.viewer._css)
    whole.setFont(window.viewer.font())
    header = render_header(window.viewer.post, window.viewer._date_text, window.viewer._labels())
    whole.setHtml(header + "\n" + render_body(body).html)
    assert blocks(window.viewer) == blocks(whole)


def test_remote_images_of_a_big_post_show_when_asked_and_the_place_is_kept(driver, write_archive, qtbot):
    server = Server()
    try:
        url = server.url("/a.png")
        image = f'<p><img src="{url}" alt="alt of a"></p>'
        body = image + PARAGRAPH * 2000 + image.replace("alt of a", "alt again")
        text = post_text(title="图片", date="2022-06-01").replace("Body text.", body)
        window = driver.open(write_archive({f"_posts/{BIG}": text}))
        window.select_post_key(BIG)
        assert "[alt of a]" in shown(window, qtbot)
        assert window.viewer.remote_urls == (url,) and server.hits["/a.png"] == 0
        bar = window.viewer.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        place = bar.value()
        window.follow_link("reader:show-images")
        qtbot.waitUntil(lambda: window.viewer._images.get(url) is not None, timeout=20000)
        qtbot.waitUntil(lambda: not window.viewer.preparing and bar.value() == place, timeout=20000)
        text = window.viewer.toPlainText()
        assert "[alt of a]" not in text and "[alt again]" not in text
        assert server.hits["/a.png"] == 1
    finally:
        server.close()


def test_a_big_post_that_cannot_be_read_says_why_and_the_next_one_shows(driver, write_archive, qtbot):
    good_head = post_of(20_000).encode()
    root = write_archive(
        {
            f"_posts/{BIG}": good_head + b"\xff\xfe\x00\x81" * 10_000,  # not UTF-8, not GB18030
            "_posts/2022-06-03-gone.md": post_of(100_000, title="将被删除"),
            f"_posts/{SMALL}": small_post(),
        }
    )
    window = driver.open(root)
    window.select_post_key(BIG)
    text = shown(window, qtbot)
    assert "This file cannot be read now:" in text and "not UTF-8 or GB18030" in text
    (root / "_posts/2022-06-03-gone.md").unlink()
    window.select_post_key("2022-06-03-gone.md")
    assert "This file cannot be read now:" in window.viewer.toPlainText()
    window.select_post_key(SMALL)
    assert "小文章正文" in window.viewer.toPlainText()


@pytest.mark.parametrize("size", [1_000, 30_000], ids=["small, at once", "big, in parts"])
def test_liquid_that_cannot_run_shows_as_written_with_a_problem_in_the_banner(
    driver, write_archive, qtbot, size
):
    liquid = "{% assign who = 'reader' %}<p>你好 {{ who | upcase }}</p> {% gist 42 %}"
    body = liquid + PARAGRAPH * (size // 150)
    text = post_text(title="液体", date="2022-06-01 08:00:00 +0800").replace("Body text.", body)
    root = write_archive({f"_posts/{BIG}": text})
    window = driver.open(root)
    window.select_post_key(BIG)
    seen = shown(window, qtbot)
    assert "你好 READER" in seen and "{% assign" not in seen
    assert "{% gist 42 %}" in seen, "the tag that cannot run shows as written"
    assert "unknown tag 'gist'" in seen, "and the banner says why"
