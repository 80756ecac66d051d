"""Inputs -> raw documents: HTML and text files, JSONL dumps, article URLs, RSS/Atom feeds, OPML.

Every input that cannot be used is reported as a Problem naming it and saying why; the other
inputs go on. Nothing here extracts article text: that is extract.py's job.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby, islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import lxml.etree
import lxml.html

from .dates import parse_datetime
from .encoding import declared_charset, decode
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


def valid_http_url(url: str) -> bool:
    """An http(s) URL the URL parser, the resolver and the fetcher all accept: a host that can be
    encoded for DNS, a port in range. (The fetcher and the URL canonicaliser raise on the others.)"""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError when out of range or not a number)
        (parts.hostname or "").encode("idna")
    except (ValueError, UnicodeError):
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _not_a_url(url: str) -> InputError:
    return InputError(url, "not a valid http(s) URL")


_FEED_ROOTS = {"rss", "feed", "rdf"}  # RSS 0.9x and 2.0, Atom, RSS 1.0 (rdf:RDF)
_SNIFF_BYTES, _SNIFF_CHUNK = 1 << 20, 1 << 14  # a feed's or page's first element comes long before 1 MB


def xml_root(data: bytes) -> str | None:
    """The lower-cased local name of a document's first element, found by lxml's XML parser, which
    knows byte order marks, declared encodings, DOCTYPEs with entities and comments (a pattern does
    not). Entities are not resolved and nothing is fetched. If the declared encoding is wrong, the
    bytes are read again as UTF-8."""
    for encoding in (None, "utf-8"):
        parser = lxml.etree.XMLPullParser(events=("start",), encoding=encoding, recover=True, resolve_entities=False,
                                          no_network=True, load_dtd=False)
        try:
            for start in range(0, min(len(data), _SNIFF_BYTES), _SNIFF_CHUNK):
                parser.feed(data[start : start + _SNIFF_CHUNK])
                if root := _first_element(parser):
                    return root
            parser.close()
        except (lxml.etree.XMLSyntaxError, ValueError):
            pass
        if root := _first_element(parser):
            return root
    return None


def _first_element(parser: lxml.etree.XMLPullParser) -> str | None:
    """The local name of the first element parsed: "{namespace}rss" or, with its namespace
    declaration lost to a broken document, "rdf:RDF"."""
    for _, element in parser.read_events():
        return str(element.tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
    return None


# Tags that make a document that does not start with markup HTML all the same (a saved fragment)
_HTML_TAG = re.compile(r"<(html|head|body|p|div|article|section|span|a|li|ul|ol|table|h[1-6]|br|img|script|style"
                       r"|template|noscript|iframe|meta|title|blockquote)\b", re.I)


def sniff(text: str, data: bytes | None = None) -> str:
    """What a document is: feed, opml, html, jsonl or text. Markup is told by its root element
    (parsed from ``data``, the document's bytes, when given), the rest by its first characters."""
    data = text.encode("utf-8") if data is None else data
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<") or data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"<") or wide_encoding(data):
        root = xml_root(data) or (xml_root(text.encode("utf-8")) if head.startswith("<") else None)  # (EBCDIC)
        return "feed" if root in _FEED_ROOTS else "opml" if root == "opml" else "html"
    if _HTML_TAG.search(text[:4096]):
        return "html"
    if head.startswith("{"):
        return "jsonl"
    return "text"


# Byte order marks, and the first bytes of a document that starts with "<" (XML 1.0, appendix F),
# of the encodings whose text holds NUL bytes. UTF-32's come first: its marks begin like UTF-16's.
_WIDE_STARTS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (b"<\0\0\0", "utf-32-le"),
    (b"\0\0\0<", "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"),
]


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (whose text is full of NUL bytes, like binary files), when the first bytes say so."""
    return next((encoding for start, encoding in _WIDE_STARTS if data.startswith(start)), None)


def decode_document(data: bytes, content_type: str | None = None) -> tuple[str, str | None]:
    """``data`` as text, and a warning when bytes were replaced or guessed. Beyond decode(): UTF-16
    and UTF-32 are known by their first bytes, and a 16- or 32-bit charset declared for bytes that
    are not (they start with an ASCII "<") is ignored."""
    wide = wide_encoding(data)
    if wide:
        text = data.decode(wide, errors="replace").removeprefix("\ufeff")
        return text, (f"invalid {wide}; undecodable bytes replaced with U+FFFD" if "\ufffd" in text else None)
    declared = declared_charset(data, content_type) or ""
    if declared.startswith(("utf-16", "utf-32")):
        text, warning = decode(codecs.BOM_UTF8 + data)  # the mark makes decode() read UTF-8
        return text, f"declares {declared} but is not; read as UTF-8" + (f" ({warning})" if warning else "")
    return decode(data, content_type)


_NOT_TEXT = ("script", "style", "template", "noscript", "head")  # code, styling, inert markup, page head
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", no_network=True)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never text, and lxml refuses them in a tree


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's summary), one paragraph per line. Scripts, styles,
    templates and comments are not text."""
    if "<" not in fragment and "&" not in fragment:
        return "\n".join(" ".join(line.split()) for line in fragment.splitlines() if line.strip())
    try:  # as bytes: lxml refuses a str with an encoding declaration
        root = lxml.html.document_fromstring(_CONTROL.sub(" ", fragment).encode("utf-8", errors="replace"),
                                             parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError):  # "Document is empty": markup and no text
        return ""
    for element in list(root.iter(*_NOT_TEXT)):
        element.drop_tree()
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
                while given := list(islice(run, URLS_FETCHED_TOGETHER)):
                    for url in given:
                        if not valid_http_url(url):
                            self.report(Problem(url, _not_a_url(url).reason))
                    for url, response in self.fetcher.get_many(url for url in given if valid_http_url(url)):
                        yield from self._reporting(url, self._fetched(url, response))
            else:
                for item in run:
                    yield from self._reporting(item, self._path(Path(item)))

    def _reporting(self, origin: str, documents: Iterator[RawDocument]) -> Iterator[RawDocument]:
        """The documents of ``origin`` (a generator: its errors arise as it is read), or the problem
        that stopped them, reported. A library's failure on one hostile input is that input's
        problem too: it must not stop the others."""
        try:
            yield from documents
        except InputError as exc:
            self.report(Problem(exc.source, exc.reason))
        except Exception as exc:  # noqa: BLE001 (reported, with its type, as the input's reason)
            self.report(Problem(origin, unexpected(exc)))

    # -- files ------------------------------------------------------------------------------------

    def _path(self, path: Path) -> Iterator[RawDocument]:
        if path.is_dir():
            files = [child for child in sorted(path.rglob("*"))
                     if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)]
            if not files:
                raise InputError(str(path), "the folder holds no files")
            for child in files:
                yield from self._reporting(str(child), self._file(child))
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
        if b"\x00" in data[:2048] and not wide_encoding(data):
            raise InputError(origin, "not a text, HTML, JSONL or feed file (binary content)")
        kind = "html" if suffix in _HTML_EXTENSIONS else "text" if suffix in _TEXT_EXTENSIONS else None
        yield from self._document(origin, path.resolve().as_uri(), data, None, kind)

    def _jsonl_file(self, path: Path) -> Iterator[RawDocument]:
        with path.open("rb") as handle:
            yield from self._jsonl_lines(str(path), handle)

    # -- URLs -------------------------------------------------------------------------------------

    def _url(self, url: str) -> Iterator[RawDocument]:
        if not valid_http_url(url):
            raise _not_a_url(url)
        yield from self._fetched(url, self.fetcher.get(url))

    def _fetched(self, url: str, response: Response | FetchError) -> Iterator[RawDocument]:
        if isinstance(response, FetchError):
            raise response
        yield from self._document(url, response.url, response.body, response.content_type, None)

    # -- dispatch by kind -------------------------------------------------------------------------

    def _document(
        self, origin: str, url: str, data: bytes, content_type: str | None, kind: str | None
    ) -> Iterator[RawDocument]:
        text, warning = decode_document(data, content_type)
        if warning:
            self.report(Problem(origin, warning, skipped=False))
        if not text.strip():
            raise InputError(origin, "the document is empty")
        kind = kind or sniff(text, data)
        if kind == "feed":
            yield from self._feed(origin, data)
        elif kind == "opml":
            for feed_url in opml_feed_urls(origin, data):
                yield from self._reporting(feed_url, self._url(feed_url))
        elif kind == "jsonl":
            yield from self._jsonl_lines(origin, text.encode("utf-8").splitlines())
        elif kind == "html":
            yield RawDocument(origin=origin, url=url, html=text)
        else:
            yield text_document(origin, url, text)

    def _jsonl_lines(self, origin: str, lines: Iterable[bytes]) -> Iterator[RawDocument]:
        read = 0

        def counted() -> Iterator[bytes]:
            nonlocal read
            for line in lines:
                read += bool(line.strip())
                yield line

        yield from jsonl_documents(origin, counted(), self.report)
        if not read:
            raise InputError(origin, "the file holds no JSON lines")

    def feed(self, origin: str, data: bytes) -> Iterator[RawDocument]:
        """The entries of a feed already fetched (``data``), with their pages fetched."""
        return self._feed(origin, data)

    def _feed(self, origin: str, data: bytes) -> Iterator[RawDocument]:
        entries, empty, parsed = feed_entries(origin, data)
        if not entries:
            if parsed.bozo:
                raise InputError(origin, f"malformed feed ({parsed.get('bozo_exception')})")
            raise InputError(origin, f"none of the feed's {len(empty)} entries has a link or text" if empty
                             else "the feed has no entries")
        if parsed.bozo:
            self.report(Problem(origin, f"feed is not well-formed ({parsed.bozo_exception}); read what could be parsed", skipped=False))
        for doc in empty:
            self.report(Problem(doc.origin, "the entry has neither a link nor text"))
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
                html, warning = decode_document(page.body, page.content_type)
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


