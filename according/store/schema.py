"""The schema, as a registry of migrations that each run once per database (like sqlite-utils' migrations).

A table `migrations` records the names that ran; opening a store runs the ones missing, in order, in one
transaction, so a database is never left half-migrated. A database that records a migration this version does not
know was written by a newer `according`, and is refused rather than misread.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from according.errors import StoreError
from according.store.dialect import Dialect

Migration = Callable[[Dialect, object], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((name, fn))
        return fn
    return register


# {key} is an article id's type: compared byte by byte on both back ends, so that ids sort and page alike.
TABLES = [
    # id: hash of the normalised content, so that storing an article twice changes nothing.
    # published_ts: `published` in seconds since the epoch (UTC), so that date filters and ordering compare instants,
    # not strings in different time zones. outlet_key: the outlet case-folded, for filters.
    # The text comes last: SQLite reads a row's columns in order, and filters should not wade through long texts.
    """CREATE TABLE articles (
        id {key} PRIMARY KEY,
        title TEXT, url TEXT, outlet TEXT, author TEXT, language TEXT, published TEXT, origin TEXT,
        duplicate_of {key},
        ingested_at TEXT NOT NULL,
        outlet_key TEXT,
        published_ts BIGINT,
        signature {blob},
        text TEXT NOT NULL
    )""",
    "CREATE INDEX articles_published ON articles (published_ts)",
    "CREATE INDEX articles_outlet ON articles (outlet_key)",
    "CREATE INDEX articles_duplicate_of ON articles (duplicate_of)",
    # Spans are JSON lists of [start, end]; the *_text columns keep the words so that readers need not slice.
    # source_key: the folded words of the source and its entity, space-delimited, for the `source` filter.
    """CREATE TABLE attributions (
        article_id {key} NOT NULL REFERENCES articles (id),
        id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        source TEXT NOT NULL, cue TEXT NOT NULL, content TEXT NOT NULL, via TEXT NOT NULL,
        source_text TEXT NOT NULL, cue_text TEXT NOT NULL, content_text TEXT NOT NULL, via_text TEXT NOT NULL,
        stance TEXT NOT NULL,
        kind TEXT NOT NULL,
        parent TEXT,
        source_entity TEXT,
        anonymous INTEGER NOT NULL,
        hedged INTEGER NOT NULL,
        source_key TEXT NOT NULL,
        PRIMARY KEY (article_id, id)
    )""",
    """CREATE TABLE entities (
        article_id {key} NOT NULL REFERENCES articles (id),
        ordinal INTEGER NOT NULL,
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        role TEXT,
        mentions TEXT NOT NULL,
        PRIMARY KEY (article_id, ordinal)
    )""",
    "CREATE INDEX entities_name ON entities (name)",
]


@migration("0001_tables")
def _tables(dialect: Dialect, cur) -> None:
    for statement in TABLES:
        cur.execute(statement.format(**dialect.types))


@migration("0002_search")
def _search_words(dialect: Dialect, cur) -> None:
    """The first index (words without positions or stems): 0003_search builds its successor."""


@migration("0003_search_phrases_stems")
def _search(dialect: Dialect, cur) -> None:
    """Positions for phrases and stems for word forms; stores indexed by 0002 are indexed anew, which reads every
    stored text once."""
    dialect.create_search(cur)


# The claims of each article (`according.link.article`), and the corpus claims they are clustered into
# (`according.link.corpus`): `corpus_claim` is the id of a row of corpus_claims, which keeps each corpus claim's
# summary for listings. `positions`: JSON of `model.Position`. claim_overrides: a user's merges and splits of
# corpus claims, as must-link and cannot-link pairs of article claims ("ARTICLE_ID:c1"), kept across re-clustering.
CLAIM_TABLES = [
    """CREATE TABLE claims (
        article_id {key} NOT NULL REFERENCES articles (id),
        id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        positions TEXT NOT NULL,
        corpus_claim TEXT,
        PRIMARY KEY (article_id, id)
    )""",
    "CREATE INDEX claims_corpus_claim ON claims (corpus_claim)",
    """CREATE TABLE corpus_claims (
        id {key} PRIMARY KEY,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        first_seen TEXT,
        first_seen_ts BIGINT,
        articles INTEGER NOT NULL,
        outlets TEXT NOT NULL,
        parties TEXT NOT NULL
    )""",
    "CREATE INDEX corpus_claims_first_seen ON corpus_claims (first_seen_ts)",
    # people, organisations and outlets across articles: one row per entity, with the other names it goes by and
    # the organisations it speaks for (from its roles: "Kremlin spokesperson")
    """CREATE TABLE corpus_entities (
        name TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        aliases TEXT NOT NULL,
        roles TEXT NOT NULL,
        speaks_for TEXT NOT NULL,
        articles INTEGER NOT NULL
    )""",
    """CREATE TABLE claim_overrides (
        kind TEXT NOT NULL,
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        made_at TEXT NOT NULL,
        PRIMARY KEY (kind, a, b)
    )""",
]


@migration("0004_claims")
def _claims(dialect: Dialect, cur) -> None:
    for statement in CLAIM_TABLES:
        cur.execute(statement.format(**dialect.types))


# For other SQL tools (datasette, a notebook, a BI tool): each statement with its article's metadata and its claims,
# absent values as NULL rather than '' (a statement without a source, a cue without cited sources).
STATEMENTS_VIEW = """CREATE VIEW statements AS
    SELECT t.article_id, t.id, t.ordinal, a.published, a.outlet, a.title, a.url,
           NULLIF(t.source_text, '') AS source, t.source_entity, t.anonymous, t.cue_text AS cue,
           t.content_text AS content, t.stance, t.kind, t.hedged, t.parent, NULLIF(t.via_text, '') AS via
    FROM attributions t JOIN articles a ON a.id = t.article_id"""
CLAIMS_VIEW = """CREATE VIEW article_claims AS
    SELECT c.article_id, c.id, a.published, a.outlet, a.title, a.url, c.text, c.status, c.corpus_claim,
           k.text AS corpus_text, k.status AS corpus_status
    FROM claims c JOIN articles a ON a.id = c.article_id LEFT JOIN corpus_claims k ON k.id = c.corpus_claim"""


@migration("0005_views")
def _views(dialect: Dialect, cur) -> None:
    cur.execute(STATEMENTS_VIEW)
    cur.execute(CLAIMS_VIEW)


# Which statement takes a position on which claim of its article: `claims.positions` as rows, so that a search can
# count its hits by their claims' status (GROUP BY) and filter by it without reading every claim's JSON.
POSITIONS_TABLE = """CREATE TABLE claim_positions (
    article_id {key} NOT NULL,
    attribution_id TEXT NOT NULL,
    claim_id TEXT NOT NULL,
    PRIMARY KEY (article_id, attribution_id, claim_id)
){keyed}"""


@migration("0006_claim_positions")
def _claim_positions(dialect: Dialect, cur) -> None:
    import json

    cur.execute(POSITIONS_TABLE.format(**dialect.types))
    # a hit's statuses are read from these indexes alone, without the claims' texts and JSON
    cur.execute("CREATE INDEX claims_article_corpus_claim ON claims (article_id, id, corpus_claim)")
    cur.execute("CREATE INDEX corpus_claims_status ON corpus_claims (id, status)")
    read = cur.connection.cursor()
    read.execute("SELECT article_id, id, positions FROM claims")
    for article_id, claim_id, positions in read:
        for row in position_rows(article_id, claim_id, json.loads(positions)):
            dialect.insert(cur, "claim_positions", row, skip_existing=True)


def position_rows(article_id: str, claim_id: str, positions: list[dict]) -> list[dict]:
    return [{"article_id": article_id, "attribution_id": p["attribution"], "claim_id": claim_id} for p in positions]


# The words of each statement's source (as written and as resolved: `rows.source_key`), one row each, so that the
# source filter looks its words up in an index instead of reading every statement. The covering index on articles
# holds what a search filters and orders by, so that checking a hit's article never reads its text.
SOURCE_WORDS_TABLE = """CREATE TABLE source_words (
    word TEXT NOT NULL,
    article_id {key} NOT NULL,
    attribution_id TEXT NOT NULL,
    PRIMARY KEY (word, article_id, attribution_id)
){keyed}"""


@migration("0007_search_keys")
def _search_keys(dialect: Dialect, cur) -> None:
    cur.execute(SOURCE_WORDS_TABLE.format(**dialect.types))
    cur.execute("CREATE INDEX articles_search ON articles (id, duplicate_of, outlet_key, published_ts)")
    # newest first, ties by id, as searches order them: a search with many hits walks it and stops at its page
    cur.execute("CREATE INDEX articles_newest ON articles ({newest}, id)".format(**dialect.types))
    read = cur.connection.cursor()
    read.execute("SELECT article_id, id, source_key FROM attributions")
    insert = dialect.sql("INSERT INTO source_words (word, article_id, attribution_id) VALUES (?, ?, ?)")
    while batch := read.fetchmany(2000):
        cur.executemany(insert, [(w, a, t) for a, t, key in batch for w in source_words(key)])


def source_words(source_key: str) -> list[str]:
    return sorted(set(source_key.split()))


@migration("0008_article_order")
def _article_order(dialect: Dialect, cur) -> None:
    """The order articles were stored in, so that a writer can ask for the originals stored since it last looked
    (`Store.add(recheck=...)`): SQLite's rowid already says it; PostgreSQL numbers them."""
    dialect.add_store_order(cur)


