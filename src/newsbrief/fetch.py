"""HTTP fetching with limits: timeouts, a size cap, a redirect cap, per-host politeness and a
guard that refuses private, loopback and link-local addresses unless they are allowed."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

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
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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


def check_address(url: str, allow_private: bool) -> str:
    """The IP address to connect to for ``url``; AddressRefused if it is not a public internet
    address (unless ``allow_private``). Connecting to exactly this address, rather than resolving
    the name again, closes the DNS-rebinding gap between the check and the connection."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(url, f"unsupported scheme {parts.scheme!r}; only http and https are fetched")
    host = parts.hostname
    if not host:
        raise FetchError(url, "the URL has no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(url, f"host {host!r} not found ({exc.strerror})") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for ip in addresses:
        kind = None if allow_private else _address_kind(ip)
        if kind:
            where = f"{host} is" if host.strip("[]") == str(ip) else f"{host} resolves to {ip},"
            raise AddressRefused(
                url,
                f"refused: {where} {kind}; pass --allow-private "
                "(or set NEWSBRIEF_ALLOW_PRIVATE=1) to fetch from private networks",
            )
    return str(addresses[0])


def pinned(url: str, ip: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """``url`` with its host replaced by ``ip``, and the Host header and TLS server name that keep
    the request (and certificate check) addressed to the original host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.strip("[]") == ip:
        return url, {}, {}
    literal = f"[{ip}]" if ":" in ip else ip
    netloc = literal + (f":{parts.port}" if parts.port else "")
    authority = parts.netloc.rsplit("@", 1)[-1]
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), {"Host": authority}, extensions


class Fetcher:
    """Fetches URLs politely. Pass ``client`` to supply your own httpx transport."""

    def __init__(self, config: Config | None = None, client: httpx.Client | None = None) -> None:
        self.config = config or Config.load()
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(self.config.read_timeout, connect=self.config.connect_timeout),
            headers={"User-Agent": self.config.agent, "Accept-Encoding": "gzip, deflate"},
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

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """Fetch one URL, following up to ``max_redirects`` redirects, each checked by the guard.
        ``headers`` are sent with each request (e.g. If-None-Match / If-Modified-Since, in which
        case a 304 comes back as a Response whose ``not_modified`` is true and body empty)."""
        current = url
        for _ in range(self.config.max_redirects + 1):
            ip = check_address(current, self.config.allow_private)
            with self._slot(current):
                response = self._get_once(url, current, ip, headers or {})
            if isinstance(response, str):
                current = urljoin(current, response)
                continue
            return response
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def _get_once(self, original: str, url: str, ip: str, extra: dict[str, str]) -> Response | str:
        """One request to ``ip``; returns the Location of a redirect, or the response."""
        deadline = time.monotonic() + self.config.connect_timeout + 2 * self.config.read_timeout
        target, headers, extensions = pinned(url, ip)
        request = self._client.build_request("GET", target, headers={**extra, **headers}, extensions=extensions)
        try:
            with contextlib.closing(self._client.send(request, stream=True)) as response:
                if response.is_redirect and "location" in response.headers:
                    return response.headers["location"]
                kept = {name.lower(): value for name, value in response.headers.items()}
                if response.status_code == 304:
                    return Response(url, 304, "", b"", kept)
                if response.status_code >= 400:
                    wait = retry_after_seconds(response.headers.get("retry-after"))
                    said = f"; the server asks to retry after {wait:.0f} s" if wait is not None else ""
                    raise FetchError(original, f"HTTP {response.status_code} {response.reason_phrase}{said}",
                                     status=response.status_code, retry_after=wait)
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
        return Response(url, response.status_code, content_type, body, kept)

    def get_many(self, urls: Iterable[str], headers_for: Callable[[str], dict[str, str]] | None = None,
                 ) -> Iterator[tuple[str, Response | FetchError]]:
        """Fetch many URLs concurrently (bounded overall and per host); results in input order.
        ``headers_for(url)`` gives each request's extra headers (validators for conditional GET)."""
        url_list = list(urls)

        def one(u: str) -> Response | FetchError:
            try:
                return self.get(u, headers_for(u) if headers_for else None)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=max(1, self.config.concurrency)) as pool:
            yield from zip(url_list, pool.map(one, url_list))