def feed_entries(origin: str, data: bytes) -> tuple[list[RawDocument], list[RawDocument], Any]:
    """A feed's entries that have a link or text, those that have neither, and feedparser's result
    (an InputError if feedparser fails on the feed). feedparser's sanitiser is off: it lets script
    text through in tangled markup, while plain_text() drops scripts, styles and templates with
    lxml's HTML parser (entry markup is only ever read as text)."""
    try:
        parsed = feedparser.parse(for_feedparser(data), sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 (its fallback parser raises on some malformed feeds)
        raise InputError(origin, f"malformed feed (the feed parser failed: {type(exc).__name__}: {exc})") from None
    feed_title = _text_of(parsed.feed, "title")
    documents = [entry_document(origin, n, entry, feed_title) for n, entry in enumerate(parsed.entries, 1)]
    return [d for d in documents if d.url or d.text], [d for d in documents if not (d.url or d.text)], parsed


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?)\sencoding=(["'])([^"'>]*)\2""")


def for_feedparser(data: bytes) -> bytes:
    """A feed's bytes without what makes feedparser raise instead of reporting a malformed feed:
    a declared encoding name that is not ASCII, and character references to surrogates or beyond
    U+10FFFF (its fallback parser calls chr() on them); U+FFFD stands in for those. A UTF-16 or
    UTF-32 feed is made UTF-8 first (with a byte order mark, which feedparser trusts over the
    declaration), so that the references can be found."""
    if wide := wide_encoding(data):
        data = codecs.BOM_UTF8 + data.decode(wide, errors="replace").removeprefix("\ufeff").encode("utf-8")
    declared = _DECLARED_ENCODING.match(data)
    if declared and not declared[3].isascii():
        data = declared[1] + data[declared.end() :]

    def fixed(match: re.Match[bytes]) -> bytes:
        value = int(match[1], 16) if match[1] else int(match[2])
        return match[0] if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else b"&#xFFFD;"

    return _CHARREF.sub(fixed, data) if b"&#" in data else data


def entry_document(origin: str, number: int, entry: Any, feed_title: str | None) -> RawDocument:
    """A feed entry as a RawDocument whose own text is the fallback if its page cannot be had."""
    bodies = [content.get("value") for content in entry.get("content") or []] + [entry.get("summary")]
    body = next((value for value in bodies if isinstance(value, str) and value.strip()), "")
    text = plain_text(body)
    if "&lt;" in body and _HTML_TAG.search(text):  # escaped twice (feedparser's fallback parser does that)
        text = plain_text(text)
    link = entry.get("link", "")
    return RawDocument(
        origin=f"{origin} (entry {number})",
        url=link if isinstance(link, str) and valid_http_url(link) else "",
        text=text or None,
        title=_text_of(entry, "title"),
        outlet_fallback=feed_title,
        author=_str(entry.get("author")),
        published_at=_entry_date(entry),
    )


_TAG = re.compile(r"<[A-Za-z!/]")


def _text_of(element: Any, key: str) -> str | None:
    """An entry's or feed's title as text: feedparser keeps the markup of an HTML title, and RSS
    titles said to be plain text often carry escaped HTML."""
    value = element.get(key)
    if not isinstance(value, str):
        return None
    if "html" in (element.get(f"{key}_detail") or {}).get("type", "") or _TAG.search(value):
        value = " ".join(plain_text(value).split())
    return _str(value)


def _entry_date(entry: Any) -> datetime | None:
    """An entry's publication (or update) time; an impossible or out-of-range one is no date."""
    for key in ("published_parsed", "updated_parsed"):
        parsed = dict.get(entry, key)  # (FeedParserDict.get maps one key to the other, with a warning)
        if parsed:
            try:
                return usable_date(datetime(*parsed[:6], tzinfo=timezone.utc), "")
            except (InputError, ValueError, TypeError, OverflowError):
                return None
    return None


EARLIEST, LATEST = datetime(1800, 1, 1, tzinfo=timezone.utc), datetime(2999, 12, 31, tzinfo=timezone.utc)


def usable_date(when: datetime, where: str) -> datetime:
    """``when``, if a report could have been published then: dates far outside that break the
    date arithmetic of grouping and timelines (year 1 minus a week does not exist)."""
    if not EARLIEST <= when <= LATEST:
        raise InputError(where, f"the date {when.isoformat()} is out of range ({EARLIEST.year} to {LATEST.year})")
    return when


def publication_date(value: object, where: str) -> datetime:
    """A publication date given in an input (a JSONL key, a text file's header), or an InputError."""
    try:
        return usable_date(parse_datetime(value, where), where)
    except (ValueError, OverflowError, OSError):  # a Unix time beyond what the platform can represent
        raise InputError(where, f"cannot read the date {value!r}; use ISO 8601, e.g. 2026-11-09T14:30:00Z") from None


def unexpected(exc: BaseException) -> str:
    """The reason given for an error no check foresaw (a bug here or in a library): its type and message."""
    return f"unexpected error ({type(exc).__name__}: {str(exc)[:200]})"


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
        except Exception as exc:  # noqa: BLE001 (one line's problem, whatever it is)
            report(Problem(where, unexpected(exc)))


def jsonl_document(where: str, line: bytes) -> RawDocument:
    try:
        record = json.loads(line, object_hook=_without_surrogates)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(where, f"invalid JSON ({exc})") from None
    except RecursionError:
        raise InputError(where, "invalid JSON (nested too deeply to read)") from None
    if not isinstance(record, dict):
        raise InputError(where, "each line must be a JSON object")
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        raise InputError(where, "missing required key 'url'")
    if is_url(url.strip()) and not valid_http_url(url.strip()):
        raise InputError(where, f"the url {url.strip()[:100]!r} is not a valid http(s) URL")
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
        published_at=publication_date(published, where) if published else None,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(record: dict[str, Any]) -> dict[str, Any]:
    """A JSON object with lone surrogates (valid JSON escapes such as "\\ud800", but not text: no
    UTF-8 encodes them, so the store and the hash would fail on them) replaced by U+FFFD."""
    return {key: _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value for key, value in record.items()}


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
    if is_url(header.get("url", "")) and not valid_http_url(header["url"]):
        raise InputError(origin, f"the url {header['url'][:100]!r} is not a valid http(s) URL")
    return RawDocument(
        origin=origin,
        url=header.get("url", url),
        text=body,
        title=title,
        outlet=header.get("outlet") or header.get("source"),
        author=header.get("author") or header.get("by"),
        published_at=publication_date(published, origin) if published else None,
    )
