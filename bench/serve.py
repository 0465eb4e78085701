#!/usr/bin/env python3
"""Load on the HTTP API: concurrent clients on loopback against `according serve`; requests/s, p50 and p99 per
endpoint.

    .venv/bin/python bench/serve.py according.db [--clients 20] [--workers 2] [--seconds 10] [--max-requests 2000]

The target (issue 8) is a p99 under 200 ms at 20 concurrent clients over the store of the 2,587 FNC-1 articles:
fill it with `according ingest ../shared/data/fnc1/train.docs.jsonl ../shared/data/fnc1/test.docs.jsonl --db
according.db`. The server runs as `according serve --workers N` in processes of its own on 127.0.0.1 (loopback only); the
clients are threads of this one, each endpoint in turn for at most `--seconds` and `--max-requests`. Requests are
drawn from the store itself: words of its titles (of the openings of texts without one) alone, in pairs and with
filters for search; its article ids; its claim ids; exports narrowed by a word or an outlet.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from according.store import open_store
from according.store.terms import words

ROOT = Path(__file__).resolve().parents[1]


def workload(db: str, rng: random.Random, n: int = 200) -> dict[str, list[str]]:
    """Paths to request, per endpoint."""
    with open_store(db) as store:
        ids = list(store.ids())
        articles = [store.get(i)[0] for i in rng.sample(ids, min(n, len(ids)))]
        claims = [c["id"] for c in store.corpus_claims(limit=None)]
    # words of each title, or of the opening of the text where there is none (FNC-1's bodies have no titles)
    titles = [sorted({w for w in words(a.title or " ".join(a.text.split()[:40])) if w.isalpha() and len(w) > 3})
              for a in articles]
    df = Counter(w for ws in titles for w in ws)
    vocabulary = [w for w, _ in df.most_common()] or ["said"]
    outlets = sorted({a.outlet for a in articles if a.outlet})
    search = [f"/api/search?q={w}" for w in rng.sample(vocabulary, min(40, len(vocabulary)))]
    search += [f"/api/search?q={'+'.join(rng.sample(ws, 2))}" for ws in rng.sample(titles, min(20, len(titles)))
               if len(ws) > 1]
    search += [f"/api/search?q={w}&stance=deny" for w in rng.sample(vocabulary, min(10, len(vocabulary)))]
    search += [f"/api/search?q={w}&offset=20" for w in vocabulary[:10]]
    search += [f"/api/search?outlet={o}" for o in outlets[:10]]
    return {
        "search": search,
        "search+facets": [f"{path}&facets=true" for path in search[::3]],
        "article": [f"/api/articles/{a.id}" for a in articles],
        "claim": [f"/api/claims/{c}" for c in rng.sample(claims, min(n, len(claims)))] or ["/api/claims"],
        "claims list": ["/api/claims?limit=50", "/api/claims?status=denied", "/api/claims?status=unverified",
                        "/api/claims?offset=50"],
        "export": [f"/api/export/csv?q={w}" for w in rng.sample(vocabulary, min(20, len(vocabulary)))]
                  + [f"/api/export/claims?q={w}" for w in rng.sample(vocabulary, min(10, len(vocabulary)))],
    }


def hammer(base: str, paths: list[str], clients: int, seconds: float, max_requests: int,
           rng: random.Random) -> tuple[list[float], int, float]:
    """Latencies (s) of every answered request, the failures, and the wall time: `clients` threads, each with
    its own connection, asking one request after another until the time or the request budget is spent."""
    latencies, failures, lock = [], 0, threading.Lock()
    budget = iter(range(max_requests))
    deadline = time.monotonic() + seconds
    seeds = [rng.random() for _ in range(clients)]

    def client(seed: float) -> None:
        nonlocal failures
        pick = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < deadline:
                with lock:
                    if next(budget, None) is None:
                        return
                started = time.perf_counter()
                try:
                    ok = http.get(pick.choice(paths)).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - started
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        failures += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(s,)) for s in seeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    """CPU time the process and its children (the workers) have used, user and system, from /proc (Linux): what
    the server itself spends, which the latencies do not show on a machine shared with other work. NaN where /proc
    is absent."""
    used = 0.0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # it ended while we looked
                continue
            if int(stat.parent.name) == pid or int(fields[1]) == pid:
                used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")
    return used if Path(f"/proc/{pid}").exists() else float("nan")


def serve(db: str, workers: int = 1):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    server = subprocess.Popen([sys.executable, "-m", "according.cli", "serve", "--db", db, "--host", "127.0.0.1",
                               "--port", str(port), "--workers", str(workers)], env=env,
                              stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode()}")
        try:
            httpx.get(f"{base}/api/claims?limit=1", timeout=5)
            return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="A filled store: a SQLite file or a PostgreSQL URL.")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="Server processes (`according serve --workers`).")
    parser.add_argument("--seconds", type=float, default=10.0, help="At most this long per endpoint.")
    parser.add_argument("--max-requests", type=int, default=2000, help="At most this many requests per endpoint.")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if "://" not in args.db and not Path(args.db).is_file():
        print(f"there is no store at {args.db}: fill one with `according ingest ... --db {args.db}`", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    paths = workload(args.db, rng)
    # stopped by a signal (a timeout), the server is still stopped with us
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server, base = serve(args.db, args.workers)
    try:
        with open_store(args.db) as store:
            counts = store.stats()
        print(f"{counts['articles']} articles, {counts['attributions']} statements; {args.clients} clients, "
              f"{args.workers} server processes, at most {args.seconds:g} s or {args.max_requests} requests per "
              f"endpoint, server at {base}")
        print(f"{'endpoint':<12} {'requests':>8} {'failed':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'server CPU ms/req':>17}")
        for name, pool in paths.items():
            hammer(base, pool, 2, 1.0, 20, rng)  # warm: the server's threads open their store connections
            used = cpu_seconds(server.pid)
            latencies, failed, wall = hammer(base, pool, args.clients, args.seconds, args.max_requests, rng)
            used = cpu_seconds(server.pid) - used
            ms = sorted(x * 1000 for x in latencies) or [float("nan")]
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            print(f"{name:<12} {len(latencies):>8} {failed:>6} {len(latencies) / wall:>7.1f} "
                  f"{statistics.median(ms):>7.1f} {p99:>7.1f} {used * 1000 / max(1, len(latencies) + failed):>17.1f}",
                  flush=True)
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on "
              f"{os.cpu_count()} cores")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # still answering slow requests of clients that gave up
            server.kill()
            server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
