"""Generated inputs of every kind (hypothesis): JSONL lines, RSS 0.9x/2.0, RSS 1.0 and Atom feeds,
HTML pages and text files, well-formed and not (nesting, entities, DOCTYPEs, encodings, huge
attributes, truncation, empty). None may raise: each input gives articles or a problem that names
it and says why, no reason is an unforeseen error, and no script, style, template or comment
becomes article text.

Every kind runs EXAMPLES cases through reading, extraction and ingest into one database shared by
all cases (the code `newsbrief ingest` runs, but for the spaCy parse of the sentences, which would
take most of the time). Every BRIEF_EVERY-th case also goes the whole way in a database of its own:
ingest with the parse, new brief versions for its stories (as after `newsbrief ingest`), and every
BRIEFS_ON_THEIR_OWN_EVERY-th its briefs as `newsbrief brief` writes them; each brief is rendered
in every format. The commands themselves run over folders of generated inputs through CliRunner.
With EXAMPLES = 2000, measured on 2 cores: 140 s of CPU time for the file (2.5 minutes on an
otherwise idle machine).
"""

from __future__ import annotations

import codecs
import json
import os
import random
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from newsbrief.cli import main
from newsbrief.dedupe import canonical_url
from newsbrief.errors import InputError, NoArticlesError
from newsbrief.extract import extract
from newsbrief.fetch import Fetcher
from newsbrief.ingest import Grouper, IngestSummary, ingest_articles, ingest_documents, reporter
from newsbrief.pipeline import briefs_from_inputs, refresh_briefs
from newsbrief.records import Article, RawDocument
from newsbrief.render import FORMATS, render
from newsbrief.settings import Config
from newsbrief.sources import Problem, SourceReader
from newsbrief.store import SQLiteStore
from newsbrief.writers.extractive import ExtractiveWriter

from .conftest import LocalServer, Page

EXAMPLES = int(os.environ.get("NEWSBRIEF_FUZZ_EXAMPLES", 2000))  # fewer for a quick look while developing
BRIEF_EVERY = 50  # these cases also go through brief writing as after `newsbrief ingest`,
BRIEFS_ON_THEIR_OWN_EVERY = 100  # and these as `newsbrief brief` too
# No shrinking: a case takes tens of milliseconds, so shrinking one takes minutes; the failing
# input is shown as generated (and, derandomized, comes back on every run).
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
SECRET = "zqsecretqz"  # put in scripts, styles, templates and comments: never article text

# -- the material: fictional sentences, hostile fragments ---------------------------------------------

TEMPLATES = [
    "Ferry workers in the invented port of {town} walked out on Monday, halting crossings for about {n} commuters.",
    "Union leader {name} said the strike in {town} was over pay and could last {n} days.",
    "The {town} harbour authority said it would run extra buses along the coast road from Tuesday.",
    "A fire swept through the north of {town} on Friday, destroying {n} homes, fire chief {name} said.",
    "Strong winds pushed the flames across dry fields near {town} before crews contained them late on Friday.",
    "About {n} residents of {town} spent the night in emergency shelters, the council said.",
    "The {town} school board voted on Wednesday to cut {n} teaching jobs, board chair {name} said.",
    "Parents in {town} protested outside the board offices, saying classes would grow to {n} pupils.",
    "\"We will not reopen the bridge until engineers are certain it is safe,\" said Mayor {name} of {town}.",
    "Engineers expect the repairs in {town} to take at least {n} weeks, which could disrupt deliveries to the harbour.",
    "Officials in {town} warned that the river could rise another {n} centimetres by Thursday.",
    "The {town} council approved a new {n}-bed hospital that will cost about 90 million dollars, {name} said.",
]
TOWNS = ["Velmor", "Dunmere", "Ashgrove", "Corvo", "Marisol", "Halvard", "Brindle", "Tamsin", "Ostrava Bay"]
NAMES = ["Jorn Hale", "Mira Osei", "Petra Lind", "Ines Calder", "Karel Dussek", "Ana Ruiz"]
SENTENCES = [t.format(town="Velmor", n=40, name="Jorn Hale") for t in TEMPLATES]  # for titles and served pages
HOSTILE = [
    f"<script>var {SECRET} = document.cookie;</script>", f"<style>.{SECRET} {{ color: red }}</style>",
    f"<template><p>{SECRET} placeholder sentence.</p></template>", f"<!-- {SECRET} -->",
    f"<script type='text/template'><p>{SECRET}</p></script>",
    f"<!-- <script> --><script>\n/* <script> */ {SECRET}();\n< /script>\n</script>",
    "&nbsp;", "&amp;", "&#0;", "&#x110000;", "&#55296;", "&bogus;", "&lt;b&gt;", "\u202e", "\ufeff", "\u0000",
    "\x0b\x0c", "<![CDATA[ cdata ]]>", "<?php echo 1; ?>", "</p></div></body>", "<<<<>>>>", "<br/><br/>",
    "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>link</a>", "<svg><title>t</title></svg>",
    "<math><mi>x</mi></math>", "<iframe src='http://127.0.0.1/'></iframe>", "<table><tr><td>cell</td></tr></table>",
]


