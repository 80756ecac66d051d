"""Figure frames and comparable figures, on hand-written sentences about fictional places, parties
and outlets: what each figure counts, whose and where, in what kind of measure; which figures are one
quantity; and whether sources conflict, update or agree on it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsbrief.analysis.claims import claims_in, disagreements, figures, quantities
from newsbrief.analysis.figures import Frame, FigureMention, agree, comparable, figures_in
from newsbrief.records import Article
from newsbrief.sentences import split_sentences


def frame(sentence: str, text: str | None = None) -> Frame:
    """The frame of the sentence's figure whose text holds ``text`` (the first figure without it)."""
    found = figures_in(sentence, ranks=True)
    return next(f.frame for f in found if text is None or text in f.text)


def figure(sentence: str, text: str | None = None) -> FigureMention:
    return next(f for f in figures_in(sentence, ranks=True) if text is None or text in f.text)


# --- a frame for each kind of measure -------------------------------------------------------------

def test_a_count_frame_keeps_the_whole_counted_phrase_and_its_owner_and_place() -> None:
    found = figure("Norland's spy agency said about 8,000 Velmorian soldiers were in Norland's Kessel region.")
    assert found.text == "about 8,000 Velmorian soldiers"  # not "about 8,000 Velmorian"
    assert (found.frame.kind, found.frame.counted, found.frame.head) == ("count", "Velmorian soldiers", "troops")
    assert found.frame.owner == "Velmorian" and found.frame.owners == ("velmor",)
    assert "Kessel" in (found.frame.place or "") and "kessel" in found.frame.places


def test_a_money_frame_has_its_currency_and_what_it_is_of() -> None:
    money = frame("The flood caused about €1.2 billion in damage, insurers said.")
    assert (money.kind, money.currency, money.low, money.measure) == ("money", "€", 1.2e9, "damage")
    assert frame("The fund lost 300 million dollars last year.").currency == "$"


def test_a_percent_frame_names_the_rate_it_is_of() -> None:
    rate = frame("Unemployment in Castavia rose to 4.2% in March.")
    assert (rate.kind, rate.low, rate.head, rate.change) == ("percent", 4.2, "unemployment", False)
    assert frame("Turnout rose by 3 percent.").change  # a change, not a level


def test_a_range_frame_has_both_ends() -> None:
    band = frame("The Castavian central bank held its benchmark rate in a range of 4.75%-5%.")
    assert (band.kind, band.low, band.high, band.head) == ("percent", 4.75, 5.0, "rate")
    troops = frame("Velmor has sent 10,000 to 12,000 troops to the border.")
    assert (troops.low, troops.high, troops.head) == (10000, 12000, "troops")
    assert frame("Between 3 and 4 million voters stayed home.").low == 3e6
    assert frame("Between 3 and 4 million voters stayed home.").high == 4e6


def test_a_change_from_one_value_to_another_is_two_figures_not_a_range() -> None:
    found = figures_in("The rate rose from 4% to 5% in a year.")
    assert [(f.value, f.frame.high) for f in found] == [(4, None), (5, None)]
    assert found[0].frame.earlier and not found[1].frame.earlier


def test_a_ratio_and_a_rank() -> None:
    ruling = frame("The Castavian high court ruled 5-4 against the dam operator.")
    assert ruling.kind == "ratio" and ruling.low == pytest.approx(1.25)
    assert frame("The Orrin Rovers finished No. 3 in the league.").kind == "rank"
    assert frame("Halvard ranked 12th among the provinces.").low == 12
    assert [f.frame.kind for f in figures_in("She finished No. 2 in the rankings.")] == []  # asked for only


# --- figures written in words ----------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "value", "kind"), [
    ("Seventeen people were killed in the crash near Halvard.", 17, "count"),
    ("Twenty-five miners were trapped below the Kessel shaft.", 25, "count"),
    ("A quarter of the ballots in Millbrook were spoiled.", 25, "percent"),
    ("Half of the residents of Orrin Bay have left.", 50, "percent"),
    ("One in five adults in Castavia smokes.", 20, "percent"),
    ("More than a million people crossed the Velmor border.", 1e6, "count"),
    ("Three million voters turned out in Norland.", 3e6, "count"),
])
def test_figures_written_in_words(sentence: str, value: float, kind: str) -> None:
    found = figure(sentence)
    assert found.value == pytest.approx(value) and found.frame.kind == kind


