"""The process-pool engine: same results as in-process, in input order, and a worker that dies loses only its record.

The stand-in tasks live in this module so that spawned workers can import them by name.
"""
import os
import time

import pytest

from according.scale import Failed, Result, run

pytestmark = pytest.mark.slow


def slow_lengths(records, batch_size=16, model=None, limits=None):
    """Later chunks finish first (shorter sleeps), so only the engine's bookkeeping keeps the order."""
    time.sleep(max(0.0, 0.2 - 0.01 * int(records[0].id)))
    return [Result(r.id, {"n": len(r.text), "pid": os.getpid()}) for r in records]


def dies_on_poison(records, batch_size=16, model=None, limits=None):
    if any(r.text == "poison" for r in records):
        os._exit(3)  # as the kernel's OOM killer would end it: no exception, no cleanup
    return [Result(r.id, {"n": len(r.text)}) for r in records]


def hangs_on_poison(records, batch_size=16, model=None, limits=None):
    if any(r.text == "poison" for r in records):
        time.sleep(3600)  # stuck where no limit is checked, as in a loop inside compiled code
    return [Result(r.id, {"n": len(r.text)}) for r in records]


def records(n, poison=()):
    return [{"id": str(i), "text": "poison" if i in poison else "x" * (i + 1)} for i in range(n)]


def test_scale_pool_keeps_input_order_across_workers():
    results = list(run(iter(records(30)), processes=2, batch_size=2, task=slow_lengths))
    assert [r.id for r in results] == [str(i) for i in range(30)]
    assert [r.analysis["n"] for r in results] == list(range(1, 31))
    assert len({r.analysis["pid"] for r in results}) == 2


def test_scale_pool_a_dying_worker_loses_only_its_record():
    results = list(run(iter(records(12, poison={5})), processes=2, batch_size=3, task=dies_on_poison))
    assert [r.id for r in results] == [str(i) for i in range(12)]
    assert isinstance(results[5], Failed) and "died" in results[5].error
    assert all(isinstance(r, Result) for i, r in enumerate(results) if i != 5)


def test_scale_pool_stops_a_stuck_worker_and_fails_only_its_record(monkeypatch):
    from according.extract.limits import Limits
    from according.scale import pool

    monkeypatch.setattr(pool, "STUCK_GRACE_SECONDS", 10.0)  # time enough to start a worker on a busy machine
    started = time.monotonic()
    results = list(run(iter(records(8, poison={2})), processes=2, batch_size=2, task=hangs_on_poison,
                       limits=Limits(seconds=1)))
    assert [r.id for r in results] == [str(i) for i in range(8)]
    assert isinstance(results[2], Failed) and "stopped after 11 s" in results[2].error
    assert all(isinstance(r, Result) for i, r in enumerate(results) if i != 2)
    assert time.monotonic() - started < 60


def test_scale_pool_stops_its_workers_when_the_consumer_stops():
    started = time.monotonic()
    results = run(iter(records(200)), processes=2, batch_size=1, task=slow_lengths)
    assert next(results).id == "0"
    results.close()
    assert time.monotonic() - started < 30


def test_scale_pool_extracts_like_in_process():
    texts = ["The harbour master said that the cranes would stay idle.",
             "\"Not for that offer,\" union secretary Ana Soto told reporters.",
             "", "The port authority denied reports that it had offered a secret bonus."]
    docs = [{"id": f"d{i}", "text": t} for i, t in enumerate(texts * 3)]
    local = list(run(docs, batch_size=2))
    pooled = list(run(docs, processes=2, batch_size=2))
    assert pooled == local
    assert sum(isinstance(r, Failed) for r in local) == 3
    assert local[0].analysis["attributions"] and local[3].analysis["attributions"]
