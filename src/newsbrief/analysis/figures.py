"""Figures in a sentence: value, qualifier ("about", "up to", "more than" ...), unit or counted noun,
what is measured, who claims it, and the figure's frame: what exactly it counts, whose or where.

"about 12,000 residents had been evacuated, according to the agency" gives value 12000, qualifier
"about", counted "residents", measure "evacuated or displaced", claimed by "the agency".
"about 8,000 North Korean soldiers were in Russia's Kursk region" gives the frame: counted "North
Korean soldiers", head "troops", owner North Korea, place Russia and Kursk, kind "count". Two figures
are one quantity only when their frames match (``comparable``): the troops of one army are not another's.

The frame is read from spaCy's dependency parse of the sentence where spaCy is installed (the parse
is made once per sentence with a figure and kept, ``parse_frames``), else from the words alone.

This module finds the figures and puts the parts together: ``figure_numbers`` reads numbers as
written (digits, words, ranges), ``figure_lexicon`` holds the words of measures and counted nouns,
``figure_frames`` the frame and its reading from words, ``figure_parse`` its reading from the parse,
``figure_owners`` whose and where, ``figure_time`` the time a figure is of, and ``figure_comparison``
which figures are one quantity and whether their values agree. Callers import from here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..nlp import parser_or_none
from .attribution import speaker
from .figure_comparison import agree, approximate, comparable, countable, tolerance
from .figure_frames import FigureMention, Frame, frame_from_words
from .figure_lexicon import (LEADING_ADJECTIVES, MEASURE_WORDS, MEASURES, PERSON_MEASURES, PLURALS, SYNONYMS,
                             UNIT_MODIFIERS)
from .figure_numbers import (CURRENCIES, FIGURE, FRACTIONS, RANK, SCALES, VAGUE, WORD_NUMBERS, not_a_figure, scale_of,
                             second_of, value_of)
from .figure_owners import WHOLE, names_in, same_names, same_places, whole
from .figure_parse import frame_from_parse
from .figure_time import time_of

# what callers import from here: the figures of a sentence, their frames, and how two are compared
__all__ = ["MEASURES", "MEASURE_WORDS", "PERSON_MEASURES", "SYNONYMS", "VAGUE", "WHOLE", "FigureMention", "Frame",
           "agree", "approximate", "comparable", "countable", "figures_in", "names_in", "parse_frames", "same_names",
           "same_places", "tolerance", "whole", "worth_parsing"]

_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z-]*){0,4}")
_NOT_COUNTED = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "as",
                "were", "was", "are", "is", "had", "have", "has", "been", "be", "who", "that", "which", "still",
                "people's", "per", "a.m", "p.m", "am", "pm", "years", "year", "this", "that", "these", "those", "its",
                "his", "her", "their", "our", "it", "them", "they", "we", "he", "she", "you"}
_NOT_COUNTED_PEOPLE = re.compile(
    r"(?:hours?|days?|weeks?|months?|years?|minutes?|seconds?|nights?|miles?|km|kilomet(?:er|re)s?|met(?:er|re)s?|"
    r"feet|foot|inch(?:es)?|acres?|hectares?|tons?|tonnes?|pounds?|kg|kilograms?|gallons?|lit(?:er|re)s?|times|"
    r"points?|percent|degrees?|births|states|countries|cities|counties|rounds?|shots?|games?|seasons?|episodes?|"
    r"rifles?|guns?|honou?rs?)$", re.I)
_VERB_LIKE = re.compile(r"(ed|ing)$|^(remain|remains|say|says|said|die|dies|live|lives|work|works|fled)$")


def _counted(after: str) -> str | None:
    """The counted noun after the number: one word ("people", "homes"), or two when the first
    modifies the second ("basis points", "cubic metres"); never a following verb ("homes lost")."""
    words = after.split()
    while len(words) > 1 and words[0].lower() in LEADING_ADJECTIVES:
        words = words[1:]
    if not words or words[0].lower() in _NOT_COUNTED or words[0].endswith("-"):
        return None  # (a word cut at a hyphen, "2,000 K-9s": no counted noun)
    first = words[0]
    if len(words) > 1 and words[1].lower() not in _NOT_COUNTED and not _VERB_LIKE.search(words[1].lower()):
        second = words[1].lower()
        lower = first.lower()
        plural_first = (lower.endswith("s") and not lower.endswith(("ss", "us", "is"))) or lower in PLURALS
        if first.lower() in UNIT_MODIFIERS or (not plural_first and second.endswith("s")):
            return f"{first} {words[1]}"
    return first


def _measure(sentence: str, start: int, end: int) -> str | None:
    """The measure named by the nearest measure word, preferring words after the figure
    ("31 were still missing") to words before it ("killed ... 23")."""
    lowered = sentence.lower()
    best: tuple[float, str] | None = None
    for measure, words in MEASURES.items():
        for word in words:
            for m in re.finditer(rf"\b{re.escape(word)}\b", lowered):
                if m.start() >= end:
                    if re.search(r",|;| and | but |\w\s+(?:who|whom|whose|which|that)\b", lowered[end : m.start()]):
                        continue  # a measure word in the next clause, or said of another noun ("three on
                        # behalf of passengers who died"), is about something else
                    distance = (m.start() - end) * 0.5
                elif m.end() <= start:
                    between = lowered[m.end() : start]
                    distance = float(start - m.end()) + (25.0 if re.search(r",|;| and | but ", between) else 0.0)
                else:
                    distance = 0.0
                if distance <= 70 and (best is None or distance < best[0]):
                    best = (distance, measure)
    return best[1] if best else None


MAX_CLAIMANT_WORDS = 12
_CLAUSE_WORDS = re.compile(r"\b(?:has|have|had|been|was|were|is|are|will|would)\b")  # a clause, not a name


def _claimant(sentence: str, start: int, end: int) -> str | None:
    """Who the sentence says claims the figure at ``start``-``end`` (parsed only for sentences with
    figures); not the figure itself ("thousands of people"), a number or a whole clause."""
    who = speaker(sentence, at=start)
    if not who or not re.search(r"[A-Za-z]", who) or len(who.split()) > MAX_CLAIMANT_WORDS or _CLAUSE_WORDS.search(who):
        return None
    at = sentence.find(who)
    return None if at >= 0 and at < end and start < at + len(who) else who


def _read(sentence: str, match: re.Match[str]) -> FigureMention | None:
    """One figure from its match: value, qualifier, unit, kind, a range's end, the counted words."""
    vague, fraction, ratio = match.group("vague"), match.group("fraction"), match.group("ratio")
    currency = match.group("currency") or match.group("money")
    percent = bool(match.group("percent")) or bool(fraction) or bool(ratio)
    high: float | None = None
    core_end = match.end()
    kind = "count"
    if vague:
        value = float(VAGUE[vague.lower()])
    elif fraction:
        value = FRACTIONS[" ".join(fraction.lower().split())]
    elif ratio:
        one, _, of = ratio.lower().split()
        value = 100 * (1.0 if one == "one" else float(one)) / (float(of) if of.isdigit() else WORD_NUMBERS.get(of, 10))
    else:
        value = value_of(match.group("number"), match.group("words"))
        if scale_of(match):
            value *= SCALES[scale_of(match).lower()]
        second = second_of(sentence, match, value)
        if second:
            found, other, how = second
            if how == "range":
                if not scale_of(match) and scale_of(found) and value < other / SCALES[scale_of(found).lower()] + 1:
                    value *= SCALES[scale_of(found).lower()]  # "3 to 4 million": both in millions
                high, core_end = other, found.end()
                percent = percent or bool(found.group("percent"))
                currency = currency or found.group("currency")
            else:
                value, kind, core_end = value / other, "ratio", found.end()
        if match.group("words") and not currency and not percent and not re.match(r"\s+[A-Za-z]+(?!-?\d)", sentence[core_end:]):
            return None  # a number in words counts what follows it: "seven people"; not "at seven."
    after = _AFTER.match(sentence, core_end).group(0)
    counted = None if percent or kind == "ratio" else _counted(after)
    unit = "%" if percent else (CURRENCIES.get(currency.strip().lower(), currency.strip()) if currency else None)
    end = core_end + (after.find(counted) + len(counted) if counted else 0)
    kind = "percent" if percent else "money" if currency else kind
    qualifier = (match.group("qualifier") or (vague or "")).lower() or None
    if qualifier == "between" and high is None:
        qualifier = None
    measure = None if counted and _NOT_COUNTED_PEOPLE.match(counted) else _measure(sentence, match.start(), end)
    frame = Frame(kind=kind, low=value, high=high, currency=unit if kind == "money" else None, vague=bool(vague))
    return FigureMention(value=value, text=sentence[match.start() : end], qualifier=qualifier, unit=unit,
                         counted=counted.lower() if counted else None, measure=measure, claimed_by=None,
                         start=match.start(), end=end, frame=frame, core=core_end)


