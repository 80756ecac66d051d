"""The words of figures: what a figure measures (deaths, evacuated, cancelled ...), counted nouns
that are one thing under several words (troops, soldiers, forces), nouns of people, units."""

from __future__ import annotations

MEASURES = {
    # (lives only when lost or taken: "in their day-to-day lives" counts no deaths)
    "deaths": ("killed", "dead", "died", "deaths", "death toll", "toll", "fatalities", "lost their lives", "lives lost",
               "lives were lost", "the lives of", "lost his life", "lost her life"),
    "injured": ("injured", "wounded", "hurt"),
    "missing": ("missing", "unaccounted"),
    "evacuated or displaced": ("evacuated", "evacuation", "displaced", "fled", "homeless", "shelters"),
    "arrested": ("arrested", "detained"),
    "damage": ("damage", "losses"),
    "troops": ("troops", "soldiers"),
}
# The same measure under other words (lemmas from the parse): a class name for each.
MEASURE_WORDS = {
    "deaths": "kill die dead death toll fatality life perish",
    "bodies found": "body",
    "injured": "injure wound hurt injury",
    "missing": "missing unaccounted",
    "evacuated or displaced": "evacuate evacuation evacuee displace flee homeless shelter",
    "arrested": "arrest detain detention",
    "damage": "damage loss",
    "cancelled": "cancel cancelled canceled scrap cancellation",
    "delayed": "delay",
    "rescued": "rescue",
    "released": "release free",
    "won": "win secure capture take",
    "deployed": "deploy send dispatch station",
    "infected": "infect case sick sicken ill outbreak",
    "hospitalised": "hospitalize hospitalise hospitalization",
    "cut": "cut eliminate shed trim slash lay fire dismiss sack",
    "demanded": "demand seek claim request",
    "weight": "weigh weight",
    "sold": "sell sale",
}
MEASURE_OF = {word: measure for measure, words in MEASURE_WORDS.items() for word in words.split()}
PERSON_MEASURES = frozenset({"deaths", "injured", "missing", "evacuated or displaced", "arrested", "rescued",
                             "infected", "hospitalised"})
# Counted nouns that are one thing under several words (lemmas): a class name for each.
SYNONYMS = {
    "troops": "troop soldier force fighter serviceman servicemen personnel",
    "people": "people person resident individual inhabitant victim other civilian",
    "flights": "flight",
    "seats": "seat",
    "prisoners": "prisoner detainee inmate",
    "hostages": "hostage captive",
    "migrants": "migrant refugee asylum-seeker",
    "jobs": "job position",
    "homes": "home house dwelling",
    "votes": "vote ballot",
    "passengers": "passenger",
    "workers": "worker employee staff",
    "children": "child kid",
    "users": "user member account subscriber customer",
}
CLASS_OF = {word: name for name, words in SYNONYMS.items() for word in words.split()}
# nouns naming a measure rather than what is counted: "14 deaths", "5,000 cancellations"
MEASURE_NOUNS = {"death": "deaths", "fatality": "deaths", "toll": "deaths", "dead": "deaths",
                  "injury": "injured", "arrest": "arrested", "evacuation": "evacuated or displaced",
                  "evacuee": "evacuated or displaced", "cancellation": "cancelled", "delay": "delayed",
                  "damage": "damage", "claim": "demanded", "demand": "demanded", "request": "demanded",
                  "case": "infected"}
PERSON_NOUNS = frozenset(
    """people person resident individual inhabitant victim other civilian child kid adult man men woman women
    student pupil worker employee staff soldier troop force fighter serviceman servicemen personnel militant officer
    police policeman firefighter passenger crew member pilgrim migrant refugee protester demonstrator prisoner
    inmate detainee hostage captive patient tourist visitor citizen villager miner sailor journalist player fan voter
    teacher doctor nurse survivor evacuee suspect rebel insurgent gunman attacker baby infant teenager girl boy minor
    official guard agent marine rescuer volunteer climber hiker driver motorist pedestrian cyclist family resident
    american russian ukrainian israeli palestinian""".split())
# modifiers that do not make another quantity of the counted noun ("more people", "new cases")
LIGHT_MODIFIERS = frozenset(
    """more additional extra further total overall reported estimated official some least many all
    local foreign several fresh separate such own latest confirmed giant huge big massive small large
    major minor tiny vast whole entire""".split())
LEADING_ADJECTIVES = {"new", "more", "other", "additional", "extra", "further", "old", "young", "small", "large",
                      "major", "local", "foreign", "full-time", "part-time", "fresh", "separate"}
UNIT_MODIFIERS = {"basis", "cubic", "square", "metric", "percentage", "nautical", "light", "short", "long"}
PLURALS = {"people", "police", "children", "men", "women", "staff", "cattle", "personnel", "livestock"}

# units of measure: what such a figure measures is named elsewhere ("inflow reached 2,600 cubic metres")
UNIT_HEADS = frozenset("""metre meter kilometre kilometer km mile foot feet inch tonne ton hectare acre litre liter
    gallon barrel degree kilogram kg pound point centimetre centimeter millimetre millimeter cm mm watt megawatt
    gigawatt kilowatt volt yard knot mph""".split())
# counted nouns of time: ages and durations are not quantities a story's sources dispute
TIME_HEADS = frozenset({"hour", "day", "week", "month", "year", "minute", "second", "decade", "century", "time",
                         "night", "percent"})
GENERIC_HEADS = frozenset({"people"})
