"""Story-level analysis: the figures sources give, where they differ, how they changed, and a
timeline of dated events — each item citing the source sentences it comes from."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..boilerplate import report_sentences
from ..records import Article
from ..sentences import without_dateline
from ..textvec import cosine, idf_weights, tfidf, tokens
from .dates import resolve_dates
from .figures import (MEASURES, FigureMention, Frame, agree, comparable, countable, figures_in, names_in, parse_frames,
                      whole)
from .names import canonical_names
from .outlook import outlook_strength

_REFERS_BACK = re.compile(r"\bthe (figure|number|toll|estimate|total)\b|\bits own (estimate|assessment|count)\b", re.I)
MAX_TIMELINE = 8


@dataclass
class Claim:
    figure: FigureMention
    article: Article
    ref: str
    day: date | None
    dated: bool = False  # the sentence names the day the figure is of ("on Tuesday")
    position: int = 0  # its place among the story's claims (articles in the order given, sentences in order)

    @property
    def claimant(self) -> str:
        name = self.figure.claimed_by or self.article.outlet
        return "the" + name[3:] if re.match(r"The [a-z]", name) else name

    @property
    def source(self) -> tuple[str, str]:
        return self.article.id, self.claimant.lower()

    def as_dict(self) -> dict[str, object]:
        f = self.figure
        text = f.text[0].lower() + f.text[1:] if f.qualifier and f.text[0].isupper() else f.text
        frame = f.frame.as_dict() | {"as_of": self.day.isoformat() if self.day else None, "claimed_by": self.claimant}
        return {
            "subject": f.measure or f.counted, "value": f.value, "text": text, "qualifier": f.qualifier,
            "unit": f.unit, "counted": f.counted, "claimed_by": self.claimant,
            "date": self.day.isoformat() if self.day else None, "citations": [self.ref], "frame": frame,
        }


def claims_in(articles: list[Article]) -> list[Claim]:
    """Every figure in the articles' sentences with its frame, dated by the sentence's own date when it
    has one (the frames' parse is made in one batch, for the sentences with a figure)."""
    report = [(article, list(report_sentences(article.sentences))) for article in articles]
    parse_frames([s.text for _, sentences in report for s in sentences])
    claims = []
    for article, sentences in report:
        previous: list[FigureMention] = []
        for sentence in sentences:
            found = figures_in(sentence.text)
            dates = resolve_dates(sentence.text, article.published_at)
            for figure in found:
                if _REFERS_BACK.search(sentence.text) and previous:
                    _refer_back(figure, previous)
                nearest = min(dates, key=lambda d: abs(d.start - figure.end), default=None)
                near = nearest is not None and abs(nearest.start - figure.end) < 40
                day = nearest.day if near and nearest else (article.published_at.date() if article.published_at else None)
                claims.append(Claim(figure, article, sentence.ref, day, dated=near, position=len(claims)))
            previous = found or previous
    names = canonical_names([c.figure.claimed_by for c in claims if c.figure.claimed_by])
    for claim in claims:  # "the agency" and "the Provincial Emergency Agency" are one claimant
        if claim.figure.claimed_by:
            claim.figure.claimed_by = names.get(claim.figure.claimed_by, claim.figure.claimed_by)
    return claims


def _refer_back(figure: FigureMention, previous: list[FigureMention]) -> None:
    """"The government put the figure at $800 million": a figure that says only "the figure" or "its
    own estimate" is of what the sentence before counted, in the same unit."""
    same_unit = [p for p in previous if p.unit == figure.unit and (p.measure or countable(p.frame))]
    if not same_unit:
        return
    if figure.measure is None:
        figure.measure = same_unit[-1].measure
    frame, earlier = figure.frame, same_unit[-1].frame
    if not countable(frame) and frame.kind == earlier.kind:
        for name in ("counted", "head", "modifiers", "measure", "owner", "owners", "place", "places", "scope"):
            setattr(frame, name, getattr(earlier, name))


@dataclass
class Quantity:
    """Figures that count one thing, and what the sources' values say: "conflict" (they differ),
    "update" (later reports move one way), "agreement" (several outlets give one figure) or "single"."""

    claims: list[Claim]
    kind: str = "single"

    @property
    def name(self) -> str:
        return quantity_name([c.figure.frame for c in self.claims])

    @property
    def subject(self) -> str:
        """The measure for the measures of disasters, which earlier briefs named so ("deaths"), else the name."""
        frames = [c.figure.frame for c in self.claims]
        measures = {f.measure for f in frames if f.measure}
        plain = all(f.head in (None, "people") and not f.owners and not f.places and not f.modifiers for f in frames)
        if plain and len(measures) == 1 and (measure := measures.pop()) in MEASURES:
            return measure
        return self.name


def quantities(claims: list[Claim]) -> list[Quantity]:
    """The story's figures grouped into quantities, most specific figures first: a figure joins the
    group whose every figure it is comparable with. A figure that names no owner joins a group that
    has one only when its own report names it ("412 seats" in a report about Labour);
    where it could join several, it joins one that names none either, or, naming no place, the one
    whose places hold all the others' ("20,000 deaths" beside the deaths in Turkey, in Syria and in
    both: both), else it starts the whole; naming a place, it is compared with none."""
    usable = [c for c in claims if countable(c.figure.frame) and not (c.figure.frame.earlier and not c.dated)]
    seen: set[tuple[str, str, int]] = set()  # a report repeating a sentence word for word says nothing new,
    usable = [c for c in usable if (key := (c.article.id, c.figure.text, hash(_sentence_of(c)))) not in seen
              and not seen.add(key)]  # and each repeat would cost a comparison with every other figure
    usable.sort(key=lambda c: (-_specificity(c.figure.frame), c.day or date.max, c.position))
    groups: list[list[Claim]] = []
    names: dict[str, frozenset[str]] = {}
    years = {str(c.day.year) for c in claims if c.day} or _latest_year(claims)  # the years the reports are of
    for claim in usable:
        fits = [g for g in groups if all(_together(claim, other, years) for other in g) and _named_alike(claim, g, names)]
        frame = claim.figure.frame
        if len(fits) > 1 and (frame.owners or frame.places):
            alike = [g for g in fits if any(set(o.figure.frame.places) == set(frame.places)
                                            and set(o.figure.frame.owners) == set(frame.owners) for o in g)]
            if alike:  # the group naming them as it does
                fits = alike if len(alike) == 1 else _nearest(claim, alike)
        if len(fits) > 1:
            plain = [g for g in fits if not any(o.figure.frame.owners or o.figure.frame.places for o in g)]
            owners = {frozenset(n for o in g for n in o.figure.frame.owners) for g in fits}
            if plain:
                fits = plain if len(plain) == 1 else _nearest(claim, plain)
            elif len(owners) > 1 or claim.figure.frame.places:
                continue  # whose it is cannot be told: compared with none
            else:  # no place named: the whole, where the story counts several places
                places = [frozenset(n for o in g for n in o.figure.frame.places) for g in fits]
                fits = [g for g, here in zip(fits, places) if whole(here) or all(here >= other for other in places)]
        if len(fits) == 1:
            fits[0].append(claim)
        elif not fits:
            groups.append([claim])
    return [Quantity(group, _kind(group)) for group in groups]


_YEAR_NAMED = re.compile(r"\b(?:19|20)\d\d\b")


def _latest_year(claims: list[Claim]) -> set[str]:
    """For reports without dates, the latest year they name: the story is of that year at the
    earliest, so a figure of an earlier year ("In 2011, the city flushed 7.8 million gallons") is
    not compared with the figures that name none."""
    named = {year for article in {id(c.article): c.article for c in claims}.values()
             for year in _YEAR_NAMED.findall(article.text)}
    return {max(named)} if named else set()


def _nearest(claim: Claim, groups: list[list[Claim]]) -> list[list[Claim]]:
    """Of groups a figure fits equally well (kept apart because one sentence gave both), the one whose
    values are nearest its own."""
    def distance(group: list[Claim]) -> float:
        return min(abs(math.log(max(claim.figure.value, 1e-9) / max(o.figure.value, 1e-9))) for o in group)

    ranked = sorted(groups, key=distance)
    return ranked[:1] if distance(ranked[0]) < distance(ranked[1]) else []


def _together(claim: Claim, other: Claim, years: set[str]) -> bool:
    """Whether two figures can be one quantity: comparable frames, and not two figures of one sentence
    (a sentence that gives two values of one kind lists two things: "17,134 deaths in Turkey and
    3,317 in Syria"), unless one is the value from before ("rose to 23, up from 14") or after
    ("demanded $900 million, later lowered to $550 million"); not a figure of a past year beside one
    of now; not the results of two polls."""
    if claim.ref == other.ref and not (claim.figure.frame.earlier or other.figure.frame.earlier
                                       or claim.figure.frame.revised or other.figure.frame.revised):
        return False
    for one, two in ((claim, other), (other, claim)):
        year = one.figure.frame.scope
        now = {str(two.day.year)} if two.day else years
        if year and year.isdigit() and two.figure.frame.scope is None and now and year not in now:
            return False  # "the 2011 earthquake killed 18,400": not this year's toll
            # (nor, in undated reports, of the latest year they name)
    surveys = _survey(claim), _survey(other)
    if None not in surveys and surveys[0] != surveys[1]:
        return False  # two polls' shares are two measurements, not one disputed figure
    return comparable(claim.figure.frame, other.figure.frame)


_SURVEY = re.compile(r"\b(?:poll|polls|polling|survey|surveys|study|studies|census|questionnaire)\b", re.I)


def _survey(claim: Claim) -> str | None:
    """The poll or survey a figure comes from, when its claimant is one ("a November Gallup poll")."""
    return _survey_named(claim.figure.claimed_by) if claim.figure.claimed_by else None


@lru_cache(maxsize=4096)
def _survey_named(who: str) -> str | None:
    return re.sub(r"^(?:the|an?)\s+", "", who.lower()) if _SURVEY.search(who) else None


def _sentence_of(claim: Claim) -> str:
    index = int(claim.ref.rsplit(":", 1)[1])
    sentences = claim.article.sentences
    return sentences[index].text if index < len(sentences) and sentences[index].index == index else claim.ref


def _named_alike(claim: Claim, group: list[Claim], names: dict[str, frozenset[str]]) -> bool:
    """Whether a figure naming no owner can be the group's: its report names one of the group's owners
    (a report on all airlines' cancellations is not about the one airline another report names)."""
    if claim.figure.frame.owners:
        return True
    wanted = {name for other in group for name in other.figure.frame.owners}
    return not wanted or any(_mentions(claim.article, name, names) for name in wanted)


def _mentions(article: Article, name: str, cache: dict[str, frozenset[str]]) -> bool:
    """Whether the report names someone or somewhere (normalised as ``names_in`` does it)."""
    if article.id not in cache:
        runs = names_in(article.text)
        cache[article.id] = frozenset([*(word for found in runs for word in found.split()),
                                       *("".join(w[0] for w in found.split()) for found in runs if " " in found)])
    return all(word in cache[article.id] for word in name.split())  # (an acronym is one: "SCA")


def _specificity(frame: Frame) -> int:
    return sum(bool(x) for x in (frame.owners, frame.places, frame.measure, frame.head, frame.scope))


def _kind(group: list[Claim]) -> str:
    """conflict, update, agreement or single (one source, or one article)."""
    figures = [c.figure for c in group]
    if all(agree(a, b) for a, b in zip(figures, figures[1:])) and all(agree(figures[0], f) for f in figures):
        return "agreement" if len({c.article.id for c in group}) > 1 else "single"
    apart = _told_apart(group)
    if not any(_sources_differ(a, b) and not any(agree(x.figure, a.figure) and agree(y.figure, b.figure) for x, y in apart)
               for a in group for b in group if not agree(a.figure, b.figure)):
        return "single"
    per_day: dict[date | None, list[Claim]] = defaultdict(list)
    for claim in group:
        per_day[claim.day].append(claim)
    if None in per_day or len(per_day) < 2:
        return "conflict"
    days = sorted(d for d in per_day if d is not None)
    if not all(all(agree(a.figure, b.figure) for b in per_day[d]) for d in days for a in per_day[d]):
        return "conflict"
    series = [per_day[d][0].figure for d in days]
    steps = [0 if agree(a, b) else (1 if b.value > a.value else -1) for a, b in zip(series, series[1:])]
    return "update" if all(s >= 0 for s in steps) or all(s <= 0 for s in steps) else "conflict"


def _told_apart(group: list[Claim]) -> list[tuple[Claim, Claim]]:
    """The pairs of values one report gives itself, differing, neither said to be before the other
    or someone else's: two things it tells apart (two tranches of tariffs, this year's flush and one
    in 2011). Two sources whose values are such a pair do not dispute one figure."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in group:
        by_article[claim.article.id].append(claim)
    return [(x, y) for own in by_article.values() if len(own) > 1 for x in own for y in own
            if not agree(x.figure, y.figure) and not _sources_differ(x, y)]


def _sources_differ(a: Claim, b: Claim) -> bool:
    """Whether two values come from two sources: two reports, or two that one report names ("PETA
    identified 20 deaths; BuzzFeed News counted 29"), or a report's value and its revision. (One
    report's own figures, unattributed, are rather figures of two things it tells apart.)"""
    if a.article.id != b.article.id:
        return True
    frames = (a.figure.frame, b.figure.frame)
    if any(f.revised or f.earlier for f in frames) or (a.dated and b.dated and a.day != b.day):
        return True  # "lowered to", "up from", "on Monday ... on Tuesday": the report tells a change
    return bool(a.figure.claimed_by and b.figure.claimed_by and a.claimant.lower() != b.claimant.lower())


_PARTICIPLES = {"deaths": "killed", "injured": "injured", "missing": "missing", "evacuated or displaced":
                "evacuated or displaced", "arrested": "arrested", "cancelled": "cancelled", "delayed": "delayed",
                "rescued": "rescued", "released": "released", "deployed": "deployed", "infected": "infected",
                "hospitalised": "in hospital", "cut": "cut", "sold": "sold", "demanded": "demanded"}


def quantity_name(frames: list[Frame]) -> str:
    """What the figures count, in words: "deaths", "people evacuated or displaced", "North Korean
    troops in Russia", "Labour seats", "damage"."""
    def common(values: list[str | None]) -> str | None:
        present = [v for v in values if v]
        return Counter(present).most_common(1)[0][0] if present else None

    measure = common([f.measure for f in frames])
    head = common([f.head for f in frames])
    owner = common([f.owner for f in frames])
    place = common([f.place for f in frames])
    counted = common([f.counted for f in frames if f.head == head and f.counted and len(f.counted.split()) <= 5])
    if head in (None, "people") and measure == "deaths":
        name = "deaths"
    elif head in (None, "people") and measure in ("damage",):
        name = measure
    elif frames[0].kind == "count" and (head == "people" or (head is None and measure in _PARTICIPLES)):
        name = f"people {_PARTICIPLES.get(measure or '', '')}".strip()
    elif head is None and frames[0].kind == "money":
        name = f"amount {_PARTICIPLES.get(measure or '', measure or '')}".strip()
    else:
        name = counted or head or measure or "figures"
        if measure in _PARTICIPLES and measure not in ("won",) and name != measure:
            name = f"{name} {_PARTICIPLES[measure]}"
    if owner and not re.search(re.escape(owner.split()[0]), name, re.I):
        name = re.sub(r"^[Tt]he |['’]s$", "", owner) + " " + name
    if place and place != "all":
        name = f"{name} in {re.sub(r'^[Tt]he ', '', place)}"
    return name


def _ordered(group: list[Claim]) -> list[Claim]:
    """In time order: by the day each figure is of, then by value (a rising toll), then as given."""
    return sorted(group, key=lambda c: (c.day or date.max, c.figure.value, c.position))


def disagreements(claims: list[Claim]) -> list[dict[str, object]]:
    """Quantities whose sources give different values, in time order: an "update" when the value
    moves one way over time (a rising toll), else a "conflict" (sources differ on the same thing).
    Each names its quantity and lists every value once, with who gives it, when, and where."""
    found = []
    for quantity in quantities(claims):
        if quantity.kind not in ("conflict", "update"):
            continue
        unique: dict[tuple[float, str], Claim] = {}
        for claim in _ordered(quantity.claims):
            who = str(claim.day) if quantity.kind == "update" else claim.claimant.lower()
            if quantity.kind == "update" and unique and agree(list(unique.values())[-1].figure, claim.figure):
                continue  # a later report of the value already shown ("the 23 killed", a week on) changes nothing
            unique.setdefault((claim.figure.value, who), claim)
        if len(unique) < 2:
            continue
        found.append({"subject": quantity.subject, "quantity": quantity.name, "kind": quantity.kind,
                      "claims": [c.as_dict() for c in unique.values()]})
    return found


def figures(claims: list[Claim], limit: int = 12) -> list[dict[str, object]]:
    """The distinct figures of a story about something recognisable, earliest first; a figure that
    several outlets give alike says so ("agreed_by": each of them, with its citation)."""
    agreed: dict[str, list[Claim]] = {}
    for quantity in quantities(claims):
        if quantity.kind == "agreement":
            ordered = _ordered(quantity.claims)
            for claim in ordered:
                agreed[claim.ref + claim.figure.text] = ordered
    seen = set()
    out = []
    for claim in sorted(claims, key=lambda c: (c.day or date.max, c.ref)):
        f = claim.figure
        if not (f.measure or f.counted):
            continue
        key = (f.measure or f.counted, f.value, f.unit)
        if key in seen:
            continue
        seen.add(key)
        item = claim.as_dict()
        group = agreed.get(claim.ref + f.text)
        if group:
            item["quantity"] = quantity_name([c.figure.frame for c in group])
            item["agreed_by"] = [{"claimed_by": c.claimant, "text": c.as_dict()["text"], "date": c.as_dict()["date"],
                                  "citations": [c.ref]} for c in group]
        out.append(item)
    return out[:limit]


def timeline(articles: list[Article], limit: int = MAX_TIMELINE) -> list[dict[str, object]]:
    """Dated events: sentences that say what happened on a day they name, one per event, in date order."""
    events = []
    for article in articles:
        for sentence in report_sentences(article.sentences):
            if outlook_strength(sentence.text) >= 1.0 or len(sentence.text.split()) < 6:
                continue
            dated = [d for d in resolve_dates(sentence.text, article.published_at)
                     if not article.published_at or d.day <= article.published_at.date()]
            if dated:
                events.append((dated[0].day, sentence.ref, sentence.text, article))
    if not events:
        return []
    idf = idf_weights(tokens(text) for _, _, text, _ in events)
    vectors = [tfidf(tokens(text), idf) for _, _, text, _ in events]
    kept: list[int] = []
    for i, event in enumerate(events):
        day = event[0]
        if any(events[j][0] == day and cosine(vectors[i], vectors[j]) >= 0.35 for j in kept):
            continue
        kept.append(i)
    # one entry per day at most when space is short: the earliest report of that day
    chosen: dict[date, int] = {}
    for i in kept:
        chosen.setdefault(events[i][0], i)
    picked = sorted(chosen.values(), key=lambda i: events[i][0])
    if len(picked) < limit:
        extra = [i for i in kept if i not in picked][: limit - len(picked)]
        picked = sorted(picked + extra, key=lambda i: (events[i][0], events[i][1]))
    return [{"date": events[i][0].isoformat(), "text": without_dateline(events[i][2]), "citations": [events[i][1]]}
            for i in picked[:limit]]
