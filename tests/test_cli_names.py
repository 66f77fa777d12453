"""Every command on an archive whose folder, files and categories have names that are not
UTF-8, as a real process under each locale: the documented exit code, UTF-8 output with
each such byte written ``\\xNN``, JSON that parses, with ``path_bytes`` exact."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.core.test_names import BAD_CATEGORY, BAD_POST, POST_COUNT, write_names_archive

LOCALES = ("C", "C.UTF-8", "en_US.UTF-8")
SHOWN_FOLDER = "arch\\xffive"
SHOWN_POST = "_posts/2020-01-03-bad\\xff.md"
SHOWN_CATEGORY = "caf\\xe9"


@pytest.fixture(scope="session")
def compiled_locales(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """en_US.UTF-8 compiled from Debian's locale sources (the ``locales`` package), so the
    test does not depend on the locales the machine happens to have generated. Under it
    Python writes with ``strict`` errors: the locale where a name that is not UTF-8 made
    ``reader list --json`` stop."""
    folder = tmp_path_factory.mktemp("locales")
    result = subprocess.run(
        ["localedef", "-i", "en_US", "-f", "UTF-8", str(folder / "en_US.UTF-8")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (folder / "en_US.UTF-8" / "LC_CTYPE").is_file(), (
        f"localedef could not build en_US.UTF-8 (install Debian's locales package): {result.stderr}"
    )
    return folder


def run(locale: str, locales: Path, *arguments: str | bytes) -> subprocess.CompletedProcess[bytes]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))
    }
    env.update(LANG=locale, LC_ALL=locale, LOCPATH=str(locales))
    command = [sys.executable, "-m", "reader", *arguments]
    return subprocess.run(command, capture_output=True, cwd=REPO, env=env, timeout=120, check=False)


def text_of(result: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    """stdout and stderr, which must be UTF-8, and no traceback."""
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return out, err


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_names_archive(tmp_path_factory.mktemp("names"))


def test_python_writes_strictly_under_the_compiled_locale(compiled_locales):
    probe = "import sys; print(sys.stdout.errors)"
    env = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "LOCPATH": str(compiled_locales)}
    env.pop("PYTHONIOENCODING", None)
    command = [sys.executable, "-c", probe]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "strict"


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_check(locale, compiled_locales, archive, tmp_path):
    result = run(locale, compiled_locales, "check", os.fsencode(archive))
    out, _ = text_of(result)
    assert result.returncode == 0, out
    assert f"Archive: {archive.parent}/{SHOWN_FOLDER}\n" in out
    assert f"Posts: {POST_COUNT} " in out
    assert "Problems: 0" in out
    broken = write_names_archive(tmp_path, problem=True)
    result = run(locale, compiled_locales, "check", os.fsencode(broken))
    out, _ = text_of(result)
    assert result.returncode == 1
    assert "Problems: 1" in out
    assert "_posts/2020-01-09-bin\\xfe.md: binary file, not a post; skipped" in out
    missing = os.fsencode(tmp_path) + b"/gone\xfd"
    result = run(locale, compiled_locales, "check", missing)
    out, err = text_of(result)
    assert result.returncode == 2
    assert "gone\\xfd" in err


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_list(locale, compiled_locales, archive):
    result = run(locale, compiled_locales, "list", os.fsencode(archive))
    out, _ = text_of(result)
    assert result.returncode == 0
    lines = out.splitlines()
    assert len(lines) == POST_COUNT
    assert lines[0].startswith("2020-02-01 00:00") and SHOWN_CATEGORY in lines[0] and "Menu" in lines[0]
    assert any(line.startswith("2020-01-03 00:00") and line.endswith("Bad\\xff") for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_list_json(locale, compiled_locales, archive):
    result = run(locale, compiled_locales, "list", os.fsencode(archive), "--json")
    out, _ = text_of(result)
    assert result.returncode == 0
    posts = json.loads(out)
    assert len(posts) == POST_COUNT
    by_path = {post["path"]: post for post in posts}
    bad = by_path[SHOWN_POST]
    assert bad["key"] == "2020-01-03-bad\\xff.md"
    assert bad["title"] == "Bad\\xff"
    assert base64.b64decode(bad["path_bytes"]) == BAD_POST
    menu = by_path[f"{SHOWN_CATEGORY}/_posts/2020-02-01-menu.md"]
    assert menu["categories"] == [SHOWN_CATEGORY]
    assert base64.b64decode(menu["path_bytes"]) == BAD_CATEGORY + b"/_posts/2020-02-01-menu.md"
    assert "path_bytes" not in by_path["_posts/2020-01-01-good1.md"], "only where the path is not UTF-8"
    assert (archive / os.fsdecode(base64.b64decode(bad["path_bytes"]))).is_file()


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_search(locale, compiled_locales, archive):
    result = run(locale, compiled_locales, "search", os.fsencode(archive), "needle")
    out, _ = text_of(result)
    assert result.returncode == 0
    assert out == f"2020-01-03 00:00  Bad\\xff  [{SHOWN_POST}]\n"
    result = run(locale, compiled_locales, "search", os.fsencode(archive), "nowhere")
    assert result.returncode == 1
    assert text_of(result)[0] == ""


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_search_json(locale, compiled_locales, archive):
    result = run(locale, compiled_locales, "search", os.fsencode(archive), "needle", "--json")
    out, _ = text_of(result)
    assert result.returncode == 0
    (hit,) = json.loads(out)
    assert (hit["key"], hit["path"], hit["title"]) == ("2020-01-03-bad\\xff.md", SHOWN_POST, "Bad\\xff")
    assert base64.b64decode(hit["path_bytes"]) == BAD_POST
