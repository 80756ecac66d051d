"""`ingest --dask`: a backfill on a Dask cluster gives the same answer as a plain ingest, survives a
worker killed mid-task, and resumes after an interrupted client. The cluster is real: `dask
scheduler` and two `dask worker` processes on 127.0.0.1, and `local:2` (a LocalCluster)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsbrief.backfill import backfill
from newsbrief.cli import main
from newsbrief.render import render
from newsbrief.settings import Config
from newsbrief.store.sqlite import SQLiteStore

from .conftest import LocalServer, Page, run_on_a_terminal
from .generated import write_articles
from .stories import BRIDGE, as_html, as_text

pytest.importorskip("distributed")
from newsbrief.dask_executor import DaskExecutor  # noqa: E402 (after the skip: needs the dask extra)

DASK = str(Path(sys.executable).parent / "dask")
STARTUP = 120.0  # most seconds a cluster may take to start (workers import spaCy) before the test fails


def wait_for(state: Callable[[], Any], timeout: float = STARTUP) -> None:
    """A bounded wait for a state (not a guess at how long something takes)."""
    deadline = time.monotonic() + timeout
    while not state():
        assert time.monotonic() < deadline, "the state was not reached in time"
        time.sleep(0.05)


# -- inputs ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of every kind a backfill reads: HTML and text files (read on the workers), a JSONL
    dump (read at the client), a syndicated copy, and a page that is not an article (skipped)."""
    root = tmp_path_factory.mktemp("backfill")
    folder = root / "archive"
    (folder / "bridge").mkdir(parents=True)
    write_articles(folder / "dump.jsonl", 12)
    for n, article in enumerate(BRIDGE):
        (folder / "bridge" / f"report{n}.html").write_text(as_html(article, f"https://portavel.example/{n}"), "utf-8")
    (folder / "bridge" / "copy.txt").write_text(as_text(BRIDGE[0]), "utf-8")
    (folder / "bridge" / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", "utf-8")
    return root


def snapshot(db: Path) -> dict[str, Any]:
    """What an ingest leaves: every article (all its columns but the time it was read), every
    sentence, the stories as sets of URLs, and the text of each story's brief."""
    with SQLiteStore(db) as store:
        rows = store.db.execute("SELECT * FROM articles ORDER BY id").fetchall()
        articles = [{key: row[key] for key in row.keys() if key != "fetched_at"} for row in rows]
        sentences = [tuple(row) for row in store.db.execute("SELECT article_id, idx, text FROM sentences ORDER BY 1, 2")]
        stories = {}
        for story in store.stories():
            brief = store.latest_brief(story.id)
            stories[frozenset(a.url for a in store.story_articles(story.id))] = render(brief, "text") if brief else None
    return {"articles": articles, "sentences": sentences, "stories": stories}


def summary_lines(output: str) -> list[str]:
    return [re.sub(r" in [0-9.]+ s \([0-9.]+/s\)", "", line) for line in output.splitlines()]


@pytest.fixture(scope="module")
def plain(archive: Path) -> tuple[dict[str, Any], list[str]]:
    """A plain ingest of the archive (worker pool, no Dask): the answer every backfill must give."""
    cwd = os.getcwd()
    os.chdir(archive)
    try:
        result = CliRunner().invoke(main, ["ingest", "archive", "--db", "plain.db"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "archive/bridge/menu.html" in result.output  # the failing report is reported
    return snapshot(archive / "plain.db"), summary_lines(result.stdout)


# -- a real cluster -------------------------------------------------------------------------------

@dataclass
class Cluster:
    address: str
    workers: list[subprocess.Popen[bytes]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """`dask scheduler` and two single-threaded `dask worker` processes on 127.0.0.1 (no nanny, so
    that killing a worker's process kills the worker)."""
    folder = tmp_path_factory.mktemp("cluster")
    scheduler_file = folder / "scheduler.json"
    log = (folder / "cluster.log").open("wb")
    quiet = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "error"}
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], stdout=log, stderr=log, env=quiet)]
    try:
        wait_for(lambda: scheduler_file.exists() and scheduler_file.stat().st_size > 0)
        address = json.loads(scheduler_file.read_text("utf-8"))["address"]
        workers = [subprocess.Popen([DASK, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard", "--name", f"w{n}"], stdout=log, stderr=log, env=quiet, cwd=folder)
                   for n in (1, 2)]
        processes += workers
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=STARTUP)
        yield Cluster(address, workers)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


# -- same answer ----------------------------------------------------------------------------------

def test_local_cluster_gives_the_same_articles_stories_and_briefs(archive: Path, plain: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(archive)  # relative inputs: the workers get absolute paths, messages name them as given
    result = CliRunner().invoke(main, ["ingest", "archive", "--db", "local.db", "--dask", "local:2"])
    assert result.exit_code == 0, result.output
    expected, lines = plain
    assert summary_lines(result.stdout) == lines
    got = snapshot(archive / "local.db")
    assert len(got["stories"]) >= 3 and all(got["stories"].values())
    assert got == expected


def test_scheduler_address_from_the_environment_with_progress(archive: Path, plain: Any, cluster: Cluster) -> None:
    env = {**os.environ, "NEWSBRIEF_DASK": cluster.address}
    code, shown = run_on_a_terminal([sys.executable, "-m", "newsbrief.cli", "ingest", str(archive / "archive"),
                                     "--db", str(archive / "tcp.db")], env)
    assert code == 0, shown
    assert re.search(r"\d+ items, [0-9.]+/s, \d+ new", shown)  # the progress line, as for a plain ingest
    got = snapshot(archive / "tcp.db")
    expected, _ = plain
    assert got["stories"] == expected["stories"]
    assert [a["text"] for a in got["articles"]] == [a["text"] for a in expected["articles"]]


# -- faults ---------------------------------------------------------------------------------------

def serve_reports(server: LocalServer, count: int, hold: threading.Event | None = None) -> list[str]:
    """``count`` fictional reports as pages on the test server; their URLs."""
    rows = _rows(count)
    urls = []
    for n, row in enumerate(rows):
        path = f"/news/{n}"
        article = {"title": row["title"], "outlet": row["outlet"], "published": row["published_at"],
                   "paragraphs": [row["text"], f"Officials in the town said more details would follow on report {n}."]}
        server.routes[path] = Page(as_html(article, server.url(path)).encode("utf-8"), hold=hold)
        urls.append(server.url(path))
    return urls


def _rows(count: int) -> list[dict[str, str]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return write_articles(Path(tmp) / "rows.jsonl", count, seed=7)


def stored_urls(db: Path) -> list[str]:
    with SQLiteStore(db) as store:
        return [row[0] for row in store.db.execute("SELECT url FROM articles")]


def test_an_interrupted_backfill_resumes_without_sending_stored_reports_out(
        server: LocalServer, cluster: Cluster, tmp_path: Path) -> None:
    urls = serve_reports(server, 12)
    config = Config.load(allow_private=True)

    class Interrupted(Exception):
        pass

    def interrupt_after_five(summary: Any) -> None:
        if summary.new_articles == 5:
            raise Interrupted

    with DaskExecutor(cluster.address) as executor, SQLiteStore(tmp_path / "resume.db") as store:
        with pytest.raises(Interrupted):
            backfill(urls, store, executor, config, on_progress=interrupt_after_five)
        first = set(stored_urls(tmp_path / "resume.db"))
        assert len(first) == 5
        server.requests.clear()
        summary = backfill(urls, store, executor, config)
    assert (summary.already_stored, summary.new_articles) == (5, 7)
    assert not {server.url(path) for path in server.requests} & first  # stored ones were not fetched again
    stored = stored_urls(tmp_path / "resume.db")
    assert sorted(stored) == sorted(set(stored)) == sorted(urls)


def test_a_worker_killed_mid_task_loses_no_report(server: LocalServer, cluster: Cluster, tmp_path: Path) -> None:
    """Every page is held until both workers are inside a task (each waiting for a page); one is then
    killed and the pages released: the scheduler runs the lost task again on the other worker."""
    hold = threading.Event()
    urls = serve_reports(server, 16, hold)  # two tasks of eight
    outcome: dict[str, Any] = {}
    with DaskExecutor(cluster.address) as executor:
        alive = {pid: address for address, pid in executor.client.run(os.getpid).items()}
        victim = next(w for w in cluster.workers if w.pid in alive and w.poll() is None)

        def run() -> None:
            try:
                with SQLiteStore(tmp_path / "killed.db") as store:
                    outcome["summary"] = backfill(urls, store, executor, Config.load(allow_private=True))
            except BaseException as exc:  # noqa: BLE001 (shown by the assertion below)
                outcome["error"] = exc

        thread = threading.Thread(target=run)
        thread.start()
        try:
            def busy(dask_worker: Any) -> int:
                return len(dask_worker.state.executing)

            wait_for(lambda: sum(1 for n in executor.client.run(busy).values() if n) == len(alive))
            assert server.held.is_set()
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=30)
        finally:
            hold.set()
            thread.join(timeout=STARTUP)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["summary"].new_articles == len(urls)
    stored = stored_urls(tmp_path / "killed.db")
    assert sorted(stored) == sorted(set(stored)) == sorted(urls)  # every report stored, once
    assert len(server.requests) > len(set(server.requests))  # the lost task's pages were fetched again


# -- clear errors ---------------------------------------------------------------------------------

def test_an_unreachable_scheduler_or_missing_extra_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import newsbrief.dask_executor as dask_executor

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", "1s")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"),
                                       "--dask", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.output
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--dask", "local:none"])
    assert result.exit_code == 1 and "say how many worker processes, e.g. local:2" in result.output
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--dask", "local:2"])
    assert result.exit_code == 1 and "pip install 'newsbrief[dask]'" in result.output
