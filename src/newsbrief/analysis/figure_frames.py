"""The frame of a figure: what it counts (the counted phrase, its head noun and modifiers), what
happened to them (the measure), whose and where, in what kind of measure and over what time; and the
frame read from the words alone, where no parse is at hand, finished the same way either way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .figure_lexicon import (CLASS_OF, LEADING_ADJECTIVES, MEASURE_NOUNS, MEASURE_WORDS, PERSON_MEASURES,
                             PERSON_NOUNS, PLURALS, SYNONYMS)
from .figure_owners import names_in


@dataclass
class Frame:
    """What a figure is a figure of, so that two figures can be compared only when they are the
    same quantity: the counted thing with its modifiers, whose it is, where, in what kind of measure
    and over what time."""

    kind: str = "count"  # count, money, percent, ratio or rank
    low: float = 0.0
    high: float | None = None  # a range's upper end: "10,000 to 12,000"
    currency: str | None = None
    counted: str | None = None  # the counted phrase as written: "North Korean soldiers"
    head: str | None = None  # its noun, one word for synonyms: "troops"
    modifiers: tuple[str, ...] = ()  # words that make another quantity of it: ("maternal",), ("confirmed",)
    measure: str | None = None  # what happened to them: "deaths", "cancelled", "won"
    owner: str | None = None  # whose, as written: "North Korean", "Labour"
    owners: tuple[str, ...] = ()  # the same, normalised: ("north kore",)
    place: str | None = None  # where, as written: "Russia's Kursk region"
    places: tuple[str, ...] = ()
    scope: str | None = None  # a time the figure is of: "2023", "last year"
    rate: str | None = None  # "a day", "per year": a rate is not a total
    change: bool = False  # "rose by 3%", "up 5,000": a change, not a level
    earlier: bool = False  # "up from 14", "compared with 9,000": a value from before
    vague: bool = False  # "dozens", "thousands of": too loose to differ from anything
    revised: bool = False  # "later lowered to $550 million": a new value of the figure before it
    claimant: str | None = None  # who the parse shows counting it: "PETA identified 20 deaths"
    projected: bool = False  # "there could be up to 10,000 new cases": a figure of what may come, not of what is

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "low": self.low, "high": self.high, "currency": self.currency,
                "counted": self.counted, "head": self.head, "modifiers": list(self.modifiers),
                "measure": self.measure, "owner": self.owner, "place": self.place, "scope": self.scope,
                "rate": self.rate, "change": self.change, "earlier": self.earlier, "projected": self.projected,
                "revised": self.revised}


@dataclass
class FigureMention:
    value: float
    text: str  # the figure as written: "about 12,000 residents"
    qualifier: str | None
    unit: str | None  # "%", "$", "million", or None
    counted: str | None  # the counted noun: "residents"
    measure: str | None  # deaths, injured, missing, evacuated or displaced ... when recognisable
    claimed_by: str | None
    start: int
    end: int
    frame: Frame = field(default_factory=Frame)
    core: int = 0  # where the number itself ends (before its counted words)


def compatible_counted(counted: str | None) -> str | None:
    """The counted words as ``FigureMention.counted`` has them: lower case, without "new" or "more"."""
    if not counted:
        return None
    words = counted.split()
    while len(words) > 1 and words[0].lower() in LEADING_ADJECTIVES:
        words = words[1:]
    return " ".join(words).lower()


def frame_from_words(sentence: str, figure: FigureMention, before: list[FigureMention]) -> None:
    """The frame without a parse: the counted words after the number (a run of capitalised words
    with the noun after it: "8,000 North Korean soldiers"), and the measure named near it."""
    frame = figure.frame
    after = sentence[figure.core :]
    run = re.match(r"\s+((?:[A-Z][\w'’-]*\s+){1,3}([a-z][a-z-]+))", after)
    if run and frame.kind == "count" and not re.search(r"\b(?:of|and|the|in|on|at)\b", run.group(1)):
        figure.end = figure.core + run.end(1)
        frame.counted = run.group(1)
        frame.owner = run.group(1)[: -len(run.group(2))].strip()
        frame.owners = names_in(frame.owner)
        figure.counted = compatible_counted(run.group(2))
    elif figure.counted:
        frame.counted = figure.counted
    if frame.counted:
        last = frame.counted.split()[-1].lower()
        single = re.sub(r"(?<=[^s])s$", "", last) if last not in PLURALS else last
        word = {"people": "people", "men": "man", "women": "woman", "children": "child"}.get(last, single)
        frame.measure = MEASURE_NOUNS.get(word)
        frame.head = None if frame.measure else CLASS_OF.get(word, word)
    finish_frame(sentence, figure, before)


def finish_frame(sentence: str, figure: FigureMention, before: list[FigureMention]) -> None:
    """What the parse leaves open: a figure without a counted noun takes the one of the figure before
    it in the sentence ("Labour won 412 seats and the Conservatives 121"); the measure words near it
    name a toll; a toll counts people, not dams."""
    frame = figure.frame
    if frame.revised and before:
        last = before[-1].frame
        for name in ("head", "measure", "modifiers", "counted", "owner", "owners", "place", "places", "scope"):
            setattr(frame, name, getattr(last, name))
        if frame.kind == "count" and last.kind == "money" and frame.low >= 1000:
            frame.kind, frame.currency = "money", last.currency  # "lowered the request to 550 million"
        return
    if frame.head is None and frame.counted is None and before:
        last = before[-1].frame
        if (last.kind == frame.kind and (last.head or last.measure) and frame.measure in (None, last.measure)
                and figure.measure in (None, before[-1].measure)):
            frame.head, frame.measure, frame.modifiers = last.head, last.measure, last.modifiers
            frame.counted = frame.counted or last.counted
    lexicon = figure.measure
    if lexicon == "troops":
        frame.head = frame.head or "troops"
    elif frame.measure is None and lexicon:
        person = frame.head is None or frame.head in PERSON_NOUNS or frame.head in SYNONYMS
        if (lexicon == "damage" and frame.kind == "money") or (lexicon in PERSON_MEASURES and frame.kind == "count"
                                                                and person):
            frame.measure = lexicon
    if frame.kind == "money" and frame.head and frame.measure not in MEASURE_WORDS:
        frame.measure = None  # "$1.2 billion in sales" generated or boasted: sales either way
    if frame.measure in PERSON_MEASURES and frame.head is not None and frame.head not in PERSON_NOUNS \
            and frame.head not in SYNONYMS:
        frame.measure = None  # "2 dams" is no death toll
    if frame.measure in PERSON_MEASURES and frame.head is None and frame.kind == "count":
        frame.head = "people"
    if frame.head == "people" and frame.measure is None and not frame.modifiers and figure.measure:
        frame.measure = figure.measure if figure.measure in PERSON_MEASURES else None
