"""Attribution read from spaCy's dependency parse: who says, thinks, wants or plans what.

A cue is a verb of saying, believing or intending; its source is the verb's subject, or for a
"..., saying that ..." clause without one, the subject of the clause it hangs from; "according to X"
names X. Transcript lines ("SENATOR VALE: ...") and sign-offs ('"..." ― Ana Ruiz') name a source
without a verb. A cue inside a quotation or inside another cue's content belongs to that content
(each word is part of one attribution at most, as annotated corpora such as PolNeAR count them).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from functools import lru_cache

from ..nlp import lemma, lemma_in, parser_or_none
from ..records import Sentence
from .dates import DAY_WORDS

CUE_LEMMAS = frozenset(
    """
    say tell speak talk add note write tweet post state declare announce report claim argue insist
    assert contend maintain explain describe call label dub brand liken compare characterize
    characterise term warn caution predict forecast project expect estimate anticipate hope fear worry
    believe think feel know suspect doubt suppose reckon guess consider suggest imply hint indicate
    signal show find reveal disclose confirm acknowledge admit concede deny dispute reject dismiss
    refute question ask wonder demand urge plead request propose recommend advise want wish plan intend
    vow pledge promise threaten refuse decline agree disagree decide conclude rule testify allege accuse
    blame charge criticize criticise attack blast slam condemn denounce praise hail applaud defend
    support endorse oppose back favor favour echo repeat reiterate stress emphasize emphasise recall
    remark comment observe mention cite point refer quote respond reply answer counter retort joke boast
    complain lament recognize recognise understand realize realise learn cry shout chant scream yell
    whisper mutter release publish issue guarantee assure reassure inform notify remind convince
    persuade encourage continue reference invoke highlight tout mock ridicule downplay tease insinuate
    lambaste express offer seek detail discuss address like clarify portray put place peg set
    """.split()
)
# cues that need a complement to be attributions ("he showed up", "she called a meeting" are not)
NEEDS_COMPLEMENT = frozenset(
    "show find call continue back support charge release issue publish point refer learn "
    "understand recognize recognise realize realise agree decide rule answer repeat quote cite echo".split()
)
PARTICIPLE_DEPS = {"advcl", "xcomp", "conj", "pcomp", "acl"}
COMPLEMENT_DEPS = {"ccomp", "xcomp", "dobj", "parataxis", "attr", "oprd"}
_CLAUSE_DEPS = {"ccomp", "xcomp", "parataxis"}
SOURCE_LIMIT_WORDS = 30

_QUOTE_CHARS = "\"“”‘’'«»"
_OPENING = "\"“«"
_NAMEISH = r"[A-Z][\w.'’-]+(?: (?:of |the |de )?[A-Z][\w.'’-]+){0,4}"
_TRANSCRIPT = re.compile(rf"^[\"“]?((?:[A-Z][A-Z.'’-]+\s?){{1,4}}|{_NAMEISH}(?:, (?:{_NAMEISH}|[a-z]+(?: of {_NAMEISH})?)){{0,2}}):\s+\S")
_SIGN_OFF = re.compile(r"[\"”’]\s*[―—–-]{1,2}\s*([A-Z][\w.'’-]+(?: [A-Z][\w.'’-]*){0,4})\s*\.?$")
# a title-case headline giving a quote: "Harbour Chief on Fee Rise: ‘We Had No Choice’"
_HEADLINE_QUOTE = re.compile(r"^((?:[A-Z][\w.'’-]*|of|the|and|for|on|to|in|at|a)(?: (?:[A-Z][\w.'’-]*|of|the|and|for|on|to|in|at|a)){0,9}):\s+(?=[^\"“‘']{0,60}[\"“‘'])")
_HEADLINE_ADDRESSEE = re.compile(r" (?:to|on|about|at) .*$")
_NOT_SPEAKERS = {"update", "note", "editor's note", "correction", "watch", "read more", "photo", "video", "related",
                 "see also", "warning", "breaking", "exclusive", "live", "analysis", "opinion", "the latest"}


@dataclass(frozen=True)
class Said:
    """One attribution in a sentence: character spans into the sentence's text."""

    source: tuple[int, int]  # as the sentence describes it: "Ana Ruiz, the harbour master,"
    cue: tuple[int, int]
    content: tuple[int, int] | None  # None: the words said are in the neighbouring sentences
    name: tuple[int, int] | None = None  # the source without its description: "Ana Ruiz"
    nominal: bool = False  # the content is the cue's object, not a clause: "noted the launch"

    def speaker(self, text: str) -> str:
        start, end = self.name or self.source
        return re.sub(r"\s*['’]s$", "", text[start:end])  # "the minister's claim" -> "the minister"

    def source_text(self, text: str) -> str:
        return text[self.source[0] : self.source[1]]