def test_vague_figures_are_read_but_never_compared() -> None:
    found = figure("Dozens of shops in Millbrook were damaged.")
    assert found.value == 24 and found.frame.vague
    assert not comparable(found.frame, frame("Thousands of shops in Millbrook were damaged.")) or found.frame.vague
    a, b = _article("a1", "Valley Courier", "Dozens of shops were damaged in Millbrook, officials said."), \
        _article("a2", "Orrin Post", "Forty shops were damaged in Millbrook, the council said.", day=5)
    assert disagreements(claims_in([a, b])) == []


def test_a_number_word_counts_only_the_noun_after_it() -> None:
    assert figures_in("The vote was seven.") == []
    assert figures_in("Nine K-9 units searched the mine.") == []


# --- comparable figures ----------------------------------------------------------------------------

@pytest.mark.parametrize(("one", "other"), [
    ("Velmor has about 10,000 troops in Norland.", "Some 12,000 Velmorian soldiers are in Norland."),
    ("At least 40 people were killed in the Halvard blast.", "The death toll in Halvard rose to 52."),
    ("At least 40 people died in the Halvard blast.", "52 people were dead in Halvard."),
    ("Orrin Air cancelled 4,000 flights on Monday.", "More than 5,000 Orrin Air flights were canceled on Monday."),
    ("The party won 412 seats.", "The party took 410 seats in the count."),
])
def test_synonyms_make_one_quantity(one: str, other: str) -> None:
    assert comparable(frame(one), frame(other))


@pytest.mark.parametrize(("one", "other"), [
    ("Velmor has about 10,000 troops in Norland.", "Norland has about 700,000 troops."),  # another army
    ("The Labour Union won 412 seats.", "The Green Alliance won 121 seats."),  # another party
    ("The Halvard blast killed about 170 people.", "The flood destroyed 2 dams."),  # no death toll
    ("There were 205 maternal deaths in Orrin.", "There were 167 deaths in Orrin."),  # a part of the whole
    ("Orrin Air cancelled 4,000 flights.", "Orrin Air delayed 5,000 flights."),  # another measure
    ("Profit was $3 billion in 2025.", "Profit was $4 billion in 2026."),  # another year
    ("Orrin Air cancels 400 flights a day.", "Orrin Air has cancelled 4,000 flights."),  # a rate and a total
    ("Turnout rose by 3 percent.", "Turnout was 63 percent."),  # a change and a level
    ("About 12,000 people were evacuated.", "About 200,000 people live in the province."),  # people, no measure
])
def test_frames_that_keep_two_quantities_apart(one: str, other: str) -> None:
    assert not comparable(frame(one), frame(other))


def test_an_unnamed_owner_joins_a_quantity_only_where_its_report_names_the_owner() -> None:
    labour = _article("a1", "Valley Courier", "The Labour Union won 412 seats, the commission said.")
    greens = _article("a2", "Orrin Post", "The Green Alliance won 121 seats, the commission said.")
    both = _article("a3", "Civic Radio", "The winning party took 409 seats, ahead of the Labour Union and the "
                                          "Green Alliance, according to the commission.")
    assert disagreements(claims_in([labour, greens, both])) == []  # 409 could be either party's
    one = _article("a3", "Civic Radio", "The winning party took 409 seats, ahead of the Labour Union, "
                                         "according to the commission.")
    found = disagreements(claims_in([labour, greens, one]))
    assert [(d["kind"], [c["value"] for c in d["claims"]]) for d in found] == [("conflict", [409, 412])]
    assert found[0]["quantity"] == "Labour Union seats"
    other = _article("a3", "Civic Radio", "The winning party took 409 seats, according to the commission.")
    assert disagreements(claims_in([labour, other])) == []  # a report naming no party is not Labour's


def test_a_figure_naming_no_place_is_the_whole_where_places_are_counted_apart() -> None:
    story = [
        _article("a1", "Valley Courier", "The quake killed 900 people in Velmor. It killed 400 people in Norland.", day=2),
        _article("a2", "Orrin Post", "The quake in Velmor and Norland has killed 1,300 people.", day=3),
        _article("a3", "Civic Radio", "Rescuers said 2,100 people had died since the quake struck.", day=4),
    ]
    found = disagreements(claims_in(story))
    assert [(d["kind"], [c["value"] for c in d["claims"]]) for d in found] == [("update", [1300, 2100])]


# --- values: rounding, conflicts, updates, agreements ----------------------------------------------

