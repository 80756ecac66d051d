"""What the web app and the MCP server read: rows as JSON-ready dicts, each query written once with
``?`` placeholders for both backends. A backend supplies ``_records`` (rows as dicts) and
``_json_text`` (how its SQL reads one field of a JSON column as text)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

STORY_OUTLETS_SQL = """(SELECT COUNT(DISTINCT a.outlet_id) FROM articles a
                        WHERE a.story_id = s.id AND a.duplicate_of IS NULL)"""
STORY_FIRST_TITLE_SQL = "(SELECT a.title FROM articles a WHERE a.story_id = s.id ORDER BY a.id LIMIT 1)"
LISTED = "s.merged_into IS NULL AND s.article_count > 0"  # the stories that are shown
LATEST_BRIEF = "b.version = (SELECT MAX(x.version) FROM briefs x WHERE x.story_id = b.story_id)"


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE ? ESCAPE '\\'``, with the text's own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class PageReads(ABC):
    """Reads for pages and tools: stories, briefs, events, articles, outlets."""

    @abstractmethod
    def _records(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """All rows of ``?`` SQL, each a dict by column name."""

    @abstractmethod
    def _json_text(self, column: str, *keys: str) -> str:
        """SQL giving ``column``'s JSON value at ``keys`` as text (JSON text for arrays and objects)."""

    def _record(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._records(sql, params)
        return rows[0] if rows else None

    # -- stories ----------------------------------------------------------------------------------

    def story_record(self, story_id: int) -> dict[str, Any] | None:
        return self._record("SELECT * FROM stories WHERE id = ?", (story_id,))

    def story_page(self, page: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """(how many stories are listed, one page of them): latest activity first, each with its
        outlet count, first title and its latest brief's version, time and lede."""
        total = self._records(f"SELECT COUNT(*) AS n FROM stories s WHERE {LISTED}")[0]["n"]
        rows = self._records(
            f"""SELECT s.id, s.headline, s.first_seen, s.last_seen, s.updated_at, s.article_count, s.event_count,
                       {STORY_OUTLETS_SQL} AS outlets, {STORY_FIRST_TITLE_SQL} AS first_title
                FROM stories s WHERE {LISTED}
                ORDER BY s.last_seen DESC NULLS LAST, s.id DESC LIMIT ? OFFSET ?""",
            (limit, (max(1, page) - 1) * limit))
        briefs = self._latest_briefs([row["id"] for row in rows])
        return total, [{**row, **briefs.get(row["id"], {})} for row in rows]

    def _latest_briefs(self, story_ids: list[int]) -> dict[int, dict[str, Any]]:
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = self._records(
            f"""SELECT b.story_id, b.version AS brief_version, b.generated_at AS brief_generated_at,
                       {self._json_text('b.body', 'lede', 'text')} AS lede
                FROM briefs b WHERE b.story_id IN ({marks}) AND {LATEST_BRIEF}""", story_ids)
        return {row.pop("story_id"): row for row in rows}

    def story_outlets(self, story_id: int) -> list[dict[str, Any]]:
        """The outlets with original reports in the story, by name, with how many each."""
        return self._records(
            """SELECT o.id, o.name, o.domain, COUNT(*) AS articles FROM articles a JOIN outlets o ON o.id = a.outlet_id
               WHERE a.story_id = ? AND a.duplicate_of IS NULL GROUP BY o.id, o.name, o.domain ORDER BY o.name""",
            (story_id,))

    def first_report(self, story_id: int) -> dict[str, Any] | None:
        """The story's first stored report: its id and title."""
        return self._record("SELECT id, title FROM articles WHERE story_id = ? ORDER BY id LIMIT 1", (story_id,))

    def event_record(self, event_id: int) -> dict[str, Any] | None:
        return self._record("SELECT * FROM events WHERE id = ?", (event_id,))

    # -- briefs -----------------------------------------------------------------------------------

    def brief_body(self, story_id: int, version: int) -> str | None:
        """A stored brief version's JSON."""
        row = self._record("SELECT body FROM briefs WHERE story_id = ? AND version = ?", (story_id, version))
        return row["body"] if row else None

    def brief_count(self, story_id: int) -> int:
        return self._records("SELECT COUNT(*) AS n FROM briefs WHERE story_id = ?", (story_id,))[0]["n"]

    def brief_versions(self, story_id: int) -> list[dict[str, Any]]:
        """Every version of a story's brief, newest first: version, time, writer, headline and
        ``changes`` (JSON text)."""
        return self._records(
            f"""SELECT version, generated_at, writer, {self._json_text('body', 'headline')} AS headline,
                       {self._json_text('body', 'changes')} AS changes
                FROM briefs WHERE story_id = ? ORDER BY version DESC""", (story_id,))

    def updated_briefs(self, story_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """The latest brief versions written (all stories, or one), newest first, with headline,
        lede and ``changes`` (JSON text)."""
        where, args = ("WHERE story_id = ?", (story_id, limit)) if story_id is not None else ("", (limit,))
        return self._records(
            f"""SELECT story_id, version, generated_at, {self._json_text('body', 'headline')} AS headline,
                       {self._json_text('body', 'lede', 'text')} AS lede, {self._json_text('body', 'changes')} AS changes
                FROM briefs {where} ORDER BY generated_at DESC, story_id DESC, version DESC LIMIT ?""", args)

    def latest_briefs_containing(self, text: str) -> list[tuple[int, str]]:
        """(story id, JSON body) of the latest brief of each listed story whose JSON holds ``text``
        (any case), latest activity first."""
        rows = self._records(
            f"""SELECT b.story_id, b.body FROM briefs b JOIN stories s ON s.id = b.story_id
                WHERE s.merged_into IS NULL AND {LATEST_BRIEF} AND lower(b.body) LIKE ? ESCAPE '\\'
                ORDER BY s.last_seen DESC NULLS LAST, s.id DESC""", (like_pattern(text.lower()),))
        return [(row["story_id"], row["body"]) for row in rows]

    # -- articles and outlets ---------------------------------------------------------------------

    def report_records(self, article_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Id, URL, title, date, copy-of and outlet of each article given, in the order given."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self._records(
            f"""SELECT a.id, a.url, a.title, a.published_at, a.duplicate_of, o.name AS outlet
                FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id IN ({marks})""", list(article_ids))
        by_id = {row["id"]: row for row in rows}
        return [by_id[i] for i in article_ids if i in by_id]

    def article_record(self, article_id: int) -> dict[str, Any] | None:
        return self._record(
            """SELECT a.id, a.url, a.title, a.author, a.published_at, a.fetched_at, a.story_id, a.duplicate_of, a.note,
                      o.id AS outlet_id, o.name AS outlet, o.domain
               FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?""", (article_id,))

    def article_sentences(self, article_id: int) -> list[dict[str, Any]]:
        return self._records('SELECT idx AS "index", text FROM sentences WHERE article_id = ? ORDER BY idx',
                             (article_id,))

    def cited_sentence(self, article_id: int, index: int) -> dict[str, Any] | None:
        """A sentence's text (None if the article has no such sentence) with its article's URL,
        outlet and date; None when there is no such article."""
        return self._record(
            """SELECT s.text, a.url, o.name AS outlet, a.published_at FROM articles a
               JOIN outlets o ON o.id = a.outlet_id LEFT JOIN sentences s ON s.article_id = a.id AND s.idx = ?
               WHERE a.id = ?""", (index, article_id))

    def outlet_records(self) -> list[dict[str, Any]]:
        return self._records("SELECT id, name, domain FROM outlets ORDER BY id")

    def outlet_record(self, outlet_id: int) -> dict[str, Any] | None:
        return self._record("SELECT id, name, domain FROM outlets WHERE id = ?", (outlet_id,))

    def outlet_articles(self, outlet_id: int, limit: int) -> list[dict[str, Any]]:
        return self._records(
            """SELECT id, url, title, published_at, story_id, duplicate_of FROM articles WHERE outlet_id = ?
               ORDER BY COALESCE(published_at, fetched_at) DESC NULLS LAST, id DESC LIMIT ?""", (outlet_id, limit))

    def outlet_stories(self, outlet_id: int, limit: int) -> list[dict[str, Any]]:
        return self._records(
            """SELECT s.id, COALESCE(NULLIF(s.headline, ''), MIN(a.title)) AS headline, s.last_seen,
                      COUNT(*) AS articles
               FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.outlet_id = ?
               GROUP BY s.id, s.headline, s.last_seen ORDER BY s.last_seen DESC NULLS LAST LIMIT ?""",
            (outlet_id, limit))
