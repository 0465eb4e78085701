"""Everything that differs between SQLite and PostgreSQL, in one place; the rest of the store shares its SQL.

Shared SQL is written once, with `?` placeholders and types both engines accept; a dialect translates the
placeholders and supplies what cannot be shared: connecting, transactions, binary columns, the full-text index
(FTS5 tables in SQLite, a tsvector column with a GIN index in PostgreSQL) and its query language (a query parsed
once by `according.store.query`, compiled here to an FTS5 MATCH expression or a tsquery), text ordering, months and
on-disk size.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import quote

from according.errors import ReadOnlyStore, StoreError
from according.store.query import Any, Node, Phrase, Word
from according.store.terms import Indexed, index_terms

# A writer that finds the SQLite database locked by another writer waits this long before giving up.
BUSY_SECONDS = 60
# SQLite reads the file through memory mapping up to this size: a search reads pages where they lie in the
# operating system's cache instead of copying each into the connection's own (a few MB, per connection).
MMAP_BYTES = 1 << 32
SEARCHABLE = ("articles", "attributions")
# Each searchable table's indexed texts: (title, text) for articles, the content for attributions.
INDEXED = {"articles": ("title", "text"), "attributions": ("content_text",)}


def insert_sql(table: str, columns: list[str], values: list[str], skip_existing: bool) -> str:
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)}){conflict}"


class SQLite:
    """One file in WAL mode: readers never block the writer, and there is one writer at a time."""

    name = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    # errors that belong to the article being written, not to the store: that article fails, the run goes on
    refusals: tuple[type[Exception], ...] = (sqlite3.IntegrityError, sqlite3.DataError)
    # SQLite compares text byte by byte; a table that is all primary key is stored once, as its index, WITHOUT ROWID
    # newest first: SQLite puts NULLs last in a descending index (and takes no NULLS LAST there)
    types = {"blob": "BLOB", "key": "TEXT", "keyed": " WITHOUT ROWID", "newest": "published_ts DESC"}

    def __init__(self, path: str):
        self.path = path

    def __repr__(self) -> str:
        return f"sqlite:///{self.path}"

    def connect(self, read_only: bool = False) -> sqlite3.Connection:
        try:
            if read_only:
                conn = self._connect_read_only()
                conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
                return conn
            # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE), never implicitly.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            conn.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits, a killed process not.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            if self.read_only_error(exc):
                raise ReadOnlyStore(f"{self.path} cannot be written ({exc}): its file or folder is read-only. "
                                    "`according search` and `show` can still read it; to add to it, copy it to a "
                                    "folder you can write to, or change its permissions") from exc
            raise StoreError(f"cannot open the SQLite database {self.path!r}: {exc}") from exc
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """A file we may write is opened as usual with writes refused (`query_only`), so that the last connection
        out still folds and removes the -wal file. Otherwise `mode=ro`; in a folder nobody can write, `immutable=1`
        too: a WAL database is read through its -shm file, which cannot be created there, and no writer can change
        the file meanwhile."""
        path = os.path.abspath(self.path)
        folder = os.path.dirname(path)
        if os.access(path, os.W_OK) and os.access(folder, os.W_OK):
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
            conn.execute("PRAGMA query_only=ON")
            return conn
        locked = not os.access(folder, os.W_OK) and not os.path.exists(path + "-wal")
        uri = f"file:{quote(path)}?mode=ro" + ("&immutable=1" if locked else "")
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_SECONDS)

    @staticmethod
    def read_only_error(exc: Exception) -> bool:
        return getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_READONLY

    @staticmethod
    def lost_connection(exc: Exception, conn) -> bool:
        """A file has no connection to lose."""
        return False

    def sql(self, statement: str) -> str:
        return statement

    @contextmanager
    def transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of failing half-way.
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            if conn.in_transaction:
                cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def lock_schema(self, cur) -> None:
        """BEGIN IMMEDIATE already keeps other writers out while migrations run."""

    # articles.rowid grows as articles are stored (none is ever deleted): the store order
    store_order = "rowid"

    def add_store_order(self, cur) -> None:
        """rowid is the store order already."""

    def lock_originals(self, cur) -> None:
        """BEGIN IMMEDIATE already makes each writer's transaction the only one."""

    @contextmanager
    def exclusive(self, conn) -> Iterator[None]:
        """One holder at a time across processes, for work longer than a transaction should last (relinking the
        corpus), without holding SQLite's write lock meanwhile: a lock (flock) on a file beside the database,
        `NAME-lock`, left in place like SQLite's own -wal and -shm. Never on the database file itself: closing any
        descriptor of it would drop the locks SQLite holds on it in this process."""
        try:
            fd = None if self.path == ":memory:" else os.open(self.path + "-lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a folder nobody may write: then nobody writes the store either
            fd = None
        if fd is None:  # (in memory: one connection, nothing to share)
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # and the lock with it

    def insert(self, cur, table: str, row: dict, terms: Indexed | None = None, *,
               skip_existing: bool = False) -> bool:
        cur.execute(insert_sql(table, list(row), ["?"] * len(row), skip_existing), list(row.values()))
        added = cur.rowcount == 1
        if added and terms is not None:
            self._index(cur, table, cur.lastrowid, terms)
        return added

    @staticmethod
    def _index(cur, table: str, rowid: int, terms: Indexed) -> None:
        columns = INDEXED[table]
        values = (terms.title, terms.text) if len(columns) == 2 else (terms.text,)
        cur.execute(f"INSERT INTO {table}_fts (rowid, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
                    (rowid, *values))

    def create_search(self, cur) -> None:
        """FTS5 tables with positions (for phrases) over the terms `terms.index_terms` cut.

        `content="table"` names the table that holds the texts, so that datasette (and other tools that look for
        it) offers a search box on articles and attributions. The index holds `index_terms`' terms, not the
        column values: the `ascii` tokenizer (with `_` kept inside tokens, for the stems) only splits on the
        spaces put there, and FTS5's 'rebuild' command, which would re-read the raw columns, must not be used.
        """
        for table in SEARCHABLE:
            cur.execute(f"DROP TABLE IF EXISTS {table}_fts")
            cur.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({', '.join(INDEXED[table])},"
                        f" content=\"{table}\", tokenize=\"ascii tokenchars '_'\")")
        read = cur.connection.cursor()  # rows stored before are indexed anew, one at a time (never all in memory)
        for rowid, title, text in read.execute("SELECT rowid, title, text FROM articles"):
            self._index(cur, "articles", rowid, index_terms(text, title=title))
        for rowid, content in read.execute("SELECT rowid, content_text FROM attributions"):
            self._index(cur, "attributions", rowid, index_terms(content))

    def match(self, alias: str, table: str) -> str:
        return f"{alias}.rowid IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)"

    # Walking the articles newest first (`search.Query.walk`) through their index on dates: without statistics
    # SQLite's planner would rather find every hit and sort them.
    newest_first = " INDEXED BY articles_newest"

    @staticmethod
    def matching(cur, table: str, expression: str) -> int:
        """How many rows of `table` match, counted in the full-text index alone (milliseconds)."""
        return cur.execute(f"SELECT COUNT(*) FROM {table}_fts WHERE {table}_fts MATCH ?", [expression]).fetchone()[0]

    @staticmethod
    def stored(cur, table: str) -> int:
        """About how many rows `table` holds (its largest rowid: rows are never deleted)."""
        return cur.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0

    def compile(self, node: Node, *, title_only: bool = False) -> str:
        """An FTS5 MATCH expression, fully parenthesised (FTS5 ranks NOT above AND above OR)."""
        expression = _fts5(node)
        return f"{{title}} : ({expression})" if title_only else expression

    @staticmethod
    def month(column: str) -> str:
        return f"strftime('%Y-%m', {column}, 'unixepoch')"

    def size(self, cur) -> int:
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        return pages * cur.execute("PRAGMA page_size").fetchone()[0]


class PostgreSQL:
    """A server for teams: many readers and writers, the same tables and queries as SQLite."""

    name = "postgresql"
    READ_ONLY_STATES = ("25006", "42501")  # read_only_sql_transaction, insufficient_privilege
    # Ids compare byte by byte, as in SQLite: the database's locale would order (and page through) them differently.
    types = {"blob": "BYTEA", "key": 'TEXT COLLATE "C"', "keyed": "", "newest": "published_ts DESC NULLS LAST"}
    # advisory lock ids: concurrent first opens must not both create the tables; see lock_originals and exclusive
    SCHEMA_LOCK, ORIGINALS_LOCK, EXCLUSIVE_LOCK = 0x616363, 0x616364, 0x616365

    def __init__(self, url: str):
        self.url = url
        psycopg = self._driver()
        self.errors = (psycopg.Error,)
        self.refusals = (psycopg.IntegrityError, psycopg.DataError)

    def __repr__(self) -> str:
        return self._where()

    @staticmethod
    def _driver():
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError("PostgreSQL needs the psycopg driver: pip install 'according[postgres]'") from exc
        return psycopg

    def _where(self) -> str:
        """host:port/dbname, never the password."""
        from psycopg.conninfo import conninfo_to_dict

        try:
            info = conninfo_to_dict(self.url)
        except self.errors as exc:
            raise StoreError(f"not a PostgreSQL URL: {exc}") from exc
        return f"postgresql://{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"

    def connect(self, read_only: bool = False):
        psycopg = self._driver()
        where = self._where()
        # No parallel workers: a search is short, and the workers' start costs more than they save (on a server
        # answering several searches at once, they only compete for the same cores).
        options = "-c max_parallel_workers_per_gather=0" + (" -c default_transaction_read_only=on" if read_only else "")
        try:
            # autocommit: each read stands alone; writes open explicit transactions (`transaction`).
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="according",
                                   options=options)
        except psycopg.Error as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0].removeprefix("connection failed: ")
            raise StoreError(f"cannot connect to PostgreSQL at {where} (is the server running, and the URL "
                             f"right?): {reason}") from exc

    def read_only_error(self, exc: Exception) -> bool:
        return getattr(exc, "sqlstate", None) in self.READ_ONLY_STATES

    def lost_connection(self, exc: Exception, conn) -> bool:
        """The server went away: a connection exception (class 08), an operator's shutdown (57P01-57P03), or a
        connection psycopg has found closed."""
        state = getattr(exc, "sqlstate", None) or ""
        return state.startswith("08") or state in ("57P01", "57P02", "57P03") or bool(getattr(conn, "closed", False))

    @staticmethod
    @lru_cache(maxsize=256)
    def sql(statement: str) -> str:
        return statement.replace("%", "%%").replace("?", "%s")

    @contextmanager
    def transaction(self, conn) -> Iterator:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    def lock_schema(self, cur) -> None:
        cur.execute(f"SELECT pg_advisory_xact_lock({self.SCHEMA_LOCK})")

    store_order = "stored"

    def add_store_order(self, cur) -> None:
        cur.execute("ALTER TABLE articles ADD COLUMN stored BIGSERIAL")
        cur.execute("CREATE INDEX articles_stored ON articles (stored)")

    def lock_originals(self, cur) -> None:
        """Writers take this lock to store an original, until they commit: a sequence number is drawn when a row is
        inserted, not when it commits, so without it a reader could see number 8 before number 7 exists."""
        cur.execute(f"SELECT pg_advisory_xact_lock({self.ORIGINALS_LOCK})")

    @contextmanager
    def exclusive(self, conn) -> Iterator[None]:
        """One holder at a time across connections, for work longer than a transaction should last (relinking
        the corpus): a session-level advisory lock."""
        conn.execute(f"SELECT pg_advisory_lock({self.EXCLUSIVE_LOCK})")
        try:
            yield
        finally:
            conn.execute(f"SELECT pg_advisory_unlock({self.EXCLUSIVE_LOCK})")

    def insert(self, cur, table: str, row: dict, terms: Indexed | None = None, *,
               skip_existing: bool = False) -> bool:
        columns, values, params = list(row), ["?"] * len(row), list(row.values())
        if terms is not None:
            columns.append("terms")
            values.append("CAST(? AS tsvector)")
            params.append(terms.tsvector)
        cur.execute(self.sql(insert_sql(table, columns, values, skip_existing)), params)
        return cur.rowcount == 1

    def create_search(self, cur) -> None:
        """A tsvector column with a GIN index, filled from `terms.index_terms` (rows stored before are re-indexed)."""
        for table in SEARCHABLE:
            cur.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS terms tsvector")
            cur.execute(f"CREATE INDEX IF NOT EXISTS {table}_terms ON {table} USING GIN (terms)")
        # Rows stored before are indexed anew through a server-side cursor: never all in memory at once.
        with cur.connection.cursor(name="according_index_articles") as read:
            read.execute("SELECT id, title, text FROM articles")
            for article_id, title, text in read:
                cur.execute("UPDATE articles SET terms = CAST(%s AS tsvector) WHERE id = %s",
                            (index_terms(text, title=title).tsvector, article_id))
        with cur.connection.cursor(name="according_index_attributions") as read:
            read.execute("SELECT article_id, id, content_text FROM attributions")
            for article_id, attribution_id, content in read:
                cur.execute("UPDATE attributions SET terms = CAST(%s AS tsvector) WHERE article_id = %s AND id = %s",
                            (index_terms(content).tsvector, article_id, attribution_id))

    def match(self, alias: str, table: str) -> str:
        return f"{alias}.terms @@ CAST(? AS tsquery)"

    newest_first = ""  # the planner chooses the index on dates itself, from its statistics

    def matching(self, cur, table: str, expression: str) -> int:
        """How many rows of `table` match, as the planner estimates it from its statistics: PostgreSQL counts no
        faster than it finds (the PostgreSQL wiki's "count estimate")."""
        cur.execute(self.sql(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE terms @@ CAST(? AS tsquery)"),
                    [expression])
        plan = cur.fetchone()[0]
        return int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])

    def stored(self, cur, table: str) -> int:
        """About how many rows `table` holds, as last analysed (0 before)."""
        cur.execute(self.sql("SELECT reltuples FROM pg_class WHERE relname = ?"), [table])
        found = cur.fetchone()
        return max(0, int(found[0])) if found else 0

    def compile(self, node: Node, *, title_only: bool = False) -> str:
        """A tsquery; `title_only` weighs every term A, the weight `index_terms` gives the title's words."""
        return _tsquery(node, ":A" if title_only else "")

    @staticmethod
    def month(column: str) -> str:
        return f"to_char(to_timestamp({column}) AT TIME ZONE 'UTC', 'YYYY-MM')"

    def size(self, cur) -> int:
        cur.execute("SELECT pg_total_relation_size('articles') + pg_total_relation_size('attributions')"
                    " + pg_total_relation_size('entities') + pg_total_relation_size('migrations')")
        return int(cur.fetchone()[0])


