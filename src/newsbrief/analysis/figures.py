"""Figures in a sentence: value, qualifier ("about", "up to", "more than" ...), unit or counted noun,
what is measured, who claims it, and the figure's frame: what exactly it counts, whose or where.

"about 12,000 residents had been evacuated, according to the agency" gives value 12000, qualifier
"about", counted "residents", measure "evacuated or displaced", claimed by "the agency".
"about 8,000 North Korean soldiers were in Russia's Kursk region" gives the frame: counted "North
Korean soldiers", head "troops", owner North Korea, place Russia and Kursk, kind "count". Two figures
are one quantity only when their frames match (``comparable``): the troops of one army are not another's.

The frame is read from spaCy's dependency parse of the sentence where spaCy is installed (the parse
is made once per sentence with a figure and kept, ``parse_frames``), else from the words alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..nlp import lemma, parser_or_none
from .attribution import speaker
from .dates import MONTH, WEEKDAYS

QUALIFIERS = (
    "approximately", "about", "around", "roughly", "nearly", "almost", "up to", "at least", "more than",
    "over", "fewer than", "less than", "some", "an estimated", "as many as", "at most", "close to", "just over",
    "just under", "upwards of", "in excess of", "between",
)
# qualifiers that make a figure a rounded estimate: it agrees with values within ROUNDING of it
APPROXIMATE = frozenset({"approximately", "about", "around", "roughly", "nearly", "almost", "some", "an estimated",
                         "close to", "just over", "just under"})
ROUNDING = 0.03  # at least this share of a rounded figure is rounding: "about 5,000" and "5,100" agree
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9,
          "mn": 1e6, "k": 1e3, "tn": 1e12, "dozen": 12}
VAGUE = {"dozens of": 24, "scores of": 40, "hundreds of": 200, "thousands of": 2000, "tens of thousands of": 20000,
         "hundreds of thousands of": 200000, "millions of": 2e6}
WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "a hundred": 100, "a thousand": 1e3,
    "a million": 1e6, "a billion": 1e9, "half a million": 5e5, "half a billion": 5e8,
}
# shares written in words: "half of the ballots", "a quarter of residents", "one in five adults"
FRACTIONS = {"half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3,
             "one-third": 100 / 3, "two-thirds": 200 / 3, "two thirds": 200 / 3, "a quarter": 25.0,
             "one quarter": 25.0, "one-quarter": 25.0, "three-quarters": 75.0, "three quarters": 75.0,
             "a fifth": 20.0, "one-fifth": 20.0, "one fifth": 20.0, "a tenth": 10.0}
CURRENCIES = {"$": "$", "us$": "$", "usd": "$", "€": "€", "eur": "€", "£": "£", "gbp": "£", "¥": "¥",
              "dollars": "$", "dollar": "$", "euros": "€", "euro": "€", "pounds sterling": "£", "yen": "¥",
              "rupees": "Rs", "rs": "Rs", "rs.": "Rs", "c$": "C$", "a$": "A$", "yuan": "yuan", "francs": "francs"}
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
# The same measure under other words (lemmas from the parse): a class name for each.
MEASURE_WORDS = {
    "deaths": "kill die dead death toll fatality life perish",
    "bodies found": "body",
    "injured": "injure wound hurt injury",
    "missing": "missing unaccounted",
    "evacuated or displaced": "evacuate evacuation evacuee displace flee homeless shelter",
    "arrested": "arrest detain detention",
    "damage": "damage loss",
    "cancelled": "cancel cancelled canceled scrap cancellation",
    "delayed": "delay",
    "rescued": "rescue",
    "released": "release free",
    "won": "win secure capture take",
    "deployed": "deploy send dispatch station",
    "infected": "infect case sick sicken ill outbreak",
    "hospitalised": "hospitalize hospitalise hospitalization",
    "cut": "cut eliminate shed trim slash lay fire dismiss sack",
    "demanded": "demand seek claim request",
    "weight": "weigh weight",
    "sold": "sell sale",
}
_MEASURE_OF = {word: measure for measure, words in MEASURE_WORDS.items() for word in words.split()}
PERSON_MEASURES = frozenset({"deaths", "injured", "missing", "evacuated or displaced", "arrested", "rescued",
                             "infected", "hospitalised"})
# Counted nouns that are one thing under several words (lemmas): a class name for each.
SYNONYMS = {
    "troops": "troop soldier force fighter serviceman servicemen personnel",
    "people": "people person resident individual inhabitant victim other civilian",
    "flights": "flight",
    "seats": "seat",
    "prisoners": "prisoner detainee inmate",
    "hostages": "hostage captive",
    "migrants": "migrant refugee asylum-seeker",
    "jobs": "job position",
    "homes": "home house dwelling",
    "votes": "vote ballot",
    "passengers": "passenger",
    "workers": "worker employee staff",
    "children": "child kid",
    "users": "user member account subscriber customer",
}
_CLASS_OF = {word: name for name, words in SYNONYMS.items() for word in words.split()}
# nouns naming a measure rather than what is counted: "14 deaths", "5,000 cancellations"
_MEASURE_NOUNS = {"death": "deaths", "fatality": "deaths", "toll": "deaths", "dead": "deaths",
                  "injury": "injured", "arrest": "arrested", "evacuation": "evacuated or displaced",
                  "evacuee": "evacuated or displaced", "cancellation": "cancelled", "delay": "delayed",
                  "damage": "damage", "claim": "demanded", "demand": "demanded", "request": "demanded",
                  "case": "infected"}
PERSON_NOUNS = frozenset(
    """people person resident individual inhabitant victim other civilian child kid adult man men woman women
    student pupil worker employee staff soldier troop force fighter serviceman servicemen personnel militant officer
    police policeman firefighter passenger crew member pilgrim migrant refugee protester demonstrator prisoner
    inmate detainee hostage captive patient tourist visitor citizen villager miner sailor journalist player fan voter
    teacher doctor nurse survivor evacuee suspect rebel insurgent gunman attacker baby infant teenager girl boy minor
    official guard agent marine rescuer volunteer climber hiker driver motorist pedestrian cyclist family resident
    american russian ukrainian israeli palestinian""".split())
# modifiers that do not make another quantity of the counted noun ("more people", "new cases")
_LIGHT_MODIFIERS = frozenset(
    """more additional extra further total overall reported estimated official some least many all
    local foreign several fresh separate such own latest confirmed giant huge big massive small large
    major minor tiny vast whole entire""".split())
_QUALIFIER = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "two|three|four|five|six|seven|eight|nine"
_WORDS = (rf"(?:(?:{_TENS})(?:[- ](?:one|{_UNITS}))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
          rf"eighteen|nineteen|{_UNITS})(?:\s+(?:hundred|thousand|million|billion|dozen)\b)?"
          r"|(?:half\s+)?a\s+(?:dozen|hundred|thousand|million|billion)|one\s+(?:hundred|thousand|million|billion)")
_FRACTION = "|".join(re.escape(f) for f in sorted(FRACTIONS, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCY = r"(?:\b(?:US|C|A)\$|[$€£¥]|\b(?:USD|EUR|GBP|Rs\.?)\s?)"
# "m" and "k" only written against the number ("$5m", "10k"): "2,000 K-9 deaths" is no scale
_SCALE = r"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn)\b|(?P<short>[mk])\b(?!-\d))"
_PERCENT = r"(?P<percent>\s*(?:%|percent\b|per\s?cent\b))"
_NUMBER = rf"(?:(?<!\w)(?P<number>{_DIGITS})|(?P<words>\b(?:{_WORDS})\b)(?![-\w]))"
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?:(?P<vague>\b(?:{_VAGUE}))"
    rf"|(?P<fraction>\b(?:{_FRACTION}))(?=\s+of\b)"
    rf"|(?P<ratio>\b(?:one|\d+)\s+in\s+(?:\d+|{_UNITS}|ten))\b"
    rf"|(?P<currency>{_CURRENCY})?{_NUMBER}{_SCALE}?{_PERCENT}?"
    r"(?P<money>\s+(?-i:[A-Z][a-z]+\s+){0,2}(?:dollars?|euros?|pounds sterling|yen|rupees|yuan|francs|riyals|pesos|"
    r"roubles|rubles|lira|rand)\b)?)",
    re.I,
)
# the second number of a range or a ratio: "... to 12,000", "-5%", "-4"
_SECOND = re.compile(
    rf"\s*(?P<joiner>-|–|—|\bto\b|\band\b|:)\s*(?P<currency>{_CURRENCY})?(?P<number>{_DIGITS})(?![\d,.]\d)"
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn)\b|(?P<short>[mk])\b(?!-\d))?(?P<percent>\s*(?:%|percent\b|per\s?cent\b))?",
    re.I,
)
_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z-]*){0,4}")
_NOT_COUNTED = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "as",
                "were", "was", "are", "is", "had", "have", "has", "been", "be", "who", "that", "which", "still",
                "people's", "per", "a.m", "p.m", "am", "pm", "years", "year", "this", "that", "these", "those", "its",
                "his", "her", "their", "our", "it", "them", "they", "we", "he", "she", "you"}
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
_STATISTICS = re.compile(r"\bCI\b|confidence interval|\bIRR\b|\bp\s*[<=]\s*0?\.\d|\bodds ratio\b|\bSD\b")
_RANK_BEFORE = re.compile(r"\b(?:No\.|number)\s*$", re.I)
_RANK = re.compile(r"\b(?:(?:ranked|ranks|ranking|placed|finished|came|came in)\s+(?P<a>\d{1,3})(?:st|nd|rd|th)\b"
                   r"|(?P<b>\d{1,3})(?:st|nd|rd|th)\s+(?:place|position|spot)\b"
                   r"|\bNo\.\s?(?P<c>\d{1,3})\b)", re.I)


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

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "low": self.low, "high": self.high, "currency": self.currency,
                "counted": self.counted, "head": self.head, "modifiers": list(self.modifiers),
                "measure": self.measure, "owner": self.owner, "place": self.place, "scope": self.scope,
                "rate": self.rate, "change": self.change, "earlier": self.earlier}


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


def _number(digits: str | None, words: str | None) -> float:
    if digits:
        return float(digits.replace(",", ""))
    spoken = " ".join((words or "").lower().replace("-", " ").split())
    if spoken in WORD_NUMBERS:
        return float(WORD_NUMBERS[spoken])
    parts = spoken.split()
    scale = SCALES.get(parts[-1], 1.0) if len(parts) > 1 and parts[-1] in SCALES else 1.0
    if scale != 1.0:
        parts = parts[:-1]
    base = sum(float(WORD_NUMBERS.get(p, 1 if p in ("a", "one") else 0)) for p in parts)
    return base * scale


def _skip(sentence: str, match: re.Match[str]) -> bool:
    """Whether a number is a year, a date, a clock time, a rank's or a model's number, an ordinal or an age."""
    number = match.group("number")
    before = sentence[: match.start()]
    if not number:
        return False
    value = float(number.replace(",", ""))
    if _MONTHS.search(before) or re.match(r"\s*(a\.m|p\.m|am\b|pm\b|:\d)", sentence[match.end("number"):], re.I):
        return True  # a date ("Nov. 11") or a clock time ("4 a.m.")
    if (len(number) == 4 and 1000 <= value <= 2100 and not match.group("qualifier")
            and not match.group("currency") and not _scale_of(match)):
        return True  # a year
    if _DATE_AFTER.match(sentence, match.end("number")) or re.search(r"\bper\s+$|[A-Za-z]-$", before):
        return True  # "28 October"; "205 deaths per 100,000 live births" (a rate's base); "K-9", "F-16"
    if _RANK_BEFORE.search(before):
        return True  # "No. 2": a rank, read by _ranks
    after = sentence[match.end("number") :]
    if re.search(r"\d[:.]$", before) or re.match(r"\s*(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|BST|CET|ET|PT)\b", after):
        return True  # a clock time: "22:42 GMT", "2242 GMT", "2:49 autoplay"
    if re.search(r"\b(?:aged?|ages|between the ages of)\s+$|\b(?:children|kids|people|those|anyone|men|women|students|"
                 r"teens|teenagers|adults|girls|boys|youths?)\s+(?:under|over)\s+$", before, re.I):
        return True  # an age: "children under 18", "aged 5 to 11"
    if re.search(r"\S[”\"’)\]]$|[a-z][.;:!?]$", before) and not match.group("currency"):
        return True  # a note's number set against the text: 'the fulness of times.”5 Ancient principles'
    if not before.strip() and re.match(r"\s+(?:[A-Z][a-z]*\b|[A-Z]\.)", after) and not match.group("qualifier") \
            and not match.group("currency") and not _scale_of(match) and not match.group("percent"):
        return True  # a note's or a list's number opening a line: "41 The revelation ...", "5 Ancient principles"
    if re.match(r"-(?!magnitude\b|plus\b|odd\b|strong\b)[a-z]", after, re.I) or _STATISTICS.search(sentence[max(0, match.start() - 25) : match.end() + 25]):
        return True  # "a 52-page report" describes the report; "95% CI, 14% to 40%" is a statistic's bounds
    if _NOT_A_COUNT.match(sentence, match.end("number")) or re.match(r"0\d", number):
        return True  # "the 15th Street home", "a 6-year-old girl", "a 10-day search", "Duck 07"
    if (re.search(r"\b[A-Z][\w'’.-]*,\s*$", before) and re.match(r"\s*[,)]", sentence[match.end():])
            and not (match.group("qualifier") or match.group("currency") or _scale_of(match))):
        return True  # an age: "Ana Ruiz, 45, was killed"
    return False


def _scale_of(match: re.Match[str]) -> str | None:
    return match.group("scale") or match.group("short")


def _second(sentence: str, match: re.Match[str], value: float) -> tuple[re.Match[str], float, str] | None:
    """The second number of a range ("10,000 to 12,000", "4.75%-5%", "between 3 and 4 million") or
    of a ratio ("a 5-4 ruling"): (its match, its value, "range" or "ratio"); None for "from 4% to 5%"
    (a change: two figures) and for any other number that follows."""
    second = _SECOND.match(sentence, match.end())
    if not second or not match.group("number"):
        return None
    joiner = second.group("joiner").lower()
    if joiner == "and" and (match.group("qualifier") or "").lower() != "between":
        return None
    before = sentence[: match.start()]
    ranging = re.search(r"\b(?:rang(?:e|es|ed|ing)|estimates?|between)\s+from\s*$", before, re.I)
    if joiner == "to" and not ranging and (re.search(r"\bfrom\s*$", before, re.I) or _CHANGE_BEFORE.search(before)):
        return None  # "from 4% to 5%", "rose 12% to $3.4 billion": a change, two figures
    if bool(match.group("percent")) != bool(second.group("percent")) and match.group("percent"):
        return None
    if second.group("currency") and not match.group("currency") or (second.group("currency") and match.group("percent")):
        return None
    high = float(second.group("number").replace(",", ""))
    scale = _scale_of(second) or _scale_of(match)
    if scale:
        high *= SCALES[scale.lower()]
    if high > value and (joiner != ":" or match.group("percent")):
        return second, high, "range"
    plain = not (match.group("currency") or _scale_of(match) or match.group("percent") or second.group("percent"))
    if joiner in ("-", "–", ":") and plain and "." not in match.group("number") + second.group("number") and high > 0:
        return second, high, "ratio"
    return None


def _read(sentence: str, match: re.Match[str]) -> FigureMention | None:
    """One figure from its match: value, qualifier, unit, kind, a range's end, the counted words."""
    vague, fraction, ratio = match.group("vague"), match.group("fraction"), match.group("ratio")
    currency = match.group("currency") or match.group("money")
    percent = bool(match.group("percent")) or bool(fraction) or bool(ratio)
    high: float | None = None
    core_end = match.end()
    kind = "count"
    if vague:
        value = float(VAGUE[vague.lower()])
    elif fraction:
        value = FRACTIONS[" ".join(fraction.lower().split())]
    elif ratio:
        one, _, of = ratio.lower().split()
        value = 100 * (1.0 if one == "one" else float(one)) / (float(of) if of.isdigit() else WORD_NUMBERS.get(of, 10))
    else:
        value = _number(match.group("number"), match.group("words"))
        if _scale_of(match):
            value *= SCALES[_scale_of(match).lower()]
        second = _second(sentence, match, value)
        if second:
            found, other, how = second
            if how == "range":
                if not _scale_of(match) and _scale_of(found) and value < other / SCALES[_scale_of(found).lower()] + 1:
                    value *= SCALES[_scale_of(found).lower()]  # "3 to 4 million": both in millions
                high, core_end = other, found.end()
                percent = percent or bool(found.group("percent"))
                currency = currency or found.group("currency")
            else:
                value, kind, core_end = value / other, "ratio", found.end()
        if match.group("words") and not currency and not percent and not re.match(r"\s+[A-Za-z]+(?!-?\d)", sentence[core_end:]):
            return None  # a number in words counts what follows it: "seven people"; not "at seven."
    after = _AFTER.match(sentence, core_end).group(0)
    counted = None if percent or kind == "ratio" else _counted(after)
    unit = "%" if percent else (CURRENCIES.get(currency.strip().lower(), currency.strip()) if currency else None)
    end = core_end + (after.find(counted) + len(counted) if counted else 0)
    kind = "percent" if percent else "money" if currency else kind
    qualifier = (match.group("qualifier") or (vague or "")).lower() or None
    if qualifier == "between" and high is None:
        qualifier = None
    measure = None if counted and _NOT_COUNTED_PEOPLE.match(counted) else _measure(sentence, match.start(), end)
    frame = Frame(kind=kind, low=value, high=high, currency=unit if kind == "money" else None, vague=bool(vague))
    return FigureMention(value=value, text=sentence[match.start() : end], qualifier=qualifier, unit=unit,
                         counted=counted.lower() if counted else None, measure=measure, claimed_by=None,
                         start=match.start(), end=end, frame=frame, core=core_end)


