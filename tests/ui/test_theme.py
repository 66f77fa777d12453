"""Themes: a dark reading pane with nothing left white, readable contrast in both."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

from reader.ui.theme import reading_css
from tests.conftest import post_text


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rules(css: str) -> dict[str, dict[str, str]]:
    found = {}
    for selectors, body in re.findall(r"([^{}]+){([^}]*)}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        declarations = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+?)\s*;", body))
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(declarations)
    return found


def test_contrast_ratio_helper_can_fail():
    assert contrast("#777777", "#888888") < 4.5
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)


@pytest.mark.parametrize("mode", ["light", "dark", "print"])
def test_text_and_links_meet_wcag_aa(mode):
    sheet = rules(reading_css(mode))
    background = sheet["body"]["background-color"]
    pairs = {
        "body text": (sheet["body"]["color"], background),
        "links": (sheet["a"]["color"], background),
        "title": (sheet["h1.title"]["color"], background),
        "post details": (sheet["p.meta"]["color"], background),
        "quotes": (sheet["blockquote"]["color"], background),
        "code blocks": (sheet["pre"]["color"], sheet["pre"]["background-color"]),
        "problems banner": (sheet["table.problems"]["color"], sheet["table.problems"]["background-color"]),
    }
    for name, (foreground, back) in pairs.items():
        assert contrast(foreground, back) >= 4.5, f"{mode} {name}: {contrast(foreground, back):.2f}"


def test_dark_sheet_has_no_light_backgrounds():
    for selector, declarations in rules(reading_css("dark")).items():
        if "background-color" in declarations:
            assert luminance(declarations["background-color"]) < 0.1, selector


def pane_brightness(window) -> float:
    image = window.viewer.viewport().grab().toImage()
    samples = [QColor(image.pixel(x, image.height() - 5)) for x in range(5, image.width() - 5, 25)]
    return sum(c.lightnessF() for c in samples) / len(samples)


def test_view_theme_dark_makes_the_pane_dark_and_is_remembered(driver, write_archive):
    window = driver.open(write_archive({"_posts/2022-06-01-x.md": post_text(title="标题", tags="t")}))
    window.select_post_key("2022-06-01-x.md")
    window.theme_actions["light"].trigger()
    assert pane_brightness(window) > 0.8
    window.theme_actions["dark"].trigger()
    assert window.theme_actions["dark"].isChecked()
    assert pane_brightness(window) < 0.2
    assert QGuiApplication.palette().color(QGuiApplication.palette().ColorRole.Window).lightnessF() < 0.3
    assert "标题" in window.viewer.toPlainText(), "the post is shown again in the new style"
    window.close()
    again = driver.new_window()
    assert again.theme == "dark" and again.theme_mode == "dark"
    again.set_theme("light")


def test_system_theme_follows_the_desktop_live(driver, monkeypatch):
    """The offscreen platform has no desktop scheme to switch: the test stands in for the
    desktop's answer and sends Qt's own change signal."""
    from reader.ui import theme

    scheme = {"now": Qt.ColorScheme.Light}

    class Hints:
        def colorScheme(self):
            return scheme["now"]

    class Desktop:
        @staticmethod
        def styleHints():
            return Hints()

    monkeypatch.setattr(theme, "QGuiApplication", Desktop)
    window = driver.window
    window.set_theme("system")
    assert window.theme_mode == "light"
    scheme["now"] = Qt.ColorScheme.Dark
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.theme_mode == "dark"
    assert pane_brightness(window) < 0.2
    window.set_theme("light")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.theme_mode == "light", "a fixed theme ignores the desktop"


def test_reading_measure_and_font_are_comfortable_and_remembered(driver, write_archive):
    from reader.ui.viewer import READING_MEASURE

    window = driver.open(write_archive({"_posts/2022-06-01-x.md": post_text(title="标题")}))
    window.resize(1600, 900)
    window.select_post_key("2022-06-01-x.md")
    viewer = window.viewer
    limit = viewer.fontMetrics().horizontalAdvance("中") * READING_MEASURE
    room = limit + viewer.verticalScrollBar().sizeHint().width() + 2
    assert viewer.viewport().width() <= room, "lines stop at a comfortable length"
    assert viewer.viewportMargins().left() > 0, "and the column is centred"
    assert "line-height: 170%" in reading_css("light") and "line-height: 170%" in reading_css("dark")
    family = "DejaVu Serif"
    window.appearance.set_reading_font(family)
    assert viewer.font().family() == family
    window.close()
    assert driver.new_window().viewer.font().family() == family


def test_theme_on_the_command_line_lasts_one_run_like_the_language(tmp_path, qapp, monkeypatch):
    """``--theme`` and ``--lang`` behave alike: this run only; the menus remember."""
    from reader.core.paths import bundled_seeds
    from reader.ui import app
    from reader.ui.settings import THEME, Settings

    seen: list[tuple[str, str]] = []
    original = app.MainWindow.close

    def close(window):
        seen.append((window.theme, window.theme_mode))
        return original(window)

    monkeypatch.setattr(app.MainWindow, "close", close)
    assert app.screenshot(str(tmp_path / "s.png"), str(bundled_seeds()), "dark") == 0
    assert seen == [("dark", "dark")]
    assert Settings().get(THEME) == "system"
    from reader.ui.theme import apply

    apply(qapp, "light")


@pytest.mark.parametrize("mode", ["light", "dark", "print"])
def test_code_colours_meet_wcag_aa_on_the_code_background(mode):
    sheet = rules(reading_css(mode))
    background = sheet["pre"]["background-color"]
    colours = {s: d["color"] for s, d in sheet.items() if s.startswith(".highlight ") and "color" in d}
    assert len(colours) > 20
    assert {s: c for s, c in colours.items() if contrast(c, background) < 4.5} == {}


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_code_blocks_are_coloured_in_the_pane(qapp, mode):
    from PySide6.QtGui import QTextCursor, QTextDocument

    from reader.core.render import render_body

    document = QTextDocument()
    document.setDefaultStyleSheet(reading_css(mode))
    document.setHtml(render_body("```python\nimport os\n```\n").html)
    cursor = QTextCursor(document)
    cursor.setPosition(2)  # inside "import", a keyword
    keyword = rules(reading_css(mode))[".highlight .kn"]["color"]
    assert cursor.charFormat().foreground().color().name() == keyword.lower()
