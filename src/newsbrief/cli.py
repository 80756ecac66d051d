"""The command line: parse arguments, call the library, print. No logic lives here."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import NewsbriefError
from .backfill import backfill
from .dask_executor import DaskExecutor
from .executor import WorkerPool
from .feedlist import opml, read_feed_list
from .ingest import IngestSummary, ingest
from .pipeline import briefs_from_inputs, refresh_briefs, show_brief
from .render import FORMATS, render, render_json
from .settings import Config
from .lock import watch_lock
from .sources import Problem, is_url
from .store import Store, default_db, feed_table, is_postgres_url, location_name, open_store
from .store.copy import copy_store
from .store.follows import FollowTable
from .watch import PollSummary, Watcher
from .webhooks import deliver_due
from .writers.llm import make_writer


def _print_problem(problem: Problem) -> None:
    click.echo(str(problem), err=True)


def _fail(exc: NewsbriefError) -> click.ClickException:
    return click.ClickException(str(exc))


def _db_location(ctx: click.Context, param: click.Parameter, value: str | None) -> str | Path | None:
    """A postgresql:// URL as given (a Path would fold its "//"); anything else a file path."""
    if value is None or not is_postgres_url(value):
        return None if value is None else Path(value)
    return value


def _db_option(function: Any) -> Any:
    return click.option("--db", "db", type=str, callback=_db_location, default=None, metavar="PATH|URL",
                        help="Database file or postgresql:// URL (default: $NEWSBRIEF_DB or the user data "
                             "directory).")(function)


