"""The reading pane reads nothing outside the archive, whatever a post's HTML says.

The hostile archive of :mod:`tests.ui.containment_corpus` is shown post by post in a real
``Viewer`` (screen and print document, as rendered and with the active-content filter
off) in a child process, :mod:`tests.ui.containment_child`, watched three ways: strace
records every file system call it makes (what Qt opened), the child counts the pixels it
drew (what Qt showed), and a server on 127.0.0.1 logs every request (what was fetched).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ui import containment_corpus
from tests.ui.containment_corpus import Corpus

pytestmark = pytest.mark.slow

#: Showing the corpus takes a few seconds, ten or so under strace on a busy machine.
TIMEOUT = 180
#: A viewer that blocks on a named pipe never ends: this long means it hung.
DEVICE_TIMEOUT = 90
#: The child's peak memory: Qt and the pane take ~100 MB; /dev/zero took 4 GB.
MAX_RSS_KIB = 500 * 1024

_OPEN = re.compile(r'^\d+\s+(?:open|openat|openat2|creat)\((?:(\w+|\d+)<([^>]*)>, )?"((?:[^"\\]|\\.)*)"')
_RESULT = re.compile(r"^\d+\s+(?:<\.\.\. )?(?:open|openat|openat2|creat)\b.*= \d+<(.*)>$")


class RequestLog:
    """A server on 127.0.0.1 that answers 404 to everything and keeps each path asked."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        log = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                log.append(self.path)
                self.send_error(404)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


@dataclass
class Run:
    corpus: Corpus
    report: dict[str, object]
    opened: list[str]  # every path the child opened or tried to open while showing posts
    requests: list[str]


def opened_paths(trace: str) -> list[str]:
    """The paths of every open call between the child's start and end marks, as asked
    (joined to the folder they were relative to) and as opened (strace -y)."""
    lines = trace.splitlines()
    start = next(i for i, line in enumerate(lines) if "start-mark" in line)
    end = next(i for i, line in enumerate(lines) if "end-mark" in line)
    paths = []
    for line in lines[start:end]:
        call = _OPEN.match(line)
        if call:
            folder, name = call.group(2), call.group(3).encode().decode("unicode_escape")
            paths.append(os.path.normpath(os.path.join(folder or "/", name)))
        result = _RESULT.match(line)
        if result:
            paths.append(result.group(1))
    return paths


def strace() -> str:
    found = shutil.which("strace")
    if found is None:
        pytest.fail("these tests watch the viewer with strace: install it (Debian package strace)")
    return found


