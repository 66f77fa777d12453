"""The table of actions and menus: each action named once, reachable, with its keys."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from reader.ui.actions import ACTIONS, MENUS, SEPARATOR


def test_each_action_is_named_once_and_in_one_menu() -> None:
    names = [row.name for row in ACTIONS]
    assert len(names) == len(set(names))
    in_menus = [
        item for _title, items in MENUS for item in items if item != SEPARATOR and not item.startswith("@")
    ]
    assert sorted(in_menus) == sorted(names), "every action in exactly one menu, every item an action"


def test_no_two_actions_share_a_key() -> None:
    keys = [QKeySequence(key).toString() for row in ACTIONS for key in row.keys]
    assert len(keys) == len(set(keys))


def test_the_window_has_each_action_calling_its_slot(driver) -> None:
    window = driver.window
    for row in ACTIONS:
        action = getattr(window, f"act_{row.name}")
        assert [key.toString() for key in action.shortcuts()] == [
            QKeySequence(k).toString() for k in row.keys
        ]
        assert action.isCheckable() == row.checkable
    window.act_zoom_in.trigger()
    window.act_zoom_in.trigger()
    window.act_zoom_out.trigger()
    assert window.zoom_level == 1
    window.act_zoom_reset.trigger()
    assert window.zoom_level == 0
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&View", "&Go", "&Post", "&Help"]
    view = window.menuBar().actions()[1].menu()
    assert [a.text() for a in view.actions()][-2:] == ["&Theme", "&Language"]