def quoted_regions(text: str, starts_inside: bool = False) -> list[tuple[int, int]]:
    """Character ranges between paired double quotation marks (straight or curly); with
    ``starts_inside``, the sentence continues a quotation opened before it."""
    regions: list[tuple[int, int]] = []
    opened: int | None = 0 if starts_inside else None
    for i, ch in enumerate(text):
        if ch == "“" or (ch == '"' and opened is None):
            opened = i if opened is None else opened
        elif (ch == "”" or ch == '"') and opened is not None:
            regions.append((opened, i + 1))
            opened = None
    if opened is not None:  # a quotation running on past the sentence's end
        regions.append((opened, len(text)))
    return regions


def attributions(doc, inside_quote: bool = False) -> list[Said]:  # type: ignore[no-untyped-def]
    """Every attribution spaCy's parse of one sentence shows, outermost first; ``inside_quote``:
    the sentence starts within a quotation opened by an earlier one."""
    text = doc.text
    found: list[Said] = []
    quoted = quoted_regions(text, inside_quote)
    signed = _sign_off(text)
    if signed:
        found.append(signed)
    transcript = _transcript(text)
    if transcript:
        found.append(transcript)
    taken: list[tuple[int, int]] = [s.content for s in found if s.content] + [
        (s.source[0], s.source[1]) for s in found]
    reported: list[tuple[int, int]] = []  # what "according to X" attributes to X
    for token in doc:  # "..., according to X" is the outermost attribution of its sentence
        if token.lower_ == "according" and not _inside(token.idx, quoted + taken):
            said = _according(token)
            if said:
                found.append(said)
                taken.append(said.source)
                if said.content:
                    reported.append(said.content)
    for token in doc:
        if token.dep_ == "prep" and token.lower_ in _SOURCE_PREPS and not _inside(token.idx, quoted + taken + reported):
            said = _source_phrase(token)
            if said:
                found.append(said)
                taken.append(said.source)
    # speech tags first: in 'Back home, Ana Ruiz said, she decided ...' the tag governs the rest
    kinds = {t.i: (_is_cue(t), _is_tag(t)) for t in doc}  # (a cue verb, a speech tag)
    candidates = sorted((t for t in doc if any(kinds[t.i])), key=lambda t: (not kinds[t.i][1], _depth(t)))
    for cue in candidates:
        if _inside(cue.idx, quoted + taken):
            continue
        if _inside(cue.idx, reported) and cue.lower_ not in SPEECH_TAGS:
            continue  # but '"...," an official said, according to Yonhap': the official's words, as Yonhap reports them
        is_cue, is_tag = kinds[cue.i]
        source = _source_of(cue) if is_cue else None
        if is_tag and (source is None or not _next_to(text, source, cue)):
            source = _tag_source(cue) or source  # '..., Chief Justice Ruiz said, ...': trust the words over a misparse
        if source is None:
            continue
        if _inside(source[0], quoted):
            continue
        content = _content_of(cue, source)
        nominal = not any(c.dep_ in _CLAUSE_DEPS for c in cue.children) and any(c.dep_ == "dobj" for c in cue.children)
        found.append(Said(source, (cue.idx, cue.idx + len(cue.text)), content, nominal=nominal))
        taken.append(source)
        if content:
            taken.append(content)
    for token in doc:
        if token.pos_ == "NOUN" and lemma_in(token, NOUN_CUES) and not _inside(token.idx, quoted + taken + reported):
            said = _possessor_says(token)
            if said:
                found.append(said)
                taken.append(said.source)
    return [replace(said, name=short_name(doc, said.source)) for said in found]


SPEECH_TAGS = frozenset(
    "said says told tells added adds wrote writes asked asks explained noted continued argued insisted warned "
    "recalled declared stated replied responded tweeted say".split()
)
_ADVERBS_IN_TAG = frozenset("also later then previously earlier has had have recently once again further".split())
_NP_POS = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"}


