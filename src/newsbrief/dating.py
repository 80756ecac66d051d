"""When a report was published, where its metadata does not say.

Archives and JSONL dumps are full of reports without a publication date. Taking the time they were
fetched instead puts them years away from their dated siblings, and grouping's time discount then
keeps one story in pieces. So a missing date is looked for in what the report does carry — a date
in its URL path (``/2024/09/18/``, ``/2023/may/02/``, ``2024-01-07``), or a dateline at the top of its
text ("May 01, 2023 —", "Thursday 15 April 2021") — and otherwise stays unknown. Each date is
recorded with where it came from (``DATE_SOURCES``), and the brief says when it was inferred.

A report that stays undated is still not older than the dates it tells of: "assets of $6 billion as of
January 31, 2024" puts it after that day. ``not_before`` keeps the latest full date its text
mentions, and grouping keeps it out of events whose reports all came out long before (a recap of a
past failure is not that failure's report).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from .analysis.dates import MONTH_NAMES
from .records import Article

GIVEN, URL, DATELINE, COPY, FETCHED = "given", "url", "dateline", "copy", "fetched"
DATE_SOURCES = {
    GIVEN: "given by the source",
    URL: "read from the URL",
    DATELINE: "read from the dateline",
    COPY: "taken from the report it copies",
    FETCHED: "the time it was fetched from a live feed",
}

# what a source list says beside a date the source did not give
DATE_NOTES = {URL: "date from the URL", DATELINE: "date from the dateline", COPY: "date of the report it copies",
              FETCHED: "date fetched"}

EARLIEST_YEAR = 1990  # older "dates" in a URL or dateline are ids or history, not publication
DATELINE_CHARS = 240  # a dateline sits at the very top of a report

_MONTH_WORD = r"(?P<mon>[A-Za-z]{3,9})\.?"
_URL_PATTERNS = [
    # /2024/09/18/ or /2023/may/02/
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2}|[A-Za-z]{3,9})/(?P<d>\d{1,2})(?:/|$|[-_])"),
    # 2024-01-07, 2024_01_07, 20240107 between separators
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d\d)(?P<sep>[-_]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?![\d])"),
    # 06-Feb-2023
    re.compile(r"(?<![\d])(?P<d>[0-3]?\d)-(?P<m>[A-Za-z]{3,9})-(?P<y>(?:19|20)\d\d)(?![\d])"),
]
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DATELINE_PATTERNS = [
    # May 01, 2023 / Jan. 18, 2025 / Thursday, May 1 2023
    re.compile(_WEEKDAY + _MONTH_WORD + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    # 26 Mar, 2024 / Thursday 15 April 2021
    re.compile(_WEEKDAY + r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+" + _MONTH_WORD + r",?\s+(?P<y>(?:19|20)\d\d)\b"),
    # 2024-05-19 at the top of a page
    re.compile(r"(?<![\d])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])"),
]


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    value = value.lower().rstrip(".")
    return next((n for n, name in enumerate(MONTH_NAMES, 1) if len(value) >= 3 and name.startswith(value)), None)


def _valid(year: str, month: str, day: str, latest: datetime | None) -> datetime | None:
    number = _month(month)
    if number is None:
        return None
    try:
        when = datetime(int(year), number, int(day), tzinfo=timezone.utc)
    except ValueError:
        return None
    if when.year < EARLIEST_YEAR or (latest is not None and when > latest):
        return None
    return when


def date_from_url(url: str, latest: datetime | None = None) -> datetime | None:
    """The publication date a URL's path spells out, if any (never later than ``latest``)."""
    path = url.split("://", 1)[-1].partition("/")[2].partition("?")[0]
    path = "/" + path
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(path):
            when = _valid(match["y"], match["m"], match["d"], latest)
            if when is not None:
                return when
    return None


# A date is a dateline, not a date the report mentions, when it opens a line, is followed by a dash,
# bar, line break or clock time, or follows "Posted", "Published", "Updated" or "Date".
_OPENS_LINE = re.compile(r"(?:^|\n)[\s•·|]*$")
_ENDS_DATELINE = re.compile(r"\s*(?:[—–|\n]|-\s|\(|\d{1,2}[:.]\d\d|$)")
_STAMP = re.compile(r"\b(?:posted|published|updated|date[d]?)\b[\s:]*(?:on\s+)?$", re.I)


def _is_dateline(head: str, match: re.Match[str]) -> bool:
    before = head[: match.start()]
    return bool(_OPENS_LINE.search(before) or _STAMP.search(before[-40:])
                or _ENDS_DATELINE.match(head, match.end()))


def date_from_dateline(text: str, latest: datetime | None = None) -> datetime | None:
    """The date of a dateline at the top of a report ("May 01, 2023 —", "Posted Jan. 18, 2025"),
    not a date the opening sentence tells of ("In this Oct. 27, 2012 file photo", "On June 30, 1995, a fire")."""
    head = text[:DATELINE_CHARS]
    found: list[tuple[int, datetime]] = []
    for pattern in _DATELINE_PATTERNS:
        for match in pattern.finditer(head):
            if not _is_dateline(head, match):
                continue
            groups = match.groupdict()
            when = _valid(groups["y"], groups.get("mon") or groups.get("m") or "", groups["d"], latest)
            if when is not None:
                found.append((match.start(), when))
                break
    return min(found)[1] if found else None


_MENTIONED_DATES = _DATELINE_PATTERNS[:2]  # "May 1, 2023", "15 April 2021": spelled out, with a year


def not_before(text: str, latest: datetime | None = None) -> datetime | None:
    """The latest full date ``text`` mentions (never later than ``latest``): a report is rarely
    published before a day it tells of. A date it announces ("the hearing on June 5, 2024") may lie
    ahead, so grouping uses the bound only to rule out events older than its window."""
    found = None
    for pattern in _MENTIONED_DATES:
        for match in pattern.finditer(text):
            when = _valid(match["y"], match["mon"], match["d"], latest)
            if when is not None and (found is None or when > found):
                found = when
    return found


def infer_published(article: Article, copied: datetime | None = None, live: bool = False) -> None:
    """Give ``article`` a publication date where the evidence allows, and say where it came from:
    its URL, the date of the report it is a copy of (``copied``), its dateline, and, when ``live``
    (just read from a followed feed, so fetched close to publication), the time it was fetched."""
    if article.published_at is not None:
        article.date_source = article.date_source or GIVEN
        article.not_before = None
        return
    latest = article.fetched_at or datetime.now(timezone.utc)
    candidates = (
        (URL, lambda: date_from_url(article.url, latest)),
        (COPY, lambda: copied),
        (DATELINE, lambda: date_from_dateline(article.text, latest)),
        (FETCHED, lambda: article.fetched_at if live else None),
    )
    for source, find in candidates:
        when = find()
        if when is not None:
            article.published_at, article.date_source = when, source
            return
    article.not_before = not_before(article.text, latest)
