"""Feed lists in and out: OPML (what feed readers import and export) or a text file of URLs."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from .errors import InputError
from .sources import is_url, opml_feed_urls, sniff


def read_feed_list(path: Path) -> list[str]:
    """The feed URLs in an OPML file or a text file (one URL per line; blank lines and lines
    starting with # are ignored). Lines that are not http(s) URLs are an error naming the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read the feed list ({exc.strerror})") from None
    text = data.decode("utf-8", errors="replace")
    if sniff(text) == "opml":
        return opml_feed_urls(str(path), data)
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise InputError(f"{path}:{number}", f"not an http(s) feed URL: {line[:80]!r}")
        urls.append(line)
    if not urls:
        raise InputError(str(path), "the feed list has no feed URLs")
    return urls


def opml(feeds: list[tuple[str, str | None]], title: str = "newsbrief feeds") -> str:
    """An OPML 2.0 document listing ``(url, title)`` pairs."""
    outlines = "\n".join(
        f'    <outline type="rss" text={quoteattr(name or url)} title={quoteattr(name or url)} xmlUrl={quoteattr(url)}/>'
        for url, name in feeds
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head><title>{title}</title></head>\n'
            f"  <body>\n{outlines}\n  </body>\n</opml>\n")
