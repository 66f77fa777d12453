"""In the window, a cache folder that cannot be written stops neither a load nor a search
(the archive shows, search answers by reading the files, the status bar says why), and a
damaged search index never gives a wrong answer."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import cache
from reader.core.archive import load_archive
from reader.core.search import SearchIndex, _shard_paths, index_path
from tests.conftest import post_text
from tests.faults import full_disk


@contextlib.contextmanager
def unwritable(fault: str, tmp_path: Path) -> Iterator[Path]:
    if fault == "a full disk":
        with full_disk(0) as folder:
            yield folder
    else:
        (tmp_path / "a-file").write_text("not a folder")
        yield tmp_path / "a-file"


@pytest.mark.parametrize("fault", ["a file", "a full disk"])
def test_the_window_loads_and_searches_without_its_caches(
    driver, write_archive, qtbot, monkeypatch, tmp_path, fault
):
    root = write_archive(
        {
            "old_post/a.md": post_text(title="央行降准", date="2022-06-03 10:00:00 +0800").replace(
                "Body text.", "<p>中国人民银行决定下调存款准备金率。</p>"
            ),
            "old_post/b.md": post_text(title="蚂蚁集团报告", date="2022-06-01 10:00:00 +0800").replace(
                "Body text.", "<p>央行表示关注。</p>"
            ),
            "old_post/c.md": post_text(title="港股收评", date="2022-06-02 10:00:00 +0800"),
        }
    )
    with unwritable(fault, tmp_path) as cache_home:
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
        window = driver.window
        messages: list[str] = []
        window.statusBar().messageChanged.connect(messages.append)
        driver.open(root)
        assert [window.archive.posts[i].title for i in range(3)] == ["央行降准", "港股收评", "蚂蚁集团报告"]
        assert not cache.cache_path(root).exists()
        qtbot.waitUntil(lambda: any("Search index unavailable" in m for m in messages), timeout=20000)
        window.search_box.setText("央行")
        qtbot.waitUntil(lambda: window.search_count.text().startswith("2 matches"), timeout=10000)
        model = window.post_model
        assert sorted(model.data(model.index(row, 0)) for row in range(model.rowCount())) == [
            "央行降准",
            "蚂蚁集团报告",
        ]
        window.close()
        window.search.shutdown()


def test_a_damaged_search_index_never_gives_the_window_wrong_results(driver, write_archive, qtbot):
    """The index's rows are changed behind Reader's back: a deleted row comes back to life
    (one byte of the file, as SQLite itself checks nothing of it). The window must not
    find the post by the text it no longer has."""
    root = write_archive(
        {
            "old_post/a.md": post_text(title="央行降准", date="2022-06-03 10:00:00 +0800"),
            "old_post/b.md": post_text(title="蚂蚁集团报告", date="2022-06-01 10:00:00 +0800").replace(
                "Body text.", "<p>央行表示关注。</p>"
            ),
        }
    )
    index = SearchIndex(root)
    index.update(load_archive(root))
    changed = root / "old_post/b.md"
    changed.write_text(post_text(title="蚂蚁集团报告", date="2022-06-01 10:00:00 +0800"), encoding="utf-8")
    os.utime(changed, ns=(changed.stat().st_mtime_ns + 10**9,) * 2)
    index.update(load_archive(root))  # b's old row (with 央行) is now dead
    index.close()
    for shard in _shard_paths(index_path(root)):
        db = sqlite3.connect(shard)
        db.execute("UPDATE docs SET live = 1")
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

    window = driver.open(root)
    if not window.search.indexed:
        with qtbot.waitSignal(window.search_ready, timeout=20000):
            pass
    window.search_box.setText("央行")
    qtbot.waitUntil(lambda: "match" in window.search_count.text(), timeout=10000)
    model = window.post_model
    assert [model.data(model.index(row, 0)) for row in range(model.rowCount())] == ["央行降准"]
