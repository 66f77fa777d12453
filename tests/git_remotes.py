"""Git remotes on this machine for the tests of updating and cloning: a bare repository
(by path or ``file://``), ``git daemon`` on 127.0.0.1 (git://, where libgit2 clones
shallow), a slow proxy in front of it (to stop a clone midway), and an HTTP server that
asks to sign in. Upstream commits are made with the ``git`` command."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import post_text

IDENTITY = ["-c", "user.name=Upstream", "-c", "user.email=upstream@example.invalid"]


def git(*arguments: str, cwd: Path) -> str:
    done = subprocess.run(["git", *IDENTITY, *arguments], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def post(name: str, title: str) -> str:
    day = name[:10]
    return post_text(title=title, date=f"{day} 08:00:00 +0800")


class Upstream:
    """A work tree that publishes to a bare repository, as the archive's scheduled job does."""

    def __init__(self, folder: Path) -> None:
        self.work = folder / "upstream"
        self.bare = folder / "remote.git"
        self.work.mkdir(parents=True)
        git("init", "-q", "-b", "main", cwd=self.work)
        git("init", "-q", "--bare", "-b", "main", str(self.bare), cwd=folder)
        git("remote", "add", "origin", str(self.bare), cwd=self.work)

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def publish(
        self, add: dict[str, str] | None = None, move: list[str] | None = None, message: str = "posts"
    ) -> str:
        """Add posts (``{path: title}``), move ``_posts/x`` to ``old_post/x``, commit, push."""
        for path, title in (add or {}).items():
            target = self.work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(post(target.name, title), encoding="utf-8")
        for path in move or []:
            (self.work / "old_post").mkdir(exist_ok=True)
            git("mv", path, f"old_post/{Path(path).name}", cwd=self.work)
        git("add", "-A", cwd=self.work)
        git("commit", "-qm", message, cwd=self.work)
        git("push", "-q", "origin", "main", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server ended at once")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@contextmanager
def git_daemon(base: Path) -> Iterator[str]:
    """``git daemon`` serving every repository under ``base``; gives ``git://127.0.0.1:PORT``."""
    if shutil.which("git") is None:
        pytest.skip("no git command to serve git://")
    port = free_port()
    process = subprocess.Popen(
        [
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--listen=127.0.0.1",
            f"--port={port}",
            f"--base-path={base}",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        try:
            _wait_for_port(port, process)
        except RuntimeError as error:
            pytest.skip(f"git daemon cannot serve here: {error}")
        yield f"git://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def slow_proxy(target_port: int, bytes_per_second: int) -> Iterator[int]:
    """A TCP proxy on 127.0.0.1 passing the server's bytes at ``bytes_per_second``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = int(listener.getsockname()[1])
    stop = threading.Event()

    def pump(source: socket.socket, sink: socket.socket, slow: bool) -> None:
        try:
            while not stop.is_set():
                data = source.recv(4096 if slow else 65536)
                if not data:
                    break
                sink.sendall(data)
                if slow:
                    time.sleep(len(data) / bytes_per_second)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def serve() -> None:
        connections: list[socket.socket] = []
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                break
            server = socket.create_connection(("127.0.0.1", target_port))
            connections += [client, server]
            threading.Thread(target=pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=pump, args=(server, client, True), daemon=True).start()
        for connection in connections:
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        listener.close()
        thread.join(5)


class _AskToSignIn(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="archive"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def http_asking_to_sign_in() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that answers every request with 401 (sign in)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AskToSignIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/archive.git"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
