"""The PostgreSQL store: the same tables, methods and results as ``SQLiteStore``, for a database
shared by several writer processes (``ingest``, ``watch``) on one or more machines.

Readers run in autocommit mode and never wait for a writer (MVCC). Every write goes through
``transaction()``, which starts by taking one transaction-level advisory lock per database; see
``transaction`` for why."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from ..errors import NewsbriefError
from ..records import Article, Sentence
from .postgres_migrations import MIGRATIONS
from .reads import STORY_FIRST_TITLE_SQL, STORY_OUTLETS_SQL
from .relational import ADD_DOCUMENTS_SQL, RelationalStore, _article, _json
from .sqlite import StoryRow, _iso, sentence_hash

WRITER_LOCK = 0x6E657773  # pg_advisory_xact_lock key of the one grouping writer per database
MIGRATION_LOCK = 0x6E657774  # taken while the schema is migrated
ARTICLE_COLUMNS = """a.id, a.url, a.title, a.author, a.published_at, a.date_source, a.fetched_at, a.language,
                     a.text, a.content_hash, a.duplicate_of, a.story_id, a.event_id, a.origin, a.note"""


class PostgresStore(RelationalStore):
    """Articles, sentences, events, stories, briefs and feeds in a PostgreSQL database. The grouping
    writes and most reads are ``RelationalStore``'s; the writing ones follow merges first here."""

    def __init__(self, url: str) -> None:
        self.path = url
        try:
            self.db = psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as exc:
            raise NewsbriefError(f"cannot connect to {_safe(url)}: {str(exc).strip()}; "
                                 "check the URL and that the server is running") from None
        self._depth = 0
        self._skipping = False  # this transaction's article was stored by another writer meanwhile
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            version = self._value("SELECT MAX(version) FROM schema_version") or 0
            if version > len(MIGRATIONS):
                raise NewsbriefError(f"{_safe(self.path)} was written by a newer newsbrief (schema {version}); "
                                     "upgrade newsbrief")
            for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
                self.db.execute(sql)
                self.db.execute("INSERT INTO schema_version(version) VALUES (%s)", (number,))

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction, rolled back on any error, that first takes the database's writer lock.

        Why one advisory lock rather than row locks: ``Grouper`` decides where an article goes from
        its in-memory event and story indexes, then writes several rows (the article, its event, its
        story, their counts and history) that another writer may be changing too. Serialising these
        short transactions keeps every count and membership consistent without deadlocks or
        serialization failures (each statement of the holder sees all committed work: READ
        COMMITTED), and the lock is released at commit even if the process dies. Readers take no lock.

        A writer whose article (same canonical URL) was committed by another writer since it
        checked ``has_url`` finds it here under the lock: the rest of the transaction then changes
        nothing and is rolled back, so the article is stored once and the caller sees no error."""
        if self._depth:
            yield self.db
            return
        self._depth += 1
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                yield self.db
                if self._skipping:
                    raise psycopg.Rollback()
        finally:
            self._depth -= 1
            self._skipping = False

    # -- queries ----------------------------------------------------------------------------------
    # ``_run``, ``_one``, ``_all`` and ``_insert`` take ``RelationalStore``'s SQL (``?`` placeholders);
    # ``_rows`` and ``_value`` take psycopg's (``%s``), for this module's own queries.

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(_pg(sql), params)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.db.execute(_pg(sql), params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(_pg(sql), params).fetchall()

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        return self._value(_pg(sql) + " RETURNING id", params)

    def _records(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self._rows(_pg(sql), params)

    def _json_text(self, column: str, *keys: str) -> str:
        return f"({column}::jsonb #>> '{{{','.join(keys)}}}')"

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self.db.cursor(row_factory=dict_row) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _row(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _value(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- articles ---------------------------------------------------------------------------------

    def articles_sharing_sentences(self, sentences: list[Sentence], limit: int = 3) -> list[tuple[int, int, int]]:
        """(article id, shared sentence count, that article's sentence-hash count), most shared first."""
        hashes = list({h for s in sentences if (h := sentence_hash(s.text)) is not None})
        if not hashes:
            return []
        rows = self.db.execute(
            """SELECT article_id, COUNT(*) AS shared,
                      (SELECT COUNT(*) FROM sentence_hashes t WHERE t.article_id = s.article_id) AS total
               FROM sentence_hashes s WHERE hash = ANY(%s)
               GROUP BY article_id ORDER BY shared DESC, article_id LIMIT %s""",
            (hashes, limit),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def _outlet_id(self, domain: str, name: str) -> int:
        self.db.execute("INSERT INTO outlets(domain, name) VALUES (%s, %s) ON CONFLICT DO NOTHING", (domain, name))
        return self._value("SELECT id FROM outlets WHERE domain = %s AND name = %s", (domain, name))

    def add_article(self, article: Article, duplicate_of: int | None, terms: dict[str, float]) -> int:
        """Insert an article and its sentences; returns its id. Call inside ``transaction()``. If
        another writer stored the URL meanwhile, returns that article's id and the transaction
        changes nothing (see ``transaction``)."""
        row = self.db.execute(
            """INSERT INTO articles(url, outlet_id, title, author, published_at, date_source, fetched_at, language,
                                    text, content_hash, duplicate_of, origin, note, terms, not_before)
               VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (url) DO NOTHING RETURNING id""",
            (article.url, self._outlet_id(article.domain, article.outlet), article.title, article.author,
             _iso(article.published_at), article.date_source, _iso(article.fetched_at), article.language, article.text,
             article.content_hash, duplicate_of, article.origin, article.note, _json(terms),
             _iso(article.not_before)),
        ).fetchone()
        if row is None:
            self._skipping = True
            return self._value("SELECT id FROM articles WHERE url = %s", (article.url,))
        article_id = int(row[0])
        with self.db.cursor() as cursor:
            cursor.executemany(
                'INSERT INTO sentences(article_id, idx, text, start, "end", speech) VALUES (%s,%s,%s,%s,%s,%s)',
                [(article_id, s.index, s.text, s.start, s.end, None if s.speech is None else json.dumps(s.speech))
                 for s in article.sentences],
            )
            hashes = {h for s in article.sentences if (h := sentence_hash(s.text)) is not None}
            cursor.executemany("INSERT INTO sentence_hashes(hash, article_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                               [(h, article_id) for h in sorted(hashes)])
        return article_id

    def article_text(self, article_id: int) -> str:
        return self._value("SELECT text FROM articles WHERE id = %s", (article_id,))

    # -- grouping reads (the writes are ``RelationalStore``'s, which follow merges other writers made;
    # an article another writer stored meanwhile is seen by ``Grouper.add``, which then writes nothing)

    def active_events(self, since: str | None) -> Iterator[dict[str, Any]]:
        """Events not merged away, last seen at or after ``since`` (all when None or undated)."""
        yield from self._rows(
            """SELECT id, story_id, first_seen, last_seen, article_count, representation FROM events
               WHERE merged_into IS NULL AND (%(since)s::text IS NULL OR last_seen IS NULL OR last_seen >= %(since)s::text)
               ORDER BY id""",
            {"since": since},
        )

    def active_stories(self, since: str | None) -> Iterator[dict[str, Any]]:
        """Stories not merged away, last seen at or after ``since`` (all when None or undated)."""
        yield from self._rows(
            """SELECT id, first_seen, last_seen, event_count, article_count, representation FROM stories
               WHERE merged_into IS NULL AND event_count > 0
                 AND (%(since)s::text IS NULL OR last_seen IS NULL OR last_seen >= %(since)s::text)
               ORDER BY id""",
            {"since": since},
        )

    def _articles(self, where: str, value: int) -> list[Article]:
        rows = self._rows(
            f"""SELECT {ARTICLE_COLUMNS}, o.domain, o.name AS outlet FROM articles a JOIN outlets o ON o.id = a.outlet_id
               WHERE {_pg(where)} ORDER BY a.id""", (value,))
        sentences: dict[int, list[Sentence]] = {row["id"]: [] for row in rows}
        for s in self._rows('SELECT article_id, idx, text, start, "end", speech, names FROM sentences '
                            "WHERE article_id = ANY(%s) ORDER BY article_id, idx", (list(sentences),)):
            sentences[s["article_id"]].append(Sentence(
                f"a{s['article_id']}", s["idx"], s["text"], s["start"], s["end"],
                json.loads(s["speech"]) if s["speech"] is not None else None,
                json.loads(s["names"]) if s["names"] is not None else None))
        return [_article(row, sentences[row["id"]]) for row in rows]

    def stories(self, limit: int | None = None) -> list[StoryRow]:
        """Stories with articles, largest first, then latest activity."""
        rows = self._rows(
            f"""SELECT s.id, s.headline, s.first_seen, s.last_seen, s.updated_at, s.article_count, s.event_count,
                       {STORY_OUTLETS_SQL} AS outlets, {STORY_FIRST_TITLE_SQL} AS first_title,
                       ARRAY(SELECT a.url FROM articles a WHERE a.story_id = s.id ORDER BY a.id) AS urls
                FROM stories s WHERE s.merged_into IS NULL AND s.article_count > 0
                ORDER BY s.article_count DESC, s.last_seen DESC NULLS LAST, s.id
                {'LIMIT ' + str(int(limit)) if limit else ''}"""
        )
        return [StoryRow(row["id"], row["headline"] or row["first_title"], row["first_seen"], row["last_seen"],
                         row["updated_at"], row["article_count"], row["outlets"], list(row["urls"]), row["event_count"])
                for row in rows]

    def story_updated_at(self, story_id: int) -> str:
        return self._value("SELECT updated_at FROM stories WHERE id = %s", (story_id,))

    # -- briefs -----------------------------------------------------------------------------------

    def save_names(self, recognised: dict[str, list[list[str]]]) -> None:
        """Keep the names the recogniser found in sentences (ref ``a<id>:<idx>`` -> [[name, kind]])."""
        rows = [(json.dumps(names, ensure_ascii=False), int(ref.split(":")[0][1:]), int(ref.split(":")[1]))
                for ref, names in recognised.items()]
        with self.transaction(), self.db.cursor() as cursor:
            cursor.executemany("UPDATE sentences SET names = %s WHERE article_id = %s AND idx = %s", rows)

    # -- statistics and search --------------------------------------------------------------------

    def load_term_stats(self) -> tuple[dict[str, int], int]:
        df = {row[0]: row[1] for row in self.db.execute("SELECT term, df FROM term_stats")}
        documents = self.meta("documents")
        return df, int(documents) if documents else 0

    def add_term_stats(self, added: dict[str, int], documents: int) -> None:
        """Add one writer's new document frequencies and document count to the stored ones."""
        with self.transaction():
            with self.db.cursor() as cursor:
                cursor.executemany("INSERT INTO term_stats(term, df) VALUES (%s, %s) "
                                   "ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df",
                                   sorted(added.items()))
            self.db.execute(_pg(ADD_DOCUMENTS_SQL), (str(documents),))

    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[dict[str, Any]]:
        """Full-text search over titles and texts, as a web search engine reads ``query`` (words,
        "quoted phrases", OR, -excluded); never a syntax error. Matches in the snippet are wrapped
        in ``marks``. The same keys as ``SQLiteStore.search``."""
        start, stop = (m.replace('"', "") for m in marks)
        options = f'StartSel="{start}", StopSel="{stop}", MaxWords=12, MinWords=5, MaxFragments=1'
        # the snippet from the first stored sentence that matches (ts_headline parses all the text
        # it is given: a whole article costs ~1 ms a hit), else from the title and the opening
        return self._rows(
            """SELECT hit.id, hit.url, hit.title, hit.story_id, hit.published_at, o.name AS outlet,
                      o.id AS outlet_id,
                      COALESCE((SELECT ts_headline('english', s.text, hit.q, %s) FROM sentences s
                                WHERE s.article_id = hit.id AND to_tsvector('english', s.text) @@ hit.q
                                ORDER BY s.idx LIMIT 1),
                               ts_headline('english', hit.title || '. ' || left(hit.text, 600), hit.q, %s)) AS snippet
               FROM (SELECT a.id, a.url, a.title, a.story_id, a.published_at, a.outlet_id, a.text, q,
                            ts_rank(a.search, q) AS rank
                     FROM websearch_to_tsquery('english', %s) q, articles a
                     WHERE a.search @@ q ORDER BY rank DESC, a.id LIMIT %s) hit
               JOIN outlets o ON o.id = hit.outlet_id
               ORDER BY hit.rank DESC, hit.id""",
            (options, options, query, limit),
        )

    def check(self) -> list[str]:
        """Problems found by checking story and event memberships and counts."""
        queries = [
            ("article {0} has no story", "SELECT id FROM articles WHERE story_id IS NULL"),
            ("article {0} is in merged story {1}",
             "SELECT a.id, a.story_id FROM articles a JOIN stories s ON s.id = a.story_id WHERE s.merged_into IS NOT NULL"),
            ("story {0} counts {1} articles but holds {2}",
             """SELECT s.id, s.article_count, COUNT(a.id) FROM stories s LEFT JOIN articles a ON a.story_id = s.id
                GROUP BY s.id HAVING s.article_count != COUNT(a.id)"""),
            ("article {0} has no event", "SELECT id FROM articles WHERE event_id IS NULL"),
            ("article {0} is in story {1} but its event {2} is in story {3}",
             """SELECT a.id, a.story_id, a.event_id, e.story_id FROM articles a JOIN events e ON e.id = a.event_id
                WHERE e.story_id IS DISTINCT FROM a.story_id"""),
            ("article {0} is in merged event {1}",
             "SELECT a.id, a.event_id FROM articles a JOIN events e ON e.id = a.event_id WHERE e.merged_into IS NOT NULL"),
            ("story {0} counts {1} events but holds {2}",
             """SELECT s.id, s.event_count, COUNT(e.id) FROM stories s
                LEFT JOIN events e ON e.story_id = s.id AND e.merged_into IS NULL
                GROUP BY s.id HAVING s.event_count != COUNT(e.id)"""),
        ]
        return [message.format(*row) for message, sql in queries for row in self.db.execute(sql)]


def reader_store(connection: psycopg.Connection[Any], url: str) -> PostgresStore:
    """A store over a connection opened elsewhere (one of a server's pooled readers): the schema is
    not migrated here, and nothing is written through it."""
    store = PostgresStore.__new__(PostgresStore)
    store.path, store.db, store._depth, store._skipping = url, connection, 0, False
    return store


def _pg(sql: str) -> str:
    """``RelationalStore``'s SQL as psycopg takes it: ``?`` placeholders as ``%s``, a literal ``%`` as ``%%``."""
    return sql.replace("%", "%%").replace("?", "%s")


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the PostgreSQL database"
    return f"PostgreSQL database {info.get('dbname', '')!r} on {info.get('host', 'localhost')}"
