"""The search service on a reload: queries move to the new archive at once, the UI thread
never waits for the old worker, and two workers never use the index files together."""

from __future__ import annotations

import threading

import reader.ui.search as search_module
from reader.core.archive import load_archive
from reader.ui.search import SearchService
from tests.conftest import post_text


def test_a_new_worker_waits_for_every_earlier_one_to_finish_with_the_index(write_archive, qtbot, monkeypatch):
    archive = load_archive(write_archive({"_posts/2022-06-01-a.md": post_text(title="A")}))
    release_first = threading.Event()
    opened: list[str] = []
    real_index = search_module.SearchIndex

    class SlowFirstIndex(real_index):  # type: ignore[misc, valid-type]
        def __init__(self, root):
            if not opened:
                opened.append("first, waiting")
                release_first.wait(10)
            else:
                opened.append("next")
            super().__init__(root)

    monkeypatch.setattr(search_module, "SearchIndex", SlowFirstIndex)
    service = SearchService()
    try:
        service.set_archive(archive)  # starts, and holds the index files until released
        qtbot.waitUntil(lambda: opened == ["first, waiting"], timeout=5000)
        service.set_archive(archive, start=False)  # retired before it ever starts
        service.set_archive(archive, start=False)
        service.start()
        qtbot.wait(300)
        assert opened == ["first, waiting"], "the newest worker waits for the first, not the unstarted one"
        release_first.set()
        qtbot.waitUntil(lambda: service.indexed, timeout=10000)
        assert opened == ["first, waiting", "next"]
    finally:
        release_first.set()
        service.shutdown()
