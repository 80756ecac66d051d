"""The story's timeline: the events its reports tell, each dated by the day it happened.

A sentence reports an event with its main clause: the root verb, the clauses it takes as complements
("the agency said [the toll rose on Tuesday]") and those joined to it by "and". A date is the event's
day only when it hangs from one of those verbs. Elsewhere it is background and does not date the entry:
in a relative, participial or adverbial clause ("hostages seized in the 7 October attack will be
released"), naming a thing other than an event's subject ("investigated the 7 October attack", "the
events of 7 October are a tragedy"), or setting the event against another time ("missing since June
9", "within days of"). A clause opened by "when", "once", "while" or "as" happens at the main clause's
time, so its date counts, as does a date heading a chronology's item ("28 October 2025: the ferry
sinks"), or one closing a caption after a comma ("..., Tuesday, April 5, 2011, in Boston."). A sentence
without a verb (a citation, a caption's credit) reports no event; a date in a dateline or a "Published:"
stamp is the day of filing. The same event told by several outlets (the same day, much the same words)
is one entry citing each of them, with the first and last day it was reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import NamedTuple

from ..boilerplate import report_sentences
from ..nlp import parser_or_none
from ..records import Article, Sentence
from ..sentences import without_dateline
from ..textvec import Vector, cosine, idf_weights, tfidf, tokens
from .dates import _DATELINE, ResolvedDate, resolve_dates  # the pattern dates.py reads datelines with
from .outlook import outlook_strength

MAX_TIMELINE = 8  # entries a brief's timeline holds
SAME_EVENT = 0.35  # TF-IDF cosine (dates left out) above which two reports of one day tell one event
_COMPLEMENTS = {"ccomp", "xcomp", "conj", "parataxis"}  # clauses that are part of what the sentence reports
_REPORTED = {"ccomp", "parataxis"}  # what a speaker says: the event, rather than the saying
_CLAUSES = {"ROOT", "relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp", "csubj", "csubjpass", "parataxis"}
_SIMULTANEOUS = {"when", "once", "while", "whilst", "as"}  # "when the storm hit on Sunday, the levee held"
# words that set an event against a date instead of placing it there: "since June 9", "before Friday"
_NOT_ON = {"since", "until", "till", "before", "after", "from", "through", "between", "within", "prior",
           "ahead", "despite", "pending"}
# a date closing a sentence after a comma, as captions place it: "..., Tuesday, April 5, 2011, in Boston."
_CLOSING = re.compile(r"^(?:,?\s+(?:in|at|near|outside|on)\s+[^;:()]{1,80}?)?[\s,.…]*$")
_SPAN_END = re.compile(r"\b(?:between|from)\s[^;:()]{1,40}?\s(?:and|to|until|till|through)\s+$", re.I)
_SUBJECTS = {"nsubj", "nsubjpass"}
_NAMING = {"compound", "poss", "nmod", "amod", "nummod", "appos"}  # "the 7 October attack", "Monday's vote"
# nouns that only say when in the day: "Sunday night", "the early hours of 6 February"
_TIMES = {"morning", "afternoon", "evening", "night", "dawn", "dusk", "midnight", "noon", "day", "hours", "hour",
          "a.m.", "p.m.", "am", "pm", "time", "week", "weekend"}
_CACHE_SIZE = 20_000


class Word(NamedTuple):
    """What the timeline reads of one token of spaCy's parse (kept per sentence instead of the Doc)."""

    start: int
    end: int
    lower: str
    pos: str
    dep: str
    head: int


_parses: dict[str, tuple[Word, ...] | None] = {}


def parse(texts: list[str]) -> None:
    """Parse, in one batch, the sentences not parsed yet (None is kept where spaCy is not installed)."""
    wanted = list(dict.fromkeys(t for t in texts if t not in _parses))
    nlp = parser_or_none() if wanted else None
    if len(_parses) + len(wanted) > _CACHE_SIZE:
        _parses.clear()
    if nlp is None:
        _parses.update((t, None) for t in wanted)
        return
    for text, doc in zip(wanted, nlp.pipe(wanted, batch_size=256)):
        _parses[text] = tuple(Word(t.idx, t.idx + len(t), t.lower_, t.pos_, t.dep_, t.head.i) for t in doc)