def migrate(dialect: Dialect, conn) -> list[str]:
    """Run the migrations this database has not seen; returns their names."""
    known = [name for name, _ in MIGRATIONS]
    with dialect.transaction(conn) as cur:
        dialect.lock_schema(cur)
        cur.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        cur.execute("SELECT name FROM migrations")
        done = {row[0] for row in cur.fetchall()}
        if done - set(known):
            raise StoreError(f"{dialect!r} was written by a newer version of according (migrations "
                             f"{', '.join(sorted(done - set(known)))}): upgrade according to open it")
        ran = []
        for name, fn in MIGRATIONS:
            if name not in done:
                fn(dialect, cur)
                cur.execute(dialect.sql("INSERT INTO migrations (name, applied_at) VALUES (?, ?)"),
                            (name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
                ran.append(name)
    return ran


def check_schema(dialect: Dialect, conn) -> list[str]:
    """For a store opened read-only, which cannot migrate: refuse it unless its schema is this version's."""
    known = [name for name, _ in MIGRATIONS]
    cur = conn.cursor()
    try:
        cur.execute("SELECT name FROM migrations")
    except dialect.errors as exc:
        raise StoreError(f"{dialect!r} is not an according store (no migrations table: {exc})") from exc
    done = {row[0] for row in cur.fetchall()}
    if done - set(known):
        raise StoreError(f"{dialect!r} was written by a newer version of according (migrations "
                         f"{', '.join(sorted(done - set(known)))}): upgrade according to open it")
    if set(known) - done:
        raise StoreError(f"{dialect!r} has an older schema (missing {', '.join(sorted(set(known) - done))}), which "
                         "a read-only store cannot update: open it once for writing (`according ingest`)")
    return []
