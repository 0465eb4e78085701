"""The Ray engine: Ray Data `map_batches` with the extractor as a stateful class, so each actor loads spaCy once.

Rows are whole chunks (pickled), so Ray's batches are the same character-capped chunks the other engines use and
Arrow never has to unify the schemas of heterogeneous records. Ray Data wants a finite dataset; to keep reading
lazily, the input is cut into windows of chunks, each one dataset whose results stream back in order
(`preserve_order`). A window restarts the actors, so windows are large. `RAY_ADDRESS` points at a cluster;
without it a local one starts with `processes` CPUs.
"""
from __future__ import annotations

import itertools
import logging
import os
import pickle
import warnings
from collections.abc import Callable, Iterable, Iterator

from according.errors import AccordingError
from according.extract.limits import Limits
from according.scale.results import Failed, Record, Result
from according.scale.worker import default_preload

WINDOW_CHUNKS = 512


def run_ray(chunks: Iterable[list[Record]], processes: int, batch_size: int, model: str | None,
            task: Callable[..., list[Result | Failed]], preload: Callable | None = None,
            limits: Limits = Limits()) -> Iterator[Result | Failed]:
    ray = _ray()
    data = _start(ray, processes)
    config = {"task": task, "preload": preload or default_preload(task), "batch_size": batch_size, "model": model,
              "limits": limits}
    chunks = iter(chunks)
    while window := list(itertools.islice(chunks, WINDOW_CHUNKS)):
        rows = [{"chunk": pickle.dumps(c)} for c in window]
        dataset = data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            ChunkTask, fn_constructor_kwargs=config, batch_size=1, compute=ray.data.ActorPoolStrategy(size=processes),
            batch_format="numpy")
        done = 0
        try:
            for row in dataset.iter_rows():
                results = pickle.loads(row["results"])
                if isinstance(results, AccordingError):  # the model cannot load: every chunk would fail alike
                    raise results
                yield from results
                done += 1
        except AccordingError:
            raise
        except Exception as e:  # noqa: BLE001  (a failed Ray job loses its window, not the run)
            reason = f"the Ray job failed ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
            for chunk in window[done:]:
                yield from (Failed.of(r, reason) for r in chunk)


class ChunkTask:
    """Ray Data's stateful callable: constructed once per actor (loads the model), called per row of chunks."""

    def __init__(self, task: Callable[..., list[Result | Failed]], preload: Callable | None, batch_size: int,
                 model: str | None, limits: Limits):
        self.task, self.batch_size, self.model, self.limits = task, batch_size, model, limits
        if preload is not None:
            try:
                preload(model)
            except Exception:  # noqa: BLE001
                # An actor whose constructor raises dies and Ray retries it, printing tracebacks; the task
                # loads the model again and its error travels back to the driver as a result instead.
                pass

    def __call__(self, batch: dict) -> dict:
        return {"results": [pickle.dumps(self._run(pickle.loads(c))) for c in batch["chunk"]]}

    def _run(self, chunk: list[Record]) -> list[Result | Failed] | AccordingError:
        try:
            return self.task(chunk, self.batch_size, self.model, self.limits)
        except AccordingError as e:
            return e


def _ray():
    if not os.environ.get("RAY_ADDRESS"):
        # A local cluster is this machine's business: no usage reports sent out, and every Ray service listening
        # on loopback only (Ray's single-machine mode, which it reads once, when first imported).
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        from according.scale.engine import EngineError

        raise EngineError("the ray engine needs Ray Data: pip install 'according[ray]' (or use --engine pool "
                          "on one machine)") from None
    return ray


def _start(ray, processes: int):
    if not ray.is_initialized():
        options = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
        if not os.environ.get("RAY_ADDRESS"):
            options["num_cpus"] = processes
        ray.init(**options)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    # Ray Data's warnings are about its own tuning (an input of one chunk "won't fully utilize the available
    # concurrency"), not about the user's documents.
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="The minimum number of concurrent actors", category=UserWarning)
    return ray.data
