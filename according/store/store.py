"""The Store: articles with their attributions and entities, on SQLite or PostgreSQL behind one interface."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
import json
from datetime import date, datetime, timezone

from according.errors import (AmbiguousId, ArticleRefused, ReadOnlyStore, StoreError, StoreUnreachable,
                             StoreWriteError)
from according.ingest.records import valid_text
from according.model import Analysis, Article
from according.store import rows
from according.store.dialect import Dialect
from according.store.schema import check_schema, migrate, position_rows, source_words
from according.store import search
from according.store.query import parse
from according.store.search import MAX_ROWS, SORTS, SearchHit
from according.store.terms import index_terms, words

# Ids per statement in batch lookups: far under SQLite's and PostgreSQL's limits on parameters.
BATCH = 500
ARTICLE_COLUMNS = ", ".join(rows.ARTICLE_FIELDS)
CLAIM_ORDER = "ORDER BY first_seen_ts IS NULL, first_seen_ts, id"  # corpus claims, earliest seen first


class Store:
    """One connection to one database: use it from one thread, and open one per process.

    Every `add` is one transaction, so a process killed at any moment leaves whole articles or none. SQLite allows
    one writer at a time (others wait up to `dialect.BUSY_SECONDS`); feed it from one writer, e.g. the parent of a
    pool of extractors. PostgreSQL takes writers in parallel.
    """

    def __init__(self, dialect: Dialect, read_only: bool = False):
        self.dialect, self.read_only = dialect, read_only
        self._originals_seen = 0  # the store order up to which `signatures` and `add(recheck=)` have handed over
        self._conn = dialect.connect(read_only)
        try:
            self.migrated = check_schema(dialect, self._conn) if read_only else migrate(dialect, self._conn)
        except dialect.errors as exc:
            self._conn.close()
            raise StoreError(f"cannot prepare the schema of {dialect!r}: {exc}") from exc
        except StoreError:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"Store({self.dialect!r})"

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    def _read(self, sql: str, params=()) -> list[tuple]:
        try:
            cur = self._conn.cursor()
            cur.execute(self.dialect.sql(sql), list(params))
            return cur.fetchall()
        except self.dialect.errors as exc:
            if self.dialect.lost_connection(exc, self._conn):
                raise self._unreachable(exc, "read it") from exc
            raise StoreError(f"cannot read {self.dialect!r}: {exc}") from exc

    def _unreachable(self, exc: Exception, what: str) -> StoreUnreachable:
        return StoreUnreachable(f"cannot {what}: the connection to {self.dialect!r} was lost ({_first_line(exc)}): "
                                "is the server running? Nothing more can be stored, so a run stops here; what was "
                                "stored stays stored. Once the server is back, run the same command again to go on")

    def add(self, article: Article, analysis: Analysis | None = None, *, duplicate_of: str | None = None,
            signature: bytes | None = None,
            recheck: Callable[[list[tuple[str, bytes]]], str | None] | None = None) -> bool:
        """Store an article and what was read in it; False (and nothing changed) when its id is already stored.

        recheck: for an original (one with a `signature`) while other writers may be storing originals too (two
        ingests at once). It is called inside the write transaction, under a lock every writer of an original
        takes, with the (id, signature) of the originals stored since this Store last handed them over (by
        `signatures` or here); it returns the original this article is a near-copy of, or None. The article is
        then stored as that one's copy, without its reading: of two near-copies stored at once, the second always
        sees the first.

        Raises `ArticleRefused` when this article cannot be stored (the next may be), and `StoreWriteError` when
        nothing can be (disk full, read-only: `ReadOnlyStore`).
        """
        _check(article, analysis)
        # Everything is computed before the transaction: SQLite's one writer holds the lock only to write.
        row = rows.article_row(article, duplicate_of=duplicate_of, signature=signature)
        terms = rows.article_terms(article)
        attributions = [rows.attribution_row(article.id, n, a, article.text)
                        for n, a in enumerate(analysis.attributions if analysis else [])]
        attribution_terms = [index_terms(a["content_text"]) for a in attributions]
        entities = [rows.entity_row(article.id, n, e) for n, e in enumerate(analysis.entities if analysis else [])]
        claims = analysis.claims if analysis else []
        try:
            with self.dialect.transaction(self._conn) as cur:
                if recheck is not None and signature is not None:
                    original = recheck(self._originals_since(cur))
                    if original is not None:
                        row.update(duplicate_of=original, signature=None)
                        attributions, attribution_terms, entities, claims = [], [], [], []
                if not self.dialect.insert(cur, "articles", row, terms, skip_existing=True):
                    return False
                for a, a_terms in zip(attributions, attribution_terms):
                    self.dialect.insert(cur, "attributions", a, a_terms)
                    for word in source_words(a["source_key"]):
                        self.dialect.insert(cur, "source_words", {"word": word, "article_id": article.id,
                                                                  "attribution_id": a["id"]})
                for e in entities:
                    self.dialect.insert(cur, "entities", e)
                self._add_claims(cur, article.id, claims)
        except self.dialect.refusals as exc:
            raise ArticleRefused(f"cannot store article {article.id}: {exc}") from exc
        except self.dialect.errors as exc:
            raise self._write_error(exc, f"article {article.id}") from exc
        return True

    def _originals_since(self, cur) -> list[tuple[str, bytes]]:
        self.dialect.lock_originals(cur)
        order = self.dialect.store_order
        cur.execute(self.dialect.sql(f"SELECT {order}, id, signature FROM articles WHERE signature IS NOT NULL "
                                     f"AND {order} > ? ORDER BY {order}"), [self._originals_seen])
        found = cur.fetchall()
        if found:
            self._originals_seen = found[-1][0]
        return [(i, bytes(sig)) for _, i, sig in found]

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Held by one Store at a time, whatever process it is in, for as long as the block runs: for work that
        reads the whole store and writes what it computed (relinking the corpus), so that no two interleave."""
        with ExitStack() as held:
            try:
                held.enter_context(self.dialect.exclusive(self._conn))
            except self.dialect.errors as exc:
                raise StoreError(f"cannot lock {self.dialect!r}: {exc}") from exc
            yield

    def _write_error(self, exc: Exception, what: str) -> StoreWriteError:
        """Every failed write but an `ArticleRefused`: the store itself cannot be written, whatever comes next."""
        where = repr(self.dialect)
        if self.read_only:
            return ReadOnlyStore(f"cannot store {what}: {where} was opened read-only (for search and show); "
                                 "open it without read_only to add to it")
        if self.dialect.lost_connection(exc, self._conn):
            return self._unreachable(exc, f"store {what}")
        if self.dialect.read_only_error(exc):
            return ReadOnlyStore(f"cannot store {what} in {where}: {exc}; its file or folder is read-only. "
                                 "`according search` and `show` can still read it; to add to it, copy it somewhere "
                                 "writable")
        return StoreWriteError(f"cannot store {what} in {where}: {exc}. Nothing more can be stored, so the run "
                               "stops here; what was stored stays stored. Mend the cause (free disk space, say) and "
                               "run the same command again to go on")

    def has(self, article_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", [article_id]))

    def original_of(self, article_id: str) -> str | None:
        """The article a syndicated near-copy is linked to, or None for an original (or an unknown id)."""
        found = self._read("SELECT duplicate_of FROM articles WHERE id = ?", [article_id])
        return found[0][0] if found else None

    def known_ids(self, ids: list[str]) -> set[str]:
        """The ids among `ids` that are stored: what a resumed run can skip."""
        ids, known = list(dict.fromkeys(ids)), set()
        for i in range(0, len(ids), BATCH):
            chunk = ids[i:i + BATCH]
            marks = ", ".join("?" * len(chunk))
            known.update(r[0] for r in self._read(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return known

    def resolve(self, id_or_prefix: str) -> str | None:
        """The full id of the article that `id_or_prefix` names (an id, or a prefix of exactly one id)."""
        if not id_or_prefix:
            return None
        if self.has(id_or_prefix):
            return id_or_prefix
        found = self._read("SELECT id FROM articles WHERE substr(id, 1, ?) = ? LIMIT 2",
                           [len(id_or_prefix), id_or_prefix])
        if len(found) > 1:
            raise AmbiguousId(f"{id_or_prefix!r} is the start of more than one article id: give more characters")
        return found[0][0] if found else None

    def get(self, id_or_prefix: str) -> tuple[Article, Analysis] | None:
        article_id = self.resolve(id_or_prefix)
        if article_id is None:
            return None
        found = self._read(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id])
        if not found:
            return None  # removed since resolve(): only possible with another writer
        article = rows.to_article(found[0])
        attributions = self._read(f"SELECT {', '.join(rows.ATTRIBUTION_FIELDS)} FROM attributions"
                                  " WHERE article_id = ? ORDER BY ordinal", [article_id])
        entities = self._read(f"SELECT {', '.join(rows.ENTITY_FIELDS)} FROM entities"
                              " WHERE article_id = ? ORDER BY ordinal", [article_id])
        claims = self._read(f"SELECT {', '.join(rows.CLAIM_FIELDS)} FROM claims"
                            " WHERE article_id = ? ORDER BY ordinal", [article_id])
        analysis = Analysis(text=article.text, id=article.id, meta=article.meta(),
                            attributions=[rows.to_attribution(r) for r in attributions],
                            entities=[rows.to_entity(r) for r in entities],
                            claims=[rows.to_claim(r) for r in claims])
        return article, analysis

    def _pages(self, columns: str, condition: str = "") -> Iterator[tuple]:
        """Rows of articles (id first) a page at a time, so that a large store is never held in memory."""
        where, last = (f"{condition} AND " if condition else ""), ""
        while True:
            page = self._read(f"SELECT {columns} FROM articles WHERE {where}id > ? ORDER BY id LIMIT ?",
                              [last, BATCH])
            yield from page
            if len(page) < BATCH:
                return
            last = page[-1][0]

    def ids(self) -> Iterator[str]:
        """Every stored article id, duplicates included, in byte order."""
        return (row[0] for row in self._pages("id"))

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(id, signature) for every article stored with one: enough to rebuild a near-duplicate index on resume.
        `add(recheck=)` hands over the originals stored after this call began (and may repeat some it gave)."""
        found = self._read(f"SELECT MAX({self.dialect.store_order}) FROM articles")
        self._originals_seen = found[0][0] or 0
        return ((i, bytes(sig)) for i, sig in self._pages("id, signature", "signature IS NOT NULL"))

    def search(self, query: str | None = None, *, outlet: str | None = None, since: str | date | None = None,
               until: str | date | None = None, source: str | None = None, stance: str | None = None,
               status: str | None = None, limit: int | None = 20, offset: int = 0,
               sort: str = "relevance") -> list[SearchHit]:
        """Statements and articles that match `query`, a page of them (see `according.store.search` for what a
        hit is and the orders, `according.store.query` for the query language).

        `since` and `until` include the whole day, month or year they name; `source` matches whole words of the
        source as written or of its entity ("peskov" finds "Kremlin spokesman Dmitry Peskov"); `status` keeps the
        hits on a claim across articles with that status. `limit=None` gives every hit from `offset` on; `count`
        gives how many there are in all.
        """
        found = self.hits(query, outlet=outlet, since=since, until=until, source=source, stance=stance,
                          status=status, limit=limit, offset=offset, sort=sort)
        if not found:
            return []
        article_ids = list(dict.fromkeys(r[0] for r in found))
        marks = ", ".join("?" * len(article_ids))
        articles = {r[0]: r for r in self._read(
            f"SELECT id, title, outlet, published, url, text FROM articles WHERE id IN ({marks})", article_ids)}
        attributions = {(r[0], r[1]): r[1:] for r in self._read(
            "SELECT article_id, id, content_text, source_text, source_entity, stance, cue_text, kind"
            f" FROM attributions WHERE article_id IN ({marks})", article_ids)}
        marked = search.marker(None if query is None else parse(query))
        return [search.to_hit(articles[a], attributions[(a, t)] if t is not None else None, marked)
                for a, t in found]

    def hits(self, query: str | None = None, *, limit: int | None = 20, offset: int = 0, sort: str = "relevance",
             **filters) -> list[tuple[str, str | None]]:
        """(article id, attribution id or None for an article hit) of `search`'s hits with the same arguments, in
        its order: what a selection needs without reading the texts."""
        if limit is not None and limit < 0 or offset < 0:
            raise StoreError(f"a search limit or offset cannot be negative (limit {limit}, offset {offset})")
        if sort not in SORTS:
            raise StoreError(f"cannot sort by {sort!r}: choose one of {', '.join(SORTS)}")
        spec = self._query(query, **filters)
        if spec is None or limit == 0 or offset > MAX_ROWS:
            return []
        # A limit past what SQL's 64-bit LIMIT takes is no limit: no store holds that many hits.
        limit = None if limit is None or limit > MAX_ROWS else limit
        walk = spec.walk(sort, limit, offset) if limit is not None else None
        if walk is not None and self._many(spec, limit + offset):
            found = self._read(*walk)
            if sort == "newest" or spec.statements_only or len(found) == limit:
                return [(r[0], r[1]) for r in found]
        elif sort == "relevance" and spec.node is not None and not spec.statements_only and limit is not None:
            # statements come first: when they fill the page, the articles (whose long texts cost the most to
            # check, for a phrase) are left alone
            found = self._read(*spec.page(sort, limit, offset, first_tier=True))
            if len(found) == limit:
                return [(r[0], r[1]) for r in found]
        return [(r[0], r[1]) for r in self._read(*spec.page(sort, limit, offset))]

    def _many(self, spec: search.Query, wanted: int) -> bool:
        """Whether walking the articles newest first finds `wanted` hits sooner than finding and sorting them all:
        when the statements that match (m of n; words as the index estimates them, a source by its longest word)
        are so many that the walk, about wanted * n / m statements long, is shorter than m."""
        try:
            cur = self._conn.cursor()
            if spec.node is not None:
                matched = self.dialect.matching(cur, "attributions", self.dialect.compile(spec.node))
            else:
                longest = max(words(spec.source), key=len)
                cur.execute(self.dialect.sql("SELECT COUNT(*) FROM source_words WHERE word = ?"), [longest])
                matched = cur.fetchone()[0]
            return matched * matched >= wanted * self.dialect.stored(cur, "attributions")
        except self.dialect.errors as exc:
            raise StoreError(f"cannot read {self.dialect!r}: {exc}") from exc

    def count(self, query: str | None = None, *, at_most: int | None = None, **filters) -> int:
        """How many hits `search` finds with the same words and filters, all pages together; counting stops at
        `at_most` when it is given (a page shows "more than" a bound: `search.COUNT_UP_TO`)."""
        spec = self._query(query, **filters)
        if spec is None or at_most is not None and at_most <= 0:
            return 0
        return int(self._read(*spec.count(at_most if at_most is None or at_most <= MAX_ROWS else None))[0][0])

    def total(self, query: str | None = None, *, seen: int = 0, **filters) -> tuple[int, bool]:
        """How many hits `search` finds, as search engines count them: exactly up to `search.COUNT_UP_TO` or `seen`
        (the hits up to the end of the page shown), whichever is more; past that, the bound and False."""
        bound = max(search.COUNT_UP_TO, seen) + 1
        found = self.count(query, at_most=bound, **filters)
        return (found, True) if found < bound else (bound - 1, False)

    def tally(self, by: str, query: str | None = None, **filters) -> list[tuple[str | None, int]]:
        """How many of `search`'s hits (same words and filters) fall on each month, outlet, source, stance or
        status (`by`), as (value, count).

        The counts add up to `count`, but for status: article hits have no source or stance (None), undated ones
        no month; a hit counts under each status of the claims it takes a position on, and not at all without one.
        Months come in date order, undated last; other values most frequent first.
        """
        return self.tallies((by,), query, **filters)[by]

    def tallies(self, bys: tuple[str, ...], query: str | None = None, **filters) -> dict[str, list]:
        """`tally` of each facet of `bys`, in one query: the hits are found once for all of them."""
        spec = self._query(query, **filters)
        if spec is None:
            return {by: [] for by in bys}
        found = self._read(*spec.tally(bys))
        return {by: search.merge_tally([r for r in found if r[0] == by], by) for by in bys}

    def _query(self, query: str | None, *, outlet: str | None = None, since: str | date | None = None,
               until: str | date | None = None, source: str | None = None, stance: str | None = None,
               status: str | None = None) -> search.Query | None:
        """The search to run, or None when it cannot match anything (a source filter without words)."""
        node = None if query is None else parse(query)
        if source is not None and not words(source):
            return None
        return search.Query(self.dialect, node, outlet, since, until, source, stance, status)

    # -- claims across articles (`according.link.corpus` decides; the store keeps) --------------------------------

    def claim_rows(self, corpus_claim: str | list[str] | None = None) -> Iterator[dict]:
        """The claims of stored articles with what a timeline needs of their article, a page at a time; only
        those of one corpus claim (or of a few: a list) when it is given."""
        columns = ("c.article_id, c.id, c.ordinal, c.text, c.status, c.positions, c.corpus_claim,"
                   " a.published, a.published_ts, a.outlet, a.title, a.url")
        names = ("article_id", "id", "ordinal", "text", "status", "positions", "corpus_claim", "published",
                 "published_ts", "outlet", "title", "url")
        wanted = [corpus_claim] if isinstance(corpus_claim, str) else corpus_claim
        where, params = ("", []) if wanted is None else \
            (f"c.corpus_claim IN ({', '.join('?' * len(wanted))}) AND ", list(wanted))
        if wanted == []:
            return
        last = ("", "")
        while True:
            page = self._read(f"SELECT {columns} FROM claims c JOIN articles a ON a.id = c.article_id"
                              f" WHERE {where}(c.article_id > ? OR (c.article_id = ? AND c.id > ?))"
                              " ORDER BY c.article_id, c.id LIMIT ?", [*params, last[0], last[0], last[1], BATCH])
            for row in page:
                d = dict(zip(names, row))
                d["positions"] = json.loads(d["positions"])
                yield d
            if len(page) < BATCH:
                return
            last = (page[-1][0], page[-1][1])

    def statements_by(self, source: str, limit: int | None = None) -> list[dict]:
        """Every statement of an original article whose source (as written, or its entity) has all the words of
        `source`, oldest first, with its claim positions' corpus claims."""
        wanted = words(source)
        if not wanted:
            return []
        cap = "" if limit is None else f" LIMIT {int(limit)}"
        by, params = search.by_source(wanted)
        found = self._read(
            "SELECT t.article_id, t.id FROM attributions t JOIN articles a ON a.id = t.article_id"
            f" WHERE a.duplicate_of IS NULL AND {by}"
            f" ORDER BY a.published_ts IS NULL, a.published_ts, t.article_id, t.ordinal{cap}", params)
        return list(self.statement_records([(r[0], r[1]) for r in found]))

    def copies(self, originals: list[str] | None = None) -> list[dict]:
        """Near-copies (of these originals, or all), with what a timeline needs of them."""
        names = ("id", "duplicate_of", "published", "published_ts", "outlet", "title", "url")
        if originals is None:
            found = self._read(f"SELECT {', '.join(names)} FROM articles WHERE duplicate_of IS NOT NULL")
        else:
            found = []
            for i in range(0, len(originals), BATCH):
                chunk = originals[i:i + BATCH]
                found += self._read(f"SELECT {', '.join(names)} FROM articles WHERE duplicate_of IN "
                                    f"({', '.join('?' * len(chunk))})", chunk)
        return [dict(zip(names, r)) for r in found]

    def entity_rows(self) -> list[tuple[str, str, str, str | None]]:
        """(article id, name, label, role) of every entity of an original article."""
        return [tuple(r) for r in self._read(
            "SELECT e.article_id, e.name, e.label, e.role FROM entities e JOIN articles a ON a.id = e.article_id"
            " WHERE a.duplicate_of IS NULL ORDER BY e.article_id, e.ordinal")]

    def set_corpus_entities(self, entities: list[dict]) -> None:
        try:
            with self.dialect.transaction(self._conn) as cur:
                cur.execute("DELETE FROM corpus_entities")
                for e in entities:
                    self.dialect.insert(cur, "corpus_entities", {**e, **{k: json.dumps(e[k], ensure_ascii=False)
                                                                        for k in ("aliases", "roles", "speaks_for")}})
        except self.dialect.errors as exc:
            raise self._write_error(exc, "the entities across articles") from exc

    def corpus_entities(self, name: str | None = None) -> list[dict]:
        """Entities across the store, the most widely reported first; with `name`, those it names: their name
        or an alias, case-folded, or those that speak for it."""
        names = ("name", "label", "aliases", "roles", "speaks_for", "articles")
        found = []
        for row in self._read(f"SELECT {', '.join(names)} FROM corpus_entities ORDER BY articles DESC, name"):
            d = dict(zip(names, row))
            for k in ("aliases", "roles", "speaks_for"):
                d[k] = json.loads(d[k])
            found.append(d)
        if name is None:
            return found
        wanted = name.casefold()
        return [e for e in found if wanted in [a.casefold() for a in (e["name"], *e["aliases"])]]

    def statement_records(self, hits: list[tuple[str, str | None]]) -> Iterator[dict]:
        """Full records of statements: (article id, attribution id) for one, (article id, None) for all of an
        article's; each with its article's metadata and the claim it takes a position on, in the order given."""
        names = ("article_id", "id", "ordinal", "source_text", "source_entity", "cue_text", "content_text",
                 "via_text", "stance", "kind", "anonymous", "hedged", "parent", "source", "cue", "content")
        articles = ("url", "title", "outlet", "published")
        for i in range(0, len(hits), BATCH):
            chunk = hits[i:i + BATCH]
            ids = list(dict.fromkeys(a for a, _ in chunk))
            marks = ", ".join("?" * len(ids))
            found = self._read(f"SELECT {', '.join('t.' + n for n in names)}, {', '.join('a.' + n for n in articles)}"
                               " FROM attributions t JOIN articles a ON a.id = t.article_id"
                               f" WHERE t.article_id IN ({marks}) ORDER BY t.article_id, t.ordinal", ids)
            by_article: dict[str, list[dict]] = {}
            for row in found:
                d = dict(zip(names + articles, row))
                by_article.setdefault(d["article_id"], []).append(d)
            positions = {}
            for article_id, claim_id, raw, corpus_claim in self._read(
                    f"SELECT article_id, id, positions, corpus_claim FROM claims WHERE article_id IN ({marks})", ids):
                for p in json.loads(raw):
                    positions[(article_id, p["attribution"])] = (claim_id, corpus_claim, p["stance"])
            for article_id, attribution_id in chunk:
                for d in by_article.get(article_id, []):
                    if attribution_id is not None and d["id"] != attribution_id:
                        continue
                    d = dict(d)
                    d["anonymous"], d["hedged"] = bool(d["anonymous"]), bool(d["hedged"])
                    for role in ("source", "cue", "content"):
                        d[role] = json.loads(d[role])
                    d["claim"], d["corpus_claim"], d["position"] = positions.get((article_id, d["id"]), (None,) * 3)
                    yield d

    def statement_texts(self, corpus_claims: list[str]) -> dict[tuple[str, str], dict]:
        """What a timeline shows of the statements that take positions on these corpus claims: their words and
        source, keyed by (article id, attribution id). Found through `claim_positions`, so only those statements
        are read, not their articles' others."""
        names = ("article_id", "id", "source_text", "source_entity", "cue_text", "content_text", "via_text",
                 "anonymous")
        found = {}
        for i in range(0, len(corpus_claims), BATCH):
            chunk = corpus_claims[i:i + BATCH]
            for row in self._read(
                    f"SELECT DISTINCT {', '.join('t.' + n for n in names)} FROM claims c"
                    " JOIN claim_positions p ON p.article_id = c.article_id AND p.claim_id = c.id"
                    " JOIN attributions t ON t.article_id = p.article_id AND t.id = p.attribution_id"
                    f" WHERE c.corpus_claim IN ({', '.join('?' * len(chunk))})", chunk):
                d = dict(zip(names, row))
                d["anonymous"] = bool(d["anonymous"])
                found[(row[0], row[1])] = d
        return found

    def unlinked(self) -> list[str]:
        """Original articles with statements but no claims: stored before claims were kept (or by an older
        version), to be linked now."""
        return [r[0] for r in self._read(
            "SELECT DISTINCT t.article_id FROM attributions t WHERE NOT EXISTS"
            " (SELECT 1 FROM claims c WHERE c.article_id = t.article_id) ORDER BY t.article_id")]

    def add_claims(self, article_id: str, claims: list) -> None:
        try:
            with self.dialect.transaction(self._conn) as cur:
                self._add_claims(cur, article_id, claims)
        except self.dialect.errors as exc:
            raise self._write_error(exc, f"the claims of article {article_id}") from exc

    def _add_claims(self, cur, article_id: str, claims: list) -> None:
        """Each claim with its positions as rows of claim_positions (what a search counts statuses by)."""
        for n, c in enumerate(claims):
            if self.dialect.insert(cur, "claims", rows.claim_row(article_id, n, c), skip_existing=True):
                for row in position_rows(article_id, c.id, [p.to_dict() for p in c.positions]):
                    self.dialect.insert(cur, "claim_positions", row, skip_existing=True)

    def overrides(self) -> list[tuple[str, str, str]]:
        """A user's merges and splits: (kind, claim key, claim key), kind `same` or `apart`, oldest first."""
        return [tuple(r) for r in self._read("SELECT kind, a, b FROM claim_overrides ORDER BY made_at, kind, a, b")]

    def add_overrides(self, pairs: list[tuple[str, str, str]]) -> None:
        made = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            with self.dialect.transaction(self._conn) as cur:
                for kind, a, b in pairs:
                    # a later choice about the same pair replaces the earlier one
                    cur.execute(self.dialect.sql("DELETE FROM claim_overrides WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)"),
                                [a, b, b, a])
                    self.dialect.insert(cur, "claim_overrides", {"kind": kind, "a": a, "b": b, "made_at": made})
        except self.dialect.errors as exc:
            raise self._write_error(exc, "the merge or split") from exc

    def set_corpus_claims(self, assigned: dict[tuple[str, str], str], summaries: list[dict]) -> None:
        """Replace the corpus claims: each article claim's corpus claim id, and every corpus claim's summary."""
        current = {(r[0], r[1]): r[2] for r in self._read("SELECT article_id, id, corpus_claim FROM claims")}
        try:
            with self.dialect.transaction(self._conn) as cur:
                for (article_id, claim_id), corpus_claim in assigned.items():
                    if current.get((article_id, claim_id)) != corpus_claim:
                        cur.execute(self.dialect.sql("UPDATE claims SET corpus_claim = ? WHERE article_id = ? AND id = ?"),
                                    [corpus_claim, article_id, claim_id])
                cur.execute("DELETE FROM corpus_claims")
                for summary in summaries:
                    self.dialect.insert(cur, "corpus_claims", summary)
        except self.dialect.errors as exc:
            raise self._write_error(exc, "the claims across articles") from exc

    def corpus_claims(self, *, status: str | None = None, outlet: str | None = None, party: str | None = None,
                      since: str | date | None = None, until: str | date | None = None,
                      limit: int | None = 50, offset: int = 0) -> list[dict]:
        """Corpus claims, earliest seen first, filtered by status, an outlet that carried them, a party (a word of
        a source's name) that took a position, and the date they were first seen; a page of `limit` from
        `offset` on (`count_corpus_claims` gives how many match in all)."""
        where, params = _claim_filter(status, outlet, party, since, until)
        page = ("" if limit is None else f" LIMIT {int(limit)}") + (f" OFFSET {int(offset)}" if offset else "")
        if offset and limit is None and self.dialect.name == "sqlite":
            page = f" LIMIT -1{page}"
        names = ("id", "text", "status", "first_seen", "first_seen_ts", "articles", "outlets", "parties")
        found = self._read(f"SELECT {', '.join(names)} FROM corpus_claims{where} {CLAIM_ORDER}{page}", params)
        out = []
        for row in found:
            d = dict(zip(names, row))
            d["outlets"], d["parties"] = json.loads(d["outlets"]), json.loads(d["parties"])
            out.append(d)
        return out

    def corpus_claim_ids(self, among: set[str] | None = None) -> list[str]:
        """Every corpus claim's id, or those of `among` that the store holds, in the order of `corpus_claims`
        (earliest seen first)."""
        if among is None:
            return [r[0] for r in self._read(f"SELECT id FROM corpus_claims {CLAIM_ORDER}")]
        wanted, found = sorted(among), []
        for i in range(0, len(wanted), BATCH):
            chunk = wanted[i:i + BATCH]
            marks = ", ".join("?" * len(chunk))
            found += self._read(f"SELECT id, first_seen_ts FROM corpus_claims WHERE id IN ({marks})", chunk)
        return [cid for cid, _ in sorted(found, key=lambda r: (r[1] is None, r[1] or 0, r[0]))]

    def count_corpus_claims(self, *, status: str | None = None, outlet: str | None = None,
                            party: str | None = None, since: str | date | None = None,
                            until: str | date | None = None) -> int:
        """How many corpus claims `corpus_claims` finds with the same filters, all pages together."""
        where, params = _claim_filter(status, outlet, party, since, until)
        return int(self._read(f"SELECT COUNT(*) FROM corpus_claims{where}", params)[0][0])

    def search_claims(self, query: str | None = None, *, limit: int | None = None, offset: int = 0,
                      **filters) -> list[str]:
        """The ids of the corpus claims that `search`'s hits (same words and filters) take positions on, earliest
        seen first, a page of them: what a claims export of a search selects."""
        spec = self._query(query, **filters)
        if spec is None or limit == 0:
            return []
        return [r[0] for r in self._read(*spec.claims(None if limit is not None and limit > MAX_ROWS else limit,
                                                       offset))]

    def corpus_claims_of(self, hits: list[tuple[str, str | None]]) -> set[str]:
        """The corpus claims that these statements (article id, attribution id) take positions on; for (article
        id, None), those of any statement of the article (every stored claim has a position)."""
        found: set[str] = set()
        articles = sorted({a for a, t in hits if t is None})
        statements = sorted({(a, t) for a, t in hits if t is not None})
        for i in range(0, len(articles), BATCH):
            chunk = articles[i:i + BATCH]
            found.update(r[0] for r in self._read(
                f"SELECT DISTINCT corpus_claim FROM claims WHERE article_id IN ({', '.join('?' * len(chunk))})"
                " AND corpus_claim IS NOT NULL", chunk))
        for i in range(0, len(statements), BATCH // 2):
            chunk = statements[i:i + BATCH // 2]
            found.update(r[0] for r in self._read(
                "SELECT DISTINCT c.corpus_claim FROM claim_positions p JOIN claims c ON c.article_id = p.article_id"
                " AND c.id = p.claim_id WHERE c.corpus_claim IS NOT NULL AND ("
                + " OR ".join("(p.article_id = ? AND p.attribution_id = ?)" for _ in chunk) + ")",
                [x for pair in chunk for x in pair]))
        return found

    def resolve_claim(self, id_or_prefix: str) -> str | None:
        """The full id of the corpus claim that `id_or_prefix` names."""
        found = self._read("SELECT id FROM corpus_claims WHERE substr(id, 1, ?) = ? LIMIT 2",
                           [len(id_or_prefix), id_or_prefix]) if id_or_prefix else []
        if len(found) > 1:
            raise AmbiguousId(f"{id_or_prefix!r} is the start of more than one claim id: give more characters")
        return found[0][0] if found else None

    def stats(self) -> dict:
        counts = self._read("SELECT (SELECT COUNT(*) FROM articles),"
                            " (SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL),"
                            " (SELECT COUNT(*) FROM attributions), (SELECT COUNT(*) FROM entities)")[0]
        try:
            size = self.dialect.size(self._conn.cursor())
        except self.dialect.errors as exc:
            raise StoreError(f"cannot measure {self.dialect!r}: {exc}") from exc
        return {"articles": counts[0], "duplicates": counts[1], "attributions": counts[2], "entities": counts[3],
                "size": size}


def _claim_filter(status, outlet, party, since, until) -> tuple[str, list]:
    """The WHERE clause of corpus claims with this status, carried by this outlet, with a position taken by this
    party (a word of its name), first seen within these dates."""
    conditions, params = [], []
    if status:
        conditions.append("status = ?")
        params.append(status)
    if outlet:
        conditions.append("outlets LIKE ?")
        params.append(f'%"{_like(outlet.casefold())}"%')
    if party:
        conditions.append("parties LIKE ?")
        params.append(f"%{_like(party.casefold())}%")
    if since is not None:
        conditions.append("first_seen_ts >= ?")
        params.append(rows.instant(since))
    if until is not None:
        conditions.append("first_seen_ts < ?")
        params.append(rows.instant(until, end=True))
    return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), params


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _like(text: str) -> str:
    """`text` inside a LIKE pattern, its own % and _ matched literally on both back ends (no ESCAPE needed: the
    patterns here never contain them after this)."""
    return text.replace("%", "").replace("_", "")


def _check(article: Article, analysis: Analysis | None) -> None:
    """Refuse what one back end would store and the other not, before anything is written."""
    if analysis is not None and analysis.text and analysis.text != article.text:
        raise ArticleRefused(f"the analysis of article {article.id} was made on another text: its spans would be "
                             "wrong")
    for name in rows.ARTICLE_FIELDS:
        value = getattr(article, name)
        if isinstance(value, str) and valid_text(value) != value:
            raise ArticleRefused(f"article {article.id} has a NUL character or a lone surrogate in its {name}, "
                                 "which no database can store: pass it through according.ingest.valid_text")
