"""View → Theme and View → Language: a choice of one, checked. Texts in the window's
context ("MainWindow"), as the rest of its menus (see :mod:`reader.ui.actions`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from reader.ui.theme import THEMES


def _choices(
    menu: QMenu, labels: dict[str, str], current: str, chosen: Callable[[str], None]
) -> dict[str, QAction]:
    """One checkable action a choice in ``menu``, ``current`` checked."""
    group = QActionGroup(menu)
    actions: dict[str, QAction] = {}
    for name, label in labels.items():
        action = QAction(label, menu, checkable=True)
        action.setChecked(name == current)
        action.triggered.connect(lambda _checked=False, n=name: chosen(n))
        group.addAction(action)
        menu.addAction(action)
        actions[name] = action
    return actions


def add_theme_menu(menu: QMenu, current: str, chosen: Callable[[str], None]) -> dict[str, QAction]:
    """View → Theme in ``menu``: an action for each theme, by name."""
    labels = {
        "system": QCoreApplication.translate("MainWindow", "&System"),
        "light": QCoreApplication.translate("MainWindow", "&Light"),
        "dark": QCoreApplication.translate("MainWindow", "&Dark"),
    }
    submenu = menu.addMenu(QCoreApplication.translate("MainWindow", "&Theme"))
    return _choices(submenu, {name: labels[name] for name in THEMES}, current, chosen)


def add_language_menu(menu: QMenu, current: str, chosen: Callable[[str], None]) -> dict[str, QAction]:
    """View → Language in ``menu``: an action for each language, by code."""
    labels = {
        "system": QCoreApplication.translate("MainWindow", "&System"),
        "en": QCoreApplication.translate("MainWindow", "English"),
        "zh_CN": QCoreApplication.translate("MainWindow", "简体中文"),
    }
    submenu = menu.addMenu(QCoreApplication.translate("MainWindow", "&Language"))
    return _choices(submenu, labels, current, chosen)
