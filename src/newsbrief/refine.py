"""Reports moved to the sibling event they fit best, once a batch is grouped.

Grouping is online: a report is placed when it arrives, against the events as they are then. The
first undated report of a plane crash can arrive before any dated report of the crash, so it joins
the event of the same story it resembles most (the mutiny weeks before, where its names are); the
crash's dated reports then start their own event without it. Once the batch is in, each report of a
changed story is compared again with its own event (without itself) and with the story's other
events, by the score that placed it (``StoryIndex.score``: average link, time discount, mentioned
dates), and moves to the best other event when that scores higher and passes the join threshold.
A few rounds, since each move changes two events. A report that is an event on its own stays (the
event merge pass judges those); syndicated copies follow their original.

The weekday an undated report names is left out here: with it, threads events measured 0.881 /
0.837 / 0.801 instead of 0.906 / 0.854 / 0.790 (below). Measured on ../shared/data/threads
(`bench/grouping.py --threads --seeds 42,1,2,3,4,5`), event BCubed F1 with dates as given / half
stripped / all stripped: 0.836 / 0.768 / 0.735 before, 0.906 / 0.854 / 0.790 with the moves;
Multi-News (one event per story) within 0.001.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .stories import GroupingParams, StoryIndex, StoryState

ROUNDS = 3


@dataclass(eq=False)  # a report is itself: moving one removes it from its event's list by identity
class Report:
    """A report (not a copy) of a story, as grouping sees it."""

    article_id: int
    event_id: int
    vector: dict[str, float]
    when: datetime | None
    not_before: datetime | None  # (undated) the latest day it mentions (dating.not_before)
    days: set[int] = field(default_factory=set)  # weekdays it names or was published on (weekdays.py)


@dataclass(frozen=True)
class Move:
    report: Report
    origin: int
    event_id: int
    score: float


def event_state(event_id: int, members: list[Report], keep: int | None = None) -> StoryState:
    """The event as ``StoryIndex`` scores it: the sum of its reports' vectors (the ``keep``
    strongest terms, all when None), their number, time span, weekdays and the latest day they mention."""
    total: dict[str, float] = {}
    for member in members:
        for term, weight in member.vector.items():
            total[term] = total.get(term, 0.0) + weight
    if keep is not None:
        total = dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
    dates = [m.when for m in members if m.when is not None]
    state = StoryState(event_id, total, len(members), min(dates, default=None), max(dates, default=None))
    for member in members:
        state.days |= member.days
        state.bound(member.not_before)
    return state


class _Event:
    """An event's reports with what scoring one of them against the others needs in O(1): the
    sum of their vectors, and their dates and mentioned days in order."""

    def __init__(self, event_id: int, members: list[Report]) -> None:
        self.id = event_id
        self.members = members
        self.state = event_state(event_id, members)
        self.dates = sorted(m.when for m in members if m.when is not None)
        self.bounds = sorted(m.not_before for m in members if m.not_before is not None)

    def without(self, report: Report) -> StoryState:
        """The time span and bound of the other reports (a state without vectors)."""
        dates, bounds = self.dates, self.bounds
        if report.when is not None:
            dates = dates[1:] if dates[0] == report.when else dates[:-1] if dates[-1] == report.when else dates
        if report.not_before is not None and bounds[-1] == report.not_before:
            bounds = bounds[:-1]
        state = StoryState(self.id, {}, len(self.members) - 1, dates[0] if dates else None,
                           dates[-1] if dates else None)
        state.bound(bounds[-1] if bounds else None)
        return state


def better_events(reports: list[Report], params: GroupingParams, changed: Iterable[int] | None = None) -> list[Move]:
    """The moves that put each report where it scores best among the story's events, in the order
    made (each report's ``event_id`` is updated). With ``changed``, the events a batch changed: a
    report of another event is compared with those only (the others were there when it was placed)."""
    by_event: dict[int, list[Report]] = {}
    for report in reports:
        by_event.setdefault(report.event_id, []).append(report)
    events = {event_id: _Event(event_id, members) for event_id, members in by_event.items()}
    fresh = set(events) if changed is None else set(changed)
    lookup = StoryIndex(params)  # the shortlist of events sharing a report's strongest terms
    for event in events.values():
        lookup.put(event.state)
    considered = sorted(reports, key=lambda r: r.article_id)
    if changed is not None:  # the reports of the changed events and of the events that look like them
        near = {e for e in fresh if e in events}
        for event_id in list(near):
            near.update(s.id for s in lookup.candidates(events[event_id].state.total))
        considered = [r for r in considered if r.event_id in near]
    moves: list[Move] = []
    for _ in range(ROUNDS):
        moved = False
        for report in considered:
            origin = events[report.event_id]
            if len(origin.members) < 2:
                continue  # an event of its own: the event merge pass judges it
            vector = report.vector
            # the average link to the other reports: the sum of all the event's links but its own
            own = origin.state.mean_similarity(vector) * origin.state.size - sum(w * w for w in vector.values())
            best, best_score = origin, own / (origin.state.size - 1) * lookup.discount(
                origin.without(report), report.when, None, report.not_before)  # no weekday: see above
            for state in lookup.candidates(vector, exclude=origin.id):
                if origin.id not in fresh and state.id not in fresh:
                    continue
                value = lookup.score(state, vector, report.when, None, report.not_before)
                if value > best_score and value >= params.join_threshold:
                    best, best_score = events[state.id], value
            if best is origin:
                continue
            origin.members.remove(report)
            best.members.append(report)
            report.event_id = best.id
            for event in (origin, best):
                events[event.id] = _Event(event.id, event.members)
                lookup.put(events[event.id].state)
            fresh |= {origin.id, best.id}
            moves.append(Move(report, origin.id, best.id, best_score))
            moved = True
        if not moved:
            break
    return moves
