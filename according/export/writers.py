"""The exports: statements as CSV or JSONL, claims as JSONL or schema.org JSON-LD, source chains as PROV-JSON,
and the who-says-what-about-which-claim graph as GraphML."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from according.export import SCHEMA_VERSION

CLAIMS_READ_TOGETHER = 50  # timelines read from the store at a time: a few reads each, memory bounded

# one row per statement, as CSV columns and JSONL keys (JSONL adds the character spans)
STATEMENT_FIELDS = ("article_id", "published", "outlet", "title", "url", "id", "source_text", "source_entity",
                    "anonymous", "cue_text", "content_text", "stance", "kind", "hedged", "parent", "via_text",
                    "claim", "corpus_claim", "position")
SETTLED = {"confirmed", "denied", "retracted"}
NS = "https://according.dev/ns#"


def export(store, fmt: str, out: TextIO, query: str | None = None, *, limit: int | None = None, offset: int = 0,
           **filters) -> tuple[int, str]:
    """Write `fmt` (one of `according.export.FORMATS`) of what `query` and `filters` select, as `search` selects,
    or of everything without them, to `out`; returns how many records were written and of what.

    `limit` and `offset` export a page: of the claims for `claims` and `jsonld`, else of the hits, as `search`
    pages them."""
    selecting = query is not None or any(v is not None for v in filters.values())
    if fmt in ("claims", "jsonld"):
        if selecting:
            ids = store.search_claims(query, limit=limit, offset=offset, **filters)
        else:
            ids = store.corpus_claim_ids()[offset:None if limit is None else offset + limit]
        found = list(claims(store, ids))
        if fmt == "claims":
            write_jsonl(found, out)
        else:
            out.write(json.dumps(jsonld(found), indent=2, ensure_ascii=False) + "\n")
        return len(found), "claims"
    hits = store.hits(query, limit=limit, offset=offset, **filters)
    if fmt in ("csv", "jsonl"):
        return (write_csv if fmt == "csv" else write_jsonl)(statements(store, hits), out), "statements"
    found = list(claims(store, claim_ids(store, hits if selecting else None)))
    records = list(statement_records_of(store, hits))
    if fmt == "prov":
        out.write(prov(store, records, found).serialize(format="json", indent=2) + "\n")
        return len(found), "claims"
    import networkx as nx

    for line in nx.generate_graphml(graph(records, found)):
        out.write(line + "\n")
    return len(records), "statements"


def statements(store, hits: list[tuple[str, str | None]]) -> Iterator[dict]:
    for record in store.statement_records(hits):
        out = {k: record[k] for k in STATEMENT_FIELDS}
        out.update(source_spans=record["source"], cue_spans=record["cue"], content_spans=record["content"],
                   schema_version=SCHEMA_VERSION)
        yield out


def statement_records_of(store, hits: list[tuple[str, str | None]]) -> Iterator[dict]:
    """The store's full statement records (with spans), for the PROV and graph exports."""
    return store.statement_records(hits)


def write_csv(records: Iterable[dict], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=STATEMENT_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for n, record in enumerate(records, 1):
        # an empty cell would be ambiguous between no source and an empty one: absent values are left empty, and
        # booleans are written as true/false
        writer.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in record.items()})
    return n


