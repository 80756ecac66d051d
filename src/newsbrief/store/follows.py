"""Watchlists, the brief versions each one matched, and the queue of webhook alerts, on either backend.

Written only with the store's backend-neutral helpers (``_run``, ``_one``, ``_all``, ``_insert``,
``transaction`` and ``?`` placeholders; see ``relational``), so the same SQL serves SQLite and
PostgreSQL. Rows are read by column position (PostgreSQL rows are tuples)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from ..errors import NewsbriefError
from .relational import RelationalStore, _now

KINDS = ("name", "query", "story")
FOLLOW_COLUMNS = "id, kind, value, webhook, created_at, last_delivery_at, last_error, last_error_at"
ALERT_COLUMNS = "id, follow_id, story_id, version, target, delivery_id, body, attempts"


def iso(moment: datetime) -> str:
    """A time as every time in these tables is written, so that they compare as text."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Follow:
    id: int
    kind: str
    value: str
    webhook: str | None
    created_at: str
    last_delivery_at: str | None
    last_error: str | None
    last_error_at: str | None
    pending: int = 0  # alerts not delivered yet

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def label(self) -> str:
        return f"story {self.value}" if self.kind == "story" else f"{self.kind} {self.value!r}"


@dataclass
class Alert:
    id: int
    follow_id: int
    story_id: int
    version: int
    target: str
    delivery_id: str
    body: str
    attempts: int


class FollowTable:
    """Reads and writes the ``follows``, ``follow_matches`` and ``alerts`` tables of a store."""

    def __init__(self, store: RelationalStore) -> None:
        self.store = store

    # -- watchlists ---------------------------------------------------------------------------------

    def add(self, kind: str, value: str, webhook: str | None = None) -> tuple[Follow, bool]:
        """Follow a name, a query or a story (its id, following merges); returns the follow and
        whether it is new (the same watchlist with the same webhook is kept once)."""
        if kind not in KINDS:
            raise NewsbriefError(f"a watchlist follows one of {', '.join(KINDS)}, not {kind!r}")
        value = value.strip()
        if not value:
            raise NewsbriefError(f"give the {kind} to follow")
        if kind == "story":
            if not value.isdigit():
                raise NewsbriefError(f"a story is followed by its id (a number from `newsbrief stories`), "
                                     f"not {value!r}")
            value = str(self.store.resolve_story(int(value)))
        with self.store.transaction():
            found = self.store._one(
                f"SELECT {FOLLOW_COLUMNS} FROM follows WHERE kind = ? AND value = ? AND "
                "COALESCE(webhook, '') = ?", (kind, value, webhook or ""))
            if found is not None:
                return Follow(*found), False
            follow_id = self.store._insert("INSERT INTO follows(kind, value, webhook, created_at) VALUES (?, ?, ?, ?)",
                                           (kind, value, webhook, _now()))
        return self.get(follow_id), True

    def get(self, follow_id: int) -> Follow:
        rows = self._follows("WHERE f.id = ?", (follow_id,))
        if not rows:
            raise NewsbriefError(f"no watchlist {follow_id}; `newsbrief follow list` lists them")
        return rows[0]

    def all(self) -> list[Follow]:
        return self._follows("", ())

    def _follows(self, where: str, params: tuple[Any, ...]) -> list[Follow]:
        columns = ", ".join(f"f.{c.strip()}" for c in FOLLOW_COLUMNS.split(","))
        rows = self.store._all(
            f"""SELECT {columns}, (SELECT COUNT(*) FROM alerts a WHERE a.follow_id = f.id AND a.delivered_at IS NULL)
                FROM follows f {where} ORDER BY f.id""", params)
        return [Follow(*row) for row in rows]

    def remove(self, follow_id: int) -> bool:
        """Stop following; the watchlist's matches and queued alerts go with it."""
        with self.store.transaction():
            if self.store._one("SELECT 1 FROM follows WHERE id = ?", (follow_id,)) is None:
                return False
            for table in ("alerts", "follow_matches"):
                self.store._run(f"DELETE FROM {table} WHERE follow_id = ?", (follow_id,))
            self.store._run("DELETE FROM follows WHERE id = ?", (follow_id,))
        return True

    # -- matches: the brief versions a watchlist's feed lists -----------------------------------------

    def record_match(self, follow_id: int, story_id: int, version: int) -> None:
        self.store._run("INSERT INTO follow_matches(follow_id, story_id, version, matched_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING", (follow_id, story_id, version, _now()))

    def matched_versions(self, follow_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The brief versions the watchlist matched, newest first, as the Atom feed's entries."""
        rows = self.store._all(
            """SELECT b.story_id, b.version, b.generated_at, b.body FROM follow_matches m
               JOIN briefs b ON b.story_id = m.story_id AND b.version = m.version
               WHERE m.follow_id = ? ORDER BY b.generated_at DESC, b.story_id DESC, b.version DESC LIMIT ?""",
            (follow_id, limit))
        entries = []
        for story_id, version, generated_at, body in rows:
            brief = json.loads(body)
            entries.append({"story_id": story_id, "version": version, "generated_at": generated_at,
                            "headline": brief.get("headline", ""), "lede": (brief.get("lede") or {}).get("text", ""),
                            "changes": brief.get("changes") or []})
        return entries

    # -- the alert queue ----------------------------------------------------------------------------

    def queue_alert(self, follow_id: int, story_id: int, version: int, target: str, delivery_id: str,
                    body: str) -> None:
        """Queue one alert, due at once; the same (follow, story, version, target) is queued once."""
        self.store._run(
            """INSERT INTO alerts(follow_id, story_id, version, target, delivery_id, body, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            (follow_id, story_id, version, target, delivery_id, body, _now()))

    def due_alerts(self, now: datetime, limit: int = 100) -> list[Alert]:
        """Undelivered alerts never tried or whose next attempt is due, oldest first."""
        rows = self.store._all(
            f"""SELECT {ALERT_COLUMNS} FROM alerts
                WHERE delivered_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                ORDER BY id LIMIT ?""", (iso(now), limit))
        return [Alert(*row) for row in rows]

    def delivered(self, alert: Alert, at: datetime) -> None:
        with self.store.transaction():
            self.store._run("UPDATE alerts SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
                            (iso(at), alert.id))
            self.store._run("UPDATE follows SET last_delivery_at = ? WHERE id = ?", (iso(at), alert.follow_id))

    def failed(self, alert: Alert, at: datetime, error: str, next_attempt: datetime) -> None:
        with self.store.transaction():
            self.store._run("UPDATE alerts SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                            "WHERE id = ?", (error, iso(next_attempt), alert.id))
            self.store._run("UPDATE follows SET last_error = ?, last_error_at = ? WHERE id = ?",
                            (error, iso(at), alert.follow_id))

    def alerts(self, follow_id: int | None = None) -> list[dict[str, Any]]:
        """Every queued alert (of one watchlist, or all), oldest first, with its delivery state."""
        where, params = ("WHERE follow_id = ?", (follow_id,)) if follow_id is not None else ("", ())
        rows = self.store._all(
            f"""SELECT id, follow_id, story_id, version, target, delivery_id, attempts, next_attempt_at,
                       delivered_at, last_error FROM alerts {where} ORDER BY id""", params)
        keys = ("id", "follow_id", "story_id", "version", "target", "delivery_id", "attempts", "next_attempt_at",
                "delivered_at", "last_error")
        return [dict(zip(keys, row, strict=True)) for row in rows]