# "later lowered to $550 million", "raised it to 4.5%": a new value of a figure said before it
_REVISED = re.compile(r"\b(?:lowered|raised|revised|cut|reduced|increased|lifted|trimmed|upped|slashed)\s+"
                      r"(?:[a-z]+\s+){0,2}to\s+$", re.I)
_CACHE_SIZE = 20_000
_cache: dict[str, list[FigureMention]] = {}


def figures_in(sentence: str, doc: Any = None, ranks: bool = False) -> list[FigureMention]:
    """The figures a sentence states (years, clock times and dates are left out; ranks, "No. 2", only
    when asked for), each with its frame, read from ``doc`` (spaCy's parse of the sentence) when given,
    else from a parse made now and kept (``parse_frames`` makes them in batches), else from the words."""
    kept = _cache.get(sentence) if doc is None else None
    if kept is None:
        kept = _figures(sentence, doc)
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[sentence] = kept
    # copies, since callers refine them
    return [replace(f, frame=replace(f.frame)) for f in kept if ranks or f.frame.kind != "rank"]


def worth_parsing(sentence: str) -> bool:
    """Whether the sentence has a figure whose frame the parse could make comparable: not only
    durations ("for 12 hours", "two years later") or loose figures ("dozens of")."""
    for match in _FIGURE.finditer(sentence):
        if _skip(sentence, match) or (figure := _read(sentence, match)) is None or figure.frame.vague:
            continue
        if not (figure.counted and _DURATION.match(figure.counted.split()[-1])):
            return True
    return False