def _writer_option(function: Any) -> Any:
    """--writer and the llm writer's endpoint options; they arrive as keyword arguments named like
    the settings (the API key only from NEWSBRIEF_LLM_API_KEY: options show in process lists)."""
    options = [
        click.option("--writer", type=click.Choice(["extractive", "llm"]), default=None,
                     help="Who writes briefs: extractive (offline; the default) or llm (an OpenAI-compatible "
                          "endpoint; every sentence grounding-checked; extractive if it fails)."),
        click.option("--llm-base-url", default=None, help="The llm writer's endpoint, e.g. http://127.0.0.1:8080/v1."),
        click.option("--llm-model", default=None, help="The model name the endpoint expects."),
        click.option("--llm-timeout", type=float, default=None, help="Seconds to wait for the endpoint."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _open(db: Path | str | None, must_exist: bool = True) -> Store:
    """The store at ``db``, $NEWSBRIEF_DB or the default file: SQLite for a path, PostgreSQL for a URL."""
    location = db or default_db()
    if must_exist and not is_postgres_url(location) and not Path(location).exists():
        raise click.ClickException(f"no database at {location}; run `newsbrief ingest INPUT...` first or pass --db")
    try:
        return open_store(location)
    except NewsbriefError as exc:
        raise _fail(exc) from None


def _output(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsbrief")
def main() -> None:
    """newsbrief: turn many outlets' reports of a story into a cited situation brief."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="Output format (json: the brief, or a list of briefs when the inputs hold several stories).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the brief to this file instead of standard output.")
@click.option("--allow-private", is_flag=True, default=None,
              help="Fetch from private, loopback and link-local addresses (refused by default).")
@click.option("--max-words", type=int, default=None, help="Target length of lede and sections in words.")
@_writer_option
def brief(inputs: tuple[str, ...], fmt: str, output: Path | None, allow_private: bool | None,
          max_words: int | None, **llm: Any) -> None:
    """Write a brief from INPUTS: HTML, text, JSONL, RSS/Atom or OPML files, folders of them,
    or http(s) URLs of articles and feeds. Inputs about several stories give one brief per
    story, largest first."""
    config = Config.load(allow_private=allow_private, max_words=max_words, **llm)
    try:
        briefs, _ = briefs_from_inputs(inputs, config, on_problem=_print_problem)
        if fmt == "json" and len(briefs) > 1:
            rendered = "[\n" + ",\n".join(render_json(b) for b in briefs) + "\n]\n"
        else:
            rendered = ("\n" + "=" * 72 + "\n\n").join(render(b, fmt) for b in briefs)
    except NewsbriefError as exc:
        raise _fail(exc) from None
    _output(rendered, output)


class _ProgressLine:
    """A live status line on a terminal (items, rate, errors); silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, summary: IngestSummary) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = summary.items / summary.seconds if summary.seconds else 0.0
        click.echo(f"\r{summary.items} items, {rate:.1f}/s, {summary.new_articles} new, "
                   f"{len(summary.failed)} errors ", nl=False, err=True)

    def done(self) -> None:
        if self.enabled:
            click.echo("\r\033[K", nl=False, err=True)


@main.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@_db_option
@click.option("--allow-private", is_flag=True, default=None,
              help="Fetch from private, loopback and link-local addresses (refused by default).")
@click.option("--briefs/--no-briefs", default=True, show_default=True,
              help="Write a new brief version for every story the ingest changed.")
@click.option("--dask", envvar="NEWSBRIEF_DASK", default=None, metavar="ADDRESS",
              help="Read, extract and write briefs on a Dask cluster: tcp://HOST:PORT of a running scheduler, "
                   "or local:N to start N worker processes here (or set NEWSBRIEF_DASK). Needs the dask extra.")
@_writer_option
def ingest_command(inputs: tuple[str, ...], db: Path | None, allow_private: bool | None, briefs: bool,
                   dask: str | None, **llm: Any) -> None:
    """Add INPUTS to the database and group them into stories (same inputs as `brief`)."""
    config = Config.load(allow_private=allow_private, **llm)
    progress = _ProgressLine()
    try:  # extraction, then brief writing, on the same workers
        pool = DaskExecutor(dask) if dask else WorkerPool(config.workers)
    except NewsbriefError as exc:
        raise _fail(exc) from None
    with _open(db, must_exist=False) as store:
        try:
            if dask:  # reading too on the cluster's workers
                summary = backfill(inputs, store, pool, config, on_problem=_print_problem, on_progress=progress)
            else:
                summary = ingest(inputs, store, config, on_problem=_print_problem, on_progress=progress, pool=pool)
            progress.done()
            # every story whose brief is due: those this run changed, and any an interrupted run left
            written = (refresh_briefs(store, store.due_briefs(), make_writer(config), pool.workers, pool,
                                      on_problem=_print_problem, config=config)
                       if briefs else [])
            alerts = deliver_due(store, config)  # the watchlist alerts of the new versions, and retries
        except NewsbriefError as exc:
            raise _fail(exc) from None
        finally:
            pool.close()
    for line in summary.lines():
        click.echo(line)
    if briefs:
        click.echo(f"briefs: {len(written)} written")
    if alerts.attempted:
        click.echo(alerts.line())
    if summary.items == 0 and summary.failed:  # exit 1 only when nothing could be done
        raise click.ClickException("nothing could be ingested: every input failed (see the messages above)")


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per story).")
@click.option("--limit", type=int, default=None, help="Show at most this many stories.")
def stories(db: Path | None, as_json: bool, limit: int | None) -> None:
    """List stories, largest first: id, headline, first and last seen, events, outlets, articles."""
    with _open(db) as store:
        rows = store.stories(limit)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        seen = f"{(row.first_seen or '?')[:16]} .. {(row.last_seen or '?')[:16]}"
        click.echo(f"{row.id:>6}  {row.event_count:>2} event{'s' if row.event_count != 1 else ' '}  "
                   f"{row.article_count:>3} articles  {row.outlet_count:>3} outlets  {seen}  {row.headline}")


@main.command()
@click.argument("story", type=int)
@_db_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@_writer_option
def show(story: int, db: Path | None, fmt: str, output: Path | None, **llm: Any) -> None:
    """Print the latest brief of STORY (an id from `newsbrief stories`); with --writer, a brief
    written now by that writer (not stored)."""
    with _open(db) as store:
        try:
            rendered = render(show_brief(store, story, make_writer(Config.load(**llm)) if llm['writer'] else None), fmt)
        except NewsbriefError as exc:
            raise _fail(exc) from None
    _output(rendered, output)


@main.command()
@click.argument("query")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=int, default=20, show_default=True)
def search(query: str, db: Path | None, as_json: bool, limit: int) -> None:
    """Full-text search over article titles and texts (FTS5 syntax, or plain words)."""
    with _open(db) as store:
        hits = store.search(query, limit)
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for hit in hits:
        click.echo(f"story {hit['story_id']}  {hit['title']}\n    {hit['url']}\n    {hit['snippet']}")