def unicode_from(raw: bytes) -> str:
    """Random text made from random bytes (one draw: hypothesis draws text a character at a time):
    every three bytes give one character, ASCII (control characters too), Latin, the rest of the
    basic plane or anywhere up to U+10FFFF."""
    out = []
    for i in range(0, len(raw) - 2, 3):
        value = int.from_bytes(raw[i + 1 : i + 3], "big")
        point = (value % 0x80, 0x80 + value % 0x780, value % 0x10000, value * 17 % 0x110000)[raw[i] % 4]
        out.append(chr(point if not 0xD800 <= point <= 0xDFFF else point - 0x800))  # no lone surrogates
    return "".join(out)


FREE_TEXT = st.binary(max_size=120).map(unicode_from)
WORD_SOUP = st.lists(st.sampled_from(string.ascii_letters + " .,\n"), max_size=200).map("".join)
DATES = st.sampled_from([
    "2026-03-02T09:00:00Z", "Mon, 02 Mar 2026 09:00:00 GMT", "2026-03-02", "yesterday", "someday soonish?", "",
    "0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-02-30", "-1", "1e400",
    "99999999999999999999", "Tue, 31 Feb 2026 25:61:61 +9999", "\x00", "२०२६-०३-०२",
])
JSON_DATES = st.one_of(DATES, st.sampled_from([0, 1.7e9, -1e20, 1e20, 2**63, True, None, [], {}, [2026, 3, 2],
                                               {"date": "2026-03-02"}, float("nan")]))


def paragraphs_from(seed: int, hostile: bool = False) -> list[str]:
    """Up to four paragraphs of one to three pieces, all chosen by one number (one draw rather than
    dozens): sentences from the templates, the fixed sentences, random text and, if ``hostile``,
    hostile fragments. Towns, names and numbers vary, so that the shared
    database holds many stories, not a few huge ones of near-copies that slow every case down."""
    rng = random.Random(seed)

    def piece() -> str:
        roll = rng.random()
        if hostile and roll < 0.35:
            return rng.choice(HOSTILE)
        if roll < 0.45:
            return unicode_from(rng.randbytes(rng.randrange(120)))
        if roll < 0.55:
            return rng.choice(SENTENCES)
        return rng.choice(TEMPLATES).format(town=rng.choice(TOWNS), n=rng.randrange(2, 10**6), name=rng.choice(NAMES))

    return [" ".join(piece() for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 4))]


PARAGRAPHS = st.integers(0, 2**64).map(paragraphs_from)
HOSTILE_PARAGRAPHS = st.integers(0, 2**64).map(lambda seed: paragraphs_from(seed, hostile=True))


@st.composite
def html_fragment(draw: st.DrawFn) -> str:
    """Paragraphs in nested blocks, with hostile fragments among them (and sometimes deep nesting)."""
    out = []
    for text in draw(HOSTILE_PARAGRAPHS):
        wrap = draw(st.sampled_from(["p", "div", "li", "blockquote", "h2", "span", "section", "td"]))
        out.append(f"<{wrap}>{text}</{wrap}>" if draw(st.booleans()) else text)
    depth = draw(st.sampled_from([0] * 8 + [3, 40, 400]))
    return "<div>" * depth + "\n".join(out) + "</div>" * draw(st.sampled_from([depth, 0]))


