"""Claim clustering, measured with the shared scorer on Emergent headlines (gold: each pair's `claim_id`).

    python eval/cluster.py [--split train|test] [--semantic] [--tune] [--shared ../shared]

Runs `according cluster DOCS -o PRED` and `../shared/eval/cluster_score.py PAIRS PRED`. `--tune` (on train only)
scores the pairs once and prints B-cubed P/R/F1 for a range of thresholds instead; the defaults in
`according/link/cluster.py` are the best of train. The README reports test.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("train", "test"), default="test")
    ap.add_argument("--semantic", action="store_true", help="also compare sentence vectors (according[semantic])")
    ap.add_argument("--tune", action="store_true", help="sweep the threshold (train only)")
    ap.add_argument("--threshold", type=float, help="instead of the tuned default")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    data = args.shared / "data/emergent"
    docs, pairs = data / f"{args.split}.docs.jsonl", data / f"{args.split}.pairs.jsonl"
    scorer = args.shared / "eval/cluster_score.py"
    if not (docs.exists() and scorer.exists()):
        sys.exit(f"eval: {docs} or {scorer} not found: the evaluation data lives in ../shared beside the project "
                 f"(pass --shared PATH)")
    if args.tune:
        if args.split != "train":
            sys.exit("eval: tune on train only (--split train); test is for reporting")
        return tune(docs, pairs, scorer, args.semantic)
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        extra = (["--semantic"] if args.semantic else []) + \
            (["--threshold", str(args.threshold)] if args.threshold is not None else [])
        subprocess.run([sys.executable, "-m", "according.cli", "cluster", str(docs), "-o", str(pred), *extra],
                       check=True)
        out = subprocess.run([sys.executable, str(scorer), str(pairs), str(pred)], capture_output=True, text=True,
                             check=True).stdout
        print(f"== emergent {args.split}{' --semantic' if args.semantic else ''}: {out.strip()}")


def tune(docs: Path, pairs: Path, scorer: Path, semantic: bool) -> None:
    sys.path.insert(0, str(scorer.parent))
    from cluster_score import bcubed

    from according.link.cluster import ClaimClusterer, document_claim

    gold = {p["doc_id"]: p["claim_id"] for p in map(json.loads, pairs.open(encoding="utf-8"))}
    clusterer = ClaimClusterer(semantic=semantic)
    for doc in map(json.loads, docs.open(encoding="utf-8")):
        clusterer.add(doc["id"], document_claim(doc))
    scores = clusterer.scores()
    best = (0.0, None)
    for step in range(10, 71, 2):
        clusterer.threshold = step / 100
        labels = clusterer._cluster(scores)
        p, r, f = bcubed(gold, labels)
        print(f"threshold {clusterer.threshold:.2f}: P {p:.4f} R {r:.4f} F1 {f:.4f}")
        best = max(best, (f, clusterer.threshold))
    print(f"best: F1 {best[0]:.4f} at threshold {best[1]:.2f} ({clusterer.compared} pairs compared)")


if __name__ == "__main__":
    main()