class _WatchLog:
    """What `watch` says: a live line and a line per poll on a terminal, JSON lines with
    ``--log-format json``, and nothing otherwise (`newsbrief feeds` shows each feed's health)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.tty = sys.stderr.isatty()

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        if self.fmt == "json":
            if kind != "progress":
                record = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": kind, **data}
                click.echo(json.dumps(record, ensure_ascii=False), err=True)
            return
        if not self.tty:
            return
        if kind == "progress":
            click.echo(f"\r\033[Kpoll {data['number']}: {data['parsed'] + data['unchanged'] + data['failed']}"
                       f"/{data['feeds_due']} feeds, {data['new_articles']} new articles, {data['failed']} errors",
                       nl=False, err=True)
        elif kind == "poll":
            summary = PollSummary(**{**data, "started": datetime.fromisoformat(data["started"])})
            click.echo("\r\033[K" + summary.line(), err=True)
        elif kind == "feed_error":
            click.echo(f"\r\033[K{data['feed']}: {data['reason']} (retry after {data['next_poll'][11:19]})", err=True)
        elif kind == "brief_problem":
            click.echo(f"\r\033[K{data['story']}: brief not written: {data['reason']}", err=True)

    def stopping(self) -> None:
        """Say that a stop was asked for. Called from a signal handler, so it writes to the file
        descriptor at once (a buffered write could be the one the signal interrupted)."""
        if self.fmt == "json":
            record = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": "stopping"}
            line = json.dumps(record) + "\n"
        elif self.tty:
            line = "\r\033[Kstopping after the article in hand (press Ctrl-C again to stop at once)\n"
        else:
            return
        os.write(sys.stderr.fileno(), line.encode())


@main.command()
@click.option("--feeds", "feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="OPML or text file of feed URLs to follow (added to those the database already follows).")
@click.option("--every", type=click.FloatRange(min=1), default=900, show_default=True,
              help="Seconds between polls of each feed (failing feeds back off from this).")
@_db_option
@click.option("--once", is_flag=True, help="Poll the due feeds once, then exit (for cron).")
@click.option("--allow-private", is_flag=True, default=None,
              help="Fetch from private, loopback and link-local addresses (refused by default).")
@click.option("--briefs/--no-briefs", default=True, show_default=True,
              help="Write a new brief version for every story a poll changed.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a live status line on a terminal; json: one JSON object per event on stderr.")
@_writer_option
def watch(feeds_file: Path | None, every: float, db: Path | None, once: bool, allow_private: bool | None,
          briefs: bool, log_format: str, **llm: Any) -> None:
    """Follow feeds: poll them politely (conditional GET, one request at a time per host,
    robots.txt, backoff), ingest new articles and keep every changed story's brief current.
    Stops cleanly on Ctrl-C or SIGTERM, after the article in hand."""
    config = Config.load(allow_private=allow_private, **llm)
    location = db or default_db()  # several watchers may share a PostgreSQL database, one a file
    try:
        with nullcontext() if is_postgres_url(location) else watch_lock(Path(location)), \
                _open(db, must_exist=False) as store:
            if feeds_file:
                feed_table(store).add(read_feed_list(feeds_file))
            if not feed_table(store).all():
                raise click.ClickException("no feeds to follow; pass --feeds FILE or run `newsbrief feeds add URL`")
            log = _WatchLog(log_format)
            with Watcher(store, config, every, briefs, on_event=log, writer=make_writer(config)) as watcher:
                _stop_on_signals(watcher, log)
                watcher.run(polls=1 if once else None)
    except NewsbriefError as exc:
        raise _fail(exc) from None


def _stop_on_signals(watcher: Watcher, log: _WatchLog) -> None:
    """The first SIGINT/SIGTERM asks the watcher to stop after the article in hand; a second one
    stops at once."""

    def handler(signum: int, frame: object) -> None:
        if watcher.stopping:
            raise KeyboardInterrupt
        watcher.stop()
        log.stopping()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


@main.group(invoke_without_command=True)
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per feed).")
@click.pass_context
def feeds(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """The feeds `watch` follows and their health: last success, last error, items, next poll."""
    ctx.obj = db
    if ctx.invoked_subcommand:
        return
    with _open(db) as store:
        rows = feed_table(store).all()
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in rows], ensure_ascii=False, indent=2))
        return
    for f in rows:
        state = f"failing ({f.failures}x): {f.last_error}" if f.failures else "ok" if f.last_success else "not polled yet"
        click.echo(f"{f.url}\n    {f.title or '(no title yet)'}; {state}; last success {_when(f.last_success)}; "
                   f"{f.items_seen} items, {f.articles_added} articles added; next poll {_when(f.next_poll) if f.next_poll else 'now'}")


def _when(value: str | None) -> str:
    return value[:19].replace("T", " ") if value else "never"


@feeds.command("add")
@click.argument("urls", nargs=-1, required=True)
@click.pass_obj
def feeds_add(db: Path | None, urls: tuple[str, ...]) -> None:
    """Follow the feeds at URLS."""
    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise click.ClickException(f"not an http(s) URL: {bad[0]}")
    with _open(db, must_exist=False) as store:
        added = feed_table(store).add(list(urls))
    click.echo(f"{added} feeds added, {len(urls) - added} already followed")


@feeds.command("remove")
@click.argument("url")
@click.pass_obj
def feeds_remove(db: Path | None, url: str) -> None:
    """Stop following the feed at URL (its articles stay)."""
    with _open(db) as store:
        if not feed_table(store).remove(url):
            raise click.ClickException(f"not a followed feed: {url}")
    click.echo(f"removed {url}")


@feeds.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def feeds_import(db: Path | None, file: Path) -> None:
    """Follow every feed in FILE (OPML, or a text file of URLs)."""
    with _open(db, must_exist=False) as store:
        try:
            urls = read_feed_list(file)
        except NewsbriefError as exc:
            raise _fail(exc) from None
        added = feed_table(store).add(urls)
    click.echo(f"{added} feeds added, {len(urls) - added} already followed")


@feeds.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.pass_obj
def feeds_export(db: Path | None, output: Path | None) -> None:
    """Write the followed feeds as OPML (for a feed reader, or another newsbrief)."""
    with _open(db) as store:
        rows = feed_table(store).all()
    _output(opml([(f.url, f.title) for f in rows]), output)


@main.group()
def follow() -> None:
    """Watchlists: follow a name, a search query or a story; each new brief version that matches
    is listed in the web app's feed of the watchlist and posted to its webhooks as a signed alert."""


