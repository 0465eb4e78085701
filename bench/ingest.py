#!/usr/bin/env python3
"""Ingest speed against bare spaCy parsing, peak memory, database size, then search latency on the filled store.

    .venv/bin/python bench/ingest.py [--docs PATH ...] [--limit N] [--processes 1 2] [--engine pool|local]

Reads the 2,587 real article bodies of ../shared/data/fnc1/{train,test}.docs.jsonl (issue 3's targets: ingest with
storing included at >= 0.75 of bare parsing; search median < 50 ms). For each process count, `ingest` runs as
`according ingest -p N` does (the pool engine: N extraction workers, the parent reading, linking and writing) into
a fresh SQLite store, then bare spaCy parses the same texts with the same model and batch size (`nlp.pipe`, with
`n_process=N`). Both sides are timed from start to finish, model loading included. Peak memory is the largest sum
of resident memory of this process and its children, sampled from /proc (Linux). bench/search.py then measures
search on the store of the last run. `--limit` takes the first N articles, for a quick run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FNC1 = ROOT.parent / "shared" / "data" / "fnc1"
DOCS = [FNC1 / "train.docs.jsonl", FNC1 / "test.docs.jsonl"]
BATCH_SIZE = 16  # what `according ingest` sends per chunk and spaCy parses per batch


class PeakRss:
    """The peak, over samples, of the summed resident memory of this process and all its descendants."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss_pages(pid) for pid in _tree(os.getpid())) * page)
            self._stop.wait(self.interval)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_pages(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def load_docs(paths: list[Path], limit: int | None) -> list[dict]:
    docs = []
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            docs.extend(json.loads(line) for line in lines if line.strip())
    return docs[:limit] if limit else docs


def bench_ingest(docs_path: Path, db: Path, engine: str, processes: int) -> dict:
    from according.corpus import ingest
    from according.store import open_store

    with PeakRss() as memory:
        started = time.perf_counter()
        with open_store(db) as store:
            summary = ingest([str(docs_path)], store, engine=engine, processes=processes, batch_size=BATCH_SIZE)
            stats = store.stats()
        seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return {"seconds": seconds, "summary": summary, "stats": stats, "size": size, "peak": memory.peak}


def bench_bare(texts: list[str], processes: int) -> dict:
    import spacy

    from according.extract.extractor import DEFAULT_MODEL

    with PeakRss() as memory:
        started = time.perf_counter()
        nlp = spacy.load(os.environ.get("ACCORDING_MODEL") or DEFAULT_MODEL)
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "tokens": tokens, "peak": memory.peak}


def search_median(db: Path) -> float | None:
    """Runs bench/search.py (its table is printed as is) and returns its overall median in ms."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "search.py"), str(db)], capture_output=True,
                          text=True, check=False)
    print(done.stdout, end="")
    if done.returncode:
        print(done.stderr, end="", file=sys.stderr)
        return None
    last = [line for line in done.stdout.splitlines() if line.startswith("all ")]
    return float(last[0].split()[2]) if last else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, nargs="+", default=DOCS, help="docs JSONL files (default: FNC-1)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engine", choices=["pool", "local"], default="pool",
                        help="pool: as `according ingest` runs (default); local: everything in one process")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.docs if not p.is_file()]
    if missing:
        print(f"bench/ingest.py: cannot find {', '.join(missing)}. The benchmark reads the FNC-1 article bodies "
              f"from ../shared/data/fnc1 beside the repository; pass other docs JSONL files with --docs.",
              file=sys.stderr)
        return 2
    docs = load_docs(args.docs, args.limit)
    texts = [d["text"] for d in docs]
    print(f"{len(docs)} articles, {sum(len(t.split()) for t in texts):,} words, from "
          f"{', '.join(str(p) for p in args.docs)}; engine {args.engine}, batch size {BATCH_SIZE}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="according-bench-") as tmp:
        corpus = Path(tmp) / "docs.jsonl"
        corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        rows, db = [], None
        for n in args.processes:
            db = Path(tmp) / f"ingest-{n}.db"
            ingested = bench_ingest(corpus, db, args.engine, n)
            bare = bench_bare(texts, n)
            rows.append((n, ingested, bare))
            s = ingested["summary"]
            print(f"\nprocesses {n}")
            print(f"  ingest  {len(texts) / ingested['seconds']:7.1f} articles/s  {ingested['seconds']:6.1f} s  "
                  f"peak RSS {ingested['peak'] / 1e6:6.0f} MB  (stored {s.stored}, near-copies {s.duplicates}, "
                  f"skipped {s.skipped}, failed {s.failed}; {ingested['stats']['attributions']} attributions)")
            print(f"  bare    {len(texts) / bare['seconds']:7.1f} articles/s  {bare['seconds']:6.1f} s  "
                  f"peak RSS {bare['peak'] / 1e6:6.0f} MB  (spaCy nlp.pipe only)")
            print(f"  ratio   {bare['seconds'] / ingested['seconds']:.2f} of bare parsing, storing included "
                  f"(target >= 0.75)")
            print(f"  store   {ingested['size'] / 1e6:.1f} MB on disk (SQLite, WAL checkpointed)")
        print(f"\nsearch on the store of the {args.processes[-1]}-process run:")
        median = search_median(db)
        print("\nsummary")
        for n, ingested, bare in rows:
            print(f"  {n} process(es): ingest {len(texts) / ingested['seconds']:.1f} articles/s, bare "
                  f"{len(texts) / bare['seconds']:.1f}, ratio {bare['seconds'] / ingested['seconds']:.2f}; "
                  f"peak RSS {ingested['peak'] / 1e6:.0f} MB; database {ingested['size'] / 1e6:.1f} MB")
        if median is not None:
            print(f"  search median {median:.2f} ms (target < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
