"""Search latency over a filled store: median and p95 in ms, per kind of query and overall.

The target (issue 3) is a median under 50 ms on the store the ingest benchmark fills from FNC-1. Queries are built
from the store itself: words of the stored texts at several frequencies, their outlets, sources, stances and dates,
so that every query has answers to find.

    .venv/bin/python bench/search.py according.db [--rounds 20] [--sample 200] [--seed 0]
    .venv/bin/python bench/search.py postgresql://user@host/db
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter

from according.store import open_store
from according.store.terms import words


def sample(store, n: int, rng: random.Random) -> list:
    ids = list(store.ids())
    return [store.get(i) for i in rng.sample(ids, min(n, len(ids)))]


def workload(docs: list, rng: random.Random) -> list[tuple[str, dict]]:
    """(kind, search arguments) pairs: plain words at three frequencies, then each filter alone and combined."""
    doc_words = [sorted({w for w in words(f"{a.title or ''} {a.text}") if w.isalpha() and len(w) > 3})
                 for a, _ in docs]
    df = Counter(w for ws in doc_words for w in ws)
    ranked = [w for w, _ in df.most_common()]
    bands = {"common word": ranked[:30], "mid word": ranked[len(ranked) // 20:len(ranked) // 5],
             "rare word": [w for w in ranked if df[w] == 1]}
    pick = lambda pool, k=3: rng.sample(pool, min(k, len(pool)))  # noqa: E731
    mid = bands["mid word"] or ranked
    queries = [(kind, {"query": w}) for kind, pool in bands.items() for w in pick(pool)]
    for ws in pick([ws for ws in doc_words if len(ws) > 1]):
        queries.append(("two words", {"query": " ".join(rng.sample(ws, 2))}))
    queries += [("prefix", {"query": w[:4] + "*"}) for w in pick(mid)]
    outlets = [a.outlet for a, _ in docs if a.outlet]
    queries += [("word + outlet", {"query": w, "outlet": o}) for w, o in zip(pick(mid), pick(outlets))]
    dates = sorted(a.published[:10] for a, _ in docs if a.published)
    if dates:
        window = {"since": dates[len(dates) // 4], "until": dates[3 * len(dates) // 4]}
        queries += [("word + dates", {"query": w, **window}) for w in pick(mid)]
        queries.append(("dates only", window))
    sources = [a.source_entity or an.text_of(a.source) for _, an in docs for a in an.attributions]
    sources = [s for s in sources if words(s)]
    queries += [("source", {"source": s}) for s in pick(sources)]
    queries += [("source + stance", {"source": s, "stance": "deny"}) for s in pick(sources, 2)]
    queries += [("word + stance", {"query": w, "stance": "assert"}) for w in pick(mid)]
    return queries


def measure(store, queries: list[tuple[str, dict]], rounds: int) -> dict[str, list[float]]:
    for _, kwargs in queries:  # warm the caches once, as a long-running server or CLI session would be
        store.search(**kwargs)
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, kwargs in queries:
            start = time.perf_counter()
            store.search(**kwargs)
            times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="a SQLite path or a postgresql:// URL")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sample", type=int, default=200, help="articles read to build the queries")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with open_store(args.store) as store:
        stats = store.stats()
        if not stats["articles"]:
            print(f"{args.store}: the store is empty, nothing to search", file=sys.stderr)
            return 1
        queries = workload(sample(store, args.sample, rng), rng)
        times = measure(store, queries, args.rounds)
    print(f"store: {args.store}  articles {stats['articles']}  attributions {stats['attributions']}"
          f"  size {stats['size'] / 1e6:.1f} MB")
    print(f"{len(queries)} queries x {args.rounds} rounds")
    print(f"{'query':<18}{'n':>6}{'median ms':>12}{'p95 ms':>10}")
    for kind, values in times.items():
        print(f"{kind:<18}{len(values):>6}{statistics.median(values):>12.2f}{p95(values):>10.2f}")
    everything = [t for values in times.values() for t in values]
    print(f"{'all':<18}{len(everything):>6}{statistics.median(everything):>12.2f}{p95(everything):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
