"""HTTP fetching with limits: timeouts, a size cap, a redirect cap, per-host politeness and a
guard that refuses private, loopback and link-local addresses unless they are allowed."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import AddressRefused, FetchError
from .settings import Config

TEXT_TYPES = (
    "text/",
    "application/xhtml+xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
)


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "not a public address"
    return None


def check_address(url: str, allow_private: bool) -> None:
    """Raise AddressRefused if ``url``'s host is not a public internet address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(url, f"unsupported scheme {parts.scheme!r}; only http and https are fetched")
    host = parts.hostname
    if not host:
        raise FetchError(url, "the URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(url, f"host {host!r} not found ({exc.strerror})") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        kind = _address_kind(ip)
        if kind:
            where = f"{host} is" if host.strip("[]") == str(ip) else f"{host} resolves to {ip},"
            raise AddressRefused(
                url,
                f"refused: {where} {kind}; pass --allow-private "
                "(or set NEWSBRIEF_ALLOW_PRIVATE=1) to fetch from private networks",
            )


class Fetcher:
    """Fetches URLs politely. Pass ``client`` to supply your own httpx transport."""

    def __init__(self, config: Config | None = None, client: httpx.Client | None = None) -> None:
        self.config = config or Config.load()
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(self.config.read_timeout, connect=self.config.connect_timeout),
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
        )
        self._host_slots: dict[str, threading.Semaphore] = defaultdict(
            lambda: threading.Semaphore(self.config.per_host)
        )
        self._lock = threading.Lock()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _slot(self, url: str) -> threading.Semaphore:
        with self._lock:
            return self._host_slots[urlsplit(url).hostname or ""]

    def get(self, url: str) -> Response:
        """Fetch one URL, following up to ``max_redirects`` redirects, each checked by the guard."""
        current = url
        for _ in range(self.config.max_redirects + 1):
            check_address(current, self.config.allow_private)
            with self._slot(current):
                response = self._get_once(url, current)
            if isinstance(response, str):
                current = urljoin(current, response)
                continue
            return response
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def _get_once(self, original: str, url: str) -> Response | str:
        """One request; returns the Location of a redirect, or the response."""
        deadline = time.monotonic() + self.config.connect_timeout + 2 * self.config.read_timeout
        try:
            with self._client.stream("GET", url) as response:
                if response.is_redirect and "location" in response.headers:
                    return response.headers["location"]
                if response.status_code >= 400:
                    raise FetchError(original, f"HTTP {response.status_code} {response.reason_phrase}")
                content_type = response.headers.get("content-type", "")
                if content_type and not content_type.lower().startswith(TEXT_TYPES):
                    raise FetchError(
                        original, f"not a web page or feed (content type {content_type.split(';')[0]})"
                    )
                limit = self.config.max_bytes
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(original, f"page is {int(declared):,} bytes, over the {limit:,}-byte limit (max_bytes)")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(original, f"page is over the {limit:,}-byte limit (max_bytes)")
                    if time.monotonic() > deadline:
                        raise FetchError(original, "timed out: the server sent the page too slowly")
                    chunks.append(chunk)
                body = b"".join(chunks)
        except httpx.TimeoutException:
            raise FetchError(
                original, f"timed out after {self.config.read_timeout:g} s waiting for the server (read_timeout)"
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(original, f"could not fetch: {exc.__class__.__name__}: {exc}") from None
        if b"\x00" in body[:2048]:
            raise FetchError(original, "not a web page or feed (binary content)")
        return Response(str(response.url), response.status_code, content_type, body)

    def get_many(self, urls: Iterable[str]) -> Iterator[tuple[str, Response | FetchError]]:
        """Fetch many URLs concurrently (bounded overall and per host); results in input order."""
        url_list = list(urls)

        def one(u: str) -> Response | FetchError:
            try:
                return self.get(u)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=max(1, self.config.concurrency)) as pool:
            yield from zip(url_list, pool.map(one, url_list))
