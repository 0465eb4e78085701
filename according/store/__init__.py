"""Storage: articles with their attributions and entities, searchable, on SQLite or PostgreSQL.

    >>> from according.store import open_store
    >>> with open_store("news.db") as store:          # or "postgresql://user@host/db"
    ...     store.add(article, analysis)
    ...     store.search("congratulations", source="peskov", stance="deny")
    ...     store.search('"called it inaccurate" OR denied -rumour', sort="newest", limit=20, offset=20)
    ...     store.count("congratul*"), store.tally("month", "congratul*")

SQLite is the default: one file, nothing to start, in WAL mode so that readers (search, show) work while a run
writes. SQLite takes one writer at a time: give a store to one writer (the parent of a pool of extractors, say),
not to every worker. Each `add` is one transaction, so a run killed at any moment leaves whole articles; a rerun
finds a consistent database and `known_ids` tells it what to skip. PostgreSQL (`pip install 'according[postgres]'`)
has the same tables and answers the same queries with the same results, for teams and parallel writers.
"""
from __future__ import annotations

import os

from according.errors import AmbiguousId
from according.store.query import QueryError
from according.store.search import SearchHit
from according.store.store import Store

__all__ = ["open_store", "Store", "SearchHit", "AmbiguousId", "QueryError", "DEFAULT_PATH"]

DEFAULT_PATH = "according.db"


def open_store(url_or_path: str | os.PathLike | None = None, *, read_only: bool = False) -> Store:
    """`postgresql://...` opens a server database; a path or `sqlite:///path` a SQLite file, created if missing.

    Without an argument: `$ACCORDING_DB`, else `according.db` in the working directory. The schema is created or
    brought up to date on opening. `read_only=True` (for queries) changes nothing on opening, works on a file in
    a folder that cannot be written, and makes `add` raise `ReadOnlyStore`.
    """
    from according.store.dialect import dialect_for

    target = url_or_path if url_or_path is not None else os.environ.get("ACCORDING_DB") or DEFAULT_PATH
    return Store(dialect_for(os.fspath(target)), read_only=read_only)