_APPOSITION_GAP = re.compile(r"^\s*(?:,[^,]+(?:,[^,]+)?,|\([^)]*\)|\s*(?:--|—|–)[^—–]+(?:--|—|–))\s*(?:\w+\s+)?$")


_CUE_LEMMAS_AS_LEMMATIZED = CUE_LEMMAS | {"hop"}  # the lemmatizer makes "hoping" "hop"
_FIGURE_NOUNS = frozenset("figure toll number total count cost estimate tally damage loss losses".split())
_MISTAGGED_VERBS = frozenset("show shows claims charges warns argues insists notes estimates reports".split())


def _is_tag(token) -> bool:  # type: ignore[no-untyped-def]
    """'said', or any cue closing its sentence ('..., a new study shows.')."""
    if token.lower_ in SPEECH_TAGS:
        return True
    verb_like = token.pos_ == "VERB" or (token.pos_ == "NOUN" and token.lower_ in _MISTAGGED_VERBS)
    if not verb_like or token.i <= 2 or not lemma_in(token, CUE_LEMMAS):
        return False
    return token.doc[token.i - 1].pos_ in ("NOUN", "PROPN", "PRON") and all(t.is_punct for t in token.doc[token.i + 1 :])


def _next_to(text: str, source: tuple[int, int], cue) -> bool:  # type: ignore[no-untyped-def]
    """Whether a parsed source sits where a speech tag's speaker would: right before it, behind
    an apposition ('Ana Ruiz, the mayor, said'), or right after it ('said Ana Ruiz')."""
    if source[1] <= cue.idx:
        gap = text[source[1] : cue.idx]
        return len(gap.split()) <= 2 and "," not in gap or bool(_APPOSITION_GAP.match(gap))
    gap = text[cue.idx + len(cue.text) : source[0]]
    return len(gap.split()) <= 1


def _tag_source(cue) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """The noun phrase right before a speech tag, or right after it when inverted ('..., said Ana Ruiz')."""
    doc, i = cue.doc, cue.i - 1
    while i >= 0 and doc[i].lower_ in _ADVERBS_IN_TAG:
        i -= 1
    words = []
    while i >= 0 and len(words) < 8 and (doc[i].pos_ in _NP_POS or doc[i].text in (".", "'s", "’s", "-")):
        words.insert(0, doc[i])
        i -= 1
    boundary = i < 0 or doc[i].is_punct or doc[i].is_quote
    if words and boundary and any(w.pos_ in ("PROPN", "NOUN", "PRON") for w in words) and words[0].pos_ != "NUM":
        return _span(words)
    after_quote = i >= 0 and (doc[i].is_quote or (doc[i].text == "," and i > 0 and doc[i - 1].is_quote))
    if not words and after_quote and cue.lower_ not in ("told", "tells"):  # inverted: '"...," said Ana Ruiz'
        after = []
        for token in doc[cue.i + 1 : cue.i + 9]:
            if token.pos_ not in ("PROPN", "NOUN", "DET", "ADJ") and token.text not in (".",) or token.text == ",":
                break
            after.append(token)
        while after and after[-1].text == ".":
            after.pop()
        if after and any(w.pos_ in ("PROPN", "NOUN") for w in after):
            return _span(after)
    return None


def _depth(token) -> int:  # type: ignore[no-untyped-def]
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def _is_cue(token) -> bool:  # type: ignore[no-untyped-def]
    if token.pos_ not in ("VERB", "AUX") or not lemma_in(token, _CUE_LEMMAS_AS_LEMMATIZED):
        return False
    word = lemma(token)
    if word == "hop" and token.lower_.startswith("hop"):  # the lemmatizer's "hoping" -> "hop"
        word = "hope"
    if token.pos_ not in ("VERB", "AUX") or word not in CUE_LEMMAS:
        return False
    if word in ("put", "place", "peg", "set"):  # "as the mayor put it", "the agency put the toll at 40"
        return any(c.dep_ == "dobj" and (c.lower_ == "it" and word == "put" or lemma_in(c, _FIGURE_NOUNS))
                   for c in token.children)
    if word == "continue":  # 'Ruiz continued: "..."' but not "continued to stay away"
        return any(t.text in ':"“' for t in token.doc[token.i + 1 : token.i + 3])
    if word not in NEEDS_COMPLEMENT:
        return True
    deps = {c.dep_ for c in token.children}
    if deps & {"ccomp", "xcomp"} or any(c.dep_ == "prep" and c.lower_ in ("for", "to", "on") for c in token.children):
        return True
    if word == "call":  # "called the plan 'a disgrace'"
        return bool(deps & {"oprd", "attr"}) or ("dobj" in deps and any(c.dep_ == "punct" and c.text in _QUOTE_CHARS
                                                                          for c in token.subtree))
    if word in ("cite", "echo", "quote", "support", "back", "repeat"):
        return "dobj" in deps
    if word in ("show", "find", "reveal", "indicate"):  # "polls show Vale ahead", "polls showing Vale ahead"
        evidence = any(c.dep_ == "nsubj" and lemma_in(c, EVIDENCE_NOUNS) for c in token.children) or (
            token.dep_ == "acl" and lemma_in(token.head, EVIDENCE_NOUNS))
        return "dobj" in deps and evidence
    return False


