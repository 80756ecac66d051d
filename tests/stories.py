"""Small fictional articles for tests: a harbour bridge closure in the invented city of Portavel."""

from __future__ import annotations

from html import escape

BRIDGE = [
    {
        "title": "Portavel closes Gull Bridge after cracks found in main span",
        "outlet": "Portavel Tribune",
        "published": "2026-03-02T09:00:00+00:00",
        "paragraphs": [
            "The city of Portavel closed the Gull Bridge to all traffic on Monday after inspectors found cracks in a steel girder of its main span.",
            "About 40,000 vehicles cross the bridge each day, according to the city's transport department.",
            "\"We will not reopen the bridge until engineers are certain it is safe,\" said Mayor Ines Calder.",
            "Ferry operators said they would add extra crossings from Tuesday to carry commuters.",
            "Engineers expect the repairs to take at least six weeks, which could disrupt deliveries to the harbour.",
        ],
    },
    {
        "title": "Gull Bridge shut: commuters face long detours",
        "outlet": "Harbourside News",
        "published": "2026-03-02T15:30:00+00:00",
        "paragraphs": [
            "Commuters in Portavel faced detours of up to 25 kilometres on Monday after the Gull Bridge was closed because of cracks in its main span.",
            "The transport department said up to 45,000 vehicles use the bridge on weekdays.",
            "Mayor Ines Calder said the city would pay for extra ferry crossings while the bridge is closed.",
            "Business groups warned that a long closure could cost harbour traders millions of dollars.",
        ],
    },
    {
        "title": "Inspectors had flagged Gull Bridge girder in 2024",
        "outlet": "Coastline Review",
        "published": "2026-03-03T08:00:00+00:00",
        "paragraphs": [
            "A 2024 inspection report had flagged corrosion on the Gull Bridge girder that cracked this week, according to documents seen by the Coastline Review.",
            "The report recommended replacing the girder within three years, but the city postponed the work to 2027.",
            "City councillor Amara Osei said the council would hold a hearing on the closure next week.",
            "Engineers said the Gull Bridge could reopen to light vehicles before the full repair is finished.",
        ],
    },
]


def as_html(article: dict, url: str) -> str:
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{escape(article["title"])}</title>
<meta property="og:site_name" content="{escape(article["outlet"])}">
<meta property="article:published_time" content="{article["published"]}">
<link rel="canonical" href="{escape(url)}"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{escape(article["title"])}</h1>
{paragraphs}</article><footer>Subscribe to our newsletter.</footer></body></html>"""


def as_text(article: dict) -> str:
    return "\n".join([article["title"], f"outlet: {article['outlet']}",
                      f"published: {article['published']}", "", *article["paragraphs"]])


def rss(items: list[tuple[dict, str]], title: str = "Portavel Feed") -> str:
    entries = "".join(
        f"""<item><title>{escape(a["title"])}</title><link>{escape(url)}</link>
<description>{escape(" ".join(a["paragraphs"][:2]))}</description>
<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>"""
        for a, url in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>{escape(title)}</title><link>http://example.invalid/</link><description>d</description>
{entries}</channel></rss>"""
