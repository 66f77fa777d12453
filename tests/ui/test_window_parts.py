"""The window is an assembly of parts: the parts never reach back into it, and data
flows one way (the loader loads an archive and knows nothing of marks)."""

from __future__ import annotations

import inspect

from reader.ui.loader import ArchiveLoader
from tests.conftest import REPO
from tests.test_architecture import imported_modules

UI = REPO / "reader" / "ui"
#: The modules that may import the window: the window itself and the program's start.
ASSEMBLERS = {"main_window.py", "app.py", "__init__.py"}


def test_no_part_imports_the_window():
    offenders = {
        path.name: sorted(m for m in imported_modules(path) if m == "reader.ui.main_window")
        for path in sorted(UI.glob("*.py"))
        if path.name not in ASSEMBLERS
    }
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(offenders) >= 15, "the parts are where they should be"


def test_the_loader_knows_nothing_of_marks():
    assert not any("state" in module for module in imported_modules(UI / "loader.py"))
    parameters = set(inspect.signature(ArchiveLoader.load).parameters)
    assert parameters == {"self", "root", "use_cache", "changed", "preview", "check"}


def test_the_window_declares_no_state_as_class_attributes():
    """State lives in ``__init__`` of its part: the class holds only its signals,
    methods and properties."""
    from PySide6.QtCore import Signal

    from reader.ui.main_window import MainWindow

    loose = [
        name
        for name, value in vars(MainWindow).items()
        if not name.startswith("__")
        and name != "staticMetaObject"
        and not callable(value)
        and not isinstance(value, (property, Signal, staticmethod, classmethod))
    ]
    assert loose == []


def _holds(value: object, window: object) -> bool:
    """Whether ``value`` is the window, a method of it, or a container holding either."""
    if value is window or getattr(value, "__self__", None) is window:
        return True
    if isinstance(value, dict):
        return any(_holds(item, window) for item in value.values())
    if isinstance(value, (list, tuple, set)):
        return any(_holds(item, window) for item in value)
    return False


def test_no_part_holds_the_window(driver):
    """A part that kept the window would make a cycle, and the cyclic collector may
    free the window on whatever thread it runs (a Qt widget must go on the UI thread).
    Qt's parent link does not count: it is C++'s, not a Python reference."""
    window = driver.window
    parts = {
        name: value
        for name, value in vars(window).items()
        if type(value).__module__.startswith("reader.ui.") and value is not window
    }
    assert {"navigation", "display", "search_results", "marks_actions", "images", "saving"} <= set(parts)
    holding = sorted(name for name, part in parts.items() if _holds(vars(part), window))
    assert holding == []


def test_the_check_for_a_held_window_can_fail(driver):
    window = driver.window
    assert _holds({"kept": [window.close]}, window)
    assert not _holds({"kept": [window.viewer]}, window)
