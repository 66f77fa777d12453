"""Updating an archive from its git remote, and getting one: fetch + fast-forward, clone.

Done with pygit2 (libgit2), so that it works where no ``git`` command is installed and
the standalone build carries it (see ``tests/benchmarks/git_transfer.py`` for why pygit2).

- :func:`update`: fetch the branch's upstream, then fast-forward only. It refuses, with
  an explanation and no change to the branch or the files, a folder that is not a git
  work tree, one with no remote, changed or staged files, local commits not on the remote
  and a history that diverged. Its :class:`Summary` counts the post files the update
  added, moved (same post key, other folder: the daily ``_posts/`` → ``old_post/`` move),
  changed and removed.
- :func:`clone`: a shallow clone by default (depth 1) into a hidden folder beside the
  target, renamed to the target only when complete: an interrupted clone (an error, a
  cancel, the process killed) never leaves a half archive at the target, and the next
  clone to that folder removes what a killed one left. A remote on this machine (a path
  or ``file://``) is copied whole, its objects as they are: libgit2 fetches shallow over
  a network only.

Every failure is a :class:`GitProblem` with a sentence for the reader and a
:class:`Trouble` kind. Progress goes to a callback with :class:`Progress` (objects,
bytes, speed), a few times a second at most; the callback may raise :class:`Cancelled`
(or anything) to stop, which :func:`update` and :func:`clone` also do when ``cancel`` is set.
"""

from __future__ import annotations

import enum
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pygit2
from pygit2.enums import CheckoutStrategy, FileStatus

from reader.core.jekyll import post_key

#: The suffixes of the files Reader reads as posts (see ``core.scan``).
_POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".html", ".htm")
#: How often progress is reported, at most (seconds between two reports).
_PROGRESS_EVERY = 0.2
#: The default depth of a clone: the real archive's history is several GB, its files a fraction.
DEFAULT_DEPTH = 1
#: The prefix of the hidden folder a clone is made in, beside its target.
PARTIAL_PREFIX = ".reader-partial-clone-"


class Trouble(enum.Enum):
    NOT_A_WORK_TREE = "not a work tree"
    NO_REMOTE = "no remote"
    DETACHED = "detached"
    DIRTY = "dirty"
    AHEAD = "ahead"
    DIVERGED = "diverged"
    NO_NETWORK = "no network"
    UNREACHABLE = "unreachable"
    WRONG_URL = "wrong url"
    AUTHENTICATION = "authentication"
    FOLDER_IN_USE = "folder in use"
    CANCELLED = "cancelled"
    OTHER = "other"


