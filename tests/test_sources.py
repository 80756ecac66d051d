"""Input kinds: text files, JSONL, OPML, directories, encodings and their errors."""

from __future__ import annotations

import json
from pathlib import Path

from newsbrief import read_articles
from newsbrief.encoding import decode
from newsbrief.sources import sniff

from .stories import BRIDGE, as_html, as_text


def _write_bridge_files(folder: Path) -> None:
    (folder / "tribune.html").write_text(as_html(BRIDGE[0], "https://tribune.example/gull"), "utf-8")
    (folder / "harbourside.txt").write_text(as_text(BRIDGE[1]), "utf-8")
    row = {"url": "https://review.example/gull", "title": BRIDGE[2]["title"], "outlet": BRIDGE[2]["outlet"],
           "published": BRIDGE[2]["published"], "text": "\n".join(BRIDGE[2]["paragraphs"])}
    (folder / "more.jsonl").write_text(json.dumps(row) + "\n", "utf-8")


def test_a_folder_of_mixed_inputs(tmp_path: Path) -> None:
    _write_bridge_files(tmp_path)
    result = read_articles([str(tmp_path)])
    assert result.problems == []
    by_outlet = {a.outlet: a for a in result.articles}
    assert set(by_outlet) == {"Portavel Tribune", "Harbourside News", "Coastline Review"}
    tribune = by_outlet["Portavel Tribune"]
    assert tribune.url == "https://tribune.example/gull"
    assert tribune.published_at.isoformat() == "2026-03-02T09:00:00+00:00"
    assert tribune.text.startswith("The city of Portavel closed")  # the <h1> is the title, not text
    assert tribune.sentences[0].text.startswith("The city of Portavel")
    text_file = by_outlet["Harbourside News"]
    assert text_file.title == BRIDGE[1]["title"] and text_file.published_at.hour == 15
    for article in result.articles:
        for s in article.sentences:
            assert article.text[s.start : s.end] == s.text


def test_jsonl_bad_lines_are_reported_by_line_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    good = {"url": "https://a.example/1", "title": "Bridge",
            "text": "The Gull Bridge closed on Monday after cracks were found in a girder of its main span by inspectors."}
    path.write_text("\n".join([
        json.dumps(good),
        "{not json",
        json.dumps({"title": "no url", "text": "x"}),
        json.dumps({"url": "https://a.example/2"}),
        json.dumps({"url": "https://a.example/3", "text": "Later.", "published_at": "someday soonish?"}),
        "[1, 2]",
    ]) + "\n", "utf-8")
    result = read_articles([str(path)])
    assert [a.url for a in result.articles] == ["https://a.example/1"]
    reasons = [str(p) for p in result.problems]
    assert reasons[0].startswith(f"skipped: {path}:2: invalid JSON")
    assert reasons[1] == f"skipped: {path}:3: missing required key 'url'"
    assert reasons[2] == f"skipped: {path}:4: needs a non-empty 'text' or 'html'"
    assert reasons[3].startswith(f"skipped: {path}:5: cannot read the date")
    assert reasons[4] == f"skipped: {path}:6: each line must be a JSON object"


def test_missing_empty_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.bin").write_bytes(b"\x89PNG\x00\x00\x00")
    result = read_articles([str(tmp_path / "nope.html"), str(tmp_path / "empty.txt"), str(tmp_path / "image.bin")])
    assert result.articles == []
    assert [p.reason for p in result.problems] == [
        "no such file or directory",
        "the file is empty",
        "not a text, HTML, JSONL or feed file (binary content)",
    ]


def test_opml_lists_feeds(tmp_path: Path, server) -> None:
    from .conftest import Page
    from .stories import rss

    server.routes["/a.html"] = Page(as_html(BRIDGE[0], server.url("/a.html")).encode())
    server.routes["/feed.xml"] = Page(rss([(BRIDGE[0], server.url("/a.html"))]).encode(), "application/rss+xml")
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>'
                    f'<outline text="Tribune" xmlUrl="{server.url("/feed.xml")}"/>'
                    f'<outline text="Dead" xmlUrl="{server.url("/dead.xml")}"/></body></opml>')
    from newsbrief import Config

    result = read_articles([str(opml)], Config.load(allow_private=True))
    assert [a.outlet for a in result.articles] == ["Portavel Tribune"]
    assert [(p.source, p.reason) for p in result.problems] == [(server.url("/dead.xml"), "HTTP 404 Not Found")]


def test_decoding() -> None:
    assert decode("café".encode("utf-8")) == ("café", None)
    assert decode("café".encode("cp1252"), "text/html; charset=windows-1252") == ("café", None)
    text, warning = decode(b"<meta charset='utf-8'><p>caf\xe9 au lait et cr\xe8me</p>")
    assert "\ufffd" in text and warning.startswith("invalid utf-8 at byte")
    text, warning = decode("Le café et la crème brûlée étaient très appréciés à Montréal".encode("cp1252"))
    assert "café" in text and "read as" in warning


def test_sniff() -> None:
    assert sniff("<?xml version='1.0'?>\n<rss version='2.0'>") == "feed"
    assert sniff("<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert sniff("<opml version='2.0'>") == "opml"
    assert sniff("<!doctype html><html>") == "html"
    assert sniff('{"url": "x"}') == "jsonl"
    assert sniff("A title\n\nSome text.") == "text"


def test_pages_that_are_not_articles_are_rejected_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "tweet.txt").write_text(
        "Tweet with a location\n\nYou can add location information to your Tweets, such as your city or precise "
        "location, from the web and via third-party applications. You always have the option to delete it.", "utf-8")
    (tmp_path / "short.txt").write_text("Title\n\nSee the video.", "utf-8")
    result = read_articles([str(tmp_path)])
    assert result.articles == []
    reasons = sorted(p.reason for p in result.problems)
    assert reasons[0] == "not an article: only 3 words of text"
    assert reasons[1].startswith("not an article: the page is mostly")


def test_a_text_file_of_one_paragraph_is_its_text_not_a_title(tmp_path: Path) -> None:
    paragraph = " ".join(BRIDGE[0]["paragraphs"])  # running text on one line, no title
    (tmp_path / "wire.txt").write_text(paragraph, "utf-8")
    (tmp_path / "headline-only.txt").write_text(BRIDGE[1]["title"] + "\n", "utf-8")
    result = read_articles([str(tmp_path / "wire.txt"), str(tmp_path / "headline-only.txt")])
    [article] = result.articles
    assert article.text == paragraph and len(article.sentences) == len(BRIDGE[0]["paragraphs"])
    assert article.title.endswith("…") and paragraph.startswith(article.title[:-1])  # the first sentence, cut at a word
    assert [p.reason for p in result.problems] == ["the text file has a title line but no text"]
