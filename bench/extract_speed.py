#!/usr/bin/env python3
"""How much `according extract` costs on top of bare spaCy parsing, with 1 and 2 processes, and its peak memory.

    .venv/bin/python bench/extract_speed.py [--docs PATH] [--batch-size 16] [--slices 8] [--limit N] [--cli]

Reads the 904 real article bodies of ../shared/data/fnc1/test.docs.jsonl (targets: extract/bare >= 0.8, peak RSS
of extract with 2 processes < 1 GB). Both sides run in the same kind of worker pool, on the same batches, with the
same model (bare: `spacy.load` with none of according's components; extract: what the CLI runs, predictions
written as the CLI writes them). The corpus is cut into slices and the sides take turns on each slice, in ABBA
order, so a noisy shared machine slows both alike instead of favouring whichever ran in the quiet minute.
Peak memory is sampled from /proc (parent plus workers, Linux). `--cli` also times the real command
`according extract -p 2` end to end, model loading included.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from according.extract.extractor import DEFAULT_MODEL
from according.scale import ProcessPool, Record, Result, read_docs, write_predictions
from according.scale.engine import chunked
from according.scale.worker import BATCH_CHARS, spacy_batches

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "data" / "fnc1" / "test.docs.jsonl"
_bare = None


def bare_load(model: str | None) -> None:
    global _bare
    import spacy

    _bare = spacy.load(model or os.environ.get("ACCORDING_MODEL") or DEFAULT_MODEL)


def bare_chunk(records: list[Record], batch_size: int, model: str | None, limits=None) -> list[Result]:
    """Parse only, with the batches extract would use; return next to nothing so IPC favours neither side."""
    todo = [(i, r, None) for i, r in enumerate(records)]
    out = []
    for batch in spacy_batches(todo, batch_size):
        out.extend(Result(r.id, {"tokens": len(doc)})
                   for (_, r, _), doc in zip(batch, _bare.pipe([r.text for _, r, _ in batch],
                                                               batch_size=len(batch))))
    return out


class PeakRss:
    """Samples the resident memory of named groups of processes; keeps each group's peak sum."""

    def __init__(self, interval: float = 0.1):
        self.groups: dict[str, list[int]] = {}
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def watch(self, name: str, pids: list[int]) -> None:
        self.groups[name] = list(pids)

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.sample()

    def sample(self) -> None:
        for name, pids in list(self.groups.items()):
            total = sum(self._rss(pid) for pid in pids)
            self.peaks[name] = max(self.peaks.get(name, 0), total)

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as f:
                return int(f.read().split()[1]) * self._page
        except (OSError, IndexError, ValueError):
            return 0


