"""Typed settings: each declared once, read back as its kind or as its default."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from reader.ui import settings as settings_module
from reader.ui.settings import (
    DECLARED,
    IMAGE_CACHE_MB,
    LANGUAGE,
    NODE,
    RECENT,
    REMOTE_IMAGES,
    THEME,
    WINDOW_GEOMETRY,
    ZOOM,
    Setting,
    Settings,
)


def test_every_declared_setting_has_a_meaning_and_its_own_key() -> None:
    assert len(DECLARED) >= 14
    for setting in DECLARED:
        assert setting.meaning.strip().endswith((".", ")")), setting.key
    keys = [(setting.key, setting.per_archive) for setting in DECLARED]
    assert len(keys) == len(set(keys))
    declared = [value for value in vars(settings_module).values() if isinstance(value, Setting)]
    assert sorted(map(id, declared)) == sorted(map(id, DECLARED)), "all in DECLARED"


def _stored(path: Path, values: dict[str, object]) -> None:
    raw = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in values.items():
        raw.setValue(key, value)
    raw.sync()
    del raw


@pytest.mark.parametrize(
    ("setting", "stored"),
    [
        (ZOOM, "big"),
        (ZOOM, True),
        (IMAGE_CACHE_MB, "lots"),
        (THEME, "purple"),
        (LANGUAGE, "fr"),
        (WINDOW_GEOMETRY, "not bytes"),
        (WINDOW_GEOMETRY, 12),
    ],
)
def test_an_ill_typed_stored_value_falls_back_to_the_default(
    tmp_path: Path, setting: Setting[object], stored: object
) -> None:
    path = tmp_path / "reader.ini"
    _stored(path, {setting.key: stored})
    assert Settings(path).get(setting) == setting.default


def test_an_unknown_key_is_ignored_and_missing_values_are_defaults(tmp_path: Path) -> None:
    path = tmp_path / "reader.ini"
    _stored(path, {"no/such": "thing", "viewer/zoom": "3", "view/theme": "dark"})
    settings = Settings(path)
    assert settings.get(ZOOM) == 3
    assert settings.get(THEME) == "dark"
    assert settings.get(RECENT) == []
    assert settings.archive_get(tmp_path, REMOTE_IMAGES) is False
    assert settings.archive_get(tmp_path, NODE) is None


def test_values_come_back_as_their_kind_after_a_write(tmp_path: Path) -> None:
    path = tmp_path / "reader.ini"
    settings = Settings(path)
    settings.set(ZOOM, -2)
    settings.set(WINDOW_GEOMETRY, QByteArray(b"\x01\x02"))
    settings.archive_set(tmp_path, REMOTE_IMAGES, True)
    settings.archive_set(tmp_path, NODE, "category/caf\udce9")  # a name that is not UTF-8
    assert settings.sync()
    del settings
    again = Settings(path)
    assert again.get(ZOOM) == -2
    assert again.get(WINDOW_GEOMETRY) == QByteArray(b"\x01\x02")
    assert again.archive_get(tmp_path, REMOTE_IMAGES) is True
    assert again.archive_get(tmp_path, NODE) == "category/caf\udce9"
    assert "archive-" in path.read_text(encoding="utf-8", errors="replace")


def test_a_per_archive_setting_is_not_read_as_a_global_one(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "reader.ini")
    with pytest.raises(AssertionError):
        settings.get(REMOTE_IMAGES)
    with pytest.raises(AssertionError):
        settings.archive_get(tmp_path, ZOOM)
