"""The weekday a report names as weak time evidence for grouping: an undated report that names
another day than an event's dated reports fell on starts an event of its own; one that names the
same day joins it. The story is invented: a ferry catches fire off the invented port of Lusmere on
a Friday, and divers reach its wreck on the Sunday; the reports of both days share most words."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from newsbrief.extract import extract
from newsbrief.ingest import Grouper, IngestSummary
from newsbrief.records import Article, RawDocument
from newsbrief.store.sqlite import SQLiteStore
from newsbrief.stories import GroupingParams
from newsbrief.weekdays import disagree, named_weekday, possible_weekdays

FIRE = [
    ("Ferry Saint Orla burns off Lusmere, crew and passengers rescued",
     "The ferry Saint Orla caught fire off the port of Lusmere on Friday with 212 passengers aboard. Coast guard "
     "boats from Lusmere rescued every passenger and the crew of the Saint Orla before the ship sank in the "
     "Varne Strait. Harbour master Colm Deverey said the fire began in the engine room of the ferry."),
    ("Saint Orla ferry fire: all 212 people rescued off Lusmere",
     "Fire broke out in the engine room of the ferry Saint Orla off Lusmere on Friday, harbour master Colm Deverey "
     "said. Coast guard crews rescued all 212 passengers and the crew before the ferry sank in the Varne Strait. "
     "The Saint Orla had left Lusmere for the island of Carrow an hour earlier."),
]
DIVERS_UNDATED = (
    "Navy divers reach sunken Saint Orla",
    "Navy divers reached the sunken Saint Orla on Sunday, forty metres down. Salvage firm Brannock Marine will "
    "pump the remaining diesel out of its tanks before a leak can reach the oyster beds of Carrow, investigators "
    "said. Accident inspectors plan to raise control panels from the wreck next month, and the navy has closed "
    "the area to fishing boats.")
FIRE_UNDATED = (
    "Lusmere ferry fire: harbour master praises coast guard",
    "Harbour master Colm Deverey praised the Lusmere coast guard for rescuing all 212 passengers and the crew of the "
    "ferry Saint Orla, which caught fire in its engine room on Friday and sank in the Varne Strait. The Saint Orla "
    "was bound from Lusmere to Carrow.")
FRIDAY = datetime(2026, 5, 8, 15, tzinfo=timezone.utc)


def _article(n: int, title: str, text: str, published: datetime | None, slug: str = "ferry") -> Article:
    """Outlet ``n``'s report at https://outlet{n}.example/{slug}, with the publication date given."""
    article = extract(RawDocument(origin=f"test:{n}", url=f"https://outlet{n}.example/{slug}",
                                  text=f"{title}\n\n{text}", outlet=f"Outlet {n}"))
    article.published_at = published
    return article


def _event_of(store: SQLiteStore, n: int) -> int:
    url = f"https://outlet{n}.example/ferry"
    return store.db.execute("SELECT event_id FROM articles WHERE url = ?", (url,)).fetchone()[0]


def _ingest(store: SQLiteStore, articles: list[Article], params: GroupingParams) -> None:
    grouper = Grouper(store, params)
    summary = IngestSummary()
    for article in articles:
        grouper.add(article, summary)
    grouper.merge_converged(summary.changed_stories, summary)


def _fire_then(tmp_path: Path, late: list[Article], params: GroupingParams, reopen: bool) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "news.db")
    fire = [_article(n, title, text, FRIDAY) for n, (title, text) in enumerate(FIRE)]
    if reopen:  # the late reports come in a later run: the weekdays are read back from the store
        _ingest(store, fire, params)
        store.close()
        store = SQLiteStore(tmp_path / "news.db")
        _ingest(store, late, params)
    else:
        _ingest(store, fire + late, params)
    return store


def test_named_weekday_and_possible_days() -> None:
    assert named_weekday("Ferry burns", "The ferry caught fire on Friday; on Sunday divers ...") == 4
    assert named_weekday("Sunday: divers reach wreck", "The ferry sank on Friday.") == 6
    assert named_weekday("Ferry burns", "x" * 500 + " on Friday") is None  # past the lead
    assert possible_weekdays(6, FRIDAY) == {6}
    assert possible_weekdays(None, FRIDAY) == {4, 3}  # published on a Friday: that day or the day before
    assert possible_weekdays(None, None) == set()
    assert disagree({6}, {4, 3}) and not disagree({4}, {4, 3}) and not disagree({6}, set())


def test_undated_report_naming_another_day_starts_its_own_event(tmp_path: Path) -> None:
    for reopen in (False, True):
        folder = tmp_path / str(reopen)
        folder.mkdir()
        late = [_article(2, *DIVERS_UNDATED, None), _article(3, *FIRE_UNDATED, None)]
        with _fire_then(folder, late, GroupingParams(), reopen) as store:
            assert _event_of(store, 0) == _event_of(store, 1) == _event_of(store, 3), reopen
            assert _event_of(store, 2) != _event_of(store, 0), reopen


def test_without_the_weekday_rule_the_divers_join_the_fire(tmp_path: Path) -> None:
    """The texts are close enough that words alone put the Sunday report into Friday's event."""
    late = [_article(2, *DIVERS_UNDATED, None)]
    with _fire_then(tmp_path, late, GroupingParams(weekday_penalty=1.0), reopen=False) as store:
        assert _event_of(store, 2) == _event_of(store, 0)
