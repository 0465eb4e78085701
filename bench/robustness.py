#!/usr/bin/env python3
"""Time and peak memory of reading against the size of the input, for news and for pathological texts.

    .venv/bin/python bench/robustness.py [--only WORD ...] [--scales 1 4 16] [--timeout 120] [--huge] [--json]
                                         [--root CHECKOUT]

Each probe reads one text with the real command, `according extract` (one process, the default per-article
limits), in a child process with a time limit, and returns one row: `{"probe", "kind", "size", "seconds",
"cpu_s", "peak_mb", "outcome", "note"}`. The outcome is `ok`, `failed` (the article failed alone; the note
says why), `timeout` (killed at the time limit) or `crash` (a traceback, or an exit status that means the run
itself broke). Seconds are wall time, model loading included (about 2 s); cpu_s is what the child used, which a
busy machine does not inflate; peak_mb is the child's maximum resident memory.

The texts: news (the newsdev articles of ../shared, read by path, else a paragraph of our own), and the patterns
that were superlinear (issue 9): one giant sentence of nested speech ("he said he said ..."), a run of
"according to", nested quotations, a run of quotation marks (one token a character) and "the report said" over
and over. Each is 16 KB at 1x, and runs at 1x, 4x and 16x: reading must grow linearly. `--huge` adds a 20 MB
news text read with no limits (the memory bound: peak RSS under 1.5 GB; it takes about 15 CPU minutes) and the
same text with the default limits (it fails alone, past the time limit).

The probes of bench/robustness_inputs.py (bad inputs, hostile servers, faults) run
in the same table: a probe is any function of a fresh temporary folder that returns such a row.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "newsdev" / "dev.docs.jsonl"
READER = ROOT  # the checkout whose `according` reads the texts (--root: another one, to compare before and after)
BASE_CHARS = 16_000  # every pattern's size at 1x
TIMEOUT = 120.0
HUGE_CHARS = 20_000_000
OWN_NEWS = ("The harbour master said on Tuesday that the cranes would stay idle until Monday, when the port "
            "authority is due to meet union officials. \"We will not go back for that offer,\" union secretary Ana "
            "Soto told reporters outside the gate. The authority denied reports that it had offered a secret bonus "
            "to crane drivers, according to a statement posted on its website.\n\n")

Probe = Callable[[Path], dict]


def news(chars: int) -> str:
    """News text of about `chars` characters: the newsdev articles in turn (by path), else our own paragraph."""
    texts = [json.loads(line)["text"] for line in NEWS.open(encoding="utf-8")] if NEWS.exists() else [OWN_NEWS]
    out, n = [], 0
    while n < chars:
        text = texts[len(out) % len(texts)]
        out.append(text)
        n += len(text) + 2
    return "\n\n".join(out)[:chars]


def repeat(unit: str) -> Callable[[int], str]:
    return lambda chars: (unit * (chars // len(unit) + 1))[:chars]


PATTERNS: list[tuple[str, Callable[[int], str]]] = [
    ("news", news),
    ("'he said ' repeated: one giant sentence of nested speech", repeat("he said ")),
    ("'according to ' repeated", repeat("according to ")),
    ("nested quotations", repeat("He said \"she said 'they said ")),
    ("quotation marks only: one token a character", repeat("\"")),
    ("'The report said the study was wrong, the paper said.' repeated",
     repeat("The report said the study was wrong, the paper said. ")),
]


def read_text(tmp: Path, text: str, *limits: str, timeout: float = TIMEOUT) -> tuple[dict, str]:
    """Read `text` as one document with `according extract` in a child process: (usage, outcome note)."""
    docs, out = tmp / "docs.jsonl", tmp / "pred.jsonl"
    docs.write_text(json.dumps({"id": "probe", "text": text}) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(READER)}
    command = [sys.executable, "-m", "according.cli", "extract", str(docs), "-o", str(out), "-q", *limits]
    with tempfile.TemporaryFile() as err:
        started = time.monotonic()
        # in the probe's folder: `python -m` puts the working folder first on the path, before READER
        child = subprocess.Popen(command, cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=err, start_new_session=True)
        status = usage = None
        while time.monotonic() - started < timeout:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            _, _, usage = os.wait4(child.pid, 0)
            status = None
        child.returncode = 0  # reaped by wait4
        seconds = time.monotonic() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    measured = {"seconds": round(seconds, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                "peak_mb": round(usage.ru_maxrss / 1024)}
    if status is None:
        return measured, f"timeout: killed after {seconds:.0f} s"
    code = os.waitstatus_to_exitcode(status)
    if "Traceback (most recent call last)" in stderr or code not in (0, 3):
        return measured, f"crash: exit {code}: {stderr.strip().splitlines()[-1][:100] if stderr.strip() else ''}"
    result = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    if "error" in result:
        return measured, "failed: " + result["error"][:100]
    return measured, f"ok: {len(result['attributions'])} attributions"


def text_probe(name: str, make: Callable[[int], str], chars: int, *limits: str, label: str = "",
               timeout: float = TIMEOUT) -> Probe:
    def probe(tmp: Path) -> dict:
        measured, note = read_text(tmp, make(chars), *limits, timeout=timeout)
        outcome, _, note = note.partition(": ")
        return {"probe": name, "kind": "text", "size": label or _size(chars), **measured, "outcome": outcome,
                "note": note}

    probe.__name__ = f"text {name} {label or _size(chars)}"
    return probe


def text_probes(scales: list[int], timeout: float = TIMEOUT, huge: bool = False) -> list[Probe]:
    probes = [text_probe(name, make, BASE_CHARS * scale, label=f"{scale}x {_size(BASE_CHARS * scale)}",
                         timeout=timeout)
              for name, make in PATTERNS for scale in scales]
    if huge:
        probes += [text_probe("news, no limits", news, HUGE_CHARS, "--time-limit", "0", "--memory-limit", "0",
                              timeout=3 * 3600),
                   text_probe("news, default limits", news, HUGE_CHARS, timeout=3600)]
    return probes


def _size(chars: int) -> str:
    return f"{chars / 1e6:g} MB" if chars >= 1_000_000 else f"{chars / 1000:g} KB"


def _inputs():
    """bench/robustness_inputs.py, whose probes (bad inputs, hostile servers, faults) and runner this table shares."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import robustness_inputs
    finally:
        sys.path.pop(0)
    return robustness_inputs


