"""File → Update Archive (Ctrl+U), Get Archive… and Update Automatically…: the archive's
posts from its git remote, on a thread of its own (``git_jobs``), its progress in the
status bar, a summary after.

The new files then arrive as any change on disk does, through the live follow of the
folder (``folder_follower``): new posts unread, marks and the post shown kept. When the
folder is not followed, the window is asked to read it again."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QWidget

from reader.ui.archive_session import ArchiveSession
from reader.ui.clone_dialog import CloneDialog, CloneRequest
from reader.ui.git_jobs import GitJob
from reader.ui.settings import AUTO_UPDATE_MINUTES, Settings

if TYPE_CHECKING:  # Qt's stub says it gives an object: it gives the text
    from reader.core.git import GitProblem, Progress, Summary

    def QT_TRANSLATE_NOOP(context: str, text: str) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP  # the mark lupdate looks for

#: What each kind of trouble (``reader.core.git.Trouble``, by value) means for the reader;
#: the core's own sentence (in English, with the paths and git's words) follows it.
TROUBLES = {
    "not a work tree": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "This archive's folder is not a git work tree: there is nothing to update."
    ),
    "no remote": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "This archive's git work tree has no remote: there is nowhere to update from."
    ),
    "detached": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "This work tree is on no branch: switch to a branch with git to update it."
    ),
    "dirty": QT_TRANSLATE_NOOP(
        "ArchiveUpdates",
        "Files of this archive were changed here, and updating could overwrite them: nothing was done. "
        "Commit or undo those changes with git first.",
    ),
    "ahead": QT_TRANSLATE_NOOP(
        "ArchiveUpdates",
        "This archive has commits of its own that the remote does not have. Reader only fast-forwards: "
        "nothing was changed.",
    ),
    "diverged": QT_TRANSLATE_NOOP(
        "ArchiveUpdates",
        "This archive's history and the remote's have diverged. Reader only fast-forwards: "
        "nothing was changed.",
    ),
    "no network": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "The remote cannot be reached: there is no network, or its address is wrong."
    ),
    "unreachable": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "The remote cannot be reached: it is down or refuses the connection."
    ),
    "wrong url": QT_TRANSLATE_NOOP("ArchiveUpdates", "There is no git repository at this address."),
    "authentication": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "The remote asks to sign in, and Reader does not sign in: use a public address."
    ),
    "folder in use": QT_TRANSLATE_NOOP(
        "ArchiveUpdates", "That folder already exists and is not empty: choose a new folder."
    ),
    "cancelled": QT_TRANSLATE_NOOP("ArchiveUpdates", "Stopped: nothing was changed."),
    "other": QT_TRANSLATE_NOOP("ArchiveUpdates", "Git could not do it."),
}


class ArchiveUpdates(QObject):
    said = Signal(str, int)  # a status message and how long it shows (ms)
    informed = Signal(str, str)  # a title and a text the reader must see (a refusal, a failure)
    available_changed = Signal(bool)  # the archive shown can be updated from git, or not
    running_changed = Signal(bool)
    open_wanted = Signal(object)  # a folder to open: the archive just downloaded
    reload_wanted = Signal(object)  # an archive updated while its folder is not followed
    _checked = Signal(object, bool)  # from the checking thread: a folder, and whether it can be updated

    def __init__(
        self, session: ArchiveSession, settings: Settings, status: QLabel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._status = status
        self.job = GitJob(self)
        self.job.progress.connect(self._show_progress)
        self.job.updated.connect(self._on_updated)
        self.job.cloned.connect(self._on_cloned)
        self.job.failed.connect(self._on_failed)
        self.job.running_changed.connect(self._on_running)
        self._checked.connect(self._set_available)
        self.available = False
        self._automatic = False  # the update running was started by the timer
        self._root: Path | None = None  # the archive being updated
        self.last_summary: Summary | None = None
        self.last_problem: GitProblem | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._update_on_time)
        self._set_timer()

    # --- the archive shown -------------------------------------------------------------

    def archive_shown(self) -> None:
        """A load ended: can its folder be updated from git? Asked on a thread (loading
        pygit2 and opening the repository take tens of ms), answered through :attr:`_checked`."""
        archive = self._session.archive
        if archive is None:
            self._set_available(None, False)
            return
        threading.Thread(target=self._check, args=(archive.root,), name="git check", daemon=True).start()

    def _check(self, root: Path) -> None:
        from reader.core.git import is_updatable  # pygit2 loads with the first archive shown

        available = is_updatable(root)
        with contextlib.suppress(RuntimeError):  # the window is already gone
            self._checked.emit(root, available)

    def _set_available(self, root: Path | None, available: bool) -> None:
        archive = self._session.archive
        if root is not None and (archive is None or archive.root != root):
            return  # an answer about an archive no longer shown
        if available != self.available:
            self.available = available
            self.available_changed.emit(available)
        self._set_timer()

    def update_archive(self) -> None:
        """File → Update Archive: fetch and fast-forward the archive shown."""
        self._start_update(automatic=False)

    def _update_on_time(self) -> None:
        self._start_update(automatic=True)

    def _start_update(self, *, automatic: bool) -> None:
        archive = self._session.archive
        if archive is None or not self.available or self.job.running:
            return
        self._automatic = automatic
        self._root = archive.root
        self._status_text(self.tr("Updating the archive…"))
        self.job.update(archive.root)

    # --- getting an archive ------------------------------------------------------------

    def get_archive(self) -> None:
        """File → Get Archive…: ask where from and where to, then clone in the background."""
        if self.job.running:
            self.said.emit(self.tr("Wait for the update or download running now to end."), 5000)
            return
        start = self._session.archive.root.parent if self._session.archive is not None else None
        dialog = CloneDialog(self._dialog_parent(), start)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.clone(dialog.request())

    def _dialog_parent(self) -> QWidget | None:
        """The window, through Qt's parent link: a part keeps no reference to it."""
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def clone(self, request: CloneRequest) -> None:
        self._automatic = False
        self._status_text(self.tr("Getting the archive…"))
        self.job.clone(request.url, request.folder, request.depth)

    # --- updating on time --------------------------------------------------------------

    def choose_interval(self) -> None:
        """File → Update Automatically…: every N minutes while the window is open; 0: never."""
        minutes, accepted = QInputDialog.getInt(
            self._dialog_parent(),
            self.tr("Update Automatically"),
            self.tr(
                "Update the archive from its git remote every N minutes while Reader is open (0: never):"
            ),
            self._settings.get(AUTO_UPDATE_MINUTES),
            0,
            24 * 60,
        )
        if accepted:
            self.set_interval(minutes)

    def set_interval(self, minutes: int) -> None:
        self._settings.set(AUTO_UPDATE_MINUTES, max(0, minutes))
        self._set_timer()

    def _set_timer(self) -> None:
        minutes = self._settings.get(AUTO_UPDATE_MINUTES)
        if minutes > 0 and self.available:
            if not self.timer.isActive() or self.timer.interval() != minutes * 60_000:
                self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def cancel(self, wait: float = 0.0) -> None:
        self.job.cancel(wait)

    # --- what the job says -------------------------------------------------------------

    def _status_text(self, text: str) -> None:
        self._status.setText(text)
        self._status.setVisible(bool(text))

    def _show_progress(self, progress: Progress) -> None:
        locale = QLocale()
        head = self.tr("Updating") if self.job.kind == "update" else self.tr("Getting the archive")
        if progress.stage == "receiving":
            text = (
                self.tr("%1: %2 of %3 objects, %4 at %5/s")
                .replace("%1", head)
                .replace("%2", locale.toString(progress.done))
                .replace("%3", locale.toString(progress.total))
                .replace("%4", locale.formattedDataSize(progress.bytes))
                .replace("%5", locale.formattedDataSize(int(progress.speed)))
            )
        elif progress.stage == "resolving":
            text = (
                self.tr("%1: resolving %2 of %3 deltas")
                .replace("%1", head)
                .replace("%2", locale.toString(progress.done))
                .replace("%3", locale.toString(progress.total))
            )
        else:
            text = (
                self.tr("%1: writing %2 of %3 files")
                .replace("%1", head)
                .replace("%2", locale.toString(progress.done))
                .replace("%3", locale.toString(progress.total))
            )
        self._status_text(text)

    def _on_running(self, running: bool) -> None:
        if not running:
            self._status_text("")
        self.running_changed.emit(running)

    def _on_updated(self, summary: Summary) -> None:
        self.last_summary, self.last_problem = summary, None
        if summary.up_to_date:
            self.said.emit(self.tr("The archive is up to date."), 8000)
            return
        text = self.tr("%n new posts", "", summary.new) + ", " + self.tr("%n moved", "", summary.moved)
        self.said.emit(self.tr("Archive updated: %1").replace("%1", text), 15000)
        if not self._session.follower.running and self._root is not None:
            self.reload_wanted.emit(self._root)  # not followed: read it again

    def _on_cloned(self, folder: Path) -> None:
        self.last_problem = None
        self.said.emit(self.tr("Archive saved in %1").replace("%1", str(folder)), 10000)
        self.open_wanted.emit(folder)

    def _on_failed(self, problem: GitProblem) -> None:
        self.last_problem = problem
        update = self.job.kind == "update"
        title = self.tr("Archive not updated") if update else self.tr("Archive not downloaded")
        meaning = QCoreApplication.translate("ArchiveUpdates", TROUBLES[problem.kind.value])
        if self._automatic:  # no dialog for a timer: a line in the status bar
            self.said.emit(f"{title}: {meaning}", 15000)
        else:
            self.informed.emit(title, f"{meaning}\n\n{problem.message}")
