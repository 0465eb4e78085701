"""How many items (articles or failed inputs) a run will count, when that is known before reading: for an ETA.

A file gives one article or one failure and a JSON Lines file one per non-blank line, so local files and folders
can be counted cheaply. A URL, a feed or an archive holds an unknown number of articles until it is read: then there
is no total, and a progress display shows the rate alone rather than a wrong estimate.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from according.ingest.kinds import kind_of_path
from according.ingest.sources import walk
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
        path = Path(source)
        if not path.is_dir():
            files = [path]
        else:
            files = list(walk(path, include, exclude))
            total += not files  # an empty folder is reported as one failure
        for file in files:
            count = _items_in(file)
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
        with open(path, "rb") as lines:
            return sum(1 for line in lines if line.strip())
    except OSError:
        return 1
