"""Page furniture: the sentences a scraped page carries that are not the report (sharing and
subscription prompts, embedded-tweet and video-player notices, web-archive crawl notes, cookie,
login and reprint notices). Used to leave such sentences out of briefs and to reject pages that
are nothing but furniture."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .records import Sentence

FURNITURE = re.compile(
    r"(subscribe|sign up|newsletter|click here|cookies?\b|advertisement|all rights reserved|©|"
    r"copyright|follow us|read more|share this|this material may not be|getty images|ap photo|"
    r"photos?:|images?:|videos?:|caption|javascript|your browser|log in|login|sign in to|terms of (use|service)|"
    r"privacy policy|related:|watch:|listen:|http[s]?://|www\.|"
    # embedded social posts and video players
    r"tweet with a location|location information to your tweets|your location history|add (a location to your|this) tweets?|"
    r"see more of .{1,60} on facebook|pic\.twitter\.com/|\(@\w+\) \w+\.? \d{1,2}, \d{4}|media playback is (un)?supported|rating is available when the video|"
    r"this feature is not available right now|(published|uploaded) on \w{3} \d{1,2}, \d{4}|"
    # photo captions and credits scraped with the text: a photo's date is not an event of the story
    r"in (?:this|an? (?:undated|file|handout)) [\w.,' ]{0,40}?(?:photo(?:graph)?|picture|image|handout|video still)\b|"
    r"buy photo|pressphoto|"  # (not "a picture taken by ... went viral": that is the report)
    r"^this (?:[\w-]+ ){0,2}(?:photo|image|picture) (?:released|provided|distributed|taken) by|"  # a caption's opening
    r"\([a-z][\w.'-]*(?: [\w.'-]+){1,3} ?/ ?[a-z][\w.' -]{1,40}\)|"  # a credit: "(Christopher Chung/The Press Democrat)"
    # time stamps of posts and comments: "Posted Tuesday, November 21, 2017 5:27 pm", "5:49:29 AM EST #18"
    r"^(?:posted|last updated|updated)\b:?\s+(?:on\s+|at\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)|\b\d{1,2}:\d{2}(?::\d{2})? ?(?:am|pm)\b[^a-z]{0,12}(?:[a-z]{2,3}\b[^a-z]*)?$|"
    # press-release notices
    r"embargoed until|for immediate release|"
    # web-archive crawl notes
    r"internet archive|wayback machine|crawl data|these crawls are|the seed for (this|\w+\d+)|warc files|"
    r"web collections? curated|archive-it|"
    # account and reprint notices
    r"verification (email|message)|check your (email|spam)|for your personal, non-commercial use|order reprints)",
)  # lower case, matched against lower-cased text: five times faster than re.I on this many alternatives
# Text addressed to a language model rather than to readers (prompt injection): never a fact to
# report, and never shown to the llm writer.
INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|directions)\b"
    r"|\b(system|developer)\s+(prompt|message)\b|\byou are (now )?(an? )?(ai|assistant|language model|chatbot)\b"
    r"|\bas an ai\b|\b(new|updated) instructions?\b|\bassistant:|\bsystem:",
    re.IGNORECASE,
)
MIN_ARTICLE_WORDS = 15
MAX_FURNITURE_SHARE = 0.5


# A linked name's hover card, scraped inline: the name again, the person's latest headlines, then
# "MORE": "Rep. Ilhan OmarIlhan OmarProgressives oppose ... MORE (D-Minn.) said ..."
_HOVER_CARD = re.compile(r"(?P<name>\b[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3})(?P=name)[^\n]{0,800}? MORE\b")


def without_hover_cards(text: str) -> str:
    return _HOVER_CARD.sub(r"\g<name>", text) if " MORE" in text else text


@lru_cache(maxsize=65_536)  # the writer, figures, quotes and timeline each ask of the same sentences
def is_furniture(sentence: str) -> bool:
    return FURNITURE.search(sentence.lower()) is not None


def report_sentences(sentences: list[Sentence]) -> Iterator[Sentence]:
    """The sentences that are the report: what briefs, figures, quotes and timelines are made of."""
    return (s for s in sentences if not is_furniture(s.text))


def reads_like_instructions(sentence: str) -> bool:
    return INSTRUCTION_LIKE.search(sentence) is not None


def not_an_article(sentences: list[Sentence]) -> str | None:
    """Why a page is not a report (too short, or mostly furniture), or None when it is one."""
    words = [len(s.text.split()) for s in sentences]
    total = sum(words)
    if total < MIN_ARTICLE_WORDS:
        return f"not an article: only {total} words of text"
    furniture = sum(n for s, n in zip(sentences, words) if is_furniture(s.text))
    if furniture > MAX_FURNITURE_SHARE * total:
        return "not an article: the page is mostly sharing, player, archive or login notices"
    return None
