"""Show every post of an archive in the real reading pane and report what was drawn.

Run as ``python -m tests.ui.containment_child ARCHIVE REPORT.json [--marks DIR]`` in a
process of its own (the tests watch it with strace and a timeout). For each post, twice
(once as rendered, once with the active-content filter switched off, so that whatever
HTML a future filter lets through reaches Qt), it shows the post in a ``Viewer`` sized to
the whole post, paints it, paints its print document too, and counts the pixels of
each test colour. Before the first post and after the last it stats
``DIR/start-mark`` and ``DIR/end-mark`` (which do not exist), so that the trace can be
cut to what showing posts did. Memory is capped, so that a runaway read fails fast.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

MEMORY_CAP = 1536 * 1024 * 1024  # a read of /dev/zero stops here, not at the machine's end
MAX_HEIGHT = 6000


COLOURS = {"magenta": 0xFFFF00FF, "green": 0xFF00FF00, "blue": 0xFF3366CC}


def count_colours(image: object) -> dict[str, int]:
    """How many pixels of ``image`` (every third one each way) are exactly each colour."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    small = image.scaled(
        max(1, image.width() // 3), max(1, image.height() // 3), mode=Qt.TransformationMode.FastTransformation
    ).convertToFormat(QImage.Format.Format_RGB32)
    pixels = Counter(memoryview(small.constBits()).cast("I"))
    return {name: pixels[value] for name, value in COLOURS.items()}


def main() -> int:
    archive_path, report_path = Path(sys.argv[1]), Path(sys.argv[2])
    marks = Path(sys.argv[sys.argv.index("--marks") + 1]) if "--marks" in sys.argv else None
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_CAP, MEMORY_CAP))

    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    app = QApplication(["containment"])
    from reader.core import render
    from reader.core.archive import load_archive
    from reader.ui.viewer import Viewer

    archive = load_archive(archive_path, use_cache=False, workers=1)
    viewer = Viewer()
    viewer.resize(900, 700)
    viewer.show()
    viewer.warm_up()
    app.processEvents()
    if marks is not None:
        os.path.exists(marks / "start-mark")

    filtering = render.sanitize_html
    report: dict[str, dict[str, dict[str, int]]] = {}
    for mode, active in (("filtered", filtering), ("unfiltered", str)):
        render.sanitize_html = active
        for post in archive.posts:
            viewer.show_post(archive, post, "")
            while viewer.preparing:  # a big post comes a part at a time
                app.processEvents()
                time.sleep(0.002)
            height = int(viewer.document().size().height()) + 40
            viewer.resize(900, min(MAX_HEIGHT, max(300, height)))
            app.processEvents()
            screen = QImage(viewer.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
            viewer.viewport().render(screen)
            viewer.viewport().render(screen)  # a repaint reads nothing again
            document = viewer.print_document()
            document.setPageSize(QSizeF(800, MAX_HEIGHT))
            height = min(MAX_HEIGHT, int(document.size().height()) + 1)
            paper = QImage(800, height, QImage.Format.Format_RGB32)
            paper.fill(0xFFFFFF)
            painter = QPainter(paper)
            document.drawContents(painter)
            painter.end()
            document.deleteLater()
            report[f"{mode} {post.title}"] = {"screen": count_colours(screen), "paper": count_colours(paper)}
    render.sanitize_html = filtering
    if marks is not None:
        os.path.exists(marks / "end-mark")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    output = {"posts": report, "max_rss_kib": usage.ru_maxrss, "refused": len(viewer.resources_refused)}
    report_path.write_text(json.dumps(output, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
