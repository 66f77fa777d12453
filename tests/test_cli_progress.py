"""Progress of the command line's long steps on stderr: a bar on a terminal, a start and
an end line otherwise, nothing for a step that does not make anyone wait."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from reader import progress
from reader.cli import main
from tests.conftest import REPO, post_text


@pytest.fixture
def archive(write_archive):
    return write_archive(
        {f"_posts/2022-06-0{day}-p{day}.md": post_text(f"央行 {day}") for day in range(1, 4)}
    )


def test_a_step_that_makes_one_wait_says_when_it_starts_and_ends(archive, monkeypatch, capsys):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    assert main(["search", str(archive), "央行"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "reader: reading 3 files…"
    assert err[1].startswith("reader: read 3 files in ") and err[1].endswith(" s")
    assert err[2] == "reader: indexing 3 posts for search…"
    assert err[3].startswith("reader: indexed 3 posts for search in ")
    assert len(err) == 4
    # Nothing left to read or index (both caches are warm): nothing to say.
    assert main(["search", str(archive), "央行"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["check", str(archive), "--debug"]) == 0


def test_a_quick_step_says_nothing(archive, capsys):
    assert main(["search", str(archive), "央行"]) == 0
    assert main(["list", str(archive)]) == 0
    assert capsys.readouterr().err == ""


def test_on_a_terminal_the_progress_is_a_bar_drawn_in_place(archive, tmp_path):
    probe = (
        "import sys\n"
        "from reader import progress\n"
        "progress.SHOW_AFTER_S = 0.0\n"
        "from reader.cli import main\n"
        f"sys.exit(main(['search', {str(archive)!r}, '央行']))\n"
    )
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", probe], cwd=REPO, stdout=subprocess.DEVNULL, stderr=follower
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
    finally:
        os.close(leader)
    shown = b"".join(chunks).decode()
    assert "\rreader: reading 3 files [" + "#" * progress.BAR_WIDTH + "] 3/3" in shown
    assert "\rreader: indexing 3 posts for search [" in shown
    assert "reading 3 files…" not in shown, "no start line on a terminal: the bar says it"
    # The bar is cleared, then the end line written.
    assert re.search(r"\r\x1b\[Kreader: read 3 files in [0-9.]+ s\r?\n", shown), shown
    assert re.search(r"\r\x1b\[Kreader: indexed 3 posts for search in [0-9.]+ s\r?\n", shown), shown
