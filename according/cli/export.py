"""`according export FORMAT`: the store's statements, claims and source chains for other tools (see
`according.export`), selected with the words and filters of `search`."""
from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from according.cli.common import DbOption, StanceChoice, edge, existing_store, open_output


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
    from according.export import writers

    filters = {"outlet": outlet, "since": since, "until": until, "source": source,
               "stance": stance.value if stance else None}
    with edge(), existing_store(db) as store, open_output(output or "-") as out:
        n, what = writers.export(store, fmt.value, out, query, **filters)
    typer.echo(f"according: exported {n} {what} as {fmt.value}" + (f" to {output}" if output else ""), err=True)
