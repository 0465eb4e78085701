"""`according export FORMAT`: the store's statements, claims and source chains for other tools (see
`according.export`), selected with the words and filters of `search`."""
from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from according.cli_corpus import DbOption, StanceChoice, _existing_store


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    claims = "claims"
    jsonld = "jsonld"
    prov = "prov"
    graphml = "graphml"


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    fmt: ExportFormat = typer.Argument(..., metavar="FORMAT",
                                       help="csv or jsonl: statements, one row each; claims: claims with their "
                                            "timelines (JSONL); jsonld: schema.org Claim/ClaimReview; prov: W3C "
                                            "PROV-JSON of the source chains; graphml: who says what about which "
                                            "claim, for Gephi."),
    query: Optional[str] = typer.Argument(None, help="Words to select by, as `search` takes them (default: all)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write here (default: stdout)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only articles from this outlet."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Published on or after."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Published on or before."),
    source: Optional[str] = typer.Option(None, "--source", help="Only statements by this source."),
    stance: Optional[StanceChoice] = typer.Option(None, "--stance", help="Only statements with this stance."),
    db: Optional[str] = DbOption,
) -> None:
    """Export what the store holds: statements (csv, jsonl), claims (claims, jsonld), source chains (prov) or the
    graph of who says what (graphml)."""
    import json

    from according.cli import _edge, _open_output
    from according.export import writers

    filters = {"outlet": outlet, "since": since, "until": until, "source": source,
               "stance": stance.value if stance else None}
    selecting = query is not None or any(v is not None for v in filters.values())
    with _edge(), _existing_store(db) as store, _open_output(output or "-") as out:
        hits = writers.selection(store, query, **filters)
        if fmt in (ExportFormat.csv, ExportFormat.jsonl):
            write = writers.write_csv if fmt is ExportFormat.csv else writers.write_jsonl
            n = write(writers.statements(store, hits), out)
            what = "statements"
        else:
            claims = list(writers.claims(store, writers.claim_ids(store, hits if selecting else None)))
            n, what = len(claims), "claims"
            if fmt is ExportFormat.claims:
                writers.write_jsonl(claims, out)
            elif fmt is ExportFormat.jsonld:
                out.write(json.dumps(writers.jsonld(claims), indent=2, ensure_ascii=False) + "\n")
            else:
                records = list(writers.statement_records_of(store, hits))
                if fmt is ExportFormat.prov:
                    out.write(writers.prov(store, records, claims).serialize(format="json", indent=2) + "\n")
                else:
                    import networkx as nx

                    for line in nx.generate_graphml(writers.graph(records, claims)):
                        out.write(line + "\n")
                    n, what = len(records), "statements"
    typer.echo(f"according: exported {n} {what} as {fmt.value}" + (f" to {output}" if output else ""), err=True)
