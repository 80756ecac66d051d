"""One name per person or body across a story's sources.

Outlets name the same speaker differently: "Interior Minister Tomas Varga", "Tomas Varga", "Varga",
"Mr. Varga"; transliterations differ ("Zelensky" / "Zelenskyy"); a body named once is "the agency" after. Each short or variant form is
mapped to the fullest form the story uses, so that quotes, claims and disagreements name one source.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from .places import gazetteer

_HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sen|rep|gov|gen|col|capt|sir|dame|president|minister|"
                         r"prime minister|interior minister|foreign minister|mayor|governor|senator|chief|judge|"
                         r"secretary|director|spokesman|spokeswoman|spokesperson|professor|bishop|archbishop|cardinal|pope|"
                         r"rev|father|sister|justice|king|queen|prince|princess|lord|lady|sheikh|rabbi|imam)\.?\s+", re.I)
SPELLING_SIMILARITY = 88  # rapidfuzz ratio above which two surnames are one name spelled two ways


def _words(name: str) -> list[str]:
    return re.findall(r"[\w'’-]+", name)


_DESCRIBED = re.compile(r"^.*\b[a-z][\w'’-]*\s+(?=[A-Z])")  # "Montreal police spokesman " before "Ian Lafreniere"
_TITLE_ABBREVIATION = re.compile(r"^(?:[A-Z][a-z]{1,4}\.\s+)+(?=[A-Z])")  # "Cmdr. ", "Lt. ", "Const. "


def _core(name: str) -> str:
    """'Interior Minister Tomas Varga' -> 'Tomas Varga'; 'Mr. Varga' -> 'Varga'; 'Montreal police
    spokesman Ian Lafreniere' -> 'Ian Lafreniere'; 'Cmdr. Ian Lafrenière' -> 'Ian Lafrenière'."""
    previous = None
    while previous != name:
        previous, name = name, _HONORIFICS.sub("", name)
    name = re.sub(r"^(?i:the)\s+", "", name)
    if _is_proper(name) and not re.search(r"\s(?:of|for|and|&)\s", name):  # (not "the head of the Harbour Board")
        name = _DESCRIBED.sub("", name)
    return _TITLE_ABBREVIATION.sub("", name).strip()


def folded(word: str) -> str:
    """Lower case without accents: 'Lafrenière' and 'Lafreniere' are one spelling."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch))


def _is_proper(name: str) -> bool:
    """One name rather than a description: it ends in a capitalised word ("harbour master Ana Ruiz"),
    and it does not join several ("Daniel and Royal" is two people, not Daniel's full name)."""
    words = _words(name)
    return bool(words) and words[-1][0].isupper() and not re.search(r"\s(?:and|&|or)\s", name)


def canonical_names(names: list[str]) -> dict[str, str]:
    """Each name -> the fullest name of the same person in ``names`` (itself when none is)."""
    proper = sorted({n for n in names if n and _is_proper(n)}, key=lambda n: (-len(_words(_core(n))), -len(n), n))
    mapping = {n: n for n in names if n}
    for name in sorted(proper, key=lambda n: (len(_words(_core(n))), len(n))):
        core = _words(_core(name))
        if not core:
            continue
        for fuller in proper:
            fuller_core = _words(_core(fuller))
            if fuller == name or len(fuller_core) < len(core) or (len(fuller_core) == len(core) and len(fuller) <= len(name)):
                continue
            if _same_person(core, fuller_core):
                mapping[name] = mapping.get(fuller, fuller)
                break
    for name in mapping:  # "the agency" -> "the Provincial Emergency Agency" when the story names one agency
        short = re.fullmatch(r"(?i:the)\s+([a-z][\w-]+)", name)
        if short:
            bodies = {mapping[p] for p in proper if _words(p)[-1].lower() == short.group(1).lower() and len(_words(p)) > 1}
            if len({_core(b).lower().removeprefix("the ") for b in bodies}) == 1:
                mapping[name] = min(bodies)
    return mapping


def _same_person(short: list[str], full: list[str]) -> bool:
    """'Varga' ~ 'Tomas Varga'; 'Volodymyr Zelensky' ~ 'Volodymyr Zelenskyy'; 'Kim' ~ 'Kim Jong Un'."""
    short, full = [folded(w) for w in short], [folded(w) for w in full]
    if len(short) == len(full):
        return short[:-1] == full[:-1] and fuzz.ratio(short[-1], full[-1]) >= SPELLING_SIMILARITY
    if len(short) == 1:
        return any(fuzz.ratio(short[0], part) >= SPELLING_SIMILARITY for part in (full[-1], full[0]))
    if full[-len(short):] == short:
        return True
    return len(short) == 2 and short[0] == full[0] and short[-1] == full[-1]
    # ("Christopher Lawford" ~ "Christopher Kennedy Lawford"; not "Christopher Kennedy": a prefix is
    # as often another person)


# (not "ILC2s, he found, release ...": the name opens what he found, it is not the one finding)
_OPENING_WORDS = re.compile(r"(?:[A-Z][\w'’-]*\.?\s+){0,3}[A-Z][\w'’-]*\.?(?=\s+[a-z]|,(?!\s*(?:he|she)\b))")
SURNAME_ZIPF = 4.0  # one word this common in English ("Police", "Officials", "Tuesday") is not a surname
FIRST_NAME_ZIPF = 5.5  # nor does a name open with a word this common ("The", "New", "After")


def opening_name(text: str) -> str | None:
    """The name a sentence opens with as its subject ("Carlineo was arrested ...", "Oda Brenner,
    55, left ..."): capitalised words up to the first lower-case one or a comma, the first of them
    not a common English word, and not a place in the gazetteer."""
    match = _OPENING_WORDS.match(text.lstrip())  # (not inside a quotation: '"Brell is innocent," she said')
    if match is None:
        return None
    name = match.group(0).strip()
    if not name.endswith("Jr."):
        name = name.rstrip(".")
    words = name.split()
    limit = SURNAME_ZIPF if len(words) == 1 else FIRST_NAME_ZIPF
    if re.search(r"['’]s$", name) or zipf_frequency(words[0].rstrip(".").lower(), "en") >= limit or name in gazetteer():
        return None  # "Carlineo's attorney ...": the subject is the attorney
    return name
