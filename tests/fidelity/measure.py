"""Measure Reader against Jekyll on any Jekyll site, post by post (the issue's goal on
Jekyll's own ``test/source``, which is not copied here: fetch it, then run
``python -m tests.fidelity.measure PATH/test/source``).

The site is copied, built by ``jekyll build`` without layouts (a layout adds the site's
frame, which Reader does not show) and compared as the fidelity test compares: visible
text (similarity ≥ 0.95), links and images. Prints one line per post and a summary.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.fidelity.compare import build, compare_site


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.fidelity.measure SITE_FOLDER", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "source"
        shutil.copytree(argv[0], source, symlinks=True)
        config = source / "_config.yml"
        extra = "\nlayouts_dir: _no_layouts_for_comparison\n"
        config.write_text(
            (config.read_text(encoding="utf-8") if config.is_file() else "") + extra, encoding="utf-8"
        )
        site = Path(work) / "site"
        result = build(source, site)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        results = compare_site(source, site, posts_only=True)
    for comparison in results:
        print(comparison.report())
    same = sum(r.matches for r in results)
    print(f"\n{same} of {len(results)} posts the same (text similarity >= 0.95, links, images)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