STATEMENT_NOUNS = frozenset(
    "statement letter tweet post message note memo release remark comment speech interview email video ad "
    "op-ed column editorial report filing complaint lawsuit ruling order decision announcement".split()
)
# "the minister's claim that ...": a noun that carries what its possessor says or wants
NOUN_CUES = frozenset(
    "claim announcement remark comment assertion suggestion argument promise pledge warning call "
    "plan view belief acknowledgment acknowledgement criticism accusation allegation insistence "
    "demand proposal prediction estimate assessment position vow threat denial admission explanation "
    "description characterization charge complaint request response reply insistence hope fear "
    "concern".split()
)
EVIDENCE_NOUNS = frozenset(
    "poll survey data record document figure number analysis review estimate filing email tally count result "
    "research statistic study report audit investigation inquiry probe test footage video image photo "
    "average model projection disclosure transcript log memo letter".split()
)
_REPORT_NOUNS = EVIDENCE_NOUNS | STATEMENT_NOUNS
# "in the latest poll, ...", "by one estimate, ...": a prepositional phrase naming the source
_SOURCE_PREPS = {"in": frozenset({"poll", "survey", "study", "analysis", "estimate", "view", "eyes", "opinion"}),
                 "by": frozenset({"estimate", "count", "account", "tally"}),
                 "per": frozenset({"report", "estimate", "data"})}


def _span(tokens) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    words = [t for t in tokens if not t.is_punct or t.text in ".'’"]
    words = words or list(tokens)
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _noun_phrase(head) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    if head.text in ("'s", "’s") or "<" in head.text or "=" in head.text:
        return None
    if head.lower_ in ("that", "which") and head.head.dep_ == "relcl":
        return None  # "a rule that says ...": a relative pronoun names no one
    # (not adverbs or a dangling "and": '"...," says Trump, almost philosophically, and referencing ...')
    words = [t for t in head.subtree if not _under_clause(t, head, ("acl", "punct", "cc")) and not (
        t.i > head.i and _under_clause(t, head, ("advmod",)) and any(x.text == "," for x in head.doc[head.i : t.i]))]
    if len(words) > SOURCE_LIMIT_WORDS:  # a long description: its head and the names before it
        words = [t for t in head.lefts if t.dep_ in ("compound", "det", "amod", "poss", "nmod")] + [head]
    return _span(sorted(words, key=lambda t: t.i))


