"""Whose and where a figure is: the proper names of an owner or a place, normalised so that a
country and its people meet ("Korean" and "Korea"), and whether two owners or places can be one."""

from __future__ import annotations

import re

from .dates import WEEKDAYS

_NOT_NAMES = frozenset({*WEEKDAYS, "january", "february", "march", "april", "june", "july", "august", "september",
                        "october", "november", "december", "the", "a", "an", "of", "and", "'s", "’s", "mr", "ms", "mrs"})
_DEMONYMS = {"french": "france", "british": "britain", "english": "england", "dutch": "netherlands",
             "swiss": "switzerland", "welsh": "wales", "scottish": "scotland", "irish": "ireland", "turkish": "turkey",
             "german": "germany", "afghan": "afghanistan", "pakistani": "pakistan", "thai": "thailand",
             "filipino": "philippines", "greek": "greece", "spanish": "spain", "danish": "denmark",
             "swedish": "sweden", "finnish": "finland", "polish": "poland", "u.s.": "united states", "us": "united states",
             "american": "united states", "america": "united states", "uk": "britain", "u.k.": "britain"}
_SUFFIXES = ("ians", "ian", "ia", "ans", "an", "ese", "is", "i", "ish", "es", "s", "a", "e", "n")


def _stem(word: str) -> str:
    """A name's word reduced so that a country and its people meet: "Korean" and "Korea" -> "kore"."""
    word = re.sub(r"['’]s$", "", word.lower()).strip(".,")
    word = _DEMONYMS.get(word, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def names_in(text: str | None) -> tuple[str, ...]:
    """The proper names in an owner's or a place's words, each normalised: "Russia's Kursk region" ->
    ("russ", "kursk"); "the Conservatives" -> ("conservativ",)."""
    if not text:
        return ()
    runs: list[list[str]] = []
    current: list[str] = []
    for word in re.findall(r"[\w.'’-]+", text):
        bare = re.sub(r"['’]s$", "", word)
        if bare[:1].isupper() and bare.lower() not in _NOT_NAMES:
            current.append(_stem(bare))
            if bare != word:  # "Russia's": the name ends here
                runs.append(current)
                current = []
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return tuple(" ".join(run) for run in runs if run)


def same_names(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two owners (or places) can be the same: either is unknown, or a name of one is
    within a name of the other ("Alaska" and "Alaska Airlines"; not "United Airlines")."""
    if not a or not b:
        return True
    return any(set(x.split()) <= set(y.split()) or set(y.split()) <= set(x.split()) or _initials(x, y) or _initials(y, x)
               for x in a for y in b)


def _initials(short: str, long: str) -> bool:
    """ "SCA" and "the Suez Canal Authority": an acronym of the name's words."""
    words = long.split()
    return " " not in short and len(words) >= 2 and short == "".join(w[0] for w in words)


def same_places(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two figures' places can be the same: either names none, or both name the same ones
    (the deaths in Turkey are not those in Turkey and Syria), or both are the whole: "worldwide",
    "in both countries", or several places together ("in Turkey and Syria")."""
    return not a or not b or set(a) == set(b) or (whole(a) and whole(b))


def whole(places: tuple[str, ...] | frozenset[str]) -> bool:
    return WHOLE in places or len(places) >= 2

WHOLE = "*"  # the place of a figure given for everywhere: "worldwide", "in total"