# -- encodings ------------------------------------------------------------------------------------------

# (how the bytes are encoded, the charset the document declares or None)
ENCODINGS = [
    ("utf-8", "utf-8"), ("utf-8", None), ("utf-8-sig", "utf-8"), ("utf-8-sig", None), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16"), ("utf-16-be", None), ("utf-32", "utf-32"), ("latin-1", "iso-8859-1"),
    ("cp1252", "windows-1252"), ("latin-1", "utf-8"), ("utf-8", "iso-8859-1"), ("utf-8", "utf-16"),
    ("utf-8", "x-invented-charset"), ("utf-8", "cp500"), ("koi8-r", None), ("shift_jis", "shift_jis"),
]


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="xmlcharrefreplace")


@dataclass
class Generated:
    data: bytes
    intact: bool = True  # no junk spliced in: junk can break a <script> tag into text a browser shows


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> Generated:
    """The bytes as they are, or cut short, or with junk spliced in, or emptied."""
    how = draw(st.sampled_from(["as is"] * 6 + ["cut", "junk", "empty", "whitespace"]))
    if how == "cut" and data:
        return Generated(data[: draw(st.integers(0, len(data) - 1))])
    if how == "junk":
        at = draw(st.integers(0, len(data)))
        return Generated(data[:at] + draw(st.binary(max_size=40)) + data[at:], intact=False)
    if how == "empty":
        return Generated(b"")
    if how == "whitespace":
        return Generated(b" \n\t\r\n")
    return Generated(data)


# -- HTML pages -------------------------------------------------------------------------------------------


@st.composite
def html_pages(draw: st.DrawFn) -> Generated:
    encoding, declared = draw(st.sampled_from(ENCODINGS))
    title = draw(st.one_of(st.sampled_from(SENTENCES), FREE_TEXT, st.just("")))
    huge = "x" * draw(st.sampled_from([0] * 16 + [5, 70_000, 300_000]))
    head = "".join([
        f'<meta charset="{declared}">' if declared else "",
        f"<title>{escape(title)}</title>" if draw(st.booleans()) else "",
        f'<meta property="og:site_name" content="{escape(draw(FREE_TEXT))}">' if draw(st.booleans()) else "",
        f'<meta property="article:published_time" content="{escape(draw(DATES))}">' if draw(st.booleans()) else "",
        f'<meta name="description" content="{huge}">' if huge else "",
        draw(st.sampled_from(HOSTILE)) if draw(st.booleans()) else "",
    ])
    body = draw(html_fragment())
    doctype = draw(st.sampled_from(["<!doctype html>", '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">',
                                    "", '<?xml version="1.0" encoding="utf-8"?>']))
    shape = draw(st.sampled_from(["page", "page", "article", "fragment", "frameset"]))
    if shape == "fragment":
        page = body
    elif shape == "frameset":
        page = f"<html><frameset><frame src='a.html'></frameset><noframes>{body}</noframes></html>"
    else:
        inner = f"<article><h1>{escape(title)}</h1>{body}</article>" if shape == "article" else body
        attributes = draw(st.sampled_from(["", f"data-x={huge!r}"]))
        page = f"{doctype}<html><head>{head}</head><body {attributes}>{inner}</body></html>"
    return draw(mangled(encoded(page, encoding)))


# -- feeds ------------------------------------------------------------------------------------------------


@st.composite
def entry_text(draw: st.DrawFn, flavour: str) -> str:
    """An entry's body the ways feeds carry it: escaped HTML, CDATA, plain text, XHTML (Atom)."""
    fragment = draw(html_fragment())
    how = draw(st.sampled_from(["escaped", "cdata", "plain", "xhtml", "raw"]))
    if how == "cdata":
        return f"<![CDATA[{fragment}]]>"
    if how == "plain":
        return escape(" ".join(draw(PARAGRAPHS)))
    if how == "xhtml" and flavour.startswith("atom"):
        return f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>'
    if how == "raw":  # markup left unescaped: not well-formed XML, read by feedparser's loose parser
        return fragment
    return escape(fragment)