def _under_clause(token, head, deps: tuple[str, ...] = ("acl", "punct")) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``token`` hangs from ``head`` through one of ``deps`` (a clause, a comma...)."""
    while token.i != head.i:
        if token.dep_ in deps or token.head.i == token.i:  # (or not under ``head`` at all)
            return True
        token = token.head
    return False


_BODIES_NAMED_WITH_OF = frozenset(
    "department ministry university bank office institute board bureau council commission court college school "
    "agency academy association federation league society union chamber church house museum republic "
    "kingdom state states city county district province secretary".split())


def short_name(doc, source: tuple[int, int]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The source without its description: 'Ana Ruiz, the harbour master, who ...' -> 'Ana Ruiz';
    'the head of the port authority, Ana Ruiz,' -> 'Ana Ruiz'; 'the head of the port authority' stays."""
    span = doc.char_span(*source, alignment_mode="expand")
    if span is None or len(span) < 3:
        return source
    head = span.root
    roots = [t for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i]
    if len(roots) > 1:  # a subject the parser split in two: the name in it heads
        head = next((t for t in reversed(roots) if t.pos_ == "PROPN"), head)
    name = _leading_name(span)
    if name is not None and head.i >= name.end:  # "Ruiz, Portavel's director of ...": parsed the other way round
        return _span(list(name))
    for _ in range(2):  # "an early estimate by the Insurance Association" -> the association
        if not lemma_in(head, _REPORT_NOUNS):
            break
        makers = [o for p in head.children if p.dep_ == "prep" and p.lower_ in ("by", "from")
                  for o in p.children if o.dep_ == "pobj"]
        if not makers:
            break
        head = makers[0]
    if head.pos_ != "PROPN":
        names = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if names:
            head = names[0]
    # "the head of the port authority", "the Illinois Department of Public Health" keep their "of"
    keep_of = head.pos_ != "PROPN" or head.lower_ in _BODIES_NAMED_WITH_OF
    clauses: tuple[str, ...] = ("relcl", "acl", "appos", "punct", "prep")
    if not any(c.dep_ == "cc" for c in head.children):  # "Mayer, Disney's chairman": a misparsed apposition
        clauses = (*clauses[:4], "conj", clauses[4])
    words = [t for t in head.subtree if t.i == head.i
             or t.i < head.i and not _under_clause(t, head, clauses)
             or t.i > head.i and not _under_clause(t, head, clauses[:4] if keep_of else clauses)]
    words = [t for t in words if span.start <= t.i < span.end and not (t.i < head.i and t.dep_ == "prep")] or [head]
    start, end = _span(sorted(words, key=lambda t: t.i))
    text = doc.text
    if start > source[0] and "-" in (text[start], text[start - 1]):  # "co-author", not "-author"
        while start > source[0] and not text[start - 1].isspace():
            start -= 1
    return start, end


def _joined_subject(phrases: list[tuple[int, int] | None], text: str) -> tuple[int, int] | None:
    """The first subject, run on into the next ones that touch it: a hyphenated title the parser
    split in two ("said study co-author Ana Ruiz": "study co" and "-author Ana Ruiz")."""
    if phrases[0] is None:
        return None
    start, end = phrases[0]
    for phrase in phrases[1:]:
        if phrase is None or phrase[0] < end or text[end : phrase[0]].strip(" -"):
            break
        end = phrase[1]
    return start, end


def _leading_name(span):  # type: ignore[no-untyped-def]
    """The proper name a source opens with, before a comma ("Ruiz" in "Ruiz, Portavel's director")."""
    for k, token in enumerate(span[:5]):
        if token.text == ",":
            return span[:k] if k else None
        if token.pos_ != "PROPN":
            return None
    return None


def _source_of(cue) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """The cue's subject; a participle without one borrows its governing verb's subject."""
    verb = cue
    for _ in range(4):
        subject_deps = ("nsubj", "csubj") if verb.i == cue.i else ("nsubj", "csubj", "nsubjpass")
        subjects = [c for c in verb.children if c.dep_ in subject_deps]
        if subjects:
            return _joined_subject([_noun_phrase(c) for c in subjects], cue.doc.text)
        passive_agent = [c for c in verb.children if c.dep_ == "agent"]
        if passive_agent and verb.i == cue.i:  # "was described by officials as ..."
            objects = [c for c in passive_agent[0].children if c.dep_ == "pobj"]
            return _noun_phrase(objects[0]) if objects else None
        if verb.head.i == verb.i or not (verb.dep_ in PARTICIPLE_DEPS or (verb.pos_ == "ADP" and verb.dep_ == "prep")):
            return None
        if verb.dep_ == "conj" and verb.head.pos_ not in ("VERB", "AUX"):
            return None
        if verb.i == cue.i and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            if not lemma_in(verb.head, STATEMENT_NOUNS):
                return _noun_phrase(verb.head)  # "polls showing Vale ahead": the polls show it
        if verb.dep_ in ("xcomp", "oprd") and verb.tag_ == "VBG":  # "left voters feeling that ...": the object feels
            objects = [c for c in verb.head.children if c.dep_ == "dobj"]
            if objects:
                return _noun_phrase(objects[0])
        if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj") and lemma_in(verb.head, STATEMENT_NOUNS):
            verb = verb.head  # "issued a statement saying ...": the issuer says it
        verb = verb.head
    return None


