"""Where Reader keeps the user's files: settings, marks, and its caches.

The one place that names them. The folders follow each system's rules (``platformdirs``:
``$XDG_CONFIG_HOME``, ``$XDG_DATA_HOME`` and ``$XDG_CACHE_HOME`` on Linux, with their
defaults ``~/.config``, ``~/.local/share`` and ``~/.cache``), read at each call so that
a test, or a user, can move them with the environment.

Everything in the cache folder can be deleted at any time: it is built again.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

#: The folders' name under each of the system's places.
APP_NAME = "reader"


def config_folder() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_folder() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def cache_folder() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    """The window's settings (an INI file)."""
    return config_folder() / "reader.ini"


def marks_file() -> Path:
    """Every archive's read and starred marks (SQLite)."""
    return data_folder() / "state.sqlite3"


def archive_caches() -> Path:
    """One file per archive: what its last load found, so the next one reads less."""
    return cache_folder() / "archives"


def search_indexes() -> Path:
    """The search indexes, a few SQLite files per archive."""
    return cache_folder() / "search"


def image_cache() -> Path:
    """Remote images saved for reading offline."""
    return cache_folder() / "images"
