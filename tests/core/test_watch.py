"""The folder watcher gathers a burst of events into one change."""

from __future__ import annotations

import os
import threading
import time

import pytest
from watchdog.events import DirModifiedEvent, FileCreatedEvent, FileMovedEvent, FileOpenedEvent

from reader.core import watch
from reader.core.watch import ArchiveWatcher
from tests.core.hostile import folder_for_deep_trees, make_deep_folders


def test_a_burst_is_one_change_with_every_path_and_one_timer(tmp_path, monkeypatch):
    changes: list[set[str]] = []
    arrived = threading.Event()

    def on_change(paths: set[str]) -> None:
        changes.append(paths)
        arrived.set()

    timers = []
    real_timer = threading.Timer

    def counted_timer(*arguments, **options):
        timers.append(1)
        return real_timer(*arguments, **options)

    monkeypatch.setattr(watch.threading, "Timer", counted_timer)
    watcher = ArchiveWatcher(tmp_path, on_change, quiet_seconds=0.5)
    root = str(watcher.root)
    started = time.monotonic()
    for i in range(1500):  # the daily move: a move per post and its folders' changes
        watcher.dispatch(FileMovedEvent(f"{root}/_posts/p{i}.md", f"{root}/old_post/p{i}.md"))
        watcher.dispatch(DirModifiedEvent(f"{root}/old_post"))
        watcher.dispatch(FileOpenedEvent(f"{root}/old_post/p{i}.md"))  # reading is no change
        if i % 500 == 0:
            time.sleep(0.05)  # shorter than the quiet time: still the same burst
    watcher.dispatch(FileCreatedEvent(f"{root}/.git/index"))  # ignored folders are no change
    assert arrived.wait(5)
    assert time.monotonic() - started >= 0.15 + 0.5, "reported once the burst was quiet"
    time.sleep(0.4)
    assert len(changes) == 1
    expected = {f"{root}/_posts/p{i}.md" for i in range(1500)} | {
        f"{root}/old_post/p{i}.md" for i in range(1500)
    }
    assert changes[0] == expected | {f"{root}/old_post/"}, "a folder ends with a separator"
    assert len(timers) <= 5, f"{len(timers)} timers for one burst"
    watcher.dispatch(FileCreatedEvent(f"{root}/_posts/new.md"))
    watcher.stop()
    time.sleep(0.7)
    assert len(changes) == 1, "nothing is reported once stopped"


def test_files_opened_are_not_watched(tmp_path):
    """Loads and index builds open every file: those events would fill the kernel's
    queue, which then drops real changes (inotify: "queue overflowed")."""
    pytest.importorskip("watchdog.observers.inotify")
    from watchdog.observers.inotify_c import InotifyConstants

    watcher = ArchiveWatcher(tmp_path, lambda paths: None)
    watcher.start()
    try:
        masks = [emitter.get_event_mask_from_filter() for emitter in watcher._observer.emitters]
    finally:
        watcher.stop()
    assert masks
    for mask in masks:
        assert not mask & (InotifyConstants.IN_OPEN | InotifyConstants.IN_CLOSE_NOWRITE)
        assert mask & InotifyConstants.IN_MODIFY and mask & InotifyConstants.IN_MOVE


def test_folders_nested_thousands_deep_are_watched():
    """watchdog calls os.walk, which in Python 3.11 calls itself once per level: about
    990 levels deep, starting the watcher raised RecursionError and nothing was followed."""
    pytest.importorskip("watchdog.observers.inotify")
    changes: list[set[str]] = []
    arrived = threading.Event()

    def on_change(paths: set[str]) -> None:
        changes.append(paths)
        arrived.set()

    with folder_for_deep_trees() as root:
        bottom = make_deep_folders(root, 1500, {"_posts/2022-06-01-old.md": b"---\n---\n"})
        watcher = ArchiveWatcher(root, on_change, quiet_seconds=0.2)
        watcher.start()
        try:
            assert watcher.running
            make_deep_folders(root / bottom, 0, {"2022-06-02-new.md": b"---\n---\n"})
            assert arrived.wait(10)
        finally:
            watcher.stop()
    assert f"{watcher.root}/{bottom}/2022-06-02-new.md" in set().union(*changes)


def test_the_walk_given_to_watchdog_walks_as_os_walk(tmp_path):
    for folder in ("a/b/c", "a/d", "e", ".hidden/f"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "file.md").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "link").symlink_to(tmp_path / "e", target_is_directory=True)
    for top in (str(tmp_path), os.fsencode(tmp_path)):
        for follow in (False, True):
            assert list(watch._walk(top, followlinks=follow)) == list(os.walk(top, followlinks=follow))
    pruned = []
    for folder, folders, _ in watch._walk(str(tmp_path)):
        pruned.append(folder)
        folders[:] = [name for name in folders if name != "a"]  # as os.walk allows
    assert pruned == [folder for folder, *_ in os.walk(tmp_path) if "/a" not in folder[len(str(tmp_path)) :]]
