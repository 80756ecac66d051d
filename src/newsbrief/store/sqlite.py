"""The SQLite store: WAL mode (readers never wait for the writer), one transaction per article
(a crash loses at most the article in hand), migrations by PRAGMA user_version."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import NewsbriefError
from ..records import Article, Sentence
from .migrations import MIGRATIONS
from .reads import STORY_FIRST_TITLE_SQL, STORY_OUTLETS_SQL
from .relational import ADD_DOCUMENTS_SQL, RelationalStore, _article

MIN_WORDS_FOR_HASH = 8  # sentences shorter than this are too common to identify a copy


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


class SQLiteStore(RelationalStore):
    """Articles, sentences, stories and briefs in one SQLite file (or ``:memory:``). The grouping
    writes and most reads are ``RelationalStore``'s."""

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

    # -- the SQL of ``RelationalStore`` (``?`` placeholders, as sqlite3 takes them) -----------------

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(sql, params)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        return self.db.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        return int(self.db.execute(sql, params).lastrowid or 0)

    def _records(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.execute(sql, params)]

    def _json_text(self, column: str, *keys: str) -> str:
        return f"json_extract({column}, '$.{'.'.join(keys)}')"

    # -- articles ---------------------------------------------------------------------------------

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
        """Insert an article and its sentences; returns its id. Call inside ``transaction()``. If
        another writer (an `ingest` beside a `watch`) stored the URL since ``has_url`` said no,
        returns that article's id and inserts nothing."""
        row = self.db.execute(
            """INSERT INTO articles(url, outlet_id, title, author, published_at, date_source, fetched_at, language,
                                    text, content_hash, duplicate_of, origin, note, terms, not_before)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (url) DO NOTHING RETURNING id""",
            (article.url, self._outlet_id(article.domain, article.outlet), article.title, article.author,
             _iso(article.published_at), article.date_source, _iso(article.fetched_at), article.language, article.text,
             article.content_hash, duplicate_of, article.origin, article.note,
             json.dumps(terms, separators=(",", ":")), _iso(article.not_before)),
        ).fetchone()
        if row is None:
            return int(self.db.execute("SELECT id FROM articles WHERE url = ?", (article.url,)).fetchone()[0])
        article_id = int(row[0])
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

    # -- events: tight clusters of reports of one happening -----------------------------------------

    def active_events(self, since: str | None) -> Iterator[sqlite3.Row]:
        """Events not merged away, last seen at or after ``since`` (all when None or undated)."""
        yield from self.db.execute(
            """SELECT id, story_id, first_seen, last_seen, article_count, representation FROM events
               WHERE merged_into IS NULL AND (? IS NULL OR last_seen IS NULL OR last_seen >= ?)""",
            (since, since),
        )

    # -- stories: what users follow, made of events -------------------------------------------------

    def active_stories(self, since: str | None) -> Iterator[sqlite3.Row]:
        """Stories not merged away, last seen at or after ``since`` (all when None or undated)."""
        yield from self.db.execute(
            """SELECT id, first_seen, last_seen, event_count, article_count, representation FROM stories
               WHERE merged_into IS NULL AND event_count > 0 AND (? IS NULL OR last_seen IS NULL OR last_seen >= ?)""",
            (since, since),
        )

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
            articles.append(_article(row, sentences))
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

    def save_names(self, recognised: dict[str, list[list[str]]]) -> None:
        """Keep the names the recogniser found in sentences (ref ``a<id>:<idx>`` -> [[name, kind]])."""
        rows = [(json.dumps(names, ensure_ascii=False), int(ref.split(":")[0][1:]), int(ref.split(":")[1]))
                for ref, names in recognised.items()]
        with self.transaction():
            self.db.executemany("UPDATE sentences SET names = ? WHERE article_id = ? AND idx = ?", rows)

    # -- statistics and search --------------------------------------------------------------------

    def load_term_stats(self) -> tuple[dict[str, int], int]:
        df = {row[0]: row[1] for row in self.db.execute("SELECT term, df FROM term_stats")}
        row = self.db.execute("SELECT value FROM meta WHERE key = 'documents'").fetchone()
        return df, int(row[0]) if row else 0

    def add_term_stats(self, added: dict[str, int], documents: int) -> None:
        """Add one writer's new document frequencies and document count to the stored ones."""
        with self.transaction():
            self.db.executemany("INSERT INTO term_stats(term, df) VALUES (?, ?) "
                                "ON CONFLICT(term) DO UPDATE SET df = term_stats.df + excluded.df", list(added.items()))
            self.db.execute(ADD_DOCUMENTS_SQL, (str(documents),))

    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[dict[str, Any]]:
        """Full-text search over titles and texts; ``query`` may use FTS5 syntax, else is taken as
        words. Matches in the snippet are wrapped in ``marks``."""
        sql = """SELECT a.id, a.url, a.title, a.story_id, a.published_at, o.name AS outlet, o.id AS outlet_id,
                        snippet(articles_fts, -1, ?, ?, ' … ', 12) AS snippet
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
