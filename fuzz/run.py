#!/usr/bin/env python3
"""Fuzz the readers and `according.analyze` (fuzz/fuzz_readers.py) and report crashes, hangs and peak memory.

    .venv/bin/pip install -e '.[fuzz]'
    .venv/bin/python fuzz/run.py [--runs 1000000] [--minutes 30] [--out FOLDER] [--timeout 10] [--rss-limit-mb 2048]

One process on one core: libFuzzer runs the target in-process, from the seeds of fuzz/seeds and the corpus it
grows in `--out`/corpus. libFuzzer stops at the first crash, hang (an input over `--timeout` seconds) or
out-of-memory (past `--rss-limit-mb`); the runner then starts it again on the same corpus, until `--runs` inputs
have been tried or `--minutes` have passed, whichever comes first. The inputs that broke it are kept in
`--out`/artifacts (crash-*, timeout-*, oom-*), to be replayed with `python fuzz/fuzz_readers.py FILE`.
Not run in CI: it is a command with figures, like those of bench/.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DONE = re.compile(r"Done (\d+) runs")
PROGRESS = re.compile(r"^#(\d+)\s.*?rss: (\d+)Mb", re.M)
KINDS = {"crash": "crashes", "timeout": "hangs", "oom": "out of memory", "slow-unit": "slow"}


def fuzz_once(out: Path, runs: int, seconds: int, timeout: int, rss_limit_mb: int,
              max_len: int) -> tuple[int, int, int, str]:
    """One libFuzzer session: (inputs run, peak RSS in MB, exit status, its log)."""
    command = [sys.executable, str(HERE / "fuzz_readers.py"), str(out / "corpus"), str(HERE / "seeds"),
               f"-runs={runs}", f"-max_total_time={seconds}", f"-timeout={timeout}", f"-rss_limit_mb={rss_limit_mb}",
               f"-max_len={max_len}", f"-artifact_prefix={out / 'artifacts'}/", "-print_final_stats=1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(out / "fuzz.log", "ab") as log:
        started = log.tell()
        child = subprocess.Popen(command, cwd=out, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = 0  # reaped by wait4
    text = (out / "fuzz.log").read_bytes()[started:].decode("utf-8", "replace")
    done = DONE.search(text)
    seen = [int(n) for n, _ in PROGRESS.findall(text)]
    runs_done = int(done.group(1)) if done else max(seen, default=0)
    final = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    if final:
        runs_done = int(final.group(1))
    return runs_done, round(usage.ru_maxrss / 1024), os.waitstatus_to_exitcode(status), text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1_000_000, help="inputs to try (default 1,000,000)")
    ap.add_argument("--minutes", type=float, default=30.0, help="or stop after this long (default 30)")
    ap.add_argument("--out", type=Path, default=Path("fuzz-out"), help="corpus, artifacts and log (default ./fuzz-out)")
    ap.add_argument("--timeout", type=int, default=10, help="seconds one input may take before it is a hang")
    ap.add_argument("--rss-limit-mb", type=int, default=2048, help="resident memory that counts as a blow-up")
    ap.add_argument("--max-len", type=int, default=16384, help="largest input, in bytes")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    (out / "artifacts").mkdir(exist_ok=True)
    before = set(os.listdir(out / "artifacts"))
    deadline = time.monotonic() + args.minutes * 60
    total, peak, sessions, unexplained = 0, 0, 0, 0
    started = time.monotonic()
    while total < args.runs and time.monotonic() < deadline - 5:
        runs, rss, code, log = fuzz_once(out, args.runs - total, int(deadline - time.monotonic()), args.timeout,
                                         args.rss_limit_mb, args.max_len)
        total, peak, sessions = total + runs, max(peak, rss), sessions + 1
        print(f"fuzz: session {sessions}: {runs:,} inputs, peak {rss} MB, exit status {code}; {total:,} in all "
              f"after {(time.monotonic() - started) / 60:.1f} min", file=sys.stderr, flush=True)
        if "Done" not in log and "ERROR: " not in log:  # killed from outside, or a crash libFuzzer did not see
            unexplained += 1
            print(f"fuzz: the session ended without a libFuzzer verdict; see {out / 'fuzz.log'}", file=sys.stderr)
            if runs < 100:
                break  # it would only end the same way again
    found = sorted(set(os.listdir(out / "artifacts")) - before)
    counts = {label: sum(name.startswith(kind + "-") for name in found) for kind, label in KINDS.items()}
    minutes = (time.monotonic() - started) / 60
    print("| inputs | minutes | inputs/s | sessions | crashes | hangs | out of memory | other ends | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {total:,} | {minutes:.1f} | {total / max(minutes * 60, 1):.0f} | {sessions} | {counts['crashes']} | "
          f"{counts['hangs']} | {counts['out of memory']} | {unexplained} | {peak} MB |")
    for name in found:
        print(f"  {out / 'artifacts' / name}")
    return 1 if found or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
