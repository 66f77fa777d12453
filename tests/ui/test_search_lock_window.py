"""A window whose archive's search index another process holds (building or writing it,
minutes at 100,000 posts): its search answers by reading the files, says "indexing…",
takes the index once the other process is done, and closing it never waits."""

from __future__ import annotations

import time

from tests.conftest import post_text
from tests.index_lock import index_lock_held


def _titles(window) -> list[str]:
    model = window.post_model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def _archive(write_archive):
    return write_archive(
        {
            "_posts/2022-06-01-a.md": post_text(title="降准").replace(
                "Body text.", "央行决定下调存款准备金率。"
            ),
            "_posts/2022-06-02-b.md": post_text(title="报告").replace(
                "Body text.", "研发投入。央行表示关注。"
            ),
            "_posts/2022-06-03-c.md": post_text(title="港股").replace("Body text.", "恒生指数收涨。"),
        }
    )


def _search(window, qtbot, text: str) -> None:
    window.search_box.setText(text)
    qtbot.waitUntil(lambda: "match" in window.search_count.text(), timeout=10000)


def test_the_window_searches_while_another_process_holds_the_index_and_closes_at_once(
    driver, write_archive, qtbot
):
    root = _archive(write_archive)
    with index_lock_held(root, seconds=30):
        window = driver.open(root)
        _search(window, qtbot, "央行")
        assert sorted(_titles(window)) == ["报告", "降准"]
        assert window.search_count.text() == "2 matches · indexing…"
        assert not window.search.indexed
        assert "unavailable" not in window.statusBar().currentMessage()
        started = time.monotonic()
        window.close()
        took = time.monotonic() - started
        assert took < 5, f"closing the window waited {took:.1f} s for the other process"


def test_the_window_takes_the_index_once_the_other_process_is_done(driver, write_archive, qtbot):
    root = _archive(write_archive)
    with index_lock_held(root, seconds=30):
        window = driver.open(root)
        _search(window, qtbot, "央行")
        assert window.search_count.text() == "2 matches · indexing…"
    # The other process is done (ended): the window builds its index, and answers from it.
    qtbot.waitUntil(lambda: window.search.indexed, timeout=10000)
    qtbot.waitUntil(lambda: window.search_count.text() == "2 matches", timeout=10000)
    assert sorted(_titles(window)) == ["报告", "降准"]
    window.search_box.setText("恒生")
    qtbot.waitUntil(lambda: window.search_count.text().startswith("1 match"), timeout=10000)
    assert "indexing" not in window.search_count.text()
    assert _titles(window) == ["港股"]


def test_a_window_with_its_index_reads_the_files_while_another_process_writes_it(
    driver, write_archive, qtbot
):
    root = _archive(write_archive)
    window = driver.open(root)
    qtbot.waitUntil(lambda: window.search.indexed, timeout=10000)
    with index_lock_held(root, seconds=30):
        _search(window, qtbot, "央行")
        assert sorted(_titles(window)) == ["报告", "降准"]
        assert window.search_count.text() == "2 matches · indexing…"
        assert "unavailable" not in window.statusBar().currentMessage()
    window.search_box.setText("恒生")
    qtbot.waitUntil(lambda: window.search_count.text().startswith("1 match"), timeout=10000)
    assert "indexing" not in window.search_count.text(), "the index is used again"
    assert _titles(window) == ["港股"]
