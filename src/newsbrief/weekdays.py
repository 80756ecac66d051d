"""The weekday a report says its event happened on: weak time evidence for undated reports.

Reports of one event name its day ("collapsed on Friday"); the next event of the same story, a day
or two later, is told with another day ("on Sunday regulators ..."), in words that are otherwise much
the same. An undated report cannot be placed in time, but the weekday it names can be checked against
the days an event's dated reports fell on: grouping scores the report lower against that event when
they disagree (``stories.StoryIndex.score``). Between two undated reports a different weekday proves
little: reports of one event published on different days name different days.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from .analysis.dates import names_no_day

LEAD_CHARS = 400  # the weekday of the event is named at the top of a report
_WEEKDAY = re.compile(r"\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
_NUMBER = {"Mon": 0, "Tues": 1, "Wednes": 2, "Thurs": 3, "Fri": 4, "Satur": 5, "Sun": 6}


def named_weekday(title: str, text: str) -> int | None:
    """The first weekday (0 = Monday) named as a day in the title, else in the opening of the text
    ("Black Friday sales" and "every Monday" name no day: ``analysis.dates.names_no_day``)."""
    for part in (title, text[:LEAD_CHARS]):
        for match in _WEEKDAY.finditer(part):
            if not names_no_day(part, match.start(), match.end()):
                return _NUMBER[match.group(1)]
    return None


def possible_weekdays(named: int | None, when: datetime | None) -> set[int]:
    """The weekdays a report's event may have fallen on: the one it names; else, for a dated report,
    the day it was published and the day before; else none known."""
    if named is not None:
        return {named}
    if when is not None:
        return {when.weekday(), (when - timedelta(days=1)).weekday()}
    return set()


def disagree(named: Iterable[int], days: Iterable[int]) -> bool:
    """True when both are known and share no weekday."""
    mine, theirs = set(named), set(days)
    return bool(mine and theirs) and not mine & theirs
