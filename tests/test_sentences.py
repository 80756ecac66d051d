"""Sentence splitting: the spans every citation points to. Hand-written, fictional sentences."""

from __future__ import annotations

import pytest

from newsbrief.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences("a1", text)]


@pytest.mark.parametrize("text, expected", [
    ("The toll rose to 14. Rescuers kept searching.", ["The toll rose to 14.", "Rescuers kept searching."]),
    ("Dr. Lena Ostrova and Mr. Tomas Varga met in the U.S. capital on Monday. They agreed.",
     ["Dr. Lena Ostrova and Mr. Tomas Varga met in the U.S. capital on Monday.", "They agreed."]),
    ("Inflation was 3.5 per cent in Nov. 2025, up from 2.9. Prices rose.",
     ["Inflation was 3.5 per cent in Nov. 2025, up from 2.9.", "Prices rose."]),
    ("Sen. Ada Pell, R-Neb., called it a crisis. Rep. Jon Mott agreed.",
     ["Sen. Ada Pell, R-Neb., called it a crisis.", "Rep. Jon Mott agreed."]),
    ('"We will rebuild," she said. "The dam held." Officials agreed.',
     ['"We will rebuild," she said.', '"The dam held."', "Officials agreed."]),
    ("“Is the bridge safe?” Calder asked. “Not yet.”", ["“Is the bridge safe?” Calder asked.", "“Not yet.”"]),
    ("The river crested at 9 p.m. on Sunday. Nobody was hurt.",
     ["The river crested at 9 p.m. on Sunday.", "Nobody was hurt."]),
    ("Where is the ferry? Nobody knows! Search on.", ["Where is the ferry?", "Nobody knows!", "Search on."]),
    ("1. Check the levee. 2. Call the mayor.", ["1. Check the levee.", "2. Call the mayor."]),
    ("“The water kept rising.” ― Oda Brenner", ["“The water kept rising.” ― Oda Brenner"]),
    ("There is reason -- plenty of it! -- to worry.", ["There is reason -- plenty of it! -- to worry."]),
    ("Ms. Kovner sighed. Atty. Gen. Ruth Dale spoke at Ft. Lenn on Monday. Then she left.",
     ["Ms. Kovner sighed.", "Atty. Gen. Ruth Dale spoke at Ft. Lenn on Monday.", "Then she left."]),
    ("The levee broke at 6 a.m. Friday and at 9 p.m. EST again. Crews were sent at 7 a.m. They arrived.",
     ["The levee broke at 6 a.m. Friday and at 9 p.m. EST again.", "Crews were sent at 7 a.m.", "They arrived."]),
    ("The agency said J. R. Hollis would lead it.", ["The agency said J. R. Hollis would lead it."]),
])
def test_sentences_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_spans_point_at_the_text_across_paragraphs_and_accents() -> None:
    text = "Café owner José said “prices rose.” Zürich agreed.\n\nSecond paragraph here. And more."
    sentences = split_sentences("a1", text)
    assert [s.text for s in sentences] == ["Café owner José said “prices rose.”", "Zürich agreed.",
                                           "Second paragraph here.", "And more."]
    for index, sentence in enumerate(sentences):
        assert text[sentence.start:sentence.end] == sentence.text and sentence.index == index


def test_a_very_long_run_without_full_stops_is_cut() -> None:
    text = "word " * 2000
    sentences = split_sentences("a1", text)
    assert len(sentences) > 1 and all(len(s.text) <= 1200 for s in sentences)
    assert " ".join(s.text for s in sentences).split() == text.split()


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("a1", "") == [] and split_sentences("a1", "\n \n") == []
