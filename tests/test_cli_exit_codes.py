"""Exit codes mean one thing each, and no command ends in a traceback.

0 success; 1 problems found (``check``) or no match (``search``); 2 an unusable folder or
arguments; 3 an unexpected error, said in one line on stderr. A cache folder that cannot
be written changes none of them: a warning on stderr, the same output.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import cli
from tests.conftest import NO_MATCH, REPO, post_text, without_no_match
from tests.faults import cache_env, full_disk, read_only_disk, run_reader

pytestmark = pytest.mark.slow  # every test runs ``reader`` in new processes


@pytest.fixture
def clean(write_archive):
    return write_archive(
        {
            "_posts/2022-06-01-a.md": post_text(title="降准", categories="x").replace("Body text.", "央行"),
            "_posts/2022-06-02-b.md": post_text(title="港股收评", tags="t"),
        }
    )


@pytest.fixture
def troubled(tmp_path):
    root = tmp_path / "troubled"
    (root / "_posts").mkdir(parents=True)
    (root / "_posts/2022-06-01-a.md").write_text(post_text(title="央行"), encoding="utf-8")
    (root / "_posts/2022-06-02-b.md").write_bytes(b"\x00binary")
    return root


def cases(clean: Path, troubled: Path, tmp_path: Path) -> list[tuple[list[str], int]]:
    missing, a_file = str(tmp_path / "missing"), str(clean / "_posts/2022-06-01-a.md")
    return [
        (["check", str(clean)], 0),
        (["check", str(troubled)], 1),
        (["check", missing], 2),
        (["check", a_file], 2),
        (["list", str(clean)], 0),
        (["list", str(troubled), "--json"], 0),
        (["list", missing, "--json"], 2),
        (["search", str(clean), "央行"], 0),
        (["search", str(clean), "央行", "--json", "--limit", "1"], 0),
        (["search", str(clean), "不存在"], 1),
        (["search", str(clean), "--json", "--", "-央行"], 0),
        (["search", missing, "央行"], 2),
        (["search", str(clean)], 2),  # no query
        (["search", str(clean), "x", "--limit", "many"], 2),
        (["list", str(clean), "--bogus"], 2),
        ([missing], 2),  # the window, on a folder that is not there
    ]


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr


def test_each_command_exits_with_what_its_outcome_means(clean, troubled, tmp_path):
    env = cache_env(tmp_path / "cache")
    for arguments, code in cases(clean, troubled, tmp_path):
        result = run_reader(*arguments, env=env)
        assert result.returncode == code, (arguments, result.stderr)
        no_traceback(result)
        if code in (0, 1) and arguments[0] == "search":
            assert without_no_match(result.stderr) == [], (arguments, result.stderr)
            assert result.stderr.startswith(NO_MATCH) == (code == 1), (arguments, result.stderr)
        elif code in (0, 1):
            assert result.stderr == "", (arguments, result.stderr)
        else:
            assert result.stderr.strip(), "an unusable folder or argument is named"


def outcome(arguments: list[str], env: dict[str, str]) -> tuple[int, object, list[str]]:
    """(exit code, output, stderr lines); search output as a set: without an index, the
    files are read and equal matches come newest first."""
    result = run_reader(*arguments, env=env)
    no_traceback(result)
    output: object = result.stdout
    if arguments[0] == "search":
        output = (
            {row["path"] for row in json.loads(result.stdout)}
            if "--json" in arguments
            else set(result.stdout.splitlines())
        )
    return result.returncode, output, without_no_match(result.stderr)


@contextlib.contextmanager
def unwritable(fault: str, tmp_path: Path) -> Iterator[Path]:
    """A cache folder that cannot be written, by ``fault``."""
    if fault == "a full disk":
        with full_disk(0) as folder:
            yield folder
    elif fault == "a read-only disk":
        with read_only_disk() as folder:
            yield folder
    else:  # its place taken by a file
        (tmp_path / "a-file").write_text("not a folder")
        yield tmp_path / "a-file"


@pytest.mark.parametrize("fault", ["a file", "a full disk", "a read-only disk"])
def test_a_cache_folder_that_cannot_be_written_changes_no_exit_code(clean, troubled, tmp_path, fault):
    reference = cache_env(tmp_path / "reference")
    with unwritable(fault, tmp_path) as cache_home:
        env = cache_env(cache_home)
        for arguments, code in cases(clean, troubled, tmp_path):
            expected_code, expected_output, quiet = outcome(arguments, reference)
            assert quiet == [] or expected_code == 2
            got_code, got_output, warnings = outcome(arguments, env)
            assert (got_code, got_output) == (code, expected_output), (arguments, warnings)
            if code == 2:
                continue
            assert warnings, f"{arguments}: the cache that was not written is mentioned"
            assert all(line.startswith("reader: warning: ") for line in warnings), warnings
            assert len(set(warnings)) == len(warnings), "each said once"
            assert len(warnings) <= 2, warnings  # the load cache, and for search the index


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "{troubled}"],
        ["list", "{clean}"],
        ["list", "{clean}", "--json"],
        ["search", "{clean}", "央行"],
    ],
)
def test_output_that_cannot_be_written_is_exit_3_and_one_line(clean, troubled, tmp_path, arguments):
    """A real fault: stdout is /dev/full (every write fails: no space left)."""
    arguments = [a.format(clean=clean, troubled=troubled) for a in arguments]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "reader", *arguments],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=cache_env(tmp_path / "cache"),
            timeout=120,
            check=False,
        )
    assert result.returncode == 3, result.stderr
    no_traceback(result)
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("reader: error: ") and "No space left on device" in result.stderr


def test_an_unexpected_error_is_exit_3_and_one_line(clean, tmp_path):
    """A failure no rule foresaw, inside a command (a bug, say): one line, exit 3."""
    probe = (
        "import sys, reader.cli as cli, reader.core.archive as archive\n"
        "def broken(path, **_options):\n"
        "    raise RuntimeError('the index of the archive\\nis not what it should be')\n"
        "archive.load_archive = broken\n"
        f"sys.exit(cli.main(['check', {str(clean)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=cache_env(tmp_path / "cache"),
        timeout=120,
        check=False,
    )
    assert result.returncode == 3
    no_traceback(result)
    assert result.stderr == "reader: error: RuntimeError: the index of the archive is not what it should be\n"


def test_an_interrupt_is_exit_130_without_a_traceback(monkeypatch, capsys):
    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_main", interrupted)
    assert cli.main(["list", "."]) == 130
    assert capsys.readouterr().err == ""
