"""The extractive writer: a brief made only of source sentences, each cited.

Sentences are scored by how central they are to the story (TF-IDF cosine to the centroid of the
articles), where they stand in their article (news puts the essentials first) and how many
independent outlets say the same thing; they are picked without repeating each other (MMR),
then grouped under headings taken from a key phrase they share.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from ..analysis.attribution import speaker
from ..analysis.outlook import outlook_strength
from ..nlp import word_count
from ..records import Article, Brief, Cited, Copy, Implication, Section, Source
from ..textvec import STOPWORDS, Vector, centroid, cosine, idf_weights, tfidf, tokens
from .grounding import ground

SUPPORT_SIMILARITY = 0.5  # a sentence of another outlet this close says the same thing,
SUPPORT_WITH_NUMBER = 0.35 # or this close when both give the same figure
REPEAT_SIMILARITY = 0.55  # a candidate this close to a chosen sentence would repeat it
_BOILERPLATE = re.compile(
    r"(subscribe|sign up|newsletter|click here|cookies?\b|advertisement|all rights reserved|©|"
    r"copyright|follow us|read more|tweet with a location|share this|this material may not be|"
    r"getty images|ap photo|photo:|image:|caption|javascript|your browser|log in|login|"
    r"terms of (use|service)|privacy policy|related:|watch:|listen:|http[s]?://|www\.)",
    re.I,
)
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"'”’)]*$|[\"”]$")


_DATELINE = re.compile(r"^[A-Z][A-Z.'\- ]{2,}(?:,\s+[A-Z][\w.' -]+?)?\s*(?:\([^)]{2,40}\))?\s*[—–-]{1,2}\s+")
_FIGURE = re.compile(r"\d[\d,.]*")


def _figures(text: str) -> set[str]:
    return {f.replace(",", "").rstrip(".") for f in _FIGURE.findall(text)}


def without_dateline(text: str) -> str:
    """'MILLBROOK FALLS, Castavia (Wire) — The toll rose' -> 'The toll rose'."""
    stripped = _DATELINE.sub("", text, count=1)
    return stripped if stripped and stripped[0].isupper() else text


@dataclass
class Candidate:
    article: Article
    index: int
    text: str
    vector: Vector
    words: int
    score: float = 0.0
    outlook: float = 0.0
    support: list[str] = field(default_factory=list)  # refs of the same claim in other outlets

    @property
    def ref(self) -> str:
        return f"{self.article.id}:{self.index}"

    @property
    def citations(self) -> list[str]:
        return [self.ref, *self.support]

    def cited(self) -> Cited:
        return Cited(without_dateline(self.text), self.citations)


def is_candidate(text: str, words: int) -> bool:
    """A sentence worth quoting: complete, of readable length, not page furniture."""
    return (
        6 <= words <= 70
        and bool(_ENDS_LIKE_SENTENCE.search(text))
        and not text[0].islower()
        and not _BOILERPLATE.search(text)
        and sum(c.isalpha() for c in text) > 0.6 * len(text)
    )


def story_id_for(articles: list[Article]) -> str:
    digest = hashlib.sha256("\n".join(sorted(a.url for a in articles)).encode()).hexdigest()
    return "s" + digest[:10]


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, max_words: int = 330, max_implications: int = 4, max_sections: int = 4) -> None:
        self.max_words = max_words
        self.max_implications = max_implications
        self.max_sections = max_sections

    # -- scoring ----------------------------------------------------------------------------------

    def candidates(self, originals: list[Article]) -> list[Candidate]:
        per_sentence = [
            (article, s.index, s.text, tokens(s.text), word_count(s.text))
            for article in originals
            for s in article.sentences
        ]
        idf = idf_weights(toks for *_, toks, _ in per_sentence)
        doc_vectors = [tfidf(tokens(a.text), idf) for a in originals]
        story = centroid(doc_vectors)
        pool = [
            Candidate(article, index, text, tfidf(toks, idf), words)
            for article, index, text, toks, words in per_sentence
            if toks and is_candidate(text, words)
        ]
        if not pool:  # nothing looks like a clean sentence: better something than nothing
            pool = [Candidate(a, i, t, tfidf(k, idf), w) for a, i, t, k, w in per_sentence if k]
        by_outlet: dict[str, list[Candidate]] = defaultdict(list)
        for c in pool:
            by_outlet[c.article.outlet.lower()].append(c)
        for c in pool:
            for outlet, others in by_outlet.items():
                if outlet == c.article.outlet.lower():
                    continue
                best = max(others, key=lambda o: cosine(c.vector, o.vector))
                similarity = cosine(c.vector, best.vector)
                if similarity >= SUPPORT_SIMILARITY or (
                    similarity >= SUPPORT_WITH_NUMBER and _figures(c.text) & _figures(best.text)
                ):
                    c.support.append(best.ref)
            position = 1.0 / math.sqrt(1.0 + c.index)
            length = min(1.0, c.words / 12.0)
            c.score = cosine(c.vector, story) * (0.55 + 0.45 * position) * length
            c.score *= 1.0 + 0.2 * min(len(c.support), 3)
            c.outlook = outlook_strength(c.text)
        return pool

    # -- selection --------------------------------------------------------------------------------

    @staticmethod
    def _repeats(c: Candidate, chosen: list[Candidate]) -> float:
        return max((cosine(c.vector, s.vector) for s in chosen), default=0.0)

    def _pick(self, pool: list[Candidate], chosen: list[Candidate], budget: int) -> list[Candidate]:
        picked: list[Candidate] = []
        used = 0
        remaining = sorted(pool, key=lambda c: -c.score)
        while remaining and used < budget:
            best, best_value = None, -1.0
            for c in remaining[:60]:
                overlap = self._repeats(c, chosen + picked)
                if overlap >= REPEAT_SIMILARITY:
                    continue
                value = c.score - 0.5 * overlap * c.score
                if value > best_value:
                    best, best_value = c, value
            if best is None:
                break
            remaining.remove(best)
            picked.append(best)
            used += best.words
        return picked

    def write(self, articles: list[Article], story_id: str | None = None) -> Brief:
        originals = [a for a in articles if a.duplicate_of is None] or articles
        pool = self.candidates(originals)
        if not pool:
            raise ValueError("no sentences to write from")
        leads = [c for c in pool if c.index <= 2] or pool
        lede = max(leads, key=lambda c: c.score)
        chosen = [lede]
        forward = [c for c in pool if c.outlook > 0 and c is not lede]
        forward.sort(key=lambda c: -c.score * c.outlook)
        implications = self._pick_implications(forward, chosen)
        chosen += implications
        body = self._pick([c for c in pool if c not in chosen], chosen, self.max_words - lede.words)
        headline_article = central_article(originals, pool)
        brief = Brief(
            story_id=story_id or story_id_for(articles),
            headline=clean_title(headline_article.title, headline_article.outlet),
            headline_source=headline_article.id,
            lede=lede.cited(),
            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            writer=self.name,
            implications=[
                Implication(without_dateline(c.text), c.citations, speaker(c.text) or c.article.outlet, "sourced")
                for c in implications
            ],
            sections=self._sections(body, pool),
        )
        brief.sources = sources_of(articles)
        brief.evidence = evidence_for(brief, articles)
        return ground(brief)

    def _pick_implications(self, forward: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
        picked: list[Candidate] = []
        for c in forward:
            if len(picked) >= self.max_implications:
                break
            if self._repeats(c, chosen + picked) < REPEAT_SIMILARITY and c.words <= 45:
                picked.append(c)
        return picked

    # -- headline and sections ---------------------------------------------------------------------

    def _sections(self, body: list[Candidate], pool: list[Candidate]) -> list[Section]:
        salience = phrase_salience(pool)
        rarity = phrase_rarity(pool)
        groups: list[tuple[str, list[Candidate]]] = []
        left = list(body)
        while left and len(groups) < self.max_sections:
            counts: Counter[str] = Counter()
            for c in left:
                counts.update(phrases(c.text))
            ranked = sorted(
                (p for p, n in counts.items() if n >= 2),
                key=lambda p: counts[p] * rarity.get(p, 1.0) * (1.4 if " " in p else 1.0),
                reverse=True,
            )
            if not ranked:
                break
            key = ranked[0]
            members = [c for c in left if key in phrases(c.text)]
            groups.append((key, members))
            left = [c for c in left if c not in members]
        for c in left:
            if groups:
                best = max(groups, key=lambda g: max(cosine(c.vector, m.vector) for m in g[1]))
                best[1].append(c)
            else:
                groups.append((top_phrase([c], salience), [c]))
        sections = []
        for key, members in groups:
            members.sort(key=lambda c: -c.score)
            heading = heading_for(members, key, salience)
            sections.append(Section(heading, [c.cited() for c in members]))
        return [s for _, s in sorted(zip(groups, sections), key=lambda pair: -max(c.score for c in pair[0][1]))]


def central_article(originals: list[Article], pool: list[Candidate]) -> Article:
    """The article whose title heads the brief: among those that carry much of the story
    (at least 3/4 of the most central one's weight), the latest, since stories develop."""
    weight: Counter[str] = Counter()
    for c in pool:
        weight[c.article.id] += c.score
    top = max(weight.values(), default=0.0)
    central = [a for a in originals if weight[a.id] >= 0.75 * top] or originals
    never = datetime.min.replace(tzinfo=timezone.utc)
    return max(central, key=lambda a: (a.published_at or never, weight[a.id]))


# -- phrases for headings -------------------------------------------------------------------------

_PHRASE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_EXTRA_STOP = {
    "year", "years", "week", "weeks", "day", "days", "time", "people", "percent", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "told", "added", "including",
    "like", "many", "much", "several", "last", "first", "since", "still", "even", "well", "later",
}


@lru_cache(maxsize=4096)
def phrases(text: str) -> tuple[str, ...]:
    """Lower-cased 1-3 word phrases of content words (no stop words, no numbers), each once,
    in order of appearance (so that ties break the same way on every run)."""
    words = _PHRASE_WORD.findall(text)
    keys = [w.lower().replace("’", "'") for w in words]
    found = []
    for n in (1, 2, 3):
        for i in range(len(keys) - n + 1):
            gram = keys[i : i + n]
            if any(g in STOPWORDS or g in _EXTRA_STOP or len(g) < 3 for g in gram):
                continue
            found.append(" ".join(gram))
    return tuple(dict.fromkeys(found))


def phrase_salience(pool: list[Candidate]) -> dict[str, float]:
    weight: dict[str, float] = defaultdict(float)
    for c in pool:
        for p in phrases(c.text):
            weight[p] += c.score
    return weight


def phrase_rarity(pool: list[Candidate]) -> dict[str, float]:
    """log inverse sentence frequency of each phrase: words in every sentence make poor headings."""
    df: Counter[str] = Counter(p for c in pool for p in phrases(c.text))
    return {p: math.log((len(pool) + 1) / (n + 0.5)) for p, n in df.items()}


def top_phrase(members: list[Candidate], salience: dict[str, float]) -> str:
    counts: Counter[str] = Counter(p for c in members for p in phrases(c.text))
    if not counts:
        return "Details"
    return max(counts, key=lambda p: (counts[p], len(p.split()), salience.get(p, 0.0)))


def heading_for(members: list[Candidate], key: str, salience: dict[str, float]) -> str:
    """The section's key phrase, extended to the longest phrase that holds it and that all
    members share, written with the casing the sources use."""
    shared = [p for p in phrases(members[0].text) if all(p in phrases(c.text) for c in members[1:])]
    longer = [p for p in shared if key in p and len(p.split()) > len(key.split())]
    if longer:
        key = max(longer, key=lambda p: (len(p.split()), salience.get(p, 0.0)))
    return display_form(key, members)


def display_form(key: str, members: list[Candidate]) -> str:
    pattern = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in key.split()) + r"\b", re.I)
    forms: Counter[str] = Counter()
    for c in members:
        forms.update(m.group(0) for m in pattern.finditer(c.text.replace("’", "'")))
    text = forms.most_common(1)[0][0] if forms else key
    return text[0].upper() + text[1:]


