"""The grounding check: what it accepts, what it drops, and why."""

from __future__ import annotations

from newsbrief import Brief, Cited, Implication, Section, ground
from newsbrief.writers.grounding import problem

EVIDENCE = {
    "a1:0": "The city of Portavel closed the Gull Bridge on Monday after inspectors found cracks.",
    "a1:1": "About 40,000 vehicles cross the bridge each day, according to the transport department.",
    "a2:3": "\"We will not reopen the bridge until it is safe,\" said Mayor Ines Calder.",
}


def test_sentence_resting_on_its_citations_passes() -> None:
    assert problem("About 40,000 vehicles cross the bridge each day.", ["a1:1"], EVIDENCE) is None
    assert problem("Portavel closed the Gull Bridge; Ines Calder spoke.", ["a1:0", "a2:3"], EVIDENCE) is None


def test_no_citation_or_unresolved_citation_fails() -> None:
    assert problem("Portavel closed a bridge.", [], EVIDENCE) == "no citation"
    assert "a9:9 does not resolve" in problem("Portavel closed a bridge.", ["a9:9"], EVIDENCE)


def test_number_absent_from_cited_sentences_fails() -> None:
    assert "50000" in problem("About 50,000 vehicles cross the bridge.", ["a1:1"], EVIDENCE)
    assert "40000" in problem("About 40,000 vehicles cross the bridge.", ["a1:0"], EVIDENCE)


def test_name_absent_from_cited_sentences_fails() -> None:
    assert "'Calder'" in problem("The city of Calder closed the Gull Bridge.", ["a1:0"], EVIDENCE)
    assert "'Mayor'" in problem("The Mayor closed the Gull Bridge.", ["a1:0"], EVIDENCE)
    assert "'Harbourside'" in problem("The Harbourside bridge closed on Monday.", ["a1:0"], EVIDENCE)


def test_sentence_initial_common_word_is_not_a_name() -> None:
    assert problem("The city closed the Gull Bridge on Monday.", ["a1:0"], EVIDENCE) is None
    assert "'Varga'" in problem("Varga closed the Gull Bridge.", ["a1:0"], EVIDENCE)


def test_quote_must_be_verbatim() -> None:
    assert problem('Calder said: "We will not reopen the bridge until it is safe."', ["a2:3"], EVIDENCE) is None
    assert "quoted words" in problem('Calder said "the bridge is finished forever".', ["a2:3"], EVIDENCE)


def test_ground_drops_failing_sentences_and_counts_them() -> None:
    brief = Brief(
        story_id="s1",
        headline="Gull Bridge closed",
        lede=Cited("The city of Portavel closed the Gull Bridge on Monday after inspectors found cracks.", ["a1:0"]),
        implications=[Implication("Traffic could reach 90,000 vehicles.", ["a1:1"])],
        sections=[
            Section("Traffic", [
                Cited("About 40,000 vehicles cross the bridge each day.", ["a1:1"]),
                Cited("Mayor Jorn Hale resigned.", ["a2:3"]),
            ]),
            Section("Invented", [Cited("Nobody said this.", [])]),
        ],
        evidence=dict(EVIDENCE),
    )
    grounded = ground(brief)
    assert grounded.implications == []
    assert [s.heading for s in grounded.sections] == ["Traffic"]
    assert [c.text for c in grounded.sections[0].sentences] == ["About 40,000 vehicles cross the bridge each day."]
    assert grounded.dropped == 3


def test_ungrounded_lede_is_replaced_by_the_best_grounded_sentence() -> None:
    brief = Brief(
        story_id="s1", headline="h",
        lede=Cited("A made-up lede naming Atlantis.", ["a1:0"]),
        sections=[Section("Traffic", [Cited("About 40,000 vehicles cross the bridge each day.", ["a1:1"])])],
        evidence=dict(EVIDENCE),
    )
    grounded = ground(brief)
    assert grounded.lede.text.startswith("About 40,000")
    assert grounded.sections == [] and grounded.dropped == 1


def test_a_repeated_sentence_moved_up_to_the_lede_is_removed_once() -> None:
    repeated = Cited("About 40,000 vehicles cross the bridge each day.", ["a1:1"])
    brief = Brief(
        story_id="s1", headline="h",
        lede=Cited("A made-up lede naming Atlantis.", ["a1:0"]),
        sections=[Section("Traffic", [repeated]), Section("Again", [Cited(repeated.text, ["a1:1"])])],
        evidence=dict(EVIDENCE),
    )
    reasons: list[str] = []
    grounded = ground(brief, reasons)
    assert grounded.lede.text.startswith("About 40,000")
    assert [s.heading for s in grounded.sections] == ["Again"]
    assert grounded.dropped == len(reasons) == 1


def test_a_common_word_opening_a_second_sentence_is_not_a_name() -> None:
    joined = "Portavel closed the Gull Bridge. The city found cracks."
    assert problem(joined, ["a1:0"], EVIDENCE) is None
    assert "'Atlantis'" in problem("Portavel closed the Gull Bridge. Atlantis found cracks.", ["a1:0"], EVIDENCE)
