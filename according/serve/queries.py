"""What the API and the pages ask of the store, each answered by the library function the CLI calls, so that the
two never disagree: an endpoint and its page call the same function here and only format differently.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from according.link import corpus

FACETS = ("outlet", "month", "stance", "status")


class NotFound(LookupError):
    """Nothing in the store has this id or name; `hint` says where to find what there is."""

    def __init__(self, what: str, hint: str):
        super().__init__(f"{what}: {hint}")
        self.what, self.hint = what, hint


@dataclass
class SearchResult:
    hits: list
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    total_exact: bool = True  # False: there are more than `total` hits


def search(store, query: str | None, *, limit: int, offset: int, facets: bool = True, **filters) -> SearchResult:
    """One page of `store.search` hits and how many there are in all. With `facets`, also counts by facet over
    all of them (values that hits lack, such as the stance of an article hit, are left out of a facet's counts),
    and the total exactly; without, the total as `store.total` counts it (exactly up to a bound)."""
    query = query or None
    hits = store.search(query, limit=limit, offset=offset, **filters)
    if not facets:
        total, exact = store.total(query, seen=offset + len(hits), **filters)
        return SearchResult(hits, total, {}, exact)
    counts = store.tallies(FACETS, query, **filters)
    total = sum(n for _, n in counts["month"])  # every hit falls in one month (the undated in None)
    return SearchResult(hits, total, {name: [(v, n) for v, n in found if v is not None]
                                      for name, found in counts.items()})


def article(store, id_or_prefix: str) -> dict:
    """A stored article's reading as `according show --json` prints it, with `duplicate_of` and `original`."""
    found = store.get(id_or_prefix)
    if found is None:
        raise NotFound(f"no article has an id starting with {id_or_prefix!r}",
                       "search for it (GET /api/search?q=WORDS) and use the article_id of a hit")
    stored, analysis = found
    data = analysis.to_dict(with_text=True)
    data["duplicate_of"] = store.original_of(stored.id)
    if data["duplicate_of"]:
        original = store.get(data["duplicate_of"])
        data["original"] = original[1].to_dict(with_text=True) if original else None
    return data


def statements(store, article_id: str) -> dict[str, dict]:
    """Each statement of an article by attribution id, with its claim and corpus claim (`statement_records`)."""
    return {r["id"]: r for r in store.statement_records([(article_id, None)])}


def claims(store, *, limit: int, offset: int, **filters) -> tuple[list[dict], int]:
    """One page of corpus claims (`according claims`) and how many match in all."""
    found = store.corpus_claims(limit=limit, offset=offset, **filters)
    return [{k: v for k, v in c.items() if k != "first_seen_ts"} for c in found], store.count_corpus_claims(**filters)


def claim(store, id_or_prefix: str) -> dict:
    """A claim's timeline, as `according claim ID --json` prints it."""
    cid = store.resolve_claim(id_or_prefix)
    found = corpus.timeline(store, cid) if cid else None
    if found is None:
        raise NotFound(f"no claim has an id starting with {id_or_prefix!r}",
                       "list the claims (GET /api/claims) and use the id of one")
    return found


def source(store, name: str) -> list[dict]:
    """Everything `name` stated, oldest first, as `according who NAME --json` prints it."""
    found = corpus.who(store, name)
    if not found:
        raise NotFound(f"no statement in the store is by {name!r}",
                       "give a name as sources are written (a surname, an organisation), or search for it")
    return found
