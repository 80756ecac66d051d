"""Figures in a sentence: value, qualifier ("about", "up to", "more than" ...), unit or counted noun,
what is measured, and who claims it.

"about 12,000 residents had been evacuated, according to the agency" gives value 12000, qualifier
"about", counted "residents", measure "evacuated", claimed by "the agency".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attribution import speaker
from .dates import MONTH, WEEKDAYS

QUALIFIERS = (
    "approximately", "about", "around", "roughly", "nearly", "almost", "up to", "at least", "more than",
    "over", "fewer than", "less than", "some", "an estimated", "as many as", "at most", "close to", "just over",
    "just under", "upwards of", "in excess of",
)
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
VAGUE = {"dozens of": 24, "hundreds of": 200, "thousands of": 2000, "tens of thousands of": 20000,
         "millions of": 2e6}
# What a figure measures, recognised by words near it; figures about one measure can be compared.
MEASURES = {
    "deaths": ("killed", "dead", "died", "deaths", "death toll", "toll", "fatalities", "lives"),
    "injured": ("injured", "wounded", "hurt"),
    "missing": ("missing", "unaccounted"),
    "evacuated or displaced": ("evacuated", "evacuation", "displaced", "fled", "homeless", "shelters"),
    "arrested": ("arrested", "detained"),
    "damage": ("damage", "losses"),
    "troops": ("troops", "soldiers"),
}
_QUALIFIER = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?:(?P<vague>\b(?:{_VAGUE}))|(?P<currency>[$€£])?(?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m)\b)?(?P<percent>\s*(?:%|percent\b|per cent\b))?)"
    r"(?P<after>(?:\s+[a-z][a-z-]*){0,3})",
    re.I,
)
_NOT_COUNTED = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "as",
                "were", "was", "are", "is", "had", "have", "has", "been", "be", "who", "that", "which", "still",
                "people's", "per", "a.m", "p.m", "am", "pm", "years", "year"}
_DATE_AFTER = re.compile(rf"\s+{MONTH}(?![a-z])(?!\s+(?:of|in)\b)|\s+(?:{'|'.join(WEEKDAYS)})\b", re.I)
# what a figure counts when it is not people: such figures measure no toll ("12 hours", "19 miles")
_NOT_COUNTED_PEOPLE = re.compile(
    r"(?:hours?|days?|weeks?|months?|years?|minutes?|seconds?|nights?|miles?|km|kilomet(?:er|re)s?|met(?:er|re)s?|"
    r"feet|foot|inch(?:es)?|acres?|hectares?|tons?|tonnes?|pounds?|kg|kilograms?|gallons?|lit(?:er|re)s?|times|"
    r"points?|percent|degrees?|births|states|countries|cities|counties|rounds?|shots?|games?|seasons?|episodes?|"
    r"rifles?|guns?|honou?rs?)$", re.I)
# an ordinal, or an age or a duration written as a modifier: not a count of anything
_NOT_A_COUNT = re.compile(r"(?:st|nd|rd|th)\b|-\s*(?:year|month|week|day|hour|minute|second)s?\b", re.I)
_MONTHS = re.compile(rf"\b{MONTH}\s*$", re.I)


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


_VERB_LIKE = re.compile(r"(ed|ing)$|^(remain|remains|say|says|said|die|dies|live|lives|work|works|fled)$")


_LEADING_ADJECTIVES = {"new", "more", "other", "additional", "extra", "further", "old", "young", "small", "large",
                      "major", "local", "foreign", "full-time", "part-time", "fresh", "separate"}
_UNIT_MODIFIERS = {"basis", "cubic", "square", "metric", "percentage", "nautical", "light", "short", "long"}
_PLURALS = {"people", "police", "children", "men", "women", "staff", "cattle", "personnel", "livestock"}


def _counted(after: str) -> str | None:
    """The counted noun after the number: one word ("people", "homes"), or two when the first
    modifies the second ("basis points", "cubic metres"); never a following verb ("homes lost")."""
    words = after.split()
    while len(words) > 1 and words[0].lower() in _LEADING_ADJECTIVES:
        words = words[1:]
    if not words or words[0].lower() in _NOT_COUNTED or words[0].endswith("-"):
        return None  # (a word cut at a hyphen, "2,000 K-9s": no counted noun)
    first = words[0]
    if len(words) > 1 and words[1].lower() not in _NOT_COUNTED and not _VERB_LIKE.search(words[1].lower()):
        second = words[1].lower()
        lower = first.lower()
        plural_first = (lower.endswith("s") and not lower.endswith(("ss", "us", "is"))) or lower in _PLURALS
        if first.lower() in _UNIT_MODIFIERS or (not plural_first and second.endswith("s")):
            return f"{first} {words[1]}"
    return first


def _measure(sentence: str, start: int, end: int) -> str | None:
    """The measure named by the nearest measure word, preferring words after the figure
    ("31 were still missing") to words before it ("killed ... 23")."""
    lowered = sentence.lower()
    best: tuple[float, str] | None = None
    for measure, words in MEASURES.items():
        for word in words:
            for m in re.finditer(rf"\b{re.escape(word)}\b", lowered):
                if m.start() >= end:
                    if re.search(r",|;| and | but ", lowered[end : m.start()]):
                        continue  # a measure word in the next clause is about something else
                    distance = (m.start() - end) * 0.5
                elif m.end() <= start:
                    between = lowered[m.end() : start]
                    distance = float(start - m.end()) + (25.0 if re.search(r",|;| and | but ", between) else 0.0)
                else:
                    distance = 0.0
                if distance <= 70 and (best is None or distance < best[0]):
                    best = (distance, measure)
    return best[1] if best else None


MAX_CLAIMANT_WORDS = 12
_CLAUSE_WORDS = re.compile(r"\b(?:has|have|had|been|was|were|is|are|will|would)\b")  # a clause, not a name


def _claimant(sentence: str, start: int, end: int) -> str | None:
    """Who the sentence says claims the figure at ``start``-``end`` (parsed only for sentences with
    figures); not the figure itself ("thousands of people"), a number or a whole clause."""
    who = speaker(sentence, at=start)
    if not who or not re.search(r"[A-Za-z]", who) or len(who.split()) > MAX_CLAIMANT_WORDS or _CLAUSE_WORDS.search(who):
        return None
    at = sentence.find(who)
    return None if at >= 0 and at < end and start < at + len(who) else who


def figures_in(sentence: str) -> list[FigureMention]:
    """The figures a sentence states (years, clock times and dates are left out)."""
    found = []
    for match in _FIGURE.finditer(sentence):
        number, vague = match.group("number"), match.group("vague")
        before = sentence[: match.start()]
        if number:
            plain = number.replace(",", "")
            value = float(plain)
            after = match.group("after") or ""
            if _MONTHS.search(before) or re.match(r"\s*(a\.m|p\.m|am\b|pm\b|:\d)", sentence[match.end("number"):], re.I):
                continue  # a date ("Nov. 11") or a clock time ("4 a.m.")
            if (len(number) == 4 and 1000 <= value <= 2100 and not match.group("qualifier")
                    and not match.group("currency") and not match.group("scale")):
                continue  # a year
            if _DATE_AFTER.match(sentence, match.end("number")) or re.search(r"\bper\s+$|[A-Za-z]-$", before):
                continue  # "28 October"; "205 deaths per 100,000 live births" (a rate's base); "K-9", "F-16"
            if re.search(r"(no\.|number|No\.)\s*$", before):
                continue
            if _NOT_A_COUNT.match(sentence, match.end("number")) or re.match(r"0\d", number):
                continue  # "the 15th Street home", "a 6-year-old girl", "a 10-day search", "Duck 07"
            if (re.search(r"\b[A-Z][\w'’.-]*,\s*$", before) and re.match(r"\s*[,)]", sentence[match.end():])
                    and not (match.group("qualifier") or match.group("currency") or match.group("scale"))):
                continue  # an age: "Ana Ruiz, 45, was killed"
            if match.group("scale"):
                value *= SCALES[match.group("scale").lower()]
        else:
            value = float(VAGUE[vague.lower()])
            after = match.group("after") or ""
        unit = "%" if match.group("percent") else match.group("currency") or None
        counted = None if match.group("percent") else _counted(after)
        core_end = match.end() - len(after)
        end = core_end + (after.find(counted) + len(counted) if counted else 0)
        text = sentence[match.start() : end]  # verbatim, so that it can be checked against the source
        measure = None if counted and _NOT_COUNTED_PEOPLE.match(counted) else _measure(sentence, match.start(), end)
        if found and re.search(r"\b(up|down|rising|falling)?\s*from\s*$|\bcompared with\s*$", before):
            measure = found[-1].measure  # "risen to 23, up from 14": the same measure
        found.append(FigureMention(
            value=value, text=" ".join(text.split()), qualifier=(match.group("qualifier") or (vague or "")).lower() or None,
            unit=unit, counted=counted.lower() if counted else None,
            measure=measure, claimed_by=_claimant(sentence, match.start(), end),
            start=match.start(), end=end,
        ))
    return found
