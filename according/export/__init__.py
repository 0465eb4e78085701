"""`export`: what the store holds, for the tools people work in.

| format | what | one record |
|---|---|---|
| `csv`, `jsonl` | statements, flat | one attribution with its article's url, title, outlet and date (`statement` schema) |
| `claims` | claims across articles, JSONL | one claim with its timeline (`claim` schema) |
| `jsonld` | schema.org `Claim`s, with a `ClaimReview` where the status is settled | one JSON-LD document |
| `prov` | W3C PROV-JSON of the source chains | one PROV document |
| `graphml` | who says what about which claim, for Gephi | sources, outlets and claims as nodes; stances as edges |

Every JSON record has a versioned JSON Schema shipped in `according/export/schemas/` (`schema(name)`).
"""
from __future__ import annotations

import json
from importlib import resources

FORMATS = ("csv", "jsonl", "claims", "jsonld", "prov", "graphml")
SCHEMA_VERSION = 1


def schema(name: str) -> dict:
    """The JSON Schema of an exported record or output: `statement`, `claim` or `claim-summary`."""
    path = resources.files("according.export") / "schemas" / f"{name}.v{SCHEMA_VERSION}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    """A JSON-LD document loader for pyld that never reaches the network: schema.org's context is the one shipped
    here for the terms the exports use (`schemas/schema.org.context.jsonld`); any other URL is refused."""
    if url.rstrip("/").removeprefix("https://").removeprefix("http://") not in ("schema.org", "schema.org/docs/jsonldcontext.jsonld"):
        raise ValueError(f"according ships no JSON-LD context for {url}: only schema.org's")
    path = resources.files("according.export") / "schemas" / "schema.org.context.jsonld"
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": json.loads(path.read_text(encoding="utf-8"))}