@follow.command("add")
@click.option("--name", default=None, help="A person, organisation or place named in briefs.")
@click.option("--query", default=None, help="A full-text search query over reports (as `newsbrief search`).")
@click.option("--story", type=int, default=None, help="A story id (from `newsbrief stories`); merges are followed.")
@click.option("--webhook", default=None, metavar="URL",
              help="Post this watchlist's alerts here (default: the URLs in $NEWSBRIEF_WEBHOOKS).")
@_db_option
def follow_add(name: str | None, query: str | None, story: int | None, webhook: str | None,
               db: Path | str | None) -> None:
    """Follow a name, a query or a story (give one)."""
    given = [(kind, value) for kind, value in (("name", name), ("query", query), ("story", story)) if value is not None]
    if len(given) != 1:
        raise click.UsageError("give one of --name, --query or --story")
    if webhook is not None and not is_url(webhook):
        raise click.ClickException(f"not an http(s) URL: {webhook}")
    with _open(db, must_exist=False) as store:
        try:
            added, new = FollowTable(store).add(given[0][0], str(given[0][1]), webhook)
        except NewsbriefError as exc:
            raise _fail(exc) from None
    click.echo(f"{'following' if new else 'already following'} {added.label} (watchlist {added.id})")


@follow.command("list")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per watchlist).")
def follow_list(db: Path | str | None, as_json: bool) -> None:
    """The watchlists, each with its webhook, last delivery, last error and alerts waiting."""
    with _open(db) as store:
        rows = FollowTable(store).all()
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in rows], ensure_ascii=False, indent=2))
        return
    for f in rows:
        error = f"{f.last_error} (at {_when(f.last_error_at)})" if f.last_error else "none"
        click.echo(f"{f.id:>4}  {f.label}\n      webhook {f.webhook or '$NEWSBRIEF_WEBHOOKS'}; last delivery "
                   f"{_when(f.last_delivery_at)}; last error {error}; {f.pending} alerts waiting")


