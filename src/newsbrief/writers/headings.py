"""Section headings that name what a section is about, read from spaCy's parse of its own sentences.

An event's heading is a clause: the subject, verb and object of the most central lead sentence
(or title) of the event's reports, cut to a headline's length ("North Korea deployed troops to
Kursk"); a "said" sentence gives the clause it reports. A theme's heading is the common-noun phrase
its sentences are about when there is a clear one ("Side effects"), else the clause of its most
central sentence ("Death toll from the collapse rose to 14"). Neither is ever a bare name: the
organisation or person a section's facts come from is not what they are about. Every word is the
sources' own, in the sources' order, so a heading can be traced to the sentence it came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..analysis.speech import CUE_LEMMAS
from ..nlp import lemma, parser_or_none
from ..sentences import without_dateline
from ..textvec import Vector, cosine, term, tfidf, tokens
from .sections import NOT_HEADING

MAX_EVENT_WORDS = 9
# nouns and adjectives too general to name a theme on their own
_GENERIC = NOT_HEADING | frozenset(
    """official officials source sources news story article statement spokesman spokeswoman spokesperson
    man woman men women person thing way lot kind sort case fact point side group member members
    other more most such own few same various certain possible major recent former total
    percent per cent minute minutes hour hours month months amount number increase decrease rise stream
    deal bit potential range level series variety couple dozen tremendous significant steady huge big
    great important real true whole entire full sure numerous latest little""".split()
)
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight week
    weekend month year morning afternoon evening night dawn january february march april may june
    july august september october november december years months weeks days hours""".split()
)
_EMPTY_ADVERBS = frozenset("only really recently currently previously reportedly apparently initially likely".split())
_RESULT_ADVERBS = frozenset("aground ashore away back down off out up apart free open abroad home overseas".split())
_BE = frozenset("be been is are was were am".split())
_KEEP_AUX = frozenset("will would could can may might must should".split())
_MODIFIERS = {"compound", "amod", "nummod", "quantmod", "nmod", "poss", "case"}


_DOCS: dict[str, Any] = {}  # text -> parse, for the brief being written (cleared by ``parse``)


def parse(texts: Iterable[str]) -> None:
    """Parse ``texts`` in one batch (much faster than one by one) for the headings to read."""
    _parse_clean([_clean(t) for t in texts])


def _parse_clean(texts: list[str]) -> None:
    nlp = parser_or_none()
    wanted = list(dict.fromkeys(t for t in texts if t not in _DOCS))
    if nlp is None or not wanted:
        return
    if len(_DOCS) + len(wanted) > 4096:
        _DOCS.clear()
    _DOCS.update(zip(wanted, nlp.pipe(wanted, batch_size=64)))


def _doc(text: str) -> Any:
    """The parse of ``text`` without its dateline and label (``_clean``)."""
    text = _clean(text)
    if text not in _DOCS:
        _parse_clean([text])
    return _DOCS.get(text)


def _clean(text: str) -> str:
    return without_kicker(without_dateline(text))


def available() -> bool:
    """Whether spaCy's parser is installed (without it, sections.py falls back to key phrases)."""
    return parser_or_none() is not None


def _words(tokens_: Iterable[Any]) -> str:
    """Tokens in source order as text, spaced as the sentence spaces them where they are neighbours
    ("$40M", "Leno’s"), else by one space."""
    out, previous = "", None
    for t in sorted(tokens_, key=lambda t: t.i):
        if previous is not None:
            out += previous.whitespace_ if previous.i == t.i - 1 else " "
        out += t.text
        previous = t
    return out.strip(" ,;:-–—")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# -- events: a clause ---------------------------------------------------------------------------


def _left_run(head: Any, limit: int = 5, pronouns: bool = False) -> list[Any]:
    """The modifiers written right before ``head`` that hang from it (compounds, adjectives,
    numbers, possessives), without determiners: "the eastern wall" -> "eastern wall"."""
    run: list[Any] = []
    i = head.i - 1
    while i >= 0 and head.i - i <= limit:
        t = head.doc[i]
        inside_word = t.text in {"-", "–"} and not t.whitespace_ and i > 0 and not head.doc[i - 1].whitespace_
        if not inside_word and (t.dep_ not in _MODIFIERS or t.is_punct or head not in t.ancestors
                                or t.pos_ == "PRON" and not pronouns):
            break
        run.insert(0, t)
        i -= 1
    # not from the middle of a hyphenated word: "31-year-old Carnell Moore" -> "Carnell Moore"
    while run and (run[0].is_punct or _glued_to_word(run[0])):
        run = run[1:]
    return run


