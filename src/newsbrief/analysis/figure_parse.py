"""A figure's frame from spaCy's dependency parse of its sentence: the noun the number counts (the
head it modifies, "of" what it is a share, the subject a toll is the level of), that noun's modifiers,
owner, place and measure, the verb that says what happened to it, and who counts it."""

from __future__ import annotations

import re
from typing import Any

from ..nlp import lemma
from .figure_frames import FigureMention, Frame, compatible_counted, finish_frame, frame_from_words
from .figure_lexicon import CLASS_OF, LIGHT_MODIFIERS, MEASURE_NOUNS, MEASURE_OF, PERSON_NOUNS, UNIT_HEADS
from .figure_owners import names_in

# verbs whose subject says or counts a figure (a claimant, not an owner), or that say nothing of
# what happened to what is counted ("an operation involving 15 tugboats"); then verbs a figure's
# subject moves by ("the toll rose to 23": the subject is what is counted)
_REPORTING = frozenset("""say tell report estimate count put give record register confirm show find tally list
    announce claim state add note cite expect project predict forecast reveal know believe experience see suffer identify
    include involve contain comprise receive attempt try work help continue begin start wait stand""".split())
# nouns a counted noun can hang from that make it another quantity: "attorneys general of 15 states",
# "a collection of 300,000 pieces" ("fuel rods in two reactors" and other places of a thing likewise)
_COLLECTIVES = frozenset("""collection group list set team series fleet network union coalition panel board council
    family chain portfolio""".split())
_QUANTIFIERS = frozenset("""half quarter third fifth tenth most some all many part share percent % majority
    minority rest remainder dozen hundred thousand million billion""".split())
_LEVEL_VERBS = frozenset("""rise climb reach hit pass top exceed surpass stand jump increase grow fall drop decline
    decrease soar surge swell mount near approach total number be become remain stay rocket balloon have slide slip
    tumble plunge sink dip rally gain sag""".split())
_BE = frozenset({"be", "remain", "stay", "become", "have", "appear", "seem", "get"})
_ESTIMATES = frozenset("""put estimate peg place set value assess raise cut lower increase reduce lift hike boost slash
    hold keep leave revise""".split())
_CONTAINERS = frozenset({"number", "total", "count", "figure", "tally", "sum", "amount", "level", "range", "band",
                         "balance"})
_OWNER_PREPS = frozenset({"of", "for", "from", "by", "belonging", "with"})
_PLACE_PREPS = frozenset({"in", "at", "inside", "across", "near", "to", "into", "throughout", "around", "on", "within"})


def _proper(token: Any) -> str | None:
    """The words of a noun phrase when it names someone or somewhere (it holds a proper noun or a
    capitalised word inside the sentence): "Russia's Kursk region", "the Conservatives"; not the
    phrases hanging from it ("the collapse of the Selvan Dam" names no one)."""
    if token.pos_ == "PRON":
        return None
    words, todo = [], [token]
    while todo:
        current = todo.pop()
        words.append(current)
        todo += [c for c in current.children if c.dep_ not in _NOT_IN_NAME and abs(c.i - token.i) <= 6]
    if any(t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0 and t.pos_ in ("ADJ", "NOUN")) for t in words):
        ordered = sorted(words, key=lambda t: t.i)
        text = "".join(t.text + (t.whitespace_ if t.i + 1 in {w.i for w in ordered} else " ") for t in ordered)
        return re.sub(r"\s+(['’]s)\b", r"\1", " ".join(text.split()))
    return None


_NOT_IN_NAME = frozenset({"det", "punct", "cc", "conj", "prep", "relcl", "acl", "appos", "nummod", "quantmod", "advmod"})


def _cls(noun: Any) -> str:
    word = lemma(noun) if noun.pos_ in ("NOUN", "PROPN", "ADJ", "VERB", "NUM") else noun.lower_
    return CLASS_OF.get(word, word)