@pytest.mark.parametrize(("one", "other", "same"), [
    ("about 10,000 troops", "10,300 troops", True),
    ("10,000 troops", "10,300 troops", True),  # a round number is a rounded one
    ("about 12,000 people", "more than 15,000 people", False),
    ("more than 5,000 flights", "about 6,400 flights", False),
    # a bound holds the values up to the next unit of its last written digit, as writers round
    ("more than 5,000 flights", "about 5,400 flights", True),
    ("over 4,000 flights", "more than 5,000 flights", False),
    ("more than a dozen works", "13 works", True),
    ("more than a dozen works", "30 works", False),
    ("nearly 5 percent", "4.7 percent", True),
    ("nearly 5 percent", "3.9 percent", False),
    ("at least 6 people", "6 people", True),
    ("at least 6 people", "14 people", False),
    ("more than half of the votes", "58 percent of the votes", True),
    ("77 people", "86 people", False),
    ("$1.2 billion", "$1.23 billion", True),
    ("4.75%-5%", "4.75%-5%", True),
    ("4.75%-5%", "5%-5.25%", False),
])
def test_values_agree_within_rounding(one: str, other: str, same: bool) -> None:
    assert agree(figure(f"They counted {one}."), figure(f"They counted {other}.")) is same


def test_sources_that_differ_are_a_conflict_named_and_in_time_order() -> None:
    story = [
        _article("a1", "Valley Courier", "About 12,000 Velmorian troops are in Norland, Norland's defence ministry said.", day=3),
        _article("a2", "Orrin Post", "Some 8,000 Velmorian soldiers are in Norland, according to the Kessel Institute.", day=4),
        _article("a3", "Civic Radio", "About 12,000 Velmorian troops are in Norland, Norland's defence ministry said.", day=5),
        _article("a4", "Harbour Daily", "Norland has about 700,000 troops of its own.", day=5),
    ]
    found = disagreements(claims_in(story))
    assert len(found) == 1 and found[0]["kind"] == "conflict"
    assert found[0]["quantity"] == "Velmorian troops in Norland"
    claims = found[0]["claims"]
    assert [c["value"] for c in claims] == [12000, 8000]
    assert [c["date"] for c in claims] == ["2026-03-03", "2026-03-04"]
    assert claims[1]["claimed_by"] == "the Kessel Institute" and claims[1]["citations"] == ["a2:0"]
    assert claims[0]["frame"]["owner"] == "Velmorian" and claims[0]["frame"]["as_of"] == "2026-03-03"


def test_figures_that_move_one_way_over_time_are_an_update() -> None:
    story = [
        _article("a1", "Valley Courier", "At least 6 people were killed when the mine collapsed.", day=2),
        _article("a2", "Orrin Post", "The death toll from the mine collapse rose to 14.", day=3),
        _article("a3", "Civic Radio", "Rescuers said 23 people had died at the Halvard mine.", day=4),
    ]
    found = disagreements(claims_in(story))
    assert [(d["kind"], d["quantity"], [c["value"] for c in d["claims"]]) for d in found] == [
        ("update", "deaths in Halvard mine", [6, 14, 23])]


def test_sources_that_agree_are_recorded_as_agreeing() -> None:
    story = [
        _article("a1", "Valley Courier", "Orrin Air cancelled about 5,000 flights, the airline said.", day=3),
        _article("a2", "Orrin Post", "Orrin Air cancelled 5,100 flights, according to the Civil Aviation Office.", day=3),
    ]
    claims = claims_in(story)
    assert disagreements(claims) == []
    assert [q.kind for q in quantities(claims)] == ["agreement"]
    agreed = [f for f in figures(claims) if f.get("agreed_by")]
    assert agreed and {a["claimed_by"] for a in agreed[0]["agreed_by"]} == {"the airline", "the Civil Aviation Office"}
    assert agreed[0]["quantity"] == "Orrin Air flights cancelled"


def test_a_figure_from_before_is_not_a_conflict() -> None:
    story = [
        _article("a1", "Valley Courier", "Orrin Air cancelled 5,400 flights, up from 4,000 a day earlier.", day=3),
        _article("a2", "Orrin Post", "Orrin Air cancelled about 5,400 flights, the airline said.", day=3),
    ]
    assert disagreements(claims_in(story)) == []


def _article(article_id: str, outlet: str, text: str, day: int = 4) -> Article:
    domain = f"{outlet.lower().replace(' ', '')}.example"
    return Article(id=article_id, url=f"https://{domain}/{article_id}", domain=domain, title="Report",
                   outlet=outlet, text=text, published_at=datetime(2026, 3, day, 9, tzinfo=timezone.utc),
                   sentences=split_sentences(article_id, text))


