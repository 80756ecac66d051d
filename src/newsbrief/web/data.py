"""What the web app reads: plain queries over the store, returning JSON-ready dicts.

The app never writes through these; each request thread has its own read-only connection, so
pages stay answerable while `ingest` or `watch` writes (WAL readers never wait for the writer).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..errors import NewsbriefError, NoArticlesError
from ..pipeline import show_brief, write_brief
from ..records import Brief
from ..store.sqlite import STORY_FIRST_TITLE_SQL, STORY_OUTLETS_SQL, SQLiteStore

PAGE_SIZE = 50
MAX_LIMIT = 500
# SQLite's largest INTEGER: a bigger id names no row, and binding it raises OverflowError.
MAX_ID = 2**63 - 1
# The last page whose OFFSET, (page - 1) * limit, still fits in SQLite's INTEGER.
MAX_PAGE = MAX_ID // MAX_LIMIT


class NotFound(NewsbriefError):
    """The story, version, article or outlet asked for does not exist."""


def _story_row(db: sqlite3.Connection, story_id: int) -> sqlite3.Row:
    row = db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        raise NotFound(f"no story {story_id}")
    return row


def story_list(store: SQLiteStore, page: int = 1, limit: int = PAGE_SIZE) -> dict[str, Any]:
    """Stories with articles, latest activity first, with the lede of each one's latest brief."""
    db = store.db
    total = db.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND article_count > 0").fetchone()[0]
    rows = db.execute(
        f"""SELECT s.id, s.headline, s.first_seen, s.last_seen, s.updated_at, s.article_count, s.event_count,
                  {STORY_OUTLETS_SQL} AS outlets, {STORY_FIRST_TITLE_SQL} AS first_title,
                  (SELECT json_object('version', b.version, 'generated_at', b.generated_at,
                                      'lede', json_extract(b.body, '$.lede.text'))
                   FROM briefs b WHERE b.story_id = s.id ORDER BY b.version DESC LIMIT 1) AS brief
           FROM stories s WHERE s.merged_into IS NULL AND s.article_count > 0
           ORDER BY s.last_seen DESC, s.id DESC LIMIT ? OFFSET ?""",
        (limit, (max(1, page) - 1) * limit),
    ).fetchall()
    stories = []
    for row in rows:
        brief = json.loads(row["brief"]) if row["brief"] else {}
        stories.append({
            "id": row["id"], "headline": row["headline"] or row["first_title"], "lede": brief.get("lede"),
            "outlets": row["outlets"], "articles": row["article_count"], "events": row["event_count"],
            "first_seen": row["first_seen"],
            "last_seen": row["last_seen"], "updated_at": row["updated_at"],
            "brief_version": brief.get("version"), "brief_generated_at": brief.get("generated_at"),
        })
    return {"stories": stories, "page": max(1, page), "per_page": limit, "total": total}


def resolve(store: SQLiteStore, story_id: int) -> int:
    """The story that holds ``story_id``'s articles now (following merges)."""
    try:
        return store.resolve_story(story_id)
    except NewsbriefError:
        raise NotFound(f"no story {story_id}") from None


def brief_of(store: SQLiteStore, story_id: int, version: int | None = None) -> Brief:
    """A stored brief version; with ``version`` None the latest, or, for a story ingested with
    ``--no-briefs``, one written now (not stored: the web app only reads)."""
    _story_row(store.db, story_id)
    if version is None:
        try:
            return show_brief(store, story_id)
        except NoArticlesError as exc:
            raise NotFound(str(exc)) from None
    else:
        row = store.db.execute("SELECT body FROM briefs WHERE story_id = ? AND version = ?",
                               (story_id, version)).fetchone()
        if row is None:
            raise NotFound(f"story {story_id} has no brief version {version}")
    return Brief.from_dict(json.loads(row[0]))


def story_meta(store: SQLiteStore, story_id: int) -> dict[str, Any]:
    row = _story_row(store.db, story_id)
    outlets = store.db.execute(
        """SELECT o.id, o.name, o.domain, COUNT(*) AS articles FROM articles a JOIN outlets o ON o.id = a.outlet_id
           WHERE a.story_id = ? AND a.duplicate_of IS NULL GROUP BY o.id ORDER BY o.name""", (story_id,)).fetchall()
    versions = store.db.execute("SELECT COUNT(*) FROM briefs WHERE story_id = ?", (story_id,)).fetchone()[0]
    return {"id": row["id"], "first_seen": row["first_seen"], "last_seen": row["last_seen"],
            "updated_at": row["updated_at"], "articles": row["article_count"], "versions": versions,
            "outlets": [dict(o) for o in outlets], "events": story_events(store, story_id)}


