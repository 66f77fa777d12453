"""Where the reader finds its own files (the bundled sample archive, resources)."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent


def app_root() -> Path:
    """The folder holding ``seeds/`` and ``resources/``: the frozen bundle's, or the source tree's."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else _PACKAGE_ROOT


def bundled_seeds() -> Path:
    """The sample archive the reader opens when no folder is given."""
    return app_root() / "seeds"


def resources() -> Path:
    return app_root() / "resources"
