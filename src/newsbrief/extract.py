"""Raw documents -> Articles: main text, title, author, date and outlet, via trafilatura."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import trafilatura
from lxml.html import HtmlElement

from .analysis.speech import annotate
from .boilerplate import not_an_article, without_hover_cards
from .dates import parse_datetime
from .errors import ExtractionError, InputError
from .records import Article, RawDocument
from .sentences import split_sentences
from .sources import unexpected, usable_date

# trafilatura without its fallback extractors: measured F1 0.962 (default: 0.959) on the extraction
# benchmark with bench/extraction.py, and faster (sentence splitting then dominates the time).
FAST_EXTRACTION = True
_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def normalise_text(text: str) -> str:
    """One paragraph per line, inner whitespace collapsed, no empty lines."""
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _drop_title_line(text: str, title: str | None) -> str:
    """trafilatura often keeps the page's <h1> as the first line; the title is stored apart."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    if rest and re.sub(r"\W+", "", first.lower()) == re.sub(r"\W+", "", title.lower()):
        return rest
    return text


MAX_TITLE_CHARS = 120
# Markup whose content is never the page's text. trafilatura leaves out scripts and styles from
# the text but not from the title it finds in a heading, and keeps <template> and, in places,
# <noscript> content (notices to enable JavaScript). JSON-LD scripts are kept: they are metadata.
INERT = ("script", "style", "template", "noscript")


def without_inert_markup(tree: HtmlElement) -> HtmlElement:
    for element in list(tree.iter(*INERT)):
        if not (element.tag == "script" and "ld+json" in (element.get("type") or "")):
            element.drop_tree()
    return tree


def title_from(text: str) -> str:
    """A title for a document that has none: its first sentence, or the start of it cut at a word."""
    first = split_sentences("", text.split("\n", 1)[0])
    title = first[0].text if first else text[:MAX_TITLE_CHARS]
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-—")
    return cut + "…"


def extract(raw: RawDocument, article_id: str = "", parse: bool = True) -> Article:
    """Make an Article from a RawDocument; raises ExtractionError if no text can be found.
    ``parse=False`` leaves the parse to the caller (who parses several articles in one batch).
    Whatever goes wrong with one document (a library failing on hostile markup) is that
    document's ExtractionError, so that the others are still read."""
    try:
        return _extract(raw, article_id, parse)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 (reported, with its type, as the document's reason)
        raise ExtractionError(raw.origin, unexpected(exc)) from exc


def _extract(raw: RawDocument, article_id: str, parse: bool) -> Article:
    title, author, outlet, published, url = raw.title, raw.author, raw.outlet, raw.published_at, raw.url
    text = ""
    note = raw.note
    if raw.html:
        tree = trafilatura.load_html(raw.html)
        doc = None if tree is None else trafilatura.bare_extraction(
            without_inert_markup(tree),
            url=raw.url if raw.url.startswith("http") else None,
            with_metadata=True,
            include_comments=False,
            fast=FAST_EXTRACTION,
            date_extraction_params=_DATE_PARAMS,
        )
        if doc is not None and doc.text and doc.text.strip():
            text = doc.text
            title = title or doc.title
            author = author or doc.author
            outlet = outlet or doc.sitename
            if not published and doc.date:
                try:
                    published = usable_date(parse_datetime(doc.date, raw.origin), raw.origin)
                except (InputError, ValueError, OverflowError):
                    published = None
            if raw.url.startswith("file:") and doc.url and doc.url.startswith("http"):
                url = doc.url  # a saved page knows its own address (canonical link / og:url)
        elif raw.text:
            note = "no article text found in the page; used the feed entry's text"
        else:
            raise ExtractionError(raw.origin, "no article text found in the page")
    text = normalise_text(without_hover_cards(_drop_title_line(text or raw.text or "", title)))
    if not text:
        raise ExtractionError(raw.origin, "the document has no text")
    if not title:
        title = title_from(text)
    domain = domain_of(url) or "local file"
    article = Article(
        url=url,
        outlet=(outlet or raw.outlet_fallback or domain).strip(),
        domain=domain,
        title=" ".join(title.split()),
        text=text,
        id=article_id,
        author=author,
        published_at=published,
        fetched_at=datetime.now(timezone.utc),
        content_hash=content_hash(text),
        origin=raw.origin,
        note=note,
    )
    article.sentences = split_sentences(article_id, text)
    if parse:
        article.parse_seconds = annotate(article.sentences)  # in the extraction workers: parsing runs in parallel
    reason = not_an_article(article.sentences)
    if reason:
        raise ExtractionError(raw.origin, reason)
    return article
