"""Full-text search with filters, answered the same way by both back ends.

A hit is the most specific thing that matched: an attribution when its content matched the query (and its source
and stance the filters), otherwise the article when its title or text did. Filtering by source or stance asks about
attributions, so then only attributions are hits. Syndicated near-copies are left out: their originals answer.
Each hit matches the whole query in its own text: `kremlin -peskov` finds a statement about the Kremlin that does
not name Peskov, even when the article around it does.

Order: by relevance (the default) or newest first. Relevance here is where the query matched: statements whose
content matched, then articles whose title matched, then articles matched in their text; within each, newest
first. It is not a term-frequency score: bm25 (FTS5) and ts_rank (PostgreSQL) score differently, and a score of
our own would have to read every matching text; this order both engines compute identically from the index.
Ties go by article id (byte order) and the attribution's place in its article, so pages never overlap.

Where hits are many (a common word, a common source), a page is found by walking the articles newest first and
stopping once it is full (`Query.walk`), rather than by finding and sorting every hit; the store decides from the
index's own count (SQLite) or the planner's estimate (PostgreSQL). A search's total is counted up to a bound
(`COUNT_UP_TO`: "more than 1,000 hits"), as search engines count; `count` without a bound and the facets
(`tally`) count every hit.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from according.errors import StoreError
from according.model import Span
from according.store.query import Node, highlighter
from according.store.rows import instant, outlet_key
from according.store.terms import Highlighter, words

SORTS = ("relevance", "newest")
# A search's page counts its total up to this many hits (beyond: "more than"), as search engines do: counting
# every hit of a common word costs more than finding a page of them (`Store.count(at_most=...)`).
COUNT_UP_TO = 1000
FACETS = ("month", "outlet", "source", "stance", "status")
# A hit's statuses: those of the corpus claims its statement (an article hit: any statement of its article) takes a
# position on.
# (Every stored claim has a position: an article hit's statuses are those of its article's claims.)
CLAIMS_OF_HIT = ("claims c JOIN corpus_claims k ON k.id = c.corpus_claim WHERE c.article_id = h.article_id"
                 " AND (h.attribution_id IS NULL OR EXISTS (SELECT 1 FROM claim_positions p"
                 " WHERE p.article_id = c.article_id AND p.attribution_id = h.attribution_id AND p.claim_id = c.id))")
# SQLite and PostgreSQL take LIMIT and OFFSET as signed 64-bit integers.
MAX_ROWS = 2 ** 63 - 1


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    attribution_id: str | None  # None when the article's text matched but none of its attributions did
    source: str | None  # who the attribution says is speaking: the resolved entity, else the source as written
    stance: str | None
    snippet: str
    highlights: list[Span] = field(default_factory=list)  # the matched words, as spans of `snippet`
    url: str | None = None
    source_text: str | None = None  # the source as written in the article ("Kremlin spokesman Dmitry Peskov")
    source_entity: str | None = None  # who it resolved to ("Dmitry Peskov")
    cue: str | None = None  # the reporting words ("called", "according to")
    content: str | None = None  # what the source said, in full; None for an article hit
    kind: str | None = None  # direct, indirect or mixed

    def to_dict(self) -> dict:
        # the fields one level deep: `asdict` deep-copies every span, the larger part of serving a page of hits
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"highlights": list(self.highlights)}


@dataclass
class Query:
    """The SQL of one search, built from shared pieces and the dialect's full-text match."""

    dialect: object
    node: Node | None
    outlet: str | None = None
    since: str | date | None = None
    until: str | date | None = None
    source: str | None = None
    stance: str | None = None
    status: str | None = None

    def _articles(self) -> tuple[list[str], list]:
        where, params = ["a.duplicate_of IS NULL"], []
        if self.outlet is not None:
            where.append("a.outlet_key = ?")
            params.append(outlet_key(self.outlet))
        if self.since is not None:
            where.append("a.published_ts >= ?")
            params.append(instant(self.since))
        if self.until is not None:
            where.append("a.published_ts < ?")
            params.append(instant(self.until, end=True))
        return where, params

    def _attributions(self) -> tuple[list[str], list]:
        where, params = self._articles()
        if self.node is not None:
            where.append(self.dialect.match("t", "attributions"))
            params.append(self.dialect.compile(self.node))
        if self.source is not None:
            by, more = by_source(words(self.source))
            where.append(by)
            params += more
        if self.stance is not None:
            where.append("t.stance = ?")
            params.append(self.stance)
        return where, params

    def _hits(self, ranked: bool, streamed: bool = False, first_tier: bool = False) -> tuple[str, list]:
        """`WITH ... hits (article_id, attribution_id, ordinal, published_ts, rank)`: every hit, unordered.

        Materialized: every hit is found, then sorted or counted. `streamed` hits come one by one, for a reader
        that stops early (`count` up to a bound): the statements that match are then found where they are used
        rather than once for both uses, so that the articles' part only runs if the statements did not suffice.
        `first_tier`: the statements alone."""
        by_attribution = self.node is not None or self.statements_only
        by_article = not self.statements_only and not first_tier
        ctes, branches, params, matched, matched_params = [], [], [], "matched", []
        if by_attribution:
            where, matched_params = self._attributions()
            # CROSS JOIN keeps SQLite's planner (which has no statistics) from starting at the articles and
            # reading every statement: the statements' index (words, source) finds the few; PostgreSQL plans freely.
            found = ("SELECT t.article_id, t.id AS attribution_id, t.ordinal, a.published_ts"
                     f" FROM attributions t CROSS JOIN articles a WHERE a.id = t.article_id AND {' AND '.join(where)}")
            if streamed:
                matched = f"({found}) m"
                params = list(matched_params)
            else:
                ctes.append(f"matched AS ({found})")
                params = matched_params
            branches.append(f"SELECT article_id, attribution_id, ordinal, published_ts, 0 FROM {matched}")
        if by_article:
            where, more = self._articles()
            rank = "2"
            if self.node is not None:
                where.append(self.dialect.match("a", "articles"))
                more.append(self.dialect.compile(self.node))
                if ranked:
                    rank = f"CASE WHEN {self.dialect.match('a', 'articles')} THEN 1 ELSE 2 END"
                    more.insert(0, self.dialect.compile(self.node, title_only=True))
            if by_attribution:
                where.append(f"a.id NOT IN (SELECT article_id FROM {matched})")
                more += matched_params if streamed else []
            branches.append(f"SELECT a.id, NULL, -1, a.published_ts, {rank} FROM articles a"
                            f" WHERE {' AND '.join(where)}")
            params += more
        # Left to itself, PostgreSQL may walk the index on dates through hits that filters make sparse, where
        # finding them all and sorting is quicker (`walk` walks where the hits are many).
        ctes.append(f"hits (article_id, attribution_id, ordinal, published_ts, rank) AS"
                    f"{'' if streamed else ' MATERIALIZED'} ({' UNION ALL '.join(branches)})")
        return f"WITH {', '.join(ctes)}", params

    @property
    def statements_only(self) -> bool:
        """Filtering by source or stance asks about statements: then only statements are hits."""
        return self.source is not None or self.stance is not None

    def walk(self, sort: str, limit: int, offset: int) -> tuple[str, list] | None:
        """The page's hits found by walking the articles newest first and stopping after `offset` + `limit`, instead
        of finding and sorting every hit: far quicker when hits are many (the caller decides). For words or a
        source, with or without a stance (None otherwise). By relevance, words walk the statements only (the
        first tier: the caller falls back to `page` when they are too few); newest first, statements and articles
        alike."""
        if self.node is None and self.source is None or any(
                v is not None for v in (self.outlet, self.since, self.until, self.status)):
            return None
        articles = f"articles a{self.dialect.newest_first}"
        where, params = ["t.article_id = a.id", "a.duplicate_of IS NULL"], []
        if self.node is not None:
            where.append(self.dialect.match("t", "attributions"))
            params.append(self.dialect.compile(self.node))
        if self.source is not None:
            has, wanted = by_source(words(self.source), each=True)
            where.append(has)
            params += wanted
        if self.stance is not None:
            where.append("t.stance = ?")
            params.append(self.stance)
        order = "ORDER BY a.published_ts DESC NULLS LAST, a.id, t.ordinal LIMIT ? OFFSET ?"
        if sort == "relevance" or self.statements_only:
            return (f"SELECT a.id, t.id FROM {articles} CROSS JOIN attributions t WHERE {' AND '.join(where)}"
                    f" {order}", [*params, limit, offset])
        return (f"SELECT a.id, t.id FROM {articles} LEFT JOIN attributions t ON {' AND '.join(where[:1] + where[2:])}"
                f" WHERE a.duplicate_of IS NULL AND (t.id IS NOT NULL OR {self.dialect.match('a', 'articles')})"
                f" {order}", [*params, self.dialect.compile(self.node), limit, offset])

    def _kept(self) -> tuple[str, list]:
        """The condition on a hit `h` that the status filter asks for (a claim of that status), if any."""
        if self.status is None:
            return "", []
        return f" WHERE EXISTS (SELECT 1 FROM {CLAIMS_OF_HIT} AND k.status = ?)", [self.status]

    def page(self, sort: str, limit: int | None, offset: int, first_tier: bool = False) -> tuple[str, list]:
        """(article_id, attribution_id) of the hits in order, `limit` of them (None: all) from `offset` on; of the
        statements alone with `first_tier` (relevance lists them first)."""
        ranked = sort == "relevance"
        head, params = self._hits(ranked, first_tier=first_tier)
        kept, more = self._kept()
        params += more
        order = ("rank, " if ranked else "") + "published_ts DESC NULLS LAST, article_id, ordinal"
        return self._paged(f"{head} SELECT article_id, attribution_id FROM hits h{kept} ORDER BY {order}", params,
                           limit, offset)

    def claims(self, limit: int | None, offset: int) -> tuple[str, list]:
        """The ids of the corpus claims that the hits take positions on (an article hit: those of its article's
        claims), earliest seen first, `limit` of them (None: all) from `offset` on."""
        head, params = self._hits(ranked=False)
        kept, more = self._kept()
        sql = (f"{head}, kept AS (SELECT * FROM hits h{kept})"
               f" SELECT k.id FROM kept h, {CLAIMS_OF_HIT} GROUP BY k.id, k.first_seen_ts"
               f" ORDER BY k.first_seen_ts IS NULL, k.first_seen_ts, k.id")
        return self._paged(sql, params + more, limit, offset)

    def _paged(self, sql: str, params: list, limit: int | None, offset: int) -> tuple[str, list]:
        """`sql` with its LIMIT (None: none) and OFFSET."""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        if offset:
            sql += " LIMIT -1" if limit is None and self.dialect.name == "sqlite" else ""
            sql += " OFFSET ?"
            params.append(offset)
        return sql, params

    def count(self, at_most: int | None = None) -> tuple[str, list]:
        head, params = self._hits(ranked=False, streamed=at_most is not None)
        kept, more = self._kept()
        if at_most is None:
            return f"{head} SELECT COUNT(*) FROM hits h{kept}", params + more
        return f"{head} SELECT COUNT(*) FROM (SELECT 1 FROM hits h{kept} LIMIT ?) counted", params + more + [at_most]

    def tally(self, bys: tuple[str, ...]) -> tuple[str, list]:
        """(facet, key, outlet as written, count) per value of each facet of `bys`, over every hit, in one query
        (the hits are found once); the caller merges and orders them (in Python, so that both back ends order
        text alike). A hit counts once under each status it has, and not at all without one."""
        keys = {"month": self.dialect.month("h.published_ts"), "outlet": "a.outlet_key",
                "source": "COALESCE(NULLIF(t.source_entity, ''), NULLIF(t.source_text, ''))", "stance": "t.stance"}
        for by in bys:
            if by not in FACETS:
                raise StoreError(f"cannot count by {by!r}: choose one of {', '.join(FACETS)}")
        head, params = self._hits(ranked=False)
        kept, more = self._kept()
        params += more
        keyed = ", ".join(f"{keys[by]} AS {by}" for by in bys if by in keys)
        counts = []
        for by in bys:
            if by == "status":
                counts.append("SELECT 'status', status, NULL, COUNT(*) FROM (SELECT DISTINCT h.article_id,"
                              f" h.attribution_id, k.status FROM keyed h, {CLAIMS_OF_HIT}) statuses"
                              " GROUP BY status")
            elif by == "outlet":
                counts.append("SELECT 'outlet', outlet, written, COUNT(*) FROM keyed GROUP BY outlet, written")
            else:
                counts.append(f"SELECT '{by}', {by}, NULL, COUNT(*) FROM keyed GROUP BY {by}")
        return (f"{head}, keyed AS (SELECT h.article_id, h.attribution_id, a.outlet AS written"
                f"{', ' if keyed else ''}{keyed} FROM hits h JOIN articles a ON a.id = h.article_id"
                f" LEFT JOIN attributions t ON t.article_id = h.article_id AND t.id = h.attribution_id{kept})"
                f" {' UNION ALL '.join(counts)}"), params


