"""Inputs -> raw documents: HTML and text files, JSONL dumps, article URLs, RSS/Atom feeds, OPML.

Every input that cannot be used is reported as a Problem naming it and saying why; the other
inputs go on. Nothing here extracts article text: that is extract.py's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby, islice
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import lxml.html

from .dates import parse_datetime
from .encoding import decode
from .errors import FetchError, InputError
from .fetch import Fetcher, Response
from .records import RawDocument


@dataclass
class Problem:
    """An input that was skipped (``skipped=True``) or used with a caveat."""

    source: str
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{'skipped' if self.skipped else 'warning'}: {self.source}: {self.reason}"


OnProblem = Callable[[Problem], None]

_JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md"}
_HEADER_KEYS = {"url", "outlet", "source", "published", "published_at", "date", "author", "by"}


def is_url(value: str) -> bool:
    return bool(re.match(r"^https?://", value, re.I))


def sniff(text: str) -> str:
    """Guess what a document is from its first characters: feed, opml, html, jsonl or text."""
    head = re.sub(r"^(\s|<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>)*", "", text[:4096], flags=re.S | re.I)
    lowered = head[:200].lower()
    if lowered.startswith(("<rss", "<feed", "<rdf:rdf", "<rdf")):
        return "feed"
    if lowered.startswith("<opml"):
        return "opml"
    if lowered.startswith("<") or re.search(r"<(html|body|p|div|article)\b", text[:4096], re.I):
        return "html"
    if lowered.startswith("{"):
        return "jsonl"
    return "text"


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's summary), one paragraph per line."""
    if "<" not in fragment:
        return "\n".join(line.strip() for line in fragment.splitlines() if line.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for element in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


URLS_FETCHED_TOGETHER = 16  # consecutive URL inputs fetched concurrently (in input order)


class SourceReader:
    """Turns inputs into RawDocuments, fetching with ``fetcher`` and reporting to ``on_problem``.

    For feed entries, ``known(url)`` says a page is already stored (it is not fetched again) and
    ``may_fetch(url)`` whether robots.txt lets us fetch it (if not, the entry's own text is used).
    """

    def __init__(self, fetcher: Fetcher, on_problem: OnProblem,
                 known: Callable[[str], bool] | None = None,
                 may_fetch: Callable[[str], bool] | None = None) -> None:
        self.fetcher = fetcher
        self.report = on_problem
        self.known = known or (lambda url: False)
        self.may_fetch = may_fetch or (lambda url: True)

    def read(self, inputs: Iterable[str]) -> Iterator[RawDocument]:
        """Every document the inputs hold, in order. URLs given one after another are fetched
        together, a few at a time (bounded overall and per host, as a feed's pages are)."""
        for urls_given, run in groupby(inputs, key=is_url):
            if urls_given:
                while urls := list(islice(run, URLS_FETCHED_TOGETHER)):
                    for url, response in self.fetcher.get_many(urls):
                        yield from self._reporting(self._fetched(url, response))
            else:
                for item in run:
                    yield from self._reporting(self._path(Path(item)))

    def _reporting(self, documents: Iterator[RawDocument]) -> Iterator[RawDocument]:
        """The documents (a generator: its errors arise as it is read), or the problem that stopped
        them, reported."""
        try:
            yield from documents
        except InputError as exc:
            self.report(Problem(exc.source, exc.reason))

    # -- files ------------------------------------------------------------------------------------

    def _path(self, path: Path) -> Iterator[RawDocument]:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from self._reporting(self._file(child))
        elif path.is_file():
            yield from self._file(path)
        else:
            raise InputError(str(path), "no such file or directory")

    def _file(self, path: Path) -> Iterator[RawDocument]:
        origin = str(path)
        suffix = path.suffix.lower()
        if suffix in _JSONL_EXTENSIONS:
            yield from self._jsonl_file(path)
            return
        size = path.stat().st_size
        if size == 0:
            raise InputError(origin, "the file is empty")
        if size > self.fetcher.config.max_bytes:
            raise InputError(origin, f"file is {size:,} bytes, over the {self.fetcher.config.max_bytes:,}-byte limit (max_bytes)")
        data = path.read_bytes()
        if b"\x00" in data[:2048]:
            raise InputError(origin, "not a text, HTML, JSONL or feed file (binary content)")
        kind = "html" if suffix in _HTML_EXTENSIONS else "text" if suffix in _TEXT_EXTENSIONS else None
        yield from self._document(origin, path.resolve().as_uri(), data, None, kind)

    def _jsonl_file(self, path: Path) -> Iterator[RawDocument]:
        with path.open("rb") as handle:
            yield from self._jsonl_lines(str(path), handle)

    # -- URLs -------------------------------------------------------------------------------------

    def _url(self, url: str) -> Iterator[RawDocument]:
        yield from self._fetched(url, self.fetcher.get(url))

    def _fetched(self, url: str, response: Response | FetchError) -> Iterator[RawDocument]:
        if isinstance(response, FetchError):
            raise response
        yield from self._document(url, response.url, response.body, response.content_type, None)

    # -- dispatch by kind -------------------------------------------------------------------------

    def _document(
        self, origin: str, url: str, data: bytes, content_type: str | None, kind: str | None
    ) -> Iterator[RawDocument]:
        text, warning = decode(data, content_type)
        if warning:
            self.report(Problem(origin, warning, skipped=False))
        if not text.strip():
            raise InputError(origin, "the document is empty")
        kind = kind or sniff(text)
        if kind == "feed":
            yield from self._feed(origin, data)
        elif kind == "opml":
            for feed_url in opml_feed_urls(origin, data):
                yield from self._reporting(self._url(feed_url))
        elif kind == "jsonl":
            yield from self._jsonl_lines(origin, text.encode("utf-8").splitlines())
        elif kind == "html":
            yield RawDocument(origin=origin, url=url, html=text)
        else:
            yield text_document(origin, url, text)

    def _jsonl_lines(self, origin: str, lines: Iterable[bytes]) -> Iterator[RawDocument]:
        return jsonl_documents(origin, lines, self.report)

    def feed(self, origin: str, data: bytes) -> Iterator[RawDocument]:
        """The entries of a feed already fetched (``data``), with their pages fetched."""
        return self._feed(origin, data)

    def _feed(self, origin: str, data: bytes) -> Iterator[RawDocument]:
        parsed = feedparser.parse(data)
        feed_title = parsed.feed.get("title")
        entries = [
            doc
            for n, entry in enumerate(parsed.entries, 1)
            if (doc := entry_document(origin, n, entry, feed_title)).url or doc.text
        ]
        if not entries:
            reason = f"malformed feed ({parsed.get('bozo_exception')})" if parsed.bozo else "the feed has no entries"
            raise InputError(origin, reason)
        if parsed.bozo:
            self.report(Problem(origin, f"feed is not well-formed ({parsed.bozo_exception}); read what could be parsed", skipped=False))
        linked = [doc for doc in entries if doc.url and not self.known(doc.url)]
        barred = {doc.url for doc in linked if not self.may_fetch(doc.url)}
        pages = dict(self.fetcher.get_many(doc.url for doc in linked if doc.url not in barred))
        for number, doc in enumerate(entries, 1):
            page = pages.get(doc.url)
            if doc.url in barred:
                if not doc.text:
                    self.report(Problem(doc.origin, "robots.txt disallows fetching the page, and the entry has no text of its own"))
                    continue
                doc.note = "robots.txt disallows fetching the page; used the feed entry's text"
            elif isinstance(page, FetchError):
                if not doc.text:
                    self.report(Problem(doc.origin, f"{page.reason}, and the entry has no text of its own"))
                    continue
                doc.note = f"page could not be fetched ({page.reason}); used the feed entry's text"
                self.report(Problem(doc.url, doc.note, skipped=False))
            elif page is not None:
                html, warning = decode(page.body, page.content_type)
                if warning:
                    self.report(Problem(doc.url, warning, skipped=False))
                doc.html = html
            doc.url = doc.url or f"{origin}#entry-{number}"
            yield doc


def opml_feed_urls(origin: str, data: bytes) -> list[str]:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise InputError(origin, f"malformed OPML ({exc})") from None
    if root is None:
        raise InputError(origin, "malformed OPML (no XML found)")
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    if not urls:
        raise InputError(origin, "the OPML file lists no feeds (no outline with xmlUrl)")
    return [u for u in urls if u]


def entry_document(origin: str, number: int, entry: Any, feed_title: str | None) -> RawDocument:
    """A feed entry as a RawDocument whose own text is the fallback if its page cannot be had."""
    body = ""
    if entry.get("content"):
        body = entry.content[0].get("value", "")
    body = body or entry.get("summary", "")
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return RawDocument(
        origin=f"{origin} (entry {number})",
        url=link if (link := entry.get("link", "")).startswith(("http://", "https://")) else "",
        text=plain_text(body) or None,
        title=entry.get("title"),
        outlet_fallback=feed_title,
        author=entry.get("author"),
        published_at=datetime(*published[:6], tzinfo=timezone.utc) if published else None,
    )


def jsonl_documents(origin: str, lines: Iterable[bytes], report: OnProblem) -> Iterator[RawDocument]:
    """One document per JSON line; a bad line is reported (``origin:N``) and the rest are read."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            yield jsonl_document(where, line)
        except InputError as exc:
            report(Problem(exc.source, exc.reason))


def jsonl_document(where: str, line: bytes) -> RawDocument:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(where, f"invalid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise InputError(where, "each line must be a JSON object")
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        raise InputError(where, "missing required key 'url'")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError(where, "needs a non-empty 'text' or 'html'")
    published = record.get("published_at", record.get("published"))
    return RawDocument(
        origin=where,
        url=url.strip(),
        html=html if isinstance(html, str) and html.strip() else None,
        text=text if isinstance(text, str) and text.strip() else None,
        title=_str(record.get("title")),
        outlet=_str(record.get("outlet")),
        author=_str(record.get("author")),
        published_at=parse_datetime(published, where) if published else None,
    )


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


MAX_TITLE_WORDS = 30  # headlines are short; a longer first line is the text itself


def text_document(origin: str, url: str, text: str) -> RawDocument:
    """A text file: the first line is the title, then optional ``Key: value`` lines
    (url, outlet, published, author), then the body. A first line too long for a title is body
    text (a file of running text without a title)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title: str | None = lines.pop(0).strip() if lines else ""
    if title and len(title.split()) > MAX_TITLE_WORDS:
        lines.insert(0, title)
        title = None
    header: dict[str, str] = {}
    while lines:
        match = re.match(r"^([A-Za-z_]+):\s*(.+)$", lines[0].strip())
        if not match or match.group(1).lower() not in _HEADER_KEYS:
            break
        header[match.group(1).lower()] = match.group(2).strip()
        lines.pop(0)
    body = "\n".join(lines).strip()
    if not body:
        raise InputError(origin, "the text file has a title line but no text")
    published = header.get("published") or header.get("published_at") or header.get("date")
    return RawDocument(
        origin=origin,
        url=header.get("url", url),
        text=body,
        title=title,
        outlet=header.get("outlet") or header.get("source"),
        author=header.get("author") or header.get("by"),
        published_at=parse_datetime(published, origin) if published else None,
    )
