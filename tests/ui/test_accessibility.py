"""Keyboard reach, focus order, accessible names, and the window at twice the size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.conftest import post_text, take_screenshot


def test_focus_order_is_tree_list_viewer_search(driver, write_archive, qtbot):
    window = driver.open(write_archive({"_posts/2022-06-01-x.md": post_text()}))
    window.tree.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [window.tree, window.list, window.viewer, window.search_box]


def test_panes_have_accessible_names(driver):
    window = driver.window
    names = [w.accessibleName() for w in (window.tree, window.list, window.viewer, window.search_box)]
    assert all(names) and len(set(names)) == 4


def test_every_action_with_keys_is_in_a_menu(driver):
    window = driver.window
    in_menus = set()
    for menu_action in window.menuBar().actions():
        stack = [menu_action.menu()]
        while stack:
            menu = stack.pop()
            for action in menu.actions():
                if action.menu():
                    stack.append(action.menu())
                in_menus.add(action)
    with_keys = [a for a in window.actions() if not a.shortcut().isEmpty()]
    assert with_keys and all(a in in_menus for a in with_keys)
    assert all("&" in m.text() for m in window.menuBar().actions()), "menus open with Alt+letter"


@pytest.mark.slow
def test_window_at_twice_the_size_is_whole(tmp_path):
    """QT_SCALE_FACTOR=2: the same 1280×800 layout at 200%, nothing cut off."""
    target = tmp_path / "x2.png"
    take_screenshot(target, QT_SCALE_FACTOR="2")
    image = QImage(str(target))
    assert (image.width(), image.height()) == (2560, 1600)
    # The status bar's text is still drawn at the bottom: the layout was not squeezed off.
    bottom = {image.pixel(x, 1600 - 20) for x in range(0, 1200, 4)}
    assert len(bottom) > 3
