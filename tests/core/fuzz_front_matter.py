"""Fuzz the post reader for as long as asked: ``python -m tests.core.fuzz_front_matter``.

Generated files (front matter made of real and hostile lines, in several encodings,
damaged, or any bytes at all: ``post_bytes`` in tests/core/test_reading_properties.py)
are read as a post under ``_posts`` and as a file elsewhere, through the compiled
helper and without it, in turn. Each must give a post or a clear problem, never an
error no rule foresaw. On a failure, hypothesis shrinks the input and prints it, and
the command exits 1.

    .venv/bin/python -m tests.core.fuzz_front_matter --seconds 600
    .venv/bin/python -m tests.core.fuzz_front_matter --seconds 60 --python   # the Python reader only

Hypothesis, not a coverage-guided fuzzer: no new dependency, and the same generator as
the property test, which runs a few hundred inputs in the normal suite.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import Phase, given, settings

from reader.core import native as native_module
from tests.core.test_reading_properties import check_reading, post_bytes, read_bytes

BATCH = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.core.fuzz_front_matter", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=60, help="how long to run (default 60)")
    readers = parser.add_mutually_exclusive_group()
    readers.add_argument("--python", action="store_true", help="only the Python reader")
    readers.add_argument("--compiled", action="store_true", help="only with the compiled helper")
    options = parser.parse_args(argv)
    compiled = native_module.fastio
    if options.compiled and compiled is None:
        parser.error("the compiled helper reader/core/_fastio_c/ is not built")
    helpers = [None] if options.python else [compiled] if options.compiled else [compiled, None]
    deadline = time.monotonic() + options.seconds
    inputs = 0
    with tempfile.TemporaryDirectory(prefix="reader-fuzz-") as folder:

        @settings(max_examples=BATCH, deadline=None, database=None, phases=[Phase.generate, Phase.shrink])
        @given(raw=post_bytes())
        def fuzz(raw: bytes) -> None:
            check_reading(raw, read_bytes(raw, Path(folder)))

        try:
            while time.monotonic() < deadline:
                for helper in helpers:
                    native_module.fastio = helper
                    fuzz()
                    inputs += BATCH
        except AssertionError as failure:
            print(f"after {inputs} inputs: {failure}", file=sys.stderr)
            return 1
        finally:
            native_module.fastio = compiled
    print(f"{inputs} inputs read, each a post or a clear problem")
    return 0


if __name__ == "__main__":
    sys.exit(main())
