"""Reports move to the sibling event they fit best once a batch is grouped (refine.py).

The story is invented: a warehouse of the invented firm Kestrel Mills burns in the invented town of
Dunmore; nine days later its owner is charged with arson. An undated report of the charges arrives
before any dated one: no event of the charges exists yet, so it joins the fire's event; the charges'
dated reports then start their own (nine days on, the time discount keeps them from the fire). At the
end of the batch the undated report moves to the charges, with its syndicated copy."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsbrief.ingest import Grouper, IngestSummary
from newsbrief.records import Article
from newsbrief.refine import Report, better_events
from newsbrief.store import open_store
from newsbrief.stories import GroupingParams

from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .test_event_weekdays import _article as weekday_article

FIRE = [
    ("Kestrel Mills warehouse burns in Dunmore, three firefighters hurt",
     "A fire destroyed the Kestrel Mills warehouse on the edge of Dunmore overnight, and three firefighters were "
     "taken to hospital with burns. Flames rose thirty metres above the warehouse roof, fire chief Oren Talbot "
     "said, and crews from four towns fought the blaze until morning. Residents near the Kestrel Mills site were "
     "told to keep their windows shut because of the smoke."),
    ("Fire guts Kestrel Mills warehouse in Dunmore",
     "Three firefighters were hurt as fire gutted the Kestrel Mills warehouse in Dunmore overnight, fire chief Oren "
     "Talbot said. Crews from four towns fought the flames, which rose high above the roof, until the morning. "
     "People living near the Kestrel Mills warehouse were asked to keep windows closed against the smoke."),
]
CHARGES = [
    ("Kestrel Mills owner charged with arson over Dunmore warehouse fire",
     "Prosecutors charged Kestrel Mills owner Ferris Albrecht with arson and insurance fraud over the fire that "
     "destroyed the firm's Dunmore warehouse. Albrecht appeared in Dunmore magistrates court and was released on "
     "bail; prosecutor Maud Ellery told the court that petrol cans were found in the warehouse office and that "
     "Albrecht had raised the insurance cover a month earlier."),
    ("Dunmore warehouse fire: Kestrel Mills owner Ferris Albrecht faces arson charge",
     "Ferris Albrecht, who owns Kestrel Mills, was charged with arson and insurance fraud over the Dunmore "
     "warehouse fire and released on bail by Dunmore magistrates court. Prosecutor Maud Ellery said petrol cans "
     "were found in the warehouse office and that Albrecht had raised its insurance cover a month before."),
]
CHARGES_UNDATED = (
    "Kestrel Mills owner Ferris Albrecht in court on arson charge",
    "Kestrel Mills owner Ferris Albrecht appeared before Dunmore magistrates court charged with arson and "
    "insurance fraud over the fire at his Dunmore warehouse. Prosecutor Maud Ellery said petrol cans were found "
    "in the warehouse office and that Albrecht had raised the insurance cover a month earlier; he was released "
    "on bail.")
FIRE_DAY = datetime(2026, 2, 3, 7, tzinfo=timezone.utc)
CHARGED_DAY = FIRE_DAY + timedelta(days=9)


def _article(n: int, title: str, text: str, published: datetime | None) -> Article:
    return weekday_article(n, title, text, published, slug="kestrel")


def _stream() -> list[Article]:
    """The fire, then the undated report of the charges and its syndicated copy, then the charges."""
    fire = [_article(n, title, text, FIRE_DAY) for n, (title, text) in enumerate(FIRE)]
    undated = [_article(n, *CHARGES_UNDATED, None) for n in (2, 3)]  # outlet 3 runs outlet 2's copy
    charges = [_article(n, title, text, CHARGED_DAY) for n, (title, text) in enumerate(CHARGES, start=4)]
    return fire + undated + charges


def _events(store: Any) -> dict[int, int]:
    """outlet number -> the event of its report."""
    rows = store.db.execute("SELECT url, event_id FROM articles").fetchall()
    return {int(url.split("//outlet")[1].split(".")[0]): event for url, event in rows}


def _group(location: str, articles: list[Article]) -> tuple[Grouper, IngestSummary, dict[int, int]]:
    """The articles grouped one by one, then the batch's end: the grouper, the summary, and each
    report's event as placed on arrival."""
    store = open_store(location)
    grouper = Grouper(store)
    summary = IngestSummary()
    for article in articles:
        grouper.add(article, summary)
    placed = _events(store)
    grouper.merge_converged(summary.changed_stories, summary)
    return grouper, summary, placed


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_early_undated_report_moves_to_the_event_it_tells_of(backend: str, request: pytest.FixtureRequest,
                                                                 tmp_path: Path) -> None:
    location = database_location(backend, request, tmp_path)
    grouper, summary, placed = _group(location, _stream())
    store = grouper.store
    try:
        # as the reports arrived: the undated one (and its copy) joined the fire
        assert placed[2] == placed[3] == placed[0] == placed[1] != placed[4] == placed[5]
        events = _events(store)
        fire, charges = events[0], events[4]
        assert events == {0: fire, 1: fire, 2: charges, 3: charges, 4: charges, 5: charges}
        assert summary.moved == 1 and "1 reports moved" in summary.lines()[1]
        assert store.check() == []
        assert store.story_of_event(fire) == store.story_of_event(charges)
        counts = dict(store.db.execute("SELECT id, article_count FROM events").fetchall())
        assert counts[fire] == 2 and counts[charges] == 4
        (history,) = store.db.execute("SELECT event_id, other_event_id FROM event_history WHERE other_event_id "
                                      "IS NOT NULL AND kind = 'joined'").fetchall()
        assert tuple(history) == (charges, fire)
        # the grouper's indexes agree with what a restarted one reads from the store
        again = Grouper(store)
        for event in (fire, charges):
            live, read = grouper.index.stories[event], again.index.stories[event]
            assert (live.size, live.first, live.last, live.days, live.not_before) == \
                   (read.size, read.first, read.last, read.days, read.not_before)
            assert live.total == pytest.approx(read.total)
        assert again.index.stories[fire].size == 2 and again.index.stories[charges].size == 3
        # a later report of the charges joins them, and one of the fire joins the fire
        late = IngestSummary()
        grouper.add(_article(6, *CHARGES[0], CHARGED_DAY + timedelta(hours=5)), late)
        grouper.add(_article(7, *FIRE[1], FIRE_DAY + timedelta(hours=5)), late)
        assert _events(store)[6] == charges and _events(store)[7] == fire
    finally:
        store.close()