_DURATION = re.compile(r"(?:hours?|days?|weeks?|months?|years?|minutes?|seconds?|decades?|centuries|times|nights?)$", re.I)


def parse_frames(sentences: list[str]) -> None:
    """Read the figures of many sentences with one batched parse (~6 ms a sentence on one core: only
    sentences with a figure worth it are parsed, once each; the rest are read from their words)."""
    wanted = list(dict.fromkeys(s for s in sentences if s not in _cache and worth_parsing(s)))
    nlp = parser_or_none() if wanted else None
    if nlp is None:
        return
    for text, doc in zip(wanted, nlp.pipe(wanted, batch_size=256)):
        figures_in(text, doc)
    for text in sentences:
        if text not in _cache:
            _cache[text] = _figures(text, None, parse=False)


def _figures(sentence: str, doc: Any, parse: bool = True) -> list[FigureMention]:
    found: list[FigureMention] = []
    taken = 0
    for match in _FIGURE.finditer(sentence):
        if match.start() < taken or _skip(sentence, match):
            continue
        figure = _read(sentence, match)
        if figure is None:
            continue
        before = sentence[: figure.start]
        if found and re.search(r"\b(up|down|rising|falling)?\s*from\s*$|\bcompared with\s*$", before):
            figure.measure = found[-1].measure  # "risen to 23, up from 14": the same measure
        figure.frame.revised = bool(found and _REVISED.search(before))
        found.append(figure)
        taken = figure.core
    found += _ranks(sentence, found)
    found.sort(key=lambda f: f.start)
    if found:
        if doc is None and parse and len(sentence) < 1000:
            nlp = parser_or_none()
            doc = nlp(sentence) if nlp is not None else None
        for i, figure in enumerate(found):
            if doc is not None:
                _frame_from_parse(sentence, doc, figure, found[:i])
            else:
                _frame_from_words(sentence, figure, found[:i])
            _time_of(sentence, figure)
            if i and figure.frame.kind == "money" and found[i - 1].frame.kind == "money" and re.fullmatch(
                    r"\s*\(\s*", sentence[found[i - 1].end : figure.start]):
                _convert(found[i - 1].frame, figure.frame)  # "3 billion Swiss francs ($3.23 billion)"
            figure.text = " ".join(sentence[figure.start : figure.end].split())  # verbatim: checked against the source
            # who the figure's own verb says counted it comes before the sentence's outer speaker
            figure.claimed_by = figure.frame.claimant or _claimant(sentence, figure.start, figure.end)
    return found


def _convert(given: Frame, converted: Frame) -> None:
    """A sum in brackets converts the one before it into another currency: it is of the same thing."""
    for name in ("head", "measure", "modifiers", "counted", "owner", "owners", "place", "places", "scope", "change"):
        setattr(converted, name, getattr(given, name))