LINKS = ["", "{server}/page/good-{n}", "{server}/page/good-{n}", "{server}/page/missing", "{server}/page/binary",
         "{server}/page/empty", "{server}/page/hostile", "{server}/page/latin1", "{server}/page/redirect",
         "ftp://files.example/x", "javascript:alert(1)", "/relative/path", "http://[::1", "http://", "https://:0/",
         "http://127.0.0.1:1/closed", "http://127.0.0.1:99999/", "http://" + "a" * 70 + ".example/", "http://.example/"]


@st.composite
def entries(draw: st.DrawFn, flavour: str, server: str) -> str:
    title = escape(draw(st.one_of(st.sampled_from(SENTENCES), FREE_TEXT, st.sampled_from(HOSTILE))))
    link = escape(draw(st.sampled_from(LINKS)).format(server=server, n=draw(st.integers(0, 7))))
    body = draw(entry_text(flavour))
    date = escape(draw(DATES))
    if flavour.startswith("atom"):
        kind = draw(st.sampled_from(["html", "xhtml", "text", "text/html"]))
        tag = draw(st.sampled_from(["content", "summary"]))
        return (f"<entry><title type='{draw(st.sampled_from(['text', 'html']))}'>{title}</title>"
                f"<link href='{link}'/><id>urn:x:{draw(st.integers(0, 9))}</id><updated>{date}</updated>"
                f"<{tag} type='{kind}'>{body}</{tag}><author><name>{escape(draw(FREE_TEXT))}</name></author></entry>")
    extra = f"<content:encoded>{body}</content:encoded>" if draw(st.booleans()) else ""
    return (f"<item><title>{title}</title><link>{link}</link><description>{body}</description>{extra}"
            f"<pubDate>{date}</pubDate><dc:creator>{escape(draw(FREE_TEXT))}</dc:creator></item>")


DOCTYPES = [
    "", '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">',
    '<!DOCTYPE feed [\n<!ENTITY place "Velmor">\n<!ENTITY markup "<b>bold</b>">\n<!ENTITY nbsp "&#160;">\n]>',
    '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>',
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    f"<!-- {SECRET} -->\n<!DOCTYPE html>",
]
ENTITY_USES = ["", "&place;", "&markup;", "&nbsp;", "&secret;", "&d;", "&undeclared;"]


@st.composite
def feeds(draw: st.DrawFn, server: str) -> Generated:
    flavour = draw(st.sampled_from(["rss090", "rss091", "rss092", "rss20", "rdf", "atom10", "atom03"]))
    items = "".join(draw(st.lists(entries(flavour, server), max_size=3)))
    channel_title = escape(draw(st.one_of(st.sampled_from(["Velmor Gazette", "Dunmere Daily", ""]), FREE_TEXT)))
    channel_title += draw(st.sampled_from(ENTITY_USES))
    huge = "y" * draw(st.sampled_from([0] * 16 + [10, 100_000, 600_000]))
    attrs = f' data-huge="{huge}"' if huge else ""
    if flavour == "rdf":
        doc = (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
               f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
               f"{attrs}><channel><title>{channel_title}</title></channel>{items}</rdf:RDF>")
    elif flavour.startswith("atom"):
        ns = "http://www.w3.org/2005/Atom" if flavour == "atom10" else "http://purl.org/atom/ns#"
        doc = f'<feed xmlns="{ns}"{attrs}><title>{channel_title}</title>{items}</feed>'
    else:
        version = {"rss090": "0.90", "rss091": "0.91", "rss092": "0.92", "rss20": "2.0"}[flavour]
        doc = (f'<rss version="{version}" xmlns:dc="http://purl.org/dc/elements/1.1/" '
               f'xmlns:content="http://purl.org/rss/1.0/modules/content/"{attrs}><channel>'
               f"<title>{channel_title}</title><link>http://gazette.example/</link>{items}</channel></rss>")
    encoding, declared = draw(st.sampled_from(ENCODINGS))
    declaration = f'<?xml version="1.0" encoding="{declared}"?>' if declared else draw(
        st.sampled_from(['<?xml version="1.0"?>', ""]))
    comment = f"<!-- {SECRET} -->" if draw(st.booleans()) else ""
    text = declaration + "\n" + draw(st.sampled_from(DOCTYPES)) + "\n" + comment + doc
    return draw(mangled(encoded(text, encoding)))


