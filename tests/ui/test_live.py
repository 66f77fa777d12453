"""Following the archive while it changes: adds, edits, deletes and the daily move."""

from __future__ import annotations

import os
import threading
import time
from functools import partial

import pytest

import reader.ui.loader as loader_module
from reader.core.archive import update_archive
from tests.conftest import post_text

FOLLOW_WITHIN_MS = 2000


def titles(window) -> set[str]:
    return {post.title for post in window.archive.posts}


@pytest.fixture
def live(driver, write_archive, qtbot):
    root = write_archive({f"_posts/2022-06-0{i}-p{i}.md": post_text(title=f"P{i}") for i in range(1, 4)})
    window = driver.open(root)
    qtbot.waitUntil(lambda: window.following, timeout=5000)
    return window, root


def wait_for(qtbot, window, condition) -> float:
    started = time.perf_counter()
    qtbot.waitUntil(lambda: window.archive is not None and condition(), timeout=FOLLOW_WITHIN_MS)
    return time.perf_counter() - started


def test_a_new_post_appears_unread(live, qtbot):
    window, root = live
    (root / "_posts/2022-06-09-new.md").write_text(post_text(title="New"), encoding="utf-8")
    wait_for(qtbot, window, lambda: "New" in titles(window) and window.counts.text() == "4 posts · 4 unread")
    assert not window.state.is_read("2022-06-09-new.md")


def test_an_edit_in_place_shows(live, qtbot):
    window, root = live
    path = root / "_posts/2022-06-01-p1.md"
    with path.open("a", encoding="utf-8") as handle:  # in place: no new file, no rename
        handle.write("\nMore.\n")
    before = path.stat().st_mtime_ns
    text = path.read_text(encoding="utf-8").replace('title: "P1"', 'title: "P1 edited"')
    with path.open("r+", encoding="utf-8") as handle:
        handle.write(text)
    os.utime(path, ns=(before + 10**6, before + 10**6))
    wait_for(qtbot, window, lambda: "P1 edited" in titles(window))


def test_a_deleted_post_goes(live, qtbot):
    window, root = live
    (root / "_posts/2022-06-02-p2.md").unlink()
    wait_for(qtbot, window, lambda: titles(window) == {"P1", "P3"})


def test_a_change_seen_as_an_update_ends_waits_for_its_result(live, qtbot, monkeypatch):
    """The watcher can report a change after an update's thread ended but before the
    window took its result. Started then, the next update would begin from the archive
    shown, and the finished one, now stale, would be dropped with the changes it read."""
    window, root = live
    window.session.follower.stop()  # the changes come from this test only
    gate = threading.Event()

    def held_update(*arguments):
        gate.wait(10)
        return update_archive(*arguments)

    monkeypatch.setattr(loader_module, "update_archive", held_update)
    first, second = root / "_posts/2022-06-09-first.md", root / "_posts/2022-06-10-second.md"
    first.write_text(post_text(title="First"), encoding="utf-8")
    window.session.follower.changed_on_disk({str(first)})
    qtbot.waitUntil(lambda: window.loader.busy, timeout=FOLLOW_WITHIN_MS)
    second.write_text(post_text(title="Second"), encoding="utf-8")
    window.session.follower.changed_on_disk({str(second)})  # queued: handled before the update's result
    gate.set()
    for thread in list(window.loader._threads):
        thread.wait()
    assert window.loader.busy, "a finished update is busy until its result is handled"
    wait_for(qtbot, window, lambda: {"First", "Second"} <= titles(window))


def test_a_loaded_archive_is_handed_over_after_what_waited_meanwhile(write_archive, qtbot):
    """A load ends with a garbage collection that holds the GIL (20-25 ms at 100,000
    posts). Timers, input and paints that fell due meanwhile go before the window's turn
    with the new posts, not after it: the two would make one long pause."""
    from PySide6.QtCore import QCoreApplication, QTimer

    root = write_archive({"_posts/2022-06-01-a.md": post_text()})
    loader = loader_module.ArchiveLoader()
    order: list[str] = []
    loader.loaded.connect(lambda archive: order.append("loaded"))
    loader.load(root)
    thread = loader._threads[-1]
    thread.wait()  # its result and its end are queued for this thread now
    QTimer.singleShot(0, lambda: order.append("due meanwhile"))
    QCoreApplication.sendPostedEvents()  # the queued signals only
    assert loader.busy, "busy until the result is handed over"
    qtbot.waitUntil(lambda: order == ["due meanwhile", "loaded"], timeout=5000)
    assert not loader.busy
    qtbot.waitUntil(lambda: not loader._threads, timeout=5000)  # and the thread is let go of