def event_date(text: str, dates: list[ResolvedDate]) -> ResolvedDate | None:
    """The date of the event ``text`` reports, among ``dates`` (the sentence's own), or None when every
    one of them is background. Where two qualify, the one in what a speaker says wins over the saying
    ("police said on Monday that the man was arrested on Sunday": Sunday)."""
    if text not in _parses:
        parse([text])
    return dated_by(text, dates, _parses[text])


def dated_by(text: str, dates: list[ResolvedDate], words: tuple[Word, ...] | None) -> ResolvedDate | None:
    """``event_date`` read from the sentence's parse, or from its words alone where there is none."""
    filed = _DATELINE.match(text)
    if filed and (filed["stamp"] or (filed["place"] and filed["dash"])):
        dates = [d for d in dates if d.start >= filed.end()]  # "DALLAS, May 10, 2016 —", "Published: Jan. 18"
    dates = [d for d in dates if not _set_against(text[: d.start])]
    if words is None:
        return dates[0] if dates else None
    best: tuple[int, ResolvedDate] | None = None
    for found in dates:
        depth = 0 if _closing(text, found, words) else _main_clause_depth(words, found)
        if depth is not None and (best is None or depth > best[0]):
            best = (depth, found)
    return best[1] if best else None


def _closing(text: str, found: ResolvedDate, words: tuple[Word, ...]) -> bool:
    """A date set off by a comma at the end of a sentence with a verb dates all of it, as in a caption
    ("..., Tuesday, April 5, 2011, in Boston."), whatever noun before it the parse hangs it from."""
    return (text[: found.start].rstrip().endswith(",") and bool(_CLOSING.match(text[found.end :]))
            and any(w.dep == "ROOT" and w.pos in ("VERB", "AUX") for w in words))


def _set_against(before: str) -> bool:
    """The words before the date set the event against it: "since Monday", "between May 1 and June 9"
    (the parse does not always show it: "between" may hang from the first date, the second from the verb)."""
    last = re.findall(r"[a-z]+", before.lower()[-20:])
    return bool(last) and last[-1] in _NOT_ON or bool(_SPAN_END.search(before))


def _main_clause_depth(words: tuple[Word, ...], found: ResolvedDate) -> int | None:
    """How many reported-speech clauses deep the main-clause verb the date hangs from is, or None when
    the date does not date the sentence's event."""
    inside = [i for i, w in enumerate(words) if w.start < found.end and found.start < w.end]
    if not inside:
        return None
    node = next(i for i in inside if not _dominated(words, i, set(inside)))
    node, thing = _named(words, node)
    while not _is_clause(words[node]):
        node = words[node].head
        if words[node].lower in _NOT_ON:
            return None
    verb = node
    if words[verb].pos not in ("VERB", "AUX"):
        if verb in inside and inside[0] == 0:  # "28 October 2025 - The ferry sank."
            return 0 if any(w.dep == "ROOT" and w.pos in ("VERB", "AUX") for w in words[verb:]) else None
        return None  # "Wilford Woodruff journal, Nov. 28, 1841": no verb, no event
    if thing is not None and not (words[verb].pos == "VERB" and _subject_of(words, thing, verb)):
        return None  # only the subject of an event's verb is dated with it: "Monday's quake killed 20"
    depth = 0
    while words[node].dep != "ROOT":
        dep = words[node].dep
        if dep in _REPORTED:
            depth += 1
        elif dep not in _COMPLEMENTS and not (dep == "advcl" and _simultaneous(words, node)):
            return None
        node = words[node].head
    return depth


def _named(words: tuple[Word, ...], node: int) -> tuple[int, int | None]:
    """The date's phrase, grown by the times of day it names ("Sunday night", "the early hours of 6
    February"), and the thing it names, if any: "the 7 October attack", "Monday's vote", "the events of
    7 October". (A date in "on ..." beside a noun is left to the verb: the parser often hangs "at the
    villa on May 17" from the villa.)"""
    while True:
        head = words[node].head
        if words[node].dep in _NAMING and words[head].pos == "NOUN":
            noun = head
        elif words[node].dep == "pobj" and words[head].lower == "of" and words[words[head].head].pos == "NOUN":
            noun = words[head].head
        else:
            return node, None
        if words[noun].lower not in _TIMES:
            return node, noun
        node = noun


def _dominated(words: tuple[Word, ...], i: int, among: set[int]) -> bool:
    while words[i].head != i:
        i = words[i].head
        if i in among:
            return True
    return False


