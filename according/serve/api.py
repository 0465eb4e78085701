"""The API under `/api/`: JSON in the shapes the CLI prints with `--json`, paged where lists grow."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Query, Request, Response

from according.corpus.analyze import iso_date
from according.errors import InputError
from according.serve import models, queries
from according.serve.app import check_token

router = APIRouter(prefix="/api", tags=["api"])
NOT_FOUND = {404: {"model": models.Problem, "description": "Nothing has this id or name; `detail` says where to look."}}
REFUSED = {400: {"model": models.Problem, "description": "The input cannot be used; `detail` says how to mend it."}}
WRITE = {401: {"model": models.Problem, "description": "The server has a token and the request did not send it."},
         413: {"model": models.Problem, "description": "The request body is too large."}}
Limit = Annotated[int, Query(ge=1, le=models.MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, description="Items to skip: the page starts after them.")]
When = Annotated[Optional[str], Query(description="A date, month or year: 2025-03-04, 2025-03, 2025 (inclusive).")]


def _store(request: Request):
    return request.app.state.stores.get()


@router.get("/search", response_model=models.SearchPage, responses=REFUSED)
def search(request: Request, q: Optional[str] = Query(None, description="Words to find."),
           outlet: Optional[str] = None, since: When = None, until: When = None,
           source: Optional[str] = Query(None, description="Only statements by this source ('peskov')."),
           stance: Optional[models.Literal["assert", "deny", "uncertain"]] = None,
           status: Optional[models.Status] = Query(None, description="Only hits on claims with this status."),
           facets: bool = Query(False, description="Also count all the hits by outlet, month, stance and claim "
                                                   "status (and the total exactly); it costs a pass over every hit."),
           limit: Limit = 20, offset: Offset = 0):
    """Statements and articles whose words match, with the total; counts by outlet, month, stance and status when
    asked for (`facets=true`)."""
    found = queries.search(_store(request), q, limit=limit, offset=offset, facets=facets, status=status,
                           outlet=outlet, since=since, until=until, source=source, stance=stance)
    return {"total": found.total, "total_exact": found.total_exact, "limit": limit, "offset": offset,
            "hits": [h.to_dict() for h in found.hits],
            "facets": {k: [{"value": v, "count": n} for v, n in counts] for k, counts in found.facets.items()}}


@router.get("/articles/{article_id}", response_model=models.StoredArticleOut, response_model_exclude_unset=True,
            responses={**NOT_FOUND, **REFUSED})
def article(request: Request, article_id: str):
    """One stored article's text and reading (as `according show ID --json`); the id may be shortened."""
    return queries.article(_store(request), article_id)


@router.get("/claims", response_model=models.ClaimPage, responses=REFUSED)
def claims(request: Request, status: Optional[models.Status] = None,
           entity: Optional[str] = Query(None, description="A word of the name of a party that took a position."),
           outlet: Optional[str] = Query(None, description="An outlet that carried the claim."),
           since: When = None, until: When = None, limit: Limit = 50, offset: Offset = 0):
    """Claims across the store, earliest first seen first (as `according claims --json`)."""
    found, total = queries.claims(_store(request), status=status, party=entity, outlet=outlet, since=since,
                                  until=until, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "claims": found}


@router.get("/claims/{claim_id}", response_model=models.Timeline, response_model_exclude_unset=True,
            responses={**NOT_FOUND, **REFUSED})
def claim(request: Request, claim_id: str):
    """One claim's timeline, in date order, with its status after each step (as `according claim ID --json`)."""
    return queries.claim(_store(request), claim_id)


@router.get("/sources/{name}", response_model=models.SourcePage, response_model_exclude_unset=True,
            responses=NOT_FOUND)
def source(request: Request, name: str, limit: Limit = 100, offset: Offset = 0):
    """Everything a source stated, oldest first, with the claim each statement takes a position on (as
    `according who NAME --json`)."""
    found = queries.source(_store(request), name)
    return {"name": name, "total": len(found), "limit": limit, "offset": offset,
            "statements": found[offset:offset + limit]}


MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "claims": "application/x-ndjson",
               "jsonld": "application/ld+json", "prov": "application/json", "graphml": "application/xml"}


@router.get("/export/{fmt}", response_class=Response, responses={
    200: {"description": "The export, as `according export FORMAT` writes it.",
          "content": {t: {} for t in sorted(set(MEDIA_TYPES.values()))}}, **REFUSED})
