"""Fetching against a real HTTP server on 127.0.0.1: the feed path end to end, and every kind of
bad page giving one clear line that names the input and the reason, without stopping the brief."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from newsbrief import AddressRefused, Config, Fetcher, FetchError
from newsbrief.cli import main

from .conftest import HOLD_LIMIT, LocalServer, Page
from .stories import BRIDGE, as_html, rss


def _serve_bridge(server: LocalServer) -> list[str]:
    urls = []
    for n, article in enumerate(BRIDGE):
        path = f"/news/{n}.html"
        server.routes[path] = Page(as_html(article, server.url(path)).encode())
        urls.append(server.url(path))
    return urls


class InFlight:
    """Counts the requests a server is answering at once, and the most. Answers are held until
    ``together`` requests have been in flight at the same time (a hand-off, not a delay, so a slow
    machine cannot make requests that may overlap look sequential); a client that sends them one
    at a time never gets there, and its read timeout fails the test."""

    def __init__(self, together: int = 2) -> None:
        self.together = together
        self.now = self.most = 0
        self.lock = threading.Lock()
        self.reached = threading.Event()

    def counted(self, page: Callable[[], Page]) -> Callable[[], Page]:
        def serve() -> Page:
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
                if self.now >= self.together:
                    self.reached.set()
            self.reached.wait(HOLD_LIMIT)
            with self.lock:
                self.now -= 1
            return page()
        return serve


def _run(args: list[str], **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_feed_end_to_end(server: LocalServer) -> None:
    urls = _serve_bridge(server)
    server.routes["/feed.xml"] = Page(rss(list(zip(BRIDGE, urls))).encode(), "application/rss+xml")
    code, out, err = _run(["brief", "--allow-private", "--format", "json", server.url("/feed.xml")])
    assert code == 0, err
    brief = json.loads(out)
    assert {s["outlet"] for s in brief["sources"]} == {"Portavel Tribune", "Harbourside News", "Coastline Review"}
    assert all(s["note"] is None for s in brief["sources"])  # pages were fetched, not entry text
    assert "Gull Bridge" in brief["headline"]
    for path in ["/feed.xml"] + [f"/news/{n}.html" for n in range(3)]:
        assert path in server.requests


def test_unreachable_feed_page_falls_back_to_entry_text(server: LocalServer) -> None:
    urls = _serve_bridge(server)
    missing = server.url("/news/gone.html")
    server.routes["/feed.xml"] = Page(rss([(BRIDGE[0], urls[0]), (BRIDGE[1], missing)]).encode(), "application/rss+xml")
    code, out, err = _run(["brief", "--allow-private", "--format", "json", server.url("/feed.xml")])
    assert code == 0, err
    assert f"warning: {missing}: page could not be fetched (HTTP 404 Not Found); used the feed entry's text" in err
    notes = {s["url"]: s["note"] for s in json.loads(out)["sources"]}
    assert "used the feed entry's text" in notes[missing]


@pytest.mark.parametrize(
    ("path", "page", "reason"),
    [
        ("/missing.html", None, "HTTP 404 Not Found"),
        ("/slow.html", Page(b"<p>late</p>", hold=threading.Event()), "timed out after 1 s"),
        ("/photo.png", Page(b"\x89PNG\r\n\x1a\n\x00\x00binary", "image/png"), "not a web page or feed (content type image/png)"),
        ("/octets", Page(b"\x00\x01\x02\x03" * 100, "text/html"), "not a web page or feed (binary content)"),
        ("/huge.html", Page(b"<p>" + b"word " * 50_000 + b"</p>"), "over the 100,000-byte limit"),
        ("/bad-feed.xml", Page(b"<?xml version='1.0'?><rss><channel><item><title>x</ti", "application/rss+xml"), "malformed feed"),
        ("/empty.html", Page(b"   ", "text/html"), "the document is empty"),
    ],
)
def test_bad_input_gives_one_clear_line_and_the_brief_goes_on(
    server: LocalServer, path: str, page: Page | None, reason: str
) -> None:
    urls = _serve_bridge(server)
    if page is not None:
        server.routes[path] = page
    bad = server.url(path)
    code, out, err = _run(
        ["brief", "--allow-private", bad, *urls],
        NEWSBRIEF_READ_TIMEOUT="1", NEWSBRIEF_MAX_BYTES="100000",
    )
    assert code == 0, err
    lines = [line for line in err.splitlines() if bad in line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"skipped: {bad}: ") and reason in lines[0], lines[0]
    assert "Gull Bridge" in out and "Sources" in out


def test_invalid_utf8_is_read_with_a_warning(server: LocalServer) -> None:
    urls = _serve_bridge(server)
    html = as_html(BRIDGE[0], server.url("/latin.html")).encode().replace(b"Monday", b"Monday \xff\xfe")
    server.routes["/latin.html"] = Page(html)
    code, out, err = _run(["brief", "--allow-private", "--format", "json", server.url("/latin.html"), urls[1]])
    assert code == 0, err
    assert f"warning: {server.url('/latin.html')}: invalid utf-8 at byte" in err
    assert len(json.loads(out)["sources"]) == 2


def test_redirects_are_followed_and_capped(server: LocalServer) -> None:
    urls = _serve_bridge(server)
    server.routes["/moved"] = Page(b"", status=301, headers={"Location": "/news/0.html"})
    server.routes["/loop"] = Page(b"", status=302, headers={"Location": "/loop"})
    with Fetcher(Config.load(allow_private=True)) as fetcher:
        assert fetcher.get(server.url("/moved")).url == urls[0]
        with pytest.raises(Exception, match="more than 5 redirects"):
            fetcher.get(server.url("/loop"))


def test_private_addresses_are_refused_without_allow_private(server: LocalServer) -> None:
    url = _serve_bridge(server)[0]
    code, out, err = _run(["brief", url])
    assert code != 0
    assert f"skipped: {url}: refused: 127.0.0.1 is a loopback address; pass --allow-private" in err
    assert server.requests == []
    with Fetcher(Config.load(allow_private=False)) as fetcher, pytest.raises(AddressRefused):
        fetcher.get("http://localhost:9/")


def test_redirect_to_a_private_address_is_refused() -> None:
    from newsbrief.fetch import check_address

    for url in ("http://10.1.2.3/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://192.168.0.1/"):
        with pytest.raises(AddressRefused):
            check_address(url, allow_private=False)


def test_requests_per_host_are_limited_and_carry_a_user_agent(server: LocalServer) -> None:
    in_flight = InFlight()
    agents: list[str] = []
    for n in range(6):
        server.routes[f"/p{n}"] = in_flight.counted(lambda: Page(b"<p>ok</p>"))
    original = server.httpd.RequestHandlerClass.do_GET

    def recording(handler):  # type: ignore[no-untyped-def]
        agents.append(handler.headers.get("User-Agent", ""))
        original(handler)

    server.httpd.RequestHandlerClass.do_GET = recording
    with Fetcher(Config.load(allow_private=True, per_host=2, concurrency=8)) as fetcher:
        results = list(fetcher.get_many(server.url(f"/p{n}") for n in range(6)))
    assert all(not isinstance(r, Exception) for _, r in results)
    assert in_flight.most == 2
    assert agents and all(a.startswith("newsbrief/") for a in agents)


def test_connection_goes_to_the_checked_address_with_the_original_host(server: LocalServer) -> None:
    urls = _serve_bridge(server)
    hosts: list[str] = []
    original = server.httpd.RequestHandlerClass.do_GET

    def recording(handler):  # type: ignore[no-untyped-def]
        hosts.append(handler.headers.get("Host", ""))
        original(handler)

    server.httpd.RequestHandlerClass.do_GET = recording
    named = urls[0].replace("127.0.0.1", "localhost")
    with Fetcher(Config.load(allow_private=True)) as fetcher:
        response = fetcher.get(named)
    assert response.url == named and b"Gull Bridge" in response.body
    assert hosts == [named.split("/")[2]]  # "localhost:PORT": the name, though 127.0.0.1 was dialled


def test_https_to_the_checked_address_still_verifies_the_certificate_for_the_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import httpx

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = as_html(BRIDGE[0], "https://localhost/").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        trusting = httpx.Client(verify=ssl.create_default_context(cafile=str(cert)))
        with Fetcher(Config.load(allow_private=True), client=trusting) as fetcher:
            url = f"https://localhost:{httpd.server_address[1]}/story"
            assert b"Gull Bridge" in fetcher.get(url).body
            with pytest.raises(FetchError, match="could not fetch"):  # the certificate does not name 127.0.0.1
                fetcher.get(f"https://127.0.0.1:{httpd.server_address[1]}/story")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_urls_given_one_after_another_are_fetched_together_in_order(server: LocalServer) -> None:
    from newsbrief.sources import SourceReader

    in_flight = InFlight()
    for n in range(4):
        page = Page(as_html(BRIDGE[n % len(BRIDGE)], server.url(f"/n{n}")).encode())
        server.routes[f"/n{n}"] = in_flight.counted(lambda page=page: page)
    urls = [server.url("/n0"), server.url("/n1"), server.url("/gone"), server.url("/n2"), server.url("/n3")]
    problems = []
    with Fetcher(Config.load(allow_private=True, per_host=2, concurrency=8)) as fetcher:
        documents = list(SourceReader(fetcher, problems.append).read(urls))
    assert [d.origin for d in documents] == [u for u in urls if not u.endswith("/gone")]
    assert [(p.source, "404" in p.reason) for p in problems] == [(server.url("/gone"), True)]
    assert in_flight.most == 2  # two at a time to one host, not one after another