def run_child(tmp: Path, corpus: Corpus, requests: RequestLog, timeout: int) -> Run:
    """Show every post of ``corpus`` in a child process under strace (see the module)."""
    marks = tmp / "marks"
    marks.mkdir()
    trace, report = tmp / "trace.txt", tmp / "report.json"
    command = [strace(), "-f", "-y", "-qq", "-s", "8192", "-e", "trace=%file", "-o", str(trace)]
    command += [sys.executable, "-m", "tests.ui.containment_child", str(corpus.root), str(report)]
    command += ["--marks", str(marks)]
    user = tmp / "user"
    environment = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    environment.update({name: str(user / name.lower()) for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
    environment.update({name: str(user / name.lower()) for name in ("XDG_DATA_HOME", "XDG_STATE_HOME")})
    child = subprocess.Popen(
        command,
        cwd=corpus.root / "_posts",  # relative names resolve alike against it and the post
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _out, errors = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"the viewer did not finish showing the posts within {timeout} s: it hung")
    assert child.returncode == 0, f"the viewer failed ({child.returncode}):\n{errors.decode()[-3000:]}"
    return Run(
        corpus,
        json.loads(report.read_text(encoding="utf-8")),
        opened_paths(trace.read_text(encoding="utf-8", errors="replace")),
        list(requests.paths),
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("hostile")
    requests = RequestLog()
    try:
        corpus = containment_corpus.build(tmp, requests.port)
        yield run_child(tmp, corpus, requests, TIMEOUT)
    finally:
        requests.close()


@pytest.fixture(scope="module")
def devices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    tmp = tmp_path_factory.mktemp("devices")
    requests = RequestLog()
    try:
        corpus = containment_corpus.build(tmp, requests.port, devices=True)
        yield run_child(tmp, corpus, requests, DEVICE_TIMEOUT)
    finally:
        requests.close()


def forbidden_opens(run: Run) -> list[str]:
    return sorted(
        {
            path
            for path in run.opened
            for forbidden in run.corpus.forbidden
            if path == forbidden or path.startswith(forbidden + "/")
        }
    )


def colours(run: Run, prefix: str, mode: str = "") -> dict[str, dict[str, int]]:
    """Post -> the colours drawn on screen and on paper together, for posts named ``prefix…``."""
    posts = run.report["posts"]
    assert isinstance(posts, dict)
    found: dict[str, dict[str, int]] = {}
    for key, drawn in posts.items():
        post_mode, name = key.split(" ", 1)
        if name.startswith(prefix) and mode in ("", post_mode):
            screen, paper = drawn["screen"], drawn["paper"]
            found[key] = {colour: screen[colour] + paper[colour] for colour in screen}
    assert found, prefix
    return found


# --- what Qt opened ---------------------------------------------------------------------


def test_the_trace_sees_what_the_viewer_opens(hostile):
    """The check below can fail: the images inside the archive were opened, and seen."""
    images = hostile.corpus.root / "img"
    assert str(images / "inside.png") in hostile.opened
    assert str(images / "inside-magenta.png") in hostile.opened


def test_no_file_outside_the_archive_is_opened(hostile):
    assert forbidden_opens(hostile) == []


def test_nothing_is_requested_from_the_network(hostile):
    assert hostile.requests == []


# --- what Qt drew -----------------------------------------------------------------------


def test_the_pixel_checks_see_images_and_colours(hostile):
    for drawn in colours(hostile, "control-inside-image").values():
        assert drawn["blue"] > 100
    for drawn in colours(hostile, "control-data-url").values():
        assert drawn["blue"] > 100
    for drawn in colours(hostile, "control-inside-magenta").values():
        assert drawn["magenta"] > 100
    for drawn in colours(hostile, "control-big-inside-magenta").values():
        assert drawn["magenta"] > 100
    for drawn in colours(hostile, "control-green-text").values():
        assert drawn["green"] > 20


def test_an_svg_inside_the_archive_is_not_drawn(hostile):
    """Qt's SVG reader follows what a drawing names by itself: no SVG is drawn at all."""
    for drawn in colours(hostile, "svg-inside").values():
        assert drawn["blue"] == 0


def test_nothing_from_outside_is_drawn(hostile):
    drawn = colours(hostile, "out-")
    assert len(drawn) == 2 * len([name for name in hostile.corpus.posts if name.startswith("out-")])
    assert {post: seen for post, seen in drawn.items() if seen["magenta"] or seen["green"]} == {}


def test_a_posts_own_css_does_not_restyle_the_pane(hostile):
    drawn = colours(hostile, "css-", "filtered")
    assert {post: seen for post, seen in drawn.items() if seen["green"]} == {}


# --- devices, named pipes, huge files -----------------------------------------------------


def test_devices_and_named_pipes_neither_hang_nor_grow(devices):
    # The fixture failed already if the child hung (DEVICE_TIMEOUT) or died of memory.
    rss = devices.report["max_rss_kib"]
    assert isinstance(rss, int) and rss < MAX_RSS_KIB
    assert forbidden_opens(devices) == []
    for drawn in colours(devices, "control-inside-image").values():
        assert drawn["blue"] > 100, "the viewer still shows what it may"
    assert {post: seen for post, seen in colours(devices, "dev-").items() if seen["magenta"]} == {}


# --- the window: remote images --------------------------------------------------------------


@pytest.fixture
def request_log() -> Iterator[RequestLog]:
    log = RequestLog()
    yield log
    log.close()


def test_remote_addresses_are_not_requested_while_remote_images_are_off(driver, tmp_path, request_log, qtbot):
    corpus = containment_corpus.build(tmp_path / "net", request_log.port, only=("out-http", "out-markdown"))
    window = driver.open(corpus.root)
    model = window.post_model
    assert model.rowCount() == 5
    for row in range(model.rowCount()):
        window.navigation.select_row(row)
    window.navigation.select_row(0)
    qtbot.wait(500)
    assert request_log.paths == []
    # Asked for, only the images are fetched: never a background, style sheet or srcset.
    window.images.set_remote(True)
    for row in range(model.rowCount()):
        window.navigation.select_row(row)
    asked = {"/img.png", "/markdown.png"}  # //host/x is fetched over https: no path here
    qtbot.waitUntil(lambda: set(request_log.paths) >= asked, timeout=10000)
    qtbot.wait(300)
    assert set(request_log.paths) == asked