def _ranks(sentence: str, found: list[FigureMention]) -> list[FigureMention]:
    """Ranks: "No. 3", "ranked 12th", "finished 2nd", "in 5th place"."""
    ranks = []
    for match in _RANK.finditer(sentence):
        if any(f.start <= match.start() < f.end for f in found):
            continue
        value = float(match.group("a") or match.group("b") or match.group("c"))
        start = match.start("a") if match.group("a") else match.start()
        ranks.append(FigureMention(value=value, text=sentence[start : match.end()], qualifier=None, unit=None,
                                   counted=None, measure=None, claimed_by=None, start=start, end=match.end(),
                                   frame=Frame(kind="rank", low=value), core=match.end()))
    return ranks


# verbs whose subject says or counts a figure (a claimant, not an owner), or that say nothing of
# what happened to what is counted ("an operation involving 15 tugboats"); then verbs a figure's
# subject moves by ("the toll rose to 23": the subject is what is counted)
_REPORTING = frozenset("""say tell report estimate count put give record register confirm show find tally list
    announce claim state add note cite expect project predict forecast reveal know believe experience see suffer identify
    include involve contain comprise receive attempt try work help continue begin start wait stand""".split())
# nouns a counted noun can hang from that make it another quantity: "attorneys general of 15 states",
# "a collection of 300,000 pieces" ("fuel rods in two reactors" and other places of a thing likewise)
_COLLECTIVES = frozenset("""collection group list set team series fleet network union coalition panel board council
    family chain portfolio""".split())
_QUANTIFIERS = frozenset("""half quarter third fifth tenth most some all many part share percent % majority
    minority rest remainder dozen hundred thousand million billion""".split())
_LEVEL_VERBS = frozenset("""rise climb reach hit pass top exceed surpass stand jump increase grow fall drop decline
    decrease soar surge swell mount near approach total number be become remain stay rocket balloon have slide slip
    tumble plunge sink dip rally gain sag""".split())
_BE = frozenset({"be", "remain", "stay", "become", "have", "appear", "seem", "get"})
_ESTIMATES = frozenset("""put estimate peg place set value assess raise cut lower increase reduce lift hike boost slash
    hold keep leave revise""".split())
_CONTAINERS = frozenset({"number", "total", "count", "figure", "tally", "sum", "amount", "level", "range", "band",
                         "balance"})
_OWNER_PREPS = frozenset({"of", "for", "from", "by", "belonging", "with"})
_PLACE_PREPS = frozenset({"in", "at", "inside", "across", "near", "to", "into", "throughout", "around", "on", "within"})
_NOT_NAMES = frozenset({*WEEKDAYS, "january", "february", "march", "april", "june", "july", "august", "september",
                        "october", "november", "december", "the", "a", "an", "of", "and", "'s", "’s", "mr", "ms", "mrs"})
_DEMONYMS = {"french": "france", "british": "britain", "english": "england", "dutch": "netherlands",
             "swiss": "switzerland", "welsh": "wales", "scottish": "scotland", "irish": "ireland", "turkish": "turkey",
             "german": "germany", "afghan": "afghanistan", "pakistani": "pakistan", "thai": "thailand",
             "filipino": "philippines", "greek": "greece", "spanish": "spain", "danish": "denmark",
             "swedish": "sweden", "finnish": "finland", "polish": "poland", "u.s.": "united states", "us": "united states",
             "american": "united states", "america": "united states", "uk": "britain", "u.k.": "britain"}
_SUFFIXES = ("ians", "ian", "ia", "ans", "an", "ese", "is", "i", "ish", "es", "s", "a", "e", "n")


