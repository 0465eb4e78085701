"""Read the misses: which part of each statement is wrong, against a gold set in the shared format.

    python eval/misses.py GOLD PRED --docs DOCS [--show source,entity,stance,parent,missed,spurious] [--limit N]

Pairs gold and predicted statements with the shared scorer's own matching (imported from ../shared/eval/score.py by
path, never copied), counts what fails on each matched pair, and prints the failing ones side by side, so that a
fix starts from real examples rather than from a figure.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("source", "entity", "stance", "parent", "missed", "spurious")


def load_scorer(shared: Path):
    path = shared / "eval/score.py"
    if not path.exists():
        sys.exit(f"misses: {path} not found: the shared scorer lives in ../shared beside the project (--shared PATH)")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def text_of(text: str, spans) -> str:
    return " | ".join(text[s:e] for s, e in spans or []) or "-"


def describe(text: str, a: dict) -> str:
    return (f"{a.get('id')} {a.get('stance')} parent={a.get('parent')} ent={a.get('source_entity')!r} "
            f"anon={a.get('anonymous')}\n      S[{text_of(text, a.get('source'))}] C[{text_of(text, a.get('cue'))}]"
            f" T[{text_of(text, a.get('content'))[:160]}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("--docs", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--show", default="", help="comma-separated kinds to print: " + ",".join(KINDS))
    ap.add_argument("--limit", type=int, default=1000)
    args = ap.parse_args()
    sc = load_scorer(args.shared)
    gold, pred, docs = sc.read_jsonl(args.gold), sc.read_jsonl(args.pred), sc.read_jsonl(args.docs)
    show = set(filter(None, args.show.split(",")))
    counts: Counter = Counter()
    shown: Counter = Counter()

    def report(kind: str, doc_id: str, text: str, g: dict | None, p: dict | None,
               context: list[tuple[str, dict]] = ()) -> None:
        counts[kind] += 1
        if kind in show and shown[kind] < args.limit:
            shown[kind] += 1
            print(f"[{kind}] {doc_id}")
            if g:
                print("  gold " + describe(text, g))
            if p:
                print("  pred " + describe(text, p))
            for label, a in context:
                print(f"  {label} " + describe(text, a))

    for doc_id, g in gold.items():
        text = docs[doc_id]["text"]
        toks = sc.token_index(text)
        ga = g.get("attributions", [])
        pa = pred.get(doc_id, {}).get("attributions", [])
        gs = [{r: sc.tokens_of(a.get(r), toks) for r in sc.ROLES} for a in ga]
        ps = [{r: sc.tokens_of(a.get(r), toks) for r in sc.ROLES} for a in pa]

        def rel_score(a, b):
            if sc.dice(a["content"], b["content"]) < 0.5 or not (a["cue"] & b["cue"]):
                return 0.0
            return sc.dice(a["content"], b["content"]) + 0.5 * sc.dice(a["cue"], b["cue"])

        pairs = sc.greedy_pairs(gs, ps, rel_score, 1e-9)
        g2p = dict(pairs)
        gid = {a.get("id"): i for i, a in enumerate(ga)}
        pid = {a.get("id"): i for i, a in enumerate(pa)}
        for gi, pi in pairs:
            a, b = gs[gi], ps[pi]
            ok = True
            if not ((not a["source"] and not b["source"]) or sc.dice(a["source"], b["source"]) >= 0.5):
                report("source", doc_id, text, ga[gi], pa[pi])
                ok = False
            ge = ga[gi].get("source_entity")
            if ge and not (bool(pa[pi].get("anonymous")) if ge == "anonymous sources"
                           else sc.surname(pa[pi].get("source_entity")) == sc.surname(ge)):
                report("entity", doc_id, text, ga[gi], pa[pi])
                ok = False
            if ga[gi].get("stance") != pa[pi].get("stance"):
                report("stance", doc_id, text, ga[gi], pa[pi])
                ok = False
            gp, pp = ga[gi].get("parent"), pa[pi].get("parent")
            if not ((gp is None and pp is None) or (gp is not None and pp is not None
                                                    and g2p.get(gid.get(gp)) == pid.get(pp))):
                parents = [(f"{side} parent", rows[ix[pid]]) for side, pid, rows, ix in
                           (("gold", gp, ga, gid), ("pred", pp, pa, pid)) if pid in ix]
                report("parent", doc_id, text, ga[gi], pa[pi], parents)
                ok = False
            counts["complete"] += ok
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, a in enumerate(ga):
            if gi not in matched_g:
                report("missed", doc_id, text, a, None)
        for pi, a in enumerate(pa):
            if pi not in matched_p:
                report("spurious", doc_id, text, None, a)
    print(json.dumps(dict(counts)))


if __name__ == "__main__":
    main()
