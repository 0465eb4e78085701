"""Search latency over a filled store: median and p95 in ms, per kind of query and overall.

The targets (issues 3 and 8) are a median under 50 ms and a p99 under 200 ms on the store the ingest benchmark fills
from FNC-1. Queries are built from the store itself: words of the stored texts at several frequencies, phrases cut
from the texts, OR and NOT of those words, their outlets, sources, stances and dates, so that every query has
answers to find. Each is a page of 20 hits; the last kinds page further, sort by date, count the total as
`according search` does (up to 1,000: "more than 1,000 hits" beyond) and count every hit per month (`stats`).

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
from according.store.search import COUNT_UP_TO
from according.store.terms import words


def sample(store, n: int, rng: random.Random) -> list:
    ids = list(store.ids())
    return [store.get(i) for i in rng.sample(ids, min(n, len(ids)))]


def workload(docs: list, rng: random.Random) -> list[tuple[str, dict]]:
    """(kind, search arguments) pairs: plain words at three frequencies, then each filter alone and combined, then
    phrases, OR, NOT, later pages and counts."""
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
    texts = [words(a.text) for a, _ in docs]
    for ws in pick([ws for ws in texts if len(ws) > 3]):
        at = rng.randrange(len(ws) - 2)
        queries.append(("phrase", {"query": f'"{" ".join(ws[at:at + 3])}"'}))
    queries += [("or", {"query": f"{a} OR {b}"}) for a, b in zip(pick(mid), pick(bands["rare word"] or mid))]
    queries += [("not", {"query": f"{a} -{b}"}) for a, b in zip(pick(bands["common word"]), pick(mid))]
    queries += [("phrase OR, outlet", {"query": f'"{q["query"][1:-1]}" OR {w}', "outlet": o})
                for (_, q), w, o in zip([q for q in queries if q[0] == "phrase"], pick(mid), pick(outlets))]
    queries += [("page 3, newest", {"query": w, "offset": 40, "sort": "newest"}) for w in pick(bands["common word"])]
    queries += [("total count", {"query": w, "count": True}) for w in pick(bands["common word"])]
    queries += [("stats by month", {"query": w, "tally": "month"}) for w in pick(mid)]
    return queries


def run(store, kwargs: dict) -> None:
    """A page of 20 hits; or the total as `according search` counts it (up to COUNT_UP_TO, past which it says
    "more than"), or the counts per month (`according stats`, which counts every hit)."""
    kwargs = dict(kwargs)
    by, count = kwargs.pop("tally", None), kwargs.pop("count", False)
    if by:
        store.tally(by, **kwargs)
    elif count:
        store.count(**kwargs, at_most=COUNT_UP_TO + 1)
    else:
        store.search(**kwargs)


def measure(store, queries: list[tuple[str, dict]], rounds: int) -> dict[str, list[float]]:
    for _, kwargs in queries:  # warm the caches once, as a long-running server or CLI session would be
        run(store, kwargs)
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, kwargs in queries:
            start = time.perf_counter()
            run(store, kwargs)
            times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


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
    print(f"{'query':<18}{'n':>6}{'median ms':>12}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, values in [*times.items(), ("all", [t for values in times.values() for t in values])]:
        print(f"{kind:<18}{len(values):>6}{statistics.median(values):>12.2f}{percentile(values, 0.95):>10.2f}"
              f"{percentile(values, 0.99):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