def _content_of(cue, source: tuple[int, int]) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    deps = COMPLEMENT_DEPS | ({"prep"} if lemma(cue) in ("put", "place", "peg", "set", "estimate") else set())
    parts = [c for c in cue.children if c.dep_ in deps and not (source[0] <= c.idx < source[1])]
    clauses = [c for c in parts if c.dep_ == "ccomp"] or [c for c in parts if c.dep_ == "xcomp"]
    if clauses and not (clauses[0].dep_ == "xcomp" and lemma(cue) not in ("tell", "ask", "urge", "warn")):
        parts = clauses  # "told reporters that ...", "urged residents to leave": what was told, not whom
    # (but "announced the selection of three firms to join the programme": the object and its clause)
    if cue.dep_ in ("parataxis",) or (cue.dep_ == "ROOT" and not parts and cue.head.i == cue.i):
        # '"...," she said.': the words said are the rest of the sentence (or a neighbour's quote)
        tag_words = {t.i for t in cue.subtree if cue.dep_ != "ROOT" or t.i == cue.i or (
            t.i > cue.i and _under_clause(t, cue, ("prep", "npadvmod", "advmod", "dative", "agent", "dobj")))}
        rest = [t for t in cue.doc if not (source[0] <= t.idx < source[1]) and t.i not in tag_words and not t.is_punct]
        if not any(ch in _QUOTE_CHARS for ch in cue.doc.text) and not cue.doc.text[: source[0]].strip():
            return None  # "Ana Ruiz said, adding ...": what she said came before
        tag_end = max(cue.idx + len(cue.text), source[1])
        after = [t for t in cue.doc if t.idx >= tag_end and not t.is_punct]
        if after and after[0].pos_ in ("CCONJ", "SCONJ"):  # '..., officials said, though the agency ...'
            rest = [t for t in rest if t.idx < min(cue.idx, source[0])]
        return _span(rest) if len(rest) >= 3 else None
    words = [t for c in parts for t in c.subtree]
    if cue.dep_ == "ROOT":
        words += [t for c in cue.children if c.dep_ == "ccomp" for t in c.subtree]
    return _span(sorted(set(words), key=lambda t: t.i)) if words else None


def _transcript(text: str) -> Said | None:
    """'SENATOR VALE: We will ...' or a headline 'Harbour Board: Fees Will Rise'."""
    match = _TRANSCRIPT.match(text) or _HEADLINE_QUOTE.match(text)
    if not match:
        return None
    name = _HEADLINE_ADDRESSEE.sub("", match.group(1).strip()) if match.re is _HEADLINE_QUOTE else match.group(1).strip()
    if name.lower() in _NOT_SPEAKERS:
        return None
    start = match.start(1)
    return Said((start, start + len(name)), (match.end(1), match.end(1) + 1), (match.end(1) + 1, len(text)))


def _sign_off(text: str) -> Said | None:
    match = _SIGN_OFF.search(text)
    if not match:
        return None
    return Said((match.start(1), match.end(1)), (match.start(1) - 2, match.start(1) - 1), (0, match.start()))


