"""Light and dark themes: the window's palette and the reading pane's style sheet.

"System" follows the desktop's colour scheme (``QStyleHints.colorScheme``) and changes
live when the desktop switches; "Light" and "Dark" are fixed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from reader.core import highlight
from reader.core.paths import resources

THEMES = ("system", "light", "dark")


def effective(theme: str) -> str:
    """ "light" or "dark": what ``theme`` means now."""
    if theme in ("light", "dark"):
        return theme
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def reading_css(mode: str) -> str:
    """The reading pane's style sheet for ``mode``, code colours included."""
    path = resources() / f"reading-{mode}.css"
    css = path.read_text(encoding="utf-8") if path.is_file() else ""
    return css + "\n" + highlight.style_sheet("dark" if mode == "dark" else "light")


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#22252a",
        QPalette.ColorRole.WindowText: "#e3e5e8",
        QPalette.ColorRole.Base: "#1b1d21",
        QPalette.ColorRole.AlternateBase: "#25282d",
        QPalette.ColorRole.Text: "#e3e5e8",
        QPalette.ColorRole.Button: "#2b2f35",
        QPalette.ColorRole.ButtonText: "#e3e5e8",
        QPalette.ColorRole.Highlight: "#2f6fb3",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2f35",
        QPalette.ColorRole.ToolTipText: "#e3e5e8",
        QPalette.ColorRole.PlaceholderText: "#8b949e",
        QPalette.ColorRole.Link: "#79b8ff",
        QPalette.ColorRole.Mid: "#3d434b",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    return palette


def apply(app: QApplication, theme: str) -> str:
    """Give the application the palette of ``theme``; returns "light" or "dark"."""
    mode = effective(theme)
    if app.property("reader_default_palette") is None:
        app.setProperty("reader_default_palette", QPalette(app.palette()))
    if mode == "dark":
        app.setStyle("Fusion")  # the one style that follows a custom palette everywhere
        app.setPalette(_dark_palette())
    else:
        default = app.property("reader_default_palette")
        app.setPalette(
            default
            if isinstance(default, QPalette) and default.color(QPalette.ColorRole.Base).lightness() > 128
            else app.style().standardPalette()
        )
    return mode
