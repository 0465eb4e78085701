"""How many items (articles or failed inputs) a run will count, when that is known before reading: for an ETA.

A file gives one article or one failure and a JSON Lines file one per non-blank line, so local files and folders
can be counted cheaply. A URL, a feed or an archive holds an unknown number of articles until it is read: then there
is no total, and a progress display shows the rate alone rather than a wrong estimate.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from according.ingest.files import DEFAULT_MAX_BYTES
from according.ingest.jsonl import lines_within
from according.ingest.kinds import kind_of_path
from according.ingest.sources import expand
from according.ingest.web import is_url

_UNCOUNTABLE = ("feed", "warc", "sniff")


def expected_items(sources: Iterable[str], include: list[str] | None = None,
                   exclude: list[str] | None = None) -> int | None:
    """The number of articles and failures `ingest(sources)` will count, or None when it cannot be known upfront."""
    total = 0
    for source in sources:
        source = str(source)
        if source == "-" or is_url(source):
            return None
        for origin, failure in expand(source, include, exclude):
            count = 1 if failure else _items_in(Path(origin))  # an input that cannot be read is one failure
            if count is None:
                return None
            total += count
    return total


def _items_in(path: Path) -> int | None:
    if not path.is_file():
        return 1  # reported as one failure
    kind = kind_of_path(path)
    if kind in _UNCOUNTABLE:
        return None
    if kind != "jsonl":
        return 1
    try:
        with open(path, "rb") as stream:  # a line over the limit is one failure, and is never held whole
            return max(1, sum(1 for line in lines_within(stream, DEFAULT_MAX_BYTES) if line is None or line.strip()))
    except OSError:
        return 1
