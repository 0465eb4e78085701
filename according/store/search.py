"""Full-text search with filters, answered the same way by both back ends.

A hit is the most specific thing that matched: an attribution when its content matched the words (and its source
and stance the filters), otherwise the article when its title or text did. Filtering by source or stance asks about
attributions, so then only attributions are hits. Syndicated near-copies are left out: their originals answer.

Hits come newest first (then by article id and the attribution's order in the article): an order both engines
compute identically, where relevance scores (bm25, ts_rank) would differ between them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from according.model import Span
from according.store.rows import instant, outlet_key
from according.store.terms import Term, snippet, words


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    attribution_id: str | None  # None when the article's text matched but none of its attributions did
    source: str | None  # who the attribution says is speaking, as written (or the resolved entity)
    stance: str | None
    snippet: str
    highlights: list[Span] = field(default_factory=list)  # the matched words, as spans of `snippet`

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Query:
    """The SQL of one search, built from shared pieces and the dialect's full-text match."""

    dialect: object
    terms: list[Term] | None
    outlet: str | None = None
    since: str | date | None = None
    until: str | date | None = None
    source: str | None = None
    stance: str | None = None

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
        if self.terms:
            where.append(self.dialect.match("t", "attributions"))
            params.append(self.dialect.query(self.terms))
        for word in words(self.source or ""):
            where.append("t.source_key LIKE ?")
            params.append(f"% {word} %")
        if self.stance is not None:
            where.append("t.stance = ?")
            params.append(self.stance)
        return where, params

    def sql(self, limit: int | None) -> tuple[str, list]:
        by_attribution = bool(self.terms) or self.source is not None or self.stance is not None
        by_article = self.source is None and self.stance is None
        ctes, branches, params = [], [], []
        if by_attribution:
            where, params = self._attributions()
            ctes.append("matched AS (SELECT t.article_id, t.id AS attribution_id, t.ordinal, a.published_ts"
                        " FROM attributions t JOIN articles a ON a.id = t.article_id"
                        f" WHERE {' AND '.join(where)})")
            branches.append("SELECT article_id, attribution_id, ordinal, published_ts FROM matched")
        if by_article:
            where, more = self._articles()
            if self.terms:
                where.append(self.dialect.match("a", "articles"))
                more.append(self.dialect.query(self.terms))
            if by_attribution:
                where.append("a.id NOT IN (SELECT article_id FROM matched)")
            branches.append(f"SELECT a.id, NULL, -1, a.published_ts FROM articles a WHERE {' AND '.join(where)}")
            params += more
        ctes.append(f"hits (article_id, attribution_id, ordinal, published_ts) AS ({' UNION ALL '.join(branches)})")
        sql = (f"WITH {', '.join(ctes)} SELECT article_id, attribution_id FROM hits"
               " ORDER BY published_ts DESC NULLS LAST, article_id, ordinal")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params


def to_hit(article: tuple, attribution: tuple | None, terms: list[Term] | None) -> SearchHit:
    article_id, title, outlet, published, text = article
    if attribution is None:
        shown, highlights = snippet(text, terms or [])
        return SearchHit(article_id, title, outlet, published, None, None, None, shown, highlights)
    attribution_id, content, source_text, source_entity, stance = attribution
    shown, highlights = snippet(content, terms or [])
    return SearchHit(article_id, title, outlet, published, attribution_id, source_entity or source_text or None,
                     stance, shown, highlights)