# "later lowered to $550 million", "raised it to 4.5%": a new value of a figure said before it
_REVISED = re.compile(r"\b(?:lowered|raised|revised|cut|reduced|increased|lifted|trimmed|upped|slashed)\s+"
                      r"(?:[a-z]+\s+){0,2}to\s+$", re.I)
_CACHE_SIZE = 20_000
_cache: dict[str, list[FigureMention]] = {}


def figures_in(sentence: str, doc: Any = None, ranks: bool = False) -> list[FigureMention]:
    """The figures a sentence states (years, clock times and dates are left out; ranks, "No. 2", only
    when asked for), each with its frame, read from ``doc`` (spaCy's parse of the sentence) when given,
    else from a parse made now and kept (``parse_frames`` makes them in batches), else from the words."""
    kept = _cache.get(sentence) if doc is None else None
    if kept is None:
        kept = _figures(sentence, doc)
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[sentence] = kept
    # copies, since callers refine them
    return [replace(f, frame=replace(f.frame)) for f in kept if ranks or f.frame.kind != "rank"]


def worth_parsing(sentence: str) -> bool:
    """Whether the sentence has a figure whose frame the parse could make comparable: not only
    durations ("for 12 hours", "two years later") or loose figures ("dozens of")."""
    for match in FIGURE.finditer(sentence):
        if not_a_figure(sentence, match) or (figure := _read(sentence, match)) is None or figure.frame.vague:
            continue
        if not (figure.counted and _DURATION.match(figure.counted.split()[-1])):
            return True
    return False


