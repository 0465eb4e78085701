"""One entry point, `run`, whatever runs the extractor: the caller's code does not change from a laptop to a cluster."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from according.batching import bounded
from according.errors import EngineError
from according.extract.limits import Limits
from according.scale.results import Failed, Record, Result
from according.scale.worker import extract_chunk

ENGINES = ("local", "pool", "ray")
# Records travel to workers in chunks: big enough that pickling is noise next to parsing, small enough that the
# chunks in flight keep the parent's memory flat. A longer text travels alone.
CHUNK_CHARS = 200_000


def run(records: Iterable[Record | dict], engine: str = "auto", processes: int = 1, batch_size: int = 16,
        model: str | None = None, on_progress: Callable[[Result | Failed], None] | None = None,
        with_records: bool = False, task: Callable[..., list[Result | Failed]] = extract_chunk,
        preload: Callable | None = None, limits: Limits = Limits()) -> Iterator:
    """A `Result` or a `Failed` for each of `records` (`Record`s, or `{"id", "text", ...}` dicts; read lazily), in
    input order, as they complete.

    `engine="auto"` reads in this process for `processes=1` and in a process pool otherwise. A record that
    cannot be read, or that costs more than `limits` (time and memory per article), is `Failed` with its reason
    and the others go on. `with_records=True` yields `(record, result)` pairs instead (the records as given),
    without sending records back from the workers. `task(records, batch_size, model, limits)` replaces what each
    worker does with a chunk of `Record`s and `preload(model)` what it loads when it starts (benchmarks and
    tests); both must be importable by name.
    """
    engine = _pick(engine, processes)
    if with_records:
        return _paired(records, lambda recs: run(recs, engine, processes, batch_size, model, on_progress,
                                                 task=task, preload=preload, limits=limits))
    chunks = chunked(records, batch_size)
    if engine == "local":
        results = (r for chunk in chunks for r in task(chunk, batch_size, model, limits))
    elif engine == "pool":
        from according.scale.pool import run_pool

        results = run_pool(chunks, processes, batch_size, model, task, preload, limits)
    else:
        from according.scale.ray_engine import run_ray

        results = run_ray(chunks, processes, batch_size, model, task, preload, limits)
    return _notify(results, on_progress) if on_progress else results


def _pick(engine: str, processes: int) -> str:
    if processes < 1:
        raise EngineError(f"processes must be at least 1, got {processes}")
    if engine == "auto":
        return "local" if processes == 1 else "pool"
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)} (or auto)")
    return engine


def chunked(records: Iterable[Record | dict], size: int, max_chars: int = CHUNK_CHARS) -> Iterator[list[Record]]:
    return bounded(map(Record.of, records), size, max_chars, _text_length)


def _text_length(record: Record) -> int:
    return len(record.text) if isinstance(record.text, str) else 0


def _notify(results: Iterator, on_progress: Callable) -> Iterator:
    for result in results:
        on_progress(result)
        yield result


def _paired(records: Iterable, run_on: Callable[[Iterable], Iterator]) -> Iterator[tuple]:
    """Order is preserved and every record gets one result, so a queue of the records read so far pairs them."""
    seen: deque = deque()

    def remember():
        for record in records:
            seen.append(record)
            yield record

    for result in run_on(remember()):
        yield seen.popleft(), result
