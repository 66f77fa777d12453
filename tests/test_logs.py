"""Debug lines: on stderr with ``READER_DEBUG=1`` or ``--debug``, and never otherwise."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from reader import logs
from reader.cli import main
from reader.core.paths import bundled_seeds
from tests.conftest import REPO, post_text


@pytest.fixture(autouse=True)
def _debug_lines_off_afterwards() -> Iterator[None]:
    yield
    logs.configure(False)


def _check(environment: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != logs.DEBUG_VARIABLE} | environment
    return subprocess.run(
        [sys.executable, "-m", "reader", "check", *options, str(bundled_seeds())],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_reader_debug_1_writes_debug_lines_on_stderr():
    result = _check({logs.DEBUG_VARIABLE: "1"})
    assert result.returncode == 1, result.stderr  # the sample shows problems on purpose
    assert " reader.cli DEBUG: loading " in result.stderr
    assert " reader.cli DEBUG: loaded 22 posts in " in result.stderr
    assert "DEBUG" not in result.stdout  # the output scripts read stays as it was


@pytest.mark.slow
def test_without_reader_debug_there_is_no_debug_line():
    quiet = _check({})
    off = _check({logs.DEBUG_VARIABLE: "0"})
    assert quiet.stderr == off.stderr == ""
    assert quiet.stdout == off.stdout
    assert "Problems: 4" in quiet.stdout


@pytest.mark.parametrize("command", ["check", "list", "search"])
def test_debug_option_of_every_script_command(command, write_archive, capsys):
    root = write_archive({"_posts/2022-06-01-a.md": post_text()})
    main([command, "--debug", str(root), *(["post"] if command == "search" else [])])
    err = capsys.readouterr().err
    assert f"reader.cli DEBUG: reader {__import__('reader').__version__}: {command}" in err
    logs.configure(False)
    main([command, str(root), *(["post"] if command == "search" else [])])
    assert "DEBUG" not in capsys.readouterr().err


def test_search_says_how_it_used_its_index(write_archive, capsys):
    root = write_archive({"_posts/2022-06-01-a.md": post_text(title="Hello")})
    assert main(["search", "--debug", str(root), "hello"]) == 0
    err = capsys.readouterr().err
    assert "reader.core.search DEBUG: index brought up to date: 1 files read" in err
    assert "reader.core.search DEBUG: 1 hits in " in err


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("yes", True), ("", False), ("0", False), ("off", False), ("false", False)]
)
def test_which_values_of_reader_debug_turn_it_on(value, on):
    assert logs.debug_requested({logs.DEBUG_VARIABLE: value}) is on
    assert logs.debug_requested({}) is False


def test_a_warning_is_said_once_when_another_handler_says_warnings(capsys):
    logs.configure(True, warnings_said_elsewhere=True)
    logging.getLogger("reader.core.cache").warning("the cache cannot be written")
    logging.getLogger("reader.core.cache").debug("a detail")
    err = capsys.readouterr().err
    assert "reader.core.cache WARNING" not in err  # the other handler's to say
    assert "reader.core.cache DEBUG: a detail" in err
    logs.configure(True)
    logging.getLogger("reader.core.cache").warning("the cache cannot be written")
    assert "reader.core.cache WARNING: the cache cannot be written" in capsys.readouterr().err


def test_configuring_twice_keeps_one_handler():
    logs.configure(True)
    logs.configure(True)
    handlers = logging.getLogger(logs.ROOT_LOGGER).handlers
    assert sum(isinstance(h, logs.DebugLines) for h in handlers) == 1
    logs.configure(False)
    assert not any(isinstance(h, logs.DebugLines) for h in logging.getLogger(logs.ROOT_LOGGER).handlers)
    assert not logging.getLogger("reader.cli").isEnabledFor(logging.DEBUG)


def test_the_window_takes_debug_too(monkeypatch):
    from reader import cli

    assert cli._window_parser().parse_args(["--debug", "somewhere"]).debug is True
    assert cli._window_parser().parse_args(["somewhere"]).debug is False
    started: list[bool] = []

    class FakeApp:
        @staticmethod
        def run(*_args: object) -> int:
            started.append(logging.getLogger("reader.ui.app").isEnabledFor(logging.DEBUG))
            return 0

    monkeypatch.setitem(sys.modules, "reader.ui.app", FakeApp)
    import reader.ui

    monkeypatch.setattr(reader.ui, "app", FakeApp, raising=False)
    assert main(["--debug", str(bundled_seeds())]) == 0
    assert main([str(bundled_seeds())]) == 0
    assert started == [True, False]
