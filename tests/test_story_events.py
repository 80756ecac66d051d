"""Stories made of events: formation, merge, split, and the migration of a database from before
events. The story is invented: the Gull Bridge in the invented city of Portavel closes, the council
holds a hearing a week later, and the bridge reopens to light traffic three weeks after that; an
unrelated report (a chess tournament in another invented town) must stay a story of its own."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from newsbrief.executor import extract_all
from newsbrief.fetch import Fetcher
from newsbrief.ingest import Grouper, IngestSummary, ingest
from newsbrief.records import Article
from newsbrief.settings import Config
from newsbrief.sources import SourceReader
from newsbrief.store.migrations import MIGRATIONS
from newsbrief.store.sqlite import SQLiteStore
from newsbrief.stories import STORY_LINKING

from .stories import BRIDGE

HEARING = [
    {"title": "Portavel council grills transport chief over Gull Bridge closure", "outlet": "Portavel Tribune",
     "published": "2026-03-10T18:00:00+00:00",
     "text": "Portavel city councillors questioned transport chief Rafael Nunes for three hours on Tuesday about why "
             "repairs to the Gull Bridge girder were postponed to 2027. Councillor Amara Osei said the 2024 inspection "
             "report should have been acted on at once. Nunes told the hearing that the city had lacked the money for "
             "the work. The council voted to commission an independent review of every bridge in Portavel."},
    {"title": "Gull Bridge hearing: transport chief admits repairs were delayed", "outlet": "Coastline Review",
     "published": "2026-03-10T20:30:00+00:00",
     "text": "The head of Portavel's transport department, Rafael Nunes, admitted at a council hearing on Tuesday that "
             "repairs to the cracked Gull Bridge girder had been put off for lack of money. Councillors led by Amara "
             "Osei ordered an independent review of all the city's bridges. The hearing followed the closure of the "
             "Gull Bridge last week after inspectors found cracks in its main span."},
]
REOPENING = [
    {"title": "Gull Bridge reopens to cars after temporary repair", "outlet": "Harbourside News",
     "published": "2026-03-31T07:00:00+00:00",
     "text": "The Gull Bridge in Portavel reopened to cars and light vans on Tuesday morning, four weeks after it was "
             "closed when cracks were found in its main span. Lorries will stay banned until the girder is replaced "
             "later this year, Mayor Ines Calder said. Ferry operators said they would end the extra crossings they "
             "had added during the closure."},
    {"title": "Portavel's Gull Bridge open again, but not for lorries", "outlet": "Portavel Tribune",
     "published": "2026-03-31T09:15:00+00:00",
     "text": "Cars crossed the Gull Bridge again on Tuesday after engineers finished a temporary repair of the "
             "cracked girder in its main span. Mayor Ines Calder said heavy goods vehicles would remain barred "
             "until a new girder is fitted. Commuters in Portavel had faced long detours since the bridge closed "
             "at the start of the month."},
]
CHESS = [{"title": "Teenager wins Velmora chess open", "outlet": "Velmora Courier",
          "published": "2026-03-15T16:00:00+00:00",
          "text": "Sixteen-year-old Lina Okoro won the Velmora chess open on Sunday, beating grandmaster Piet Vanek in "
                  "the final round. Okoro finished with seven points from nine games. The tournament drew 212 players "
                  "from eleven countries to the town's old market hall."}]


def _record(article: dict, url: str) -> dict:
    text = article.get("text") or " ".join(article["paragraphs"])
    return {"url": url, "title": article["title"], "outlet": article["outlet"], "published": article["published"],
            "text": text}


def _write(path: Path, groups: list[tuple[str, list[dict]]]) -> Path:
    lines = [json.dumps(_record(a, f"https://{slug}.example/{n}")) for slug, articles in groups
             for n, a in enumerate(articles)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _articles(path: Path) -> list[Article]:
    """The file's articles, extracted as ingest extracts them."""
    with Fetcher(Config.load()) as fetcher:
        documents = list(SourceReader(fetcher, lambda problem: None).read([str(path)]))
    return [a for a in extract_all(documents, 1, None) if isinstance(a, Article)]


