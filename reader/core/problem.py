"""What is wrong with one file, as data (:class:`Problem`); :mod:`reader.core.post` gives
it with the posts. Apart from them so that listing an archive's files (all ``reader
search`` does with a current index) does not import what posts are made with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one file, as data: shown by ``reader check`` and in the window."""

    path: str  # relative to the archive root, POSIX separators
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