@follow.command("remove")
@click.argument("follow_id", metavar="ID", type=int)
@_db_option
def follow_remove(follow_id: int, db: Path | str | None) -> None:
    """Stop following watchlist ID (its queued alerts are dropped)."""
    with _open(db) as store:
        if not FollowTable(store).remove(follow_id):
            raise click.ClickException(f"no watchlist {follow_id}; `newsbrief follow list` lists them")
    click.echo(f"removed watchlist {follow_id}")


@follow.command("deliver")
@_db_option
@click.option("--allow-private", is_flag=True, default=None,
              help="Post to webhooks at private, loopback and link-local addresses (refused by default).")
def follow_deliver(db: Path | str | None, allow_private: bool | None) -> None:
    """Send the alerts that are due now (`watch` and `ingest` also send them)."""
    with _open(db) as store:
        report = deliver_due(store, Config.load(allow_private=allow_private))
    click.echo(report.line())


@main.command("copy")
@click.option("--from", "source", required=True, callback=_db_location, metavar="PATH|URL",
              help="The database to copy: a file or a postgresql:// URL.")
@click.option("--to", "destination", required=True, callback=_db_location, metavar="PATH|URL",
              help="A new or empty database to copy into: a file or a postgresql:// URL.")
def copy_command(source: Path | str, destination: Path | str) -> None:
    """Copy a whole database into a new or empty one, either backend to either: articles,
    sentences, events, stories with their history, brief versions, feeds, statistics."""
    with _open(source) as src, _open(destination, must_exist=False) as dst:
        try:
            summary = copy_store(src, dst)
        except NewsbriefError as exc:
            raise _fail(exc) from None
    click.echo("copied " + summary.lines()[0])


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--token", envvar="NEWSBRIEF_TOKEN", default=None,
              help="Allow writes (POST /api/ingest) to clients sending `Authorization: Bearer TOKEN` "
                   "(or set NEWSBRIEF_TOKEN). Without it the server is read-only.")
@click.option("--allow-private", is_flag=True, default=None,
              help="Let ingests over HTTP fetch from private, loopback and link-local addresses.")
@_writer_option
def serve(db: Path | str | None, host: str, port: int, token: str | None, allow_private: bool | None,
          **llm: Any) -> None:
    """Serve the web app and the HTTP API over the database: stories, briefs with clickable
    citations, versions, search, outlets, JSON twins of every page and Atom feeds."""
    import uvicorn

    from .web import create_app

    location = db or default_db()
    _open(location).close()  # a clear error for a missing file or an unreachable server
    app = create_app(location, token=token, config=Config.load(allow_private=allow_private, **llm))
    click.echo(f"newsbrief: serving {location_name(location)} at http://{host}:{port}/ ({'writes allowed with the token' if token else 'read-only'})",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("mcp")
@_db_option
@click.option("--http", "http", default=None, metavar="HOST:PORT",
              help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
@click.option("--allow-ingest", is_flag=True, help="Add the ingest_urls tool (without it the server is read-only).")
@click.option("--allow-private", is_flag=True, default=None,
              help="Let ingest_urls fetch from private, loopback and link-local addresses.")
@_writer_option
def mcp_command(db: Path | str | None, http: str | None, allow_ingest: bool, allow_private: bool | None,
                **llm: Any) -> None:
    """Serve the database to AI agents over the Model Context Protocol (stdio, or --http):
    search, stories, briefs with their evidence, versions, changes, figures, who said what."""
    from .mcp import run_server

    location = db or default_db()
    _open(location).close()  # a clear error for a missing file or an unreachable server
    try:
        run_server(location, http, allow_ingest, Config.load(allow_private=allow_private, **llm))
    except NewsbriefError as exc:
        raise _fail(exc) from None


if __name__ == "__main__":
    main()
