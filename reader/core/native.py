"""The optional compiled helpers (``reader/core/_fastio.c``, built by ``setup.py``), behind
one import: ``fastio`` is the module, or None where no C compiler built it. Every caller
does the same work in Python without it, with the same result."""

from __future__ import annotations

from reader.core import front_matter

__all__ = ["fastio"]

try:
    from reader.core import _fastio as fastio
except ImportError:  # pragma: no cover - only where no C compiler built it
    fastio = None  # type: ignore[assignment]
else:
    fastio.set_front_matter_rules(*front_matter.fast_rules())