def test_without_the_moves_the_undated_report_stays_with_the_fire(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above fails without refinement: the fire's event keeps the report of the charges."""
    monkeypatch.setattr("newsbrief.ingest.better_events", lambda *args: [])
    grouper, summary, _ = _group(str(tmp_path / "news.db"), _stream())
    events = _events(grouper.store)
    grouper.store.close()
    assert events[2] == events[0] != events[4] and summary.moved == 0


def _report(article_id: int, event_id: int, vector: dict[str, float], day: int | None) -> Report:
    return Report(article_id, event_id, vector, FIRE_DAY + timedelta(days=day) if day is not None else None, None)


def test_a_report_alone_in_its_event_stays_and_moves_need_the_join_threshold() -> None:
    fire, charges = {"fire": 0.8, "warehouse": 0.6}, {"arson": 0.8, "warehouse": 0.6}
    # a report on its own is left to the event merge pass
    assert better_events([_report(1, 10, fire, 0), _report(2, 20, charges, 9)], GroupingParams()) == []
    # the charges report in the fire's event moves to the charges
    reports = [_report(1, 10, fire, 0), _report(2, 10, fire, 0), _report(3, 10, charges, None),
               _report(4, 20, charges, 9)]
    (move,) = better_events(reports, GroupingParams())
    assert (move.report.article_id, move.origin, move.event_id) == (3, 10, 20) and move.score == pytest.approx(1.0)
    # where no other event passes the join threshold, nothing moves even if its own event scores lower
    weak = {"arson": 0.1, "court": 0.99}
    reports = [_report(1, 10, fire, 0), _report(2, 10, weak, None), _report(3, 20, charges, 9)]
    assert better_events(reports, replace(GroupingParams(), join_threshold=0.5)) == []
