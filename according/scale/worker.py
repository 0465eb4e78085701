"""What one process does with a chunk of records; the same code runs in-process, in pool workers and in Ray actors.

A chunk goes through spaCy as one batch, the fast path. If anything in the batch fails, the chunk is read again
one record at a time, so one bad article costs its own result and never its neighbours'.

Peak memory follows the characters in one spaCy batch, not the number of documents: en_core_web_sm holds
about 4 KB per character of a batch at its peak (a batch of 64 news articles: +470 MB; of 4: +70 MB), while
the batch size barely changes the speed on a CPU. So batches are capped in characters.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from according.batching import bounded
from according.link import with_claims
from according.errors import LimitError
from according.extract.limits import Limits
from according.scale.results import Failed, Record, Result, prepare


BATCH_CHARS = 40_000


def extractor(model: str | None = None):
    """One Extractor per model (and mode: $ACCORDING_ACCURATE) per process: loading spaCy costs a second and
    hundreds of MB."""
    import os

    return _extractor(model, os.environ.get("ACCORDING_ACCURATE", "") == "1")


@lru_cache(maxsize=2)
def _extractor(model: str | None, accurate: bool):
    from according.extract import Extractor, default_extractor

    return default_extractor() if model is None and not accurate else Extractor(model, accurate=accurate)


def default_preload(task: Callable) -> Callable | None:
    """What a worker loads when it starts: the extractor, for the extractor's task."""
    return extractor if task is extract_chunk else None


def extract_chunk(records: list[Record], batch_size: int = 16, model: str | None = None,
                  limits: Limits = Limits()) -> list[Result | Failed]:
    """One result per record, in order; a record over its `limits` is `Failed`."""
    results: list[Result | Failed | None] = [None] * len(records)
    todo: list[tuple[int, Record, dict]] = []  # (place, record, what the extractor reads)
    for i, record in enumerate(records):
        ready = prepare(record)
        if isinstance(ready, Failed):
            results[i] = ready
        else:
            todo.append((i, ready, ready.fields()))
    for batch in spacy_batches(todo, batch_size):
        nlp = extractor(model)
        try:
            analyses = list(nlp.pipe([fields for _, _, fields in batch], batch_size=len(batch), limits=limits))
        except Exception as e:  # noqa: BLE001  (read the batch again below, one record at a time)
            over = e.record if isinstance(e, LimitError) else None  # not read again: it would go over again
            analyses = [Failed.of(record, str(e)) if fields is over else _one(nlp, record, fields, limits)
                        for _, record, fields in batch]
        for (i, record, _), analysis in zip(batch, analyses):
            results[i] = analysis if isinstance(analysis, Failed) else \
                Result(record.id, with_claims(analysis).to_dict(), record.line, record.warnings)
    return results  # type: ignore[return-value]


def spacy_batches(todo: list, batch_size: int, max_chars: int = BATCH_CHARS) -> Iterator[list]:
    """Batches of at most `batch_size` records and `max_chars` characters; a longer text goes alone (its
    pieces then pass through spaCy one at a time)."""
    return bounded(todo, batch_size, max_chars, lambda item: len(item[1].text))


def _one(nlp, record: Record, fields: dict, limits: Limits):
    """The record's Analysis, or its `Failed`."""
    try:
        return next(nlp.pipe([fields], batch_size=1, limits=limits))
    except LimitError as e:
        return Failed.of(record, str(e))
    except Exception as e:  # noqa: BLE001  (a bug on one article must not stop a corpus)
        return Failed.of(record, f"extraction failed ({type(e).__name__}: {e}); this is a bug in according: "
                                 "please report it with this document")
