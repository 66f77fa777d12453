"""The interface in 简体中文: every string translated, and the window speaking it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator

from reader.ui.app import install_language, interface_language
from tests.conftest import REPO, post_text

TS_FILE = REPO / "resources" / "translations" / "reader_zh_CN.ts"


def translations_tool():
    """packaging/translations.py, loaded by path ("packaging" is also a PyPI name)."""
    spec = importlib.util.spec_from_file_location(
        "reader_translations", REPO / "packaging" / "translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_interface_string_has_a_chinese_translation(tmp_path):
    """lupdate reads the code as it is now: a string without a translation fails."""
    tool = translations_tool()
    current = tmp_path / "reader_zh_CN.ts"
    shutil.copy(TS_FILE, current)
    subprocess.run(
        [tool.tool("lupdate"), "-no-obsolete", *tool.SOURCES, "-ts", str(current)],
        check=True,
        capture_output=True,
    )
    assert tool.untranslated(current) == []


def test_the_translation_check_can_fail(tmp_path):
    broken = tmp_path / "broken.ts"
    text = TS_FILE.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("<translation>全部文章</translation>", '<translation type="unfinished" />'),
        encoding="utf-8",
    )
    assert translations_tool().untranslated(broken) == ["All posts"]


def test_compiled_translation_is_shipped_and_current(tmp_path):
    translator = QTranslator()
    assert translator.load(str(TS_FILE.with_suffix(".qm")))
    assert translator.translate("NavModel", "All posts") == "全部文章"
    fresh = tmp_path / "fresh.qm"
    tool = translations_tool()
    subprocess.run([tool.tool("lrelease"), str(TS_FILE), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == TS_FILE.with_suffix(".qm").read_bytes(), "run packaging/translations.py"


@pytest.mark.parametrize(("choice", "expected"), [("en", "en"), ("zh_CN", "zh_CN")])
def test_language_choice(choice, expected):
    assert interface_language(choice) == expected


def test_window_in_chinese(driver, write_archive, qapp):
    default = QLocale()
    try:
        assert install_language(qapp, "zh_CN") == "zh_CN"
        window = driver.new_window()
        post = post_text(title="央行", categories="c", tags="t")  # every heading of the tree shows
        driver.open(write_archive({"_posts/2022-06-01-x.md": post}), window)
        model = window.nav_model
        top = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
        assert top == ["全部文章", "未读", "已加星标", "分类", "标签", "归档"]
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["文件(&F)", "视图(&V)", "转到(&G)", "文章(&P)", "帮助(&H)"]
        assert window.post_model.headerData(0, Qt.Orientation.Horizontal) == "标题"
        assert window.counts.text() == "1 篇文章 · 1 篇未读"
        window.select_post_key("2022-06-01-x.md")
        assert window.list.model().data(window.list.model().index(0, 1)) == "2022/6/1 00:00"
    finally:
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)
        QLocale.setDefault(default)


def test_english_counts_are_singular_for_one(driver, write_archive, qapp):
    try:
        assert install_language(qapp, "en") == "en"
        window = driver.new_window()
        driver.open(write_archive({"_posts/2022-06-01-x.md": post_text(title="One")}), window)
        assert window.statusBar().currentMessage() == "Loaded 1 post"
        assert (
            window.nav_model.data(window.nav_model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
            == "1 unread · 1 post"
        )
    finally:
        for translator in qapp.findChildren(QTranslator):
            qapp.removeTranslator(translator)


def test_the_english_plurals_are_current(tmp_path):
    """Plural-only lupdate of the code must find nothing new for English."""
    tool = translations_tool()
    current = tmp_path / "reader_en.ts"
    shutil.copy(TS_FILE.with_name("reader_en.ts"), current)
    subprocess.run(
        [tool.tool("lupdate"), "-pluralonly", "-no-obsolete", *tool.SOURCES, "-ts", str(current)],
        check=True,
        capture_output=True,
    )
    assert tool.untranslated(current) == []