def _glued_to_word(token: Any) -> bool:
    """Whether ``token`` continues the word before it ("old" of "31-year-old"), not a bracket."""
    if token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return not before.whitespace_ and (before.text in {"-", "–"} or before.is_alpha or before.like_num)


def _nominal(head: Any, with_prep: bool = True, pronouns: bool = True) -> list[Any]:
    """A noun phrase without determiners or clauses: its left modifiers (a possessive pronoun only
    where ``pronouns``: "found her body", not "His team used"), the noun, and for a common noun
    one short "of/into/in ..." phrase ("city of Portavel")."""
    phrase = _left_run(head, pronouns=pronouns) + [head]
    if with_prep and head.pos_ == "NOUN":
        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "into", "in", "on", "over", "at", "from", "to", "for"}:
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if objects and objects[0].lower_ not in _TIME_WORDS:
                    phrase += [prep, *_determiner(objects[0]), *_nominal(objects[0], with_prep=False)]
                break
    return phrase


def _determiner(noun: Any) -> list[Any]:
    """"the" of a noun after a preposition, if written right before its modifiers."""
    start = (_left_run(noun) or [noun])[0].i
    before = noun.doc[start - 1] if start > 0 else None
    return [before] if before is not None and before.dep_ == "det" and before.head == noun and before.lower_ == "the" else []


def _verb_group(verb: Any) -> list[Any]:
    """The verb with its negation, particle and modal ("would begin", "will be recording"), without
    the auxiliaries headlines leave out ("has deployed" -> "deployed")."""
    progressive = verb.tag_ == "VBG"
    negated = any(c.dep_ == "neg" for c in verb.children)  # "won't", "did not": the auxiliary stays
    group = [c for c in verb.children if c.dep_ == "neg" or c.dep_ == "aux" and (
        c.lower_ in _KEEP_AUX or progressive or negated)]
    group += [c for c in verb.children if c.dep_ == "advmod" and (
        c.i == verb.i - 1 and c.lower_.endswith("ly") and c.lower_ not in _EMPTY_ADVERBS
        or c.i == verb.i + 1 and c.lower_ in _RESULT_ADVERBS)]
    group += [c for c in verb.children if c.dep_ == "prt"]
    return group + [verb]


def _is_time(token: Any) -> bool:
    return token.lower_ in _TIME_WORDS or token.like_num and len(token.text) == 4 and token.text.isdigit()


@dataclass
class Clause:
    text: str
    words: int
    reduced: bool = False  # a participle without an auxiliary: "Four bolts meant to ...", "Bridge closed"


