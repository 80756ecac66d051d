"""What ``SQLiteStore`` and ``PostgresStore`` share: the grouping writes (events and stories), the
reads that go with them, briefs and meta, each written once as SQL with ``?`` placeholders that both
databases run alike. A backend supplies ``transaction``, ``_articles`` and four small methods that
run that SQL (``_run``, ``_one``, ``_all``, ``_insert``; PostgreSQL turns ``?`` into ``%s``), and keeps
what truly differs: connections, transactions, migrations, inserting articles, listing and searching,
and following merges that other writers made meanwhile before writing. Ids come from the grouper's
in-memory indexes, which another writer process (an `ingest` beside a `watch`, or writers on other
machines) may have outdated: the writing methods resolve them first, inside the write transaction."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any

from ..errors import NewsbriefError
from ..records import Article, Brief, Sentence
from .reads import PageReads


# Adds a writer's count of new documents to the stored one (meta values are text)
ADD_DOCUMENTS_SQL = """INSERT INTO meta(key, value) VALUES ('documents', ?) ON CONFLICT (key) DO UPDATE
                       SET value = CAST(CAST(meta.value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)"""


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _article(row: Any, sentences: list[Sentence]) -> Article:
    """An article from its row (``articles a`` columns by name, with ``domain`` and ``outlet``)."""
    return Article(
        url=row["url"], outlet=row["outlet"], domain=row["domain"], title=row["title"], text=row["text"],
        id=f"a{row['id']}", author=row["author"],
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
        date_source=row["date_source"],
        fetched_at=datetime.fromisoformat(row["fetched_at"]) if row["fetched_at"] else None,
        language=row["language"], content_hash=row["content_hash"],
        duplicate_of=f"a{row['duplicate_of']}" if row["duplicate_of"] else None,
        story_id=str(row["story_id"]), event_id=str(row["event_id"]) if row["event_id"] else None,
        origin=row["origin"] or "", note=row["note"], sentences=sentences,
    )


class RelationalStore(PageReads, ABC):
    """The methods of ``base.Store`` whose SQL is the same on both backends, and the reads of
    pages and tools (``PageReads``)."""

    # -- what a backend supplies: SQL with ``?`` placeholders --------------------------------------

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """One write transaction, rolled back on any error (see each backend's)."""

    @abstractmethod
    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Execute one statement."""

    @abstractmethod
    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row (indexed by column position), or None."""

    @abstractmethod
    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows (indexed by column position)."""

    @abstractmethod
    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        """Execute an ``INSERT`` of one row into a table with an ``id`` column; returns the new id."""

    @abstractmethod
    def _articles(self, where: str, value: int) -> list[Article]:
        """Articles with sentences matching ``where`` (``?`` SQL on ``articles a``), by id."""

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self._one(sql, params)
        return row[0] if row is not None else None

    # -- articles ---------------------------------------------------------------------------------

    def has_url(self, url: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE url = ?", (url,)) is not None

    def article_by_hash(self, content_hash: str) -> int | None:
        return self._scalar("SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", (content_hash,))

    def published_at(self, article_id: int) -> datetime | None:
        value = self._scalar("SELECT published_at FROM articles WHERE id = ?", (article_id,))
        return datetime.fromisoformat(value) if value else None

    def event_of(self, article_id: int) -> int | None:
        return self._scalar("SELECT event_id FROM articles WHERE id = ?", (article_id,))

    def newest_seen(self, table: str) -> str | None:
        """The latest ``last_seen`` of any event or story (``table``: "events" or "stories")."""
        if table not in ("events", "stories"):
            raise ValueError(f"no last_seen in {table!r}")
        return self._scalar(f"SELECT MAX(last_seen) FROM {table}")

    def article_count(self) -> int:
        return self._one("SELECT COUNT(*) FROM articles")[0]

    # -- events: tight clusters of reports of one happening -----------------------------------------

    def create_event(self, article_id: int, when: str | None, representation: dict[str, float]) -> int:
        """A new event of one article, in no story yet (``create_story`` or ``link_event`` next)."""
        now = _now()
        event_id = self._insert(
            """INSERT INTO events(created_at, first_seen, last_seen, updated_at, article_count, representation)
               VALUES (?, ?, ?, ?, 1, ?)""",
            (now, when, when, now, _json(representation)),
        )
        self._run("UPDATE articles SET event_id = ? WHERE id = ?", (event_id, article_id))
        self._run("INSERT INTO event_history(at, kind, event_id, article_id) VALUES (?, 'created', ?, ?)",
                  (now, event_id, article_id))
        return event_id

    def join_event(self, event_id: int, article_id: int, when: str | None, score: float | None,
                   representation: dict[str, float] | None) -> int:
        """Put the article in the event, and so in the event's story; returns the story id."""
        event_id = self.resolve_event(event_id)
        now = _now()
        story_id = self._one("SELECT story_id FROM events WHERE id = ?", (event_id,))[0]
        self._run("UPDATE articles SET event_id = ?, story_id = ? WHERE id = ?", (event_id, story_id, article_id))
        for table, representation_now, row_id in (("events", representation, event_id), ("stories", None, story_id)):
            # CAST: PostgreSQL must know the parameters' type (they may be NULL); SQLite is unaffected
            self._run(
                f"""UPDATE {table} SET article_count = article_count + 1, updated_at = ?,
                       first_seen = CASE WHEN first_seen IS NULL OR CAST(? AS TEXT) < first_seen
                                         THEN COALESCE(CAST(? AS TEXT), first_seen) ELSE first_seen END,
                       last_seen = CASE WHEN last_seen IS NULL OR CAST(? AS TEXT) > last_seen
                                        THEN COALESCE(CAST(? AS TEXT), last_seen) ELSE last_seen END,
                       representation = COALESCE(CAST(? AS TEXT), representation)
                   WHERE id = ?""",
                (now, when, when, when, when,
                 _json(representation_now) if representation_now is not None else None, row_id),
            )
        self._run("UPDATE stories SET brief_due = brief_due + 1 WHERE id = ?", (story_id,))
        self._run("INSERT INTO event_history(at, kind, event_id, article_id, score) VALUES (?, 'joined', ?, ?, ?)",
                  (now, event_id, article_id, score))
        return story_id

    def merge_events(self, keep: int, gone: int, score: float, representation: dict[str, float]) -> None:
        """Move every article of ``gone`` into ``keep`` (and ``keep``'s story); ``gone`` stays, marked
        merged_into. A story left without events is marked merged into ``keep``'s story."""
        keep, gone = self.resolve_event(keep), self.resolve_event(gone)
        if keep == gone:
            return
        now = _now()
        keep_story, gone_story = (self._one("SELECT story_id FROM events WHERE id = ?", (e,))[0] for e in (keep, gone))
        self._run("UPDATE articles SET event_id = ?, story_id = ? WHERE event_id = ?", (keep, keep_story, gone))
        self._run(
            """UPDATE events SET
                   article_count = (SELECT COUNT(*) FROM articles WHERE event_id = ?),
                   first_seen = (SELECT MIN(first_seen) FROM events WHERE id IN (?, ?)),
                   last_seen = (SELECT MAX(last_seen) FROM events WHERE id IN (?, ?)),
                   updated_at = ?, representation = ?
               WHERE id = ?""",
            (keep, keep, gone, keep, gone, now, _json(representation), keep),
        )
        self._run("""UPDATE events SET merged_into = ?, article_count = 0, updated_at = ?, story_id = NULL
                     WHERE id = ?""", (keep, now, gone))
        self._run("INSERT INTO event_history(at, kind, event_id, other_event_id, score) VALUES (?, 'merged', ?, ?, ?)",
                  (now, keep, gone, score))
        self._recount_stories([keep_story, gone_story], now)
        if gone_story != keep_story and self._event_total(gone_story) == 0:
            self._retire_story(gone_story, keep_story, now)

    def move_reports(self, moves: list[tuple[int, int, float]],
                     representations: dict[int, dict[str, float]]) -> dict[int, tuple[str | None, str | None]]:
        """Move each (article, event, score) to the event, with its syndicated copies, within the
        event's story; the events involved take the given representations, their counts and spans
        from their articles now. Recorded as a 'joined' row whose other event is the one left.
        Returns each involved event's (first seen, last seen)."""
        now = _now()
        stories = set()
        for article_id, event_id, score in moves:
            origin, story_id = self._one("SELECT event_id, story_id FROM articles WHERE id = ?", (article_id,))
            self._run("UPDATE articles SET event_id = ? WHERE id = ? OR duplicate_of = ?",
                      (event_id, article_id, article_id))
            self._run("""INSERT INTO event_history(at, kind, event_id, article_id, other_event_id, score)
                         VALUES (?, 'joined', ?, ?, ?, ?)""", (now, event_id, article_id, origin, score))
            stories.add(story_id)
        spans = {}
        for event_id, representation in representations.items():
            self._run(
                """UPDATE events SET article_count = (SELECT COUNT(*) FROM articles WHERE event_id = ?),
                       first_seen = (SELECT MIN(published_at) FROM articles WHERE event_id = ?),
                       last_seen = (SELECT MAX(published_at) FROM articles WHERE event_id = ?),
                       updated_at = ?, representation = ?
                   WHERE id = ?""", (event_id, event_id, event_id, now, _json(representation), event_id))
            spans[event_id] = tuple(self._one("SELECT first_seen, last_seen FROM events WHERE id = ?", (event_id,)))
        self._recount_stories(sorted(stories), now)
        return spans  # type: ignore[return-value]

    def story_reports(self, story_id: int,
                      chars: int) -> list[tuple[int, int, dict[str, float], str | None, str | None, str, str]]:
        """(article id, event id, grouping vector, published at, not before, title, the text's first
        ``chars`` characters) of each report of the story that is not a syndicated copy, by id."""
        return [(r[0], r[1], json.loads(r[2]) if r[2] else {}, r[3], r[4], r[5], r[6]) for r in self._all(
            """SELECT id, event_id, terms, published_at, not_before, title, substr(text, 1, ?) FROM articles
               WHERE story_id = ? AND duplicate_of IS NULL ORDER BY id""", (chars, story_id))]

    def resolve_event(self, event_id: int) -> int:
        """Follow merges to the event that holds the articles now."""
        return self._resolve("events", event_id, "event")

    def story_of_event(self, event_id: int) -> int:
        return self._one("SELECT story_id FROM events WHERE id = ?", (self.resolve_event(event_id),))[0]

    def events_of(self, story_id: int) -> list[dict[str, Any]]:
        """The story's events, oldest first (undated last), each with its article ids."""
        rows = self._all(
            """SELECT id, first_seen, last_seen, article_count, updated_at FROM events
               WHERE story_id = ? AND merged_into IS NULL AND article_count > 0
               ORDER BY first_seen IS NULL, first_seen, id""", (story_id,))
        members: dict[int, list[int]] = {}
        for article_id, event_id in self._all(
                """SELECT id, event_id FROM articles WHERE story_id = ?
                   ORDER BY published_at IS NULL, published_at, id""", (story_id,)):
            members.setdefault(event_id, []).append(article_id)
        return [{"id": event_id, "story_id": story_id, "first_seen": first_seen, "last_seen": last_seen,
                 "article_count": article_count, "updated_at": updated_at, "article_ids": members.get(event_id, [])}
                for event_id, first_seen, last_seen, article_count, updated_at in rows]

    def event_articles(self, event_id: int) -> list[Article]:
        """The event's articles with sentences, as ``story_articles`` gives them."""
        return self._articles("a.event_id = ?", event_id)

    # -- stories: what users follow, made of events -------------------------------------------------

    def create_story(self, event_id: int, representation: dict[str, float]) -> int:
        """A new story holding the event (taken out of the story it was in, if any)."""
        now = _now()
        story_id = self._insert(
            "INSERT INTO stories(created_at, updated_at, representation, brief_due) VALUES (?, ?, ?, 1)",
            (now, now, _json(representation)),
        )
        self._move_event(event_id, story_id, now)
        self._run("INSERT INTO story_history(at, kind, story_id, event_id) VALUES (?, 'created', ?, ?)",
                  (now, story_id, event_id))
        return story_id

    def link_event(self, story_id: int, event_id: int, score: float | None, representation: dict[str, float]) -> None:
        """Put the event, with its articles, in the story (out of the story it was in, if any)."""
        story_id, event_id = self.resolve_story(story_id), self.resolve_event(event_id)
        now = _now()
        self._move_event(event_id, story_id, now)
        self._run("UPDATE stories SET representation = ? WHERE id = ?", (_json(representation), story_id))
        self._run("INSERT INTO story_history(at, kind, story_id, event_id, score) VALUES (?, 'linked', ?, ?, ?)",
                  (now, story_id, event_id, score))

    def split_event(self, event_id: int, score: float, representation: dict[str, float]) -> int:
        """Take an event that drifted away from the rest of its story into a story of its own."""
        event_id = self.resolve_event(event_id)
        old = self.story_of_event(event_id)
        story_id = self.create_story(event_id, representation)
        self._run("UPDATE story_history SET kind = 'split', other_story_id = ?, score = ? WHERE id = "
                  "(SELECT MAX(id) FROM story_history WHERE story_id = ?)", (old, score, story_id))
        return story_id

    def merge_stories(self, keep: int, gone: int, score: float, representation: dict[str, float]) -> None:
        """Move every event of ``gone`` into ``keep``; ``gone`` stays, marked merged_into."""
        keep, gone = self.resolve_story(keep), self.resolve_story(gone)
        if keep == gone:
            return
        now = _now()
        self._run("UPDATE events SET story_id = ? WHERE story_id = ?", (keep, gone))
        self._run("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))
        self._recount_stories([keep], now)
        self._run("UPDATE stories SET representation = ? WHERE id = ?", (_json(representation), keep))
        self._retire_story(gone, keep, now)
        self._run("INSERT INTO story_history(at, kind, story_id, other_story_id, score) VALUES (?, 'merged', ?, ?, ?)",
                  (now, keep, gone, score))

    def resolve_story(self, story_id: int) -> int:
        """Follow merges to the story that holds the articles now."""
        return self._resolve("stories", story_id, "story")

    def story_of(self, article_id: int) -> int | None:
        return self._scalar("SELECT story_id FROM articles WHERE id = ?", (article_id,))

    def story_event_rows(self, story_id: int) -> list[tuple[int, dict[str, float], str | None, str | None]]:
        """(id, representation, first seen, last seen) of each of the story's events, oldest first."""
        return [(r[0], json.loads(r[1]), r[2], r[3]) for r in self._all(
            """SELECT id, representation, first_seen, last_seen FROM events WHERE story_id = ? AND merged_into IS NULL
               ORDER BY id""", (story_id,))]

    def event_report_leads(self, since: str | None,
                           chars: int) -> list[tuple[int, str, str, str | None, str | None]]:
        """(event id, title, the text's first ``chars`` characters, published at, not before) of each
        report (not a syndicated copy) of the events not merged away, last seen at or after ``since``
        (all when None or undated): what grouping reads the reports' weekdays, the days they
        mention and the events' sizes from on start."""
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self._all(
            """SELECT a.event_id, a.title, substr(a.text, 1, ?), a.published_at, a.not_before FROM articles a
               JOIN events e ON e.id = a.event_id
               WHERE a.duplicate_of IS NULL AND e.merged_into IS NULL
                 AND (CAST(? AS TEXT) IS NULL OR e.last_seen IS NULL OR e.last_seen >= CAST(? AS TEXT))""",
            (chars, since, since))]

    def story_span(self, story_id: int) -> tuple[str | None, str | None]:
        row = self._one("SELECT first_seen, last_seen FROM stories WHERE id = ?", (story_id,))
        return (row[0], row[1]) if row else (None, None)

    def story_articles(self, story_id: int) -> list[Article]:
        """The story's articles with sentences, ids as ``a<id>`` (copies carry ``duplicate_of``),
        each with its event."""
        return self._articles("a.story_id = ?", story_id)

    def _resolve(self, table: str, item_id: int, noun: str) -> int:
        seen = set()
        while item_id not in seen:
            seen.add(item_id)
            row = self._one(f"SELECT merged_into FROM {table} WHERE id = ?", (item_id,))
            if row is None:
                raise NewsbriefError(f"no {noun} {item_id}; `newsbrief stories` lists them")
            if row[0] is None:
                return item_id
            item_id = row[0]
        return item_id

    def _move_event(self, event_id: int, story_id: int, now: str) -> None:
        old = self._one("SELECT story_id FROM events WHERE id = ?", (event_id,))[0]
        self._run("UPDATE events SET story_id = ? WHERE id = ?", (story_id, event_id))
        self._run("UPDATE articles SET story_id = ? WHERE event_id = ?", (story_id, event_id))
        self._recount_stories([story_id] + ([old] if old is not None and old != story_id else []), now)
        if old is not None and old != story_id and self._event_total(old) == 0:
            self._retire_story(old, story_id, now)

    def _event_total(self, story_id: int) -> int:
        return self._one("SELECT event_count FROM stories WHERE id = ?", (story_id,))[0]

    def _recount_stories(self, story_ids: Iterable[int], now: str) -> None:
        """Counts and the time span of stories from their events; each is due a new brief."""
        for story_id in dict.fromkeys(story_ids):
            self._run(
                """UPDATE stories SET
                       event_count = (SELECT COUNT(*) FROM events WHERE story_id = ? AND merged_into IS NULL),
                       article_count = (SELECT COUNT(*) FROM articles WHERE story_id = ?),
                       first_seen = (SELECT MIN(first_seen) FROM events WHERE story_id = ? AND merged_into IS NULL),
                       last_seen = (SELECT MAX(last_seen) FROM events WHERE story_id = ? AND merged_into IS NULL),
                       updated_at = ?, brief_due = brief_due + 1
                   WHERE id = ?""", (story_id, story_id, story_id, story_id, now, story_id))

    def _retire_story(self, story_id: int, into: int, now: str) -> None:
        self._run("""UPDATE stories SET merged_into = ?, article_count = 0, event_count = 0, updated_at = ?,
                     briefed = brief_due WHERE id = ?""", (into, now, story_id))

    # -- briefs and meta --------------------------------------------------------------------------

    def latest_brief(self, story_id: int) -> Brief | None:
        body = self._scalar("SELECT body FROM briefs WHERE story_id = ? ORDER BY version DESC LIMIT 1", (story_id,))
        return Brief.from_dict(json.loads(body)) if body else None

    def add_brief(self, brief: Brief, basis: tuple[int, int] | None = None) -> Brief | None:
        """Store ``brief`` as the story's next version (briefs are immutable once stored).
        ``basis``: what ``brief_basis`` said before the story's reports were read; the brief
        covers those changes, and one made since stays due. None, and nothing stored, when another
        writer stored a brief covering as many changes meanwhile. Without ``basis`` the brief
        covers every change."""
        story_id = int(brief.story_id)
        with self.transaction():
            due, briefed = self._one("SELECT brief_due, briefed FROM stories WHERE id = ?", (story_id,))
            latest = self._one("SELECT COALESCE(MAX(version), 0) FROM briefs WHERE story_id = ?", (story_id,))[0]
            changes, seen = basis if basis is not None else (due, latest)
            if briefed >= changes and latest > seen:
                return None
            brief.version = latest + 1
            self._run("INSERT INTO briefs(story_id, version, generated_at, writer, body) VALUES (?,?,?,?,?)",
                      (story_id, brief.version, brief.generated_at, brief.writer,
                       json.dumps(brief.as_dict(), ensure_ascii=False)))
            self._run("UPDATE stories SET headline = ?, briefed = CASE WHEN briefed < ? THEN ? ELSE briefed END "
                      "WHERE id = ?", (brief.headline, changes, changes, story_id))
        return brief

    def due_briefs(self) -> list[int]:
        """Stories changed since their brief was last written or tried: those an ingest changed, and
        those a run killed before it wrote their briefs left behind."""
        return [row[0] for row in self._all("SELECT id FROM stories WHERE brief_due > briefed ORDER BY id")]

    def brief_basis(self, story_id: int) -> tuple[int, int]:
        """How many changes the story has had, and its latest brief version: read before its
        reports are, for ``add_brief``."""
        changes = self._one("SELECT brief_due FROM stories WHERE id = ?", (story_id,))[0]
        latest = self._one("SELECT COALESCE(MAX(version), 0) FROM briefs WHERE story_id = ?", (story_id,))[0]
        return int(changes), int(latest)

    def briefs_tried(self, changes: dict[int, int]) -> None:
        """Stories whose brief could not be written: not due again until they change again."""
        with self.transaction():
            for story_id, count in changes.items():
                self._run("UPDATE stories SET briefed = ? WHERE id = ? AND briefed < ?", (count, story_id, count))

    def meta(self, key: str) -> str | None:
        return self._scalar("SELECT value FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._run("INSERT INTO meta(key, value) VALUES (?, ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