class GitProblem(Exception):
    """Why an update or clone did not happen; ``str()`` is the sentence for the reader."""

    def __init__(self, kind: Trouble, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Cancelled(Exception):
    """Raised by a progress callback (or by the cancel flag) to stop a transfer."""


@dataclass(frozen=True)
class Progress:
    stage: str  # "receiving", "resolving" (deltas) or "checkout" (files written)
    done: int  # objects received, deltas resolved or files written
    total: int
    bytes: int  # received so far
    speed: float  # bytes a second, over the transfer so far


@dataclass(frozen=True)
class Summary:
    new: int  # post files added under a post key that was not there
    moved: int  # post files whose key stayed and folder changed (``_posts/`` → ``old_post/``)
    changed: int  # post files changed in place
    removed: int  # post keys gone
    old_head: str
    new_head: str

    @property
    def up_to_date(self) -> bool:
        return self.old_head == self.new_head

    def describe(self) -> str:
        if self.up_to_date:
            return "Already up to date."
        new = f"{self.new:,} new post" + ("" if self.new == 1 else "s")
        return f"{new}, {self.moved:,} moved"


ProgressCallback = Callable[[Progress], None]


# --- progress ----------------------------------------------------------------------------


class _Callbacks(pygit2.RemoteCallbacks):
    """Transfer progress, throttled, with a cancel flag; refuses to ask for credentials."""

    def __init__(self, progress: ProgressCallback | None, cancel: threading.Event | None) -> None:
        super().__init__()
        self._progress = progress
        self._cancel = cancel
        self._started = time.monotonic()
        self._last = 0.0
        self._received = False

    def _check(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled

    def _report(self, progress: Progress, final: bool = False) -> None:
        if progress.stage != "checkout":  # files being written are written to the end
            self._check()
        now = time.monotonic()
        if self._progress is None or (not final and now - self._last < _PROGRESS_EVERY):
            return
        self._last = now
        self._progress(progress)

    def speed(self, received: int) -> float:
        return received / max(time.monotonic() - self._started, 1e-3)

    def transfer_progress(self, stats: Any) -> None:
        received = int(stats.received_bytes)
        if stats.total_deltas and stats.received_objects == stats.total_objects:
            if not self._received:  # the end of receiving is said before the deltas
                self._received = True
                self._report(
                    Progress(
                        "receiving",
                        stats.received_objects,
                        stats.total_objects,
                        received,
                        self.speed(received),
                    ),
                    final=True,
                )
            progress = Progress("resolving", stats.indexed_deltas, stats.total_deltas, received, 0.0)
            final = stats.indexed_deltas == stats.total_deltas
        else:
            progress = Progress(
                "receiving", stats.received_objects, stats.total_objects, received, self.speed(received)
            )
            final = stats.received_objects == stats.total_objects
        self._report(progress, final)

    def sideband_progress(self, string: str) -> None:
        self._check()

    def credentials(self, url: str, username_from_url: str | None, allowed_types: Any) -> Any:
        raise GitProblem(
            Trouble.AUTHENTICATION,
            f"The remote {url} asks to sign in. Reader does not sign in: use the archive's public "
            "address (https:// without a password), or update it with git where you have signed in.",
        )


class _Checkout(pygit2.CheckoutCallbacks):
    def __init__(self, callbacks: _Callbacks) -> None:
        super().__init__()
        self._callbacks = callbacks

    def checkout_progress(self, path: str | None, completed_steps: int, total_steps: int) -> None:
        self._callbacks._report(
            Progress("checkout", completed_steps, total_steps, 0, 0.0), completed_steps == total_steps
        )


# --- errors ------------------------------------------------------------------------------

_NO_NETWORK = ("network is unreachable", "temporary failure in name resolution", "no route to host")
_UNREACHABLE = ("failed to connect", "connection refused", "timed out", "connection reset", "early eof")
_UNKNOWN_HOST = ("failed to resolve address", "name or service not known", "nodename nor servname")
_AUTHENTICATION = ("authentication", "401", "403", "credentials", "unauthorized")
_WRONG_URL = (
    "unsupported url protocol",
    "failed to resolve path",
    "could not find repository",
    "not found",
    "404",
    "not a git repository",
    "invalid argument",
    "unexpected http status code",
    "does not appear to be a git repository",
    "malformed url",
)


def _explain(error: BaseException, url: str, cancel: threading.Event | None = None) -> GitProblem:
    """The reader's sentence for a transfer that failed (or was stopped: ``cancel`` set)."""
    if isinstance(error, GitProblem):
        return error
    if isinstance(error, (Cancelled, KeyboardInterrupt)) or (cancel is not None and cancel.is_set()):
        return GitProblem(Trouble.CANCELLED, "Stopped: nothing was changed.")
    text = str(error)
    lowered = text.lower()
    if any(part in lowered for part in _NO_NETWORK):
        return GitProblem(Trouble.NO_NETWORK, f"There is no network to reach {url} ({text}).")
    if any(part in lowered for part in _UNKNOWN_HOST):
        return GitProblem(
            Trouble.NO_NETWORK,
            f"The host of {url} cannot be found: there is no network, or the address is wrong ({text}).",
        )
    if any(part in lowered for part in _UNREACHABLE):
        return GitProblem(
            Trouble.UNREACHABLE, f"The remote {url} cannot be reached: it is down or refuses ({text})."
        )
    if any(part in lowered for part in _AUTHENTICATION):
        return GitProblem(
            Trouble.AUTHENTICATION,
            f"The remote {url} asks to sign in. Reader does not sign in: use the archive's public "
            "address, or update it with git where you have signed in.",
        )
    if any(part in lowered for part in _WRONG_URL):
        return GitProblem(Trouble.WRONG_URL, f"There is no git repository at {url} ({text}).")
    return GitProblem(Trouble.OTHER, f"Git could not get {url}: {text}")


# --- update ------------------------------------------------------------------------------


def _open_work_tree(folder: Path) -> pygit2.Repository:
    found = pygit2.discover_repository(str(folder))
    if found is None:
        raise GitProblem(
            Trouble.NOT_A_WORK_TREE, f"{folder} is not a git work tree: there is nothing to update."
        )
    repository = pygit2.Repository(found)
    if repository.is_bare or repository.workdir is None:
        raise GitProblem(Trouble.NOT_A_WORK_TREE, f"{folder} is a bare git repository, not a work tree.")
    return repository


def _upstream(repository: pygit2.Repository) -> tuple[pygit2.Branch, pygit2.Remote, str]:
    """The current branch, its remote and the remote-tracking reference it follows."""
    if not list(repository.remotes):
        raise GitProblem(
            Trouble.NO_REMOTE, "This archive's git work tree has no remote: there is nowhere to update from."
        )
    if repository.head_is_unborn or repository.head_is_detached:
        raise GitProblem(
            Trouble.DETACHED,
            "This work tree is on no branch (a detached HEAD or no commit): switch to a branch to update.",
        )
    branch = repository.branches.local[repository.head.shorthand]
    upstream = branch.upstream
    if upstream is not None:
        remote_name = upstream.remote_name
        return branch, repository.remotes[remote_name], upstream.name
    remotes = list(repository.remotes)
    remote = next((r for r in remotes if r.name == "origin"), remotes[0])
    return branch, remote, f"refs/remotes/{remote.name}/{branch.branch_name}"


def _dirty_files(repository: pygit2.Repository) -> list[str]:
    """Tracked files changed or staged (untracked and ignored files are not the reader's concern)."""
    untracked = FileStatus.WT_NEW | FileStatus.IGNORED
    return sorted(
        path
        for path, flags in repository.status(untracked_files="no").items()
        if flags & ~untracked and flags != FileStatus.CURRENT
    )


def is_updatable(folder: Path) -> bool:
    """Whether ``folder`` is in a git work tree that has a remote (a cheap check, no network)."""
    try:
        found = pygit2.discover_repository(str(folder))
        if found is None:
            return False
        repository = pygit2.Repository(found)
        return not repository.is_bare and bool(list(repository.remotes))
    except (pygit2.GitError, OSError, KeyError, ValueError):
        return False


def _is_post(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.lower().endswith(_POST_SUFFIXES) and not name.startswith((".", "_", "#", "~"))


def summarize(repository: pygit2.Repository, old: pygit2.Oid, new: pygit2.Oid) -> Summary:
    """Count the post files between two commits: new, moved, changed, removed (by post key)."""
    old_tree = repository[old].peel(pygit2.Tree)
    new_tree = repository[new].peel(pygit2.Tree)
    added: set[str] = set()
    deleted: set[str] = set()
    changed = 0
    for delta in old_tree.diff_to_tree(new_tree).deltas:
        status = delta.status_char()
        if status == "A" and _is_post(delta.new_file.path):
            added.add(post_key(delta.new_file.path))
        elif status == "D" and _is_post(delta.old_file.path):
            deleted.add(post_key(delta.old_file.path))
        elif status == "M" and _is_post(delta.new_file.path):
            changed += 1
    moved = len(added & deleted)
    return Summary(len(added) - moved, moved, changed, len(deleted) - moved, str(old), str(new))


def update(
    folder: Path, progress: ProgressCallback | None = None, cancel: threading.Event | None = None
) -> Summary:
    """Fetch the archive's upstream and fast-forward to it; refuse anything else, changing nothing."""
    try:
        repository = _open_work_tree(folder)
    except pygit2.GitError as error:
        raise GitProblem(
            Trouble.NOT_A_WORK_TREE, f"{folder} is not a readable git work tree ({error})."
        ) from error
    branch, remote, tracking = _upstream(repository)
    dirty = _dirty_files(repository)
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3:,} more" if len(dirty) > 3 else "")
        raise GitProblem(
            Trouble.DIRTY,
            f"Files of this archive were changed here ({shown}). Updating could overwrite them, so "
            "nothing was done: commit or undo those changes with git first.",
        )
    head = branch.peel(pygit2.Commit).id
    callbacks = _Callbacks(progress, cancel)
    url = remote.url or remote.name or "the remote"
    try:
        remote.fetch(callbacks=callbacks)
    except BaseException as error:
        raise _explain(error, url, cancel) from error
    fetched = repository.references.get(tracking)
    if fetched is None:
        raise GitProblem(
            Trouble.WRONG_URL, f"The remote {url} has no branch {tracking.rsplit('/', 1)[-1]} to update from."
        )
    target = fetched.peel(pygit2.Commit).id
    if target == head:
        return Summary(0, 0, 0, 0, str(head), str(head))
    _refuse_local_commits(repository, head, target)
    summary = summarize(repository, head, target)
    if cancel is not None and cancel.is_set():
        raise GitProblem(Trouble.CANCELLED, "Stopped: the posts were fetched but the archive is as it was.")
    _fast_forward(repository, branch, target, callbacks)
    return summary


def _refuse_local_commits(repository: pygit2.Repository, head: pygit2.Oid, upstream: pygit2.Oid) -> None:
    if head == upstream:
        return
    try:
        ahead, behind = repository.ahead_behind(head, upstream)
    except pygit2.GitError:  # no common commit within a shallow history
        ahead, behind = 1, 1
    if ahead and behind:
        raise GitProblem(
            Trouble.DIVERGED,
            f"This archive's history and the remote's have diverged ({ahead:,} commits here, {behind:,} "
            "there). Reader only fast-forwards, so nothing was changed: reconcile them with git.",
        )
    if ahead:
        raise GitProblem(
            Trouble.AHEAD,
            f"This archive has {ahead:,} commits of its own that the remote does not have. Reader only "
            "fast-forwards, so nothing was changed: push or drop them with git first.",
        )


def _fast_forward(
    repository: pygit2.Repository, branch: pygit2.Branch, target: pygit2.Oid, callbacks: _Callbacks
) -> None:
    """Write the new commit's files (safely: nothing changed here is overwritten), then move the branch."""
    tree = repository[target].peel(pygit2.Tree)
    try:
        repository.checkout_tree(  # type: ignore[no-untyped-call]
            tree, strategy=CheckoutStrategy.SAFE, callbacks=_Checkout(callbacks)
        )
    except BaseException as error:
        raise GitProblem(
            Trouble.DIRTY,
            f"The update would overwrite files of this folder that git does not track ({error}); nothing "
            "was changed: move them away and update again.",
        ) from error
    branch.set_target(target, "reader: fast-forward")


# --- clone -------------------------------------------------------------------------------


def _is_local(url: str) -> bool:
    return url.startswith("file://") or ("://" not in url and not _looks_like_scp(url))


def _looks_like_scp(url: str) -> bool:
    head, colon, _ = url.partition(":")
    return bool(colon) and "/" not in head and len(head) > 1


def partial_folder(folder: Path) -> Path:
    """The hidden folder a clone to ``folder`` is made in."""
    return folder.parent / (PARTIAL_PREFIX + folder.name)


def _remove(path: Path) -> None:
    if path.exists() or path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)


def clone(
    url: str,
    folder: Path,
    depth: int | None = DEFAULT_DEPTH,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Clone ``url`` into ``folder`` (absent or empty); ``depth`` None or 0: the whole history.

    Made in :func:`partial_folder` and renamed when complete; on any failure that folder is
    removed, and a leftover one (from a killed clone) is removed before starting.
    """
    folder = folder.absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise GitProblem(
            Trouble.FOLDER_IN_USE, f"{folder} already exists and is not empty: choose a new folder."
        )
    if not folder.parent.is_dir():
        raise GitProblem(Trouble.FOLDER_IN_USE, f"The folder {folder.parent} does not exist.")
    partial = partial_folder(folder)
    _remove(partial)  # what a killed clone left: libgit2 cannot resume a pack
    source = _local_path(url)
    if source is not None and not source.exists():
        raise GitProblem(Trouble.WRONG_URL, f"There is no git repository at {url}.")
    callbacks = _Callbacks(progress, cancel)
    try:
        if source is not None:
            _clone_local(source, url, partial, callbacks)
        else:
            _clone_into(url, partial, depth or 0, callbacks)
        if folder.exists():
            folder.rmdir()
        os.replace(partial, folder)
    except BaseException as error:
        _remove(partial)
        raise _explain(error, url, cancel) from error
    return folder


def _local_path(url: str) -> Path | None:
    """The folder of a remote on this machine (a path or ``file://``); None for a network URL."""
    if url.startswith("file://"):
        return Path(unquote(urlsplit(url).path))
    return Path(url) if _is_local(url) else None


def _clone_local(source: Path, url: str, partial: Path, callbacks: _Callbacks) -> None:
    """A remote on this machine, copied whole as ``git clone --local`` does: its objects
    copied or linked, not packed again (libgit2 packs for a transport: 7x git's processor
    time at 100,000 posts), and no shallow copy (libgit2 has none for a local transport)."""
    repository = pygit2.clone_repository(str(source), str(partial), callbacks=callbacks)
    repository.remotes.set_url("origin", url)
    repository.free()
    callbacks._check()


def _clone_into(url: str, partial: Path, depth: int, callbacks: _Callbacks) -> None:
    repository = pygit2.init_repository(str(partial))
    remote = repository.remotes.create("origin", url)
    heads = remote.list_heads(callbacks=callbacks)
    branch_ref = next((head.symref_target for head in heads if head.name == "HEAD"), None)
    if not branch_ref:
        branch_ref = next((h.name for h in heads if h.name and h.name.startswith("refs/heads/")), None)
    if not branch_ref:
        raise GitProblem(Trouble.WRONG_URL, f"The repository at {url} is empty: it has no branch.")
    remote.fetch(callbacks=callbacks, depth=depth)
    name = branch_ref.removeprefix("refs/heads/")
    tracking = repository.references[f"refs/remotes/origin/{name}"]
    commit = repository[tracking.target].peel(pygit2.Commit)
    local = repository.branches.local.create(name, commit)
    local.upstream = repository.branches.remote[f"origin/{name}"]
    repository.checkout(
        local.name,
        strategy=CheckoutStrategy.SAFE | CheckoutStrategy.RECREATE_MISSING,
        callbacks=_Checkout(callbacks),
    )
    repository.free()
    callbacks._check()  # stopped while the files were written: no archive yet, so none
