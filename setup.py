"""The one compiled part: the loader's hot paths (reader/core/_fastio_c/module.c lists them).

Optional: where it cannot be built (no C compiler), Reader installs and runs without it,
only loading big archives more slowly. POSIX only (Linux, macOS): it uses openat, fstatat,
readdir and pthreads, so on Windows it is not built and Reader does that work in Python.
"""

import os
from pathlib import Path

from setuptools import Extension, setup

SOURCES = sorted(str(path) for path in Path("reader/core/_fastio_c").glob("*.c"))

NATIVE = [
    Extension(
        "reader.core._fastio",
        SOURCES,
        depends=["reader/core/_fastio_c/fastio.h"],
        extra_compile_args=["-pthread"],
        extra_link_args=["-pthread"],
        optional=True,
    )
]

setup(ext_modules=NATIVE if os.name == "posix" else [])
