"""The time a figure is of: a year or span in its clause ("in 2023", "its first week"), a rate ("a
day"), a change rather than a level ("up 5%"), a value from before ("up from 14"), the whole
("worldwide")."""

from __future__ import annotations

import re

from .figure_frames import FigureMention
from .figure_numbers import CHANGE_BEFORE
from .figure_owners import WHOLE

# a year opening the sentence or a clause after a colon: "In 2015, the deficit was 16 per cent of GDP",
# "The distances are long: in 2002, a sniper hit a target from 2,300 metres"
_OPENING_YEAR = re.compile(r"(?:^|[:;—–]\s*)\W*in (?:19|20)\d\d,", re.I)
_OTHER_EVENT = re.compile(r"^\W*in (?:another|a separate|an earlier|a previous|an unrelated) [a-z]+", re.I)
_EVENT_YEAR = re.compile(r"\bthe (?:19|20)\d\d (?=[a-z])")  # "the 2011 earthquake that killed 18,400 people"
_YEAR = re.compile(r"\b(?:in|of|for|during|by|the)\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)['’]s\b", re.I)
_SCOPE = re.compile(r"\b(last|this|next|the previous|the past) (year|month|week|quarter|season|decade)\b|\b(a|one) "
                    r"(year|month|week) (?:earlier|ago|before)\b|\bin the (first|second|third|fourth) quarter\b|"
                    r"\b(?:its|their|the) (?:first|opening) (?:day|week|weekend|month|year)\b|\bopening (?:day|weekend)\b|"
                    r"\bsince (?:(?:19|20)\d\d|the \d{4}s)\b|"
                    r"\bin (?:another|a separate|a second|an earlier|a later|a previous|an unrelated) [a-z]+", re.I)
_RATE = re.compile(r"^\s*(?:(?:a|per|each|every)\s+(day|week|month|year|hour|minute|capita|person|head|night)\b"
                   r"|(daily|weekly|monthly|annually|yearly|a year|an hour|a day)\b)", re.I)
_EARLIER_BEFORE = re.compile(r"(?:\b(?:up|down|rising|falling|increased|decreased|rose|fell|climbed|jumped|dropped)"
                             r"\s+)?\bfrom\s*$|\b(?:compared (?:with|to)(?: the)?|versus|vs\.?|previously|originally|initially|"
                             r"(?:earlier|previous|initial|original) (?:estimate|figure|toll|count) of)\s*$", re.I)
_EARLIER_AFTER = re.compile(r"^\s*(?:a (?:year|month|week|day) (?:earlier|ago|before)|the (?:previous|prior|day|week|year) "
                            r"\w+|previously|earlier|before the)\b", re.I)
_CHANGE_AFTER = re.compile(r"^\s*(?:rise|increase|drop|decline|gain|fall|jump|cut|hike|reduction|decrease|boost|"
                           r"growth|higher|lower|more|less|fewer)\b", re.I)


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The words of the figure's clause before and after it."""
    head = re.split(r"[,;:]|\s(?:and|but|while|whereas)\s", sentence[:start])[-1]
    tail = re.split(r"[,;:]|\s(?:and|but|while|whereas)\s", sentence[end:])[0]
    return head, tail


