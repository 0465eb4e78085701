"""The Store: articles with their attributions and entities, on SQLite or PostgreSQL behind one interface."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from according.errors import AmbiguousId, ArticleRefused, ReadOnlyStore, StoreError, StoreWriteError
from according.ingest.records import valid_text
from according.model import Analysis, Article
from according.store import rows
from according.store.dialect import Dialect
from according.store.schema import check_schema, migrate
from according.store.search import Query, SearchHit, to_hit
from according.store.terms import index_terms, parse_query, words

# Ids per statement in batch lookups: far under SQLite's and PostgreSQL's limits on parameters.
BATCH = 500
ARTICLE_COLUMNS = ", ".join(rows.ARTICLE_FIELDS)


class Store:
    """One connection to one database: use it from one thread, and open one per process.

    Every `add` is one transaction, so a process killed at any moment leaves whole articles or none. SQLite allows
    one writer at a time (others wait up to `dialect.BUSY_SECONDS`); feed it from one writer, e.g. the parent of a
    pool of extractors. PostgreSQL takes writers in parallel.
    """

    def __init__(self, dialect: Dialect, read_only: bool = False):
        self.dialect, self.read_only = dialect, read_only
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
            raise StoreError(f"cannot read {self.dialect!r}: {exc}") from exc

    def add(self, article: Article, analysis: Analysis | None = None, *, duplicate_of: str | None = None,
            signature: bytes | None = None) -> bool:
        """Store an article and what was read in it; False (and nothing changed) when its id is already stored.

        Raises `ArticleRefused` when this article cannot be stored (the next may be), and `StoreWriteError` when
        nothing can be (disk full, read-only: `ReadOnlyStore`).
        """
        if self.read_only:
            raise ReadOnlyStore(f"{self.dialect!r} was opened read-only (for search and show): open it without "
                                "read_only to add articles")
        _check(article, analysis)
        # Everything is computed before the transaction: SQLite's one writer holds the lock only to write.
        row = rows.article_row(article, duplicate_of=duplicate_of, signature=signature)
        terms = rows.article_terms(article)
        attributions = [rows.attribution_row(article.id, n, a, article.text)
                        for n, a in enumerate(analysis.attributions if analysis else [])]
        attribution_terms = [index_terms(a["content_text"]) for a in attributions]
        entities = [rows.entity_row(article.id, n, e) for n, e in enumerate(analysis.entities if analysis else [])]
        try:
            with self.dialect.transaction(self._conn) as cur:
                if not self.dialect.insert(cur, "articles", row, terms, skip_existing=True):
                    return False
                for a, a_terms in zip(attributions, attribution_terms):
                    self.dialect.insert(cur, "attributions", a, a_terms)
                for e in entities:
                    self.dialect.insert(cur, "entities", e)
        except self.dialect.refusals as exc:
            raise ArticleRefused(f"cannot store article {article.id}: {exc}") from exc
        except self.dialect.errors as exc:
            raise self._write_error(exc) from exc
        return True

    def _write_error(self, exc: Exception) -> StoreWriteError:
        where = repr(self.dialect)
        if self.dialect.read_only_error(exc):
            return ReadOnlyStore(f"cannot write to {where}: {exc}; its file or folder is read-only. `according "
                                 "search` and `show` can still read it; to add to it, copy it somewhere writable")
        return StoreWriteError(f"cannot write to {where}: {exc}. Nothing more can be stored, so the run stops "
                               "here; what was stored stays stored. Mend the cause (free disk space, say) and run "
                               "the same command again to go on")

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
        analysis = Analysis(text=article.text, id=article.id, meta=article.meta(),
                            attributions=[rows.to_attribution(r) for r in attributions],
                            entities=[rows.to_entity(r) for r in entities])
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
        """(id, signature) for every article stored with one: enough to rebuild a near-duplicate index on resume."""
        return ((i, bytes(sig)) for i, sig in self._pages("id, signature", "signature IS NOT NULL"))

    def search(self, query: str | None = None, *, outlet: str | None = None, since: str | date | None = None,
               until: str | date | None = None, source: str | None = None, stance: str | None = None,
               limit: int | None = 20) -> list[SearchHit]:
        """Articles and attributions whose words match `query`, newest first (see `according.store.search`).

        `since` and `until` include the whole day, month or year they name; `source` matches whole words of the
        source as written or of its entity ("peskov" finds "Kremlin spokesman Dmitry Peskov").
        """
        if limit is not None and limit < 0:
            raise StoreError(f"a search limit cannot be negative ({limit})")
        terms = None if query is None else parse_query(query)
        if terms == [] or (source is not None and not words(source)):
            return []  # words were asked for and none were given: nothing can match
        sql, params = Query(self.dialect, terms, outlet, since, until, source, stance).sql(limit)
        found = self._read(sql, params)
        if not found:
            return []
        article_ids = list(dict.fromkeys(r[0] for r in found))
        marks = ", ".join("?" * len(article_ids))
        articles = {r[0]: r for r in self._read(
            f"SELECT id, title, outlet, published, text FROM articles WHERE id IN ({marks})", article_ids)}
        attributions = {(r[0], r[1]): r[1:] for r in self._read(
            "SELECT article_id, id, content_text, source_text, source_entity, stance FROM attributions"
            f" WHERE article_id IN ({marks})", article_ids)}
        return [to_hit(articles[a], attributions[(a, t)] if t is not None else None, terms) for a, t in found]

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
