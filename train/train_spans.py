"""Train a CRF span model (train/crf_spans.py) on PolNeAR train: the cheap baseline for the span tagger.

    python train/train_spans.py [--shared ../shared] [--cache .cache/polnear] [--limit N] [--out PATH] [--predict P]

Every statement the rules find in a PolNeAR train article whose cue shares a token with a gold cue is one
example: the window of sentences around it (`crf_spans.window`), each token tagged with the gold
attribution's role (S source, K cue, C content, O), read with the features of `spans.features` (which include
what the rules said). So the tagger learns to correct the rules' edges on exactly the statements it will see.
It prints exact-match rates on PolNeAR dev against the rules', and with --predict writes dev predictions for the
shared scorer. Needs python-crfsuite. Result (full train, 150 iterations): content exact 0.553 -> 0.573 on
PolNeAR dev (--outermost), too little to ship; the fine-tuned tagger (train/train_span_tagger.py) is the one used.
Also home of the helpers the tagger's training shares (gold tokens, word sets, dev predictions).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

import crf_spans as spans  # noqa: E402
from according.extract.extractor import build_pipeline, DEFAULT_MODEL  # noqa: E402
from according.extract.finder import find_candidates  # noqa: E402
from according.extract.gate import packaged_gate  # noqa: E402
from train_gate import parsed, tokens_in  # noqa: E402


def gold_tokens(doc, spans_):
    out = set()
    for s, e in spans_:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span if not t.is_space)
    return out


def examples(items):
    """(features, labels, candidate, doc, quotes, gold roles) for every rule statement that has a gold cue."""
    out = []
    for _, doc, gold in items:
        kept, quotes, _ = find_candidates(doc, packaged_gate())
        golds = [{r: gold_tokens(doc, g[r]) for r in ("source", "cue", "content")} for g in gold]
        for c in kept:
            if not c.cue or not c.content:
                continue
            mine = [g for g in golds if set(c.cue) & g["cue"]]
            if not mine:
                continue
            g = max(mine, key=lambda g: len(g["content"] & set(c.content)))
            lo, hi = spans.window(doc, c)
            labels = ["S" if i in g["source"] else "K" if i in g["cue"] else "C" if i in g["content"] else "O"
                      for i in range(lo, hi)]
            out.append((spans.features(doc, c, quotes, lo, hi), labels, c, doc, lo, g))
    return out


def words(doc, idx):
    return frozenset(i for i in idx if doc[i].is_alpha or doc[i].like_num or any(ch.isalnum() for ch in doc[i].text))


def report(name, exs, tagger=None):
    """Exact-match rates of content and source on the examples, rules against the tagger."""
    n = len(exs)
    hit = {"rules.content": 0, "rules.source": 0, "crf.content": 0, "crf.source": 0, "covered": 0}
    for feats, labels, c, doc, lo, g in exs:
        gc, gs = words(doc, g["content"]), words(doc, g["source"])
        hit["covered"] += gc <= words(doc, range(lo, lo + len(labels)))
        hit["rules.content"] += words(doc, c.content) == gc
        hit["rules.source"] += words(doc, c.source) == gs
        if tagger is not None:
            tags = tagger.tag(feats)
            content = [lo + k for k, t in enumerate(tags) if t == "C"]
            source = [lo + k for k, t in enumerate(tags) if t == "S" and lo + k not in c.cue]
            hit["crf.content"] += (words(doc, content) or words(doc, c.content)) == gc
            hit["crf.source"] += words(doc, source) == gs
    print(f"{name}: {n} statements; " + ", ".join(f"{k} {v / max(n, 1):.3f}" for k, v in hit.items()), flush=True)


def write_predictions(items, path: Path, refine=None) -> None:
    """Predictions for parsed articles in the scorer's format, as `according extract` writes them (quicker:
    the parses are cached)."""
    import json

    from according.extract import speakers
    from according.extract.finder import find_attributions
    from according.model import Analysis

    with open(path, "w", encoding="utf-8") as out:
        for doc_id, doc, _ in items:
            atts = find_attributions(doc, packaged_gate(), refine)
            a = Analysis(text=doc.text, id=doc_id, attributions=atts, entities=speakers.resolve(doc, atts))
            out.write(json.dumps({"id": doc_id, "attributions": a.to_dict()["attributions"]}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "polnear")
    ap.add_argument("--out", type=Path, default=ROOT / ".cache" / spans.MODEL)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N articles only")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--predict", type=Path, help="also write dev predictions, rules alone (PATH.rules.jsonl) and "
                                                 "refined (PATH.crf.jsonl), to score with the shared scorer")
    args = ap.parse_args()
    import pycrfsuite

    nlp = build_pipeline(DEFAULT_MODEL)
    t0 = time.time()
    train = parsed("train", args.shared, args.cache, nlp)
    dev = parsed("dev", args.shared, args.cache, nlp)
    if args.limit:
        train = train[:args.limit]
    print(f"parsed in {time.time() - t0:.0f}s", flush=True)
    tr, dv = examples(train), examples(dev)
    print(f"examples in {time.time() - t0:.0f}s", flush=True)
    report("dev (rules)", dv)
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels, *_ in tr:
        trainer.append(feats, labels)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    print(f"trained in {time.time() - t0:.0f}s: {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)", flush=True)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.out))
    report("train", tr[:2000], tagger)
    report("dev", dv, tagger)
    if args.predict:
        write_predictions(dev, args.predict.with_suffix(".rules.jsonl"))
        write_predictions(dev, args.predict.with_suffix(".crf.jsonl"), spans.Refiner(tagger))


if __name__ == "__main__":
    main()
