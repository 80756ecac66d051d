"""A long ingest keeps in memory only the events and stories that can still take reports.

An archive ingested in time order drops, at each checkpoint, the clusters whose last report came a
window before the earliest article since the previous checkpoint: the groupings are those of a
grouper that keeps everything, and memory stays flat. In reverse order nothing can be dropped. The
reports are invented: one town's works every twenty days, three reports each."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsbrief import ingest
from newsbrief.ingest import Grouper, IngestSummary, ingest_articles
from newsbrief.records import Article
from newsbrief.store.sqlite import SQLiteStore

from .test_event_weekdays import _article

TOWNS = ["Ardley", "Brenmoor", "Calloway", "Dunhallow", "Elstree Vale", "Fennick", "Garrowby", "Hollin",
         "Istead", "Jarrowgate", "Kelderby", "Lunsford"]
WORKS = ["tram depot", "lifeboat station", "grain silo", "observatory", "ice rink", "ferry terminal",
         "paper mill", "reservoir pumping house", "orchard cooperative", "glassworks", "velodrome", "abbey roof"]
START = datetime(2025, 1, 6, 9, tzinfo=timezone.utc)


def _stream() -> list[Article]:
    articles = []
    for n, (town, works) in enumerate(zip(TOWNS, WORKS)):
        for k in range(3):
            title = f"{town} {works} {('opens', 'reopens to visitors', 'draws crowds')[k]}"
            text = (f"The {works} in {town} opened to the public after four years of building work, the {town} "
                    f"trust said. Visitors queued outside the {works} from early morning, and the trust expects "
                    f"{1000 + 100 * n + k} people in the first week. The {works} cost the {town} trust less than "
                    "its budget, a spokesperson said.")
            article = _article(3 * n + k, title, text, START + timedelta(days=20 * n, hours=5 * k), slug=f"t{n}")
            articles.append(article)
    return articles


def _group(path: Path, articles: list[Article], every: int,
           monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, tuple[int, int]], Grouper]:
    monkeypatch.setattr(ingest, "CHECKPOINT_EVERY", every)
    with SQLiteStore(path) as store:
        grouper = Grouper(store)
        ingest_articles(articles, store, IngestSummary(), grouper=grouper)
        rows = store.db.execute("SELECT url, event_id, story_id FROM articles").fetchall()
    return {url: (event, story) for url, event, story in rows}, grouper


def test_a_time_ordered_archive_keeps_only_the_window_in_memory(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    kept, everything = _group(tmp_path / "all.db", _stream(), 10_000, monkeypatch)
    placed, pruned = _group(tmp_path / "pruned.db", _stream(), 6, monkeypatch)
    assert placed == kept  # the same events and stories
    assert len(everything.index) == len({event for event, _ in kept.values()}) == 12
    # the last checkpoint came after the 36th article (day 220): events of the 30 days before the
    # earliest article since the previous one (day 200) are kept; stories of the 120 days before it
    assert {s.last.date() for s in pruned.index.stories.values()} == {  # type: ignore[union-attr]
        (START + timedelta(days=d, hours=10)).date() for d in (180, 200, 220)}
    assert all(s.last >= START + timedelta(days=80) for s in pruned.stories.stories.values())  # type: ignore[operator]
    assert len(pruned.stories) < len(everything.stories)
    assert set(pruned.linker.members) <= set(pruned.stories.stories)
    live = set(pruned.index.stories)
    assert all(set(posting) <= live for posting in pruned.index.postings.values())


def test_out_of_order_nothing_that_could_still_take_a_report_is_dropped(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    backwards = list(reversed(_stream()))
    kept, everything = _group(tmp_path / "all.db", backwards, 10_000, monkeypatch)
    placed, pruned = _group(tmp_path / "pruned.db", backwards, 6, monkeypatch)
    assert placed == kept
    assert set(pruned.index.stories) == set(everything.index.stories)
