"""Pictures drawn on the server as inline SVG, with nothing to load: a claim's source chains as a graph, and a
source's statements over time as a chart. Each has a title and a description for screen readers; the page
beside it says the same in text."""
from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape

STANCES = ("assert", "deny", "uncertain", "report")
STANCE_WORD = {"assert": "asserts", "deny": "denies", "uncertain": "doubts", "report": "reports"}
NODE_W, NODE_H, COL_GAP, ROW_GAP, PAD = 200, 34, 90, 14, 10


def _label(text: str, width: int = 27) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def chain_graph(timeline: list[dict]) -> Markup:
    """Who carried the claim from whom: outlet -> source -> whom the source cites, one edge per step, coloured by
    the step's stance. A syndicated copy's outlet points to the outlet it copied."""
    outlet_of = {e["article_id"]: e["outlet"] for e in timeline}
    nodes: dict[tuple[int, str], int] = {}  # (column, name) -> row
    edges: Counter = Counter()

    def node(column: int, name: str) -> tuple[int, str]:
        at = (column, name)
        if at not in nodes:
            nodes[at] = sum(1 for c, _ in nodes if c == column)
        return at

    for e in timeline:
        outlet = node(0, e["outlet"] or "unknown outlet")
        if e.get("copy_of"):
            edges[(outlet, node(1, outlet_of.get(e["copy_of"]) or "the original"), "report")] += 1
            continue
        # anonymous sources are told apart by how they are written, not by their shared entity
        who = f"anonymous: {e['source']}" if e["anonymous"] else e["source_entity"] or e["source"] or "unattributed"
        source = node(1, who)
        edges[(outlet, source, e["stance"])] += 1
        if e["via"]:
            edges[(source, node(2, e["via"]), "cites")] += 1
    columns = 1 + max((c for c, _ in nodes), default=0)
    rows = 1 + max((r for r in nodes.values()), default=0)
    width = PAD * 2 + columns * NODE_W + (columns - 1) * COL_GAP
    height = PAD * 2 + rows * (NODE_H + ROW_GAP) + 20

    def box(at: tuple[int, str]) -> tuple[int, int]:
        return PAD + at[0] * (NODE_W + COL_GAP), PAD + 20 + nodes[at] * (NODE_H + ROW_GAP)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" viewBox="0 0 {width} {height}" width="{width}"'
             f' height="{height}" role="img" aria-labelledby="chain-title chain-desc">',
             '<title id="chain-title">Source chain</title>',
             f'<desc id="chain-desc">{escape(_describe(edges))}</desc>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"'
             ' orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="context-stroke"/></marker></defs>']
    for column, heading in enumerate(("outlet", "source", "cites")[:columns]):
        parts.append(f'<text class="col" x="{PAD + column * (NODE_W + COL_GAP)}" y="{PAD + 8}">{heading}</text>')
    for (a, b, stance), count in edges.items():
        (ax, ay), (bx, by) = box(a), box(b)
        x1, y1, x2, y2 = ax + NODE_W, ay + NODE_H / 2, bx, by + NODE_H / 2
        mid = (x1 + x2) / 2
        word = "cites" if stance == "cites" else STANCE_WORD.get(stance, stance)
        parts.append(f'<path class="edge e-{stance}" d="M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}"'
                     f' marker-end="url(#arrow)"><title>{escape(a[1])} → {escape(b[1])}: {word}'
                     f'{f" ({count}×)" if count > 1 else ""}</title></path>')
        # labelled where the edge arrives: edges fan out of one node, but each arrives at its own
        parts.append(f'<text class="edge-label" x="{x2 - 12}" y="{y2 - 6}" text-anchor="end">{word}</text>')
    for at in nodes:
        x, y = box(at)
        parts.append(f'<g class="node n-{at[0]}"><title>{escape(at[1])}</title>'
                     f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="5"/>'
                     f'<text x="{x + 8}" y="{y + NODE_H / 2 + 5}">{escape(_label(at[1]))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _describe(edges: Counter) -> str:
    said = [f"{b[1]} (cited by {a[1]})" if stance == "cites" else f"{a[1]}: {b[1]} {STANCE_WORD.get(stance, stance)}"
            for (a, b, stance) in edges]
    return "; ".join(said) or "no sources"


def stance_chart(statements: list[dict]) -> tuple[Markup, list[tuple[str, dict[str, int]]]]:
    """Statements per day (or per month, over more than two months) stacked by stance, and the counts drawn, for
    a table beside the chart."""
    dated = [s for s in statements if s["published"]]
    months = {s["published"][:7] for s in dated}
    cut = 7 if len(months) > 2 else 10
    counts: dict[str, Counter] = {}
    for s in dated:
        counts.setdefault(s["published"][:cut], Counter())[s.get("position") or s["stance"]] += 1
    buckets = sorted(counts.items())
    bar, gap, plot_h, left, bottom = 28, 14, 160, 34, 46
    top = max((sum(c.values()) for _, c in buckets), default=1)
    width = left + len(buckets) * (bar + gap) + gap
    height = plot_h + bottom + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}"'
             f' height="{height}" role="img" aria-labelledby="chart-title">',
             f'<title id="chart-title">Statements per {"month" if cut == 7 else "day"}, by stance</title>',
             f'<line class="axis" x1="{left}" y1="{10 + plot_h}" x2="{width}" y2="{10 + plot_h}"/>',
             f'<text class="tick" x="{left - 6}" y="{14}" text-anchor="end">{top}</text>',
             f'<text class="tick" x="{left - 6}" y="{10 + plot_h}" text-anchor="end">0</text>']
    for n, (when, count) in enumerate(buckets):
        x, y = left + gap + n * (bar + gap), 10 + plot_h
        for stance in STANCES:
            if count[stance]:
                h = plot_h * count[stance] / top
                y -= h
                parts.append(f'<rect class="bar s-{stance}" x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}">'
                             f'<title>{when}: {count[stance]} {STANCE_WORD[stance]}</title></rect>')
        parts.append(f'<text class="tick" x="{x + bar / 2}" y="{10 + plot_h + 14}" text-anchor="end"'
                     f' transform="rotate(-40 {x + bar / 2} {10 + plot_h + 14})">{when}</text>')
    parts.append("</svg>")
    table = [(when, {s: count[s] for s in STANCES}) for when, count in buckets]
    return Markup("".join(parts)), table
