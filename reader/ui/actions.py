"""The window's actions and menus, declared as tables and built from them.

Each action is one row of :data:`ACTIONS`: its name (the window's ``act_<name>``), its
text, the window's method it calls (a dotted path, with arguments if any), its keys.
:data:`MENUS` says in which menu each goes. Texts are translated in the window's
context ("MainWindow"), as they were when the window made each action by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

if TYPE_CHECKING:  # Qt's stub says it gives an object: it gives the text

    def QT_TRANSLATE_NOOP(context: str, text: str) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP  # the mark lupdate looks for

CONTEXT = "MainWindow"
# In a menu's list: a separator line.
SEPARATOR = "-"


@dataclass(frozen=True)
class ActionRow:
    name: str  # the window's attribute act_<name>
    text: str  # English; shown translated
    slot: str  # the window's method it calls (dotted: an attribute's method)
    keys: tuple[str, ...] = ()  # the first is the one menus show
    arguments: tuple[object, ...] = ()  # given to the slot; none: the slot gets `checked`
    checkable: bool = False
    enabled: bool = True


ACTIONS: tuple[ActionRow, ...] = (
    ActionRow("open", QT_TRANSLATE_NOOP("MainWindow", "&Open Folder…"), "choose_folder", ("Ctrl+O",)),
    ActionRow("reload", QT_TRANSLATE_NOOP("MainWindow", "&Reload"), "reload", ("F5",)),
    ActionRow(
        "update_archive",
        QT_TRANSLATE_NOOP("MainWindow", "&Update Archive"),
        "updates.update_archive",
        ("Ctrl+U",),
        enabled=False,
    ),
    ActionRow("get_archive", QT_TRANSLATE_NOOP("MainWindow", "&Get Archive…"), "updates.get_archive"),
    ActionRow(
        "git_cancel",
        QT_TRANSLATE_NOOP("MainWindow", "Stop Updating or Getting the Archive"),
        "updates.cancel",
        arguments=(0.0,),
        enabled=False,
    ),
    ActionRow(
        "auto_update",
        QT_TRANSLATE_NOOP("MainWindow", "Update Au&tomatically…"),
        "updates.choose_interval",
    ),
    ActionRow("quit", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), "close", ("Ctrl+Q",)),
    ActionRow(
        "zoom_in", QT_TRANSLATE_NOOP("MainWindow", "Zoom &In"), "appearance.zoom", ("Ctrl+=", "Ctrl++"), (1,)
    ),
    ActionRow(
        "zoom_out", QT_TRANSLATE_NOOP("MainWindow", "Zoom &Out"), "appearance.zoom", ("Ctrl+-",), (-1,)
    ),
    ActionRow(
        "zoom_reset", QT_TRANSLATE_NOOP("MainWindow", "&Actual Size"), "appearance.zoom", ("Ctrl+0",), (0,)
    ),
    ActionRow("font", QT_TRANSLATE_NOOP("MainWindow", "Reading &Font…"), "appearance.choose_reading_font"),
    ActionRow("next", QT_TRANSLATE_NOOP("MainWindow", "&Next Post"), "navigation.move_post", ("J",), (1,)),
    ActionRow(
        "previous", QT_TRANSLATE_NOOP("MainWindow", "&Previous Post"), "navigation.move_post", ("K",), (-1,)
    ),
    ActionRow(
        "next_unread", QT_TRANSLATE_NOOP("MainWindow", "Next &Unread Post"), "navigation.next_unread", ("N",)
    ),
    ActionRow(
        "page",
        QT_TRANSLATE_NOOP("MainWindow", "Scroll Down or Next Unread"),
        "navigation.page_or_next_unread",
        ("Space",),
    ),
    ActionRow(
        "toggle_read", QT_TRANSLATE_NOOP("MainWindow", "Toggle &Read"), "marks_actions.toggle_read", ("M",)
    ),
    ActionRow(
        "mark_unread",
        QT_TRANSLATE_NOOP("MainWindow", "Mark as &Unread"),
        "marks_actions.set_current_read",
        ("U",),
        (False,),
    ),
    ActionRow(
        "toggle_star", QT_TRANSLATE_NOOP("MainWindow", "Toggle &Star"), "marks_actions.toggle_star", ("S",)
    ),
    ActionRow(
        "mark_all",
        QT_TRANSLATE_NOOP("MainWindow", "Mark &All in This View as Read"),
        "marks_actions.mark_all_read",
        ("Ctrl+Shift+M",),
    ),
    ActionRow(
        "open_original",
        QT_TRANSLATE_NOOP("MainWindow", "&Open Original in Browser"),
        "post_links.open_original",
        ("O",),
    ),
    ActionRow("search", QT_TRANSLATE_NOOP("MainWindow", "&Search"), "search_bar.focus", ("/",)),
    ActionRow(
        "find",
        QT_TRANSLATE_NOOP("MainWindow", "&Find in Post / Search"),
        "find_in_post.find_or_search",
        ("Ctrl+F",),
    ),
    ActionRow(
        "copy_text",
        QT_TRANSLATE_NOOP("MainWindow", "Copy Post &Text"),
        "post_links.copy_text",
        ("Ctrl+Shift+C",),
    ),
    ActionRow(
        "copy_link",
        QT_TRANSLATE_NOOP("MainWindow", "Copy Post &Link"),
        "post_links.copy_link",
        ("Ctrl+Shift+L",),
    ),
    ActionRow(
        "next_match",
        QT_TRANSLATE_NOOP("MainWindow", "Next &Match"),
        "viewer.find_highlight",
        ("F3",),
        (False,),
    ),
    ActionRow(
        "previous_match",
        QT_TRANSLATE_NOOP("MainWindow", "Previous Match"),
        "viewer.find_highlight",
        ("Shift+F3",),
        (True,),
    ),
    ActionRow(
        "remote_images",
        QT_TRANSLATE_NOOP("MainWindow", "Load &Remote Images"),
        "images.set_remote",
        checkable=True,
    ),
    ActionRow(
        "offline", QT_TRANSLATE_NOOP("MainWindow", "Make Available &Offline"), "images.make_available_offline"
    ),
    ActionRow(
        "offline_cancel",
        QT_TRANSLATE_NOOP("MainWindow", "Stop Fetching Images"),
        "images.cancel",
        enabled=False,
    ),
    ActionRow("clear_images", QT_TRANSLATE_NOOP("MainWindow", "Clear &Image Cache"), "images.clear_cache"),
    ActionRow("print", QT_TRANSLATE_NOOP("MainWindow", "&Print…"), "printing.print_post", ("Ctrl+P",)),
    ActionRow(
        "export_pdf",
        QT_TRANSLATE_NOOP("MainWindow", "&Export as PDF…"),
        "printing.export_pdf_dialog",
        ("Ctrl+Shift+E",),
    ),
    ActionRow("shortcuts", QT_TRANSLATE_NOOP("MainWindow", "&Keyboard Shortcuts"), "show_shortcuts", ("F1",)),
    ActionRow("about", QT_TRANSLATE_NOOP("MainWindow", "&About Reader"), "show_about"),
)

# Submenus the window fills itself, named in :data:`MENUS` by these words.
RECENT, THEMES, LANGUAGES = "@recent", "@themes", "@languages"

# Each menu of the menu bar: its title and its items (action names, submenus, separators).
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        QT_TRANSLATE_NOOP("MainWindow", "&File"),
        (
            "open",
            RECENT,
            "reload",
            SEPARATOR,
            "update_archive",
            "auto_update",
            "get_archive",
            "git_cancel",
            SEPARATOR,
            "print",
            "export_pdf",
            SEPARATOR,
            "offline",
            "offline_cancel",
            "clear_images",
            SEPARATOR,
            "quit",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "&View"),
        ("zoom_in", "zoom_out", "zoom_reset", "font", "remote_images", SEPARATOR, THEMES, LANGUAGES),
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "&Go"),
        (
            "next",
            "previous",
            "next_unread",
            "page",
            SEPARATOR,
            "search",
            "find",
            "next_match",
            "previous_match",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("MainWindow", "&Post"),
        (
            "toggle_read",
            "mark_unread",
            "toggle_star",
            "mark_all",
            SEPARATOR,
            "open_original",
            "copy_text",
            "copy_link",
        ),
    ),
    (QT_TRANSLATE_NOOP("MainWindow", "&Help"), ("shortcuts", "about")),
)


def translated(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def build_actions(window: QWidget) -> dict[str, QAction]:
    """Every action of :data:`ACTIONS`, on ``window`` (its keys work anywhere in it)."""
    actions: dict[str, QAction] = {}
    for row in ACTIONS:
        action = QAction(translated(row.text), window)
        if row.keys:
            action.setShortcuts([QKeySequence(keys) for keys in row.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(row.checkable)
        action.setEnabled(row.enabled)
        action.triggered.connect(_slot(window, row))
        window.addAction(action)
        actions[row.name] = action
    return actions


def build_menus(
    bar: QMenuBar, actions: dict[str, QAction], submenus: dict[str, Callable[[QMenu], None]]
) -> None:
    """The menus of :data:`MENUS`; ``submenus`` adds the window's own to a menu."""
    for title, items in MENUS:
        menu = bar.addMenu(translated(title))
        for item in items:
            if item == SEPARATOR:
                menu.addSeparator()
            elif item in submenus:
                submenus[item](menu)
            else:
                menu.addAction(actions[item])


def _slot(window: QObject, row: ActionRow) -> Callable[..., object]:
    target: object = window
    for name in row.slot.split("."):
        target = getattr(target, name)
    assert callable(target), row.slot
    method: Callable[..., object] = target
    if not row.arguments:
        return method
    arguments = row.arguments
    return lambda _checked=False: method(*arguments)
