"""The status bar's sign that marks or the session cannot be written now (they are kept
and written once they can be), its tooltip saying why."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class SavingStatus(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.not_saved: tuple[bool, bool] = (False, False)  # (marks, session) not written
        self.hide()

    def update_problems(
        self, marks_problem: str | None, session_problem: str | None
    ) -> tuple[list[str], bool]:
        """Show why the marks (``marks_problem``) or the session cannot be written, or
        hide. Returns the texts that are new since the last call, and whether both are
        written again after one could not be."""
        marks = session = None
        if marks_problem is not None:
            marks = (
                self.tr(
                    "Read marks cannot be saved now (%s). They are kept for this session and saved "
                    "when possible."
                )
                % marks_problem
            )
        if session_problem is not None:
            session = (
                self.tr(
                    "The session (window, panes, post shown) cannot be saved now (%s). It is kept and saved "
                    "when possible."
                )
                % session_problem
            )
        before, self.not_saved = self.not_saved, (marks is not None, session is not None)
        texts = [text for text in (marks, session) if text]
        new = [text for text, was in ((marks, before[0]), (session, before[1])) if text and not was]
        if texts:
            self.setText(self.tr("⚠ Marks not saved") if marks else self.tr("⚠ Session not saved"))
            self.setToolTip("\n\n".join(texts))
            self.setAccessibleName(self.text())
            self.setAccessibleDescription("\n\n".join(texts))
        self.setVisible(bool(texts))
        return new, any(before) and not texts
