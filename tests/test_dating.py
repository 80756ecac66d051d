"""Undated reports: a date is read from the URL, the dateline or the report copied, said to be
inferred in the brief, and where none is known the report is grouped with no time discount."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsbrief.dating import date_from_dateline, date_from_url, infer_published
from newsbrief.extract import extract
from newsbrief.ingest import ingest_articles
from newsbrief.pipeline import story_briefs
from newsbrief.records import Article, RawDocument
from newsbrief.render import render
from newsbrief.store import SQLiteStore
from newsbrief.writers.extractive import ExtractiveWriter

from .stories import BRIDGE

YEARS_LATER = datetime(2029, 6, 1, tzinfo=timezone.utc)  # an archive read long after the events


@pytest.mark.parametrize(("url", "day"), [
    ("https://tribune.example/news/2026/03/02/gull-bridge-closed", "2026-03-02"),
    ("https://review.example/world/2026/mar/03/gull-bridge", "2026-03-03"),
    ("https://daily.example/gull-bridge-2026-03-04-ferries", "2026-03-04"),
    ("https://daily.example/archive/20260305/ferries.html", "2026-03-05"),
    ("https://weekly.example/06-Mar-2026-bridge-hearing", "2026-03-06"),
    ("https://tribune.example/story/123456789", None),  # an id, not a date
    ("https://tribune.example/2026/13/45/bridge", None),  # no such day
    ("https://tribune.example/bridge?from=2026-03-02", None),  # a query, not the report's path
    ("https://tribune.example/2031/01/01/bridge", None),  # after it was fetched
])
def test_a_date_in_the_url_path(url: str, day: str | None) -> None:
    when = date_from_url(url, latest=YEARS_LATER)
    assert (when.date().isoformat() if when else None) == day


@pytest.mark.parametrize(("text", "day"), [
    ("By Lena Moor | March 02, 2026 — The city of Portavel closed the Gull Bridge.", "2026-03-02"),
    ("Posted Mar. 3, 2026 5:27 pm\nCommuters faced detours.", "2026-03-03"),
    ("Wednesday 4 March 2026 PORTAVEL — Ferry operators added crossings.", "2026-03-04"),
    ("PORTAVEL, 2026-03-05 — Engineers said repairs were on schedule.", "2026-03-05"),
    ("The city closed the bridge. About 40,000 vehicles cross it each day, " * 6
     + "as on March 9, 2019, when it last closed.", None),  # deep in the text: history, not a dateline
    ("The 1882 bridge was closed on Monday.", None),
    ("FILE - In this Oct. 27, 2012 file photo, the Gull Bridge is seen from the harbour.", None),
    ("In the early hours of June 30, 1995, a fire closed the old bridge.", None),
    ("PORTAVEL, March 6, 2026 (Wire) - The council met.", "2026-03-06"),
    ("Gull Bridge to reopen\nUpdated: March 7, 2026 at 10:02\nThe bridge will reopen.", "2026-03-07"),
])
def test_a_dateline_at_the_top_of_the_text(text: str, day: str | None) -> None:
    when = date_from_dateline(text, latest=YEARS_LATER)
    assert (when.date().isoformat() if when else None) == day


def _article(story: dict, url: str, dated: bool = True, text_prefix: str = "") -> Article:
    raw = RawDocument(origin=url, url=url, title=story["title"], outlet=story["outlet"],
                      text=text_prefix + "\n\n".join(story["paragraphs"]),
                      published_at=datetime.fromisoformat(story["published"]) if dated else None)
    article = extract(raw)
    article.fetched_at = YEARS_LATER
    return article


def test_an_undated_report_read_years_later_joins_its_story(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "news.db") as store:
        summary = ingest_articles([_article(BRIDGE[0], "https://tribune.example/gull-bridge"),
                                   _article(BRIDGE[1], "https://harbourside.example/detours", dated=False)], store)
        assert summary.new_articles == 2 and len(summary.stories_created) == 1  # not kept apart by the fetch time
        undated = store.db.execute("SELECT published_at, date_source FROM articles WHERE url LIKE '%detours'").fetchone()
        assert tuple(undated) == (None, None)  # unknown stays unknown
        story = store.db.execute("SELECT first_seen, last_seen FROM stories").fetchone()
        assert story["first_seen"] == story["last_seen"] == "2026-03-02T09:00:00+00:00"


def test_the_fetch_time_stands_in_only_for_a_live_feed() -> None:
    archived = _article(BRIDGE[1], "https://harbourside.example/detours", dated=False)
    infer_published(archived)
    assert archived.published_at is None
    live = _article(BRIDGE[1], "https://harbourside.example/detours", dated=False)
    infer_published(live, live=True)
    assert (live.published_at, live.date_source) == (YEARS_LATER, "fetched")


def test_inferred_dates_are_used_and_said_to_be_inferred(tmp_path: Path) -> None:
    copy = dict(BRIDGE[0], outlet="Bayside Daily")
    with SQLiteStore(tmp_path / "news.db") as store:
        ingest_articles([
            _article(BRIDGE[0], "https://tribune.example/gull-bridge"),
            _article(copy, "https://bayside.example/wire/gull-bridge", dated=False),  # the wire copy
            _article(BRIDGE[1], "https://harbourside.example/2026/03/02/detours", dated=False),
            _article(BRIDGE[2], "https://review.example/girder", dated=False, text_prefix="March 3, 2026 — "),
        ], store)
        rows = {url: (day, source) for url, day, source in store.db.execute(
            "SELECT url, substr(published_at, 1, 10), date_source FROM articles")}
        assert rows == {
            "https://tribune.example/gull-bridge": ("2026-03-02", "given"),
            "https://bayside.example/wire/gull-bridge": ("2026-03-02", "copy"),
            "https://harbourside.example/2026/03/02/detours": ("2026-03-02", "url"),
            "https://review.example/girder": ("2026-03-03", "dateline"),
        }
        brief = story_briefs(store, ExtractiveWriter(), workers=1)[0]
    text = render(brief, "text")
    assert "Harbourside News: Gull Bridge shut: commuters face long detours, 2026-03-02 (date from the URL)" in text
    assert "Coastline Review: Inspectors had flagged Gull Bridge girder in 2024, 2026-03-03 (date from the dateline)" in text
    assert "Portavel Tribune: Portavel closes Gull Bridge after cracks found in main span, 2026-03-02\n" in text
    assert {s.date_source for s in brief.sources} == {None, "url", "dateline"}
    assert "date from the URL" in render(brief, "md") and "(date from the URL)" in render(brief, "html")


def test_dates_far_apart_still_keep_events_apart(tmp_path: Path) -> None:
    """The time discount still applies between reports whose dates are known."""
    later = dict(BRIDGE[1], published=(datetime.fromisoformat(BRIDGE[1]["published"]) + timedelta(days=400)).isoformat())
    with SQLiteStore(tmp_path / "news.db") as store:
        summary = ingest_articles([_article(BRIDGE[0], "https://tribune.example/gull-bridge"),
                                   _article(later, "https://harbourside.example/detours")], store)
    assert len(summary.stories_created) == 2
