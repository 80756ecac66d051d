"""Article text, titles, outlet names and URLs are data: the HTML and Markdown renderings escape
them, and huge or hostile documents are handled without harm."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
from click.testing import CliRunner

from newsbrief.cli import main

HOSTILE = [
    {"url": "javascript:alert(1)//https://evil.example/a", "outlet": "<script>window.pwned=1</script>Evil Wire",
     "title": "Bridge <img src=x onerror=\"window.pwned=1\"> closes",
     "text": "The Gull Bridge in Portavel closed on Monday <script>window.pwned=1</script> after cracks were found. "
             "Engineers said the repairs <b onmouseover=\"window.pwned=1\">could take six weeks</b> to finish. "
             "About 40,000 vehicles cross the Gull Bridge each day, the transport department said."},
    {"url": "https://fine.example/b\" onclick=\"window.pwned=1", "outlet": "Fine & <Dandy>",
     "title": "Gull Bridge closed </title><script>window.pwned=1</script>",
     "text": "Portavel closed the Gull Bridge on Monday after inspectors found cracks in a girder. "
             "The repairs could take six weeks, engineers said on Monday evening. "
             "Ferry operators said they would add extra crossings for commuters."},
]


def _render(tmp_path: Path, fmt: str) -> str:
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in HOSTILE) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["brief", "--format", fmt, str(path)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_html_page_contains_no_markup_from_sources(tmp_path: Path) -> None:
    page = _render(tmp_path, "html")
    root = lxml.html.fromstring(page)
    assert root.xpath("//script") == []
    assert root.xpath("//img") == [] and root.xpath("//b") == []
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name == "href":
                assert value.startswith(("#", "http://", "https://")), value
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "Fine &amp; &lt;Dandy&gt;" in page


def test_markdown_escapes_markup(tmp_path: Path) -> None:
    md = _render(tmp_path, "md")
    assert "<script>" not in md and "<img" not in md and "](javascript:" not in md


def test_a_huge_text_document_is_read_and_its_repeats_written_once(tmp_path: Path) -> None:
    paragraph = ("The council of the invented town of Velmor met on Tuesday to discuss the harbour budget. "
                 "Members said the ferry service would need 12 new boats by 2030. ")
    path = tmp_path / "huge.txt"
    path.write_text("Velmor council budget\n\n" + "\n".join(paragraph for _ in range(8000)), "utf-8")  # ~1.3 MB
    result = CliRunner().invoke(main, ["brief", "--format", "json", str(path)])  # bench/ingest.py measures speed
    assert result.exit_code == 0, result.stderr
    brief = json.loads(result.stdout)
    texts = [s["text"] for sec in brief["sections"] for s in sec["sentences"]]
    assert len(texts) == len(set(texts)), "repeated paragraphs must not repeat in the brief"
