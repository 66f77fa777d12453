"""The layers hold: the import-linter contracts in pyproject.toml, on the whole import
graph (indirect imports included), and the command line's Qt kept inside functions."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "reader.ui")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on ``project`` (a folder with ``pyproject.toml`` and ``reader/``)."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
            "pyproject.toml",
        ],
        capture_output=True,
        text=True,
        cwd=project,
        env=os.environ | {"PYTHONPATH": str(project)},
        check=False,
    )


def test_every_import_contract_is_kept():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    shutil.copytree(
        REPO / "reader", tmp_path / "reader", ignore=shutil.ignore_patterns("*.so", "__pycache__")
    )
    return tmp_path


def test_the_core_contract_sees_an_indirect_import_of_qt(copy_of_the_package):
    project = copy_of_the_package
    (project / "reader" / "go_between.py").write_text("import PySide6.QtCore\n")
    (project / "reader" / "core" / "innocent.py").write_text("import reader.go_between\n")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "The core never imports Qt, the window or the command line BROKEN" in result.stdout
    assert "reader.core.innocent -> reader.go_between" in result.stdout


def test_the_window_contract_sees_a_part_reaching_up(copy_of_the_package):
    project = copy_of_the_package
    with (project / "reader" / "ui" / "viewer.py").open("a") as viewer:
        viewer.write("\nimport reader.ui.main_window\n")
    result = lint_imports(project)
    assert result.returncode == 1
    assert "parts never reach up or across BROKEN" in " ".join(result.stdout.split())
    assert "reader.ui.viewer -> reader.ui.main_window" in result.stdout


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


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


#: What the top of tests/ holds: the command line, logging, these contracts, the
#: standalone build's smoke test (packaging/), and the suite's own helpers' tests;
#: every other test sits beside its package's others.
TOP_LEVEL_TESTS = ("test_cli", "test_logs", "test_architecture", "test_faults", "test_packaging")


def test_tests_are_laid_out_like_the_package():
    strays = [p.name for p in (REPO / "tests").glob("test_*.py") if not p.stem.startswith(TOP_LEVEL_TESTS)]
    assert strays == [], "tests of reader/core go in tests/core, of reader/ui in tests/ui"
    for part in ("core", "ui"):
        assert (REPO / "reader" / part).is_dir() and (REPO / "tests" / part / "__init__.py").is_file()