# --- rules that keep look-alikes apart ------------------------------------------------------------

def test_two_values_in_one_sentence_are_two_things_unless_one_is_from_before() -> None:
    story = [_article("a1", "Valley Courier", "The quake killed 900 people in Velmor, and 400 people died in the "
                                               "floods that followed.", day=2),
             _article("a2", "Orrin Post", "The quake killed 950 people in Velmor.", day=3)]
    values = sorted(c["value"] for d in disagreements(claims_in(story)) for c in d["claims"])
    assert 400 not in values
    revised = _article("a3", "Civic Radio", "The canal authority demanded $900 million in compensation, "
                                             "later lowered to $550 million.", day=3)
    found = disagreements(claims_in([revised, _article("a4", "Orrin Post", "The canal authority demanded "
                                                                            "$900 million in compensation.", day=4)]))
    assert [sorted(c["value"] for c in d["claims"]) for d in found] == [[5.5e8, 9e8]]


def test_a_part_and_its_whole_are_not_one_quantity() -> None:
    assert "a part" in frame("Sixteen of its staff members have been infected.").modifiers
    assert not comparable(frame("Three of the robberies were filmed."), frame("There were six robberies in Halvard."))
    assert not comparable(frame("The attorneys general of 15 states sued."), frame("Judges in five states ruled."))


def test_a_figure_for_everywhere_is_not_a_figure_for_one_place() -> None:
    us = frame("The band sold over 23.5 million albums in Castavia.")
    world = frame("The band sold 37 million albums worldwide.")
    assert world.places == ("*",) and not comparable(us, world)
    both = frame("The quake killed 2,000 people in both countries.")
    assert comparable(both, frame("The quake killed 1,900 people in Velmor and Norland."))


def test_a_past_event_in_the_sentence_is_its_year_and_a_first_week_its_span() -> None:
    assert frame("The toll passed that of the 2011 flood, which killed more than 1,800 people.").scope == "2011"
    assert not comparable(frame("The album sold 800,000 copies in its first week."),
                          frame("The album sold 11 million copies."))
    story = [_article("a1", "Valley Courier", "The flood killed 300 people in Orrin.", day=2),
             _article("a2", "Orrin Post", "It was worse than the 2011 flood, which killed more than 1,800 people.", day=3),
             _article("a3", "Civic Radio", "The flood killed 340 people in Orrin.", day=4)]
    assert [sorted(c["value"] for c in d["claims"]) for d in disagreements(claims_in(story))] == [[300, 340]]


def test_units_are_compared_only_as_measures_of_one_doing() -> None:
    shot = frame("Corporal Vane shot an insurgent from a distance of 2,286 metres.")
    assert (shot.head, shot.measure) == ("metre", "shoot")
    assert not comparable(shot, frame("The river rose 3 metres overnight."))


def test_clock_times_model_names_footnotes_and_statistics_are_not_figures() -> None:
    assert figures_in("The signal was lost at 22:42 GMT on Sunday.") == []
    assert figures_in("A drone missed an E170 aircraft near the airport.") == []
    assert figures_in("41 The revelation was recorded later that year.") == []
    assert figures_in("The risk fell (95% CI, 14% to 40%) in the treated group.") == []
    assert figures_in("It was a 52-page report.") == []
    assert figures_in("It covers children under 18 in the province.") == []
    assert figures_in('He said: "Around 1,000 people took part."')[0].value == 1000  # a quotation opening


def test_who_counts_a_figure_is_its_claimant_not_its_owner() -> None:
    found = figure("The animal rights group PETA identified 20 deaths in hot cars.")
    assert found.claimed_by == "The animal rights group PETA" and not found.frame.owners
    assert figure("The 29 deaths confirmed by BuzzFeed News occurred in 14 states.", "29").claimed_by == "BuzzFeed News"


def test_an_acronym_names_the_same_owner() -> None:
    assert comparable(frame("The Suez Canal Authority demanded $900 million in compensation."),
                      frame("The SCA demanded $950 million in compensation."))


def test_a_range_agrees_with_the_values_it_holds() -> None:
    assert agree(figure("They counted 82 to 94 percent."), figure("They counted 90 percent."))
    assert not agree(figure("They counted 82 to 94 percent."), figure("They counted 97 percent."))


