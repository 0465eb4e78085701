"""Claim clustering cost over the FNC-1 corpus at 1x, 2x and 4x its size: seconds per stage, pairs compared.

Items are the claims of FNC-1 (train and test): each article's first sentence (`document_claim`) and each distinct
headline of the pairs files, about 4,200 claims. Copies beyond the first are perturbed (a third of each claim's
words swapped for words of other claims, and the order of words in a phrase kept), so they neither collapse onto
their originals nor stand apart on invented words; a corpus k times larger, with the same vocabulary. Near-linear
growth shows as pairs per claim and seconds per 1,000 claims that stay about flat. Seconds are CPU seconds of this
process (`time.process_time`): on a shared machine wall time measures the neighbours.

    .venv/bin/python bench/link.py [--scales 1 2 4] [--semantic] [--shared ../shared]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from according.link.cluster import ClaimClusterer, document_claim

ROOT = Path(__file__).resolve().parent.parent


def corpus_claims(shared: Path) -> list[str]:
    claims, seen = [], set()
    for split in ("train", "test"):
        for doc in map(json.loads, (shared / f"data/fnc1/{split}.docs.jsonl").open(encoding="utf-8")):
            claims.append(document_claim(doc))
        for pair in map(json.loads, (shared / f"data/fnc1/{split}.pairs.jsonl").open(encoding="utf-8")):
            if pair["claim"] not in seen:
                seen.add(pair["claim"])
                claims.append(pair["claim"])
    return [c for c in claims if c.strip()]


def perturbed(claims: list[str], copy: int) -> list[str]:
    if copy == 0:
        return claims
    rng = random.Random(copy)
    vocabulary = [w for c in claims for w in c.split()]
    out = []
    for claim in claims:
        words = claim.split()
        for i in rng.sample(range(len(words)), len(words) // 3):
            words[i] = rng.choice(vocabulary)
        out.append(" ".join(words))
    return out


def run(claims: list[str], scale: int, semantic: bool) -> dict:
    items = [(f"{copy}-{n}", text) for copy in range(scale) for n, text in enumerate(perturbed(claims, copy))]
    clusterer = ClaimClusterer(semantic=semantic)
    times = {}
    start = time.process_time()
    for key, text in items:
        clusterer.add(key, text)
    times["add"] = time.process_time() - start
    if semantic:
        start = time.process_time()
        clusterer.embed_missing()
        times["embed"] = time.process_time() - start
    start = time.process_time()
    pairs = clusterer.candidates()
    times["block"] = time.process_time() - start
    start = time.process_time()
    scores = clusterer.scores(pairs)
    times["score"] = time.process_time() - start
    start = time.process_time()
    labels = clusterer._cluster(scores)
    times["cluster"] = time.process_time() - start
    return {"claims": len(items), "pairs": len(pairs), "clusters": len(set(labels.values())), "seconds": times}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--semantic", action="store_true", help="also embed and compare sentence vectors")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    if not (args.shared / "data/fnc1/train.docs.jsonl").exists():
        sys.exit(f"bench: {args.shared}/data/fnc1 not found: the FNC-1 corpus lives in ../shared beside the project "
                 f"(pass --shared PATH)")
    claims = corpus_claims(args.shared)
    print(f"{len(claims)} claims from FNC-1 (first sentences of articles and distinct headlines)")
    for scale in args.scales:
        r = run(claims, scale, args.semantic)
        total = sum(r["seconds"].values())
        stages = "  ".join(f"{k} {v:.2f}s" for k, v in r["seconds"].items())
        all_pairs = r["claims"] * (r["claims"] - 1) // 2
        print(f"{scale}x: {r['claims']} claims, {r['pairs']} pairs compared ({r['pairs'] / r['claims']:.1f} a claim, "
              f"{r['pairs'] / all_pairs:.2%} of all pairs), {r['clusters']} clusters; {stages}; total {total:.2f}s "
              f"({1000 * total / r['claims']:.2f}s per 1,000 claims)", flush=True)


if __name__ == "__main__":
    main()