def _inside(at: int, regions: list[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in regions)


def _possessor_says(noun) -> Said | None:  # type: ignore[no-untyped-def]
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if not owners:
        return None
    if not any(c.dep_ in ("acl", "ccomp", "relcl") or (c.dep_ == "prep" and c.lower_ in ("to", "of", "on", "about", "for"))
               for c in noun.children):
        return None  # "his plan" alone says nothing; "his plan to ..." does
    owner = owners[0]
    source = _noun_phrase(owner)
    words = [t for t in noun.subtree if not (source[0] <= t.idx < source[1]) and t.dep_ != "case"]
    return Said(source, (noun.idx, noun.idx + len(noun.text)), _span(words))


def _source_phrase(prep) -> Said | None:  # type: ignore[no-untyped-def]
    objects = [c for c in prep.children if c.dep_ == "pobj" and lemma_in(c, _SOURCE_PREPS[prep.lower_])]
    if not objects or prep.head.pos_ not in ("VERB", "AUX") or prep.i > prep.head.i:
        return None  # "In the latest poll, Vale leads" names a source; "trailing in the polls" does not
    source = _noun_phrase(objects[0])
    if source is None:
        return None
    words = [t for t in prep.head.subtree if not (prep.idx <= t.idx < source[1])]
    return Said(source, (prep.idx, prep.idx + len(prep.text)), _span(words) if words else None)


def _according(token) -> Said | None:  # type: ignore[no-untyped-def]
    for to in token.children:
        if to.lower_ != "to":
            continue
        for obj in to.children:
            if obj.dep_ == "pobj":
                source = _noun_phrase(obj)
                if source:
                    head = token.head
                    content = _span([t for t in head.subtree if not source[0] <= t.idx < source[1]]) if head.i != token.i else None
                    return Said(source, (token.idx, to.idx + len(to.text)), content)
    return None


def quote_openings(texts: list[str]) -> list[bool]:
    """For each sentence of an article, whether it starts inside a quotation."""
    inside, states = False, []
    for text in texts:
        states.append(inside)
        for ch in text:
            if ch in "“«":
                inside = True
            elif ch in "”»":
                inside = False
            elif ch == '"':
                inside = not inside
        if len(text) > 400 and inside:  # an unclosed mark in a long sentence is a typo, not a quotation
            inside = False
    return states


def content_sentences(texts: list[str], index: int, said: Said, limit: int = 6) -> tuple[int, int]:
    """The first and last sentence holding what ``said`` attributes: a quotation running over
    several sentences belongs to the speech tag inside, before or after it."""
    inside = quote_openings(texts[max(0, index - limit) : index + limit + 2])
    offset = max(0, index - limit)

    def within(i: int) -> bool:  # sentence i starts inside a quotation
        return 0 <= i - offset < len(inside) and inside[i - offset]

    first = last = index
    text = texts[index]
    tag_only = said.content is None and text.lstrip()[:1] not in _OPENING
    if within(index) or (tag_only and index > 0 and any(ch in _QUOTE_CHARS for ch in texts[index - 1])):
        if not within(index):
            first -= 1  # '"..." / Ruiz said.': the quotation just closed in the sentence before
        while within(first) and index - first < limit:
            first -= 1
    if within(index + 1) or text.rstrip().endswith(":"):
        last += 1
        while within(last + 1) and last - index < limit and last + 1 < len(texts):
            last += 1
    return first, min(last, len(texts) - 1)


_NO_CLAIM = ("declin", "refus")  # "declined to comment" attributes no claim


# Words without which a sentence attributes nothing the parse would find: only sentences with one
# of them are parsed (news has many that have none: ingest time goes to the ones that do).
_NEEDS_PARSE = re.compile(
    r"[\"“”―:]|\b(?:sa(?:y|id|ys|ying)|t(?:old|ell|ells|elling)|accord|add(?:s|ed|ing)\b|not(?:e|ed|es|ing)\b|"
    r"warn|predict|expect|estimat|believ|think|thought|claim|argu|insist|announc|report|confirm|den(?:y|ied|ies)|"
    r"acknowledg|admit|stat(?:ed|es|ing)\b|declar|explain|describ|call|urg|ask|accus|blam|prais|criticiz|"
    r"criticis|defend|promis|pledg|vow|threaten|demand|propos|plan|want|hop(?:e|ed|es|ing)\b|fear|worr|"
    r"suggest|show|found|find|reveal|indicat|wr(?:ote|ite|ites|iting)|tweet|put|poll|survey|according)", re.I)
_CACHE_SIZE = 50_000
_cache: dict[str, tuple[Said, ...]] = {}


def needs_parse(text: str) -> bool:
    return bool(_NEEDS_PARSE.search(text))


STATEMENT_POSITIONS = 10  # reported statements are looked for in each article's first sentences
@lru_cache(maxsize=1)
def _figure_or_quote() -> re.Pattern[str]:
    """A digit, a quotation mark or a figure in words ("thousands of"): built on first use, since
    the figures module itself reads speakers from this one."""
    from .figures import VAGUE

    return re.compile(r"\d|[\"“”]|\b(?:" + "|".join(re.escape(v) for v in VAGUE) + r")\b", re.I)


def worth_parsing(text: str, position: int) -> bool:
    """Whether the analysis reads this sentence's parse: it may attribute something and it holds a
    figure or a quotation, or it is early in its article, where reported statements are taken from.
    (The parse costs ~6 ms a sentence on one core: ingest cannot afford it for every sentence.)"""
    return (position < STATEMENT_POSITIONS or bool(_figure_or_quote().search(text))) and needs_parse(text)


def sentence_attributions(text: str) -> tuple[Said, ...]:
    """The attributions of one sentence (parsed once; empty without spaCy, or when the sentence
    has no word that could attribute anything)."""
    if text not in _cache:
        parse_all([text])
    return _cache.get(text, ())


def parse_all(texts: list[str]) -> None:
    """Parse, in batches, the sentences not parsed yet that may attribute something."""
    wanted = list(dict.fromkeys(t for t in texts if t not in _cache and t.strip() and needs_parse(t)))
    nlp = parser_or_none() if wanted else None  # loaded only when there is something to parse
    if nlp is None:
        if len(_unparsed) > _CACHE_SIZE:
            _unparsed.clear()
        _unparsed.update(wanted)
        _cache.update((t, ()) for t in texts if t not in _cache)
        return
    if len(_cache) + len(wanted) > _CACHE_SIZE:
        _cache.clear()
        _unparsed.clear()
    for text, doc in zip(wanted, nlp.pipe(wanted, batch_size=256)):
        _cache[text] = tuple(attributions(doc))
    _cache.update((t, ()) for t in texts if t not in _cache)


_unparsed: set[str] = set()  # sentences that needed the parse where spaCy is not installed


def parse_missing(text: str) -> bool:
    """Whether the sentence could not be parsed for want of spaCy (the word patterns then answer;
    where the parse ran and found no one, nobody is speaking, whatever the patterns would guess)."""
    return text in _unparsed


def clear_cache() -> None:
    _cache.clear()
    _unparsed.clear()


def pack(found: tuple[Said, ...]) -> list[list[int]]:
    """Attributions as plain integers for storage: source, cue, content (-1 when none), name,
    whether the content is nominal (1) or not (0)."""
    return [[*said.source, *said.cue, *(said.content or (-1, -1)), *(said.name or said.source), int(said.nominal)]
            for said in found]


def unpack(rows: list[list[int]]) -> tuple[Said, ...]:
    """(Rows stored before ``nominal`` existed have eight numbers.)"""
    return tuple(Said((r[0], r[1]), (r[2], r[3]), None if r[4] < 0 else (r[4], r[5]), (r[6], r[7]),
                      nominal=len(r) > 8 and bool(r[8])) for r in rows)


def annotate(sentences: list[Sentence]) -> float:
    """Parse the sentences worth parsing and keep what was found on each (``Sentence.speech``);
    returns the seconds it took. Runs where articles are extracted (the worker processes)."""
    started = time.perf_counter()
    wanted = [s for s in sentences if worth_parsing(s.text, s.index)]
    parse_all([s.text for s in wanted])
    if wanted and parser_or_none() is not None:
        for sentence in wanted:
            sentence.speech = pack(_cache.get(sentence.text, ()))
    return time.perf_counter() - started


def prepare(sentences: list[Sentence]) -> None:
    """Before analysing stored articles: reuse the parse stored with each sentence, parse the rest
    that is worth it, in one batch."""
    for sentence in sentences:
        if sentence.speech is not None and sentence.text not in _cache:
            _cache[sentence.text] = unpack(sentence.speech)
    parse_all([s.text for s in sentences if worth_parsing(s.text, s.index)])


def naming_attributions(text: str) -> list[Said]:
    """The sentence's attributions that name a speaker."""
    return [s for s in sentence_attributions(text) if s.speaker(text).lower() not in _NAMES_NO_ONE]


# a relative pronoun ("..., who said"), or a day or month taken for a subject ("Sunday shows ...")
_NAMES_NO_ONE = frozenset({"who", "which", "that"}) | DAY_WORDS


def speaker_in(text: str, at: int | None = None) -> str | None:
    """Who the sentence says is speaking: the attribution whose content holds character ``at``,
    else the outermost one."""
    found = [s for s in naming_attributions(text) if not text[s.cue[0] : s.cue[1]].lower().startswith(_NO_CLAIM)]
    if not found:
        return None
    if at is not None:
        holding = [s for s in found if s.content and s.content[0] <= at < s.content[1]]
        if holding:
            return holding[-1].speaker(text)  # the innermost: "officials said the agency counted 40"
    return found[0].speaker(text)