def time_of(sentence: str, figure: FigureMention) -> None:
    """The time a figure is of: a year, "last year" or "its first week" in its clause; a rate ("a
    day", "each year"); a change ("up 5%") or an addition ("14 more") rather than a
    level; a value from before ("up from 14", "compared with 9,000 a year ago"). ("Another 3,317 in
    Syria" is no addition: "another" mostly adds another place or kind to a list.)"""
    frame = figure.frame
    head, tail = _clause(sentence, figure.start, figure.end)
    event = (_EVENT_YEAR.search(sentence[: figure.start]) or _OTHER_EVENT.search(sentence[: figure.start])
             or _OPENING_YEAR.search(sentence[: figure.start]))
    if event and _LATER_TIME.search(sentence, event.end(), figure.start):
        event = None  # "In 2013, the House voted ..., and almost a year ago, the deal cut $8.7 billion"
    when = None
    if event is None and re.match(r"\s*when\b", head, re.I):  # "up from 2007, before the slump, when 9 million were"
        opening = figure.start - len(head)
        years = list(_YEAR_BEFORE_WHEN.finditer(sentence, max(0, opening - 80), opening))
        when = years[-1].group(1) if years else None
    for text in (tail, head, event.group(0) if event else ""):
        year, scope = _YEAR.search(text), _SCOPE.search(text)
        if year or scope:
            frame.scope = (year.group(1) or year.group(2)) if year else " ".join(scope.group(0).lower().split())
            break
    else:
        if when:
            frame.scope = when
    if not frame.places and (_WHOLE.search(tail) or _WHOLE.search(head[-40:])):
        frame.places, frame.place = (WHOLE,), "all"  # "37 million albums worldwide": everywhere
    rate = _RATE.match(sentence, figure.end) or _RATE.match(re.sub(r"^\s*of\s+\w+", "", tail)) or _RATE_LATER.search(tail)
    if rate:
        frame.rate = " ".join(rate.group(0).lower().split())
    before = sentence[: figure.start]
    frame.projected = bool(_PROJECTED.search(head))
    frame.earlier = bool(_EARLIER_BEFORE.search(before) or _EARLIER_AFTER.match(sentence, figure.end)
                         or frame.scope in _EARLIER_SCOPES)
    if frame.scope in _EARLIER_SCOPES:
        frame.scope = None  # "a year earlier" says the value is old, not which year
    change_words = CHANGE_BEFORE.search(before) and not re.search(r"\b(?:lost|by)\s+$", before, re.I) or \
        re.search(r"\bby\s+$", before, re.I)
    frame.change = bool(change_words and not re.search(r"\bto\s+$", before)) or bool(
        frame.kind in ("percent", "money") and _CHANGE_AFTER.match(sentence, figure.end)) or bool(
        re.match(r"\s+more\b", sentence[figure.core :]))  # "14 more people": an addition, not a level


_WHOLE = re.compile(r"\b(?:worldwide|globally|around the (?:world|globe)|across the (?:world|globe|country)|"
                    r"nationwide|in total(?!\s+[a-z])|in all(?!\s+[a-z])|overall|combined|altogether|"
                    r"in both (?:countries|nations|states|provinces|regions|cities))\b", re.I)
# words that make the figure of their clause one of what may come: a forecast, a plan, a possibility
# ("will" is left out: "a deal that will cut $8.7 billion" states what the deal does)
_PROJECTED = re.compile(r"\b(?:could|may|might|would|(?:is|are|was|were) (?:expected|projected|forecast|set|"
                        r"likely|due) to|expects? to|plans? to|planning to|aims? to|aiming to|predict(?:s|ed)?|"
                        r"forecasts?|projects?|projected|propos(?:e|es|ed|ing)|consider(?:s|ing)?|threaten(?:s|ed|ing)? to)\b",
                        re.I)
_YEAR_BEFORE_WHEN = re.compile(r"\b(?:in|from|since|of|by)\s+((?:19|20)\d\d)\b", re.I)
# a time named between an opening year and the figure: the figure's clause is of that time instead
_LATER_TIME = re.compile(r"\b(?:ago|later|now|today|currently|since|then|this year|last year|(?:19|20)\d\d)\b", re.I)
_EARLIER_SCOPES = frozenset({"last year", "the previous year", "a year earlier", "a year ago", "one year ago",
                             "a month earlier", "a month ago", "a week earlier", "a week ago"})
_RATE_LATER = re.compile(r"\b(?:each|every|per)\s+(?:day|week|month|year|night)\b|\b(?:daily|weekly|monthly|annually|"
                         r"yearly)\b", re.I)
