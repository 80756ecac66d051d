"""Who says a sentence: "according to X", "X said", "..., said X".

A pattern-based first pass over one sentence; it finds named speakers (people, organisations)
and group speakers ("officials", "analysts").
"""

from __future__ import annotations

import re

_VERBS = (
    r"said|says|say|expect|warned|warns|told|tells|predicted|predicts|expects|expected|believes|believe|"
    r"estimated|estimates|noted|added|cautioned|stated|announced|reported|reports|claimed|claims|"
    r"argued|argues|insisted|wrote|writes|acknowledged|confirmed|forecast|forecasts|projected"
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:(?:of|for|the|de|al|van|von|and)\s+)?[A-Z][\w.'’-]*){0,5}"
_GROUP_NOUN = (
    r"analysts|officials|experts|economists|authorities|police|residents|forecasters|engineers|"
    r"investigators|researchers|scientists|witnesses|observers|diplomats|sources|critics|"
    r"spokesperson|spokesman|spokeswoman|officers|doctors|lawmakers|leaders|executives|traders|"
    r"meteorologists|government|ministry|agency|company|army|military|council|court|department|"
    r"authority|institute|service|union|association|insurers|office|commission|"
    r"board|bank|agencies|ministries|groups"
)
_GROUP = rf"(?:(?:[A-Z][\w'’-]*|[a-z][\w'’-]*)\s+){{0,3}}(?i:{_GROUP_NOUN})"
_SOURCE_DOC = r"(?:an?\s+|the\s+)?(?:(?:early|initial|new|latest|preliminary|official)\s+)?(?:estimate|report|figures|data|count|tally|statement|assessment)\s+(?:by|from|of)\s+"
_ACCORDING = re.compile(rf"\baccording to (?:{_SOURCE_DOC})?((?:the\s+)?(?:{_GROUP}|{_NAME}))", re.U)
_BEFORE_VERB = re.compile(rf"(?:^|[\s,(\"“])((?:the\s+|The\s+)?(?:{_GROUP}|{_NAME}))\s+(?:{_VERBS})\b", re.U)
_AFTER_VERB = re.compile(rf"\b(?:{_VERBS})\s+((?:the\s+)?(?:{_GROUP}|{_NAME}))", re.U)
_TRAILING = re.compile(
    rf",\s+((?:the|a|an)\s+)?((?:[a-z][\w'’-]*\s+){{0,3}}(?i:{_GROUP_NOUN}))\s+(?:{_VERBS})[.!?\"”']*$"
)
_PRONOUN_OR_ARTICLE = {"He", "She", "It", "They", "We", "I", "The", "This", "That", "A", "An", "But", "And"}


def _clean(name: str) -> str | None:
    name = name.strip(" ,.;:\"“”'’")
    if not name or name in _PRONOUN_OR_ARTICLE:
        return None
    return name


_PRONOUN_SPEAKER = re.compile(rf"(?:^|[\s,\"“])(he|she|they|we|I)\s+(?:{_VERBS})\b", re.I)


def speaker(sentence: str, pronouns: bool = False) -> str | None:
    """The person or body a sentence attributes its claim to, if it names one; with
    ``pronouns``, also "he said" (the pronoun itself: resolving it needs coreference)."""
    trailing = _TRAILING.search(sentence)
    if trailing:  # "..., the port authority said."
        return ((trailing.group(1) or "") + trailing.group(2)).strip()
    for pattern in (_ACCORDING, _AFTER_VERB, _BEFORE_VERB):
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
    return name in _NOT_NAMES or name.lower() in {"it", "he", "she", "they", "we", "i", "this", "that"}