def test_small_counts_and_shares_of_people_that_say_nothing_of_a_doing_are_not_compared() -> None:
    story = [_article("a1", "Valley Courier", "Two pilots were named on Sunday.", day=2),
             _article("a2", "Orrin Post", "Four pilots were on board the jet.", day=3)]
    assert disagreements(claims_in(story)) == []
    assert frame("About 24 percent of respondents were supportive of the strike.").measure == "supportive"
    polls = [_article("a1", "Valley Courier", "A poll found that 24 percent of respondents backed the plan.", day=2),
             _article("a2", "Orrin Post", "In another poll, 50 percent of respondents said they were tired.", day=3)]
    assert disagreements(claims_in(polls)) == []


def test_others_are_not_all_of_them() -> None:
    assert not comparable(frame("Two others were hurt in the blast."), frame("Nine people were hurt in the blast."))
    assert not comparable(frame("The three other defendants pleaded guilty."), frame("Three defendants pleaded guilty."))


def test_a_strong_force_and_a_plus_are_counts_but_a_page_count_is_a_description() -> None:
    assert figure("His 25,000-strong force marched north.").value == 25000
    assert figure("The quake left another 80,000-plus injured.").value == 80000
    assert figures_in("She wrote a 52-page memo.") == []


def test_the_figures_own_verb_names_its_claimant_before_the_sentence_speaker() -> None:
    found = figure("The animal rights group PETA identified 20 deaths; BuzzFeed News confirmed those.")
    assert found.claimed_by == "The animal rights group PETA"


def test_a_total_names_its_doing_through_its_container() -> None:
    assert frame("A total of 27 people were taken to hospitals.").measure == "hospitalised"


def test_one_reports_unattributed_figures_do_not_disagree_but_two_named_sources_in_it_do() -> None:
    one = _article("a1", "Valley Courier", "Orrin Air cancelled 300 flights in the storm. "
                                           "By one count, Orrin Air cancelled 450 flights in the storm.", day=3)
    other = _article("a2", "Orrin Post", "The storm closed the Halvard airport.", day=3)
    assert disagreements(claims_in([one, other])) == []
    named = _article("a1", "Valley Courier", "The Civil Aviation Office said Orrin Air cancelled 300 flights. "
                                             "The pilots' union said Orrin Air cancelled 450 flights.", day=3)
    found = disagreements(claims_in([named, other]))
    assert [sorted(c["value"] for c in d["claims"]) for d in found] == [[300, 450]]
    days = _article("a1", "Valley Courier", "Orrin Air cancelled 300 flights on Monday. "
                                            "Orrin Air cancelled 450 flights on Tuesday.", day=4)
    assert [d["kind"] for d in disagreements(claims_in([days, other]))] == ["update"]


# --- rules that keep look-alikes apart on real news: instances, polls, forecasts, parts, ages -------

def test_a_report_that_gives_both_values_itself_tells_two_things_apart() -> None:
    both = _article("a1", "Valley Courier", "Norland put tariffs on $30 billion of Velmorian goods. "
                                            "Norland then put tariffs on $150 billion of Velmorian goods.", day=3)
    one = _article("a2", "Orrin Post", "Norland put tariffs on $150 billion of Velmorian goods.", day=3)
    other = _article("a3", "Civic Radio", "Norland put tariffs on $30 billion of Velmorian goods.", day=3)
    assert [sorted(c["value"] for c in d["claims"]) for d in disagreements(claims_in([one, other]))] == [[30e9, 150e9]]
    assert disagreements(claims_in([both, one, other])) == []  # two tranches, as the first report shows


def test_two_polls_are_two_measurements_not_one_disputed_share() -> None:
    polls = [_article("a1", "Valley Courier", "A March Halden poll found 40 percent of voters backed the plan.", day=3),
             _article("a2", "Orrin Post", "A May Orrin survey found 55 percent of voters backed the plan.", day=3)]
    assert disagreements(claims_in(polls)) == []
    sources = [_article("a1", "Valley Courier", "Halden Research said 40 percent of voters backed the plan.", day=3),
               _article("a2", "Orrin Post", "Orrin Research said 55 percent of voters backed the plan.", day=3)]
    assert [sorted(c["value"] for c in d["claims"]) for d in disagreements(claims_in(sources))] == [[40, 55]]


def test_a_forecast_is_compared_with_forecasts_only() -> None:
    now = frame("There are about 1,000 new cases of fever a week in Velmor, the ministry said.")
    later = frame("There could be up to 10,000 new cases of fever a week in Velmor by May, an official said.")
    other = frame("The outbreak may reach 12,000 new cases of fever a week in Velmor, doctors warned.")
    assert later.projected and other.projected and not now.projected
    assert not comparable(now, later)
    assert comparable(later, other)
    assert frame("Analysts predicted a drop to $61 billion in revenue.").projected
    assert not frame("The law will cut $8 billion from the program.").projected  # what a law does, not a forecast


