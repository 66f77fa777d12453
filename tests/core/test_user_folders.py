"""The user's folders are named in one module, and every user of them agrees with it."""

from __future__ import annotations

from pathlib import Path

from reader.core import cache, image_cache, search, state, user_folders
from reader.ui import settings
from tests.conftest import REPO

#: Files that still call platformdirs themselves, until their own change lands.
NOT_YET_MOVED: set[str] = set()


def test_each_folder_follows_the_environment(tmp_path, monkeypatch):
    for variable, name in (("XDG_CONFIG_HOME", "c"), ("XDG_DATA_HOME", "d"), ("XDG_CACHE_HOME", "k")):
        monkeypatch.setenv(variable, str(tmp_path / name))
    assert user_folders.settings_file() == tmp_path / "c" / "reader" / "reader.ini"
    assert user_folders.marks_file() == tmp_path / "d" / "reader" / "state.sqlite3"
    assert user_folders.archive_caches() == tmp_path / "k" / "reader" / "archives"
    assert user_folders.search_indexes() == tmp_path / "k" / "reader" / "search"
    assert user_folders.image_cache() == tmp_path / "k" / "reader" / "images"


def test_every_module_keeps_its_files_where_user_folders_says(tmp_path):
    assert settings.settings_path() == user_folders.settings_file()
    assert state.default_state_path() == user_folders.marks_file()
    assert cache.cache_folder() == user_folders.archive_caches()
    assert search.index_path(tmp_path).parent == user_folders.search_indexes()
    assert image_cache.default_folder() == user_folders.image_cache()


def test_only_user_folders_asks_platformdirs():
    asking = {
        str(path.relative_to(REPO))
        for path in Path(REPO / "reader").rglob("*.py")
        if "platformdirs" in path.read_text(encoding="utf-8")
    }
    assert asking - NOT_YET_MOVED == {"reader/core/user_folders.py"}
