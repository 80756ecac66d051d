"""Shared fixtures: a real HTTP server on 127.0.0.1 and the paths of the bundled and shared data."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "selvan-dam"
SHARED_DATA = REPO.parent / "shared" / "data"


def run_on_a_terminal(args: list[str], env: dict[str, str], timeout: float = 300) -> tuple[int, str]:
    """Run a command with its stderr on a pseudo-terminal; its exit code and what it showed there."""
    import os
    import pty
    import subprocess

    leader, follower = pty.openpty()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=timeout)
    os.close(leader)
    return process.returncode, seen.decode("utf-8", "replace")


def split_sample(folder: Path) -> tuple[Path, Path]:
    """The sample in two folders: everything but the radio report first, then the radio report
    (which raises the toll and adds an outlet), to make a story's brief change between ingests."""
    first, later = folder / "first", folder / "later"
    first.mkdir()
    later.mkdir()
    for path in EXAMPLES.iterdir():
        if path.suffix != ".jsonl":
            (first / path.name).write_bytes(path.read_bytes())
    wire, radio = (EXAMPLES / "wire-and-radio.jsonl").read_text("utf-8").splitlines()
    (first / "wire.jsonl").write_text(wire + "\n", "utf-8")
    (later / "radio.jsonl").write_text(radio + "\n", "utf-8")
    return first, later


HOLD_LIMIT = 300.0  # a held response is sent anyway after this long, so a failing test cannot hang


@dataclass
class Page:
    """A response. ``hold``: the server answers only once the test sets this event (an explicit
    hand-off, so a test never hopes that a delay was long or short enough)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] | None = None
    hold: threading.Event | None = None


class LocalServer:
    """A real HTTP server on 127.0.0.1 serving whatever pages a test puts in ``routes``: a Page,
    or a function returning one (given the request headers if it takes an argument, and the
    request body too for a POST if it takes two)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Page | Callable[[], Page]] = {}
        self.requests: list[str] = []
        self.held = threading.Event()  # set once some request is waiting on a Page's hold
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self.do_GET(self.rfile.read(length))

            def do_GET(self, body: bytes | None = None) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if callable(route):
                    wanted = len(inspect.signature(route).parameters)
                    page = route(self.headers, body) if wanted == 2 else route(self.headers) if wanted else route()
                else:
                    page = route
                if page is None:
                    page = Page(b"<h1>Not found</h1>", status=404)
                if page.hold is not None:
                    server.holds.append(page.hold)
                    server.held.set()
                    page.hold.wait(HOLD_LIMIT)
                try:
                    self.send_response(page.status)
                    self.send_header("Content-Type", page.content_type)
                    self.send_header("Content-Length", str(len(page.body)))
                    for name, value in (page.headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.holds: list[threading.Event] = []
        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def release(self) -> None:
        """Let every held response go."""
        for hold in self.holds:
            hold.set()


@contextmanager
def serving(host: str = "127.0.0.1") -> Iterator[LocalServer]:
    """A LocalServer on ``host`` (any loopback address: 127.0.0.2 is another host to a client that
    limits requests per host), shut down at the end with its held responses released."""
    local = LocalServer(host)
    local.thread.start()
    try:
        yield local
    finally:
        local.release()
        local.httpd.shutdown()
        local.httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serving() as local:
        yield local


@pytest.fixture
def other_host() -> Iterator[LocalServer]:
    with serving("127.0.0.2") as local:
        yield local