_DURATION = re.compile(r"(?:hours?|days?|weeks?|months?|years?|minutes?|seconds?|decades?|centuries|times|nights?)$", re.I)


def parse_frames(sentences: list[str]) -> None:
    """Read the figures of many sentences with one batched parse (~6 ms a sentence on one core: only
    sentences with a figure worth it are parsed, once each; the rest are read from their words)."""
    wanted = list(dict.fromkeys(s for s in sentences if s not in _cache and worth_parsing(s)))
    nlp = parser_or_none() if wanted else None
    if nlp is None:
        return
    for text, doc in zip(wanted, nlp.pipe(wanted, batch_size=256)):
        figures_in(text, doc)
    for text in sentences:
        if text not in _cache:
            _cache[text] = _figures(text, None, parse=False)


def _figures(sentence: str, doc: Any, parse: bool = True) -> list[FigureMention]:
    found: list[FigureMention] = []
    taken = 0
    for match in FIGURE.finditer(sentence):
        if match.start() < taken or not_a_figure(sentence, match):
            continue
        figure = _read(sentence, match)
        if figure is None:
            continue
        before = sentence[: figure.start]
        if found and re.search(r"\b(up|down|rising|falling)?\s*from\s*$|\bcompared with\s*$", before):
            figure.measure = found[-1].measure  # "risen to 23, up from 14": the same measure
        figure.frame.revised = bool(found and _REVISED.search(before))
        found.append(figure)
        taken = figure.core
    found += _ranks(sentence, found)
    found.sort(key=lambda f: f.start)
    if found:
        if doc is None and parse and len(sentence) < 1000:
            nlp = parser_or_none()
            doc = nlp(sentence) if nlp is not None else None
        for i, figure in enumerate(found):
            if doc is not None:
                frame_from_parse(sentence, doc, figure, found[:i])
            else:
                frame_from_words(sentence, figure, found[:i])
            time_of(sentence, figure)
            if i and figure.frame.kind == "money" and found[i - 1].frame.kind == "money" and re.fullmatch(
                    r"\s*\(\s*", sentence[found[i - 1].end : figure.start]):
                _convert(found[i - 1].frame, figure.frame)  # "3 billion Swiss francs ($3.23 billion)"
            figure.text = " ".join(sentence[figure.start : figure.end].split())  # verbatim: checked against the source
            # who the figure's own verb says counted it comes before the sentence's outer speaker
            figure.claimed_by = figure.frame.claimant or _claimant(sentence, figure.start, figure.end)
    return found


def _convert(given: Frame, converted: Frame) -> None:
    """A sum in brackets converts the one before it into another currency: it is of the same thing."""
    for name in ("head", "measure", "modifiers", "counted", "owner", "owners", "place", "places", "scope", "change",
                 "projected"):
        setattr(converted, name, getattr(given, name))


def _ranks(sentence: str, found: list[FigureMention]) -> list[FigureMention]:
    """Ranks: "No. 3", "ranked 12th", "finished 2nd", "in 5th place"."""
    ranks = []
    for match in RANK.finditer(sentence):
        if any(f.start <= match.start() < f.end for f in found):
            continue
        value = float(match.group("a") or match.group("b") or match.group("c"))
        start = match.start("a") if match.group("a") else match.start()
        ranks.append(FigureMention(value=value, text=sentence[start : match.end()], qualifier=None, unit=None,
                                   counted=None, measure=None, claimed_by=None, start=start, end=match.end(),
                                   frame=Frame(kind="rank", low=value), core=match.end()))
    return ranks
