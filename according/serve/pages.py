"""The pages: HTML rendered on the server from the same queries as the API (`according.serve.queries`)."""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from according.model import Attribution
from according.serve import queries
from according.serve.marks import marked_text
from according.serve.svg import chain_graph, stance_chart

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20
STATUSES = ("unverified", "asserted", "denied", "contested", "confirmed", "retracted")
STANCES = ("assert", "deny", "uncertain")


def _render(request: Request, template: str, **context):
    return request.app.state.templates.TemplateResponse(request, template, context)


@router.get("/")
def search_page(request: Request, q: Optional[str] = None, outlet: Optional[str] = None,
                since: Optional[str] = None, until: Optional[str] = None, source: Optional[str] = None,
                stance: Optional[str] = Query(None, pattern="^(assert|deny|uncertain)?$"),
                status: Optional[str] = Query(None, pattern=f"^({'|'.join(STATUSES)})?$"),
                offset: int = Query(0, ge=0), limit: int = Query(PAGE, ge=1, le=100)):
    """Search with facets: every facet value links to the same search narrowed by it."""
    chosen = {k: v for k, v in {"q": q, "outlet": outlet, "since": since, "until": until, "source": source,
                                "stance": stance, "status": status, "limit": limit if limit != PAGE else None}.items()
              if v}
    store = request.app.state.stores.get()
    found = queries.search(store, chosen.get("q"), limit=limit, offset=offset, status=chosen.get("status"),
                           **{k: chosen.get(k) for k in ("outlet", "since", "until", "source", "stance")})

    def link(**changes) -> str:
        params = {**chosen, **changes}
        return "/?" + urlencode({k: v for k, v in params.items() if v not in (None, "", 0)})

    facets = []
    for name, counts in found.facets.items():
        items = []
        for value, count in counts:
            if name == "month":  # a month narrows the dates
                selected = chosen.get("since") == value and chosen.get("until") == value
                href = link(since=None if selected else value, until=None if selected else value, offset=None)
            else:
                selected = chosen.get(name) == value
                href = link(**{name: None if selected else value, "offset": None})
            items.append({"value": value, "count": count, "href": href, "selected": selected})
        facets.append((name, items))
    pages = {"previous": link(offset=max(0, offset - limit) or None) if offset > 0 else None,
             "next": link(offset=offset + limit) if offset + limit < found.total else None}
    return _render(request, "search.html", chosen=chosen, found=found, facets=facets, pages=pages, offset=offset,
                   statuses=STATUSES, stances=STANCES)


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str):
    """The text with every statement marked, and beside it each statement's stance, chain and claim."""
    store = request.app.state.stores.get()
    data = queries.article(store, article_id)
    reading = data.get("original") or data
    attributions = [Attribution.from_dict(a) for a in reading["attributions"]]
    records = queries.statements(store, reading["id"])
    by_id = {a.id: a for a in attributions}
    claim_of = {p["attribution"]: c for c in reading["claims"] for p in c["positions"]}
    children: dict[str, list[str]] = {}
    for a in attributions:
        if a.parent:
            children.setdefault(a.parent, []).append(a.id)
    statements = []
    for a, raw in zip(attributions, reading["attributions"]):
        record = records.get(a.id, {})
        statements.append({"a": a, "text": raw["_text"], "record": record, "claim": claim_of.get(a.id),
                           "parent": by_id.get(a.parent), "parent_text": _words(reading, by_id.get(a.parent)),
                           "children": children.get(a.id, [])})
    text = marked_text(reading["text"], attributions, {a.id: a.stance for a in attributions})
    # an article's url is as untrusted as its text: only a web address becomes a link (never javascript:)
    url = data["meta"].get("url") or ""
    web_url = url if url.lower().startswith(("http://", "https://")) else None
    return _render(request, "article.html", article=data, reading=reading, text=text, statements=statements,
                   web_url=web_url)


def _words(reading: dict, a: Attribution | None) -> str | None:
    if a is None:
        return None
    return " ... ".join(reading["text"][s:e] for s, e in a.source) or "unattributed"


@router.get("/claims")
def claims_page(request: Request, status: Optional[str] = Query(None, pattern=f"^({'|'.join(STATUSES)})?$"),
                entity: Optional[str] = None, outlet: Optional[str] = None, since: Optional[str] = None,
                until: Optional[str] = None, offset: int = Query(0, ge=0)):
    """The claims across the store, earliest first seen first, filtered as `according claims` filters them."""
    chosen = {k: v for k, v in {"status": status, "entity": entity, "outlet": outlet, "since": since,
                                "until": until}.items() if v}
    found, total = queries.claims(request.app.state.stores.get(), status=chosen.get("status"),
                                  party=chosen.get("entity"), outlet=chosen.get("outlet"), since=chosen.get("since"),
                                  until=chosen.get("until"), limit=PAGE, offset=offset)

    def link(at: int) -> str:
        return "/claims?" + urlencode({**chosen, **({"offset": at} if at else {})})

    pages = {"previous": link(max(0, offset - PAGE)) if offset > 0 else None,
             "next": link(offset + PAGE) if offset + PAGE < total else None}
    return _render(request, "claims.html", chosen=chosen, claims=found, total=total, offset=offset, pages=pages,
                   statuses=STATUSES)


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: str):
    """The claim's timeline in date order, each step linked to its statement, with the status after it."""
    claim = queries.claim(request.app.state.stores.get(), claim_id)
    return _render(request, "claim.html", claim=claim, graph=chain_graph(claim["timeline"]))


@router.get("/sources/{name}")
def source_page(request: Request, name: str):
    """Everything one source asserted, denied or doubted, over time."""
    statements = queries.source(request.app.state.stores.get(), name)
    chart, table = stance_chart(statements)
    return _render(request, "source.html", name=name, statements=statements, chart=chart, table=table)
