"""The commands on claims across the store: `claims` (list), `claim` (one claim's timeline; merge; split) and
`who` (everything one source said). They read what `according.link.corpus` saved at the end of each ingest.
"""
from __future__ import annotations

import json
import textwrap
from enum import Enum
from typing import Optional

import typer

from according.cli.common import DbOption, UsageError, edge, existing_store

WIDTH = 100
STANCE_WORD = {"assert": "asserts", "deny": "DENIES", "uncertain": "doubts", "report": "reports"}


class StatusChoice(str, Enum):
    unverified = "unverified"
    asserted = "asserted"
    denied = "denied"
    contested = "contested"
    confirmed = "confirmed"
    retracted = "retracted"


def register(app: typer.Typer) -> None:
    app.command("claims")(claims)
    app.command("claim")(claim)
    app.command("who")(who)


def claims(
    entity: Optional[str] = typer.Option(None, "--entity", help="Only claims on which this party (a word of a "
                                                                "source's name: 'peskov', 'kremlin') took a position."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only claims carried by this outlet."),
    status: Optional[StatusChoice] = typer.Option(None, "--status", help="Only claims with this status."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="First seen on or after this date."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="First seen on or before this date."),
    limit: int = typer.Option(50, "--limit", "-n", min=0, help="At most this many claims (0: all)."),
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the claims as a JSON array."),
) -> None:
    """List the claims across the store, earliest first seen first, with their status and how many articles carry
    them."""

    with edge(), existing_store(db) as store:
        found = store.corpus_claims(status=status.value if status else None, outlet=outlet, party=entity,
                                    since=since, until=until, limit=limit or None)
    if as_json:
        typer.echo(json.dumps([{k: v for k, v in c.items() if k != "first_seen_ts"} for c in found], indent=2,
                              ensure_ascii=False))
        return
    if not found:
        typer.echo("No claims match.")
        return
    for c in found:
        head = f"{c['id'][:12]}  {c['status']:<10}  {(c['first_seen'] or 'undated')[:10]}  {c['articles']} article(s)"
        typer.echo(head)
        typer.echo(textwrap.fill(c["text"], WIDTH, initial_indent="    ", subsequent_indent="    "))


def claim(
    args: list[str] = typer.Argument(..., metavar="ID | merge ID ID... | split ID ARTICLE_ID:CLAIM...",
                                     help="A claim id (or its start, as `according claims` prints it) for its "
                                          "timeline; `merge` and `split` change how claims are grouped."),
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the claim and its timeline as JSON."),
) -> None:
    """Show one claim's timeline: who asserted, relayed, doubted or denied it, where and when, and its status after
    each step. `according claim merge A B` makes claims one; `according claim split ID ARTICLE_ID:c2` takes article
    claims (as the timeline lists them) out into a claim of their own. Both survive re-clustering."""
    from according.link import corpus

    with edge(), existing_store(db, read_only=args[0] not in ("merge", "split")) as store:
        def resolve(given: str) -> str:
            found = store.resolve_claim(given)
            if found is None:
                raise UsageError(f"no claim in {store.dialect!r} has an id starting with {given!r}: "
                                  "`according claims` lists them")
            return found

        if args[0] in ("merge", "split"):
            if len(args) < 3:
                raise UsageError(f"`according claim {args[0]}` needs a claim id and at least one more "
                                  + ("claim id" if args[0] == "merge" else "article claim (ARTICLE_ID:c1)"))
            if args[0] == "merge":
                ids = [resolve(a) for a in args[1:]]
                corpus.merge(store, ids)
            else:
                corpus.split(store, resolve(args[1]), args[2:])
            corpus.relink(store)
            typer.echo(f"according: {args[0]} saved; claims regrouped", err=True)
            return
        if len(args) > 1:
            raise UsageError("give one claim id (or `merge` / `split` first)")
        found = corpus.timeline(store, resolve(args[0]))
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    typer.echo(render_timeline(found))


def render_timeline(claim: dict) -> str:
    lines = textwrap.wrap(f"{claim['id']}  {claim['text']}", WIDTH, subsequent_indent="    ")
    lines.append(f"    status: {claim['status']} · {claim['articles']} article(s) · first seen "
                 f"{(claim['first_seen'] or 'undated')[:10]}")
    for wording in claim["wordings"]:
        if wording != claim["text"]:
            lines += textwrap.wrap(f"also worded: {wording}", WIDTH, initial_indent="    ",
                                   subsequent_indent="      ")
    lines.append("")
    for e in claim["timeline"]:
        who = e["source_entity"] or e["source"] or "unattributed"
        if e["anonymous"]:
            who = f"anonymous ({e['source']})"
        where = f"{(e['published'] or 'undated')[:10]}  {e['outlet'] or 'unknown outlet'}"
        lines.append(f"{where}: {e['title'] or e['article_id'][:12]}  [{e['article_id'][:12]}:{e['claim']}]")
        said = f'"{e["cue"]}"' if e["cue"] else ""
        via = f", citing {e['via']}" if e["via"] else ""
        record = "on the record" if e["on_record"] else "not on the record"
        lines.append(f"    {who} {STANCE_WORD.get(e['stance'], e['stance'])} ({said}{via}; {record})"
                     f"  -> {e['status_after']}")
        if e["content"]:
            lines += textwrap.wrap(e["content"], WIDTH, initial_indent="      ", subsequent_indent="      ",
                                   max_lines=3, placeholder=" …")
    return "\n".join(lines)


def who(
    name: str = typer.Argument(..., help="A person, organisation or outlet as sources are named ('peskov')."),
    limit: int = typer.Option(0, "--limit", "-n", min=0, help="At most this many statements (0: all)."),
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the statements as a JSON array."),
) -> None:
    """Everything a source asserted, denied or doubted across the store, oldest first, with the claim each
    statement takes a position on."""
    from according.link import corpus

    with edge(), existing_store(db) as store:
        found = corpus.who(store, name, limit=limit or None)
    if as_json:
        typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        typer.echo(f"No statements by {name!r}.")
        return
    for s in found:
        stance = STANCE_WORD.get(s["position"] or s["stance"], s["stance"])
        claim = f"  [claim {s['corpus_claim'][:12]}]" if s["corpus_claim"] else ""
        speaker = s["source_entity"] or s["source_text"] or "unattributed"
        if s.get("speaking_for"):
            speaker += f", for {s['speaking_for']}"
        typer.echo(f"{(s['published'] or 'undated')[:10]}  {s['outlet'] or ''}: {speaker} {stance} "
                   f"(\"{s['cue_text']}\"){claim}")
        typer.echo(textwrap.fill(s["content_text"], WIDTH, initial_indent="    ", subsequent_indent="    ",
                                 max_lines=3, placeholder=" …"))