def write_jsonl(records: Iterable[dict], out: TextIO) -> int:
    n = 0
    for n, record in enumerate(records, 1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


def claim_ids(store, hits: list[tuple[str, str | None]] | None) -> list[str]:
    """The corpus claims the selected statements take positions on (all of them without a selection), earliest
    first."""
    return store.corpus_claim_ids(None if hits is None else store.corpus_claims_of(hits))


def claims(store, ids: list[str]) -> Iterator[dict]:
    from according.link.corpus import timelines

    for i in range(0, len(ids), CLAIMS_READ_TOGETHER):
        for found in timelines(store, ids[i:i + CLAIMS_READ_TOGETHER]).values():
            yield {**found, "schema_version": SCHEMA_VERSION}


def _article(entry: dict) -> dict:
    article = {"@type": "NewsArticle", "@id": f"urn:according:article:{entry['article_id']}",
               "headline": entry["title"], "datePublished": entry["published"], "url": entry["url"]}
    if entry["outlet"]:
        article["publisher"] = {"@type": "Organization", "name": entry["outlet"]}
    return {k: v for k, v in article.items() if v is not None}


def _party(entry: dict) -> dict | None:
    name = entry["source_entity"] or entry["source"]
    if not name or entry["anonymous"]:
        return None
    return {"@type": "Thing", "name": name}


def jsonld(claims: Iterable[dict]) -> dict:
    """schema.org: each claim a `Claim` (its articles as `appearance`, the first as `firstAppearance`, those who
    asserted it as `author`), with a `ClaimReview` rating its status where it is settled."""
    graph = []
    for claim in claims:
        timeline = claim["timeline"]
        articles = list({e["article_id"]: _article(e) for e in timeline}.values())
        authors = list({p["name"]: p for e in timeline if e["stance"] == "assert" and (p := _party(e))}.values())
        node = {"@type": "Claim", "@id": f"urn:according:claim:{claim['id']}", "text": claim["text"],
                "firstAppearance": articles[0], "appearance": articles, "author": authors,
                "dateCreated": claim["first_seen"]}
        graph.append({k: v for k, v in node.items() if v not in (None, [])})
        if claim["status"] in SETTLED:
            graph.append({"@type": "ClaimReview", "@id": f"urn:according:review:{claim['id']}",
                          "itemReviewed": {"@id": node["@id"]}, "claimReviewed": claim["text"],
                          "reviewRating": {"@type": "Rating", "alternateName": claim["status"]},
                          "author": {"@type": "SoftwareApplication", "name": "according"}})
    return {"@context": "https://schema.org", "@graph": graph}


def prov(store, records: list[dict], claims: Iterable[dict] = ()):
    """PROV-JSON of the source chains: each statement an entity attributed to its source (an agent), quoted in
    the statement that holds it (`wasQuotedFrom`), derived from what its source cites; articles attributed to
    their outlets; claims derived from the statements that take positions on them."""
    from prov.model import ProvDocument

    doc = ProvDocument()
    doc.add_namespace("acc", NS)
    agents: dict[str, object] = {}

    def agent(name: str, kind: str):
        key = f"acc:{kind}/{_slug(name)}"
        if key not in agents:
            agents[key] = doc.agent(key, {"acc:name": name, "acc:kind": kind})
        return agents[key]

    entities = {}
    for r in records:
        sid = f"acc:statement/{r['article_id']}/{r['id']}"
        article = f"acc:article/{r['article_id']}"
        if article not in entities:
            entities[article] = doc.entity(article, {"acc:title": r["title"] or "", "acc:url": r["url"] or "",
                                                     "acc:published": r["published"] or ""})
            if r["outlet"]:
                doc.wasAttributedTo(entities[article], agent(r["outlet"], "outlet"))
        entities[sid] = doc.entity(sid, {"acc:content": r["content_text"], "acc:cue": r["cue_text"],
                                         "acc:stance": r["stance"], "acc:article": article})
        who = r["source_entity"] or r["source_text"]
        if r["anonymous"]:
            doc.wasAttributedTo(entities[sid], agent(r["source_text"] or "unnamed", "anonymous"))
        elif who:
            doc.wasAttributedTo(entities[sid], agent(who, "source"))
        if r["via_text"]:
            cited = doc.entity(f"{sid}/via", {"acc:cited": r["via_text"]})
            doc.wasAttributedTo(cited, agent(r["via_text"], "anonymous"))
            doc.wasDerivedFrom(entities[sid], cited)
    for r in records:
        parent = f"acc:statement/{r['article_id']}/{r['parent']}" if r["parent"] else None
        if parent in entities:
            doc.wasQuotedFrom(entities[parent], entities[f"acc:statement/{r['article_id']}/{r['id']}"])
    for claim in claims:
        node = doc.entity(f"acc:claim/{claim['id']}", {"acc:text": claim["text"], "acc:status": claim["status"]})
        for e in claim["timeline"]:
            sid = f"acc:statement/{e['article_id']}/{e.get('attribution')}"
            if sid in entities:
                doc.wasDerivedFrom(node, entities[sid])
    return doc


def graph(records: list[dict], claims: Iterable[dict] = ()):
    """A directed multigraph for Gephi: sources, outlets and claims as nodes (`kind`); a source's stance toward a
    claim, and an outlet quoting a source, as edges (with the article and date)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    texts = {c["id"]: c for c in claims}
    for r in records:
        who = "anonymous: " + (r["source_text"] or "") if r["anonymous"] else r["source_entity"] or r["source_text"]
        if not who:
            continue
        g.add_node(who, kind="anonymous" if r["anonymous"] else "source", label=who)
        if r["outlet"]:
            g.add_node(r["outlet"], kind="outlet", label=r["outlet"])
            g.add_edge(r["outlet"], who, kind="quotes", article=r["article_id"], published=r["published"] or "")
        if r["corpus_claim"]:
            claim = r["corpus_claim"]
            text = texts[claim]["text"] if claim in texts else ""
            g.add_node(f"claim:{claim}", kind="claim", label=text[:80] or claim, status=texts.get(claim, {}).get(
                "status", ""))
            g.add_edge(who, f"claim:{claim}", kind="stance", stance=r["position"] or r["stance"],
                       article=r["article_id"], published=r["published"] or "")
    return g


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.strip().casefold())[:80] or "unnamed"