def test_a_part_of_those_counted_before_is_not_their_whole() -> None:
    part = frame("The charity said 16 of its staff had been infected and nine of them have died.", "nine")
    assert "a part" in part.modifiers
    assert not comparable(part, frame("More than 4,000 people have died of the fever."))


def test_the_critically_injured_are_some_of_the_injured() -> None:
    some = frame("Five people were critically injured in the blast.")
    assert "critically" in some.modifiers
    assert not comparable(some, frame("19 people were injured in the blast."))
    assert comparable(frame("Nine people were injured in the blast."), frame("19 people were injured in the blast."))


def test_ages_and_names_with_numbers_are_not_figures() -> None:
    assert figures_in("The dead ranged in age from 39 to 60.") == []
    assert figures_in("Velmorian singer Ana Ruiz dead at 45") == []
    assert figures_in("The documents were obtained by 9NEWS.") == []
    assert figure("Firms shed 5m jobs.").value == 5e6  # a scale written against the number still is one


def test_lives_count_deaths_only_when_lost_or_taken_and_a_relative_clause_names_its_own_noun() -> None:
    assert figure("The show followed the two in their day-to-day lives.").measure is None
    assert figure("The flood took the lives of seventeen people.").measure == "deaths"
    assert figure("Six lawsuits were filed, three on behalf of passengers who died.", "three").measure != "deaths"
    assert figure("Rescuers found six people who died in the flood.").measure == "deaths"


def test_a_year_opening_the_sentence_or_a_clause_is_the_figures_time() -> None:
    assert frame("In 2019, the city flushed 8 million gallons of water.").scope == "2019"
    assert frame("The shots were long: in 2002, a Norland sniper hit a target from 2,300 metres.").scope == "2002"
    assert frame("16 million children received aid, compared with the roughly 9 million children before the slump.",
                 "9 million").earlier


def _undated(article_id: str, outlet: str, text: str) -> Article:
    domain = f"{outlet.lower().replace(' ', '')}.example"
    return Article(id=article_id, url=f"https://{domain}/{article_id}", domain=domain, title="Report", outlet=outlet,
                   text=text, published_at=None, sentences=split_sentences(article_id, text))


def test_in_undated_reports_a_figure_of_a_year_before_the_latest_they_name_is_of_the_past() -> None:
    story = [_undated("a1", "Valley Courier", "In 2019, the city flushed 8 million gallons of water from the reservoir."),
             _undated("a2", "Orrin Post", "The city is flushing 38 million gallons of water from the reservoir, "
                                          "a plan first drawn up in 2024.")]
    assert disagreements(claims_in(story)) == []
    same_year = [_undated("a1", "Valley Courier", "In 2024, the city flushed 8 million gallons of water."),
                 _undated("a2", "Orrin Post", "The city flushed 38 million gallons of water, a plan drawn up in 2024.")]
    assert [sorted(c["value"] for c in d["claims"]) for d in disagreements(claims_in(same_year))] == [[8e6, 38e6]]


def test_an_opening_year_gives_way_to_a_time_named_before_the_figure() -> None:
    assert frame("In 2013, the House voted to cut $39 billion, and a year ago, the senate agreed to cut "
                 "$8.7 billion.", "8.7").scope is None
    assert frame("In 2013, the House voted to cut $39 billion.").scope == "2013"


def test_an_update_shows_each_value_once_at_the_first_day_it_was_reported() -> None:
    story = [_article("a1", "Valley Courier", "The flood in Velmor killed 6 people, officials said.", day=2),
             _article("a2", "Orrin Post", "The flood in Velmor killed 14 people, officials said.", day=3),
             _article("a3", "Civic Radio", "The flood in Velmor killed 14 people, the inquiry heard.", day=6)]
    found = disagreements(claims_in(story))
    assert [(d["kind"], [(c["value"], c["date"]) for c in d["claims"]]) for d in found] == [
        ("update", [(6, "2026-03-02"), (14, "2026-03-03")])]


def test_a_figure_after_when_is_of_the_year_named_before_it() -> None:
    found = frame("The count is up from 2019, before the slump, when 9 million children were receiving aid.")
    assert found.scope == "2019"
    assert not comparable(found, frame("In 2024, 16 million children were receiving aid."))
