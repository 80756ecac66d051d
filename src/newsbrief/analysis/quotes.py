"""What people say in a story: direct quotes kept verbatim, and reported speech ("the mayor said
the port would reopen") as statements — each with its speaker, named once across the sources.

"..., he said" takes the name of the last person the same article quoted by name (a shallow
coreference: news names a speaker, then refers back to them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..boilerplate import is_furniture, report_sentences
from ..records import Article, Sentence
from ..sentences import without_dateline
from .attribution import PRONOUNS, SOURCE_NOUN, pattern_speaker, speaker
from .dates import WEEKDAYS
from .names import canonical_names, opening_name
from .speech import STATEMENT_POSITIONS, naming_attributions, worth_parsing

_QUOTE = re.compile(r"[\"“]([^\"“”]{12,400}?)[\"”]")
MIN_WORDS = 4
STATEMENT_WORDS = (4, 45)  # what a statement reports: long enough to say something, short enough to read
_SPEECH_CUES = re.compile(
    r"^(?:said|says|told|tells|warned|warns|predicted|predicts|expects|expected|estimated|estimates|claimed|claims|"
    r"argued|argues|insisted|insists|announced|announces|confirmed|confirms|denied|denies|added|adds|noted|notes|"
    r"reported|reports|acknowledged|believes|believed|stressed|cautioned|wrote|writes|admitted)$", re.I)
# of those, the verbs that only say someone spoke: a statement names its verb when it says more
_PLAIN_SPEECH = frozenset("said says told tells added adds noted notes wrote writes reported reports".split())


def _personal(name: str) -> bool:
    return name[:1].isupper() and not name.lower().startswith(("the ", "a ", "an "))


_PRONOUN_FORMS = {"her": "she", "his": "he", "him": "he", "their": "they", "them": "they", "its": "it", "us": "we",
                  "me": "i", "our": "we", "my": "i"}


_PERSONAL_PRONOUN = re.compile(r"\b(?:I|we|you|he|she|they)\b")  # "When I asked her ...": no one's name
# a sentence that is all quotation: '“He says he can’t breathe.”' (no other quotation mark inside)
_WHOLLY_QUOTED = re.compile(r'^\s*[“"][^“”"]+[”"]\s*$')


def _named_in(text: str) -> str | None:
    """A person the sentence itself names as a speaker: 'Morgan said he expected it: "...," he said.'"""
    names = [name for said in naming_attributions(text) if _personal(name := said.speaker(text))
             and name.lower() not in PRONOUNS and name.lower() not in _PRONOUN_FORMS]
    return names[0] if names else None


class _Antecedents:
    """Who "he" or "she" may be at this point of an article: the people named as speakers so far,
    latest last, and the pronoun the article has used for each."""

    def __init__(self) -> None:
        self.recent: list[str] = []
        self.pronoun_of: dict[str, str] = {}

    def named(self, who: str) -> None:
        self.recent.append(who)

    def resolve(self, pronoun: str, opener: str | None) -> str | None:
        """The person the sentence opens with, else the latest one not called by the other pronoun."""
        if opener:
            self.recent.append(opener)
        who = opener or next((p for p in reversed(self.recent) if self.pronoun_of.get(p, pronoun) == pronoun), None)
        if who:
            self.pronoun_of[who] = pronoun
        return who


def attributed_sentences(article: Article) -> Iterator[tuple[Sentence, str | None]]:
    """Each sentence of an article with its speaker. "He"/"she" is the person the sentence itself
    names as a speaker or opens with ("Carlineo was arrested for a call in which he said ..."), else
    the last person named as a speaker whom the article has not called by the other pronoun. A
    sentence that is all quotation goes on with the speaker of the sentence before it."""
    antecedents = _Antecedents()
    previous: str | None = None  # the speaker of the sentence before
    for sentence in article.sentences:
        text = sentence.text
        if is_furniture(text):  # "(WATCH: Sunday shows in 90 seconds)" names no speaker
            who = None
        elif previous and _WHOLLY_QUOTED.match(text):
            who = previous  # a quotation on its own goes on with the speaker before it
        else:
            parsed = worth_parsing(text, sentence.index)
            who = speaker(text, pronouns=True) if parsed else pattern_speaker(text, pronouns=True)
            who = _PRONOUN_FORMS.get(who.lower(), who) if who else None  # "her complaints that ..." -> she
            possessor = bool(who and re.search(r"['’]s$", who))  # "Trump’s mocking impression" -> Trump
            who = re.sub(r"['’]s$", "", who) if who else None
            if who and who.lower() in ("he", "she"):
                who = antecedents.resolve(who.lower(), (_named_in(text) if parsed else None) or opening_name(text))
            elif who and who.lower() in PRONOUNS:
                who = None
            elif who and _personal(who) and not possessor and not re.search(re.escape(who) + r"['’]s\b", text):
                antecedents.named(who)  # (not "a retort to Obama's remark that ...": Obama is not speaking next)
        previous = who if who and _personal(who) and not _PERSONAL_PRONOUN.search(who) else None
        yield sentence, who


Speakers = dict[str, str | None]  # sentence ref -> its speaker, "he"/"she" resolved


def story_speakers(articles: list[Article]) -> Speakers:
    """The speaker of every sentence of the story, worked out once for quotes, statements and
    implications."""
    return {sentence.ref: who for article in articles for sentence, who in attributed_sentences(article)}


def quotes(articles: list[Article], limit: int = 6, speakers: Speakers | None = None) -> list[dict[str, object]]:
    """Quoted passages of at least four words whose speaker is known, each once (syndicated
    repeats collapse), in the order the sources published them."""
    speakers = story_speakers(articles) if speakers is None else speakers
    found: dict[str, dict[str, object]] = {}
    for article in articles:
        for sentence in report_sentences(article.sentences):
            who = speakers.get(sentence.ref)
            if not who:
                continue
            for match in _QUOTE.finditer(sentence.text):
                text = match.group(1).strip().rstrip(",")
                if len(text.split()) < MIN_WORDS or _is_title(text):
                    continue
                key = _key(text)
                if key in found:
                    found[key]["citations"].append(sentence.ref)  # type: ignore[attr-defined]
                    continue
                found[key] = {"speaker": who, "text": text, "citations": [sentence.ref]}
    return _named_once(list(found.values()), speakers)[:limit]


def statements(articles: list[Article], limit: int = 6, speakers: Speakers | None = None) -> list[dict[str, object]]:
    """Reported speech: what a named speaker said, claimed, warned or expects, in the source's own
    words (no quotation marks: those are quotes), from the first sentences of each article (where
    news puts who said what), one per speaker first, earliest first."""
    speakers = story_speakers(articles) if speakers is None else speakers
    found: dict[str, dict[str, object]] = {}
    for article in articles:
        for sentence in report_sentences(article.sentences[:STATEMENT_POSITIONS]):
            who = speakers.get(sentence.ref)
            if not who or any(mark in sentence.text for mark in "\"“”"):
                continue
            for said in naming_attributions(sentence.text):
                cue = sentence.text[said.cue[0] : said.cue[1]]
                if not said.content or not _SPEECH_CUES.match(cue) or said.content[0] <= said.cue[0] < said.content[1]:
                    continue  # (a tag inside its content — "The toll, officials said, rose" — is not one passage)
                if said.nominal and cue.lower() in _PLAIN_SPEECH:
                    continue  # "White noted the launch" says what was mentioned, not what was said of it
                start, end = said.content
                if sentence.text.count("(", start, end) > sentence.text.count(")", start, end):
                    end = _past_closing_bracket(sentence.text, end)  # "... Rep. Ilhan Omar (D-Minn.)"
                text = without_dateline(sentence.text[start:end].strip(" ,;:"))
                text = re.sub(r"^that\s+", "", _WHEN_SAID.sub("", text))
                if not STATEMENT_WORDS[0] <= len(text.split()) <= STATEMENT_WORDS[1]:
                    continue
                named = said.speaker(sentence.text)
                if not _names_someone(who if named.lower() in PRONOUNS else named):
                    continue  # "The fight over the nomination began ...": no one is speaking
                key = _key(text)
                if key in found:
                    found[key]["citations"].append(sentence.ref)  # type: ignore[attr-defined]
                    continue
                found[key] = {"speaker": who if named.lower() in PRONOUNS else named, "text": text,
                              "citations": [sentence.ref]}
                if cue.lower() not in _PLAIN_SPEECH:  # "denied", "warned": not a plain claim
                    found[key]["cue"] = cue.lower()
                break
    keys = list(found)
    items = _named_once([found[k] for k in keys if not any(k != other and k in other for other in keys)], speakers)
    first_per_speaker = {str(item["speaker"]).lower(): item for item in reversed(items)}
    picked = [item for item in items if first_per_speaker.get(str(item["speaker"]).lower()) is item]
    picked += [item for item in items if item not in picked]
    return sorted(picked[:limit], key=items.index)


def _past_closing_bracket(text: str, end: int) -> int:
    """``end`` moved past a closing bracket that follows it (the parse leaves brackets out of spans)."""
    match = re.match(r"\s*\)", text[end:])
    return end + match.end() if match else end


# "officials said Monday the victim was ...": the day is when it was said, not part of what was
_WHEN_SAID = re.compile(rf"^(?i:(?:on\s+)?(?:{'|'.join(WEEKDAYS)}|today|yesterday)"
                        r"(?:\s+(?:morning|afternoon|evening|night))?),?\s+(?=[a-z])")
_QUANTIFIERS = frozenset("some many most others several few all both one each none another any".split())


def _names_someone(speaker: str) -> bool:
    """A person or body ("Ana Ruiz", "the Harbour Board") or a group that speaks ("officials"),
    not a quantifier ("Some said they felt dejected")."""
    words = speaker.split()
    if len(words) == 1 and speaker.lower() in _QUANTIFIERS:
        return False
    return any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and speaker[:1].isupper()) or any(
        SOURCE_NOUN.fullmatch(w) for w in words)


def _is_title(text: str) -> bool:
    """'Symptoms of Withdrawal: A Memoir' is a title in quotation marks, not something said."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _named_once(items: list[dict[str, object]], speakers: Speakers) -> list[dict[str, object]]:
    """Each item's speaker under the fullest name any source in the story gives them."""
    names = canonical_names([str(item["speaker"]) for item in items] + [who for who in speakers.values() if who])
    for item in items:
        item["speaker"] = names.get(str(item["speaker"]), item["speaker"])
    return items