def by_source(wanted: list[str], each: bool = False) -> tuple[str, list]:
    """The condition on a statement `t` that its source has every word of `wanted`, looked up in source_words:
    the statements with the longest word (the rarer words are the longer) that have the others too. `each`
    checks one statement at a time, for a walk that stops early, instead of listing them all first."""
    first, *others = sorted(set(wanted), key=lambda w: (-len(w), w))
    if each:
        return " AND ".join("EXISTS (SELECT 1 FROM source_words s WHERE s.word = ? AND s.article_id = t.article_id"
                            " AND s.attribution_id = t.id)" for _ in (first, *others)), [first, *others]
    also = "".join(" AND EXISTS (SELECT 1 FROM source_words o WHERE o.word = ? AND o.article_id = s.article_id"
                   " AND o.attribution_id = s.attribution_id)" for _ in others)
    return ("(t.article_id, t.id) IN (SELECT s.article_id, s.attribution_id FROM source_words s"
            f" WHERE s.word = ?{also})"), [first, *others]


def merge_tally(rows: list[tuple], by: str) -> list[tuple[str | None, int]]:
    """(value, count) per facet value: months in date order (undated last), anything else most frequent first.

    Outlets are counted by their folded name (as the --outlet filter matches them) and shown as most often written.
    """
    counts: dict = {}
    shown: dict = {}
    for _, key, written, n in rows:
        counts[key] = counts.get(key, 0) + n
        if by == "outlet" and written is not None:
            forms = shown.setdefault(key, {})
            forms[written] = forms.get(written, 0) + n
    name = {k: min(forms, key=lambda w: (-forms[w], w)) for k, forms in shown.items()}
    merged = [(name.get(k, k), n) for k, n in counts.items()]
    if by == "month":
        return sorted(merged, key=lambda kv: (kv[0] is None, kv[0] or ""))
    return sorted(merged, key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))


def marker(node: Node | None) -> Highlighter:
    """Marks the query's words in the hits of one search (without a query, nothing is marked)."""
    return highlighter(node) if node is not None else Highlighter(set(), set(), ())


def to_hit(article: tuple, attribution: tuple | None, marks: Highlighter) -> SearchHit:
    article_id, title, outlet, published, url, text = article
    if attribution is None:
        shown, highlights = marks.snippet(text)
        return SearchHit(article_id, title, outlet, published, None, None, None, shown, highlights, url=url)
    attribution_id, content, source_text, source_entity, stance, cue, kind = attribution
    shown, highlights = marks.snippet(content)
    return SearchHit(article_id, title, outlet, published, attribution_id, source_entity or source_text or None,
                     stance, shown, highlights, url=url, source_text=source_text or None,
                     source_entity=source_entity or None, cue=cue, content=content, kind=kind)