def descendants(pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                children.append(int(entry))
    return children + [d for c in children for d in descendants(c)]


def measure(processes: int, records: list[dict], args, rss: PeakRss) -> dict:
    """Seconds per side over all slices, alternating which side goes first."""
    n = max(1, len(records) // args.slices)
    slices = [records[i:i + n] for i in range(0, len(records), n)]
    seconds = {"bare": 0.0, "extract": 0.0}
    errors = 0
    with ProcessPool(processes, args.batch_size, args.model) as extract_pool, \
            ProcessPool(processes, args.batch_size, args.model, task=bare_chunk, preload=bare_load) as bare_pool:
        pools = {"extract": extract_pool, "bare": bare_pool}
        for name, pool in pools.items():
            rss.watch(f"{name}, {processes} process(es)", [os.getpid(), *pool.warm()])
        for k, part in enumerate(slices):
            order = ["bare", "extract"] if k % 4 in (0, 3) else ["extract", "bare"]
            for name in order:
                started = time.perf_counter()
                results = pools[name].imap(chunked(part, args.batch_size))
                if name == "extract":
                    errors += write_predictions(results, io.StringIO()).failed
                else:
                    for _ in results:
                        pass
                seconds[name] += time.perf_counter() - started
            print(f"  {processes} process(es), slice {k + 1}/{len(slices)}: bare {seconds['bare']:.1f} s, "
                  f"extract {seconds['extract']:.1f} s so far", file=sys.stderr)
    return {"seconds": seconds, "errors": errors}


def run_cli(records: list[dict], args, rss: PeakRss) -> float:
    """The real command, end to end (model loading included), its process tree's memory sampled."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps(r.fields()) + "\n" for r in records)
    try:
        return _time_cli(Path(f.name), args, rss)
    finally:
        os.unlink(f.name)


def _time_cli(docs: Path, args, rss: PeakRss) -> float:
    command = [sys.executable, "-m", "according.cli", "extract", str(docs), "-o", os.devnull, "-p", "2", "-q",
               "--batch-size", str(args.batch_size)] + (["--model", args.model] if args.model else [])
    started = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    while child.poll() is None:
        rss.watch("according extract -p 2 (CLI)", [child.pid, *descendants(child.pid)])
        time.sleep(0.2)
    if child.returncode not in (0, 3):
        sys.exit(f"bench: `according extract` failed ({child.returncode}): {child.stderr.read()}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=DOCS, help="docs JSONL (default: the FNC-1 test bodies)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--slices", type=int, default=8, help="turns each side takes (more: fairer, more tail)")
    parser.add_argument("--limit", type=int, help="only the first N documents (a quick look)")
    parser.add_argument("--model", help="spaCy pipeline (default: $ACCORDING_MODEL, else the bundled one)")
    parser.add_argument("--cli", action="store_true", help="also time the real `according extract -p 2`")
    args = parser.parse_args()
    if not args.docs.exists():
        sys.exit(f"bench: {args.docs} not found. This benchmark reads the FNC-1 test bodies from ../shared beside "
                 "the repository; pass --docs PATH to run it on another docs JSONL file.")
    records = [r for r in read_docs(args.docs) if isinstance(r.text, str)][:args.limit]
    words = sum(len(r.text.split()) for r in records)
    print(f"{args.docs}: {len(records)} articles, {words:,} words; model {args.model or DEFAULT_MODEL}; batches of "
          f"<= {args.batch_size} documents and <= {BATCH_CHARS:,} characters; {args.slices} slices, sides alternating")

    rows, rates = [], {}
    with PeakRss() as rss:
        for processes in (1, 2):
            m = measure(processes, records, args, rss)
            for name in ("bare", "extract"):
                s = m["seconds"][name]
                rates[name, processes] = len(records) / s
                rows.append((f"{processes} process{'es' if processes > 1 else ''}", name, len(records) / s, words / s))
            if m["errors"]:
                print(f"  note: {m['errors']} document(s) gave error records", file=sys.stderr)
        cli_seconds = run_cli(records, args, rss) if args.cli else None

    print(f"\n{'':12} {'':8} {'articles/s':>11} {'words/s':>9}")
    for label, name, aps, wps in rows:
        print(f"{label:12} {name:8} {aps:11.1f} {wps:9,.0f}")
    for processes in (1, 2):
        print(f"ratio extract/bare, {processes} process(es): {rates['extract', processes] / rates['bare', processes]:.2f}"
              " (target >= 0.80)")
    print(f"scaling 1 -> 2 processes: extract x{rates['extract', 2] / rates['extract', 1]:.2f}, "
          f"bare x{rates['bare', 2] / rates['bare', 1]:.2f}")
    if cli_seconds:
        print(f"according extract -p 2 (CLI, model loading included): {cli_seconds:.1f} s, "
              f"{len(records) / cli_seconds:.1f} articles/s")
    print("peak RSS, parent + workers:")
    for name, peak in rss.peaks.items():
        target = " (target < 1 GB)" if name.startswith("extract") else ""
        print(f"  {name}: {peak / 2**20:,.0f} MB{target}")


if __name__ == "__main__":
    main()
