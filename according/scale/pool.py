"""The process-pool engine: N worker processes, each loading spaCy once, fed chunks of records.

A bounded window of chunks is in flight (reading ahead of the slowest worker, never the whole input), and results
come back in input order. Workers start by `spawn`, not `fork`: a fork of a parent that holds threads (a progress
bar, a database writer) can deadlock, and each worker loads its own model anyway. If a worker dies (killed, out of
memory), the pool restarts and the chunk is read again one record at a time, so only the record that kills a
worker is lost, with an error result.
"""
from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from according.scale.results import error_result

IN_FLIGHT_PER_PROCESS = 2


def run_pool(chunks: Iterable[list[dict]], processes: int, batch_size: int, model: str | None,
             task: Callable[..., list[dict]]) -> Iterator[dict]:
    workers = _Workers(processes, task, batch_size, model)
    pending: deque[tuple[list[dict], Future]] = deque()
    finished = False
    try:
        for chunk in chunks:
            pending.append((chunk, workers.submit(chunk)))
            if len(pending) >= processes * IN_FLIGHT_PER_PROCESS:
                yield from _collect(pending, workers)
        while pending:
            yield from _collect(pending, workers)
        finished = True
    finally:
        workers.close(abandon=not finished)


def _collect(pending: deque, workers: "_Workers") -> list[dict]:
    chunk, future = pending.popleft()
    try:
        return future.result()
    except BrokenProcessPool:
        pass
    except Exception as e:  # noqa: BLE001  (a task that raises loses its chunk, not the run)
        return [error_result(r, f"the worker failed ({type(e).__name__}: {e})") for r in chunk]
    workers.restart()
    results = [_alone(record, workers) for record in chunk]
    for i, (other, _) in enumerate(pending):  # their futures died with the pool
        pending[i] = (other, workers.submit(other))
    return results


def _alone(record: dict, workers: "_Workers") -> dict:
    try:
        return workers.submit([record]).result()[0]
    except BrokenProcessPool:
        workers.restart()
        return error_result(record, "the worker process died reading this document (out of memory, or killed); "
                                    "the other documents went on")


class _Workers:
    def __init__(self, processes: int, task: Callable[..., list[dict]], batch_size: int, model: str | None):
        self.processes, self.task, self.args = processes, task, (batch_size, model)
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_ignore_interrupts)

    def submit(self, chunk: list[dict]) -> Future:
        return self.executor.submit(self.task, chunk, *self.args)

    def restart(self) -> None:
        self.close()
        self.executor = self._start()

    def close(self, abandon: bool = False) -> None:
        """`abandon` (interrupted, or the consumer stopped early): stop the workers now rather than let them finish."""
        if abandon:
            for process in list((getattr(self.executor, "_processes", None) or {}).values()):
                process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """Ctrl-C is the parent's to handle: it stops feeding the pool and shuts it down, without a traceback per worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
