"""Opening an archive shows it as the load cache last saw it at once, then checks its
files in the background and shows what changed meanwhile, marks kept."""

from __future__ import annotations

import threading

import reader.ui.loader as loader_module
from reader.core.archive import load_archive
from tests.conftest import post_text


def titles(window) -> set[str]:
    return {post.title for post in window.archive.posts}


def test_an_archive_changed_while_closed_shows_at_once_then_as_it_is(
    driver, write_archive, qtbot, monkeypatch
):
    root = write_archive({f"_posts/2022-06-0{i}-p{i}.md": post_text(title=f"P{i}") for i in range(1, 4)})
    load_archive(root)  # the load cache, as the last session left it
    (root / "_posts/2022-06-09-new.md").write_text(post_text(title="New"), encoding="utf-8")
    (root / "_posts/2022-06-02-p2.md").unlink()
    checking = threading.Event()
    go_on = threading.Event()
    real_check = loader_module.check_archive

    def held_check(archive, **options):
        checking.set()
        go_on.wait(20)
        return real_check(archive, **options)

    monkeypatch.setattr(loader_module, "check_archive", held_check)
    window = driver.open(root)
    # shown before the files were checked: the posts the cache knew, in the list too
    assert titles(window) == {"P1", "P2", "P3"}
    assert window.post_model.rowCount() == 3
    qtbot.waitUntil(checking.is_set, timeout=5000)  # checked once the window has drawn
    key = next(post.key for post in window.archive.posts if post.title == "P1")
    window.state.set_read([key])
    go_on.set()
    qtbot.waitUntil(lambda: titles(window) == {"P1", "P3", "New"}, timeout=5000)
    assert window.post_model.rowCount() == 3
    assert window.state.is_read(key)
    qtbot.waitUntil(lambda: window.counts.text() == "3 posts · 2 unread", timeout=5000)


def test_an_unchanged_archive_is_checked_and_kept_as_shown(driver, write_archive, qtbot, monkeypatch):
    root = write_archive({f"_posts/2022-06-0{i}-p{i}.md": post_text(title=f"P{i}") for i in range(1, 4)})
    load_archive(root)
    results = []
    real_check = loader_module.check_archive

    def recorded_check(archive, **options):
        result = real_check(archive, **options)
        results.append(result is archive)
        return result

    monkeypatch.setattr(loader_module, "check_archive", recorded_check)
    window = driver.open(root)
    shown = window.archive
    qtbot.waitUntil(lambda: results == [True], timeout=5000)
    qtbot.waitUntil(lambda: not window.session.busy, timeout=5000)
    assert window.archive is shown  # nothing handed over again
