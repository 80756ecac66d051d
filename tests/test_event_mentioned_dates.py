"""The dates an undated report mentions as a bound on when it was published: a recap written a
year after an event, telling of it in the same words, does not join that event's reports; the same
text mentioning a day within the event's window does. The story is invented: a crane collapses at
the invented port of Harrowgate in March 2025; a year later a report tells of the port's
compensation fund, "as of February 20, 2026"."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsbrief.dating import infer_published, not_before
from newsbrief.ingest import Grouper, IngestSummary
from newsbrief.records import Article
from newsbrief.store import open_store

from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401
from .test_event_weekdays import _article as weekday_article

COLLAPSE = [
    ("Crane collapses at Harrowgate port, two dockers killed",
     "A container crane collapsed onto a cargo ship at the port of Harrowgate, killing two dockers and injuring "
     "five, the Harrowgate Port Authority said. The crane operator, Velden Terminals, halted work on every quay "
     "while inspectors examined the crane's anchor bolts. Port director Ailsa Morrow said the collapse was the "
     "worst accident in the port's history."),
    ("Two dockers dead after Harrowgate crane collapse",
     "Two dockers died and five were injured when a container crane collapsed at the port of Harrowgate, the "
     "Harrowgate Port Authority said. Velden Terminals, which runs the crane, stopped work on all quays. Port "
     "director Ailsa Morrow called it the worst accident in the port's history as inspectors examined the "
     "crane's anchor bolts."),
]
RECAP = ("Harrowgate crane collapse: families of dockers paid by port fund",
         "The families of the two dockers killed when a container crane collapsed at the port of Harrowgate have "
         "been paid by the port's compensation fund, the Harrowgate Port Authority said. Velden Terminals, which "
         "ran the crane, paid into the fund, which held $4 million as of {day}. Port director Ailsa Morrow said "
         "the crane's anchor bolts had been replaced on every quay.")
COLLAPSE_DAY = datetime(2025, 3, 4, 9, tzinfo=timezone.utc)


def _article(n: int, title: str, text: str, published: datetime | None) -> Article:
    return weekday_article(n, title, text, published, slug="harrowgate")


def _ingest(url: str, articles: list[Article]) -> None:
    with open_store(url) as store:
        grouper = Grouper(store)
        summary = IngestSummary()
        for article in articles:
            grouper.add(article, summary)
        grouper.merge_converged(summary.changed_stories, summary)


def _events(url: str) -> list[int | None]:
    with open_store(url) as store:
        return [store.event_of(n) for n in (1, 2, 3)]


def test_not_before_is_the_latest_full_date_mentioned() -> None:
    text = "Opened on March 3, 2024 and closed on 15 April 2025; a hearing is set for June 2026, not May 2."
    assert not_before(text) == datetime(2025, 4, 15, tzinfo=timezone.utc)
    assert not_before(text, latest=datetime(2025, 1, 1, tzinfo=timezone.utc)) == datetime(2024, 3, 3, tzinfo=timezone.utc)
    assert not_before("No date here, only Friday and 2024.") is None


def test_only_an_undated_report_keeps_a_bound() -> None:
    fetched = datetime(2026, 11, 1, tzinfo=timezone.utc)
    undated = _article(1, RECAP[0], RECAP[1].format(day="February 20, 2026"), None)
    undated.fetched_at = fetched
    infer_published(undated)
    assert undated.published_at is None and undated.not_before == datetime(2026, 2, 20, tzinfo=timezone.utc)
    dated = _article(2, RECAP[0], RECAP[1].format(day="February 20, 2026"), COLLAPSE_DAY)
    infer_published(dated)
    assert dated.not_before is None


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("reopen", [False, True])
def test_a_recap_mentioning_a_later_day_starts_its_own_event(
        backend: str, reopen: bool, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """``reopen``: the recap comes in a later run, and the collapse's event is read back from the store."""
    for day, joins in (("February 20, 2026", False), ("March 10, 2025", True)):
        url = database_location(backend, request, tmp_path, name=f"news{len(day)}{joins}")
        collapse = [_article(n, title, text, COLLAPSE_DAY) for n, (title, text) in enumerate(COLLAPSE)]
        recap = _article(2, RECAP[0], RECAP[1].format(day=day), None)
        if reopen:
            _ingest(url, collapse)
            _ingest(url, [recap])
        else:
            _ingest(url, collapse + [recap])
        first, second, third = _events(url)
        assert first == second
        assert (third == first) is joins, day