def clean_title(title: str, outlet: str) -> str:
    """A page title without the outlet's name tacked on ("... | Harbor Daily")."""
    for sep in (" | ", " - ", " — ", " – ", " :: "):
        head, _, tail = title.rpartition(sep)
        if head and (tail.strip().lower() == outlet.lower() or len(tail.split()) <= 3 and tail.istitle()):
            title = head
    return title.strip()


# -- sources and evidence --------------------------------------------------------------------------


def sources_of(articles: list[Article]) -> list[Source]:
    originals = [a for a in articles if a.duplicate_of is None]
    copies: dict[str, list[Copy]] = defaultdict(list)
    for a in articles:
        if a.duplicate_of:
            copies[a.duplicate_of].append(Copy(a.url, a.outlet))
    never = datetime.max.replace(tzinfo=timezone.utc)
    originals.sort(key=lambda a: (a.published_at or never, a.id))
    return [
        Source(
            id=a.id,
            url=a.url,
            outlet=a.outlet,
            title=a.title,
            published_at=a.published_at.isoformat() if a.published_at else None,
            copies=copies.get(a.id, []),
            note=a.note,
        )
        for a in originals
    ]


def evidence_for(brief: Brief, articles: list[Article]) -> dict[str, str]:
    sentences = {s.ref: s.text for a in articles for s in a.sentences}
    refs = [ref for passage in brief.cited_passages() for ref in passage.citations]
    return {ref: sentences[ref] for ref in dict.fromkeys(refs) if ref in sentences}
