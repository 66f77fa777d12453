"""The one compiled part: batched file system calls for loading big archives.

Optional: where it cannot be built (no C compiler), Reader installs and runs without it,
only loading big archives more slowly.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "reader.core._fastio",
            ["reader/core/_fastio.c"],
            extra_compile_args=["-pthread"],
            extra_link_args=["-pthread"],
            optional=True,
        )
    ]
)