def test_the_daily_move_of_500_posts_keeps_read_state_and_selection(driver, write_archive, qtbot):
    files = {f"_posts/2022-05-{(i % 28) + 1:02d}-NW{i:04d}.md": post_text(title=f"N{i}") for i in range(500)}
    files["_posts/2022-06-30-today.md"] = post_text(title="Today")
    root = write_archive(files)
    window = driver.open(root)
    qtbot.waitUntil(lambda: window.following, timeout=5000)
    read_keys = [f"2022-05-{(i % 28) + 1:02d}-NW{i:04d}.md" for i in range(0, 500, 2)]
    window.state.set_read(read_keys)
    window.nav_model.recount()
    assert window.select_post_key("2022-05-02-NW0001.md")
    (root / "old_post").mkdir()
    for name in list(os.listdir(root / "_posts")):
        if "NW" in name:
            os.rename(root / "_posts" / name, root / "old_post" / name)
    wait_for(
        qtbot,
        window,
        lambda: (
            all(p.path.startswith("old_post/") for p in window.archive.posts if "NW" in p.path)
            # The post shown before comes back in a turn of its own, after the posts.
            and window.current_post() is not None
        ),
    )
    assert len(window.archive.posts) == 501
    assert all(window.state.is_read(key) for key in read_keys)
    assert window.counts.text() == "501 posts · 250 unread"  # 250 read, and the selected one
    assert window.current_post().key == "2022-05-02-NW0001.md"
    assert window.current_post().path == "old_post/2022-05-02-NW0001.md"


def test_changes_inside_skipped_folders_are_ignored(live, qtbot):
    window, root = live
    loads = []
    window.archive_loaded.connect(lambda: loads.append(1))
    (root / ".git").mkdir()
    (root / ".git" / "index").write_bytes(b"x")
    qtbot.wait(1000)
    assert loads == []


def test_f5_reads_everything_again(live, qtbot, driver):
    from PySide6.QtCore import Qt

    window, _root = live
    with qtbot.waitSignal(window.archive_loaded, timeout=10000):
        driver.key(Qt.Key.Key_F5)
    assert window.archive.files_read == 3


def test_a_replaced_archive_is_freed_in_steps_once_nothing_else_holds_it(live, qtbot):
    """Freeing 100,000 posts at once would stall the window on every reload."""
    window, root = live
    held = window.archive
    rows = held.posts  # the list itself, to watch it being emptied
    (root / "_posts/2022-06-09-new.md").write_text(post_text(title="New"), encoding="utf-8")
    wait_for(qtbot, window, lambda: "New" in titles(window))
    qtbot.wait(300)
    assert len(rows) == 3, "still held here: left alone"
    del held
    qtbot.waitUntil(lambda: rows == [] and window.session.spent.idle, timeout=5000)
    assert titles(window) == {"P1", "P2", "P3", "New"}


def test_a_change_reads_only_the_changed_files(live, qtbot, monkeypatch):
    """Following the folder reads the files that changed, not the whole folder; a new
    folder takes a full load."""
    from reader.ui import loader

    window, root = live
    full_loads = []
    real_load = loader.load_archive

    def counted(*arguments, **options):
        full_loads.append(1)
        return real_load(*arguments, **options)

    monkeypatch.setattr(loader, "load_archive", counted)
    (root / "_posts/2022-06-09-new.md").write_text(post_text(title="New"), encoding="utf-8")
    (root / "_posts/2022-06-01-p1.md").unlink()
    wait_for(qtbot, window, lambda: titles(window) == {"P2", "P3", "New"})
    assert full_loads == [] and window.archive.files_read == 1
    (root / "old_post").mkdir()
    os.rename(root / "_posts/2022-06-02-p2.md", root / "old_post/2022-06-02-p2.md")
    wait_for(qtbot, window, lambda: any(p.path == "old_post/2022-06-02-p2.md" for p in window.archive.posts))
    assert full_loads, "a new folder: the whole folder is read"
    assert titles(window) == {"P2", "P3", "New"}


def test_the_window_keeps_running_while_20000_posts_reload(driver, tmp_path, qtbot, request):
    """A heartbeat every 5 ms keeps beating through a full reload (F5) and a followed
    change of a 20,000-post archive: the window is never frozen. (How short its longest
    pause is, at 100,000 posts, is the benchmark's business: tests/benchmarks/run.py.)"""
    import sys

    from PySide6.QtCore import QElapsedTimer, QTimer

    from reader.ui.app import SWITCH_INTERVAL

    request.addfinalizer(partial(sys.setswitchinterval, sys.getswitchinterval()))
    sys.setswitchinterval(SWITCH_INTERVAL)  # as application() sets it for Reader's window
    root = tmp_path / "big"
    sources = [f"source{i}" for i in range(70)]
    for folder, count in (("old_post", 17_000), ("_posts", 3_000)):
        (root / folder).mkdir(parents=True)
        for i in range(count):
            source = sources[i % 70]
            day = f"2022-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            text = post_text(title=f"新闻 {folder} {i}", date=f"{day} 10:00:00 +0800", categories=source)
            (root / folder / f"{day}-{folder}{i}.md").write_text(
                text.replace("layout: post", f"layout: post\ntags: {source}新闻") + "<p>正文。</p>" * 200,
                encoding="utf-8",
            )
    window = driver.open(root)
    qtbot.waitUntil(lambda: window.following, timeout=10000)
    clock = QElapsedTimer()
    gaps: list[int] = []
    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(lambda: gaps.append(clock.restart()))
    clock.start()
    heart.start()
    with qtbot.waitSignal(window.archive_loaded, timeout=30000):
        window.reload()
    (root / "_posts/2023-01-01-new.md").write_text(post_text(title="New"), encoding="utf-8")
    qtbot.waitUntil(lambda: len(window.archive.posts) == 20_001, timeout=10000)
    heart.stop()
    assert len(gaps) > 20 and max(gaps) < 250, f"longest pause {max(gaps)} ms"
