"""Who and where a brief is about: people, organisations, places and equipment named in the source
sentences it cites, one name each across sources.

spaCy's entity recogniser runs only on those sentences (a few dozen per brief). The small model
confuses places with other things ("Kursk" as a product, a town as a person): a place's own name in
the gazetteer (places.py) is a place, and so is a name ending in a landform or structure word
("Millbrook Falls", "Selvan Dam").
"""

from __future__ import annotations

import re
from collections import defaultdict

from wordfreq import zipf_frequency

from ..nlp import recogniser_or_none
from .dates import DAY_WORDS
from .names import canonical_names, folded
from .places import (
    STATE_ABBREVIATIONS,
    gazetteer,
    large_places,
    major_places,
    own_names,
)

KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
         "PRODUCT": "equipment"}
ORDER = ("person", "organisation", "place", "equipment")
_PLACE_WORDS = re.compile(r"\b(?:Falls|River|Valley|Lake|Dam|Bridge|Street|Road|Avenue|Square|Bay|Island|Islands|"
                          r"Mountains?|Mount|Province|Region|District|County|Basin|Harbou?r|Port|Strait|Sea|Ocean|"
                          r"Gulf|Peninsula|Desert|Forest|Airport|Station|Levee|Canal)$")
_ORG_WORDS = re.compile(r"\b(?:Agency|Ministry|Council|Authority|Association|Institute|Company|Corporation|Inc|Ltd|"
                        r"Polytechnic|College|School|Hospital|Ledger|Times|Post|News|Radio|Wire|"
                        r"Bank|Party|Union|Court|Committee|Commission|Department|Office|Service|Army|Navy|Police|"
                        r"Board|Foundation|University|Cross|Crescent|Group|Fund|Parliament|Assembly)\b")
MIN_COMMON_ZIPF = 4.0  # a one-word "name" this common as a plain word ("Interior", "Water") is not a name


_DEGREE = re.compile(r"^(?:M\.D|Ph\.D|B\.A|M\.A|J\.D|M\.B\.A)\.?$")
_NOT_NAMES = DAY_WORDS | frozenset("gmt utc est edt cst cdt mst mdt pst pdt bst cet cest "  # time zones
                                     "q1 q2 q3 q4 h1 h2".split())  # quarters and halves of a year


# events the small model takes for places ("the Great Recession", "the Cold War")
_EVENT_WORDS = re.compile(r"\b(?:Recession|Depression|War|Revolution|Crisis|Olympics|Games|Cup|Festival|Election)$")


def _kind(name: str, label: str) -> str | None:
    if _DEGREE.match(name) or _EVENT_WORDS.search(name):
        return None
    # the model's places; a name it gave another label that is a place's own name ("Kursk" as a
    # product; an alternate name is too loose: "Artemis", the programme, is a Greek town's); for a
    # person, a large place ("Lyon"; "Obama" is also a small town in Japan); for a body, a major
    # place ("Washington"; "Delta" the airline stays a body). (A surname of someone the story
    # names in full is dropped in ``entities``.)
    if label in ("GPE", "LOC", "FAC") and name in gazetteer() or name in (
            major_places() if label == "ORG" else large_places() if label == "PERSON" else own_names()):
        return "place"
    if _ORG_WORDS.search(name):
        return "organisation"
    if _PLACE_WORDS.search(name):
        return "place"
    return KINDS.get(label)


# a page's buttons and labels, scraped with the text, in front of a name: "CLOSE Yu Darvish"
_FURNITURE = re.compile(r"^(?:(?:CLOSE|SHARE|WATCH|MORE|VIDEO|PHOTOS?|READ|LISTEN|PLAY|REPLAY|ADVERTISEMENT|UPDATED?|"
                        r"BREAKING|EXCLUSIVE|LIVE|SUBSCRIBE|MENU|SEARCH|SKIP|NEXT|PREVIOUS|RELATED|GALLERY|"
                        r"COMMENTS?|EMAIL|PRINT|TWEET)\s+)+(?=[A-Z][a-z])")


_INITIALS = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "U.N.", "N.Y.": the last full stop is part of the name


def _clean(text: str) -> str:
    text = text.strip(" ,;:'\"“”’")
    if not _INITIALS.search(text):
        text = text.strip(".")
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = _FURNITURE.sub("", text)
    text = re.sub(r"['’]s$", "", text)
    if not text.isupper():
        return text
    # a dateline ("MILLBROOK FALLS", "BRUSSELS") in capitals, not an acronym ("CBS DFW", "UNHCR")
    words = text.split()
    dateline = text.title() in gazetteer() or len(words) > 1 and all(len(w) >= 4 for w in words)
    return text.title() if dateline else text


def _one_word_without_context(name: str, kind: str, people: dict[str, str]) -> bool:
    """'Kessel' alone (from "the Kessel levee") is not a person or a body the brief can name;
    'Varga' is, when the story gives his full name; acronyms ("UNHCR") and known places are."""
    if " " in name or name.isupper() or kind == "place":
        return False
    return kind != "person" or people.get(name, name) == name


# sentence text -> the (name, kind) it holds: a story's sentences are cited again by its next brief
_recognised: dict[str, tuple[tuple[str, str], ...]] = {}
_CACHE_SIZE = 20_000


_CAPITALISED_LATER = re.compile(r"\s[\"“'‘(]*[A-Z]")
_FIRST_WORD = re.compile(r"[^\W\d_][\w’'.-]*")