# -- text files and JSONL -----------------------------------------------------------------------------------


@st.composite
def text_files(draw: st.DrawFn) -> Generated:
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.one_of(st.sampled_from(["Ferry strike in Velmor", "Dunmere fire", ""]), FREE_TEXT)))
    for key in draw(st.lists(st.sampled_from(["url", "outlet", "published", "author", "date", "by", "Source"]),
                             max_size=4)):
        value = draw(DATES) if key in ("published", "date") else draw(FREE_TEXT)
        lines.append(f"{key}: {value}")
    lines.append("")
    lines += draw(PARAGRAPHS)
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(WORD_SOUP) * 50)  # one very long line
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding, _ = draw(st.sampled_from(ENCODINGS))
    return draw(mangled(encoded(newline.join(lines), encoding)))


@st.composite
def jsonl_records(draw: st.DrawFn) -> str:
    """Most records are articles, with some keys then given other values (or types)."""
    record: dict[str, object] = {}
    if draw(st.integers(0, 9)) < 6:
        record["url"] = f"https://{draw(st.sampled_from(['velmor', 'dunmere']))}.example/{draw(st.integers(0, 10**6))}"
        record["title"] = draw(st.sampled_from(SENTENCES))[:70]
        record["text"] = "\n".join(draw(PARAGRAPHS))
    for key in draw(st.lists(st.sampled_from(["url", "title", "outlet", "published_at", "published", "text", "html",
                                              "author", "extra"]), unique=True, max_size=4)):
        if key == "url":
            bases = ["https://velmor.example/news/", "http://dunmere.example/fire/", "", "javascript:alert(1)//",
                     "not a url", "http://[::1", "http://x:99999/", "http://" + "a" * 70 + ".example/"]
            value = draw(st.one_of(st.sampled_from(bases).map(lambda base: base + str(draw(st.integers(0, 10**6)))),
                                   st.sampled_from([None, 5, [], {"a": 1}])))
        elif key in ("published_at", "published"):
            value = draw(JSON_DATES)
        elif key == "text":
            value = draw(st.one_of(PARAGRAPHS.map("\n".join), st.sampled_from([None, 1, [], ""])))
        elif key == "html":
            value = draw(st.one_of(html_fragment(), st.sampled_from([None, 2, ""])))
        else:
            value = draw(st.one_of(FREE_TEXT, st.sampled_from([None, 3, ["a"], {"b": None}])))
        record[key] = value
    return json.dumps(record, ensure_ascii=draw(st.booleans()))


@st.composite
def jsonl_files(draw: st.DrawFn) -> Generated:
    """Lines of records, and lines that are not: JSON of other shapes, broken JSON, blank lines."""
    line = st.one_of(
        jsonl_records(), jsonl_records(), jsonl_records(),
        st.sampled_from(["", "   ", "[1, 2]", "null", "42", '"text"', "{", '{"url": "https://a.example/1", "text": ',
                         "[" * 5000 + "]" * 5000, '{"url": "https://a.example/2"} trailing', "{}",
                         # lone surrogates: valid JSON escapes, but no UTF-8 (nor the store) takes them
                         '{"url": "https://a.example/3", "title": "Ferry \\ud800", "text": "' + SENTENCES[0][:-1]
                         + ' \\udfff. ' + SENTENCES[1] + '"}']),
        FREE_TEXT,
    )
    lines = [line.encode("utf-8", errors="surrogatepass") for line in draw(st.lists(line, max_size=4))]
    if draw(st.integers(0, 9)) == 0:
        lines.append(b"\xff\xfe not utf-8 \xc3\x28")
    data = draw(st.sampled_from([b"\n", b"\r\n"])).join(lines)
    if draw(st.integers(0, 9)) == 0:
        data = codecs.BOM_UTF8 + data
    return Generated(data)


# -- running them ----------------------------------------------------------------------------------------------


