"""Without a display the window cannot open: Reader says so, and what works without one,
instead of Qt's abort (exit 134) advising to reinstall."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reader.core.paths import bundled_seeds
from tests.conftest import REPO


def start_window(**environment: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "reader", str(bundled_seeds())],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="these systems need no display server")
def test_without_a_display_reader_says_so_and_what_works_without_one():
    result = start_window()
    assert result.returncode == 2
    assert "no display" in result.stderr
    assert "reader check" in result.stderr and "--screenshot" in result.stderr
    assert "Reinstalling" not in result.stderr


def test_a_platform_qt_cannot_load_is_said_in_reader_words_not_an_abort():
    result = start_window(QT_QPA_PLATFORM="no-such-platform")
    assert result.returncode == 2, result.stderr
    assert "reader: the window cannot start" in result.stderr
    assert "reader check" in result.stderr
    assert "Reinstalling" not in result.stderr
