"""Remote images against a local HTTP server (127.0.0.1, the standard library's
http.server in a thread): nothing fetched while blocked, each address once, kept
across a restart, failures shown as alt text, big images scaled, offline fetching."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from reader.core.image_cache import ImageCache
from reader.ui.remote_images import RemoteImages
from tests.conftest import post_text


def png_bytes(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


class Server:
    """Serves /a.png … /e.png, /big.png (3000 px wide), /slow.png (after a delay),
    /page.png (HTML sent as image/png) and 404 for anything else; counts requests."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.images = {f"/{n}.png": png_bytes(40, 30) for n in "abcde"}
        self.images["/big.png"] = png_bytes(3000, 200)
        self.slow_release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path] += 1
                if self.path == "/slow.png":
                    server.slow_release.wait(10)
                    body, kind, status = server.images["/a.png"], "image/png", 200
                elif self.path == "/page.png":
                    body, kind, status = b"<html><body>not an image</body></html>", "image/png", 200
                elif self.path in server.images:
                    body, kind, status = server.images[self.path], "image/png", 200
                else:
                    body, kind, status = b"missing", "text/plain", 404
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.slow_release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


def image_post(title: str, date: str, *sources: str) -> str:
    images = "".join(f'<p><img src="{src}" alt="alt of {Path(src).stem}"></p>' for src in sources)
    return post_text(title=title, date=date).replace("Body text.", f"<p>{title}</p>{images}")


@pytest.fixture
def archive(write_archive, server):
    return write_archive(
        {
            "_posts/2024-01-05-one.html": image_post(
                "One", "2024-01-05 10:00:00 +0800", server.url("/a.png"), server.url("/big.png")
            ),
            "_posts/2024-01-04-two.html": image_post(
                "Two", "2024-01-04 10:00:00 +0800", server.url("/missing.png"), server.url("/page.png")
            ),
            "_posts/2024-01-03-three.html": image_post(
                "Three", "2024-01-03 10:00:00 +0800", server.url("/c.png")
            ),
            "_posts/2024-01-02-four.html": image_post(
                "Four", "2024-01-02 10:00:00 +0800", server.url("/a.png"), server.url("/d.png")
            ),
        }
    )


def show(driver, title: str) -> None:
    window = driver.window
    for row in range(window.post_model.rowCount()):
        if window.post_model.post_at(row).title == title:
            window.navigation.select_row(row)
            break
    assert window.viewer.post is not None and window.viewer.post.title == title


def shown_image(viewer, url: str) -> QImage | None:
    return viewer._images.get(url)


def test_nothing_is_fetched_while_remote_images_are_off(driver, archive, server, qtbot):
    window = driver.open(archive)
    for title in ("One", "Two", "Three", "Four"):
        show(driver, title)
    show(driver, "One")
    qtbot.wait(300)
    assert sum(server.hits.values()) == 0
    text = window.viewer.toPlainText()
    assert "[alt of a]" in text and "[alt of big]" in text
    assert "Show 2 remote image" in text  # the one-click link in the header


def test_load_remote_images_fetches_each_address_once_and_scales_big_ones(driver, archive, server, qtbot):
    window = driver.open(archive)
    show(driver, "One")
    window.images.set_remote(True)
    a, big = server.url("/a.png"), server.url("/big.png")
    qtbot.waitUntil(lambda: shown_image(window.viewer, a) is not None, timeout=10000)
    qtbot.waitUntil(lambda: shown_image(window.viewer, big) is not None, timeout=10000)
    assert shown_image(window.viewer, big).width() <= window.viewer.viewport().width()
    assert "[alt of a]" not in window.viewer.toPlainText()
    show(driver, "Four")  # /a.png again, and /d.png
    qtbot.waitUntil(lambda: shown_image(window.viewer, server.url("/d.png")) is not None, timeout=10000)
    show(driver, "One")
    qtbot.wait(200)
    assert server.hits["/a.png"] == 1 and server.hits["/big.png"] == 1 and server.hits["/d.png"] == 1
    # The choice is remembered for this archive.
    second = driver.new_window()
    driver.open(archive, second)
    assert second.act_remote_images.isChecked()


def test_images_are_kept_across_a_restart(driver, archive, server, qtbot):
    window = driver.open(archive)
    window.images.set_remote(True)
    show(driver, "Three")
    c = server.url("/c.png")
    qtbot.waitUntil(lambda: shown_image(window.viewer, c) is not None, timeout=10000)
    window.close()
    restarted = driver.new_window()
    driver.window = restarted
    renders = []
    original = restarted.viewer._render
    restarted.viewer._render = lambda *args: (renders.append(1), original(*args))
    driver.open(archive, restarted)  # the session shows "Three" again
    show(driver, "Three")
    assert shown_image(restarted.viewer, c) is not None  # straight from the cache
    qtbot.wait(400)
    assert server.hits["/c.png"] == 1
    assert len(renders) == 1  # laid out once: a cached image needs no second pass


