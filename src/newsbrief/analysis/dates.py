"""Dates in a sentence ("on Monday", "Nov. 11", "yesterday", "March 3, 2026") resolved against the
article's publication date.

News convention decides the ambiguous cases: a bare weekday is the latest such day on or before
publication ("on Wednesday" in a Wednesday paper is that day); "last Monday" is strictly before it;
"next Monday", "by Thursday", "until Friday" after it, and so is a weekday in a clause in the future
tense ("officials will meet on Friday"); a month and day without a year is in the
year of publication, unless it is just across the new year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december"]
RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
# words that name a day or a month and never a person or a body ("May" is also a name)
DAY_WORDS = frozenset([*WEEKDAYS, *MONTH_NAMES, *RELATIVE_DAYS]) - {"may"}
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
MONTH = r"(jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
_PATTERNS = [
    ("month_day", re.compile(rf"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("weekday", re.compile(rf"\b(last|next|this|on|early|late)?\s*({'|'.join(WEEKDAYS)})\b", re.I)),
    ("relative", re.compile(rf"\b({'|'.join(RELATIVE_DAYS)})\b", re.I)),
]


@dataclass(frozen=True)
class ResolvedDate:
    day: date
    expression: str
    start: int
    end: int


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")[:4] if token.lower().startswith("sept") else token.lower().rstrip(".")[:3]]


# future tense in the clause before a weekday ("and officials will meet on Friday")
_FUTURE = re.compile(r"\b(?:will|shall|'ll|is (?:scheduled|expected|set|due) to|are (?:scheduled|expected|set|due) to|"
                     r"plans? to|postponed|rescheduled|moved)\b(?!.*\bsince\s*$)", re.I)
_SAID_YEAR = re.compile(r",?\s+(last|this|next)\s+year\b", re.I)
ACROSS_NEW_YEAR = 92  # days: "Jan. 5" in a late-December report is next year's


def _year_for(month: int, day: int, base: date) -> date | None:
    """News leaves out the year of a date in the current year (AP style): "March 21" in a November
    report is that year's March, not the next one, which is nearer. Only close to the new year does
    the date cross it ("Jan. 5" on Dec. 28, "Dec. 28" on Jan. 3)."""
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if year == base.year or abs((candidate - base).days) <= ACROSS_NEW_YEAR:
            options.append(candidate)
    return min(options, key=lambda d: abs((d - base).days)) if options else None


def _weekday(modifier: str | None, name: str, base: date) -> date:
    target = WEEKDAYS.index(name.lower())
    back = (base.weekday() - target) % 7
    modifier = (modifier or "").lower()
    if modifier == "next":
        return base + timedelta(days=(target - base.weekday()) % 7 or 7)
    if modifier == "coming":
        return base + timedelta(days=(target - base.weekday()) % 7)
    if modifier == "last" and back == 0:
        back = 7
    return base - timedelta(days=back)


def resolve_dates(sentence: str, published: datetime | None) -> list[ResolvedDate]:
    """Every date expression in ``sentence`` with the day it names (none without a publication date,
    except full dates that carry their year)."""
    return list(_resolve_dates(sentence, published))


@lru_cache(maxsize=20_000)  # the writer, the figures and the timeline all ask about the same sentences
def _resolve_dates(sentence: str, published: datetime | None) -> tuple[ResolvedDate, ...]:
    base = published.date() if published else None
    found: list[ResolvedDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            day = _resolve(kind, match, base)
            if day is not None:
                found.append(ResolvedDate(day, match.group(0).strip(), match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return tuple(sorted(found, key=lambda r: r.start))


def _resolve(kind: str, match: re.Match[str], base: date | None) -> date | None:
    if kind in ("month_day", "day_month"):
        month_token, day_token = (match.group(1), match.group(2)) if kind == "month_day" else (match.group(2), match.group(1))
        if month_token.lower() == "may" and kind == "month_day" and match.group(0)[0].islower():
            return None  # "may 3" is more likely the verb than the month
        month, day = _month(month_token), int(day_token)
        if match.group(3):
            try:
                return date(int(match.group(3)), month, day)
            except ValueError:
                return None
        if base is None:
            return None
        said_year = _SAID_YEAR.match(match.string, match.end())  # "Dec. 20 last year"
        if said_year:
            year = base.year + {"last": -1, "this": 0, "next": 1}[said_year.group(1).lower()]
            try:
                return date(year, month, day)
            except ValueError:
                return None
        return _year_for(month, day, base)
    if base is None:
        return None
    if kind == "weekday":
        modifier = match.group(1)
        before = match.string[: match.start()]
        if not modifier and re.search(r"\b(by|until|till|through|from|before)\s*$", before, re.I):
            modifier = "next"  # "by Thursday", "until Friday": a day still to come
        elif (not modifier or modifier.lower() == "on") and _FUTURE.search(re.split(r"[,;:]", before)[-1]):
            modifier = "coming"  # "officials will meet on Friday": on or after publication
        return _weekday(modifier, match.group(2), base)
    if match.group(1).isupper() or re.search(r"\bUSA\s+$", match.string[: match.start()]):
        return None  # "USA TODAY", the "TODAY" show: a name, not a day
    word = match.group(1).lower()
    return base + timedelta(days=RELATIVE_DAYS[word])