# verbs that say nothing without what follows them
_EMPTY_ALONE = frozenset("be have do get go seem appear become remain make take give put come".split())
_COMPLEMENTS = {"dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "dative"}
_NOT_AFTER_VERB = frozenset("with by as like despite amid after before since during until because than".split())


def clause_of(text: str) -> Clause | None:
    """Subject, verb and object of the sentence's main clause (or of the clause a "said" verb
    reports), without determiners, asides and times; None when it has no such clause or the clause
    says too little to name anything ("Jones said", "The judge sentenced her")."""
    doc = _doc(text)
    if doc is None:
        return None
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None
    verb = roots[0]
    if lemma(verb) in CUE_LEMMAS:
        reported = [c for c in verb.children if c.dep_ in {"ccomp", "parataxis"} and c.pos_ in {"VERB", "AUX"}
                    and any(x.dep_ in {"nsubj", "nsubjpass"} for x in c.children)]
        if reported:
            verb = reported[0]
    if verb.pos_ not in {"VERB", "AUX"} or verb.tag_ == "VBG" and not any(c.lower_ in _BE for c in verb.children):
        return None  # "Pimps ruining lives" is no clause; "Four bolts were missing" is
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects or subjects[0].pos_ in {"PRON", "DET", "NUM"} and not _counted(subjects[0]) \
            or subjects[0].lower_ in _GENERIC and not _left_run(subjects[0]):
        return None  # "It was", "People are great"
    if lemma(verb) in CUE_LEMMAS and any(c.dep_ == "auxpass" for c in verb.children):
        return None  # "Job losses said to be ..."
    subject = _nominal(subjects[0], pronouns=False)
    subject += _conjunct(subjects[0])
    parts = [subject, _verb_group(verb)]
    objects = [c for c in verb.children if c.dep_ in {"dobj", "attr", "acomp", "oprd"}]
    if objects and objects[0].pos_ == "PRON":
        return None
    if lemma(verb) == "be" or verb.lower_ in _BE:
        if not objects or objects[0].dep_ != "attr":
            return None  # "Researchers are sure", "Dates are messier": a judgement, not what happened
    if objects:
        parts.append(_nominal(objects[0]) if objects[0].pos_ in {"NOUN", "PROPN", "NUM"} else [objects[0]])
    object_has_prep = any(t.dep_ == "prep" for p in parts[2:] for t in p)
    for prep in (c for c in verb.children if c.dep_ in {"prep", "agent"} and c.i > verb.i and not object_has_prep):
        pobj = [c for c in prep.children if c.dep_ == "pobj"]
        if pobj and not _is_time(pobj[0]) and pobj[0].pos_ != "PRON" and prep.lower_ not in _NOT_AFTER_VERB:
            parts.append([prep, *_determiner(pobj[0]), *_nominal(pobj[0], with_prep=False)])
            break
    xcomp = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"} and c.i > verb.i]
    if xcomp and not objects:
        x = xcomp[0]
        chain = [c for c in x.children if c.dep_ == "aux"] + [x]
        x_object = [c for c in x.children if c.dep_ in {"dobj", "attr"} and c.pos_ != "PRON"]
        while not x_object and (inner := [c for c in x.children if c.dep_ == "xcomp" and c.i == x.i + 1]):
            x = inner[0]  # "meant to help secure the door plug"
            chain.append(x)
            x_object = [c for c in x.children if c.dep_ in {"dobj", "attr"} and c.pos_ != "PRON"]
        if x_object or lemma(x) not in CUE_LEMMAS | _EMPTY_ALONE:
            parts.append(chain + (_nominal(x_object[0], False) if x_object else []))
    # headline length: drop the trailing parts, then the phrases hanging from nouns
    while len(parts) > 2 and sum(len(p) for p in parts) > MAX_EVENT_WORDS:
        parts.pop()
    if len(parts) == 2 and (verb.pos_ == "AUX" or lemma(verb) in CUE_LEMMAS | _EMPTY_ALONE
                            or any(c.dep_ in _COMPLEMENTS for c in verb.children)):
        return None  # "Scout Willis thought", "Julia Roberts is", "Doug Owsley presented": says nothing
    if lemma(verb) in CUE_LEMMAS and not objects and len(parts) < 4 and not (xcomp and parts[-1][-1] in xcomp[0].subtree):
        return None  # "Huntsman said to WMUR"
    chosen = [t for p in parts for t in p]
    if len(chosen) > MAX_EVENT_WORDS:
        chosen = _nominal(subjects[0], with_prep=False, pronouns=False) + _verb_group(verb)
    if len(chosen) > MAX_EVENT_WORDS:
        return None
    words = _words(chosen)
    reduced = verb.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children)
    return Clause(_capitalised(words), len(words.split()), reduced) if len(words.split()) >= 3 else None


def _counted(token: Any) -> bool:
    """A number that is a subject with what it counts after it ("14 of the miners"), or "thousands"."""
    return token.pos_ == "NUM" and any(c.dep_ == "prep" for c in token.children)


def _conjunct(head: Any) -> list[Any]:
    """ "and Y" of a subject "X and Y", when Y is short."""
    for c in head.rights:
        if c.dep_ == "conj":
            joined = [x for x in head.rights if x.dep_ == "cc" and x.i < c.i] + _left_run(c) + [c]
            return joined if len(joined) <= 3 else []
    return []


_KICKER = re.compile(r"^(?:[^\s:]+\s+){0,3}[^\s:]+:\s+(?=\S)")


def without_kicker(text: str) -> str:
    """A title without its label ("Ever Given: Cargo ship ... released" -> "Cargo ship ... released")."""
    return _KICKER.sub("", text, count=1)