def test_failures_and_non_images_show_the_alt_text_and_are_not_kept(driver, archive, server, qtbot):
    window = driver.open(archive)
    window.images.set_remote(True)
    show(driver, "Two")
    missing, page = server.url("/missing.png"), server.url("/page.png")
    qtbot.waitUntil(
        lambda: window.remote_images.has_failed(missing) and window.remote_images.has_failed(page),
        timeout=10000,
    )
    qtbot.waitUntil(lambda: "[alt of page]" in window.viewer.toPlainText(), timeout=5000)
    assert "[alt of missing]" in window.viewer.toPlainText()
    assert page not in window.remote_images.cache and missing not in window.remote_images.cache
    assert shown_image(window.viewer, page) is None


def test_show_images_for_one_post_only(driver, archive, server, qtbot):
    window = driver.open(archive)
    show(driver, "Three")
    window.follow_link("reader:show-images")
    c = server.url("/c.png")
    qtbot.waitUntil(lambda: shown_image(window.viewer, c) is not None, timeout=10000)
    show(driver, "One")
    qtbot.wait(300)
    assert server.hits["/a.png"] == 0 and server.hits["/big.png"] == 0
    assert not window.act_remote_images.isChecked()


def test_a_slow_image_does_not_hold_the_post_back(driver, archive, server, qtbot, write_archive):
    root = write_archive(
        {
            "_posts/2024-02-01-slow.html": image_post(
                "Slow", "2024-02-01 10:00:00 +0800", server.url("/slow.png")
            )
        }
    )
    window = driver.open(root)
    window.images.set_remote(True)
    show(driver, "Slow")
    qtbot.waitUntil(lambda: server.hits["/slow.png"] == 1, timeout=5000)
    assert "Slow" in window.viewer.toPlainText()  # the text is there while the image comes
    server.slow_release.set()
    qtbot.waitUntil(lambda: shown_image(window.viewer, server.url("/slow.png")) is not None, timeout=10000)


def test_make_available_offline_fetches_everything_then_resumes_with_nothing_to_do(
    driver, archive, server, qtbot
):
    window = driver.open(archive)
    progress: list[tuple[int, int]] = []
    window.images.make_available_offline()
    job = window.images.job
    job.progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=20000) as finished:
        pass
    fetched, failed = finished.args
    assert (fetched, failed) == (4, 2)  # a, big, c, d; missing and page fail
    assert progress[-1] == (6, 6)
    for path in ("/a.png", "/big.png", "/c.png", "/d.png"):
        assert server.url(path) in window.remote_images.cache
        assert server.hits[path] == 1
    # Offline now: the pane shows them from the cache with remote images on.
    server.close()
    window.images.set_remote(True)
    show(driver, "Three")
    qtbot.waitUntil(lambda: shown_image(window.viewer, server.url("/c.png")) is not None, timeout=5000)
    # Started again (a new run): what is cached is done at once, nothing is fetched.
    restarted = driver.new_window()
    driver.open(archive, restarted)
    restarted.images.make_available_offline()
    with qtbot.waitSignal(restarted.images.job.finished, timeout=20000) as again:
        pass
    assert again.args[0] == 4
    assert restarted.remote_images.fetched == 2  # only the two that failed are tried again


def test_offline_fetching_can_be_cancelled(driver, server, qtbot, write_archive):
    root = write_archive(
        {
            f"_posts/2024-03-0{i}-p.html": image_post(
                f"P{i}", f"2024-03-0{i} 10:00:00 +0800", server.url("/slow.png"), server.url(f"/{n}.png")
            )
            for i, n in zip(range(1, 5), "abcd", strict=True)
        }
    )
    window = driver.open(root)
    window.images.make_available_offline()
    job = window.images.job
    qtbot.waitUntil(lambda: server.hits["/slow.png"] == 1, timeout=10000)
    with qtbot.waitSignal(job.finished, timeout=5000):
        window.images.cancel()
    assert not job.running and not window.act_offline_cancel.isEnabled()


def test_the_cache_cap_applies_to_fetched_images(tmp_path, server, qtbot):
    images = RemoteImages(ImageCache(tmp_path / "images", limit=len(server.images["/a.png"]) * 2 + 10))
    for name in "abcde":
        with qtbot.waitSignal(images.ready, timeout=10000):
            images.request(server.url(f"/{name}.png"))
        time.sleep(0.01)  # distinct use times
    assert images.cache.total_size() <= images.cache.limit
    assert server.url("/e.png") in images.cache and server.url("/a.png") not in images.cache


def test_clear_image_cache(driver, archive, server, qtbot):
    window = driver.open(archive)
    window.images.set_remote(True)
    show(driver, "Three")
    c = server.url("/c.png")
    qtbot.waitUntil(lambda: c in window.remote_images.cache, timeout=10000)
    window.images.clear_cache()
    assert c not in window.remote_images.cache
    assert window.remote_images.cache.total_size() == 0


def test_each_address_is_asked_for_once_per_run_even_when_it_fails(tmp_path, server, qtbot):
    images = RemoteImages(ImageCache(tmp_path / "images"))
    a, missing = server.url("/a.png"), server.url("/missing.png")
    with qtbot.waitSignal(images.failed, timeout=10000):
        assert images.request(a) and images.request(missing)
        assert not images.request(a)  # still on its way: not asked again
    qtbot.waitUntil(lambda: not images.busy, timeout=10000)
    assert not images.request(missing) and not images.request(a)
    qtbot.wait(200)
    assert server.hits["/a.png"] == 1 and server.hits["/missing.png"] == 1
