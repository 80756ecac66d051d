"""The executor on a Dask cluster: `--dask tcp://HOST:PORT` (a running scheduler) or `--dask local:N`
(a LocalCluster of N worker processes on this machine).

Work goes out as Dask tasks with a bounded number in flight (results held for re-ordering count
against the bound too), so the client's memory stays flat for any number of items; results come
back in input order, as from ``WorkerPool``. A worker killed mid-task has its task run again
elsewhere by the scheduler: every task here is a pure function of its arguments.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import NewsbriefError
from .executor import BATCH, MIN_FOR_POOL

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

Item = TypeVar("Item")
Result = TypeVar("Result")

IN_FLIGHT_PER_THREAD = 3  # tasks out per worker thread: one running, the next ones queued on the worker
CONNECT_TIMEOUT = "10s"
WORKERS_TIMEOUT = 60  # seconds to wait for the first worker of a scheduler
LOCAL_PREFIX = "local:"


class DaskUnavailable(NewsbriefError):
    """The dask extra is not installed, or the scheduler cannot be reached."""


class TaskLost(NewsbriefError):
    """A task failed outright: its worker process died on it as often as the scheduler allows."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskUnavailable("--dask needs the dask extra: pip install 'newsbrief[dask]' "
                              "(dask==2026.8.0, distributed==2026.8.0)") from None
    return distributed


def _load_spacy() -> None:
    from .nlp import parser

    parser()


def _plugin(distributed: Any) -> Any:
    """A worker plugin that loads spaCy when a worker joins, once per worker process (the tasks
    then find it in the process's cache, ``nlp.parser``), off the worker's event loop."""

    class LoadSpacy(distributed.WorkerPlugin):  # type: ignore[misc, name-defined]
        idempotent = True
        name = "newsbrief-load-spacy"

        async def setup(self, worker: Any) -> None:
            await asyncio.to_thread(_load_spacy)

    return LoadSpacy()


class DaskExecutor:
    """``Executor`` on a Dask cluster. ``address``: ``tcp://host:port`` of a running scheduler, or
    ``local:N`` to start N single-threaded worker processes here (closed with the executor)."""

    def __init__(self, address: str, in_flight: int | None = None) -> None:
        distributed = _distributed()
        self._as_completed = distributed.as_completed
        self._killed = distributed.KilledWorker
        self.address = address
        self.cluster: LocalCluster | None = None
        self.client: Client
        if address.startswith(LOCAL_PREFIX):
            workers = _local_workers(address)
            self.cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                    dashboard_address=None, silence_logs=logging.ERROR)
            self.client = distributed.Client(self.cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, ValueError) as exc:
                raise DaskUnavailable(f"cannot reach the Dask scheduler at {address} ({exc}); start one with "
                                      "`dask scheduler` and workers with `dask worker ADDRESS`, or use --dask local:N") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
            self.client.register_plugin(_plugin(distributed))
        except BaseException as exc:
            self.close()
            if isinstance(exc, (TimeoutError, distributed.TimeoutError)):
                raise DaskUnavailable(f"no worker joined the Dask scheduler at {address} in {WORKERS_TIMEOUT} s; "
                                      f"start some with `dask worker {address}`") from None
            raise
        threads = sum(self.client.nthreads().values())
        # the pipeline asks `workers > 1` to decide whether sending work out is worth it: on a cluster it is
        self.workers = max(2, threads)
        self.in_flight = in_flight or max(4, IN_FLIGHT_PER_THREAD * threads)

    def map(self, function: Callable[[Item], Result], items: Iterable[Item], min_for_pool: int = MIN_FOR_POOL,
            chunksize: int = 4, batch_size: int = BATCH) -> Iterator[Result]:
        """One task per item, at most ``in_flight`` items submitted and not yet yielded; results in
        input order (the pool's hints are not needed: tasks are scheduled one by one)."""
        iterator = iter(items)
        completed = self._as_completed(loop=self.client.loop)
        positions: dict[Future, tuple[int, Item]] = {}
        finished: dict[int, Result] = {}
        sent = given = 0
        more = True
        try:
            while True:
                while more and sent - given < self.in_flight:
                    try:
                        item = next(iterator)
                    except StopIteration:
                        more = False
                        break
                    future = self.client.submit(function, item, pure=False)
                    positions[future] = (sent, item)
                    completed.add(future)
                    sent += 1
                if given == sent:
                    return
                future = next(completed)
                position, item = positions.pop(future)
                finished[position] = self._result(future, item)
                future.release()
                while given in finished:
                    result = finished.pop(given)
                    given += 1
                    yield result
        finally:
            if positions:
                self.client.cancel(list(positions))

    def _result(self, future: Future, item: Any) -> Any:
        try:
            return future.result()
        except self._killed as exc:
            shown = repr(item)
            shown = shown if len(shown) <= 300 else shown[:300] + "..."
            raise TaskLost(f"worker processes died {exc.allowed_failures + 1} times running one task on {shown}; "
                           "what is stored is kept: run the same command again without the input that "
                           "crashes them") from None

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _local_workers(address: str) -> int:
    count = address[len(LOCAL_PREFIX):]
    if not count.isdigit() or int(count) < 1:
        raise DaskUnavailable(f"--dask {address}: say how many worker processes, e.g. local:2")
    return int(count)