def clause_heading(texts: Sequence[tuple[str, float]], centre: Vector, idf: dict[str, float], used: set[str]) -> str | None:
    """The clause of the most central of ``texts`` ((text, weight) pairs: an event's lead sentences
    and titles, or a theme's sentences by rank), as a heading not used yet; None when none of them
    yields a clause."""
    best: tuple[float, str] | None = None
    for text, weight in texts:
        clause = clause_of(text)
        if clause is None or clause.text.lower() in used:
            continue
        value = weight * (0.2 + cosine(tfidf(tokens(clause.text), idf), centre)) / (1.0 + 0.03 * clause.words)
        value *= 0.6 if clause.reduced else 1.0
        if best is None or value > best[0]:
            best = (value, clause.text)
    return best[1] if best else None


# -- themes: a noun phrase ----------------------------------------------------------------------


@dataclass
class _Phrase:
    key: str  # lemmas, lower case
    text: str  # as the sentence writes it
    head: str  # the head noun's lemma
    sentence: int  # which sentence of the group
    weight: float = 1.0  # a subject or object says what a sentence is about more than a noun in a phrase


_ROLE_WEIGHT = {"nsubj": 1.0, "nsubjpass": 1.0, "dobj": 1.0, "attr": 1.0, "ROOT": 1.0, "pobj": 0.6}


def _noun_phrases(text: str, n: int) -> list[_Phrase]:
    doc = _doc(text)
    if doc is None:
        return []
    found = []
    for t in doc:
        if t.pos_ != "NOUN" or t.dep_ == "compound" or t.lower_ in _GENERIC or len(t.text) < 3:
            continue
        left = _left_run(t, limit=2)
        while left and not all((m.dep_ == "compound" and m.pos_ == "NOUN" or m.dep_ == "amod" and m.pos_ == "ADJ")
                               and m.is_alpha and m.lower_ not in _GENERIC for m in left):
            left = left[1:]
        words = left + [t]
        key = " ".join(w.lower_ for w in left) + (" " if left else "") + lemma(t)
        weight = _ROLE_WEIGHT.get(t.dep_, 0.8)
        found.append(_Phrase(key, _words(words), lemma(t), n, weight))
        if len(words) > 1:  # the bare head too, so that "toll" counts in "death toll" and "toll"
            found.append(_Phrase(lemma(t), t.text, lemma(t), n, weight))
    return found


def _rarity(key: str, rarity: dict[str, float]) -> float:
    terms = [x for w in key.split() if (x := term(w))]
    return sum(rarity.get(x, 1.0) for x in terms) / len(terms) if terms else 0.0


STRONG_PHRASE = 1.6  # a theme's noun phrase heads it when it is a subject or object in two of its sentences


def theme_phrase(group: Sequence[str], others: Sequence[str], rarity: dict[str, float], used: set[str],
                 strict: bool = True) -> str | None:
    """The common-noun phrase ``group``'s sentences are about. ``strict``: only one of two words or
    more that is a subject or object in two sentences or more and that the other sections' never
    name ("side effects", "death toll"); else the best there is, weighed by how particular it is
    to the group. None when there is no such phrase."""
    phrases = [p for n, text in enumerate(group) for p in _noun_phrases(text, n)]
    best_role: dict[tuple[str, int], float] = {}
    for p in phrases:
        best_role[p.key, p.sentence] = max(best_role.get((p.key, p.sentence), 0.0), p.weight)
    in_group: Counter[str] = Counter()
    for (key, _), weight in best_role.items():
        in_group[key] += weight
    in_others = Counter(p.key for text in others for p in {x.key: x for x in _noun_phrases(text, -1)}.values())

    def value(key: str) -> float:
        return in_group[key] * _rarity(key, rarity) * (1.5 if " " in key else 1.0) / (1.0 + 2.0 * in_others[key])

    if strict:
        found = [k for k, n in in_group.items() if n >= STRONG_PHRASE and " " in k and not in_others[k] and k not in used]
    else:
        found = [k for k in in_group if k not in used and value(k) > 0]
    if not found:
        return None
    top = max(found, key=lambda k: (value(k), k))
    forms = Counter(p.text for p in phrases if p.key == top)
    return _capitalised(forms.most_common(1)[0][0])


def story_rarity(texts: Sequence[str]) -> dict[str, float]:
    """Log inverse sentence frequency of each term in the story: a word in every sentence (the
    dam, the place) names no theme."""
    df: Counter[str] = Counter(t for text in texts for t in set(tokens(text)))
    return {t: math.log((len(texts) + 1) / (n + 0.5)) for t, n in df.items()}
