"""The who-said-what of one article, written for a person reading it in a terminal.

Two views, in the order an editor asks: first each claim with who asserts, denies, doubts or relays it and
what its support rests on; then each statement in reading order, nested under whoever relays it.
"""
from __future__ import annotations

import textwrap

from according.link.article import cites_unnamed, claims_of
from according.model import Analysis, Attribution

VERB = {"assert": "asserts", "deny": "DENIES", "uncertain": "doubts", "relay": "relays", "mention": "mentions"}
STATUS = {
    "unverified": "unverified: no one named here asserts it",
    "asserted": "asserted on the record, denied by no one named here",
    "denied": "denied on the record, and asserted by no one named here",
    "contested": "contested: asserted and denied on the record",
    "confirmed": "confirmed by the party it is about, or by one that denied it before",
    "retracted": "retracted by the source that first asserted it",
}
WIDTH = 100
# Deeper nesting than this is shown at this depth, with its depth in words: an indent that grows with the depth
# leaves no room for the text (statements nested 1,000 deep took 120,000 lines, a word or a letter a line).
MAX_INDENT = 6


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def who(analysis: Analysis, a: Attribution) -> str:
    """"Dmitry Peskov (Kremlin spokesperson)", "Verstka (outlet)", "anonymous source: One source"."""
    said = analysis.text_of(a.source)
    if not a.source:
        return f'unattributed "{analysis.text_of(a.cue)}"'

    if a.anonymous:
        return f"anonymous source ({said})"
    if a.source_entity:
        entity = next((e for e in analysis.entities if e.name == a.source_entity), None)
        note = entity.role if entity and entity.role else "outlet" if entity and entity.label == "OUTLET" else None
        name = a.source_entity + (f" ({note})" if note else "")
        if said.lower() not in a.source_entity.lower() and a.source_entity.lower() not in said.lower():
            name += f', as "{_short(said, 40)}"'
        return name
    return said


def _via(analysis: Analysis, a: Attribution) -> str:
    if not a.via:
        return ""
    cited = analysis.text_of(a.via)
    anonymous = cites_unnamed(analysis, a)
    return f", citing {'anonymous sources: ' if anonymous else ''}{_short(cited, 70)}"


def _flags(a: Attribution) -> str:
    flags = [a.kind] + (["hedged"] if a.hedged else [])
    return "[" + ", ".join(flags) + "]"


def render(analysis: Analysis) -> str:
    lines: list[str] = []
    title = analysis.meta.get("title") or analysis.text.strip().split("\n", 1)[0]
    lines.append(_short(title, WIDTH))
    facts = [f"{k}: {analysis.meta[k]}" for k in ("outlet", "author", "published", "url") if analysis.meta.get(k)]
    if facts:
        lines.append("  " + " · ".join(facts))
    if not analysis.attributions:
        lines.append("")
        lines.append("No attributions found: the text reports nothing in anyone's name.")
        return "\n".join(lines)

    claims = claims_of(analysis)
    lines += ["", f"CLAIMS ({len(claims)})"]
    for n, claim in enumerate(claims, 1):
        lines.append("")
        lines += textwrap.wrap(f"{n}. {_short(claim.text, 300)}", WIDTH, subsequent_indent="   ")
        order = ("deny", "uncertain", "assert", "relay", "mention")
        for p in sorted(claim.positions, key=lambda p: (order.index(p.role), p.attribution.cue[0][0])):
            a = p.attribution
            cue = analysis.text_of(a.cue)
            if p.role == "relay":
                detail = f'reports it ("{cue}")'
            else:
                detail = f'"{_short(cue, 40)}"' + _via(analysis, a)
            lines.append(f"   {VERB[p.role]:<8} {who(analysis, a)}: {detail}")
        status = claim.status(analysis)
        anonymous = any(p.role == "assert" for p in claim.positions) and status in ("unverified", "denied")
        lines.append(f"   status   {STATUS[status]}" + ("; its support is anonymous sourcing" if anonymous else ""))

    lines += ["", f"WHO SAID WHAT ({len(analysis.attributions)} statements, in reading order)"]
    depth = {}
    for a in analysis.attributions:
        depth[a.id] = depth.get(a.parent, -1) + 1 if a.parent else 0
        indent = "   " + "    " * min(depth[a.id], MAX_INDENT) + ("└ " if depth[a.id] else "")
        deeper = f"[{depth[a.id]} deep] " if depth[a.id] > MAX_INDENT else ""
        stance = {"assert": "says", "deny": "DENIES", "uncertain": "doubts"}[a.stance]
        head = (f"{indent}{deeper}{who(analysis, a)} {stance} ({analysis.text_of(a.cue)}) {_flags(a)}"
                f"{_via(analysis, a)}")
        lines.append(head)
        body = _short(analysis.text_of(a.content), 240)
        lines += textwrap.wrap(body, WIDTH, initial_indent=" " * (len(indent) + 4),
                               subsequent_indent=" " * (len(indent) + 4))
    return "\n".join(lines)