_JOINED = re.compile(r"/|\s[-–—|]\s")  # credits and page text run together: "Name/Agency", "Name - Tweet Name"


def may_name(text: str) -> bool:
    """Whether a sentence can name someone or something: a capitalised word after its first, or a
    first word that is not a common English word ("Officials said ..." cannot; "Kyiv said ..." can)."""
    if _CAPITALISED_LATER.search(text.strip()):
        return True
    first = _FIRST_WORD.search(text)
    if first is None:
        return False
    word = re.sub(r"['’]s$", "", first.group()).rstrip(".")
    return word[:1].isupper() and zipf_frequency(word.lower(), "en") < MIN_COMMON_ZIPF


def recognise(texts: list[str]) -> bool:
    """Run the recogniser, in one batch, on the sentences it has not read yet (it is loaded only
    then); False when some are left unread because it is not installed."""
    wanted = list(dict.fromkeys(t for t in texts if t not in _recognised))
    if len(_recognised) + len(wanted) > _CACHE_SIZE:
        _recognised.clear()
        wanted = list(dict.fromkeys(texts))
    _recognised.update((t, ()) for t in wanted if not may_name(t))  # a fifth of cited sentences name no one
    wanted = [t for t in wanted if t not in _recognised]
    if not wanted:
        return True
    nlp = recogniser_or_none()
    if nlp is None:
        return False
    for text, doc in zip(wanted, nlp.pipe(wanted, batch_size=64)):
        found = []
        for ent in doc.ents:
            name = _clean(ent.text)
            if ent.label_ in ("GPE", "LOC"):
                written = ent.text + "." if text[ent.end_char : ent.end_char + 1] == "." else ent.text
                name = STATE_ABBREVIATIONS.get(written, name)
            kind = _kind(name, ent.label_) if name else None
            if kind is None or len(name) < 2 or not name[0].isupper() or name.lower() in _NOT_NAMES or _JOINED.search(name):
                continue
            if " " not in name and zipf_frequency(name.lower(), "en") >= MIN_COMMON_ZIPF and name not in gazetteer():
                continue
            found.append((name, kind))
        _recognised[text] = tuple(found)
    return True


def names_in(text: str) -> list[list[str]] | None:
    """The [name, kind] pairs found in a sentence the recogniser has read (None: not read)."""
    found = _recognised.get(text)
    return None if found is None else [list(pair) for pair in found]


def entities(sentences: dict[str, str], outlet_of: dict[str, str], per_kind: int = 6,
             known: dict[str, list[list[str]]] | None = None) -> list[dict[str, object]]:
    """The names in ``sentences`` (ref -> text), most widely reported first, at most ``per_kind``
    of each kind; each with the outlets that name it and up to three sentences that do.
    ``known``: names found in some of them before (stored with the sentences), not read again."""
    if not sentences:
        return []
    for ref, names in (known or {}).items():
        if ref in sentences:
            _recognised[sentences[ref]] = tuple((name, kind) for name, kind in names)
    if not recognise(list(sentences.values())):
        return []  # spaCy's recogniser is not installed
    mentions = [(name, kind, ref) for ref, text in sentences.items() for name, kind in _recognised[text]]
    # "Luka Rocco Magnotta" taken for a body where "Luka Magnotta" is a person: the same person
    first_last = {(w[0], w[-1]) for name, kind, _ in mentions if kind == "person" and len(w := name.split()) >= 2}
    mentions = [(name, "person" if len(w := name.split()) >= 3 and (w[0], w[-1]) in first_last else kind, ref)
                for name, kind, ref in mentions]
    people = canonical_names([name for name, kind, _ in mentions if kind == "person"])
    mentions = [m for m in mentions if not _one_word_without_context(m[0], m[1], people)]
    # a person's name, or a part of it, is not also a place or a body ("Obama" is not Obama, Japan;
    # "Kristine Bunch" is not a place because the model once said so)
    parts = {part for name, kind, _ in mentions if kind == "person" for part in (name, *name.split())}
    mentions = [m for m in mentions if not (m[1] != "person" and m[0] in parts)]
    grouped: dict[tuple[str, str], dict[str, object]] = {}
    for name, kind, ref in mentions:
        # another name of a major place is that place ("Kiev" -> "Kyiv", "Bombay" -> "Mumbai"); a
        # small town's old names are too often other things' names ("Artemis")
        canonical = people.get(name, name) if kind == "person" else (
            gazetteer()[name] if kind == "place" and name in major_places() else name)
        entry = grouped.setdefault((kind, folded(canonical)), {"name": canonical, "kind": kind, "outlets": set(),
                                                               "citations": []})
        entry["outlets"].add(outlet_of.get(ref.split(":")[0], ref))  # type: ignore[attr-defined]
        if ref not in entry["citations"] and len(entry["citations"]) < 3:  # type: ignore[arg-type]
            entry["citations"].append(ref)  # type: ignore[attr-defined]
    by_kind: dict[str, list[dict[str, object]]] = defaultdict(list)
    for entry in sorted(grouped.values(), key=lambda e: (-len(e["outlets"]), str(e["name"]))):  # type: ignore[arg-type]
        if len(by_kind[str(entry["kind"])]) < per_kind:
            by_kind[str(entry["kind"])].append({"name": entry["name"], "kind": entry["kind"],
                                                "sources": len(entry["outlets"]),  # type: ignore[arg-type]
                                                "citations": entry["citations"]})
    return [entry for kind in ORDER for entry in by_kind[kind]]