def input_probes() -> list[Probe]:
    return list(_inputs().PROBES)


def run_probes(probes: list[Probe], only: list[str] | None = None,
               on_row: Callable[[dict], None] | None = None) -> list[dict]:
    """Each probe in a fresh temporary folder, as bench/robustness_inputs.py runs its own."""
    return _inputs().run_probes(probes, only, on_row)


COLUMNS = [("probe", 62), ("kind", 6), ("size", 10), ("seconds", 7), ("cpu_s", 6), ("peak_mb", 7), ("outcome", 8),
           ("note", 0)]


def table_line(row: dict) -> str:
    cells = []
    for key, width in COLUMNS:
        value = str(row.get(key, ""))
        cells.append(value[:width].ljust(width) if width else value[:90])
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="only probes whose name holds one of these words")
    ap.add_argument("--scales", nargs="*", type=int, default=[1, 4, 16], help="sizes, in 16 KB (default 1 4 16)")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds a text probe may run")
    ap.add_argument("--huge", action="store_true", help="also read a 20 MB text, with and without limits (slow)")
    ap.add_argument("--no-inputs", action="store_true", help="leave out the probes of bench/robustness_inputs.py")
    ap.add_argument("--json", action="store_true", help="print rows as JSON lines instead of a table")
    ap.add_argument("--root", type=Path, default=ROOT, help="read with the `according` of another checkout")
    args = ap.parse_args(argv)
    global READER
    READER = args.root.resolve()
    if not NEWS.exists():
        print(f"robustness: {NEWS} not found: news probes read a paragraph of our own instead", file=sys.stderr)
    probes = text_probes(args.scales, args.timeout, args.huge) + ([] if args.no_inputs else input_probes())
    if args.json:
        show = lambda row: print(json.dumps(row), flush=True)  # noqa: E731
    else:
        print(table_line({key: key for key, _ in COLUMNS}))
        print("|" + "|".join("-" * ((width or 4) + 2) for _, width in COLUMNS) + "|")
        show = lambda row: print(table_line(row), flush=True)  # noqa: E731
    rows = run_probes(probes, args.only, show)
    outcomes: dict[str, int] = {}
    for row in rows:
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
    print(f"\n{len(rows)} probes: " + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