@dataclass
class Bench:
    """What every case shares: a folder, a database, a fetcher and a local server for entry links."""

    folder: Path
    store: SQLiteStore
    grouper: Grouper
    fetcher: Fetcher
    config: Config
    server: LocalServer
    cases: dict[str, int] = field(default_factory=dict)
    briefs: dict[str, int] = field(default_factory=dict)


def _pages(server: LocalServer) -> None:
    for n in range(8):
        body = "".join(f"<p>{escape(s)}</p>" for s in SENTENCES[n : n + 4])
        server.routes[f"/page/good-{n}"] = Page(
            f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>{body}"
            f"<script>{SECRET}()</script></article></body></html>".encode())
    server.routes["/page/binary"] = Page(b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
    server.routes["/page/empty"] = Page(b"")
    server.routes["/page/hostile"] = Page(("<html><body>" + "".join(HOSTILE) * 3 + "</body></html>").encode())
    server.routes["/page/latin1"] = Page(f"<p>{' '.join(SENTENCES[:3])} café</p>".encode("latin-1"),
                                         "text/html; charset=utf-8")
    server.routes["/page/redirect"] = Page(b"", status=302, headers={"Location": "/page/redirect"})


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    server = LocalServer()
    server.thread.start()
    _pages(server)
    config = Config.load(allow_private=True, workers=1, connect_timeout=2.0, read_timeout=2.0)
    folder = tmp_path_factory.mktemp("fuzz")
    with SQLiteStore(folder / "fuzz.db") as store, Fetcher(config) as fetcher:
        bench = Bench(folder, store, Grouper(store), fetcher, config, server)
        yield bench
    server.httpd.shutdown()
    server.httpd.server_close()
    print(f"\ncases per kind: {bench.cases}; through brief writing: {bench.briefs}")


def _names_input(problem: Problem, origin: str) -> bool:
    """A problem names the input when it is the input, a line or entry of it, a story holding it,
    or a page one of its entries links to (by its URL)."""
    return (problem.source.startswith(origin)
            or (problem.source.startswith("story ") and origin in problem.source)
            or problem.source.startswith(("http://", "https://")))


def extracted(documents: Iterable[RawDocument], report: Callable[[Problem], None]) -> Iterator[Article]:
    """What `ingest` does with the documents an input holds, but for the sentences' parse
    (spaCy: most of an article's extraction time; brief writing parses what it has not)."""
    for raw in documents:
        try:
            yield extract(raw, parse=False)
        except InputError as exc:
            report(Problem(exc.source, exc.reason))


def briefs_of(bench: Bench, origin: str, on_their_own: bool) -> list[Problem]:
    """The input's briefs as `newsbrief ingest` writes them (stored versions, in a database of
    their own: the shared one grows stories far larger than one input makes) and, if
    ``on_their_own``, as `newsbrief brief` does; each rendered in every format. Returns the
    problems reported on the way."""
    problems: list[Problem] = []
    summary = IngestSummary()
    with SQLiteStore(":memory:") as store:
        reader = SourceReader(bench.fetcher, problems.append, known=lambda url: store.has_url(canonical_url(url)))
        ingest_documents(reader.read([origin]), store, bench.config, summary, problems.append)
        written = refresh_briefs(store, summary.changed_stories, ExtractiveWriter(), on_problem=problems.append)
    if on_their_own:
        on_its_own: list[Problem] = []
        try:
            written += briefs_from_inputs([origin], bench.config, on_problem=on_its_own.append)[0]
        except NoArticlesError as exc:
            assert str(exc) and any(p.skipped for p in on_its_own), "no brief, and no input named as the reason"
        problems += on_its_own
    for brief in written:
        for fmt in FORMATS:
            assert render(brief, fmt)
    return problems


def run_case(bench: Bench, kind: str, generated: Generated, name: str) -> None:
    """One generated input through reading, extraction and ingest (and every BRIEF_EVERY-th one
    through brief writing), with the checks every input must pass."""
    number = bench.cases[kind] = bench.cases.get(kind, 0) + 1
    data = generated.data
    path = bench.folder / f"{kind}-{number}{name}"
    path.write_bytes(data)
    origin = str(path)
    summary = IngestSummary()
    report = reporter(summary, None)
    store = bench.store
    newest = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
    reader = SourceReader(bench.fetcher, report, known=lambda url: store.has_url(canonical_url(url)))
    ingest_articles(extracted(reader.read([origin]), report), store, summary, grouper=bench.grouper)
    problems = summary.problems
    if number % BRIEF_EVERY == 0:
        bench.briefs[kind] = bench.briefs.get(kind, 0) + 1
        problems = problems + briefs_of(bench, origin, number % BRIEFS_ON_THEIR_OWN_EVERY == 0)
    for problem in problems:
        assert _names_input(problem, origin), problem
        assert problem.reason.strip() and "unexpected error" not in problem.reason, problem
    if summary.items == 0:
        assert any(p.skipped and p.source.startswith(origin) for p in summary.problems), summary.problems
    if kind in ("html", "feed") and generated.intact:
        leaked = store.db.execute("SELECT origin, title, text FROM articles WHERE id > ? AND (instr(text, ?) OR "
                                  "instr(title, ?))", (newest, SECRET, SECRET)).fetchall()
        assert not leaked, [tuple(row) for row in leaked]
    if kind == "jsonl":
        lines = sum(1 for line in data.split(b"\n") if line.strip())
        per_line = [p for p in summary.failed if p.source.startswith(f"{origin}:")]
        assert summary.items + len(per_line) == lines or (lines == 0 and summary.failed), (lines, summary, data)
    path.unlink()


@FUZZ
@given(data=st.data())
def test_generated_html_pages(bench: Bench, data: st.DataObject) -> None:
    run_case(bench, "html", data.draw(html_pages()), data.draw(st.sampled_from([".html", ".htm", "", ".page"])))


@FUZZ
@given(data=st.data())
def test_generated_feeds(bench: Bench, data: st.DataObject) -> None:
    run_case(bench, "feed", data.draw(feeds(bench.server.base)), data.draw(st.sampled_from([".xml", ".rss", ""])))


@FUZZ
@given(data=st.data())
def test_generated_text_files(bench: Bench, data: st.DataObject) -> None:
    run_case(bench, "text", data.draw(text_files()), data.draw(st.sampled_from([".txt", ".txt", ".md", ""])))


@FUZZ
@given(data=st.data())
def test_generated_jsonl(bench: Bench, data: st.DataObject) -> None:
    run_case(bench, "jsonl", data.draw(jsonl_files()), data.draw(st.sampled_from([".jsonl", ".ndjson"])))


# -- the commands ------------------------------------------------------------------------------------------------

KINDS: dict[str, tuple[Callable[[str], st.SearchStrategy[Generated]], str]] = {
    "html": (lambda server: html_pages(), ".html"), "feed": (feeds, ".xml"),
    "text": (lambda server: text_files(), ".txt"), "jsonl": (lambda server: jsonl_files(), ".jsonl"),
}


@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_commands_over_folders_of_generated_inputs(bench: Bench, data: st.DataObject,
                                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    """`brief` and `ingest` over a folder of generated inputs: no traceback; exit 0 with something
    written, or 1 with the inputs named and why."""
    folder, db = tmp_path_factory.mktemp("inputs"), tmp_path_factory.mktemp("db") / "cli.db"
    for n in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(sorted(KINDS)))
        strategy, suffix = KINDS[kind]
        (folder / f"{kind}-{n}{suffix}").write_bytes(data.draw(strategy(bench.server.base)).data)
    env = {"NEWSBRIEF_WORKERS": "1", "NEWSBRIEF_ALLOW_PRIVATE": "1", "NEWSBRIEF_READ_TIMEOUT": "2"}
    runner = CliRunner()
    for args in (["brief", "--format", "json", str(folder)], ["ingest", "--db", str(db), str(folder)]):
        result = runner.invoke(main, args, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert result.exit_code in (0, 1), result.output
        problems = [line for line in result.stderr.splitlines() if line.startswith(("skipped: ", "warning: "))]
        if result.exit_code == 1:
            assert "see the messages above" in result.stderr and problems, result.stderr
