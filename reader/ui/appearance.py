"""How the window looks, remembered: its theme (system, light or dark) and the reading
pane's text size and typeface."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFontDialog

from reader.ui.settings import READING_FONT, THEME, ZOOM, Settings
from reader.ui.theme import apply as apply_theme
from reader.ui.theme import reading_css
from reader.ui.viewer import Viewer

#: Text size steps either way from the usual size (each 10 % of it).
ZOOM_LIMIT = 10


class Appearance:
    """The theme and the reading pane's text, for the window of ``viewer``.

    It holds no reference to the window: the window holds it, and a cycle between the
    two would leave the window to the cyclic collector, which may run on any thread,
    and a Qt widget must be destroyed on the UI thread."""

    def __init__(self, viewer: Viewer, settings: Settings) -> None:
        self._viewer = viewer
        self._settings = settings
        self.zoom_level = settings.get(ZOOM)
        self.theme = settings.get(THEME)
        self.theme_mode = "light"  # what the theme means now: "light" or "dark"
        self.theme_actions: dict[str, QAction] = {}  # View → Theme, to check the one chosen

    def start(self) -> None:
        """Apply what is remembered. The window calls :meth:`follow_system` when the
        desktop's colour scheme changes (connected to a method of the window, Qt drops
        the connection when the window goes)."""
        self.apply_text()
        self.set_theme(self.theme, remember=False)

    def set_theme(self, theme: str, *, remember: bool = True) -> None:
        """System (follows the desktop), Light or Dark; remembered, unless for this run
        only (``reader --theme``)."""
        self.theme = theme
        if remember:
            self._settings.set(THEME, theme)
        if theme in self.theme_actions:
            self.theme_actions[theme].setChecked(True)
        app = QApplication.instance()
        self.theme_mode = apply_theme(app, theme) if isinstance(app, QApplication) else "light"
        self._viewer.set_reading_style(reading_css(self.theme_mode))

    def follow_system(self, _scheme: object = None) -> None:
        if self.theme == "system":
            self.set_theme("system", remember=False)

    def zoom(self, step: int) -> None:
        """One step bigger (1) or smaller (-1), or the usual size (0); remembered."""
        level = self.zoom_level + step
        self.zoom_level = 0 if step == 0 else max(-ZOOM_LIMIT, min(ZOOM_LIMIT, level))
        self.apply_text()
        self._settings.set(ZOOM, self.zoom_level)

    def choose_reading_font(self) -> None:
        """View → Reading Font…: the typeface asked for in a dialog."""
        title = QCoreApplication.translate("MainWindow", "Reading Font")
        ok, font = QFontDialog.getFont(self._viewer.font(), self._viewer.window(), title)
        if ok:
            self.set_reading_font(font.family())

    def set_reading_font(self, family: str) -> None:
        """The reading pane's typeface (its size follows the text-size keys); remembered."""
        self._settings.set(READING_FONT, family)
        self.apply_text()

    def apply_text(self) -> None:
        font = self._viewer.font()
        family = self._settings.get(READING_FONT)
        if family:
            font.setFamily(family)
        base = self._viewer.window().font().pointSizeF()  # the text size of the window
        font.setPointSizeF(max(6.0, base * (1 + 0.1 * self.zoom_level)))
        self._viewer.setFont(font)
        self._viewer.document().setDefaultFont(font)
