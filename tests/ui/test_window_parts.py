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
    assert parameters == {"self", "root", "use_cache", "changed"}


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
