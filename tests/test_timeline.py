"""The timeline: events dated by their main clause, one entry per event, in time order (fictional
sentences about an invented harbour city, Portavel)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from newsbrief import ExtractiveWriter, SchemaError, validate
from newsbrief.analysis.dates import resolve_dates
from newsbrief.analysis.timeline import dated_by, event_date, timeline
from newsbrief.records import Article
from newsbrief.render import render_json
from newsbrief.render.html import render_html
from newsbrief.render.markdown import render_markdown
from newsbrief.render.text import render_text
from newsbrief.sentences import split_sentences

WEDNESDAY = datetime(2026, 3, 4, 12, tzinfo=timezone.utc)  # Monday is 2 March 2026


def _day(sentence: str) -> date | None:
    found = event_date(sentence, resolve_dates(sentence, WEDNESDAY))
    return found.day if found else None


def _article(article_id: str, outlet: str, published: datetime, text: str) -> Article:
    domain = f"{outlet.lower().replace(' ', '')}.example"
    return Article(id=article_id, url=f"https://{domain}/{article_id}", domain=domain, title="Ferry", outlet=outlet,
                   text=text, published_at=published, sentences=split_sentences(article_id, text))


@pytest.mark.parametrize(("sentence", "day"), [
    ("Rescuers pulled 14 survivors from the wreck of the Portavel ferry on Monday.", date(2026, 3, 2)),
    # a date naming the event's subject dates the event
    ("Monday's storm flooded the harbour road in Portavel.", date(2026, 3, 2)),
    ("The ferry sank Sunday night near the Gull Bridge.", date(2026, 3, 1)),  # a part of the day is the date still
    # captions: the parse hangs the day from the terminal, or from the briefing, but it is the walk's, the dive's
    ("A man walks past the flooded ferry terminal in Portavel harbour Monday, March 2, 2026.", date(2026, 3, 2)),
    ("Divers inspect the hull of the capsized ferry after a briefing at the harbour office in Portavel, Monday, "
     "March 2, 2026.", date(2026, 3, 2)),
    # a "when" clause happens at the main clause's time
    ("When the storm hit Portavel on Monday, the old harbour wall held.", date(2026, 3, 2)),
    # what the speaker says happened, not the day of saying it
    ("Police said on Tuesday that the ferry's captain was arrested on Monday.", date(2026, 3, 2)),
    ("Harbour master Ana Ruiz said on Tuesday that the port would reopen next month.", date(2026, 3, 3)),
    # an item of a chronology, not a dateline
    ("2 March 2026 - The harbour ferry capsized near the Gull Bridge.", date(2026, 3, 2)),
])
def test_the_main_clause_dates_the_event(sentence: str, day: date) -> None:
    assert _day(sentence) == day


@pytest.mark.parametrize("sentence", [
    "During the first phase, sailors seized in the 12 January raid on the harbour are to be released.",
    "The ferry, which sank on Monday, had carried 600 passengers a day for thirty years.",
    "Born in Portavel on 3 May 1961, Calder trained as a marine engineer in the north.",
    "After the Gull Bridge closed on Monday, ferry operators added extra crossings.",
    "Harbour police have reopened the file on the 12 January raid.",  # the date names another thing
    "Divers have searched the wreck of the ferry since Monday.",  # the date bounds the event
    "Traffic on the coast road has been the heaviest since 3 May 2019.",
    "Ferries had been barred from the harbour prior to Monday.",
    "Between 3 March 2025 and 2 March 2026, the harbour handled 4,000 ships.",
    "The events of 2 March were a tragedy for the whole of Portavel, the mayor said.",  # a thing described
])
def test_a_background_date_does_not_date_the_sentence(sentence: str) -> None:
    assert _day(sentence) is None


@pytest.mark.parametrize("sentence", [
    "PORTAVEL, March 3 (Harbour Wire) — The mayor ordered the harbour closed to shipping.",
    "Published: March 3, 2026 — The mayor ordered the harbour closed to shipping.",
    "Portavel Harbour Authority, Monday, March 2, 2026, in the old town.",  # no verb: a caption's credit
    "Monday, March 2, 2026, 9:15 in the morning",
])
def test_a_dateline_a_stamp_or_a_sentence_without_a_verb_dates_no_event(sentence: str) -> None:
    assert _day(sentence) is None


def test_without_a_parse_a_date_that_bounds_the_event_is_left_out() -> None:
    sentence = "Divers have searched the wreck since Monday, and found the engine on Tuesday."
    found = dated_by(sentence, resolve_dates(sentence, WEDNESDAY), None)
    assert found is not None and found.day == date(2026, 3, 3)


def _ferry_story() -> list[Article]:
    monday, tuesday = datetime(2026, 3, 2, 18, tzinfo=timezone.utc), datetime(2026, 3, 3, 9, tzinfo=timezone.utc)
    return [
        _article("a3", "Coastline Review", WEDNESDAY,
                 "A harbour ferry capsized near the Gull Bridge on Monday, throwing dozens of passengers overboard.\n"
                 "Portavel's harbour master resigned on Sunday after a dispute over safety inspections.\n"
                 "Survivors said the ferry capsized on Monday in calm weather near the Gull Bridge."),
        _article("a1", "Portavel Tribune", monday,
                 "The Gull Bridge ferry capsized in Portavel harbour on Monday, leaving dozens of people in the water.\n"
                 "The city council approved a new budget for the coast guard on Monday."),
        _article("a2", "Harbourside News", tuesday,
                 "The Gull Bridge ferry capsized in the harbour on Monday afternoon, the coast guard said.\n"
                 "Divers recovered the ferry's engine from the seabed on Tuesday."),
    ]


def test_one_event_from_three_outlets_is_one_entry_citing_all_three() -> None:
    entries = timeline(_ferry_story())
    capsized = [e for e in entries if "capsized" in str(e["text"])]
    assert len(capsized) == 1
    assert capsized[0]["date"] == "2026-03-02"
    assert capsized[0]["citations"] == ["a1:0", "a2:0", "a3:0"]  # the first report first, one sentence an outlet
    assert str(capsized[0]["text"]).startswith("The Gull Bridge ferry capsized in Portavel harbour")
    assert capsized[0]["reported"] == {"first": "2026-03-02", "last": "2026-03-04"}


def test_entries_are_in_time_order() -> None:
    entries = timeline(_ferry_story())
    assert [(e["date"], e["citations"][0]) for e in entries] == [  # type: ignore[index]
        ("2026-03-01", "a3:1"), ("2026-03-02", "a1:0"), ("2026-03-02", "a1:1"), ("2026-03-03", "a2:1")]


def test_when_space_is_short_each_day_keeps_its_most_reported_event() -> None:
    entries = timeline(_ferry_story(), limit=3)
    assert [(e["date"], e["citations"][0]) for e in entries] == [  # type: ignore[index]
        ("2026-03-01", "a3:1"), ("2026-03-02", "a1:0"), ("2026-03-03", "a2:1")]
    entries = timeline(_ferry_story(), limit=2)  # the most reported, then the earlier of equals
    assert [(e["date"], e["citations"][0]) for e in entries] == [  # type: ignore[index]
        ("2026-03-01", "a3:1"), ("2026-03-02", "a1:0")]


def test_two_events_of_one_day_are_not_one_for_sharing_its_date() -> None:
    article = _article("a1", "Portavel Tribune", WEDNESDAY,
                       "The harbour ferry capsized on Monday, March 2, 2026.\n"
                       "The city council met on Monday, March 2, 2026.\n"
                       "Divers recovered the ferry's engine from the seabed on Tuesday.\n"
                       "The harbour master resigned on Sunday after a dispute over inspections.")
    assert [e["citations"] for e in timeline([article])] == [["a1:3"], ["a1:0"], ["a1:1"], ["a1:2"]]


def test_a_day_still_to_come_is_no_event_yet() -> None:
    article = _article("a1", "Portavel Tribune", WEDNESDAY,
                       "The ferry service across the harbour resumes on Friday with two boats.")
    assert timeline([article]) == []


def test_every_format_says_over_which_days_an_event_was_reported() -> None:
    brief = ExtractiveWriter().write(_ferry_story())
    data = json.loads(render_json(brief))
    capsized = next(e for e in data["timeline"] if "capsized" in e["text"])
    assert capsized["reported"] == {"first": "2026-03-02", "last": "2026-03-04"}
    for render in (render_text, render_markdown, render_html):
        assert render(brief).count("(reported 2026-03-02 to 2026-03-04)") == 1  # once: the other events one day each
    capsized["reported"] = {"first": "2026-03-02"}
    with pytest.raises(SchemaError):
        validate(data)
