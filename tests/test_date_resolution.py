"""Dates resolved against the whole sentence, on hand-written sentences about fictional events: a
weekday beside the date it names, the markers of a future clause, the past, the nearest day when the
text gives no sign, datelines, and what the brief writes beside each."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from newsbrief.analysis.dates import resolve_dates
from newsbrief.render.claims import with_dates

SATURDAY = datetime(2026, 11, 14, 9, 0, tzinfo=timezone.utc)  # the Sundays around it: 8 and 15 Nov
TUESDAY = datetime(2026, 11, 10, 9, 0, tzinfo=timezone.utc)


def days(sentence: str, published: datetime | None = SATURDAY) -> list[date]:
    return [r.day for r in resolve_dates(sentence, published)]


def shown(sentence: str, published: datetime | None = SATURDAY) -> str:
    """The sentence as the brief prints it, with the days it names beside its relative dates."""
    found = resolve_dates(sentence, published)
    return with_dates(sentence, [{"text": r.expression, "date": r.day.isoformat()} for r in found])


# --- a weekday beside the date it names takes that date and gets no annotation ---------------------
EXPLICIT = [
    ("The truce, agreed in Velmor, takes effect on Sunday 15 November.", date(2026, 11, 15)),
    ("The accord was announced on Saturday, 14 November, in Portavel.", date(2026, 11, 14)),
    ("The fleet sailed on Wednesday, Nov. 11, from Portavel.", date(2026, 11, 11)),
    ("The vote on Wednesday, Sept. 16 passed narrowly.", date(2026, 9, 16)),
    ("Talks resume Sunday, November 15, in the capital.", date(2026, 11, 15)),
    ("The ferry ran aground early on Thursday (Nov. 12) off Portavel.", date(2026, 11, 12)),
    ("The agency released its report today (Nov. 13) after a delay.", date(2026, 11, 13)),
    ("The court sat on Monday night, 9 November, to hear the appeal.", date(2026, 11, 9)),
]


@pytest.mark.parametrize(("sentence", "expected"), EXPLICIT)
def test_a_weekday_beside_a_date_is_that_date_and_gets_no_annotation(sentence: str, expected: date) -> None:
    found = resolve_dates(sentence, SATURDAY)
    assert [(r.day, r.explicit) for r in found] == [(expected, True)]
    assert shown(sentence) == sentence


def test_a_date_the_sentence_gives_is_not_annotated_but_a_relative_one_is() -> None:
    sentence = "The dam, inspected on Nov. 2, broke on Thursday."
    assert shown(sentence) == "The dam, inspected on Nov. 2, broke on Thursday (12 Nov 2026)."
    # in brackets only the year is added, as before
    assert shown("The paper came out (Nov. 12) after talks.") == "The paper came out (Nov. 12, 2026) after talks."


# --- the future, read from the clause: each marker alone turns a past clause toward the coming day -
FUTURE = [
    ("Hostages seized in the raid were set to be freed on Sunday.", "set to"),
    ("The first convoy was due to leave on Sunday.", "due to"),
    ("The handover was scheduled for Sunday.", "scheduled"),
    ("Ministers were expected to vote on Sunday.", "expected to"),
    ("The truce, agreed in Velmor, takes effect on Sunday.", "takes effect"),
    ("Farmers who lost crops were told to apply from Sunday.", "from"),
    ("Officials said the border crossing reopens starting Sunday.", "starting"),
    ("The minister said schools stay shut until Sunday.", "until"),
    ("The agency said repairs would be finished by Sunday.", "by (after would)"),
    ("The minister said talks resume next Sunday.", "next"),
    ("The agency said engineers will inspect the dam on Sunday.", "will"),
    ("The council said it could vote on Sunday.", "a modal verb"),
    ("The mayor said the ferry won't sail on Sunday.", "won't"),
]


@pytest.mark.parametrize(("sentence", "marker"), FUTURE)
def test_future_markers_point_at_the_coming_day(sentence: str, marker: str) -> None:
    assert days(sentence) == [date(2026, 11, 15)], marker


def test_a_contracted_will_inside_a_quotation() -> None:
    assert days("“We’ll know more on Thursday,” the mayor said.") == [date(2026, 11, 19)]


def test_the_issues_sentence_starting_sunday_is_the_next_day() -> None:
    assert shown("The first hostages are set to be freed starting Sunday.") == (
        "The first hostages are set to be freed starting Sunday (15 Nov 2026).")


# --- the past, and the nearest day where the text gives no sign -----------------------------------
PAST_AND_NEAREST = [
    ("The dam broke on Sunday.", date(2026, 11, 8)),  # an irregular past verb
    ("Rescuers reached the valley on Sunday.", date(2026, 11, 8)),  # a regular one
    ("The fire may have begun on Sunday.", date(2026, 11, 8)),  # a modal perfect is past
    ("The fire may spread on Sunday.", date(2026, 11, 15)),  # a modal alone is not
    ("The deal approved on Sunday will take effect next month.", date(2026, 11, 8)),  # the verb just before
    ("The agency, which is based in Velmor, on Sunday named three commissioners.", date(2026, 11, 8)),  # just after
    ("Police found the car — burned out and empty — in a car park on Sunday.", date(2026, 11, 8)),  # an aside
    ("Crowds in the square on Sunday.", date(2026, 11, 15)),  # no verb: the nearest Sunday
    ("Crowds in the square on Thursday.", date(2026, 11, 12)),
    ("The vote is on Thursday.", date(2026, 11, 19)),  # the present: on or after publication
    ("The mayor said the ferry would sail on Thursday.", date(2026, 11, 12)),  # "would": the nearest
    ("The hearing was postponed until Thursday.", date(2026, 11, 12)),  # "until" in a past clause: nearest
    ("The hearing was postponed to Monday.", date(2026, 11, 16)),
    ("It is the first rain since Sunday.", date(2026, 11, 8)),
    ("The toll from Sunday's quake stood at 40.", date(2026, 11, 8)),  # an event named: its verb
]


@pytest.mark.parametrize(("sentence", "expected"), PAST_AND_NEAREST)
def test_past_tense_and_the_nearest_day(sentence: str, expected: date) -> None:
    assert days(sentence)[0] == expected


def test_a_named_event_ignores_the_present_of_another_clause() -> None:
    assert days("Monday's announcement comes as lawmakers are debating the budget.", TUESDAY) == [date(2026, 11, 9)]


@pytest.mark.parametrize("sentence", [
    "Shops opened early for Black Friday.",
    "Friday prayers were cancelled in the old town.",
    "The clinic closes at noon on a Monday.",
    "The office is closed every Monday.",
    "The interview ran in the Sunday Times.",
])
def test_a_weekday_in_a_name_or_a_habit_is_no_day(sentence: str) -> None:
    assert days(sentence) == []


# --- a month and day without a year ---------------------------------------------------------------
def test_a_month_day_the_clause_puts_ahead_is_next_years_once_passed() -> None:
    assert days("The tour will end on Oct. 10 in Portavel.") == [date(2027, 10, 10)]
    assert days("The tour ended on Oct. 10 in Portavel.") == [date(2026, 10, 10)]
    assert days("The ministry had planned to raise the levy on Dec. 15.") == [date(2026, 12, 15)]


# --- datelines ------------------------------------------------------------------------------------
def test_a_dated_dateline_is_the_day_relative_dates_count_from() -> None:
    filed_wednesday = "VELMOR, Nov. 11 (Castavia Wire) — The ministers met on Thursday."
    assert days(filed_wednesday) == [date(2026, 11, 11), date(2026, 11, 5)]  # not the 12th, after filing
    assert shown(filed_wednesday) == (
        "VELMOR, Nov. 11 (Castavia Wire) — The ministers met on Thursday (5 Nov 2026).")


def test_a_dateline_with_a_year_dates_a_report_without_metadata() -> None:
    assert days("VELMOR, Nov. 11, 2026 (Castavia Wire) — The dam broke on Monday.", None) == [
        date(2026, 11, 11), date(2026, 11, 9)]
    assert days("Posted Nov. 12, 2026 The ministers met on Tuesday.", None) == [date(2026, 11, 12), date(2026, 11, 10)]
    assert days("The ministers met on Tuesday.", None) == []


# --- through the writer: the brief's text ----------------------------------------------------------
def test_the_brief_writes_no_annotation_beside_an_explicit_date() -> None:
    from newsbrief.extract import extract
    from newsbrief.records import RawDocument
    from newsbrief.render import render
    from newsbrief.writers.extractive import ExtractiveWriter

    text = ("The truce between Velmor and Castavia takes effect on Sunday 15 November, the mediators said. "
            "The first twelve prisoners held in Portavel are set to be freed starting Sunday, officials said. "
            "The accord was announced on Saturday, 14 November, after three weeks of talks in Orrin.")
    article = extract(RawDocument(origin="t", url="https://velmor.example/truce", title="Velmor truce agreed",
                                  outlet="Velmor Courier", text=text, published_at=SATURDAY), article_id="a1")
    page = render(ExtractiveWriter().write([article], story_id="1"), "text")
    assert "on Sunday 15 November," in page and "on Saturday, 14 November," in page
    assert "starting Sunday (15 Nov 2026)" in page
    assert "Sunday (8 Nov 2026)" not in page and "November (" not in page
