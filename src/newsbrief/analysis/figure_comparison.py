"""Which figures are one quantity, and whether two values of it agree: comparable frames (same
kind, counted noun up to synonyms, modifiers, measure, owner, place, time), and rounding ("about 10,000"
and "10,300" agree)."""

from __future__ import annotations

import math
import re

from .figure_frames import FigureMention, Frame
from .figure_lexicon import GENERIC_HEADS, MEASURE_WORDS, PERSON_NOUNS, SYNONYMS, TIME_HEADS, UNIT_HEADS
from .figure_numbers import APPROXIMATE
from .figure_owners import same_names, same_places

ROUNDING = 0.03  # at least this share of a rounded figure is rounding: "about 5,000" and "5,100" agree


def countable(frame: Frame) -> bool:
    """Whether a figure says enough of what it counts to be compared with another: a counted noun
    (with a measure when the noun is just "people"), or a measure of its own ("the toll rose to 23")."""
    if frame.vague or frame.kind == "rank" and frame.head is None:
        return False
    if frame.head in TIME_HEADS or (frame.head is not None and not re.fullmatch(r"[a-z][a-z-]{2,}", frame.head)):
        return False  # "GMT", "ng", "y.": abbreviations and units, not things counted
    if frame.head is None:
        return frame.measure in MEASURE_WORDS
    bare = frame.measure is None and not (frame.owners or frame.places or frame.modifiers)
    if bare and frame.kind == "count" and frame.low < 10 and frame.head != "magnitude":
        return False  # "two pilots", "four payments": a detail of the story, not a quantity sources report
    if bare and frame.kind == "percent" and (frame.head in PERSON_NOUNS or frame.head in SYNONYMS):
        return False  # "24 percent of respondents": of them doing what, the figure does not say
    return (frame.head not in GENERIC_HEADS and frame.head not in UNIT_HEADS) or frame.measure is not None


def comparable(a: Frame, b: Frame) -> bool:
    """Whether two figures can be one quantity: the same kind of measure (and currency), the same
    counted noun (up to synonyms) with the same modifiers, the same measure where both name one,
    owners and places that can be the same, the same time scope, both levels or both changes."""
    if (a.kind, a.currency, a.change, a.modifiers, a.projected) != (b.kind, b.currency, b.change, b.modifiers,
                                                                   b.projected):
        return False  # (a forecast is compared with forecasts only: "could reach 10,000" is not "1,000 now")
    if a.rate != b.rate and not (a.head in _ANNUAL and a.head == b.head and {a.rate, b.rate} <= _YEARLY):
        return False  # 400 flights a day are not 4,000 flights; a salary is a year's
    if a.head != b.head and not (a.kind == "money" and None in (a.head, b.head) and (a.measure or b.measure) in MEASURE_WORDS
                                 and (a.measure == b.measure or None in (a.measure, b.measure))):
        return False  # "demanded $900 million" and "$916 million in compensation demanded" are one sum
    if a.measure != b.measure and not _unnamed_measure(a.measure, b.measure) and not _unnamed_measure(b.measure, a.measure):
        return False
    if a.scope != b.scope and not (None in (a.scope, b.scope) and _year(a.scope or b.scope)):
        return False  # "in its first week", "since 1940": only the same span; a year may be unsaid
    return same_names(a.owners, b.owners) and same_places(a.places, b.places)


def _year(scope: str | None) -> bool:
    return bool(scope and re.fullmatch(r"\d{4}", scope))


_ANNUAL = frozenset({"salary", "pay", "wage", "income", "earnings", "revenue", "budget", "bonus", "rent"})
_YEARLY = frozenset({None, "a year", "per year", "annually", "yearly", "each year", "every year"})


def _unnamed_measure(measure: str | None, other: str | None) -> bool:
    """A figure that names no measure ("troops in Russia") can be one that names a known one ("sent
    10,000 troops"), not one that names another doing ("31 bidders responded" is not "three bidders")."""
    return measure is None and (other is None or other in MEASURE_WORDS)


def approximate(figure: FigureMention) -> bool:
    """Whether a figure is a rounded number: "about 10,000", "$1.2 billion", "5,000" (not "5,400")."""
    if figure.qualifier in APPROXIMATE or figure.frame.vague:
        return True
    if re.search(r"\b(?:thousand|million|billion|trillion|bn|mn|m|k)\b", figure.text, re.I):
        return True
    return figure.frame.low >= 1000 and figure.frame.low % 100 == 0


