"""The compiled helper ``reader.core._fastio`` (reader/core/_fastio_c/), for the tests of it.

It is optional: where it is not built (no C compiler, or Windows) Reader does the same
work in Python, and the tests of the helper itself skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import sysconfig
from types import ModuleType

import pytest

try:
    from reader.core import _fastio as fastio_module
except ImportError:
    fastio_module = None

COMPILED: ModuleType | None = fastio_module
if COMPILED is not None:  # the rules its front-matter reader follows, as Reader gives them
    from reader.core import native

    native.give_front_matter_rules()

NOT_BUILT = (
    "reader/core/_fastio_c/ is not built (no C compiler, or not a POSIX system): "
    "install gcc and run scripts/bootstrap.sh to test it"
)

#: For a test of the compiled helper: skipped, saying why, where it is not built.
needs_compiled = pytest.mark.skipif(COMPILED is None, reason=NOT_BUILT)


def compiler() -> str | None:
    """The C compiler setup.py would build the helper with, if there is one."""
    named = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(named) or shutil.which("cc") or shutil.which("gcc")


def can_build() -> bool:
    """Could setup.py build the helper here (a POSIX system with a C compiler)?"""
    return os.name == "posix" and compiler() is not None
