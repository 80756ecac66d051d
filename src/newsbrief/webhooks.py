"""Delivering queued alerts to webhooks: signed, at least once, retried with backoff.

Each alert is POSTed as JSON with ``X-Newsbrief-Signature: sha256=<hex HMAC-SHA256 of the body with
NEWSBRIEF_WEBHOOK_SECRET>`` (left out when no secret is set) and ``X-Newsbrief-Delivery``, the same
on every attempt, so a receiver can drop a repeat. An alert is marked delivered only after a 2xx
answer; anything else (an error status, a refused connection, a timeout) counts an attempt and
schedules the next one, doubling from ``FIRST_RETRY`` up to ``MAX_RETRY``. A receiver that answered
2xx but whose answer was lost, or two watchers sharing a PostgreSQL database, can get an alert twice:
that is the at-least-once rule, and what the delivery id is for.

Targets pass the fetcher's address guard: a private, loopback or link-local address is refused
unless ``allow_private`` is set; redirects are not followed."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from .errors import FetchError
from .fetch import check_address, pinned, retry_after_seconds
from .settings import Config
from .store.follows import Alert, FollowTable
from .store.relational import RelationalStore

SIGNATURE_HEADER = "X-Newsbrief-Signature"
DELIVERY_HEADER = "X-Newsbrief-Delivery"
FIRST_RETRY = 60.0  # seconds after a first failure
MAX_RETRY = 6 * 3600.0  # a failing receiver is still tried four times a day
BATCH = 100  # alerts sent in one round at most; the rest wait for the next


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Seconds until an alert that has failed ``attempts`` times is tried again (never sooner than
    the receiver's Retry-After, within the cap)."""
    doublings = min(max(0, attempts - 1), 30)  # past the cap anyway; a float power would overflow
    delay = min(MAX_RETRY, FIRST_RETRY * 2.0 ** doublings)
    return min(MAX_RETRY, max(delay, retry_after or 0.0))


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # one per target that failed this round

    @property
    def attempted(self) -> int:
        return self.sent + self.failed

    def line(self) -> str:
        if not self.attempted:
            return "alerts: none due"
        text = f"alerts: {self.sent} delivered, {self.failed} failed (retried later)"
        return text + "".join(f"\n    {error}" for error in self.errors)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def deliver_due(store: RelationalStore, config: Config | None = None, now: datetime | None = None,
                limit: int = BATCH, client: httpx.Client | None = None) -> DeliveryReport:
    """Send the alerts that are due. A target that fails is not asked again in the same round:
    its other due alerts are put off with it, so one receiver that is down costs one timeout."""
    config = config or Config.load()
    now = now or datetime.now(timezone.utc)
    started = time.perf_counter()
    report = DeliveryReport()
    table = FollowTable(store)
    due = table.due_alerts(now, limit)
    if not due:
        return report
    own_client = client is None
    client = client or httpx.Client(timeout=httpx.Timeout(config.webhook_timeout), follow_redirects=False,
                                    headers={"User-Agent": config.agent})
    down: dict[str, tuple[str, float | None]] = {}
    try:
        for alert in due:
            if alert.target not in down:
                error, retry_after = _post(client, alert, config)
                if error is None:
                    table.delivered(alert, now)
                    report.sent += 1
                    continue
                down[alert.target] = (error, retry_after)
                report.errors.append(f"{_shown(alert.target)}: {error}")
            error, retry_after = down[alert.target]
            table.failed(alert, now, error, now + timedelta(seconds=retry_delay(alert.attempts + 1, retry_after)))
            report.failed += 1
    finally:
        if own_client:
            client.close()
    report.seconds = time.perf_counter() - started
    return report


def _post(client: httpx.Client, alert: Alert, config: Config) -> tuple[str | None, float | None]:
    """POST one alert; (None, None) on a 2xx answer, else (what went wrong, Retry-After seconds)."""
    body = alert.body.encode("utf-8")
    try:
        ip = check_address(alert.target, config.allow_private)
    except FetchError as exc:
        return exc.reason, None
    url, host, extensions = pinned(alert.target, ip)
    headers = {"Content-Type": "application/json", DELIVERY_HEADER: alert.delivery_id, **host}
    if config.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, config.webhook_secret)
    request = client.build_request("POST", url, content=body, headers=headers, extensions=extensions)
    try:
        response = client.send(request, stream=True)  # the answer's body is not read: only its status counts
        response.close()
    except httpx.TimeoutException:
        return f"timed out after {config.webhook_timeout:g} s (webhook_timeout)", None
    except httpx.HTTPError as exc:
        return f"could not post: {exc.__class__.__name__}: {str(exc)[:200]}", None
    if 200 <= response.status_code < 300:
        return None, None
    return (f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
            retry_after_seconds(response.headers.get("retry-after")))


def _shown(url: str) -> str:
    """A webhook URL for messages, without its path and query (they often hold a token)."""
    parts = httpx.URL(url)
    return f"{parts.scheme}://{parts.host}{f':{parts.port}' if parts.port else ''}/..."
