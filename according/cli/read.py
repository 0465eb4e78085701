"""`analyze` and `extract`: one article read and shown, or many read into predictions."""
from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from according.cli.common import (EXIT_PARTIAL, SHOWN, AccurateOption, MemoryLimitOption, ModelOption, QuietOption,
                                  TimeLimitOption, UsageError, count_lines, edge, open_output, progress,
                                  report_problems, use_accurate, warn, write_json)
from according.errors import AccordingError

_LONG_TEXT = 2_000_000  # characters; past this, say how long the wait will be
_WORDS_PER_SECOND = 5_000  # one process, en_core_web_sm with according's components, order of magnitude


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("extract")(extract)


class Engine(str, Enum):
    auto = "auto"
    local = "local"
    pool = "pool"
    ray = "ray"


def analyze(
    source: str = typer.Argument(..., metavar="FILE|URL|-",
                                 help="One article: a text, Markdown or HTML file, an http(s) URL, or - for stdin "
                                      "(HTML recognised by its first bytes). A feed, JSONL or WARC file holding more "
                                      "than one article is refused: read those with `according ingest`."),
    as_json: bool = typer.Option(False, "--json", help="Print the full structured result as JSON."),
    title: Optional[str] = typer.Option(None, "--title", help="The article's title (default: the page's <title>, "
                                                              "the Markdown heading or the first line)."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Who published it (default: the page's site name)."),
    published: Optional[str] = typer.Option(None, "--published", metavar="DATE",
                                            help="When it was published, an ISO date: 2024-11-07 or "
                                                 "2024-11-07T09:15:00+01:00 (default: the date the page or text "
                                                 "gives)."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Allow fetching loopback and private network addresses."),
    model: Optional[str] = ModelOption,
    accurate: bool = AccurateOption,
) -> None:
    """Print one article's who-said-what: each claim with its source chain and stance.

    It is read as `according ingest` reads it: an HTML page or URL by its main text, with its title, outlet and date.
    --title, --outlet and --published replace what the article gives.
    """
    from according.corpus import analyze_article
    from according.ingest import read_article
    from according.ingest.web import is_url
    from according.report import render

    with edge():
        use_accurate(accurate)
        given = {"title": title, "outlet": outlet, "published": None if published is None else _iso_date(published)}
        article = read_article(source, allow_private=allow_private, on_warning=lambda origin, warning: warn(warning))
        text = article.text
        if len(text) > _LONG_TEXT:
            minutes = len(text.split()) / _WORDS_PER_SECOND / 60
            warn(f"{source} is a long text ({len(text) / 1e6:.0f} million characters); reading it takes about "
                  f"{minutes:.0f} minutes. For many articles, put them in a JSONL file and use `according extract`.")
        name = None if source == "-" else source if is_url(source) else Path(source).name
        analysis = analyze_article(article, id=name, model=model, **given)
        if as_json:
            write_json(analysis.to_dict(with_text=True), sys.stdout)
        else:
            typer.echo(render(analysis))


def _iso_date(value: str) -> str:
    from according.corpus.analyze import iso_date

    try:
        return iso_date(value)
    except AccordingError as e:
        raise UsageError(f"--published {e.message}") from None


def extract(
    docs: str = typer.Argument(..., metavar="DOCS.jsonl|-",
                               help='Documents, one JSON object a line: {"id": ..., "text": ...}.'),
    output: str = typer.Option("-", "--output", "-o", metavar="PRED.jsonl",
                               help="Where to write predictions, one line per document (default: stdout)."),
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Worker processes, each with its own model."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Documents per spaCy batch and per chunk sent "
                                                                    "to a worker (batches are also capped at 40,000 "
                                                                    "characters, which bounds memory)."),
    engine: Engine = typer.Option(Engine.auto, "--engine", help="auto: in this process for -p 1, else a process "
                                                                "pool; ray: on a Ray cluster (pip install 'according\\[ray]')."),
    model: Optional[str] = ModelOption,
    accurate: bool = AccurateOption,
    time_limit: float = TimeLimitOption,
    memory_limit: int = MemoryLimitOption,
    quiet: bool = QuietOption,
) -> None:
    """Write attribution predictions for a JSONL file of documents (the format of eval/FORMAT.md).

    A document that cannot be read, or that takes longer or more memory to read than the limits allow, gets an
    error record {"id", "error"} in the output and the others go on.
    Exit status: 0 all read; 1 nothing done (unusable input, output or model); 3 some documents failed.
    """
    from according.extract.limits import Limits
    from according.scale import read_docs, run, write_predictions

    with edge():
        use_accurate(accurate)
        if output != "-" and docs != "-" and Path(output).resolve() == Path(docs).resolve():
            raise UsageError(f"the output {output} is the input: write the predictions to another file.")
        records = read_docs(docs)
        started = time.monotonic()
        # Predictions printed to a terminal would tear the bar: then there is none.
        quiet = quiet or (output == "-" and sys.stdout.isatty())
        with open_output(output) as out, progress("extract", count_lines(docs), quiet) as advance:
            summary = write_predictions(
                run(records, engine=engine.value, processes=processes, batch_size=batch_size, model=model,
                    on_progress=advance, limits=Limits.of(time_limit, memory_limit)), out)
        _report(summary, output, time.monotonic() - started)
        if summary.failed:
            raise typer.Exit(EXIT_PARTIAL)


def _report(summary, output: str, seconds: float) -> None:
    where = "stdout" if output == "-" else output
    rate = summary.documents / seconds if seconds > 0 else 0.0
    line = (f"according: {summary.documents} document(s) -> {where} in {seconds:.1f} s, loading the model "
            f"included ({rate:.1f} articles/s)")
    if summary.failed:
        line += f"; {summary.failed} failed (error records in the output):"
    typer.echo(line, err=True)
    report_problems([failed.error for failed in summary.errors[:SHOWN]], summary.failed, summary.warnings)
