"""robots.txt for article pages: fetched once per site through the same guarded fetcher, read with
the standard library's parser, and obeyed with our User-Agent's product token.

Following RFC 9309: a robots.txt that does not exist (4xx) allows everything; one that cannot be
reached (5xx, timeout, refused) disallows the site for now, and the question is asked again later.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from .errors import FetchError
from .fetch import Fetcher

UNREACHABLE_RETRY = 600.0  # seconds before asking an unreachable site for robots.txt again
KEEP = 24 * 3600.0  # seconds a robots.txt is trusted before it is fetched again


class Robots:
    """Answers "may this URL be fetched?" for a fetcher's User-Agent, caching per site."""

    def __init__(self, fetcher: Fetcher, clock=time.monotonic) -> None:
        self.fetcher = fetcher
        self.token = fetcher.config.user_agent.split("/")[0].split()[0] or "*"
        self.clock = clock
        self._rules: dict[str, tuple[float, RobotFileParser | bool]] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            cached = self._rules.get(site)
        if cached is None or cached[0] < self.clock():
            cached = self._load(site)
            with self._lock:
                self._rules[site] = cached
        rules = cached[1]
        return rules if isinstance(rules, bool) else rules.can_fetch(self.token, url)

    def _load(self, site: str) -> tuple[float, RobotFileParser | bool]:
        try:
            response = self.fetcher.get(site + "/robots.txt")
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return self.clock() + KEEP, True
            return self.clock() + UNREACHABLE_RETRY, False
        parser = RobotFileParser()
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return self.clock() + KEEP, parser