def _stories(store: SQLiteStore) -> dict[int, list[list[str]]]:
    """story id -> its events, each the URLs of its reports."""
    return {s.id: [[store.db.execute("SELECT url FROM articles WHERE id = ?", (a,)).fetchone()[0]
                    for a in e["article_ids"]] for e in store.events_of(s.id)] for s in store.stories()}


def test_events_of_one_developing_story_form_one_story(tmp_path: Path) -> None:
    inputs = _write(tmp_path / "reports.jsonl",
                    [("closure", BRIDGE), ("hearing", HEARING), ("reopening", REOPENING), ("chess", CHESS)])
    with SQLiteStore(tmp_path / "news.db") as store:
        summary = ingest([str(inputs)], store)
        assert not summary.failed and store.check() == []
        stories = sorted(_stories(store).values(), key=len)
    assert len(stories) == 2, stories
    chess, bridge = stories
    assert [len(e) for e in chess] == [1]
    events = [{url.split("/")[2].split(".")[0] for url in event} for event in bridge]
    assert events == [{"closure"}, {"hearing"}, {"reopening"}]  # oldest first, each event whole


def test_converged_stories_merge_and_a_drifted_event_splits_off(tmp_path: Path) -> None:
    inputs = _write(tmp_path / "reports.jsonl", [("closure", BRIDGE), ("hearing", HEARING)])
    apart = replace(STORY_LINKING, join_threshold=2.0)  # never links
    with SQLiteStore(tmp_path / "news.db") as store:
        ingest([str(inputs)], store)  # default linking: one story
        assert len(_stories(store)) == 1
    # the same reports where linking never happened: two stories, which the merge pass joins
    with SQLiteStore(tmp_path / "apart.db") as store:
        grouper = Grouper(store, story_params=apart)
        summary = IngestSummary()
        for article in _articles(inputs):
            grouper.add(article, summary)
        assert len(_stories(store)) == 2
        merging = Grouper(store)
        merging.settle_stories(sorted(s.id for s in store.stories()), summary)
        assert summary.merges == 1 and len(_stories(store)) == 1 and store.check() == []
        assert [len(e) for e in next(iter(_stories(store).values()))] == [3, 2]
    # an unrelated event forced into the bridge story splits off when the story settles
    chess_file = _write(tmp_path / "chess.jsonl", [("chess", CHESS)])
    with SQLiteStore(tmp_path / "apart.db") as store:
        (bridge,) = [s.id for s in store.stories()]
        summary = IngestSummary()
        for article in _articles(chess_file):
            Grouper(store).add(article, summary)
        (chess,) = summary.events_created
        with store.transaction():  # as if it had once looked like the bridge story
            store.link_event(bridge, chess, None, {})
        assert [s.id for s in store.stories()] == [bridge]  # forced in
        Grouper(store).settle_stories([bridge], summary)
        assert summary.splits == 1 and store.check() == []
        sizes = sorted(len(events) for events in _stories(store).values())
        assert sizes == [1, 2]
        kinds = [r[0] for r in store.db.execute("SELECT kind FROM story_history ORDER BY id")]
        assert "split" in kinds and "merged" in kinds


