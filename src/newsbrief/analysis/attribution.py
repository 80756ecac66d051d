"""Who says a sentence: "according to X", "X said", "..., said X".

``speaker`` reads spaCy's dependency parse of the sentence (analysis.speech) and falls back to
patterns over the words when spaCy is not installed or the parse names no one; the patterns find
named speakers (people, organisations) and group speakers ("officials", "analysts").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .dates import DAY_WORDS
from .speech import needs_parse, parse_missing, speaker_in

_REPORTING = (
    "say said tell told warn predict expect believe estimate note add caution state announce report claim "
    "argue insist write wrote acknowledge confirm forecast project show showed found find indicate suggest call "
    "ask explain admit testify respond reply recall tweet charge complain mock question cite mention accuse urge "
    "praise criticize criticise deny promise vow pledge demand blame dismiss describe concede declare stress "
    "emphasize emphasise contend maintain reiterate reveal disclose agree disagree allege assert observe remark "
    "counter comment boast joke speculate"
).split()


def _forms(verb: str) -> list[str]:
    """said/says/saying from "say"; irregular past forms are listed as words of their own."""
    if verb in {"said", "told", "wrote", "showed", "found"}:
        return [verb]
    stem = verb[:-1] if verb.endswith("e") else verb
    third = verb + "es" if verb.endswith(("s", "sh", "ch", "x")) else (verb[:-1] + "ies" if verb.endswith("y") and verb[-2] not in "aeiou" else verb + "s")
    past = verb + "d" if verb.endswith("e") else (verb[:-1] + "ied" if verb.endswith("y") and verb[-2] not in "aeiou" else verb + "ed")
    return [verb, third, past, stem + "ing"]


_VERBS = "|".join(sorted({f for v in _REPORTING for f in _forms(v)} | {"has said", "had said", "also said"},
                         key=len, reverse=True))
_ROLE = (r"(?:(?:[A-Z][\w'’-]*\s+)?(?:leader|minister|secretary|spokesman|spokeswoman|spokesperson|director|"
         r"chief|president|governor|mayor|senator|chairman|chairwoman|head|official|analyst|professor|engineer|"
         r"commissioner|ambassador|general|captain|inspector)\s+)?")
_NAME = _ROLE + r"[A-Z][\w.'’-]*(?:\s+(?:(?:of|for|the|de|al|van|von|and)\s+)?[A-Z][\w.'’-]*){0,5}"
_GROUP_NOUN = (
    r"analysts|officials|experts|economists|authorities|police|residents|forecasters|engineers|"
    r"investigators|researchers|scientists|witnesses|observers|diplomats|sources|critics|"
    r"spokesperson|spokesman|spokeswoman|officers|doctors|lawmakers|leaders|executives|traders|"
    r"meteorologists|government|ministry|agency|company|army|military|council|court|department|"
    r"authority|institute|service|union|association|insurers|office|commission|"
    r"board|bank|agencies|ministries|groups|source|official|analyst|expert|spokesperson|aide|adviser|"
    r"advisor|lawyer|attorney|pollster|poll|polls|survey|surveys|study|studies|report|reports|data|"
    r"campaign|statement|researcher|economist|witness|resident|critic|supporters|voters|nominee|candidate|"
    r"president|governor|senator|mayor|minister|leader|chairman|chairwoman|director|chief|judge|"
    r"prosecutor|prosecutors|host|announcer|businessman|businesswoman|doctor|rival|opponent|opponents"
)
SOURCE_NOUN = re.compile(rf"(?i:{_GROUP_NOUN}|parishioners|members|staff|workers|officers|agents|family|relatives)")
_GROUP = rf"(?:(?:[A-Z][\w'’-]*|[a-z][\w'’-]*)\s+){{0,3}}(?i:{_GROUP_NOUN})"
_SOURCE_DOC = r"(?:an?\s+|the\s+)?(?:(?:early|initial|new|latest|preliminary|official)\s+)?(?:estimate|report|figures|data|count|tally|statement|assessment)\s+(?:by|from|of)\s+"
_LOWER_NP = r"(?:the|a|an)\s+(?:[a-z][\w'’-]*\s+){0,3}[a-z][\w'’-]*(?=[,.;]|$)"
_ACCORDING = re.compile(rf"\b(?i:according to) (?:{_SOURCE_DOC})?((?:the\s+)?(?:{_GROUP}|{_NAME})|{_LOWER_NP})", re.U)
_BEFORE_VERB = re.compile(rf"(?:^|[\s,(\"“])((?:the\s+|The\s+)?(?:{_GROUP}|{_NAME}))\s+(?:{_VERBS})\b", re.U)
_AFTER_VERB = re.compile(rf"\b(?:said|says|added|wrote|asked|explained|noted|recalled)\s+((?:the\s+)?(?:{_NAME}|{_GROUP}))", re.U)
_TRANSCRIPT = re.compile(r"^[\"“]?([A-Z][A-Z.'’ -]{2,}|[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}):\s")
_TRAILING = re.compile(
    rf",[\"”’']?\s+((?:the|a|an)\s+)?((?!(?:it|he|she|they|we|i)\s)(?:[a-z][\w'’-]*\s+){{0,5}}[a-z][\w'’-]*)\s+(?:{_VERBS})[.!?\"”']*$"
)
# "The provincial government put the figure at $800 million": whoever puts a figure claims it.
_PUTS_FIGURE = re.compile(
    r"^((?:The|A|An)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4})\s+"
    r"(?:put|puts|set|sets|gave|gives|estimated|estimates|placed|places|pegged|pegs)\s+"
    r"(?:the|its|their|his|her)\s+(?:own\s+)?(?:figure|toll|number|total|count|cost|estimate|tally)\b"
)
_APPOSITIVE = re.compile(rf",\s+({_NAME}),\s+(?:{_VERBS})\b")  # "the opposition leader, Karel Dussek, said"
_PRONOUN_OR_ARTICLE = {"He", "She", "It", "They", "We", "I", "The", "This", "That", "A", "An", "But", "And"}


def _clean(name: str) -> str | None:
    name = name.strip(" ,.;:\"“”'’")
    if not name or name in _PRONOUN_OR_ARTICLE:
        return None
    return name


_PRONOUN_SPEAKER = re.compile(rf"(?:^|[\s,\"“])(he|she|they|we|I)\s+(?:{_VERBS})\b", re.I)


PRONOUNS = frozenset("he she they we i it you who".split())


@lru_cache(maxsize=50_000)
def speaker(sentence: str, pronouns: bool = False, at: int | None = None) -> str | None:
    """The person or body a sentence attributes its claim (the one at character ``at``, if
    given) to; with ``pronouns``, also "he said" (the pronoun itself: see ``quotes`` for
    resolving it to a name)."""
    parsed = speaker_in(sentence, at)
    if parsed is not None:
        return parsed if pronouns or parsed.lower() not in PRONOUNS else None
    # the patterns answer only where there was no parse: they would take "Having said that" inside
    # a quotation, or a headline "Celebrities call for ...", for a speaker
    return pattern_speaker(sentence, pronouns) if parse_missing(sentence) or not needs_parse(sentence) else None


@lru_cache(maxsize=50_000)
def pattern_speaker(sentence: str, pronouns: bool = False) -> str | None:
    """``speaker`` from the words alone (no parse)."""
    puts = _PUTS_FIGURE.search(sentence)
    if puts:
        return puts.group(1)
    appositive = _APPOSITIVE.search(sentence)
    if appositive:
        return appositive.group(1).strip()
    trailing = _TRAILING.search(sentence)
    if trailing:  # "..., the port authority said."
        return ((trailing.group(1) or "") + trailing.group(2)).strip()
    transcript = _TRANSCRIPT.match(sentence)
    if transcript:  # "PENCE: Well, look, ..."
        return transcript.group(1).strip()
    for pattern in (_ACCORDING, _BEFORE_VERB, _AFTER_VERB):
        for match in pattern.finditer(sentence):
            # a name right at the start that is really the sentence's first word is fine;
            # a capitalised word that only starts the sentence ("However") is not a speaker.
            name = _clean(match.group(1))
            if name and not _is_sentence_word(name):
                return name
    if pronouns:
        match = _PRONOUN_SPEAKER.search(sentence)
        if match:
            return match.group(1)
    return None


_NOT_NAMES = {"However", "Meanwhile", "Still", "Yet", "Also", "Earlier", "Later"}


def _is_sentence_word(name: str) -> bool:
    return name in _NOT_NAMES or name.lower() in DAY_WORDS or name.lower() in {"it", "he", "she", "they", "we", "i", "this", "that"}