def _stem(word: str) -> str:
    """A name's word reduced so that a country and its people meet: "Korean" and "Korea" -> "kore"."""
    word = re.sub(r"['’]s$", "", word.lower()).strip(".,")
    word = _DEMONYMS.get(word, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def names_in(text: str | None) -> tuple[str, ...]:
    """The proper names in an owner's or a place's words, each normalised: "Russia's Kursk region" ->
    ("russ", "kursk"); "the Conservatives" -> ("conservativ",)."""
    if not text:
        return ()
    runs: list[list[str]] = []
    current: list[str] = []
    for word in re.findall(r"[\w.'’-]+", text):
        bare = re.sub(r"['’]s$", "", word)
        if bare[:1].isupper() and bare.lower() not in _NOT_NAMES:
            current.append(_stem(bare))
            if bare != word:  # "Russia's": the name ends here
                runs.append(current)
                current = []
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return tuple(" ".join(run) for run in runs if run)


def same_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two owners (or places) can be the same: either is unknown, or a name of one is
    within a name of the other ("Alaska" and "Alaska Airlines"; not "United Airlines")."""
    if not a or not b:
        return True
    return any(set(x.split()) <= set(y.split()) or set(y.split()) <= set(x.split()) or _initials(x, y) or _initials(y, x)
               for x in a for y in b)


def _initials(short: str, long: str) -> bool:
    """ "SCA" and "the Suez Canal Authority": an acronym of the name's words."""
    words = long.split()
    return " " not in short and len(words) >= 2 and short == "".join(w[0] for w in words)


def same_places(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two figures' places can be the same: either names none, or both name the same ones
    (the deaths in Turkey are not those in Turkey and Syria), or both are the whole: "worldwide",
    "in both countries", or several places together ("in Turkey and Syria")."""
    return not a or not b or set(a) == set(b) or (whole(a) and whole(b))


def whole(places: tuple[str, ...] | frozenset[str]) -> bool:
    return WHOLE in places or len(places) >= 2


def _proper(token: Any) -> str | None:
    """The words of a noun phrase when it names someone or somewhere (it holds a proper noun or a
    capitalised word inside the sentence): "Russia's Kursk region", "the Conservatives"; not the
    phrases hanging from it ("the collapse of the Selvan Dam" names no one)."""
    if token.pos_ == "PRON":
        return None
    words, todo = [], [token]
    while todo:
        current = todo.pop()
        words.append(current)
        todo += [c for c in current.children if c.dep_ not in _NOT_IN_NAME and abs(c.i - token.i) <= 6]
    if any(t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0 and t.pos_ in ("ADJ", "NOUN")) for t in words):
        ordered = sorted(words, key=lambda t: t.i)
        text = "".join(t.text + (t.whitespace_ if t.i + 1 in {w.i for w in ordered} else " ") for t in ordered)
        return re.sub(r"\s+(['’]s)\b", r"\1", " ".join(text.split()))
    return None


_NOT_IN_NAME = frozenset({"det", "punct", "cc", "conj", "prep", "relcl", "acl", "appos", "nummod", "quantmod", "advmod"})


def _cls(noun: Any) -> str:
    word = lemma(noun) if noun.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "NUM") else noun.lower_
    return _CLASS_OF.get(word, word)


def _modifier_tokens(noun: Any, first: int = 0) -> list[Any]:
    """The words before a noun that belong to it (compounds, adjectives, their own modifiers), from
    token ``first`` on (after the number: "an estimated 3,000 homes" counts homes)."""
    taken = []
    for child in reversed([c for c in noun.lefts if c.i >= first]):
        if child.dep_ in ("compound", "amod", "nmod", "npadvmod") and child.pos_ not in ("NUM", "PRON", "DET"):
            taken += [t for t in child.subtree if (t.pos_ not in ("NUM", "PUNCT", "DET") or t.text == "-")
                      and t.dep_ not in ("quantmod",)]
        elif child.dep_ not in ("nummod", "quantmod", "det", "poss", "punct", "advmod", "case"):
            break
    return sorted(taken, key=lambda t: t.i)


_BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being", "'s", "’s", "'re", "remain", "remains",
                       "remained", "stay", "stays", "stayed"})
_HAVE_FORMS = frozenset({"has", "have", "had", "having"})


def _verb(token: Any) -> str:
    """A verb's lemma, with the forms of "be" and "have" (which the rule lemmatizer leaves as they are)."""
    return "be" if token.lower_ in _BE_FORMS else "have" if token.lower_ in _HAVE_FORMS else lemma(token)


_PHRASES = {"gross domestic product": "gdp", "gdp": "gdp"}


def _joined(tokens: list[Any]) -> list[Any]:
    """Modifier tokens with words written as one ("hydro-electric", "K-9") read as one token: the
    last of the run stands for it, its lemma and text made of the whole."""
    out: list[Any] = []
    for t in tokens:
        if out and not out[-1].whitespace_ and out[-1].i == t.i - 1 and (t.text == "-" or out[-1].text.endswith("-")):
            out[-1] = _Word(out[-1].text + t.text, t)
        else:
            out.append(t)
    return [t for t in out if t.text != "-"]


class _Word:
    """A run of tokens written as one word, standing in for its last token."""

    def __init__(self, text: str, last: Any) -> None:
        self.text, self.pos_, self.tag_, self.dep_, self.i = text, last.pos_, last.tag_, last.dep_, last.i
        self.lower_, self.whitespace_ = text.lower(), last.whitespace_


_IDIOMS = {("lose", "job"): "cut", ("lose", "life"): "deaths", ("lose", "home"): "evacuated or displaced",
           ("let", "go"): "cut", ("lay", "off"): "cut", ("take", "hospital"): "hospitalised"}


def _verb_measure(verb: Any) -> str:
    """The measure a verb names, reading idioms by the verb's object or particle: "lost their jobs"
    is a cut, "lost their lives" deaths, "were let go" a cut."""
    word = _verb(verb)
    for child in verb.children:
        other = lemma(child) if child.dep_ in ("dobj", "prt", "xcomp", "ccomp") else None
        if child.dep_ == "prep":
            other = next((lemma(o) for o in child.children if o.dep_ == "pobj"), None)
        if (word, other) in _IDIOMS:
            return _IDIOMS[(word, other)]
    return _measure_word(verb)


_DIMENSIONS = frozenset({"distance", "depth", "height", "length", "width", "altitude", "range", "weight", "speed", "size"})


def _unit_measure(noun: Any) -> str | None:
    """What a figure in units measures: the doing it is the distance or depth of ("shot an insurgent
    from a distance of 2,286 metres": shoot), else the dimension named ("a depth of 18 km")."""
    token, dimension = noun, None
    for _ in range(3):
        if token.dep_ != "pobj" or token.head.dep_ not in ("prep", "agent"):
            break
        holder = token.head.head
        if holder.pos_ == "NOUN" and lemma(holder) in _DIMENSIONS:
            dimension, token = lemma(holder), holder
            continue
        if holder.pos_ == "VERB" and _verb(holder) not in _REPORTING and _verb(holder) not in _BE:
            return _verb_measure(holder)
        break
    return dimension


def _measure_word(token: Any) -> str:
    """The measure a word names: "killed", "dead" and "died" are deaths; other words are themselves."""
    word = _verb(token) if token.pos_ in ("VERB", "AUX") else lemma(token)
    return _MEASURE_OF.get(token.lower_) or _MEASURE_OF.get(word) or word


def _facts(noun: Any, frame: Frame, first: int = 0, clause: Any = None) -> None:
    """What the counted noun tells: its head, modifiers, owner, place and measure; the verb it is the
    subject or object of (or the one the figure itself is, ``clause``: "$92 billion in deposits" is
    the object of "acquired") says what happened to them and can name the owner."""
    word = lemma(noun)
    modifiers = _modifier_tokens(noun, first)
    frame.counted = " ".join(t.text for t in [*modifiers, noun])
    frame.counted = re.sub(r"\s+(['’]s)\b", r"\1", frame.counted)
    phrase = " ".join([*(lemma(t) for t in modifiers), word]).lower()
    if word in _MEASURE_NOUNS:
        frame.measure, frame.head = _MEASURE_NOUNS[word], None
    else:
        frame.head = _cls(noun)
    for words, name in _PHRASES.items():  # "gross domestic product" is GDP
        if phrase.endswith(words):
            frame.head, modifiers = name, modifiers[: len(modifiers) - len(words.split()) + 1]
    closed = [t for t in modifiers if t.dep_ == "compound" and t.pos_ == "NOUN" and t.i == noun.i - 1 and t.whitespace_
              and frame.head == _cls(noun) and lemma(t) not in _MEASURE_OF and not t.text[:1].isupper()]
    if closed:  # "tug boats" are tugboats
        frame.head, modifiers = lemma(closed[0]) + frame.head, [t for t in modifiers if t is not closed[0]]
    owners: list[str] = []
    kept: list[str] = []
    run: list[str] = []
    if word == "other":
        kept.append("other")  # "two others" are some besides those counted already
    for t in _joined([t for t in modifiers if t.dep_ != "case"]):
        if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0) or t.text.isupper() and len(t.text) > 1:
            run.append(t.text)
            continue
        if run:
            owners.append(" ".join(run))
            run = []
        low = t.lower_ if isinstance(t, _Word) else lemma(t)
        if not isinstance(t, _Word) and (t.tag_ == "VBN" or low in _MEASURE_NOUNS):
            frame.measure = frame.measure or _measure_word(t)  # "cancelled flights", "death toll"
        elif low not in _LIGHT_MODIFIERS and t.dep_ != "advmod":
            kept.append(low.replace("-", ""))
    if run:
        owners.append(" ".join(run))
    frame.modifiers = tuple(sorted(kept))
    places: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss" and (name := _proper(child)):
            owners.append(name)
        elif child.dep_ == "prep":
            objects = [o for o in child.children if o.dep_ == "pobj"]
            objects += [c for o in objects for c in o.conjuncts]
            for obj in objects:
                if child.lower_ in _OWNER_PREPS and (name := _proper(obj)) and names_in(name):
                    owners.append(name)
                elif child.lower_ in _PLACE_PREPS and (name := _place(obj)):
                    places.append(name)
        elif child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "ADJ", "AUX"):
            if _verb(child) in _REPORTING or _verb(child) == "identify":
                frame.claimant = frame.claimant or next(
                    (name for c in child.children if c.dep_ == "agent" for o in c.children
                     if o.dep_ == "pobj" and (name := _who(o))), None)  # "29 deaths confirmed by BuzzFeed"
            elif frame.measure is None and _verb(child) not in _LEVEL_VERBS and (child.dep_ == "acl" or any(
                    c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that", "which") for c in child.children)):
                complement = next((c for c in child.children if c.dep_ in ("oprd", "acomp") and lemma(c) in _MEASURE_OF),
                                  None)  # "people made homeless"
                frame.measure = _MEASURE_OF[lemma(complement)] if complement is not None else _verb_measure(child)
            if child.dep_ == "acl":
                owners += [name for c in child.children if c.dep_ == "agent" for o in c.children
                           if o.dep_ == "pobj" and (name := _proper(o)) and _verb(child) not in _REPORTING
                           and _verb(child) not in _MEASURE_OF]  # "made by Novartis"; "killed by the flood" is a cause
    if frame.head in UNIT_HEADS and frame.measure is None:
        frame.measure = _unit_measure(noun)
    else:
        _role(noun, frame)
        if frame.measure is None and noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
            doing = noun.head.head  # "ads running in nine states"
            if _verb(doing) not in _REPORTING and _verb(doing) not in _BE and _verb(doing) not in _LEVEL_VERBS:
                frame.measure = _verb_measure(doing)
    if clause is None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and lemma(noun.head.head) in _CONTAINERS:
        clause = noun.head.head  # "a total of 27 people were taken": the total's verb
    clause = clause if clause is not None else noun
    while clause.dep_ == "conj" and clause.head.pos_ in ("NOUN", "NUM", "PROPN", "SYM"):
        clause = clause.head  # "$173 billion of loans ... and $92 billion in deposits": both acquired
    verb = clause.head if clause.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj") else None
    if verb is not None and verb.pos_ in ("VERB", "AUX") and verb.i != clause.i:
        verb_lemma = _verb(verb)
        if frame.measure is None:
            if verb_lemma in _BE:
                for c in verb.children:
                    if c.dep_ in ("acomp", "attr", "oprd") and c.i != clause.i:
                        frame.measure = _MEASURE_OF.get(c.lower_) or _MEASURE_OF.get(lemma(c)) or (
                            lemma(c) if c.dep_ == "acomp" and c.pos_ == "ADJ" else None)  # "were supportive"
                    elif c.dep_ == "prep" and c.lower_ == "in":
                        shelter = [o for o in c.children if o.dep_ == "pobj" and lemma(o) in ("shelter", "hospital")]
                        if shelter:
                            frame.measure = _MEASURE_OF.get(lemma(shelter[0]), "hospitalised")
            elif verb_lemma in _REPORTING and clause.dep_ == "nsubjpass" and verb_lemma not in ("say", "tell"):
                # "20 people were reported killed"; "131 suspects had been identified" (an act of its own)
                said = next((c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp")), None)
                frame.measure = _verb_measure(said) if said is not None else verb_lemma
            elif verb_lemma not in _REPORTING and verb_lemma not in _LEVEL_VERBS:
                complement = next((c for c in verb.children if c.dep_ in ("oprd", "acomp") and lemma(c) in _MEASURE_OF), None)
                frame.measure = _MEASURE_OF[lemma(complement)] if complement is not None else _verb_measure(verb)
            elif verb_lemma in _LEVEL_VERBS and clause.dep_ in ("dobj", "attr"):
                holder = next((c for c in verb.children if c.dep_ == "nsubj"), verb.head if verb.dep_ == "acl" else None)
                if holder is not None and lemma(holder) in _MEASURE_OF:
                    frame.measure = _MEASURE_OF[lemma(holder)]  # "an outbreak totaling 38 people"
        if (verb_lemma in _REPORTING or verb_lemma == "identify") and clause.dep_ == "dobj":
            frame.claimant = next((name for c in verb.children if c.dep_ == "nsubj"
                                   and (name := _who(_antecedent(c)))), None)  # "PETA identified 20 deaths"
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS:
                objects = [o for o in c.children if o.dep_ == "pobj"]
                places += [name for o in objects + [x for o in objects for x in o.conjuncts] if (name := _place(o))]
            elif c.dep_ == "agent":
                owners += [name for o in c.children if o.dep_ == "pobj" and (name := _proper(o))]
            elif (c.dep_ == "nsubj" and clause.dep_ == "dobj" and verb_lemma not in _REPORTING
                  and (verb_lemma not in _LEVEL_VERBS or verb_lemma == "have") and (name := _proper(_antecedent(c)))):
                owners.append(name)  # "Labour won 412 seats"; "the Islamist attack that killed 86 people"
            elif (c.dep_ == "nsubj" and frame.head in UNIT_HEADS and frame.measure is None and verb_lemma in _LEVEL_VERBS
                  and c.pos_ == "NOUN"):
                frame.measure = _measure_word(c)  # "inflow reached 2,600 cubic metres": a measure of inflow
    _set_owner_place(frame, owners, places)


def _who(token: Any) -> str | None:
    """Who a noun phrase names: its own proper words, or a name set beside it ("the animal rights
    group PETA")."""
    name = _proper(token) or next((name for c in token.children if c.dep_ in ("appos", "compound")
                                   and c.pos_ == "PROPN" and (name := _proper(c))), None)
    first = token.left_edge
    article = first.text if first.dep_ == "det" and first.lower_ == "the" else None
    return f"{article} {name}" if name and article and not name.lower().startswith("the ") else name


def _antecedent(token: Any) -> Any:
    """What a relative pronoun stands for: in "the attack that killed 86", "that" is the attack."""
    if token.lower_ in ("that", "which", "who") and token.head.dep_ == "relcl":
        return token.head.head
    return token


def _role(noun: Any, frame: Frame) -> None:
    """A counted noun hanging from another noun by a preposition counts something else than the noun
    alone: "fuel rods in two reactors", "attorneys general of 15 states", "a collection of 300,000
    pieces" (a modifier says so); "the evacuation of 12,000 residents" names the measure instead."""
    if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
        return
    prep, holder = noun.head.lower_, noun.head.head
    if holder.pos_ not in ("NOUN", "PROPN") or lemma(holder) in _CONTAINERS or lemma(holder) in _QUANTIFIERS:
        return
    word = lemma(holder)
    if word in _MEASURE_OF:
        frame.measure = frame.measure or _MEASURE_OF[word]
    elif prep in ("in", "at", "inside", "within", "aboard", "with") or (
            prep == "of" and (word in PERSON_NOUNS or word in _CLASS_OF or word in _COLLECTIVES)):
        frame.modifiers = tuple(sorted({*frame.modifiers, f"{word} {prep}"}))


def _place(token: Any) -> str | None:
    """A place a preposition names: a proper name, or the one a part of it is named by ("parts of
    Syria", "the province of Hatay")."""
    name = _proper(token)
    if name is None and token.pos_ == "NOUN":
        inner = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for o in c.children if o.dep_ == "pobj"), None)
        name = _proper(inner) if inner is not None else None
    return name if name and names_in(name) else None


def _set_owner_place(frame: Frame, owners: list[str], places: list[str]) -> None:
    if owners:  # one text for each name: "Wal-Mart" and "Wal-Mart’s" are one
        texts = {names_in(o): re.sub(r"['’]s$", "", o) for o in reversed(owners)}
        frame.owner = " and ".join(dict.fromkeys(texts[names_in(o)] for o in owners))
        frame.owners = tuple(dict.fromkeys(n for o in owners for n in names_in(o)))
    if places:
        frame.place = " and ".join(dict.fromkeys(places))
        frame.places = tuple(dict.fromkeys(n for p in places for n in names_in(p)))


def _frame_from_parse(sentence: str, doc: Any, figure: FigureMention, before: list[FigureMention]) -> None:
    """The frame from the parse: the noun the figure counts (the head its number modifies, "of" what
    it is a share, or the subject a toll or a rate is given for), then that noun's facts."""
    frame = figure.frame
    core = [t for t in doc if figure.start <= t.idx < figure.core]
    if not core:
        return _frame_from_words(sentence, figure, before)
    inside = {t.i for t in core}
    anchor = next((t for t in reversed(core) if t.head.i not in inside or t.head.i == t.i), core[-1])
    noun = None
    if anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "appos") and anchor.head.pos_ in ("NOUN", "PROPN") \
            and anchor.head.i not in inside and (anchor.head.i > anchor.i or frame.kind != "count"):
        noun = anchor.head
    part = via = False
    container = None
    for child in anchor.children if noun is None else ():
        if child.dep_ == "prep" and child.lower_ in ("of", "in") and (frame.kind != "count" or child.lower_ == "of"):
            noun = next((o for o in child.children if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN")), None)
            if noun is not None:
                via = True
                # "16 of its staff members", "three of the robberies": a part of a whole
                part = frame.kind == "count" and not frame.vague and any(
                    c.dep_ in ("det", "poss", "nummod") for c in noun.children)
                break
    if (noun is None and anchor.dep_ == "pobj" and anchor.head.head.pos_ == "NOUN"
            and (anchor.head.lower_ == "of" or anchor.head.lower_ == "for" and frame.kind == "money")):
        noun = anchor.head.head  # "a toll of 23", "a loss of $320 million", "a claim for $916 million"
    if noun is None:
        noun = _subject_measured(anchor)
    if noun is not None and lemma(noun) in _CONTAINERS:
        inner = next((o for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                      for o in c.children if o.dep_ == "pobj" and o.pos_ != "NUM" and o.i not in inside), None)
        if inner is None and lemma(noun) in ("range", "band", "level") and noun.dep_ == "pobj":
            holder = noun.head.head  # "held its benchmark rate in a range of 4.75%-5%"
            inner = holder if holder.pos_ == "NOUN" else next(
                (c for dep in ("dobj", "nsubjpass", "nsubj") for c in holder.children if c.dep_ == dep
                 and c.pos_ == "NOUN"), None)
        if inner is not None:
            container, noun = noun, inner  # "the number of people killed": people
        elif not any(c.dep_ in ("acl", "relcl") for c in noun.children):
            noun = None  # "the figure", "the total": what it refers back to is read by the caller
    if noun is not None and lemma(noun) in _CONTAINERS and noun.pos_ == "NOUN" and not any(
            c.dep_ == "compound" and c.pos_ == "NOUN" for c in noun.children):
        frame.measure = next((_measure_word(c) for c in noun.children if c.dep_ in ("acl", "relcl")), None)
        noun = None  # "the number killed": a measure without a counted noun
    if noun is not None and lemma(noun) in _CONTAINERS and noun.pos_ == "NOUN":
        compound = next((c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
        noun = compound or noun  # "deposit balances totaling $89 billion": deposits
    if noun is not None:
        _facts(noun, frame, anchor.i + 1 if noun.i > anchor.i else 0, anchor if via else container)
        if part:
            frame.modifiers = tuple(sorted({*frame.modifiers, "a part"}))
        if noun.i > anchor.i and frame.kind == "count" and noun.idx >= figure.core:
            between = doc.text[figure.core : noun.idx]
            if len(between.split()) <= 4 and "," not in between:
                figure.end = max(figure.end, noun.idx + len(noun.text))  # "about 8,000 North Korean soldiers"
                figure.counted = _compatible_counted(frame.counted)
    else:
        verb = anchor.head if anchor.dep_ in ("dobj", "nsubj", "nsubjpass") else None
        owners = [name for c in verb.children if c.dep_ == "nsubj" and (name := _proper(c))] \
            if verb is not None and anchor.dep_ == "dobj" and _verb(verb) not in _REPORTING else []
        if frame.measure is not None or verb is None:
            pass
        elif _verb(verb) in _BE:
            frame.measure = next((_MEASURE_OF.get(c.lower_) or _MEASURE_OF.get(lemma(c))
                                  for c in verb.children if c.dep_ in ("acomp", "attr")), None)
        elif _verb(verb) not in _REPORTING and _verb(verb) not in _LEVEL_VERBS:
            frame.measure = _verb_measure(verb)
        places = [name for c in anchor.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS
                  for o in c.children if o.dep_ == "pobj" and (name := _proper(o)) and names_in(name)]
        _set_owner_place(frame, owners, places)  # "... and 400 in Norland"
    _magnitude(doc, anchor, frame)
    _finish(sentence, figure, before)


_QUAKES = frozenset({"earthquake", "quake", "tremor", "temblor", "aftershock", "shock", "eruption"})
_LATER = frozenset({"second", "third", "new", "later", "subsequent", "another", "fresh", "fourth"})


def _magnitude(doc: Any, anchor: Any, frame: Frame) -> None:
    """An earthquake's magnitude ("a 7.8 magnitude earthquake", "a magnitude of 7.9", "a 6.7
    aftershock") is a quantity of its own, one per quake: an aftershock or "a second" quake is another."""
    window = doc[max(0, anchor.i - 4) : anchor.i + 4]
    quake = next((t for t in window if lemma(t) in _QUAKES), None)
    said = any(t.lower_ in ("magnitude", "richter") or t.lower_.endswith("-magnitude") for t in window)
    decimal = "." in anchor.text
    if frame.kind != "count" or frame.low >= 10 or not (said or (decimal and quake is not None and quake.i > anchor.i)):
        return
    frame.head, frame.counted, frame.measure = "magnitude", "magnitude", None
    if quake is None:
        quake = next((t for t in doc[anchor.i : anchor.i + 12] if lemma(t) in _QUAKES), None)
    later = quake is not None and any(lemma(t) in _LATER for t in quake.children if t.i < quake.i)
    which = {"later"} if later else set()
    if quake is not None and lemma(quake) == "aftershock":
        which.add("aftershock")
    frame.modifiers = tuple(sorted(which))
    frame.owners, frame.owner, frame.places, frame.place = (), None, (), None  # "on the Richter scale" is no place


def _subject_measured(anchor: Any) -> Any:
    """The noun a bare figure is the level of: "the death toll rose to 23", "unemployment stood at
    4.2%", "The toll is 23": the subject of the verb the figure completes."""
    verb = anchor.head
    if anchor.dep_ == "pobj":
        verb = anchor.head.head
    elif anchor.dep_ not in ("dobj", "attr", "npadvmod", "advmod"):
        return None
    if verb.pos_ in ("VERB", "AUX") and _verb(verb) in _ESTIMATES and anchor.dep_ == "pobj":
        # "put the damage at $800 million", "raised its rate to 4.5%"
        return next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    if verb.pos_ not in ("VERB", "AUX") or _verb(verb) not in _LEVEL_VERBS:
        return None
    # the subject nearest the verb (a dateline, "MILLBROOK FALLS, ... —", can be taken for another)
    subject = min((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: abs(verb.i - c.i),
                  default=None)
    if subject is None and verb.dep_ in ("xcomp", "conj", "advcl"):
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "acl":
        subject = verb.head  # "deposit balances totaling $89.17 billion"
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    return subject


def _compatible_counted(counted: str | None) -> str | None:
    """The counted words as ``FigureMention.counted`` has them: lower case, without "new" or "more"."""
    if not counted:
        return None
    words = counted.split()
    while len(words) > 1 and words[0].lower() in _LEADING_ADJECTIVES:
        words = words[1:]
    return " ".join(words).lower()


def _frame_from_words(sentence: str, figure: FigureMention, before: list[FigureMention]) -> None:
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
        figure.counted = _compatible_counted(run.group(2))
    elif figure.counted:
        frame.counted = figure.counted
    if frame.counted:
        last = frame.counted.split()[-1].lower()
        single = re.sub(r"(?<=[^s])s$", "", last) if last not in _PLURALS else last
        word = {"people": "people", "men": "man", "women": "woman", "children": "child"}.get(last, single)
        frame.measure = _MEASURE_NOUNS.get(word)
        frame.head = None if frame.measure else _CLASS_OF.get(word, word)
    _finish(sentence, figure, before)


def _finish(sentence: str, figure: FigureMention, before: list[FigureMention]) -> None:
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


_OPENING_YEAR = re.compile(r"\W*in (?:19|20)\d\d,", re.I)  # "In 2015, the deficit was 16 per cent of GDP"
_OTHER_EVENT = re.compile(r"^\W*in (?:another|a separate|an earlier|a previous|an unrelated) [a-z]+", re.I)
_EVENT_YEAR = re.compile(r"\bthe (?:19|20)\d\d (?=[a-z])")  # "the 2011 earthquake that killed 18,400 people"
_YEAR = re.compile(r"\b(?:in|of|for|during|by|the)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)['’]s\b")
_SCOPE = re.compile(r"\b(last|this|next|the previous|the past) (year|month|week|quarter|season|decade)\b|\b(a|one) "
                    r"(year|month|week) (?:earlier|ago|before)\b|\bin the (first|second|third|fourth) quarter\b|"
                    r"\b(?:its|their|the) (?:first|opening) (?:day|week|weekend|month|year)\b|\bopening (?:day|weekend)\b|"
                    r"\bsince (?:(?:19|20)\d\d|the \d{4}s)\b|"
                    r"\bin (?:another|a separate|a second|an earlier|a later|a previous|an unrelated) [a-z]+", re.I)
_RATE = re.compile(r"^\s*(?:(?:a|per|each|every)\s+(day|week|month|year|hour|minute|capita|person|head|night)\b"
                   r"|(daily|weekly|monthly|annually|yearly|a year|an hour|a day)\b)", re.I)
_EARLIER_BEFORE = re.compile(r"(?:\b(?:up|down|rising|falling|increased|decreased|rose|fell|climbed|jumped|dropped)"
                             r"\s+)?\bfrom\s*$|\b(?:compared (?:with|to)|versus|vs\.?|previously|originally|initially|"
                             r"(?:earlier|previous|initial|original) (?:estimate|figure|toll|count) of)\s*$", re.I)
_EARLIER_AFTER = re.compile(r"^\s*(?:a (?:year|month|week|day) (?:earlier|ago|before)|the (?:previous|prior|day|week|year) "
                            r"\w+|previously|earlier|before the)\b", re.I)
_CHANGE_BEFORE = re.compile(r"\b(?:by|up|down|rose|fell|gained|grew|increased|decreased|jumped|climbed|dropped|declined|"
                            r"slipped|slid|plunged|soared|surged|rising|falling)\s+$", re.I)
_CHANGE_AFTER = re.compile(r"^\s*(?:rise|increase|drop|decline|gain|fall|jump|cut|hike|reduction|decrease|boost|"
                           r"growth|higher|lower|more|less|fewer)\b", re.I)


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The words of the figure's clause before and after it."""
    head = re.split(r"[,;:]|\s(?:and|but|while|whereas)\s", sentence[:start])[-1]
    tail = re.split(r"[,;:]|\s(?:and|but|while|whereas)\s", sentence[end:])[0]
    return head, tail


def _time_of(sentence: str, figure: FigureMention) -> None:
    """The time a figure is of: a year, "last year" or "its first week" in its clause; a rate ("a
    day", "each year"); a change ("up 5%") or an addition ("14 more") rather than a
    level; a value from before ("up from 14", "compared with 9,000 a year ago"). ("Another 3,317 in
    Syria" is no addition: "another" mostly adds another place or kind to a list.)"""
    frame = figure.frame
    head, tail = _clause(sentence, figure.start, figure.end)
    event = (_EVENT_YEAR.search(sentence[: figure.start]) or _OTHER_EVENT.search(sentence[: figure.start])
             or _OPENING_YEAR.match(sentence[: figure.start]))
    for text in (tail, head, event.group(0) if event else ""):
        year, scope = _YEAR.search(text), _SCOPE.search(text)
        if year or scope:
            frame.scope = (year.group(1) or year.group(2)) if year else " ".join(scope.group(0).lower().split())
            break
    if not frame.places and (_WHOLE.search(tail) or _WHOLE.search(head[-40:])):
        frame.places, frame.place = (WHOLE,), "all"  # "37 million albums worldwide": everywhere
    rate = _RATE.match(sentence, figure.end) or _RATE.match(re.sub(r"^\s*of\s+\w+", "", tail)) or _RATE_LATER.search(tail)
    if rate:
        frame.rate = " ".join(rate.group(0).lower().split())
    before = sentence[: figure.start]
    frame.earlier = bool(_EARLIER_BEFORE.search(before) or _EARLIER_AFTER.match(sentence, figure.end)
                         or frame.scope in _EARLIER_SCOPES)
    if frame.scope in _EARLIER_SCOPES:
        frame.scope = None  # "a year earlier" says the value is old, not which year
    change_words = _CHANGE_BEFORE.search(before) and not re.search(r"\b(?:lost|by)\s+$", before, re.I) or \
        re.search(r"\bby\s+$", before, re.I)
    frame.change = bool(change_words and not re.search(r"\bto\s+$", before)) or bool(
        frame.kind in ("percent", "money") and _CHANGE_AFTER.match(sentence, figure.end)) or bool(
        re.match(r"\s+more\b", sentence[figure.core :]))  # "14 more people": an addition, not a level


WHOLE = "*"  # the place of a figure given for everywhere: "worldwide", "in total"
_WHOLE = re.compile(r"\b(?:worldwide|globally|around the (?:world|globe)|across the (?:world|globe|country)|"
                    r"nationwide|in total(?!\s+[a-z])|in all(?!\s+[a-z])|overall|combined|altogether|"
                    r"in both (?:countries|nations|states|provinces|regions|cities))\b", re.I)
_EARLIER_SCOPES = frozenset({"last year", "the previous year", "a year earlier", "a year ago", "one year ago",
                             "a month earlier", "a month ago", "a week earlier", "a week ago"})
_RATE_LATER = re.compile(r"\b(?:each|every|per)\s+(?:day|week|month|year|night)\b|\b(?:daily|weekly|monthly|annually|"
                         r"yearly)\b", re.I)


# units of measure: what such a figure measures is named elsewhere ("inflow reached 2,600 cubic metres")
UNIT_HEADS = frozenset("""metre meter kilometre kilometer km mile foot feet inch tonne ton hectare acre litre liter
    gallon barrel degree kilogram kg pound point centimetre centimeter millimetre millimeter cm mm watt megawatt
    gigawatt kilowatt volt yard knot mph""".split())
# counted nouns of time: ages and durations are not quantities a story's sources dispute
_TIME_HEADS = frozenset({"hour", "day", "week", "month", "year", "minute", "second", "decade", "century", "time",
                         "night", "percent"})
GENERIC_HEADS = frozenset({"people"})


def countable(frame: Frame) -> bool:
    """Whether a figure says enough of what it counts to be compared with another: a counted noun
    (with a measure when the noun is just "people"), or a measure of its own ("the toll rose to 23")."""
    if frame.vague or frame.kind == "rank" and frame.head is None:
        return False
    if frame.head in _TIME_HEADS or (frame.head is not None and not re.fullmatch(r"[a-z][a-z-]{2,}", frame.head)):
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
    if (a.kind, a.currency, a.change, a.modifiers) != (b.kind, b.currency, b.change, b.modifiers):
        return False
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


def agree(a: FigureMention, b: FigureMention) -> bool:
    """Whether two values of one quantity are the same figure, allowing for rounding: "about 10,000"
    and "10,300" agree; "about 12,000" and "more than 15,000" do not; a range agrees with the values it
    holds ("82 to 94 percent" and "90 percent"), and with another range only alike."""
    for one, other in ((a, b), (b, a)):
        if one.frame.high is not None and other.frame.high is None:
            return one.frame.low <= other.frame.low <= one.frame.high
    ends = [(a.frame.low, b.frame.low), (a.frame.high or a.frame.low, b.frame.high or b.frame.low)]
    return all(abs(x - y) <= max(tolerance(a, x), tolerance(b, y)) + 1e-9 * max(abs(x), abs(y)) for x, y in ends)
