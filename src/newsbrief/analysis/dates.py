"""Dates in a sentence ("on Monday", "Nov. 11", "yesterday", "March 3, 2026") resolved against the
article's publication date, reading the whole sentence the way a reader does.

- A weekday or "today" next to the date it names ("Sunday 19 January", "Wednesday, Sept. 18",
  "today (Nov. 18)") is that date: one expression, and an explicit one (the brief adds nothing).
- A bare weekday takes its direction from the verb group that governs it in its clause: future
  ("will", "set to", "due", "scheduled", "expected", "takes effect", a modal) or present ("is", "has")
  means on or after publication; past ("was", "said", "collapsed", "may have begun") on or before;
  "would" and no sign at all, the nearest such day to publication. "last Monday" is strictly before,
  "next Monday" strictly after, "since Monday" before; "by", "until", "from", "starting" a day are still
  to come (also after "would": "said farmers would be paid from Monday"), unless the clause is in the
  past ("postponed until Sunday" in Tuesday's paper is two days ago: the nearest day).
- A weekday inside a name ("Black Friday", "Friday prayers") or a habit ("every Monday") is no day.
- A month and day without a year is in the year of publication (AP style), unless it is just across
  the new year, or the clause puts it in the future while that day has passed (then it is next year's).
- A dateline that gives the day of filing ("WASHINGTON, Jan. 18 (Reuters) —", "Posted Jan. 18, 2025")
  is the day the sentence's relative dates count from, with or without a publication date.
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
_WEEKDAY = rf"(?:{'|'.join(WEEKDAYS)})"
_ORDINAL = r"(?:st|nd|rd|th)?"
# a day of a month: "Nov. 18", "November 18th, 2019", "18 November", "18th of November 2019"
_EXPLICIT = (rf"(?:(?P<m1>{MONTH[1:-1]})\s+(?P<d1>\d{{1,2}}){_ORDINAL}(?:,?\s+(?P<y1>\d{{4}}))?"
             rf"|(?P<d2>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<m2>{MONTH[1:-1]})(?:,?\s+(?P<y2>\d{{4}}))?)\b")
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_PATTERNS = [
    # a weekday or "today" beside the date it names: "on Sunday 19 January", "Thursday (Feb 22"
    ("anchored", re.compile(rf"\b(?:on\s+)?(?:{_WEEKDAY}|{'|'.join(RELATIVE_DAYS)}){_PART_OF_DAY}(?:,?\s+|\s*\(\s*)(?:the\s+)?{_EXPLICIT}", re.I)),
    ("explicit", re.compile(rf"\b{_EXPLICIT}", re.I)),
    ("weekday", re.compile(rf"\b(last|next|this(?:\s+past)?|on|early|late)?\s*({_WEEKDAY})\b", re.I)),
    ("relative", re.compile(rf"\b({'|'.join(RELATIVE_DAYS)})\b", re.I)),
]


@dataclass(frozen=True)
class ResolvedDate:
    day: date
    expression: str
    start: int
    end: int
    explicit: bool = False  # the sentence gives the day of the month itself


def _month(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")[:4] if token.lower().startswith("sept") else token.lower().rstrip(".")[:3]]


ACROSS_NEW_YEAR = 92  # days: "Jan. 5" in a late-December report is next year's
_SAID_YEAR = re.compile(r",?\s+(last|this|next)\s+year\b", re.I)

# --- the clause's tense: the verb group nearest the date -------------------------------------------
_IRREGULAR_PAST = (
    "said|told|met|went|came|began|took|made|saw|got|gave|left|held|fell|rose|won|lost|broke|ran|sent|spent|found|"
    "brought|thought|paid|kept|led|struck|shot|fought|became|sold|built|stood|spoke|wrote|drove|flew|knew|grew|threw|"
    "sank|shook|stole|bought|caught|taught|felt|heard|meant|sought|wore|tore|froze|hid|fled|dug|hung|laid|slept|swept|"
    "forgot|understood|withdrew|arose|upheld|withheld|overtook|undertook|ago|earlier")
# a participle after "be" or "to" ("will be held", "is expected") takes its tense from the verb before it
_NOT_AFTER_BE = r"(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?<!\bis )(?<!\bare )(?<!\bam )(?<!\bto )"
_NOT_VERBS = r"(?!(?:hundred|indeed|need|speed|seed|feed|breed|united|naked|sacred|wicked|beloved|rugged|kindred)\b)"
_SIGNS = re.compile(
    r"(?P<future>\b(?:will|shall|won['’]t|wo\s+n['’]t|gonna|(?:could|may|might|should|can|must)(?!\s+(?:not\s+)?have\s+(?:been|\w+(?:ed|en|wn|un))\b)"
    r"|(?:going|set|about|poised|plans?|planning|intends?|hopes?|is|are|am)\s+to|due|scheduled|slated|expected|expects?"
    r"|upcoming|forthcoming|set\s+for|tak(?:e|es|ing)\s+effect|(?:go|goes|going|come|comes|coming)\s+into)\b|['’]ll\b)"
    r"|(?P<past>\b(?:was|were|had|did|(?:could|may|might|must|should|would)\s+(?:not\s+)?have\s+(?:been|\w+(?:ed|en|wn|un))"
    r"|has\s+been|have\s+been"
    rf"|took\s+effect|{_NOT_AFTER_BE}{_NOT_VERBS}(?:{_IRREGULAR_PAST}|[a-z]{{2,}}ed))\b)"
    r"|(?P<would>\bwould\b)"
    r"|(?P<present>\b(?:is|are|am|has|have)\b)",
    re.I)
_CLAUSE_END = re.compile(r"[;—()\"“”]|(?<!\d)–|–(?!\d)|:\s|\s-\s")
_ASIDE = re.compile(r"\([^()]*\)|—[^—]*—")
_PART_OF_DAY_ONLY = re.compile(r"^\s*(?:(?:morning|afternoon|evening|night)\s+)?$", re.I)
# words before a weekday that point at a day still to come (or, in a past clause, the nearest one)
_TARGET = re.compile(r"\b(?:by|until|till|through|from|starting|beginning|before)\s+(?:on\s+)?$", re.I)
_SINCE = re.compile(r"\bsince\s+(?:on\s+)?$", re.I)
_POSTPONED = re.compile(r"\b(?:postponed|moved|rescheduled|delayed|pushed\s+back|brought\s+forward)\b[^,;]*\bto\s+$", re.I)
# a weekday that is part of a name or a habit: "Black Friday", "Friday prayers", "every Monday"
_NAMED_BEFORE = re.compile(r"\b(?:black|cyber|good|super|ash|easter|palm|holy|maundy|bloody|giving|on\s+a|every|each|any)\s+$", re.I)
_NAMED_AFTER = re.compile(r"^\s+(?:prayers?|times|telegraph|mirror|express|post|school|publications?|editions?|"
                          r"papers?|night\s+(?:live|football|raw|lights))\b", re.I)


def names_no_day(text: str, start: int, end: int) -> bool:
    """The weekday at ``text[start:end]`` is part of a name or a habit ("Black Friday", "Friday
    prayers", "every Monday"), not a day."""
    return bool(_NAMED_BEFORE.search(text[:start]) or _NAMED_AFTER.search(text[end:]))


def _tense(sentence: str, start: int, end: int, event: bool = False) -> str | None:
    """'future', 'past', 'present', 'would' or None: the verb group that governs the date in its
    clause. That is the verb just before it ("the deal approved on Friday"), else the one just after
    it ("NASA on Monday enlisted"), else the nearest one before it ("officials will meet the
    minister on Friday"), else the first one after it ("On Monday, the agency said"). Asides between
    dashes or brackets are skipped. For an ``event`` ("Monday's quakes") only a past or a future
    verb counts: "is" and "are" there belong to another clause."""
    before = _CLAUSE_END.split(_ASIDE.sub(" ", sentence[:start]))[-1]
    after = _CLAUSE_END.split(_ASIDE.sub(" ", sentence[end:]))[0]
    wanted = ("past", "future") if event else ("past", "future", "present", "would")
    left = [s for s in _SIGNS.finditer(before) if s.lastgroup in wanted]
    right = next((s for s in _SIGNS.finditer(after) if s.lastgroup in wanted), None)
    if left and not before[left[-1].end() :].strip():
        return left[-1].lastgroup
    if right and _PART_OF_DAY_ONLY.match(after[: right.start()]):
        return right.lastgroup
    if left:
        return left[-1].lastgroup
    return right.lastgroup if right else None


def _weekday(direction: str, name: str, base: date) -> date:
    """The day called ``name`` on or before ``base`` ('back'), strictly before ('last'), on or after
    ('coming'), strictly after ('next'), or whichever of the first and third is nearer ('nearest')."""
    target = WEEKDAYS.index(name.lower())
    back = (base.weekday() - target) % 7
    ahead = (target - base.weekday()) % 7
    if direction == "last":
        return base - timedelta(days=back or 7)
    if direction == "next":
        return base + timedelta(days=ahead or 7)
    if direction == "coming" or (direction == "nearest" and ahead < back):
        return base + timedelta(days=ahead)
    return base - timedelta(days=back)


def _direction(modifier: str, match: re.Match[str]) -> str | None:
    """Which way from publication a bare or modified weekday lies; None when it names no day."""
    sentence, before = match.string, match.string[: match.start(2)]
    if modifier in ("last", "this past"):
        return "last"
    if modifier == "next":
        return "next"
    if names_no_day(sentence, match.start(2), match.end()):
        return None
    if _SINCE.search(before):
        return "back"
    # "Monday's quakes", "Monday night's loss": an event named, whose tense only a past or future verb tells
    possessive = bool(re.match(rf"{_PART_OF_DAY}['’]s\b", sentence[match.end() :], re.I))
    tense = _tense(sentence, match.start(), match.end(), event=possessive)
    if not possessive and (_TARGET.search(before) or _POSTPONED.search(before)):
        return "nearest" if tense == "past" else "coming"
    return {"future": "coming", "present": "coming", "past": "back"}.get(tense or "", "nearest")


def _year_for(month: int, day: int, base: date, tense: str | None = None) -> date | None:
    """News leaves out the year of a date in the current year (AP style): "March 21" in a November
    report is that year's March, not the next one, which is nearer. Only close to the new year does
    the date cross it ("Jan. 5" on Dec. 28, "Dec. 28" on Jan. 3); and a date the clause puts in the
    future that has passed this year is next year's ("the tour will end on Oct. 10" in November). (A
    past clause does not move a later date back a year: "had planned to impose Dec. 15" is to come.)"""
    options = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if year == base.year or abs((candidate - base).days) <= ACROSS_NEW_YEAR:
            options.append(candidate)
    if not options:
        return None
    chosen = min(options, key=lambda d: abs((d - base).days))
    if tense == "future" and chosen < base - timedelta(days=7):
        return _replace_year(chosen, chosen.year + 1)
    return chosen


def _replace_year(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


def _explicit_day(match: re.Match[str], base: date | None) -> date | None:
    """The day a "Nov. 18" or "18 November 2019" names (its own year, or one read from the base)."""
    month_token, day_token, year_token = (
        (match["m1"], match["d1"], match["y1"]) if match["m1"] else (match["m2"], match["d2"], match["y2"]))
    month, day = _month(month_token), int(day_token)
    if year_token:
        try:
            return date(int(year_token), month, day)
        except ValueError:
            return None
    if base is None:
        return None
    said_year = _SAID_YEAR.match(match.string, match.end())  # "Dec. 20 last year"
    if said_year:
        try:
            return date(base.year + {"last": -1, "this": 0, "next": 1}[said_year.group(1).lower()], month, day)
        except ValueError:
            return None
    return _year_for(month, day, base, _tense(match.string, match.start(), match.end()))


# a dateline that dates the report: "WASHINGTON, Jan. 18 (Reuters) —", "Posted Jan. 18, 2025 —"
_DATELINE = re.compile(
    rf"^(?:(?P<place>[A-Z][A-Z.'’\- ]{{2,}}(?:,\s+[A-Z][\w.'’ -]+?)?),\s+"
    rf"|(?P<stamp>(?i:posted|published|updated|last updated|first published))(?:\s+on)?:?\s+)?"
    rf"(?i:{_WEEKDAY},?\s+)?(?i:{_EXPLICIT})(?P<dash>\s*(?:\([^)]{{2,40}}\)\s*)?[—–-]{{1,2}}\s)?")


def _dateline_day(sentence: str, base: date | None) -> date | None:
    match = _DATELINE.match(sentence)
    if match is None or not (match["stamp"] or match["dash"]):
        return None
    return _explicit_day(match, base)


def resolve_dates(sentence: str, published: datetime | None) -> list[ResolvedDate]:
    """Every date expression in ``sentence`` with the day it names (none without a publication date
    or a dated dateline, except full dates that carry their year)."""
    return list(_resolve_dates(sentence, published))


@lru_cache(maxsize=20_000)  # the writer, the figures and the timeline all ask about the same sentences
def _resolve_dates(sentence: str, published: datetime | None) -> tuple[ResolvedDate, ...]:
    base = published.date() if published else None
    base = _dateline_day(sentence, base) or base
    found: list[ResolvedDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            day = _resolve(kind, match, base)
            if day is not None:
                found.append(ResolvedDate(day, match.group(0).strip(), match.start(), match.end(),
                                          explicit=kind in ("anchored", "explicit")))
                taken.append((match.start(), match.end()))
    return tuple(sorted(found, key=lambda r: r.start))


def _resolve(kind: str, match: re.Match[str], base: date | None) -> date | None:
    if kind in ("anchored", "explicit"):
        text = match.group(0)
        if kind == "explicit" and match["m1"] and match["m1"].lower() == "may" and text[0].islower():
            return None  # "may 3" is more likely the verb than the month
        return _explicit_day(match, base)
    if base is None:
        return None
    if kind == "weekday":
        direction = _direction(" ".join((match.group(1) or "").lower().split()), match)
        return _weekday(direction, match.group(2), base) if direction else None
    if match.group(1).isupper() or re.search(r"\bUSA\s+$", match.string[: match.start()]):
        return None  # "USA TODAY", the "TODAY" show: a name, not a day
    word = match.group(1).lower()
    return base + timedelta(days=RELATIVE_DAYS[word])
