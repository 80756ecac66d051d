"""The SQLite store: WAL mode (readers never wait for the writer), one transaction per article
(a crash loses at most the article in hand), migrations by PRAGMA user_version."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import NewsbriefError
from ..records import Article, Brief, Sentence
from .migrations import MIGRATIONS

MIN_WORDS_FOR_HASH = 8  # sentences shorter than this are too common to identify a copy
# Columns of a story row ``s`` used wherever stories are listed (the CLI, the web app).
STORY_OUTLETS_SQL = """(SELECT COUNT(DISTINCT a.outlet_id) FROM articles a
                        WHERE a.story_id = s.id AND a.duplicate_of IS NULL)"""
STORY_FIRST_TITLE_SQL = "(SELECT a.title FROM articles a WHERE a.story_id = s.id ORDER BY a.id LIMIT 1)"


def default_db_path() -> Path:
    """``NEWSBRIEF_DB``, else newsbrief.db in the user data directory (XDG_DATA_HOME)."""
    if os.environ.get("NEWSBRIEF_DB"):
        return Path(os.environ["NEWSBRIEF_DB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "newsbrief" / "newsbrief.db"


_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits (str.isalnum), as stored hashes were made


def sentence_hash(text: str) -> int | None:
    """The sentence's words, lower case, without punctuation: syndicated copies share it."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS_FOR_HASH:
        return None
    joined = " ".join(words)
    # lowered letter by letter, as the hashes stored so far were ("Σ" at a word's end stays "σ")
    lowered = joined.lower() if "Σ" not in joined else "".join(ch.lower() for ch in joined)
    return zlib.crc32(lowered.encode("utf-8"))


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value else None


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class StoryRow:
    id: int
    headline: str
    first_seen: str | None
    last_seen: str | None
    updated_at: str
    article_count: int
    outlet_count: int
    urls: list[str]
    event_count: int = 1

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class SQLiteStore:
    """Articles, sentences, stories and briefs in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            if readonly and not Path(self.path).exists():
                raise NewsbriefError(f"no database at {self.path}; run `newsbrief ingest` first or pass --db")
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else self.path
        self.db = sqlite3.connect(uri, uri=readonly, timeout=30.0, isolation_level=None,
                                  check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise NewsbriefError(
                f"{self.path} was written by a newer newsbrief (schema {version}); upgrade newsbrief"
            )
        for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            try:
                self.db.executescript(f"BEGIN IMMEDIATE;\n{sql};\nPRAGMA user_version = {number};\nCOMMIT;")
            except sqlite3.Error:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- articles ---------------------------------------------------------------------------------

    def has_url(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone() is not None

    def article_by_hash(self, content_hash: str) -> int | None:
        row = self.db.execute("SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
                              (content_hash,)).fetchone()
        return row[0] if row else None

    def articles_sharing_sentences(self, sentences: list[Sentence], limit: int = 3) -> list[tuple[int, int, int]]:
        """(article id, shared sentence count, that article's sentence-hash count), most shared first."""
        hashes = list({h for s in sentences if (h := sentence_hash(s.text)) is not None})
        if not hashes:
            return []
        marks = ",".join("?" * len(hashes))
        rows = self.db.execute(
            f"""SELECT article_id, COUNT(*) AS shared,
                       (SELECT COUNT(*) FROM sentence_hashes t WHERE t.article_id = s.article_id) AS total
                FROM sentence_hashes s WHERE hash IN ({marks})
                GROUP BY article_id ORDER BY shared DESC, article_id LIMIT ?""",
            (*hashes, limit),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def _outlet_id(self, domain: str, name: str) -> int:
        self.db.execute("INSERT OR IGNORE INTO outlets(domain, name) VALUES (?, ?)", (domain, name))
        return self.db.execute("SELECT id FROM outlets WHERE domain = ? AND name = ?", (domain, name)).fetchone()[0]

    def add_article(self, article: Article, duplicate_of: int | None, terms: dict[str, float]) -> int:
        """Insert an article and its sentences; returns its id. Call inside ``transaction()``."""
        cursor = self.db.execute(
            """INSERT INTO articles(url, outlet_id, title, author, published_at, date_source, fetched_at, language,
                                    text, content_hash, duplicate_of, origin, note, terms)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (article.url, self._outlet_id(article.domain, article.outlet), article.title, article.author,
             _iso(article.published_at), article.date_source, _iso(article.fetched_at), article.language, article.text,
             article.content_hash, duplicate_of, article.origin, article.note,
             json.dumps(terms, separators=(",", ":"))),
        )
        article_id = int(cursor.lastrowid or 0)
        self.db.executemany(
            "INSERT INTO sentences(article_id, idx, text, start, end, speech) VALUES (?,?,?,?,?,?)",
            [(article_id, s.index, s.text, s.start, s.end, None if s.speech is None else json.dumps(s.speech))
             for s in article.sentences],
        )
        hashes = {h for s in article.sentences if (h := sentence_hash(s.text)) is not None}
        self.db.executemany("INSERT OR IGNORE INTO sentence_hashes(hash, article_id) VALUES (?, ?)",
                            [(h, article_id) for h in hashes])
        return article_id

    def article_text(self, article_id: int) -> str:
        return self.db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]

    def published_at(self, article_id: int) -> datetime | None:
        row = self.db.execute("SELECT published_at FROM articles WHERE id = ?", (article_id,)).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def event_of(self, article_id: int) -> int | None:
        row = self.db.execute("SELECT event_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def article_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    # -- events: tight clusters of reports of one happening -----------------------------------------

    def create_event(self, article_id: int, when: str | None, representation: dict[str, float]) -> int:
        """A new event of one article, in no story yet (``create_story`` or ``link_event`` next)."""
        now = _now()
        cursor = self.db.execute(
            """INSERT INTO events(created_at, first_seen, last_seen, updated_at, article_count, representation)
               VALUES (?, ?, ?, ?, 1, ?)""",
            (now, when, when, now, _json(representation)),
        )
        event_id = int(cursor.lastrowid or 0)
        self.db.execute("UPDATE articles SET event_id = ? WHERE id = ?", (event_id, article_id))
        self.db.execute("INSERT INTO event_history(at, kind, event_id, article_id) VALUES (?, 'created', ?, ?)",
                        (now, event_id, article_id))
        return event_id

    def join_event(self, event_id: int, article_id: int, when: str | None, score: float | None,
                   representation: dict[str, float] | None) -> int:
        """Put the article in the event, and so in the event's story; returns the story id."""
        now = _now()
        story_id = self.db.execute("SELECT story_id FROM events WHERE id = ?", (event_id,)).fetchone()[0]
        self.db.execute("UPDATE articles SET event_id = ?, story_id = ? WHERE id = ?", (event_id, story_id, article_id))
        for table, representation_now in (("events", representation), ("stories", None)):
            self.db.execute(
                f"""UPDATE {table} SET article_count = article_count + 1, updated_at = ?,
                       first_seen = CASE WHEN first_seen IS NULL OR ? < first_seen THEN COALESCE(?, first_seen) ELSE first_seen END,
                       last_seen = CASE WHEN last_seen IS NULL OR ? > last_seen THEN COALESCE(?, last_seen) ELSE last_seen END,
                       representation = COALESCE(?, representation)
                   WHERE id = ?""",
                (now, when, when, when, when,
                 _json(representation_now) if representation_now is not None else None,
                 event_id if table == "events" else story_id),
            )
        self.db.execute("UPDATE stories SET brief_due = 1 WHERE id = ?", (story_id,))
        self.db.execute("INSERT INTO event_history(at, kind, event_id, article_id, score) VALUES (?, 'joined', ?, ?, ?)",
                        (now, event_id, article_id, score))
        return story_id

    def merge_events(self, keep: int, gone: int, score: float, representation: dict[str, float]) -> None:
        """Move every article of ``gone`` into ``keep`` (and ``keep``'s story); ``gone`` stays, marked
        merged_into. A story left without events is marked merged into ``keep``'s story."""
        now = _now()
        keep_story, gone_story = (self.db.execute("SELECT story_id FROM events WHERE id = ?", (e,)).fetchone()[0]
                                  for e in (keep, gone))
        self.db.execute("UPDATE articles SET event_id = ?, story_id = ? WHERE event_id = ?", (keep, keep_story, gone))
        self._refresh_span("events", keep, [keep, gone], now, representation)
        self.db.execute("""UPDATE events SET merged_into = ?, article_count = 0, updated_at = ?, story_id = NULL
                           WHERE id = ?""", (keep, now, gone))
        self.db.execute(
            "INSERT INTO event_history(at, kind, event_id, other_event_id, score) VALUES (?, 'merged', ?, ?, ?)",
            (now, keep, gone, score),
        )
        self._recount_stories([keep_story, gone_story], now)
        if gone_story != keep_story and self._event_total(gone_story) == 0:
            self._retire_story(gone_story, keep_story, now)

    def active_events(self, since: str | None) -> Iterator[sqlite3.Row]:
        """Events not merged away, last seen at or after ``since`` (all when None or undated)."""
        yield from self.db.execute(
            """SELECT id, story_id, first_seen, last_seen, article_count, representation FROM events
               WHERE merged_into IS NULL AND (? IS NULL OR last_seen IS NULL OR last_seen >= ?)""",
            (since, since),
        )

    def resolve_event(self, event_id: int) -> int:
        """Follow merges to the event that holds the articles now."""
        return self._resolve("events", event_id, "event")

    def story_of_event(self, event_id: int) -> int:
        return self.db.execute("SELECT story_id FROM events WHERE id = ?", (event_id,)).fetchone()[0]

    def events_of(self, story_id: int) -> list[dict[str, Any]]:
        """The story's events, oldest first (undated last), each with its article ids."""
        rows = self.db.execute(
            """SELECT id, first_seen, last_seen, article_count, updated_at FROM events
               WHERE story_id = ? AND merged_into IS NULL AND article_count > 0
               ORDER BY first_seen IS NULL, first_seen, id""", (story_id,)).fetchall()
        events = []
        for row in rows:
            articles = [r[0] for r in self.db.execute(
                "SELECT id FROM articles WHERE event_id = ? ORDER BY published_at IS NULL, published_at, id", (row["id"],))]
            events.append({"id": row["id"], "story_id": story_id, "first_seen": row["first_seen"],
                           "last_seen": row["last_seen"], "article_count": row["article_count"],
                           "updated_at": row["updated_at"], "article_ids": articles})
        return events

    def event_articles(self, event_id: int) -> list[Article]:
        """The event's articles with sentences, as ``story_articles`` gives them."""
        return self._articles("a.event_id = ?", event_id)

    # -- stories: what users follow, made of events -------------------------------------------------

    def create_story(self, event_id: int, representation: dict[str, float]) -> int:
        """A new story holding the event (taken out of the story it was in, if any)."""
        now = _now()
        cursor = self.db.execute(
            "INSERT INTO stories(created_at, updated_at, representation, brief_due) VALUES (?, ?, ?, 1)",
            (now, now, _json(representation)),
        )
        story_id = int(cursor.lastrowid or 0)
        self._move_event(event_id, story_id, now)
        self.db.execute("INSERT INTO story_history(at, kind, story_id, event_id) VALUES (?, 'created', ?, ?)",
                        (now, story_id, event_id))
        return story_id

    def link_event(self, story_id: int, event_id: int, score: float | None, representation: dict[str, float]) -> None:
        """Put the event, with its articles, in the story (out of the story it was in, if any)."""
        now = _now()
        self._move_event(event_id, story_id, now)
        self.db.execute("UPDATE stories SET representation = ? WHERE id = ?", (_json(representation), story_id))
        self.db.execute("INSERT INTO story_history(at, kind, story_id, event_id, score) VALUES (?, 'linked', ?, ?, ?)",
                        (now, story_id, event_id, score))

    def split_event(self, event_id: int, score: float, representation: dict[str, float]) -> int:
        """Take an event that drifted away from the rest of its story into a story of its own."""
        old = self.story_of_event(event_id)
        story_id = self.create_story(event_id, representation)
        self.db.execute("UPDATE story_history SET kind = 'split', other_story_id = ?, score = ? WHERE id = "
                        "(SELECT MAX(id) FROM story_history WHERE story_id = ?)", (old, score, story_id))
        return story_id

    def merge_stories(self, keep: int, gone: int, score: float, representation: dict[str, float]) -> None:
        """Move every event of ``gone`` into ``keep``; ``gone`` stays, marked merged_into."""
        now = _now()
        self.db.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (keep, gone))
        self.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))
        self._recount_stories([keep], now)
        self.db.execute("UPDATE stories SET representation = ? WHERE id = ?", (_json(representation), keep))
        self._retire_story(gone, keep, now)
        self.db.execute(
            "INSERT INTO story_history(at, kind, story_id, other_story_id, score) VALUES (?, 'merged', ?, ?, ?)",
            (now, keep, gone, score),
        )

    def active_stories(self, since: str | None) -> Iterator[sqlite3.Row]:
        """Stories not merged away, last seen at or after ``since`` (all when None or undated)."""
        yield from self.db.execute(
            """SELECT id, first_seen, last_seen, event_count, article_count, representation FROM stories
               WHERE merged_into IS NULL AND event_count > 0 AND (? IS NULL OR last_seen IS NULL OR last_seen >= ?)""",
            (since, since),
        )

    def resolve_story(self, story_id: int) -> int:
        """Follow merges to the story that holds the articles now."""
        return self._resolve("stories", story_id, "story")

    def story_of(self, article_id: int) -> int | None:
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def story_event_rows(self, story_id: int) -> list[tuple[int, dict[str, float], str | None, str | None]]:
        """(id, representation, first seen, last seen) of each of the story's events, oldest first."""
        return [(r[0], json.loads(r[1]), r[2], r[3]) for r in self.db.execute(
            """SELECT id, representation, first_seen, last_seen FROM events WHERE story_id = ? AND merged_into IS NULL
               ORDER BY id""", (story_id,))]

    def story_span(self, story_id: int) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT first_seen, last_seen FROM stories WHERE id = ?", (story_id,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def _resolve(self, table: str, item_id: int, noun: str) -> int:
        seen = set()
        while item_id not in seen:
            seen.add(item_id)
            row = self.db.execute(f"SELECT merged_into FROM {table} WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise NewsbriefError(f"no {noun} {item_id}; `newsbrief stories` lists them")
            if row[0] is None:
                return item_id
            item_id = row[0]
        return item_id

    def _move_event(self, event_id: int, story_id: int, now: str) -> None:
        old = self.story_of_event(event_id)
        self.db.execute("UPDATE events SET story_id = ? WHERE id = ?", (story_id, event_id))
        self.db.execute("UPDATE articles SET story_id = ? WHERE event_id = ?", (story_id, event_id))
        self._recount_stories([story_id] + ([old] if old is not None and old != story_id else []), now)
        if old is not None and old != story_id and self._event_total(old) == 0:
            self._retire_story(old, story_id, now)

    def _event_total(self, story_id: int) -> int:
        return self.db.execute("SELECT event_count FROM stories WHERE id = ?", (story_id,)).fetchone()[0]

    def _recount_stories(self, story_ids: Iterable[int], now: str) -> None:
        """Counts and the time span of stories from their events; each is due a new brief."""
        for story_id in dict.fromkeys(story_ids):
            self.db.execute(
                """UPDATE stories SET
                       event_count = (SELECT COUNT(*) FROM events WHERE story_id = :s AND merged_into IS NULL),
                       article_count = (SELECT COUNT(*) FROM articles WHERE story_id = :s),
                       first_seen = (SELECT MIN(first_seen) FROM events WHERE story_id = :s AND merged_into IS NULL),
                       last_seen = (SELECT MAX(last_seen) FROM events WHERE story_id = :s AND merged_into IS NULL),
                       updated_at = :now, brief_due = 1
                   WHERE id = :s""", {"s": story_id, "now": now})

    def _retire_story(self, story_id: int, into: int, now: str) -> None:
        self.db.execute("""UPDATE stories SET merged_into = ?, article_count = 0, event_count = 0, updated_at = ?,
                           brief_due = 0 WHERE id = ?""", (into, now, story_id))

    def _refresh_span(self, table: str, keep: int, ids: list[int], now: str, representation: dict[str, float]) -> None:
        self.db.execute(
            f"""UPDATE {table} SET
                   article_count = (SELECT COUNT(*) FROM articles WHERE event_id = ?),
                   first_seen = (SELECT MIN(first_seen) FROM {table} WHERE id IN (?, ?)),
                   last_seen = (SELECT MAX(last_seen) FROM {table} WHERE id IN (?, ?)),
                   updated_at = ?, representation = ?
               WHERE id = ?""",
            (keep, *ids, *ids, now, _json(representation), keep),
        )

    def story_articles(self, story_id: int) -> list[Article]:
        """The story's articles with sentences, ids as ``a<id>`` (copies carry ``duplicate_of``),
        each with its event."""
        return self._articles("a.story_id = ?", story_id)

    def _articles(self, where: str, value: int) -> list[Article]:
        rows = self.db.execute(
            f"""SELECT a.*, o.domain, o.name AS outlet FROM articles a JOIN outlets o ON o.id = a.outlet_id
               WHERE {where} ORDER BY a.id""",
            (value,),
        ).fetchall()
        articles = []
        for row in rows:
            article_id = f"a{row['id']}"
            sentences = [
                Sentence(article_id, s["idx"], s["text"], s["start"], s["end"],
                         json.loads(s["speech"]) if s["speech"] is not None else None,
                         json.loads(s["names"]) if s["names"] is not None else None)
                for s in self.db.execute("SELECT * FROM sentences WHERE article_id = ? ORDER BY idx", (row["id"],))
            ]
            articles.append(Article(
                url=row["url"], outlet=row["outlet"], domain=row["domain"], title=row["title"], text=row["text"],
                id=article_id, author=row["author"],
                published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
                date_source=row["date_source"],
                fetched_at=datetime.fromisoformat(row["fetched_at"]) if row["fetched_at"] else None,
                language=row["language"], content_hash=row["content_hash"],
                duplicate_of=f"a{row['duplicate_of']}" if row["duplicate_of"] else None,
                story_id=str(row["story_id"]), event_id=str(row["event_id"]) if row["event_id"] else None,
                origin=row["origin"] or "", note=row["note"], sentences=sentences,
            ))
        return articles

    def stories(self, limit: int | None = None) -> list[StoryRow]:
        """Stories with articles, largest first, then latest activity."""
        rows = self.db.execute(
            f"""SELECT s.id, s.headline, s.first_seen, s.last_seen, s.updated_at, s.article_count, s.event_count,
                       {STORY_OUTLETS_SQL} AS outlets, {STORY_FIRST_TITLE_SQL} AS first_title
                FROM stories s WHERE s.merged_into IS NULL AND s.article_count > 0
                ORDER BY s.article_count DESC, s.last_seen DESC, s.id {'LIMIT ' + str(int(limit)) if limit else ''}"""
        ).fetchall()
        result = []
        for row in rows:
            urls = [r[0] for r in self.db.execute("SELECT url FROM articles WHERE story_id = ? ORDER BY id", (row["id"],))]
            result.append(StoryRow(row["id"], row["headline"] or row["first_title"], row["first_seen"],
                                   row["last_seen"], row["updated_at"], row["article_count"], row["outlets"], urls,
                                   row["event_count"]))
        return result

    def story_updated_at(self, story_id: int) -> str:
        return self.db.execute("SELECT updated_at FROM stories WHERE id = ?", (story_id,)).fetchone()[0]

    # -- briefs -----------------------------------------------------------------------------------

    def latest_brief(self, story_id: int) -> Brief | None:
        row = self.db.execute("SELECT body FROM briefs WHERE story_id = ? ORDER BY version DESC LIMIT 1",
                              (story_id,)).fetchone()
        return Brief.from_dict(json.loads(row[0])) if row else None

    def save_names(self, recognised: dict[str, list[list[str]]]) -> None:
        """Keep the names the recogniser found in sentences (ref ``a<id>:<idx>`` -> [[name, kind]])."""
        rows = [(json.dumps(names, ensure_ascii=False), int(ref.split(":")[0][1:]), int(ref.split(":")[1]))
                for ref, names in recognised.items()]
        with self.transaction():
            self.db.executemany("UPDATE sentences SET names = ? WHERE article_id = ? AND idx = ?", rows)

    def add_brief(self, brief: Brief) -> Brief:
        """Store ``brief`` as the story's next version (briefs are immutable once stored)."""
        story_id = int(brief.story_id)
        with self.transaction():
            row = self.db.execute("SELECT COALESCE(MAX(version), 0) FROM briefs WHERE story_id = ?", (story_id,)).fetchone()
            brief.version = row[0] + 1
            self.db.execute("INSERT INTO briefs(story_id, version, generated_at, writer, body) VALUES (?,?,?,?,?)",
                            (story_id, brief.version, brief.generated_at, brief.writer,
                             json.dumps(brief.as_dict(), ensure_ascii=False)))
            self.db.execute("UPDATE stories SET headline = ?, brief_due = 0 WHERE id = ?", (brief.headline, story_id))
        return brief

    def due_briefs(self) -> list[int]:
        """Stories changed since their brief was last written or tried: those an ingest changed, and
        those a run killed before it wrote their briefs left behind."""
        return [row[0] for row in self.db.execute("SELECT id FROM stories WHERE brief_due = 1 ORDER BY id")]

    def briefs_tried(self, story_ids: Iterable[int]) -> None:
        """Stories whose brief could not be written: not due again until they change."""
        with self.transaction():
            self.db.executemany("UPDATE stories SET brief_due = 0 WHERE id = ?", [(i,) for i in story_ids])

    # -- statistics and search --------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def load_term_stats(self) -> tuple[dict[str, int], int]:
        df = {row[0]: row[1] for row in self.db.execute("SELECT term, df FROM term_stats")}
        row = self.db.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()
        return df, int(row[0]) if row else 0

    def save_term_stats(self, changed: dict[str, int], documents: int) -> None:
        with self.transaction():
            self.db.executemany("INSERT INTO term_stats(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = excluded.df",
                                list(changed.items()))
            self.db.execute("INSERT INTO meta(key, value) VALUES ('documents', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(documents),))

    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[dict[str, Any]]:
        """Full-text search over titles and texts; ``query`` may use FTS5 syntax, else is taken as
        words. Matches in the snippet are wrapped in ``marks``."""
        sql = """SELECT a.id, a.url, a.title, a.story_id, a.published_at, o.name AS outlet, o.id AS outlet_id,
                        snippet(articles_fts, 1, ?, ?, ' … ', 12) AS snippet
                 FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid JOIN outlets o ON o.id = a.outlet_id
                 WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"""
        try:
            rows = self.db.execute(sql, (*marks, query, limit)).fetchall()
        except sqlite3.OperationalError:
            words = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
            rows = self.db.execute(sql, (*marks, words, limit)).fetchall() if words else []
        return [dict(row) for row in rows]

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and by checking story memberships."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"article {r[0]} has no story" for r in self.db.execute(
            "SELECT id FROM articles WHERE story_id IS NULL")]
        problems += [f"article {r[0]} is in merged story {r[1]}" for r in self.db.execute(
            "SELECT a.id, a.story_id FROM articles a JOIN stories s ON s.id = a.story_id WHERE s.merged_into IS NOT NULL")]
        problems += [f"story {r[0]} counts {r[1]} articles but holds {r[2]}" for r in self.db.execute(
            """SELECT s.id, s.article_count, COUNT(a.id) FROM stories s LEFT JOIN articles a ON a.story_id = s.id
               GROUP BY s.id HAVING s.article_count != COUNT(a.id)""")]
        problems += [f"article {r[0]} has no event" for r in self.db.execute(
            "SELECT id FROM articles WHERE event_id IS NULL")]
        problems += [f"article {r[0]} is in story {r[1]} but its event {r[2]} is in story {r[3]}" for r in self.db.execute(
            """SELECT a.id, a.story_id, a.event_id, e.story_id FROM articles a JOIN events e ON e.id = a.event_id
               WHERE e.story_id IS NOT a.story_id""")]
        problems += [f"article {r[0]} is in merged event {r[1]}" for r in self.db.execute(
            "SELECT a.id, a.event_id FROM articles a JOIN events e ON e.id = a.event_id WHERE e.merged_into IS NOT NULL")]
        problems += [f"story {r[0]} counts {r[1]} events but holds {r[2]}" for r in self.db.execute(
            """SELECT s.id, s.event_count, COUNT(e.id) FROM stories s
               LEFT JOIN events e ON e.story_id = s.id AND e.merged_into IS NULL
               GROUP BY s.id HAVING s.event_count != COUNT(e.id)""")]
        return problems