Dialect = SQLite | PostgreSQL


def _fts5(node: Node) -> str:
    # Terms are quoted: FTS5 reads a bare AND, OR, NOT or NEAR as an operator. No term holds a quote.
    if isinstance(node, Word):
        return f'"{node.term}"'
    if isinstance(node, Phrase):
        return f'"{" ".join(node.words)}"' + ("*" if node.prefix else "")
    if isinstance(node, Any):
        return "(" + " OR ".join(_fts5(p) for p in node.parts) + ")"
    found = "(" + " AND ".join(_fts5(p) for p in node.find) + ")"
    if not node.leave_out:
        return found
    return f"({found} NOT ({' OR '.join(_fts5(p) for p in node.leave_out)}))"


def _tsquery(node: Node, weight: str) -> str:
    # Lexemes are quoted, so that none is read as an operator or parsed again; no term holds a quote.
    if isinstance(node, Word):
        return f"'{node.term}'{weight}"
    if isinstance(node, Phrase):
        last = len(node.words) - 1
        parts = [f"'{w}'" + (":*" + weight.lstrip(":") if node.prefix and n == last else weight)
                 for n, w in enumerate(node.words)]
        return "(" + " <-> ".join(parts) + ")"
    if isinstance(node, Any):
        return "(" + " | ".join(_tsquery(p, weight) for p in node.parts) + ")"
    found = "(" + " & ".join(_tsquery(p, weight) for p in node.find) + ")"
    if not node.leave_out:
        return found
    return f"({found} & !({' | '.join(_tsquery(p, weight) for p in node.leave_out)}))"


def dialect_for(url_or_path: str) -> Dialect:
    """`postgresql://...` (or `postgres://`) is a server; `sqlite:///path`, or any other string, a SQLite file."""
    if url_or_path.startswith(("postgresql://", "postgres://")):
        return PostgreSQL(url_or_path)
    if url_or_path.startswith("sqlite://"):
        # SQLAlchemy's convention: sqlite:///relative.db, sqlite:////absolute.db, sqlite:// for memory.
        return SQLite(url_or_path[len("sqlite:///"):] or ":memory:")
    if "://" in url_or_path:
        raise StoreError(f"unknown database URL {url_or_path!r}: use a file path, sqlite:///path or postgresql://...")
    return SQLite(url_or_path)