def _is_clause(word: Word) -> bool:
    return word.pos in ("VERB", "AUX") or word.dep in _CLAUSES


def _subject_of(words: tuple[Word, ...], noun: int, verb: int) -> bool:
    """Whether ``noun`` is within the subject of ``verb`` ("Monday's quake killed 20")."""
    while noun != verb and words[noun].head != noun:
        if words[noun].dep in _SUBJECTS and words[noun].head == verb:
            return True
        noun = words[noun].head
    return False


def _simultaneous(words: tuple[Word, ...], verb: int) -> bool:
    return any(w.head == verb and w.dep in ("mark", "advmod") and w.lower in _SIMULTANEOUS for w in words)


@dataclass
class Report:
    """One sentence of one article telling of an event on ``day``."""

    day: date
    sentence: Sentence
    article: Article
    vector: Vector

    @property
    def published(self) -> datetime | None:
        return self.article.published_at


@dataclass
class Event:
    """One happening and every report of it, earliest first."""

    day: date
    reports: list[Report]

    def as_dict(self) -> dict[str, object]:
        first = self.reports[0]
        cited: dict[str, str] = {}
        for report in self.reports:
            cited.setdefault(report.article.id, report.sentence.ref)  # one sentence an outlet
        item: dict[str, object] = {"date": self.day.isoformat(), "text": without_dateline(first.sentence.text),
                                   "citations": list(cited.values())}
        days = sorted(r.published.date() for r in self.reports if r.published)
        if days:
            item["reported"] = {"first": days[0].isoformat(), "last": days[-1].isoformat()}
        return item


_NEVER = datetime.max.replace(tzinfo=timezone.utc)


def reports_of(articles: list[Article]) -> list[Report]:
    """The sentences that report a dated event that has happened (by the time of their report), earliest
    report first. Only sentences with such a date are parsed, in one batch."""
    candidates: list[tuple[Article, Sentence, list[ResolvedDate]]] = []
    for article in articles:
        published = article.published_at.date() if article.published_at else None
        for sentence in report_sentences(article.sentences):
            if outlook_strength(sentence.text) >= 1.0 or len(sentence.text.split()) < 6:
                continue
            dates = [d for d in resolve_dates(sentence.text, article.published_at)
                     if not published or d.day <= published]
            if dates:
                candidates.append((article, sentence, dates))
    parse([s.text for _, s, _ in candidates])
    dated = [(article, sentence, found) for article, sentence, dates in candidates
             if (found := event_date(sentence.text, dates)) is not None]
    idf = idf_weights(_words(s.text, found) for _, s, found in dated)
    reports = [Report(found.day, sentence, article, tfidf(_words(sentence.text, found), idf))
               for article, sentence, found in dated]
    return sorted(reports, key=lambda r: (r.published or _NEVER, r.article.id, r.sentence.index))


def _words(text: str, found: ResolvedDate) -> list[str]:
    """The sentence's words without its date: two events of one day share that and nothing else."""
    return tokens(text[: found.start] + " " + text[found.end :])


def events_of(reports: list[Report]) -> list[Event]:
    """Reports of the same day in much the same words are one event."""
    events: list[Event] = []
    for report in reports:
        same = next((e for e in events if e.day == report.day
                     and any(cosine(report.vector, r.vector) >= SAME_EVENT for r in e.reports)), None)
        if same:
            same.reports.append(report)
        else:
            events.append(Event(report.day, [report]))
    return events


def timeline(articles: list[Article], limit: int = MAX_TIMELINE) -> list[dict[str, object]]:
    """The story's events in time order, each once, citing every outlet that reports it. When there are
    more than ``limit``, each day's most widely reported event is kept first (the timeline spans the
    story), then the others, most widely reported first; among equals, the earlier."""
    events = events_of(reports_of(articles))
    ranked = sorted(events, key=lambda e: (-len({r.article.id for r in e.reports}), e.day))
    leading: dict[date, Event] = {}
    for event in ranked:
        leading.setdefault(event.day, event)
    kept = (list(leading.values()) + [e for e in ranked if leading[e.day] is not e])[:limit]
    kept.sort(key=lambda e: (e.day, e.reports[0].published or _NEVER, e.reports[0].sentence.ref))
    return [e.as_dict() for e in kept]