def export(request: Request, fmt: models.Literal["csv", "jsonl", "claims", "jsonld", "prov", "graphml"],
           q: Optional[str] = Query(None, description="Words selecting statements, as search takes them."),
           outlet: Optional[str] = None, since: When = None, until: When = None, source: Optional[str] = None,
           stance: Optional[models.Literal["assert", "deny", "uncertain"]] = None,
           limit: Annotated[int, Query(ge=1, le=models.MAX_PAGE, description="Hits per page (claims, for `claims` "
                                                                            "and `jsonld`).")] = 20,
           offset: Offset = 0):
    """Statements (csv, jsonl), claims (claims, jsonld), source chains (prov) or the who-says-what graph (graphml)
    of what the words and filters select, or of everything (as `according export FORMAT`), a page at a time: the
    next page is at `offset` + `limit`, and an empty export is past the last."""
    from io import StringIO

    from according.export import writers

    out = StringIO()
    writers.export(_store(request), fmt, out, q, outlet=outlet, since=since, until=until, source=source,
                   stance=stance, limit=limit, offset=offset)
    extension = {"claims": "jsonl", "jsonld": "jsonld", "prov": "json"}.get(fmt, fmt)
    return Response(out.getvalue(), media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="according-{fmt}.{extension}"'})


@router.post("/analyze", response_model=models.AnalysisOut, responses={**REFUSED, 413: WRITE[413]})
def analyze(request: Request, body: models.AnalyzeRequest):
    """Read a text without storing it (as `according analyze --json`): its statements, entities and claims."""
    from according.corpus import analyze_article
    from according.ingest import Failure, article_from_text

    published = iso_date(body.published)
    article = article_from_text(body.text, origin="<api>")
    if isinstance(article, Failure):
        raise InputError(article.reason)
    analysis = analyze_article(article, model=request.app.state.model, title=body.title, outlet=body.outlet,
                               published=published)
    return analysis.to_dict(with_text=True)


@router.post("/ingest", response_model=models.IngestResult, dependencies=[Depends(check_token)],
             responses={**REFUSED, **WRITE})
def ingest(request: Request, body: models.IngestRequest):
    """Store a text, or fetch a page or feed and store its articles (public addresses only, as the CLI without
    `--allow-private`); then the claims across the store are regrouped."""
    from according.corpus import ingest as ingest_sources
    from according.corpus import ingest_articles
    from according.ingest import article_from_text

    state = request.app.state
    with state.stores.write() as store:
        if body.text is not None:
            given = {k: v for k, v in (("title", body.title), ("outlet", body.outlet),
                                       ("published", iso_date(body.published))) if v is not None}
            article = article_from_text(body.text, origin="<api>", **given)
            summary = ingest_articles([article], store, model=state.model)
            article_id = getattr(article, "id", None)
        else:
            summary = ingest_sources([body.url], store, engine="local", allow_private=state.allow_private,
                                     model=state.model)
            article_id = None
    if summary.failed and not (summary.stored or summary.duplicates or summary.skipped):
        raise InputError("; ".join(f"{f.origin}: {f.reason}" for f in summary.failures[:5]))
    return {**summary.to_dict(), "article_id": article_id}


@router.post("/claims/merge", response_model=models.Regrouped, dependencies=[Depends(check_token)],
             responses={**NOT_FOUND, **REFUSED, **WRITE})
def merge(request: Request, body: models.MergeRequest):
    """Make claims one (as `according claim merge`); it stays through every later regrouping."""
    from according.link import corpus

    state = request.app.state
    with state.stores.write() as store:
        ids = [_claim_id(store, given) for given in body.ids]
        first = [corpus.key(r) for r in store.claim_rows(corpus_claim=ids[0])]
        corpus.merge(store, ids)
        counts = corpus.relink(store)
        holding = corpus.claims_of(store, first[:1])
    return {"claims": holding, "corpus_claims": counts["corpus_claims"]}


@router.post("/claims/{claim_id}/split", response_model=models.Regrouped, dependencies=[Depends(check_token)],
             responses={**NOT_FOUND, **REFUSED, **WRITE})
def split(request: Request, claim_id: str, body: models.SplitRequest):
    """Take article claims out of a claim into one of their own (as `according claim split`)."""
    from according.link import corpus

    state = request.app.state
    with state.stores.write() as store:
        keys = corpus.split(store, _claim_id(store, claim_id), body.keys)
        counts = corpus.relink(store)
        holding = corpus.claims_of(store, keys)
    return {"claims": holding, "corpus_claims": counts["corpus_claims"]}


def _claim_id(store, given: str) -> str:
    found = store.resolve_claim(given)
    if found is None:
        raise queries.NotFound(f"no claim has an id starting with {given!r}",
                               "list the claims (GET /api/claims) and use the id of one")
    return found
