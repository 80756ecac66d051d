"""Figures, dates and speakers in hand-written sentences about fictional events."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from newsbrief.analysis.attribution import speaker
from newsbrief.analysis.dates import resolve_dates
from newsbrief.analysis.figures import figures_in

# (sentence, value, qualifier, unit, counted, measure, claimed_by)
FIGURES = [
    ("At least 6 people were killed in the blast, police said.", 6, "at least", None, "people", "deaths", "police"),
    ("About 12,000 residents were evacuated, according to the Provincial Emergency Agency.", 12000, "about", None, "residents", "evacuated or displaced", "the Provincial Emergency Agency"),
    ("More than 15,000 people have fled their homes, the Red Cross said.", 15000, "more than", None, "people", "evacuated or displaced", "the Red Cross"),
    ("Up to 12,000 troops have been sent to the border, according to Velmor's defence ministry.", 12000, "up to", None, "troops", "troops", "Velmor's defence ministry"),
    ("The storm caused about $5.4 billion in damage, insurers estimated.", 5.4e9, "about", "$", None, "damage", "insurers"),
    ("The central bank raised its rate by 50 basis points on Thursday.", 50, None, None, "basis points", None, None),
    ("Unemployment fell to 4.2% in March, the statistics office reported.", 4.2, None, "%", None, None, "the statistics office"),
    ("The recall covers 8.5 million devices sold since 2024.", 8.5e6, None, None, "devices", None, None),
    ("Nearly 300 flights were cancelled at Portavel airport.", 300, "nearly", None, "flights", None, None),
    ("Hundreds of protesters gathered outside the assembly.", 200, "hundreds of", None, "protesters", None, None),
    ("Some 40 ships were stuck in the canal, the port authority said.", 40, "some", None, "ships", None, "the port authority"),
    ("Fewer than 100 ballots remained uncounted, the commission said.", 100, "fewer than", None, "ballots", None, "the commission"),
    ("The company said it would cut 1,200 jobs by the end of the year.", 1200, None, None, "jobs", None, "The company"),
    ("Rescuers pulled 14 survivors from the rubble, Mayor Ines Calder said.", 14, None, None, "survivors", None, "Mayor Ines Calder"),
    ("An estimated 3,000 homes lost power overnight.", 3000, "an estimated", None, "homes", None, None),
    ("The fire destroyed 45 homes and injured 7 firefighters.", 45, None, None, "homes", None, None),
    ("As many as 80 people may still be missing, officials warned.", 80, "as many as", None, "people", "missing", "officials"),
    ("Police arrested 23 people after the march, a spokesperson said.", 23, None, None, "people", "arrested", None),
    ("The ferry carried roughly 600 passengers.", 600, "roughly", None, "passengers", None, None),
    ("The bridge will cost €250 million, the ministry said.", 2.5e8, None, "€", None, None, "the ministry"),
]


@pytest.mark.parametrize(("sentence", "value", "qualifier", "unit", "counted", "measure", "claimed_by"), FIGURES)
def test_first_figure(sentence: str, value: float, qualifier: str | None, unit: str | None, counted: str | None,
                      measure: str | None, claimed_by: str | None) -> None:
    figure = figures_in(sentence)[0]
    assert figure.value == pytest.approx(value)
    assert figure.qualifier == qualifier
    assert figure.unit == unit
    assert figure.counted == counted
    assert figure.measure == measure
    if claimed_by is not None:
        assert figure.claimed_by == claimed_by
    assert figure.text.lower() in sentence.lower()


@pytest.mark.parametrize("sentence", [
    "The dam was built in 1968 and renovated in 1994.",
    "The alarm sounded at 4 a.m. on Nov. 11.",
    "She finished No. 2 in the rankings.",
    "Police sealed off the 15th Street home where the victim was found dead.",
    "A 6-year-old girl was found dead in the flooded basement.",
    "Harbour master Ana Ruiz, 45, was killed when the crane fell.",
    "The ferry captain was arrested on 28 October.",
    "The 1799 treaty ended the border war.",
    "Nine K-9 units searched the collapsed mine.",
    "Rescuers reached the wreck of Duck 07 at dawn.",
])
def test_years_times_dates_ranks_and_ages_are_not_figures(sentence: str) -> None:
    assert figures_in(sentence) == []


def test_units_of_time_and_distance_are_no_toll() -> None:
    found = figures_in("The siege lasted 12 hours and 37 people were killed 19 miles from the coast.")
    assert [(f.text, f.measure) for f in found] == [("12 hours", None), ("37 people", "deaths"), ("19 miles", None)]
    assert figures_in("There were 205 maternal deaths per 100,000 live births.")[-1].text == "205 maternal deaths"


def test_a_figure_after_up_from_keeps_the_measure() -> None:
    figures = figures_in("The number killed has risen to 23, the agency said, up from 14 on Tuesday.")
    assert [(f.value, f.measure) for f in figures] == [(23, "deaths"), (14, "deaths")]


def test_each_figure_takes_the_measure_of_its_own_clause() -> None:
    figures = figures_in("The agency said 14 people had died and 31 were still missing.")
    assert [(f.value, f.measure) for f in figures] == [(14, "deaths"), (31, "missing")]


WEDNESDAY = datetime(2026, 11, 11, 7, 10, tzinfo=timezone.utc)
DATES = [
    ("The toll rose on Wednesday.", date(2026, 11, 11)),
    ("The dam broke on Monday.", date(2026, 11, 9)),
    ("The dam broke early Monday.", date(2026, 11, 9)),
    ("It happened last Wednesday.", date(2026, 11, 4)),
    ("Talks resume next Monday.", date(2026, 11, 16)),
    ("Rain is expected by Thursday.", date(2026, 11, 12)),
    ("Schools stay closed until Friday.", date(2026, 11, 13)),
    ("Officials met yesterday.", date(2026, 11, 10)),
    ("The vote is tomorrow.", date(2026, 11, 12)),
    ("The report was filed on March 3, 2026.", date(2026, 3, 3)),
    ("The report was filed on Nov. 2.", date(2026, 11, 2)),
    ("Elections are due on Jan. 5.", date(2027, 1, 5)),
    ("On 9 November the river rose.", date(2026, 11, 9)),
    ("The ceasefire began on Oct. 28.", date(2026, 10, 28)),
    ("He was arrested in April for a call made on March 21.", date(2026, 3, 21)),  # not next March, though nearer
    ("The permit expired on Dec. 20 last year.", date(2025, 12, 20)),
    ("Officials will meet on Friday.", date(2026, 11, 13)),
    ("The hearing was postponed to Friday.", date(2026, 11, 13)),
    ("It will be the first rain since Monday.", date(2026, 11, 9)),
]


def test_each_clause_keeps_its_own_tense() -> None:
    found = resolve_dates("The dam broke on Monday, and engineers will inspect it on Friday.", WEDNESDAY)
    assert [r.day for r in found] == [date(2026, 11, 9), date(2026, 11, 13)]


@pytest.mark.parametrize(("sentence", "expected"), DATES)
def test_dates_resolve_against_publication(sentence: str, expected: date) -> None:
    assert resolve_dates(sentence, WEDNESDAY)[0].day == expected


def test_a_paper_or_a_show_named_today_is_not_a_day() -> None:
    assert resolve_dates("Engineers told USA TODAY the gates had jammed.", WEDNESDAY) == []
    assert resolve_dates("Engineers told USA Today the gates had jammed.", WEDNESDAY) == []
    assert resolve_dates("Ruiz appeared on the TODAY show.", WEDNESDAY) == []
    assert resolve_dates("Today, the gates jammed.", WEDNESDAY)[0].day == date(2026, 11, 11)


def test_without_a_publication_date_only_full_dates_resolve() -> None:
    assert resolve_dates("It broke on Monday, March 2, 2026.", None)[0].day == date(2026, 3, 2)
    assert resolve_dates("It broke on Monday.", None) == []


SPEAKERS = [
    ("\"We will rebuild,\" said Mayor Ines Calder.", "Mayor Ines Calder"),
    ("Interior Minister Tomas Varga said the inquiry would begin next week.", "Interior Minister Tomas Varga"),
    ("The toll rose to 23, according to the Provincial Emergency Agency.", "the Provincial Emergency Agency"),
    ("Analysts said the inquiry could delay new reservoirs.", "Analysts"),
    ("Officials warned that the levee could fail.", "Officials"),
    ("The damage reached $1.2 billion, according to an early estimate by the Insurance Association.", "the Insurance Association"),
    ("About 10,000 troops were deployed, according to South Korean officials.", "South Korean officials"),
    ("The Orrin River Authority said in a statement that it would cooperate.", "The Orrin River Authority"),
    ("Economists expect prices to rise.", "Economists"),
    ("The bridge reopened on Friday.", None),
]


@pytest.mark.parametrize(("sentence", "expected"), SPEAKERS)
def test_speakers(sentence: str, expected: str | None) -> None:
    assert speaker(sentence) == expected


MORE_FIGURES = [
    ("Around 2,500 workers walked out at the Halvard plant, the union said.", 2500, "around", None, "workers", None, "the union"),
    ("The airline carried 4.1 million passengers in October.", 4.1e6, None, None, "passengers", None, None),
    ("Inflation rose to 3.4% in May, according to the statistics bureau.", 3.4, None, "%", None, None, "the statistics bureau"),
    ("The quake injured at least 140 people in Malatya.", 140, "at least", None, "people", "injured", None),
    ("Over 60 homes were destroyed by the landslide.", 60, "over", None, "homes", None, None),
    ("The company reported a loss of $320 million for the quarter.", 3.2e8, None, "$", None, None, "The company"),
    ("Almost 90 percent of ballots had been counted by midnight.", 90, "almost", "%", None, None, None),
    ("Thousands of residents fled the rising water.", 2000, "thousands of", None, "residents", "evacuated or displaced", None),
    ("Police detained 17 protesters outside the embassy.", 17, None, None, "protesters", "arrested", None),
    ("The new line will carry 45,000 riders a day, the transit agency estimated.", 45000, None, None, "riders", None, "the transit agency"),
    ("Nearly 1,000 soldiers were sent to the region.", 1000, "nearly", None, "soldiers", "troops", None),
    ("The fund received £12 million in donations.", 1.2e7, None, "£", None, None, None),
    ("Rescuers are still searching for 9 people missing after the flood.", 9, None, None, "people", "missing", None),
    ("At most 300 seats remain unsold, organisers said.", 300, "at most", None, "seats", None, "organisers"),
    ("The storm left 12,400 homes without power.", 12400, None, None, "homes", None, None),
    ("Close to 50 villages were cut off by snow.", 50, "close to", None, "villages", None, None),
    ("The city council approved 18 new bus routes.", 18, None, None, "bus routes", None, None),
    ("Dozens of shops were damaged in the blast.", 24, "dozens of", None, "shops", None, None),
    ("The heatwave has killed 31 people, health officials said.", 31, None, None, "people", "deaths", "health officials"),
    ("More than 2 billion doses have been shipped, the alliance said.", 2e9, "more than", None, "doses", None, "the alliance"),
]


@pytest.mark.parametrize(("sentence", "value", "qualifier", "unit", "counted", "measure", "claimed_by"), MORE_FIGURES)
def test_more_figures(sentence: str, value: float, qualifier: str | None, unit: str | None, counted: str | None,
                      measure: str | None, claimed_by: str | None) -> None:
    test_first_figure(sentence, value, qualifier, unit, counted, measure, claimed_by)


MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
MORE_DATES = [
    ("The talks ended on Sunday.", date(2026, 3, 1)),
    ("The vote was held on Monday.", date(2026, 3, 2)),
    ("The summit opened last Monday.", date(2026, 2, 23)),
    ("Results are due by Friday.", date(2026, 3, 6)),
    ("The strike began on Feb. 20.", date(2026, 2, 20)),
    ("Parliament returns on March 9.", date(2026, 3, 9)),
    ("The ship sank on 28 February.", date(2026, 2, 28)),
    ("The law passed on December 15, 2025.", date(2025, 12, 15)),
    ("The minister resigned yesterday.", date(2026, 3, 1)),
    ("The bridge reopens next Friday.", date(2026, 3, 6)),
]


@pytest.mark.parametrize(("sentence", "expected"), MORE_DATES)
def test_more_dates(sentence: str, expected: date) -> None:
    assert resolve_dates(sentence, MONDAY)[0].day == expected


MORE_SPEAKERS = [
    ("The ferry service will resume on Monday, the harbour authority said.", "the harbour authority"),
    ("\"This is a dark day,\" Governor Elena Marsh told reporters.", "Governor Elena Marsh"),
    ("According to police, the driver fled the scene.", "police"),
    ("Witnesses said the building shook for several seconds.", "Witnesses"),
    ("The prime minister's spokesman said talks would continue.", "The prime minister's spokesman"),
    ("Union leader Jorn Hale warned that the strike could spread.", "Union leader Jorn Hale"),
    ("Prices will rise, economists at the central bank predicted.", "economists at the central bank"),
    ("PENCE: We are not going to comment on that.", "PENCE"),
    ("The report found that the dam had not been inspected since 2019.", "The report"),
    ("A spokesperson for the ministry declined to comment.", None),
    ("The provincial government put the figure at $800 million in its own assessment.", "The provincial government"),
    ("Insurers estimated the cost at $2 billion.", "Insurers"),
]


@pytest.mark.parametrize(("sentence", "expected"), MORE_SPEAKERS)
def test_more_speakers(sentence: str, expected: str | None) -> None:
    assert speaker(sentence) == expected


QUOTE_SENTENCES = [
    ("\"We will not reopen the bridge until it is safe,\" said Mayor Ines Calder.", "Mayor Ines Calder",
     "We will not reopen the bridge until it is safe"),
    ("“Every hour counts for the families still waiting,” Ana Ruiz told reporters.", "Ana Ruiz",
     "Every hour counts for the families still waiting"),
    ("Governor Elena Marsh called the flood “the worst this province has seen in a generation.”",
     "Governor Elena Marsh", "the worst this province has seen in a generation."),
    ("\"The repairs were never funded,\" engineer Miriam Okafor said.", "engineer Miriam Okafor",
     "The repairs were never funded"),
    ("\"Prices will keep rising into the spring,\" economists at the central bank warned.",
     "economists at the central bank", "Prices will keep rising into the spring"),
    ("Union leader Jorn Hale said: \"The strike goes on until the offer improves.\"", "Union leader Jorn Hale",
     "The strike goes on until the offer improves."),
    ("\"No one was hurt in the second blast,\" according to the fire service.", "the fire service",
     "No one was hurt in the second blast"),
    ("\"We have asked for an independent inquiry,\" the opposition leader, Karel Dussek, said.", "Karel Dussek",
     "We have asked for an independent inquiry"),
    ("Interior Minister Tomas Varga said the inquiry would be \"open to every witness who comes forward.\"",
     "Interior Minister Tomas Varga", "open to every witness who comes forward."),
    ("\"The levee is holding for now,\" a spokesperson for the river authority said.",
     "a spokesperson for the river authority", "The levee is holding for now"),
]


@pytest.mark.parametrize(("sentence", "expected_speaker", "expected_text"), QUOTE_SENTENCES)
def test_quotes_and_their_speakers(sentence: str, expected_speaker: str, expected_text: str) -> None:
    from newsbrief.analysis.quotes import quotes
    from newsbrief.extract import extract
    from newsbrief.records import RawDocument

    article = extract(RawDocument(origin="t", url="https://t.example/1", title="T",
                                  text=sentence + " The town of Velmor held a meeting on the matter later that day."),
                      article_id="a1")
    found = quotes([article])
    assert [(q["speaker"], q["text"]) for q in found] == [(expected_speaker, expected_text.rstrip(","))]


def test_dates_shown_with_the_day_they_name_without_nesting_brackets() -> None:
    from newsbrief.render.claims import with_dates

    dates = [{"text": "Nov. 18", "date": "2026-11-18"}, {"text": "on Monday", "date": "2026-11-16"},
             {"text": "on Tuesday", "date": "2026-11-17"}]
    assert with_dates("The paper came out (Nov. 18) after talks on Monday.", dates) == (
        "The paper came out (Nov. 18, 2026) after talks on Monday (16 Nov 2026).")
    assert with_dates("The vote (on Tuesday) failed.", dates) == "The vote (on Tuesday, 17 Nov 2026) failed."


def test_a_claimant_is_a_name_not_the_figure_or_a_clause() -> None:
    from newsbrief.analysis.figures import _claimant

    sentence = "Thousands of people fled the valley, according to the Harbour Board."
    assert _claimant(sentence, 0, len("Thousands of people")) == "the Harbour Board"
    assert figures_in("Thousands of people said they had fled the valley.")[0].claimed_by is None  # the figure itself
