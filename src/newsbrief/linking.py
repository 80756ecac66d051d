"""Events into stories by average link.

A story is scored against a new event by the mean of the event's (time-discounted) similarity to
each of the story's events, not by the similarity to the story's centroid: the centroid of many
events becomes a generic template of the field ("council", "voted", "said", a capital's name) that
every new event resembles a little, and a story keeps growing into a topic. The mean stays high
only when the event resembles the story's events themselves. Candidate stories still come from the
centroid index (``StoryIndex.candidates``): it is a cheap shortlist, not the score.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .stories import GroupingParams, days_between

MEMBERS_COMPARED = 30  # a story's most recent events compared with a new one


@dataclass
class Member:
    event_id: int
    unit: dict[str, float]
    first: datetime | None
    last: datetime | None


def unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


class StoryLinker:
    """The events of active stories, for average-link scores. ``load(story_id)`` reads a story's
    events from the store the first time they are needed."""

    def __init__(self, params: GroupingParams, load: Callable[[int], list[Member]]) -> None:
        self.params = params
        self.load = load
        self.members: dict[int, list[Member]] = {}

    def of(self, story_id: int) -> list[Member]:
        if story_id not in self.members:
            self.members[story_id] = self.load(story_id)
        return self.members[story_id]

    def forget(self, story_id: int) -> None:
        self.members.pop(story_id, None)

    def add(self, story_id: int, member: Member) -> None:
        self.of(story_id).append(member)

    def _pair(self, a: Member, b: Member) -> float:
        if a.first and b.first:
            gap = 0.0 if a.first <= (b.last or b.first) and b.first <= (a.last or a.first) else min(
                days_between(a.first, b.first, b.last), days_between(a.last or a.first, b.first, b.last))
        else:
            gap = 0.0  # an undated event: no time discount, either way
        if gap > self.params.window_days:
            return 0.0
        return _cosine(a.unit, b.unit) / (1.0 + max(0.0, gap - 1.0) / self.params.time_scale_days)

    def score(self, story_id: int, event: Member) -> float:
        """Mean time-discounted similarity of ``event`` to the story's (most recent) events."""
        members = [m for m in self.of(story_id) if m.event_id != event.event_id][-MEMBERS_COMPARED:]
        return sum(self._pair(event, m) for m in members) / len(members) if members else 0.0

    def between(self, a: int, b: int) -> float:
        """Average link between two stories."""
        left, right = self.of(a)[-MEMBERS_COMPARED:], self.of(b)[-MEMBERS_COMPARED:]
        if not left or not right:
            return 0.0
        return sum(self._pair(x, y) for x in left for y in right) / (len(left) * len(right))

    def drifted(self, story_id: int) -> list[tuple[int, float]]:
        """Events whose average link to the rest of their story is below ``split_threshold``."""
        members = self.of(story_id)
        if len(members) < 2:
            return []
        out = []
        for member in members:
            value = self.score(story_id, member)
            if value < self.params.split_threshold:
                out.append((member.event_id, value))
        if len(out) == len(members):  # nothing holds together: the best-linked event keeps the story
            out.remove(max(out, key=lambda pair: (pair[1], -pair[0])))
        return out