def _modifier_tokens(noun: Any, first: int = 0) -> list[Any]:
    """The words before a noun that belong to it (compounds, adjectives, their own modifiers), from
    token ``first`` on (after the number: "an estimated 3,000 homes" counts homes)."""
    taken = []
    for child in reversed([c for c in noun.lefts if c.i >= first]):
        if child.dep_ in ("compound", "amod", "nmod", "npadvmod") and child.pos_ not in ("NUM", "PRON", "DET"):
            taken += [t for t in child.subtree if (t.pos_ not in ("NUM", "PUNCT", "DET") or t.text == "-")
                      and t.dep_ not in ("quantmod",)]
        elif child.dep_ not in ("nummod", "quantmod", "det", "poss", "punct", "advmod", "case"):
            break
    return sorted(taken, key=lambda t: t.i)


_BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being", "'s", "’s", "'re", "remain", "remains",
                       "remained", "stay", "stays", "stayed"})
_HAVE_FORMS = frozenset({"has", "have", "had", "having"})


def _verb(token: Any) -> str:
    """A verb's lemma, with the forms of "be" and "have" (which the rule lemmatizer leaves as they are)."""
    return "be" if token.lower_ in _BE_FORMS else "have" if token.lower_ in _HAVE_FORMS else lemma(token)


_PHRASES = {"gross domestic product": "gdp", "gdp": "gdp"}


def _joined(tokens: list[Any]) -> list[Any]:
    """Modifier tokens with words written as one ("hydro-electric", "K-9") read as one token: the
    last of the run stands for it, its lemma and text made of the whole."""
    out: list[Any] = []
    for t in tokens:
        if out and not out[-1].whitespace_ and out[-1].i == t.i - 1 and (t.text == "-" or out[-1].text.endswith("-")):
            out[-1] = _Word(out[-1].text + t.text, t)
        else:
            out.append(t)
    return [t for t in out if t.text != "-"]


class _Word:
    """A run of tokens written as one word, standing in for its last token."""

    def __init__(self, text: str, last: Any) -> None:
        self.text, self.pos_, self.tag_, self.dep_, self.i = text, last.pos_, last.tag_, last.dep_, last.i
        self.lower_, self.whitespace_ = text.lower(), last.whitespace_


_IDIOMS = {("lose", "job"): "cut", ("lose", "life"): "deaths", ("lose", "home"): "evacuated or displaced",
           ("let", "go"): "cut", ("lay", "off"): "cut", ("take", "hospital"): "hospitalised"}


def _verb_measure(verb: Any) -> str:
    """The measure a verb names, reading idioms by the verb's object or particle: "lost their jobs"
    is a cut, "lost their lives" deaths, "were let go" a cut."""
    word = _verb(verb)
    for child in verb.children:
        other = lemma(child) if child.dep_ in ("dobj", "prt", "xcomp", "ccomp") else None
        if child.dep_ == "prep":
            other = next((lemma(o) for o in child.children if o.dep_ == "pobj"), None)
        if (word, other) in _IDIOMS:
            return _IDIOMS[(word, other)]
    return _measure_word(verb)


_DIMENSIONS = frozenset({"distance", "depth", "height", "length", "width", "altitude", "range", "weight", "speed", "size"})


def _unit_measure(noun: Any) -> str | None:
    """What a figure in units measures: the doing it is the distance or depth of ("shot an insurgent
    from a distance of 2,286 metres": shoot), else the dimension named ("a depth of 18 km")."""
    token, dimension = noun, None
    for _ in range(3):
        if token.dep_ != "pobj" or token.head.dep_ not in ("prep", "agent"):
            break
        holder = token.head.head
        if holder.pos_ == "NOUN" and lemma(holder) in _DIMENSIONS:
            dimension, token = lemma(holder), holder
            continue
        if holder.pos_ == "VERB" and _verb(holder) not in _REPORTING and _verb(holder) not in _BE:
            return _verb_measure(holder)
        break
    return dimension


