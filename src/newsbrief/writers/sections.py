"""Themed sections: the chosen sentences grouped by what they are about, each under a heading
that names the theme.

Sentences are grouped by average-link clustering of their context vectors (a sentence with its
neighbours, since reports treat one aspect over a few sentences); a group's heading is the
common-noun phrase its sentences share that is most particular to it (headings.py), or, where
spaCy is not installed, the key phrase that is: frequent in the group, rare in the story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from ..records import Section
from ..textvec import STOPWORDS, centroid, cosine, idf_weights, tokens
from .scoring import Candidate

_PHRASE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PUNCTUATION = re.compile(r"[,;:.!?()\[\]\"“”—–]|\s-+\s")
# Words that make poor headings on their own or at a heading's edge.
NOT_HEADING = frozenset(
    """year years week weeks day days time times people percent monday tuesday wednesday thursday
    friday saturday sunday told added including like many much several last first since still even
    well later along across around among amid within without toward towards upon onto via per
    near next past least less lot lots part parts way ways thing things something anything nothing
    another other others every each whose whom already almost also always ever never often soon
    yet get got make made take taken took give given going come came went say saying asked called
    set put see seen use used using new old early late high low big small large long short good
    bad great left right top end ago told statement report reported reports week's today tonight
    yesterday tomorrow morning evening night number dozens hundreds thousands millions tell tells
    telling says think thinks thought know knows knew want wants wanted need needs like likes seem seems
    look looks keep keeps mr mrs ms whether although though unless however single moment moments
    gov sen rep""".split()
)


@lru_cache(maxsize=4096)
def phrases(text: str) -> tuple[str, ...]:
    """Lower-cased 1-3 word phrases of content words (no stop words, no numbers), each once, in
    order of appearance (so that ties break the same way on every run)."""
    runs = [[re.sub(r"'s$", "", w.lower().replace("’", "'")) for w in _PHRASE_WORD.findall(run)]
            for run in _PUNCTUATION.split(text)]  # ("Obama's involvement": the phrase is "obama")
    found = []
    for n in (1, 2, 3):
        for keys in runs:  # a phrase does not run over punctuation: "Larry Green, Manuel Moore"
            for i in range(len(keys) - n + 1):
                gram = keys[i : i + n]
                if any(g in STOPWORDS or g in NOT_HEADING or len(g) < 3 or g.endswith("ly") for g in gram):
                    continue
                found.append(" ".join(gram))
    return tuple(dict.fromkeys(found))


def phrase_rarity(pool: list[Candidate]) -> dict[str, float]:
    """Log inverse sentence frequency of each phrase in the story: words in every sentence
    ("dam", the place name) make poor headings."""
    df: Counter[str] = Counter(p for c in pool for p in phrases(c.text))
    return {p: math.log((len(pool) + 1) / (n + 0.5)) for p, n in df.items()}


SIZE_PENALTY = 0.015  # per sentence: keeps one theme from swallowing the rest (chaining)


def cluster(body: list[Candidate], groups_wanted: int) -> list[list[Candidate]]:
    """Average-link agglomerative clustering of context vectors down to ``groups_wanted``,
    with a small penalty on merging large groups so that themes stay balanced."""
    groups = [[c] for c in body]

    def link(a: list[Candidate], b: list[Candidate]) -> float:
        similarity = sum(cosine(x.context, y.context) for x in a for y in b) / (len(a) * len(b))
        return similarity - SIZE_PENALTY * (len(a) + len(b))

    while len(groups) > max(1, groups_wanted):
        i, j = max(
            ((i, j) for i in range(len(groups)) for j in range(i + 1, len(groups))),
            key=lambda pair: link(groups[pair[0]], groups[pair[1]]),
        )
        groups[i] += groups.pop(j)
    return groups


def absorb_singletons(groups: list[list[Candidate]]) -> list[list[Candidate]]:
    """A one-sentence section reads as a stray; fold it into the closest other group while
    at least two groups remain."""
    groups = [list(g) for g in groups]
    while len(groups) > 2 and any(len(g) == 1 for g in groups):
        lone = next(g for g in groups if len(g) == 1)
        groups.remove(lone)
        nearest = max(groups, key=lambda g: sum(cosine(lone[0].context, c.context) for c in g) / len(g))
        nearest.append(lone[0])
    return groups


def themed_sections(body: list[Candidate], pool: list[Candidate], max_sections: int = 4) -> list[Section]:
    if not body:
        return []
    wanted = 1 if len(body) <= 3 else min(max_sections, max(2, round(len(body) / 3)))
    groups = absorb_singletons(cluster(body, wanted))
    for group in groups:
        group.sort(key=lambda c: -c.score)
    groups.sort(key=lambda g: -g[0].score)
    return [Section(heading, [c.cited() for c in group]) for heading, group in zip(group_headings(groups, pool), groups)]


def group_headings(groups: list[list[Candidate]], pool: list[Candidate]) -> list[str]:
    """A heading for each group of sentences (best first), each different, naming what the group
    is about: the noun phrase its sentences are about ("Side effects"), else the clause of its most
    central leading sentence ("Death toll rose to 14"), else a noun it is most about; without spaCy,
    its key phrase."""
    from . import headings  # headings.py reads this module's word lists

    rarity = phrase_rarity(pool)
    story_count = Counter(p for c in pool for p in phrases(c.text))
    parsed = headings.available()
    term_rarity = headings.story_rarity([c.text for c in pool]) if parsed else {}
    idf = idf_weights(tokens(c.text) for c in pool) if parsed else {}
    if parsed:
        headings.parse(c.text for group in groups for c in group)
    used: set[str] = set()
    found = []
    for n, group in enumerate(groups):
        others = [c for k, g in enumerate(groups) if k != n for c in g]
        heading = None
        if parsed:
            heading = headings.theme_phrase([c.text for c in group], [c.text for c in others], term_rarity, used)
            heading = heading or headings.clause_heading(
                [(c.text, 1.0 / (1.0 + rank)) for rank, c in enumerate(group)],
                centroid(c.vector for c in group), idf, used)
            heading = heading or headings.theme_phrase([c.text for c in group], [c.text for c in others], term_rarity,
                                                       used, strict=False)
        heading = heading or heading_for(group, others, rarity, used, story_count)
        used.add(heading.lower())
        found.append(heading)
    return found


def _noun_like_end(phrase: str) -> bool:
    """Without a tagger, a phrase ending in a past-tense form ("cracks flagged") is likely a
    clause fragment rather than a topic."""
    last = phrase.rsplit(" ", 1)[-1]
    return not (last.endswith("ed") and len(last) > 4)


def heading_for(
    group: list[Candidate], others: list[Candidate], rarity: dict[str, float], used: set[str],
    story_count: dict[str, int],
) -> str:
    """The phrase most particular to ``group``, written as the sources write it."""
    in_group = Counter(p for c in group for p in phrases(c.text))
    in_others = Counter(p for c in others for p in phrases(c.text))

    def value(p: str) -> float:
        length_bonus = {1: 1.0, 2: 1.6, 3: 1.7}[len(p.split())]
        recurring = 1.0 if story_count.get(p, 0) >= 2 else 0.3  # a key phrase comes up again
        return in_group[p] * rarity.get(p, 1.0) * length_bonus * recurring / (1.0 + in_others[p])

    ranked = sorted((p for p in in_group if p not in used and _noun_like_end(p)), key=value, reverse=True)
    if not ranked:
        return "Other details"
    return display_form(ranked[0], group)


def display_form(key: str, group: list[Candidate]) -> str:
    """``key`` with the casing the sources use most, first letter capitalised."""
    pattern = re.compile(r"\b" + r"(?:['’]s)?\s+".join(re.escape(w) for w in key.split()) + r"\b", re.I)
    forms: Counter[str] = Counter()
    for c in group:
        forms.update(m.group(0) for m in pattern.finditer(c.text.replace("’", "'")))
    text = forms.most_common(1)[0][0] if forms else key
    if " " not in text and text[:1].isupper():
        text = _full_name(text, group) or text
    return text[0].upper() + text[1:]


def _full_name(word: str, group: list[Candidate]) -> str | None:
    """A lone capitalised heading word grown to the name it is part of ("Jay" -> "Jay Leno")."""
    names: Counter[str] = Counter()
    pattern = re.compile(rf"(?:[A-Z][\w'’-]+\s+)*{re.escape(word)}(?:\s+[A-Z][\w'’-]+)*")
    for c in group:
        names.update(m.group(0) for m in pattern.finditer(c.text) if " " in m.group(0) and len(m.group(0).split()) <= 4)
    return names.most_common(1)[0][0] if names else None
