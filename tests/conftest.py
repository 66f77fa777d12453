"""Test set-up. Qt runs offscreen: this must happen before anything imports Qt."""

from __future__ import annotations

import os
import re

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: A post shaped exactly like the real news mirror's (a ``.txt`` file outside ``_posts/``
#: whose name has no date, raw HTML paragraphs, an image, the source's links), kept in
#: the repository so that every test runs from a fresh clone.
NEWS_SEED = REPO / "tests" / "fixtures" / "news"

WriteArchive = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test gets its own settings, data and cache folders (platformdirs reads XDG_*)."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    yield


@pytest.fixture
def write_archive(tmp_path: Path) -> WriteArchive:
    """Write ``{relative path: text or bytes}`` under a fresh folder and return it."""

    def write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "archive"
        root.mkdir(exist_ok=True)
        for relative, content in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="")
        return root

    return write


@pytest.fixture
def news_seed() -> Path:
    """The folder of :data:`NEWS_SEED`'s one post."""
    return NEWS_SEED


#: The lines a command's step that took over a second says on stderr (not on a
#: terminal): its start and its end (see reader/progress.py).
PROGRESS_LINE = re.compile(
    r"reader: (reading [\d,]+ files…|read [\d,]+ files in [\d.]+ s|"
    r"indexing [\d,]+ posts for search…|indexed [\d,]+ posts for search in [\d.]+ s)"
)


def without_progress(stderr: str) -> str:
    """``stderr`` without the progress lines: a big archive on a busy machine shows
    them, a small one or a quiet machine not."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if not PROGRESS_LINE.fullmatch(line.rstrip("\n"))
    )


#: How ``reader search`` begins the line it says on stderr when nothing matches.
NO_MATCH = "reader: no posts match "


def without_no_match(stderr: str) -> list[str]:
    """The lines of ``stderr`` but the one that says a search found nothing."""
    return [line for line in stderr.splitlines() if not line.startswith(NO_MATCH)]


def post_text(title: str | None = "A post", date: str | None = None, **fields: str) -> str:
    """A post's text with simple front matter; ``fields`` are written as given."""
    lines = ["---", "layout: post"]
    if title is not None:
        lines.append(f'title: "{title}"')
    if date is not None:
        lines.append(f"date: {date}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", "", "Body text.", ""]
    return "\n".join(lines)


def deny_reading(monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Make reading any post file whose path ends with ``suffix`` fail as unreadable."""
    from reader.core import reading as reading_module

    real = reading_module._read_head

    def deny(path: str, folder: int | None) -> tuple[bytes, int, int]:
        if path.endswith(suffix):
            raise PermissionError(13, "Permission denied", path)
        return real(path, folder)

    monkeypatch.setattr(reading_module, "_read_head", deny)


def take_screenshot(target: Path, *arguments: str, **environment: str) -> None:
    """Run ``reader --screenshot TARGET`` in a new process (offscreen) on the bundled sample."""
    import subprocess
    import sys

    from reader.core.paths import bundled_seeds

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **environment}
    command = [sys.executable, "-m", "reader", "--screenshot", str(target), *arguments]
    command.append(str(bundled_seeds()))
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