def _measure_word(token: Any) -> str:
    """The measure a word names: "killed", "dead" and "died" are deaths; other words are themselves."""
    word = _verb(token) if token.pos_ in ("VERB", "AUX") else lemma(token)
    return MEASURE_OF.get(token.lower_) or MEASURE_OF.get(word) or word


def _facts(noun: Any, frame: Frame, first: int = 0, clause: Any = None) -> None:
    """What the counted noun tells: its head, modifiers, owner, place and measure; the verb it is the
    subject or object of (or the one the figure itself is, ``clause``: "$92 billion in deposits" is
    the object of "acquired") says what happened to them and can name the owner."""
    word = lemma(noun)
    modifiers = _modifier_tokens(noun, first)
    frame.counted = " ".join(t.text for t in [*modifiers, noun])
    frame.counted = re.sub(r"\s+(['’]s)\b", r"\1", frame.counted)
    phrase = " ".join([*(lemma(t) for t in modifiers), word]).lower()
    if word in MEASURE_NOUNS:
        frame.measure, frame.head = MEASURE_NOUNS[word], None
    else:
        frame.head = _cls(noun)
    for words, name in _PHRASES.items():  # "gross domestic product" is GDP
        if phrase.endswith(words):
            frame.head, modifiers = name, modifiers[: len(modifiers) - len(words.split()) + 1]
    closed = [t for t in modifiers if t.dep_ == "compound" and t.pos_ == "NOUN" and t.i == noun.i - 1 and t.whitespace_
              and frame.head == _cls(noun) and lemma(t) not in MEASURE_OF and not t.text[:1].isupper()]
    if closed:  # "tug boats" are tugboats
        frame.head, modifiers = lemma(closed[0]) + frame.head, [t for t in modifiers if t is not closed[0]]
    owners: list[str] = []
    kept: list[str] = []
    run: list[str] = []
    if word == "other":
        kept.append("other")  # "two others" are some besides those counted already
    for t in _joined([t for t in modifiers if t.dep_ != "case"]):
        if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > 0) or t.text.isupper() and len(t.text) > 1:
            run.append(t.text)
            continue
        if run:
            owners.append(" ".join(run))
            run = []
        low = t.lower_ if isinstance(t, _Word) else lemma(t)
        if not isinstance(t, _Word) and (t.tag_ == "VBN" or low in MEASURE_NOUNS):
            frame.measure = frame.measure or _measure_word(t)  # "cancelled flights", "death toll"
        elif low not in LIGHT_MODIFIERS and t.dep_ != "advmod":
            kept.append(low.replace("-", ""))
    if run:
        owners.append(" ".join(run))
    frame.modifiers = tuple(sorted(kept))
    places: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss" and (name := _proper(child)):
            owners.append(name)
        elif child.dep_ == "prep":
            objects = [o for o in child.children if o.dep_ == "pobj"]
            objects += [c for o in objects for c in o.conjuncts]
            for obj in objects:
                if child.lower_ in _OWNER_PREPS and (name := _proper(obj)) and names_in(name):
                    owners.append(name)
                elif child.lower_ in _PLACE_PREPS and (name := _place(obj)):
                    places.append(name)
        elif child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "ADJ", "AUX"):
            if _verb(child) in _REPORTING or _verb(child) == "identify":
                frame.claimant = frame.claimant or next(
                    (name for c in child.children if c.dep_ == "agent" for o in c.children
                     if o.dep_ == "pobj" and (name := _who(o))), None)  # "29 deaths confirmed by BuzzFeed"
            elif frame.measure is None and _verb(child) not in _LEVEL_VERBS and (child.dep_ == "acl" or any(
                    c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that", "which") for c in child.children)):
                complement = next((c for c in child.children if c.dep_ in ("oprd", "acomp") and lemma(c) in MEASURE_OF),
                                  None)  # "people made homeless"
                frame.measure = MEASURE_OF[lemma(complement)] if complement is not None else _verb_measure(child)
            if child.dep_ == "acl":
                owners += [name for c in child.children if c.dep_ == "agent" for o in c.children
                           if o.dep_ == "pobj" and (name := _proper(o)) and _verb(child) not in _REPORTING
                           and _verb(child) not in MEASURE_OF]  # "made by Novartis"; "killed by the flood" is a cause
    if frame.head in UNIT_HEADS and frame.measure is None:
        frame.measure = _unit_measure(noun)
    else:
        _role(noun, frame)
        if frame.measure is None and noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
            doing = noun.head.head  # "ads running in nine states"
            if _verb(doing) not in _REPORTING and _verb(doing) not in _BE and _verb(doing) not in _LEVEL_VERBS:
                frame.measure = _verb_measure(doing)
    if clause is None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and lemma(noun.head.head) in _CONTAINERS:
        clause = noun.head.head  # "a total of 27 people were taken": the total's verb
    clause = clause if clause is not None else noun
    while clause.dep_ == "conj" and clause.head.pos_ in ("NOUN", "NUM", "PROPN", "SYM"):
        clause = clause.head  # "$173 billion of loans ... and $92 billion in deposits": both acquired
    verb = clause.head if clause.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj") else None
    if verb is not None and verb.pos_ in ("VERB", "AUX") and verb.i != clause.i:
        verb_lemma = _verb(verb)
        if frame.measure is None:
            if verb_lemma in _BE:
                for c in verb.children:
                    if c.dep_ in ("acomp", "attr", "oprd") and c.i != clause.i:
                        frame.measure = MEASURE_OF.get(c.lower_) or MEASURE_OF.get(lemma(c)) or (
                            lemma(c) if c.dep_ == "acomp" and c.pos_ == "ADJ" else None)  # "were supportive"
                    elif c.dep_ == "prep" and c.lower_ == "in":
                        shelter = [o for o in c.children if o.dep_ == "pobj" and lemma(o) in ("shelter", "hospital")]
                        if shelter:
                            frame.measure = MEASURE_OF.get(lemma(shelter[0]), "hospitalised")
            elif verb_lemma in _REPORTING and clause.dep_ == "nsubjpass" and verb_lemma not in ("say", "tell"):
                # "20 people were reported killed"; "131 suspects had been identified" (an act of its own)
                said = next((c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp")), None)
                frame.measure = _verb_measure(said) if said is not None else verb_lemma
            elif verb_lemma not in _REPORTING and verb_lemma not in _LEVEL_VERBS:
                complement = next((c for c in verb.children if c.dep_ in ("oprd", "acomp") and lemma(c) in MEASURE_OF), None)
                frame.measure = MEASURE_OF[lemma(complement)] if complement is not None else _verb_measure(verb)
            elif verb_lemma in _LEVEL_VERBS and clause.dep_ in ("dobj", "attr"):
                holder = next((c for c in verb.children if c.dep_ == "nsubj"), verb.head if verb.dep_ == "acl" else None)
                if holder is not None and lemma(holder) in MEASURE_OF:
                    frame.measure = MEASURE_OF[lemma(holder)]  # "an outbreak totaling 38 people"
        if (verb_lemma in _REPORTING or verb_lemma == "identify") and clause.dep_ == "dobj":
            frame.claimant = next((name for c in verb.children if c.dep_ == "nsubj"
                                   and (name := _who(_antecedent(c)))), None)  # "PETA identified 20 deaths"
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS:
                objects = [o for o in c.children if o.dep_ == "pobj"]
                places += [name for o in objects + [x for o in objects for x in o.conjuncts] if (name := _place(o))]
            elif c.dep_ == "agent":
                owners += [name for o in c.children if o.dep_ == "pobj" and (name := _proper(o))]
            elif (c.dep_ == "nsubj" and clause.dep_ == "dobj" and verb_lemma not in _REPORTING
                  and (verb_lemma not in _LEVEL_VERBS or verb_lemma == "have") and (name := _proper(_antecedent(c)))):
                owners.append(name)  # "Labour won 412 seats"; "the Islamist attack that killed 86 people"
            elif (c.dep_ == "nsubj" and frame.head in UNIT_HEADS and frame.measure is None and verb_lemma in _LEVEL_VERBS
                  and c.pos_ == "NOUN"):
                frame.measure = _measure_word(c)  # "inflow reached 2,600 cubic metres": a measure of inflow
        if degrees := _degrees(verb):
            frame.modifiers = tuple(sorted({*frame.modifiers, *degrees}))  # "five critically injured": some of them
    _set_owner_place(frame, owners, places)


# adverbs of degree that make the counted some of those the verb says it of: the critically injured
# are some of the injured (five of 19), the seriously ill some of the sick
_DEGREES = frozenset("""critically seriously severely badly gravely slightly lightly mildly moderately
    fatally""".split())


def _degrees(verb: Any) -> set[str]:
    """The adverbs of degree on a verb, on its complement or, for an auxiliary the parse took for the
    verb, on the verb it helps ("five people were critically injured")."""
    said = [verb, *(c for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp"))]
    if verb.dep_ in ("aux", "auxpass"):
        said.append(verb.head)
    return {c.lower_ for word in said for c in word.children if c.dep_ == "advmod" and c.lower_ in _DEGREES}


def _who(token: Any) -> str | None:
    """Who a noun phrase names: its own proper words, or a name set beside it ("the animal rights
    group PETA")."""
    name = _proper(token) or next((name for c in token.children if c.dep_ in ("appos", "compound")
                                   and c.pos_ == "PROPN" and (name := _proper(c))), None)
    first = token.left_edge
    article = first.text if first.dep_ == "det" and first.lower_ == "the" else None
    return f"{article} {name}" if name and article and not name.lower().startswith("the ") else name


def _antecedent(token: Any) -> Any:
    """What a relative pronoun stands for: in "the attack that killed 86", "that" is the attack."""
    if token.lower_ in ("that", "which", "who") and token.head.dep_ == "relcl":
        return token.head.head
    return token


def _role(noun: Any, frame: Frame) -> None:
    """A counted noun hanging from another noun by a preposition counts something else than the noun
    alone: "fuel rods in two reactors", "attorneys general of 15 states", "a collection of 300,000
    pieces" (a modifier says so); "the evacuation of 12,000 residents" names the measure instead."""
    if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
        return
    prep, holder = noun.head.lower_, noun.head.head
    if holder.pos_ not in ("NOUN", "PROPN") or lemma(holder) in _CONTAINERS or lemma(holder) in _QUANTIFIERS:
        return
    word = lemma(holder)
    if word in MEASURE_OF:
        frame.measure = frame.measure or MEASURE_OF[word]
    elif prep in ("in", "at", "inside", "within", "aboard", "with") or (
            prep == "of" and (word in PERSON_NOUNS or word in CLASS_OF or word in _COLLECTIVES)):
        frame.modifiers = tuple(sorted({*frame.modifiers, f"{word} {prep}"}))


def _place(token: Any) -> str | None:
    """A place a preposition names: a proper name, or the one a part of it is named by ("parts of
    Syria", "the province of Hatay")."""
    name = _proper(token)
    if name is None and token.pos_ == "NOUN":
        inner = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for o in c.children if o.dep_ == "pobj"), None)
        name = _proper(inner) if inner is not None else None
    return name if name and names_in(name) else None


def _set_owner_place(frame: Frame, owners: list[str], places: list[str]) -> None:
    if owners:  # one text for each name: "Wal-Mart" and "Wal-Mart’s" are one
        texts = {names_in(o): re.sub(r"['’]s$", "", o) for o in reversed(owners)}
        frame.owner = " and ".join(dict.fromkeys(texts[names_in(o)] for o in owners))
        frame.owners = tuple(dict.fromkeys(n for o in owners for n in names_in(o)))
    if places:
        frame.place = " and ".join(dict.fromkeys(places))
        frame.places = tuple(dict.fromkeys(n for p in places for n in names_in(p)))


def frame_from_parse(sentence: str, doc: Any, figure: FigureMention, before: list[FigureMention]) -> None:
    """The frame from the parse: the noun the figure counts (the head its number modifies, "of" what
    it is a share, or the subject a toll or a rate is given for), then that noun's facts."""
    frame = figure.frame
    core = [t for t in doc if figure.start <= t.idx < figure.core]
    if not core:
        return frame_from_words(sentence, figure, before)
    inside = {t.i for t in core}
    anchor = next((t for t in reversed(core) if t.head.i not in inside or t.head.i == t.i), core[-1])
    noun = None
    if anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "appos") and anchor.head.pos_ in ("NOUN", "PROPN") \
            and anchor.head.i not in inside and (anchor.head.i > anchor.i or frame.kind != "count"):
        noun = anchor.head
    part = via = of_them = False
    container = None
    for child in anchor.children if noun is None else ():
        # "nine of them have died": a part of those counted before, whatever it counts
        of_them = of_them or (child.dep_ == "prep" and child.lower_ == "of" and frame.kind == "count" and any(
            o.dep_ == "pobj" and o.pos_ == "PRON" for o in child.children))
        if child.dep_ == "prep" and child.lower_ in ("of", "in") and (frame.kind != "count" or child.lower_ == "of"):
            noun = next((o for o in child.children if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN")), None)
            if noun is not None:
                via = True
                # "16 of its staff members", "three of the robberies": a part of a whole
                part = frame.kind == "count" and not frame.vague and any(
                    c.dep_ in ("det", "poss", "nummod") for c in noun.children)
                break
    if (noun is None and anchor.dep_ == "pobj" and anchor.head.head.pos_ == "NOUN"
            and (anchor.head.lower_ == "of" or anchor.head.lower_ == "for" and frame.kind == "money")):
        noun = anchor.head.head  # "a toll of 23", "a loss of $320 million", "a claim for $916 million"
    if noun is None:
        noun = _subject_measured(anchor)
    if noun is not None and lemma(noun) in _CONTAINERS:
        inner = next((o for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                      for o in c.children if o.dep_ == "pobj" and o.pos_ != "NUM" and o.i not in inside), None)
        if inner is None and lemma(noun) in ("range", "band", "level") and noun.dep_ == "pobj":
            holder = noun.head.head  # "held its benchmark rate in a range of 4.75%-5%"
            inner = holder if holder.pos_ == "NOUN" else next(
                (c for dep in ("dobj", "nsubjpass", "nsubj") for c in holder.children if c.dep_ == dep
                 and c.pos_ == "NOUN"), None)
        if inner is not None:
            container, noun = noun, inner  # "the number of people killed": people
        elif not any(c.dep_ in ("acl", "relcl") for c in noun.children):
            noun = None  # "the figure", "the total": what it refers back to is read by the caller
    if noun is not None and lemma(noun) in _CONTAINERS and noun.pos_ == "NOUN" and not any(
            c.dep_ == "compound" and c.pos_ == "NOUN" for c in noun.children):
        frame.measure = next((_measure_word(c) for c in noun.children if c.dep_ in ("acl", "relcl")), None)
        noun = None  # "the number killed": a measure without a counted noun
    if noun is not None and lemma(noun) in _CONTAINERS and noun.pos_ == "NOUN":
        compound = next((c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
        noun = compound or noun  # "deposit balances totaling $89 billion": deposits
    if noun is not None:
        _facts(noun, frame, anchor.i + 1 if noun.i > anchor.i else 0, anchor if via else container)
        if part:
            frame.modifiers = tuple(sorted({*frame.modifiers, "a part"}))
        if noun.i > anchor.i and frame.kind == "count" and noun.idx >= figure.core:
            between = doc.text[figure.core : noun.idx]
            if len(between.split()) <= 4 and "," not in between:
                figure.end = max(figure.end, noun.idx + len(noun.text))  # "about 8,000 North Korean soldiers"
                figure.counted = compatible_counted(frame.counted)
    else:
        verb = anchor.head if anchor.dep_ in ("dobj", "nsubj", "nsubjpass") else None
        owners = [name for c in verb.children if c.dep_ == "nsubj" and (name := _proper(c))] \
            if verb is not None and anchor.dep_ == "dobj" and _verb(verb) not in _REPORTING else []
        if frame.measure is not None or verb is None:
            pass
        elif _verb(verb) in _BE:
            frame.measure = next((MEASURE_OF.get(c.lower_) or MEASURE_OF.get(lemma(c))
                                  for c in verb.children if c.dep_ in ("acomp", "attr")), None)
        elif _verb(verb) not in _REPORTING and _verb(verb) not in _LEVEL_VERBS:
            frame.measure = _verb_measure(verb)
        places = [name for c in anchor.children if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS
                  for o in c.children if o.dep_ == "pobj" and (name := _proper(o)) and names_in(name)]
        _set_owner_place(frame, owners, places)  # "... and 400 in Norland"
    _magnitude(doc, anchor, frame)
    finish_frame(sentence, figure, before)
    if of_them:
        frame.modifiers = tuple(sorted({*frame.modifiers, "a part"}))


_QUAKES = frozenset({"earthquake", "quake", "tremor", "temblor", "aftershock", "shock", "eruption"})
_LATER = frozenset({"second", "third", "new", "later", "subsequent", "another", "fresh", "fourth"})


def _magnitude(doc: Any, anchor: Any, frame: Frame) -> None:
    """An earthquake's magnitude ("a 7.8 magnitude earthquake", "a magnitude of 7.9", "a 6.7
    aftershock") is a quantity of its own, one per quake: an aftershock or "a second" quake is another."""
    window = doc[max(0, anchor.i - 4) : anchor.i + 4]
    quake = next((t for t in window if lemma(t) in _QUAKES), None)
    said = any(t.lower_ in ("magnitude", "richter") or t.lower_.endswith("-magnitude") for t in window)
    decimal = "." in anchor.text
    if frame.kind != "count" or frame.low >= 10 or not (said or (decimal and quake is not None and quake.i > anchor.i)):
        return
    frame.head, frame.counted, frame.measure = "magnitude", "magnitude", None
    if quake is None:
        quake = next((t for t in doc[anchor.i : anchor.i + 12] if lemma(t) in _QUAKES), None)
    later = quake is not None and any(lemma(t) in _LATER for t in quake.children if t.i < quake.i)
    which = {"later"} if later else set()
    if quake is not None and lemma(quake) == "aftershock":
        which.add("aftershock")
    frame.modifiers = tuple(sorted(which))
    frame.owners, frame.owner, frame.places, frame.place = (), None, (), None  # "on the Richter scale" is no place


def _subject_measured(anchor: Any) -> Any:
    """The noun a bare figure is the level of: "the death toll rose to 23", "unemployment stood at
    4.2%", "The toll is 23": the subject of the verb the figure completes."""
    verb = anchor.head
    if anchor.dep_ == "pobj":
        verb = anchor.head.head
    elif anchor.dep_ not in ("dobj", "attr", "npadvmod", "advmod"):
        return None
    if verb.pos_ in ("VERB", "AUX") and _verb(verb) in _ESTIMATES and anchor.dep_ == "pobj":
        # "put the damage at $800 million", "raised its rate to 4.5%"
        return next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    if verb.pos_ not in ("VERB", "AUX") or _verb(verb) not in _LEVEL_VERBS:
        return None
    # the subject nearest the verb (a dateline, "MILLBROOK FALLS, ... —", can be taken for another)
    subject = min((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: abs(verb.i - c.i),
                  default=None)
    if subject is None and verb.dep_ in ("xcomp", "conj", "advcl"):
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "acl":
        subject = verb.head  # "deposit balances totaling $89.17 billion"
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    return subject
