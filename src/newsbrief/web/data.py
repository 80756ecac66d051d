"""What the web app (and the MCP server) read: the store's page reads (``store.reads``) shaped as
JSON-ready dicts, with ``NotFound`` for what does not exist.

The app never writes through these; each request reads one snapshot through ``store.readers``, so
pages stay answerable while `ingest` or `watch` writes, on either backend.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import NewsbriefError, NoArticlesError
from ..pipeline import show_brief, write_brief
from ..records import Brief
from ..store.relational import RelationalStore

PAGE_SIZE = 50
MAX_LIMIT = 500
# The largest 64-bit INTEGER (SQLite's, PostgreSQL's BIGINT): a bigger id names no row, and binding
# it raises OverflowError.
MAX_ID = 2**63 - 1
# The last page whose OFFSET, (page - 1) * limit, still fits in a 64-bit INTEGER.
MAX_PAGE = MAX_ID // MAX_LIMIT


class NotFound(NewsbriefError):
    """The story, version, article or outlet asked for does not exist."""


def _story_row(store: RelationalStore, story_id: int) -> dict[str, Any]:
    row = store.story_record(story_id)
    if row is None:
        raise NotFound(f"no story {story_id}")
    return row


def story_list(store: RelationalStore, page: int = 1, limit: int = PAGE_SIZE) -> dict[str, Any]:
    """Stories with articles, latest activity first, with the lede of each one's latest brief."""
    total, rows = store.story_page(page, limit)
    stories = [{
        "id": row["id"], "headline": row["headline"] or row["first_title"], "lede": row.get("lede"),
        "outlets": row["outlets"], "articles": row["article_count"], "events": row["event_count"],
        "first_seen": row["first_seen"], "last_seen": row["last_seen"], "updated_at": row["updated_at"],
        "brief_version": row.get("brief_version"), "brief_generated_at": row.get("brief_generated_at"),
    } for row in rows]
    return {"stories": stories, "page": max(1, page), "per_page": limit, "total": total}


def resolve(store: RelationalStore, story_id: int) -> int:
    """The story that holds ``story_id``'s articles now (following merges)."""
    try:
        return store.resolve_story(story_id)
    except NewsbriefError:
        raise NotFound(f"no story {story_id}") from None


def brief_of(store: RelationalStore, story_id: int, version: int | None = None) -> Brief:
    """A stored brief version; with ``version`` None the latest, or, for a story ingested with
    ``--no-briefs``, one written now (not stored: the web app only reads)."""
    _story_row(store, story_id)
    if version is None:
        try:
            return show_brief(store, story_id)
        except NoArticlesError as exc:
            raise NotFound(str(exc)) from None
    else:
        body = store.brief_body(story_id, version)
        if body is None:
            raise NotFound(f"story {story_id} has no brief version {version}")
    return Brief.from_dict(json.loads(body))


def story_meta(store: RelationalStore, story_id: int) -> dict[str, Any]:
    row = _story_row(store, story_id)
    return {"id": row["id"], "first_seen": row["first_seen"], "last_seen": row["last_seen"],
            "updated_at": row["updated_at"], "articles": row["article_count"], "versions": store.brief_count(story_id),
            "outlets": store.story_outlets(story_id), "events": story_events(store, story_id)}


def story_events(store: RelationalStore, story_id: int, only: int | None = None) -> list[dict[str, Any]]:
    """The story's events (or only the one given), oldest first, each with its reports."""
    return [{"id": e["id"], "first_seen": e["first_seen"], "last_seen": e["last_seen"], "articles": e["article_count"],
             "reports": store.report_records(e["article_ids"])}
            for e in store.events_of(story_id) if only is None or e["id"] == only]


def event(store: RelationalStore, event_id: int) -> dict[str, Any]:
    """One event (following merges) with its story and reports."""
    try:
        event_id = store.resolve_event(event_id)
    except NewsbriefError:
        raise NotFound(f"no event {event_id}") from None
    row = store.event_record(event_id)
    if row is None or row["story_id"] is None or not row["article_count"]:
        raise NotFound(f"event {event_id} holds no reports")
    (found,) = story_events(store, row["story_id"], only=event_id)
    return {**found, "story_id": row["story_id"]}


def event_brief(store: RelationalStore, event_id: int) -> Brief:
    """The event's own brief, written now from its reports (not stored: the web app only reads)."""
    try:
        return write_brief(store.event_articles(event_id))
    except NoArticlesError as exc:
        raise NotFound(str(exc)) from None


def versions(store: RelationalStore, story_id: int) -> list[dict[str, Any]]:
    """Every brief version of a story, newest first, with its headline and what changed."""
    _story_row(store, story_id)
    return [{**row, "changes": json.loads(row["changes"] or "[]")} for row in store.brief_versions(story_id)]


def article(store: RelationalStore, article_id: int) -> dict[str, Any]:
    row = store.article_record(article_id)
    if row is None:
        raise NotFound(f"no article {article_id}")
    return {**row, "sentences": store.article_sentences(article_id)}


def outlet(store: RelationalStore, outlet_id: int, limit: int = 200) -> dict[str, Any]:
    row = store.outlet_record(outlet_id)
    if row is None:
        raise NotFound(f"no outlet {outlet_id}")
    return {**row, "articles": store.outlet_articles(outlet_id, limit), "stories": store.outlet_stories(outlet_id, limit)}


def search(store: RelationalStore, query: str, limit: int = 30) -> list[dict[str, Any]]:
    """Full-text hits; the snippet marks matches with \\x02 ... \\x03 (turned into <mark> after escaping)."""
    return store.search(query, limit, marks=("\x02", "\x03"))


def updated_briefs(store: RelationalStore, story_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The latest brief versions written (all stories, or one), newest first: an Atom feed's entries."""
    return [{**row, "changes": json.loads(row["changes"] or "[]")} for row in store.updated_briefs(story_id, limit)]
