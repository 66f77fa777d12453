"""Whether the read marks and the session are written: said when they cannot be (they
are kept, and written once they can be, on the next poll) and when they are again; the
marks closed with a last try at writing them, and told when some are lost. Every warning
said is kept in :attr:`SavingWatch.warnings`."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.ui.archive_session import ArchiveSession
from reader.ui.saving_status import SavingStatus
from reader.ui.settings import Settings


class SavingWatch(QObject):
    said = Signal(str, int)  # a status message and how long it shows (ms; 0: until the next)
    #: Marks or the session lost: the text, and whether the window is closing (asked
    #: before it goes) or not (a notice that does not block).
    lost = Signal(str, bool)

    def __init__(
        self, session: ArchiveSession, settings: Settings, status: SavingStatus, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._status = status
        self.warnings: list[str] = []

    @property
    def not_saved(self) -> tuple[bool, bool]:
        """Whether the marks, and the session, are not written now."""
        return self._status.not_saved

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        self.said.emit(text, 0)

    def check(self) -> None:
        """Say when the marks or the session cannot be written now (they are kept), and
        when they are written again: a message when that changes, and a sign in the
        status bar meanwhile (see SavingStatus)."""
        state = self._session.state
        # Not for marks merely waiting (unsaved) for a store another process holds for a
        # moment: the store sets problem once that has lasted (state.BUSY_GRACE).
        marks_problem = state.problem if state is not None else None
        new, saved_again = self._status.update_problems(marks_problem, self._settings.problem)
        if new:
            self.warnings.extend(new)
            self.said.emit(" ".join(new), 0)
        elif saved_again:
            self.said.emit(self.tr("Read marks and session saved again."), 8000)

    def close_marks(self, *, closing: bool) -> None:
        """Close the marks shown, after a last try at writing those not saved yet; say so
        when some could not be."""
        state = self._session.take_marks()
        if state is None:
            return
        lost = state.close()
        problem = state.problem  # set by close when it could not write them
        self.check()
        if lost:
            text = self.tr("%n read marks made in this session could not be saved (%s).", "", lost) % problem
            self.warnings.append(text)
            self.lost.emit(text, closing)

    def session_lost(self) -> None:
        """The window closes with its session not written: told before it goes."""
        if self._settings.problem is not None:
            text = self.tr("The session (window, panes, post shown) could not be saved (%s).")
            self.lost.emit(text % self._settings.problem, True)
