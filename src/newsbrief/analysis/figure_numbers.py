"""Numbers as news writes them: digits with scales and currencies ("$1.2 billion", "10k"), words
("seventeen", "a dozen", "half a million"), shares ("a quarter of", "one in five"), loose quantities
("dozens of"), ranges ("10,000 to 12,000", "4.75%-5%"), ratios ("a 5-4 ruling") and ranks ("No. 3");
and the numbers that are no figure at all: years, dates, clock times, ages, notes' numbers."""

from __future__ import annotations

import re

from .dates import MONTH, WEEKDAYS

QUALIFIERS = (
    "approximately", "about", "around", "roughly", "nearly", "almost", "up to", "at least", "more than",
    "over", "fewer than", "less than", "some", "an estimated", "as many as", "at most", "close to", "just over",
    "just under", "upwards of", "in excess of", "between",
)
# qualifiers that make a figure a rounded estimate: it agrees with values within ROUNDING of it
APPROXIMATE = frozenset({"approximately", "about", "around", "roughly", "nearly", "almost", "some", "an estimated",
                         "close to", "just over", "just under"})
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
FIGURE = re.compile(
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
_DATE_AFTER = re.compile(rf"\s+{MONTH}(?![a-z])(?!\s+(?:of|in)\b)|\s+(?:{'|'.join(WEEKDAYS)})\b", re.I)
# what a figure counts when it is not people: such figures measure no toll ("12 hours", "19 miles")
_NOT_A_COUNT = re.compile(r"(?:st|nd|rd|th)\b|-\s*(?:year|month|week|day|hour|minute|second)s?\b", re.I)
_MONTHS = re.compile(rf"\b{MONTH}\s*$", re.I)
_STATISTICS = re.compile(r"\bCI\b|confidence interval|\bIRR\b|\bp\s*[<=]\s*0?\.\d|\bodds ratio\b|\bSD\b")
_RANK_BEFORE = re.compile(r"\b(?:No\.|number)\s*$", re.I)
RANK = re.compile(r"\b(?:(?:ranked|ranks|ranking|placed|finished|came|came in)\s+(?P<a>\d{1,3})(?:st|nd|rd|th)\b"
                   r"|(?P<b>\d{1,3})(?:st|nd|rd|th)\s+(?:place|position|spot)\b"
                   r"|\bNo\.\s?(?P<c>\d{1,3})\b)", re.I)


CHANGE_BEFORE = re.compile(r"\b(?:by|up|down|rose|fell|gained|grew|increased|decreased|jumped|climbed|dropped|declined|"
                            r"slipped|slid|plunged|soared|surged|rising|falling)\s+$", re.I)


def value_of(digits: str | None, words: str | None) -> float:
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


def not_a_figure(sentence: str, match: re.Match[str]) -> bool:
    """Whether a number is a year, a date, a clock time, a rank's or a model's number, an ordinal or an age."""
    number = match.group("number")
    before = sentence[: match.start()]
    if not number:
        return False
    value = float(number.replace(",", ""))
    if _MONTHS.search(before) or re.match(r"\s*(a\.m|p\.m|am\b|pm\b|:\d)", sentence[match.end("number"):], re.I):
        return True  # a date ("Nov. 11") or a clock time ("4 a.m.")
    if (len(number) == 4 and 1000 <= value <= 2100 and not match.group("qualifier")
            and not match.group("currency") and not scale_of(match)):
        return True  # a year
    if _DATE_AFTER.match(sentence, match.end("number")) or re.search(r"\bper\s+$|[A-Za-z]-$", before):
        return True  # "28 October"; "205 deaths per 100,000 live births" (a rate's base); "K-9", "F-16"
    if _RANK_BEFORE.search(before):
        return True  # "No. 2": a rank, read by _ranks
    after = sentence[match.end("number") :]
    if re.search(r"\d[:.]$", before) or re.match(r"\s*(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|BST|CET|ET|PT)\b", after):
        return True  # a clock time: "22:42 GMT", "2242 GMT", "2:49 autoplay"
    if re.match(r"[A-Za-z]", after) and not scale_of(match) and not _NOT_A_COUNT.match(after):
        return True  # a name's number written against its letters: "9NEWS", "3M" (not "15th", "5m", "2bn")
    if re.search(r"\b(?:dead|died|dies|death)\s+at\s+$|\b(?:in age|ages?)\s+(?:from\s+|of\s+|between\s+)?"
                 r"(?:\d+\s*(?:to|and|-|–)\s*)?$", before, re.I):
        return True  # an age: "dead at 45", "ranged in age from 39 to 60"
    if re.search(r"\b(?:aged?|ages|between the ages of)\s+$|\b(?:children|kids|people|those|anyone|men|women|students|"
                 r"teens|teenagers|adults|girls|boys|youths?)\s+(?:under|over)\s+$", before, re.I):
        return True  # an age: "children under 18", "aged 5 to 11"
    if re.search(r"\S[”\"’)\]]$|[a-z][.;:!?]$", before) and not match.group("currency"):
        return True  # a note's number set against the text: 'the fulness of times.”5 Ancient principles'
    if not before.strip() and re.match(r"\s+(?:[A-Z][a-z]*\b|[A-Z]\.)", after) and not match.group("qualifier") \
            and not match.group("currency") and not scale_of(match) and not match.group("percent"):
        return True  # a note's or a list's number opening a line: "41 The revelation ...", "5 Ancient principles"
    if re.match(r"-(?!magnitude\b|plus\b|odd\b|strong\b)[a-z]", after, re.I) or _STATISTICS.search(sentence[max(0, match.start() - 25) : match.end() + 25]):
        return True  # "a 52-page report" describes the report; "95% CI, 14% to 40%" is a statistic's bounds
    if _NOT_A_COUNT.match(sentence, match.end("number")) or re.match(r"0\d", number):
        return True  # "the 15th Street home", "a 6-year-old girl", "a 10-day search", "Duck 07"
    if (re.search(r"\b[A-Z][\w'’.-]*,\s*$", before) and re.match(r"\s*[,)]", sentence[match.end():])
            and not (match.group("qualifier") or match.group("currency") or scale_of(match))):
        return True  # an age: "Ana Ruiz, 45, was killed"
    return False


def scale_of(match: re.Match[str]) -> str | None:
    return match.group("scale") or match.group("short")


def second_of(sentence: str, match: re.Match[str], value: float) -> tuple[re.Match[str], float, str] | None:
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
    if joiner == "to" and not ranging and (re.search(r"\bfrom\s*$", before, re.I) or CHANGE_BEFORE.search(before)):
        return None  # "from 4% to 5%", "rose 12% to $3.4 billion": a change, two figures
    if bool(match.group("percent")) != bool(second.group("percent")) and match.group("percent"):
        return None
    if second.group("currency") and not match.group("currency") or (second.group("currency") and match.group("percent")):
        return None
    high = float(second.group("number").replace(",", ""))
    scale = scale_of(second) or scale_of(match)
    if scale:
        high *= SCALES[scale.lower()]
    if high > value and (joiner != ":" or match.group("percent")):
        return second, high, "range"
    plain = not (match.group("currency") or scale_of(match) or match.group("percent") or second.group("percent"))
    if joiner in ("-", "–", ":") and plain and "." not in match.group("number") + second.group("number") and high > 0:
        return second, high, "ratio"
    return None