def test_a_database_from_before_events_migrates_and_its_stories_form(tmp_path: Path) -> None:
    """Schema 7 (stories only): each old story becomes one event in a story of its own, with the
    same id; the first grouper on it lets stories form, and the old briefs stay readable."""
    reports = _write(tmp_path / "reports.jsonl", [("closure", BRIDGE[:2]), ("hearing", HEARING)])
    made = tmp_path / "made.db"
    with SQLiteStore(made) as store:  # the articles as newsbrief stores them (sentences, terms) ...
        ingest([str(reports)], store)
    old = tmp_path / "old.db"
    db = sqlite3.connect(old)
    for number, sql in enumerate(MIGRATIONS[:7], start=1):
        db.executescript(f"BEGIN;\n{sql};\nPRAGMA user_version = {number};\nCOMMIT;")
    db.execute("ATTACH ? AS made", (str(made),))
    # ... copied into a schema-7 database where each article's event was a story of its own kind:
    # the closure reports one story (id 1), the hearing reports another (id 2)
    db.executescript("""
        INSERT INTO outlets SELECT * FROM made.outlets;
        INSERT INTO stories(id, created_at, first_seen, last_seen, updated_at, headline, article_count, representation)
            SELECT id, created_at, first_seen, last_seen, updated_at, '', article_count, representation FROM made.events;
        INSERT INTO articles(id, url, outlet_id, title, author, published_at, fetched_at, language, text, content_hash,
                             duplicate_of, story_id, origin, note, terms, date_source)
            SELECT id, url, outlet_id, title, author, published_at, fetched_at, language, text, content_hash,
                   duplicate_of, event_id, origin, note, terms, date_source FROM made.articles;
        INSERT INTO sentences SELECT * FROM made.sentences;
        INSERT INTO briefs VALUES (1, 1, '2026-03-03T00:00:00+00:00', 'extractive', '{"story_id": "1"}');
    """)
    db.commit()
    old_stories = sorted(r[0] for r in db.execute("SELECT id FROM stories"))
    db.close()
    assert len(old_stories) == 2
    with SQLiteStore(old) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert sorted(r[0] for r in store.db.execute("SELECT id FROM events")) == old_stories
        assert [len(events) for events in _stories(store).values()] == [1, 1]
        assert store.check() == []
        assert store.meta("stories_formed") == "0"
        Grouper(store)  # the first grouper lets the old stories form
        assert store.meta("stories_formed") == "1"
        (story,) = _stories(store).values()
        assert len(story) == 2 and store.check() == []
        assert store.db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0] == 1
        assert store.resolve_story(old_stories[1]) == store.resolve_story(old_stories[0])


def test_web_story_lists_its_events_and_each_event_has_a_page(tmp_path: Path) -> None:
    from newsbrief.pipeline import refresh_briefs
    from newsbrief.web.app import create_app

    from .web_fixtures import call

    inputs = _write(tmp_path / "reports.jsonl", [("closure", BRIDGE), ("hearing", HEARING), ("reopening", REOPENING)])
    db = tmp_path / "news.db"
    with SQLiteStore(db) as store:
        summary = ingest([str(inputs)], store)
        refresh_briefs(store, summary.changed_stories)
        (story,) = [s.id for s in store.stories()]
        events = [e["id"] for e in store.events_of(story)]
    app = create_app(db)
    listing = call(app, "GET", "/stories.json").json()["stories"]
    assert [(s["id"], s["events"], s["articles"]) for s in listing] == [(story, 3, 7)]
    page = call(app, "GET", f"/stories/{story}.json").json()
    assert [e["id"] for e in page["story"]["events"]] == events
    assert [len(e["reports"]) for e in page["story"]["events"]] == [3, 2, 2]
    html = call(app, "GET", f"/stories/{story}").text
    assert all(f'href="/events/{e}"' in html for e in events)
    event = call(app, "GET", f"/events/{events[1]}.json").json()
    assert event["event"]["story_id"] == story and len(event["event"]["reports"]) == 2
    assert "hearing" in event["brief"]["lede"]["text"].lower()
    assert {ref.split(":")[0] for ref in event["brief"]["lede"]["citations"]} <= {
        f"a{r['id']}" for r in event["event"]["reports"]}
    assert "Rafael Nunes" in call(app, "GET", f"/events/{events[1]}").text
    assert call(app, "GET", "/events/999.json").status_code == 404
