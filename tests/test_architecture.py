"""The core never imports Qt: checked on the source, so no code path can sneak it in."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "reader.ui")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_qt_or_the_ui():
    core_files = sorted((REPO / "reader" / "core").rglob("*.py"))
    assert core_files, "the core package is where it should be"
    offenders = {
        str(path.relative_to(REPO)): sorted(m for m in imported_modules(path) if m.startswith(FORBIDDEN))
        for path in core_files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_cli_imports_qt_only_inside_functions():
    tree = ast.parse((REPO / "reader" / "cli.py").read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    modules = {alias.name for n in top_level if isinstance(n, ast.Import) for alias in n.names}
    modules |= {n.module for n in top_level if isinstance(n, ast.ImportFrom) and n.module}
    assert not [m for m in modules if m.startswith(FORBIDDEN)]


def test_the_check_can_fail(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport reader.ui.main_window\n")
    assert imported_modules(sample) == {"PySide6.QtCore", "reader.ui.main_window"}
