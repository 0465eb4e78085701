"""Batches bounded in count and in characters: spaCy's peak memory follows the characters it holds at once."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def bounded(items: Iterable[T], size: int, max_chars: int, length: Callable[[T], int]) -> Iterator[list[T]]:
    """Consecutive batches of at most `size` items and `max_chars` characters; a longer item goes alone."""
    batch: list[T] = []
    chars = 0
    for item in items:
        n = length(item)
        if batch and (len(batch) >= size or chars + n > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += n
    if batch:
        yield batch
