"""How much reading one article may cost: time and memory, checked as each piece of it comes out of the parser.

Reading is linear in the text, so the limits only bite on texts far longer than news (or on a bug): such an
article fails with its reason, and the articles beside it go on. Each piece of a text is small (`CHUNK_CHARS`),
so a limit is noticed within a second or two of being passed.
"""
from __future__ import annotations

import os
import resource
import sys
import time
from dataclasses import dataclass

from according.errors import LimitError

DEFAULT_SECONDS = 300.0  # news articles read in under 5 s; a text this slow is hundreds of pages long
DEFAULT_MEMORY_MB = 1024  # a batch of news adds about 160 MB to a process


@dataclass(frozen=True)
class Limits:
    """Per article: `seconds` of reading and `memory_mb` of growth of the process that reads it; None: no limit."""

    seconds: float | None = DEFAULT_SECONDS
    memory_mb: int | None = DEFAULT_MEMORY_MB

    @classmethod
    def of(cls, seconds: float | None, memory_mb: int | None) -> "Limits":
        """From command-line values, where 0 means no limit."""
        return cls(seconds or None, memory_mb or None)

    def meter(self, record: dict) -> "Meter":
        return Meter(self, record)


NO_LIMITS = Limits(None, None)


class Meter:
    """One article's reading so far, against the limits."""

    def __init__(self, limits: Limits, record: dict):
        self.limits, self.record = limits, record
        self.started = time.monotonic()
        self.base_mb = rss_mb() if limits.memory_mb else 0.0

    def check(self) -> None:
        """Raises `LimitError` once the article has cost more than its limits allow."""
        seconds, memory = self.limits.seconds, self.limits.memory_mb
        if seconds is not None and time.monotonic() - self.started > seconds:
            raise LimitError(f"{self._what()} took longer than the limit of {seconds:g} s to read: it is far "
                             "longer than news, or not prose; raise the limit with --time-limit", self.record)
        if memory is not None and rss_mb() - self.base_mb > memory:
            raise LimitError(f"{self._what()} needed more than the limit of {memory} MB to read: it is far "
                             "longer than news, or not prose; raise the limit with --memory-limit", self.record)

    def _what(self) -> str:
        text = self.record.get("text")
        size = f"a text of {len(text):,} characters" if isinstance(text, str) else "the document"
        doc_id = self.record.get("id")
        return f"{size} (id {doc_id!r})" if doc_id is not None else size


def rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024
