"""The process-pool engine: N worker processes, each loading spaCy once (in its initializer), fed chunks of records.

A bounded window of chunks is in flight (reading ahead of the slowest worker, never the whole input), and results
come back in input order. Workers start by `spawn`, not `fork`: a fork of a parent that holds threads (a progress
bar, a database writer) can deadlock, and each worker loads its own model anyway. If a worker dies (killed, out of
memory), the pool restarts and the chunk is read again one record at a time, so only the record that kills a
worker is lost, with an error result.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from according.errors import AccordingError
from according.extract.limits import Limits
from according.scale.results import Failed, Record, Result
from according.scale.worker import default_preload, extract_chunk

IN_FLIGHT_PER_PROCESS = 2
STUCK_GRACE_SECONDS = 120.0


def run_pool(chunks: Iterable[list[Record]], processes: int, batch_size: int, model: str | None,
             task: Callable[..., list[Result | Failed]], preload: Callable | None = None,
             limits: Limits = Limits()) -> Iterator[Result | Failed]:
    pool = ProcessPool(processes, batch_size, model, task, preload, limits)
    finished = False
    try:
        yield from pool.imap(chunks)
        finished = True
    finally:
        pool.close(abandon=not finished)


class ProcessPool:
    """Workers that outlive one input: a long ingest or a benchmark feeds them several times without reloading."""

    def __init__(self, processes: int, batch_size: int = 16, model: str | None = None,
                 task: Callable[..., list[Result | Failed]] = extract_chunk, preload: Callable | None = None,
                 limits: Limits = Limits()):
        self.processes, self.task, self.args = processes, task, (batch_size, model, limits)
        self.preload = preload or default_preload(task)
        self.executor = self._start()

    def imap(self, chunks: Iterable[list[Record]]) -> Iterator[Result | Failed]:
        """Results of every chunk, in order, with at most `IN_FLIGHT_PER_PROCESS` chunks per worker in flight."""
        pending: deque[tuple[list[Record], Future]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._submit(chunk)))
            if len(pending) >= self.processes * IN_FLIGHT_PER_PROCESS:
                yield from self._collect(pending)
        while pending:
            yield from self._collect(pending)

    def warm(self) -> list[int]:
        """Start every worker and wait until each has loaded its model; their process ids."""
        pids: set[int] = set()
        while len(pids) < self.processes:
            pids.update(f.result() for f in [self.executor.submit(os.getpid) for _ in range(self.processes)])
        return sorted(pids)

    def pids(self) -> list[int]:
        return sorted((getattr(self.executor, "_processes", None) or {}).keys())

    def close(self, abandon: bool = False) -> None:
        """`abandon` (interrupted, or the consumer stopped early): stop the workers now rather than let them finish."""
        if abandon:
            for process in list((getattr(self.executor, "_processes", None) or {}).values()):
                process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "ProcessPool":
        return self

    def __exit__(self, kind, *_) -> None:
        self.close(abandon=kind is not None)

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.preload, self.args[1]))

    def _restart(self, abandon: bool = False) -> None:
        self.close(abandon)
        self.executor = self._start()

    def _submit(self, chunk: list[Record]) -> Future:
        return self.executor.submit(self.task, chunk, *self.args)

    def _deadline(self, records: int) -> float | None:
        """How long a chunk may take before its worker counts as stuck. Workers check each article's limits
        themselves; this is for what they cannot check (a loop inside the parser), with time to load a model."""
        seconds = self.args[2].seconds if isinstance(self.args[2], Limits) else None
        return None if seconds is None else seconds * records + STUCK_GRACE_SECONDS

    def _collect(self, pending: deque) -> list[Result | Failed]:
        chunk, future = pending.popleft()
        try:
            return future.result(timeout=self._deadline(len(chunk)))
        except BrokenProcessPool:
            self._restart()
        except TimeoutError:
            self._restart(abandon=True)
        except AccordingError as e:  # the model cannot load, say: every chunk would fail alike, so stop here
            raise e from None
        except Exception as e:  # noqa: BLE001  (a task that raises loses its chunk, not the run)
            return [Failed.of(r, f"the worker failed ({type(e).__name__}: {e})") for r in chunk]
        results = [self._alone(record) for record in chunk]
        for i, (other, _) in enumerate(pending):  # their futures died with the pool
            pending[i] = (other, self._submit(other))
        return results

    def _alone(self, record: Record) -> Result | Failed:
        try:
            return self._submit([record]).result(timeout=self._deadline(1))[0]
        except BrokenProcessPool:
            self._restart()
            return Failed.of(record, "the worker process died reading this document (out of memory, or killed); "
                                     "the other documents went on")
        except TimeoutError:
            self._restart(abandon=True)
            return Failed.of(record, f"the worker reading this document was stopped after {self._deadline(1):g} s, "
                                     "past the time limit; the other documents went on")


def exit_with_parent(parent: int) -> None:
    """A parent killed outright (SIGKILL, out of memory) cannot shut its pool down: each worker watches for it
    and leaves with it, instead of idling on with its model loaded (and holding the resource tracker open)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="according-parent-watch", daemon=True).start()


def _init_worker(preload: Callable | None, model: str | None) -> None:
    # Ctrl-C is the parent's to handle: it stops feeding the pool and shuts it down, without a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(os.getppid())
    if preload is not None:
        try:
            preload(model)
        except Exception:  # noqa: BLE001
            # An initializer that raises kills its worker, logs a traceback and breaks the pool for every chunk;
            # the task loads the model again and raises there, where the parent receives the error itself.
            pass