def _reports(store: SQLiteStore, article_ids: list[int]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(article_ids))
    rows = store.db.execute(
        f"""SELECT a.id, a.url, a.title, a.published_at, a.duplicate_of, o.name AS outlet
            FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id IN ({marks})""", article_ids).fetchall()
    by_id = {row["id"]: dict(row) for row in rows}
    return [by_id[i] for i in article_ids if i in by_id]


def story_events(store: SQLiteStore, story_id: int, only: int | None = None) -> list[dict[str, Any]]:
    """The story's events (or only the one given), oldest first, each with its reports."""
    return [{"id": e["id"], "first_seen": e["first_seen"], "last_seen": e["last_seen"], "articles": e["article_count"],
             "reports": _reports(store, e["article_ids"])}
            for e in store.events_of(story_id) if only is None or e["id"] == only]


def event(store: SQLiteStore, event_id: int) -> dict[str, Any]:
    """One event (following merges) with its story and reports."""
    try:
        event_id = store.resolve_event(event_id)
    except NewsbriefError:
        raise NotFound(f"no event {event_id}") from None
    row = store.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None or row["story_id"] is None or not row["article_count"]:
        raise NotFound(f"event {event_id} holds no reports")
    (found,) = story_events(store, row["story_id"], only=event_id)
    return {**found, "story_id": row["story_id"]}


def event_brief(store: SQLiteStore, event_id: int) -> Brief:
    """The event's own brief, written now from its reports (not stored: the web app only reads)."""
    try:
        return write_brief(store.event_articles(event_id))
    except NoArticlesError as exc:
        raise NotFound(str(exc)) from None


def versions(store: SQLiteStore, story_id: int) -> list[dict[str, Any]]:
    """Every brief version of a story, newest first, with its headline and what changed."""
    _story_row(store.db, story_id)
    rows = store.db.execute(
        """SELECT version, generated_at, writer, json_extract(body, '$.headline') AS headline,
                  json_extract(body, '$.changes') AS changes
           FROM briefs WHERE story_id = ? ORDER BY version DESC""", (story_id,)).fetchall()
    return [{"version": r["version"], "generated_at": r["generated_at"], "writer": r["writer"],
             "headline": r["headline"], "changes": json.loads(r["changes"] or "[]")} for r in rows]


def article(store: SQLiteStore, article_id: int) -> dict[str, Any]:
    row = store.db.execute(
        """SELECT a.id, a.url, a.title, a.author, a.published_at, a.fetched_at, a.story_id, a.duplicate_of, a.note,
                  o.id AS outlet_id, o.name AS outlet, o.domain
           FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?""", (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article {article_id}")
    sentences = [{"index": s[0], "text": s[1]} for s in store.db.execute(
        "SELECT idx, text FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))]
    return {**dict(row), "sentences": sentences}


def outlet(store: SQLiteStore, outlet_id: int, limit: int = 200) -> dict[str, Any]:
    row = store.db.execute("SELECT id, name, domain FROM outlets WHERE id = ?", (outlet_id,)).fetchone()
    if row is None:
        raise NotFound(f"no outlet {outlet_id}")
    articles = [dict(r) for r in store.db.execute(
        """SELECT id, url, title, published_at, story_id, duplicate_of FROM articles WHERE outlet_id = ?
           ORDER BY COALESCE(published_at, fetched_at) DESC, id DESC LIMIT ?""", (outlet_id, limit))]
    stories = [dict(r) for r in store.db.execute(
        """SELECT s.id, COALESCE(NULLIF(s.headline, ''), MIN(a.title)) AS headline, s.last_seen, COUNT(*) AS articles
           FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.outlet_id = ?
           GROUP BY s.id ORDER BY s.last_seen DESC LIMIT ?""", (outlet_id, limit))]
    return {**dict(row), "articles": articles, "stories": stories}


def search(store: SQLiteStore, query: str, limit: int = 30) -> list[dict[str, Any]]:
    """Full-text hits; the snippet marks matches with \\x02 ... \\x03 (turned into <mark> after escaping)."""
    return store.search(query, limit, marks=("\x02", "\x03"))


def updated_briefs(store: SQLiteStore, story_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The latest brief versions written (all stories, or one), newest first: an Atom feed's entries."""
    where, args = ("WHERE story_id = ?", (story_id, limit)) if story_id is not None else ("", (limit,))
    rows = store.db.execute(
        f"""SELECT story_id, version, generated_at, json_extract(body, '$.headline') AS headline,
                   json_extract(body, '$.lede.text') AS lede, json_extract(body, '$.changes') AS changes
            FROM briefs {where} ORDER BY generated_at DESC, story_id DESC, version DESC LIMIT ?""", args).fetchall()
    return [{**dict(r), "changes": json.loads(r["changes"] or "[]")} for r in rows]