def tolerance(figure: FigureMention, value: float) -> float:
    """How far a value may be from a rounded figure and still be it: half a unit of its last
    significant digit, and at least of its second ("about 10,000": 500; "$1.2 billion": $50 million);
    3% for a figure of one or two digits ("about 5,000": 150; "10,700": 50); nothing for an exact
    figure ("4,447")."""
    if not approximate(figure) or value <= 0:
        return 0.0
    digits = re.sub(r"\D", "", re.sub(r"\.?0+$", "", _digits(figure.text))) or "1"
    exponent, significant = math.floor(math.log10(value)), len(digits.lstrip("0"))
    rounded = 0.5 * 10 ** (exponent - max(significant, 2) + 1)
    written = _digits(figure.text)
    return rounded if significant > 2 or "." in written else max(rounded, ROUNDING * value)


def _digits(text: str) -> str:
    """The figure's number as written ("1.2" in "about $1.2 billion", "10,700" in "10,700 people")."""
    found = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    return found.group(0).replace(",", "") if found else ""


# qualifiers that make a figure a bound, and how far from it the value lies, in units of the bound's
# last written digit: "more than 4,000" is 4,000 to 5,000 (a writer with 5,300 would say "more than
# 5,000"), "more than a dozen" 12 to 24, "nearly 5 percent" 4.5 to 5, "up to 12,000" 11,000 to 12,000
_ABOVE = {"more than": 1.0, "over": 1.0, "at least": 1.0, "upwards of": 1.0, "in excess of": 1.0, "just over": 0.5}
_BELOW = {"nearly": 0.5, "almost": 0.5, "just under": 0.5, "up to": 1.0, "fewer than": 1.0, "less than": 1.0,
          "at most": 1.0, "as many as": 1.0}


def bounds(figure: FigureMention) -> tuple[float, float] | None:
    """The values a bound figure allows, read as writers round: ("more than a dozen": 12 to 24;
    "at least 6": 6 to 7, so "at least 6" and "14" differ); None for a figure that is no bound."""
    qualifier, value = figure.qualifier, figure.frame.low
    if figure.frame.high is not None or figure.frame.vague or qualifier not in {*_ABOVE, *_BELOW}:
        return None
    step = _last_digit(figure) * (_ABOVE.get(qualifier) or _BELOW[qualifier])
    return (value, value + step) if qualifier in _ABOVE else (value - step, value)


def _last_digit(figure: FigureMention) -> float:
    """The unit of a figure's last written digit: 1,000 for "4,000", 100 for "2,700", 0.1 for "4.7",
    a dozen for "a dozen", 10 for "half" (50 percent)."""
    if re.search(r"\bdozens?\b", figure.text, re.I):
        return 12.0
    value = abs(figure.frame.low)
    if value == 0:
        return 1.0
    exponent = 0
    while exponent < 15 and abs(value / 10 ** (exponent + 1) - round(value / 10 ** (exponent + 1))) < 1e-9:
        exponent += 1
    if exponent:
        return float(10**exponent)
    decimals = next((d for d in range(1, 6) if abs(value * 10**d - round(value * 10**d)) < 1e-6), 6)
    return 1.0 if abs(value - round(value)) < 1e-9 else 10.0**-decimals


def agree(a: FigureMention, b: FigureMention) -> bool:
    """Whether two values of one quantity are the same figure, allowing for rounding: "about 10,000"
    and "10,300" agree; "about 12,000" and "more than 15,000" do not; a range agrees with the values it
    holds ("82 to 94 percent" and "90 percent"), and with another range only alike; a bound agrees with
    the values it allows ("more than a dozen" and "13", "more than 5,000" and "5,300", "nearly 5
    percent" and "4.7 percent"), and with another bound when they overlap."""
    for one, other in ((a, b), (b, a)):
        if one.frame.high is not None and other.frame.high is None:
            return one.frame.low <= other.frame.low <= one.frame.high
    bound_a, bound_b = bounds(a), bounds(b)
    if bound_a and bound_b:  # "over 4,000" and "more than 5,000" only touch: they differ
        return max(bound_a[0], bound_b[0]) < min(bound_a[1], bound_b[1])
    if bound_a or bound_b:
        (low, high), (least, most) = (bound_a, _around(b)) if bound_a else (bound_b, _around(a))
        slack = 1e-9 * max(abs(high), abs(most))
        return least - slack <= high and low <= most + slack
    ends = [(a.frame.low, b.frame.low), (a.frame.high or a.frame.low, b.frame.high or b.frame.low)]
    return all(abs(x - y) <= max(tolerance(a, x), tolerance(b, y)) + 1e-9 * max(abs(x), abs(y)) for x, y in ends)


def _around(figure: FigureMention) -> tuple[float, float]:
    """The values a figure that is no bound stands for: itself, give or take its rounding."""
    value = figure.frame.low
    return value - tolerance(figure, value), value + tolerance(figure, value)
