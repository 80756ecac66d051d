"""Watchlists matched against each new brief version, and the alerts that go out for a match.

A story watchlist matches every new version of the story (or of the story it was merged into); a
name watchlist, a version whose brief names that person, organisation or place; a query watchlist,
a version of a story whose reports the full-text query finds (as ``newsbrief search`` does). A new
story's first version matches like any other, so a new story about a followed name alerts too.

Each match is recorded (the watchlist's Atom feed lists them) and, for each webhook target, an alert
is queued in the same transaction as the version itself, so a run killed after storing a version
has its alerts queued too. ``webhooks.deliver_due`` sends them."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from .errors import NewsbriefError
from .records import Brief
from .settings import Config
from .store.follows import Follow, FollowTable
from .store.relational import RelationalStore

QUERY_MATCH_LIMIT = 1000  # a query watchlist matches the stories of its best-ranked reports, this many


def webhook_targets(follow: Follow, config: Config) -> list[str]:
    """Where a watchlist's alerts go: its own webhook, else every ``NEWSBRIEF_WEBHOOKS`` URL."""
    if follow.webhook:
        return [follow.webhook]
    return list(dict.fromkeys(url.strip() for url in config.webhooks.split(",") if url.strip()))


def names_in(brief: Brief, name: str) -> list[str]:
    """The brief's people, organisations and places whose name holds ``name`` as whole words,
    ignoring case ("calder" finds "Ines Calder"; "Cal" does not)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(name.strip().casefold()) + r"(?!\w)")
    return [entity["name"] for entity in brief.entities if pattern.search(str(entity.get("name", "")).casefold())]


class Watchlists:
    """The store's watchlists, read once per batch of new versions (e.g. one `refresh_briefs`)."""

    def __init__(self, store: RelationalStore, config: Config | None = None) -> None:
        self.store = store
        self.table = FollowTable(store)
        self.follows = self.table.all()
        self.config = config or Config.load()
        # the stories each query finds among the reports already stored, searched here, before
        # the write transactions that queue alerts (a search must not hold the writer lock)
        self._query_stories = {follow.id: self._stories_found(follow.value)
                               for follow in self.follows if follow.kind == "query"}

    def _stories_found(self, query: str) -> set[int]:
        hits = self.store.search(query, QUERY_MATCH_LIMIT)
        return {int(hit["story_id"]) for hit in hits if hit["story_id"] is not None}

    def matched(self, follow: Follow, brief: Brief) -> list[str] | None:
        """What made ``brief`` match the watchlist (names, the query, the story), or None."""
        story_id = int(brief.story_id)
        if follow.kind == "story":
            try:
                followed = self.store.resolve_story(int(follow.value))
            except NewsbriefError:  # a story that no longer exists matches nothing
                return None
            return [f"story {follow.value}"] if followed == story_id else None
        if follow.kind == "name":
            return names_in(brief, follow.value) or None
        return [follow.value] if story_id in self._query_stories[follow.id] else None

    def queue(self, brief: Brief) -> int:
        """Record the stored ``brief``'s matches and queue their alerts (call it inside the
        transaction that stored the brief); returns how many alerts were queued."""
        queued = 0
        for follow in self.follows:
            matched = self.matched(follow, brief)
            if matched is None:
                continue
            self.table.record_match(follow.id, int(brief.story_id), brief.version)
            for target in webhook_targets(follow, self.config):
                delivery_id = str(uuid.uuid4())
                body = alert_body(follow, brief, matched, delivery_id, self.config.base_url)
                self.table.queue_alert(follow.id, int(brief.story_id), brief.version, target, delivery_id, body)
                queued += 1
        return queued


def alert_body(follow: Follow, brief: Brief, matched: list[str], delivery_id: str, base_url: str = "") -> str:
    """The JSON an alert posts, compact: exactly these bytes are signed and sent on every attempt."""
    story_id = int(brief.story_id)
    base = base_url.rstrip("/")
    links = {"story": f"{base}/stories/{story_id}", "version": f"{base}/stories/{story_id}/versions/{brief.version}",
             "watchlist_feed": f"{base}/follows/{follow.id}/feed.atom"}
    body: dict[str, Any] = {
        "type": "newsbrief.alert", "delivery_id": delivery_id,
        "follow": {"id": follow.id, "kind": follow.kind, "value": follow.value}, "matched": matched,
        "story_id": story_id, "version": brief.version, "generated_at": brief.generated_at,
        "headline": brief.headline, "lede": brief.lede.text, "changes": list(brief.changes), "links": links,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
