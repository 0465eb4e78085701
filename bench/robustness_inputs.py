#!/usr/bin/env python3
"""Probes of bad inputs, hostile servers and faults (issue 9): each runs the real CLI in a child process.

    .venv/bin/python bench/robustness_inputs.py [--only NAME ...] [--json] [--root CHECKOUT]

Each probe sets up one bad input (a FIFO in a folder, a JSONL line of 100k brackets, a gzip bomb in a WARC archive),
a hostile server on 127.0.0.1 (a header line a second, a redirect loop, an endless body) or a fault (a disk that
fills up, a store in a read-only folder), runs `according` on it with a time limit, and returns one row:
`{"probe", "kind", "seconds", "peak_mb", "outcome", "note"}`. Outcomes:

- clean: it ended in time, no traceback, every good record beside the bad one stored (or read), the bad one named;
- traceback: a Python traceback reached the user;
- hang: still running at the time limit (then killed);
- lost: it ended, but a good record was lost, stored wrong, or the run did not end as it should (the note says how);
- orphan: a process of the run was still alive `ORPHAN_GRACE` seconds after it ended;
- memory: its processes passed `MEMORY_LIMIT_MB` resident (then killed, before they take the machine down).

Peak memory is the child's maximum resident set (`wait4`), which covers the processes it waited for. Every process
of a probe carries a marker in its environment, so that one left behind is found (and killed) by it. `PROBES` is
the catalogue; bench/robustness.py runs it in the same table as its pathological texts.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import io
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the checkout whose `according` is probed (--root: another one)
TIME_LIMIT = 120.0  # seconds a probe may run before it counts as a hang
ORPHAN_GRACE = 5.0  # seconds a process of a run may outlive it before it counts as an orphan
MEMORY_LIMIT_MB = 3000  # resident memory of a probe's processes before it counts as a blow-up
ARTICLE = ("The harbour master said on Tuesday that the cranes would stay idle until Monday. Union officials told "
           "reporters that the strike would go on, and the port authority denied that it had offered a bonus.\n")
MARKER = "ACCORDING_PROBE"
PROBED = ROOT


def article(n: int) -> str:
    """A short news text of our own, different for each n (so that no two are near-copies)."""
    places = ["harbour", "bridge", "station", "airport", "market", "library", "stadium", "hospital"]
    words = " ".join(f"{places[(n + k) % len(places)]}{n}x{k}" for k in range(12))
    return (f"The mayor said on day {n} that the {places[n % len(places)]} would close for repairs. "
            f"Officials told reporters that the works on {words} would take a month, and the council denied "
            f"that the costs had doubled.\n")


# ---------------------------------------------------------------------------------------------------- running


@dataclass
class Run:
    """What one CLI run did: exit status, output, time, peak memory, and processes it left behind."""

    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    orphans: list[int] = field(default_factory=list)
    over_memory: bool = False  # killed for passing MEMORY_LIMIT_MB

    @property
    def hung(self) -> bool:
        return self.returncode is None and not self.over_memory


def run_cli(args: list[str], *, cwd: Path, timeout: float = TIME_LIMIT, stdin=None,
            preexec: Callable[[], None] | None = None, python: str | None = None, prefix: list[str] = (),
            kill_when: Callable[[float], bool] | None = None) -> Run:
    """`according ARGS` (or `python -c CODE` when `python` is given) in a child process with a time limit.

    kill_when(seconds so far): polled while the run goes on; once true, the run's own process gets kill -9 (only
    it, not its process group: the workers it started must notice by themselves).
    """
    marker = uuid.uuid4().hex
    env = {**os.environ, MARKER: marker, "PYTHONPATH": str(PROBED), "ACCORDING_DB": "", "COLUMNS": "200"}
    command = [*prefix, sys.executable, *(["-c", python] if python else ["-m", "according.cli", *map(str, args)])]
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                             stdout=out, stderr=err, preexec_fn=preexec, start_new_session=True)
    status, usage, over, checked = None, None, False, 0.0
    while time.monotonic() - started < timeout:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if kill_when is not None and kill_when(time.monotonic() - started):
            os.kill(child.pid, signal.SIGKILL)
            kill_when = None
        if time.monotonic() - checked > 0.25:  # a blow-up is stopped before it takes the machine with it
            checked = time.monotonic()
            over = _resident_mb(_marked(marker)) > MEMORY_LIMIT_MB
            if over:
                break
        time.sleep(0.02)
    if not pid:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        _, status, usage = os.wait4(child.pid, 0)
        status = None
    seconds = time.monotonic() - started
    child.returncode = 0  # reaped by wait4; keeps Popen from waiting again
    orphans = _marked(marker)
    grace = time.monotonic() + ORPHAN_GRACE
    while orphans and time.monotonic() < grace:  # pool workers notice their parent's exit within a second
        time.sleep(0.1)
        orphans = _marked(marker)
    for pid in orphans:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    out.seek(0)
    err.seek(0)
    code = None if status is None else os.waitstatus_to_exitcode(status)
    return Run(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), seconds,
               usage.ru_maxrss / 1024 if usage else 0.0, orphans, over)


def _resident_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{pid}/statm") as f:
            total += int(f.read().split()[1])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def _marked(marker: str) -> list[int]:
    """Processes still alive whose environment carries this probe's marker."""
    found = []
    needle = f"{MARKER}={marker}".encode()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/environ", "rb") as f:
                    if needle in f.read().split(b"\0"):
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def combine(*runs: Run) -> Run:
    """Several runs of one probe as one: the first that went wrong gives the status; times add up."""
    worst = next((r for r in runs if r.over_memory or r.hung or "Traceback (most recent" in r.stderr), runs[0])
    return Run(worst.returncode, "".join(r.stdout for r in runs), "".join(r.stderr for r in runs),
               sum(r.seconds for r in runs), max(r.peak_mb for r in runs), [p for r in runs for p in r.orphans],
               any(r.over_memory for r in runs))


def row(probe: str, kind: str, run: Run, problem: str | None, note: str = "") -> dict:
    """The table row for a run; `problem` is what went wrong with the result, None when all is as it should be."""
    if run.over_memory:
        outcome, note = "memory", f"killed at over {MEMORY_LIMIT_MB:,} MB resident"
    elif run.hung:
        outcome, note = "hang", f"killed after {run.seconds:.0f} s"
    elif "Traceback (most recent call last)" in run.stderr + run.stdout:
        outcome = "traceback"
        note = run.stderr.strip().splitlines()[-1][:120] if run.stderr.strip() else note
    elif run.orphans:
        outcome, note = "orphan", f"{len(run.orphans)} process(es) left"
    elif problem:
        outcome, note = "lost", problem
    else:
        outcome = "clean"
    return {"probe": probe, "kind": kind, "seconds": round(run.seconds, 1), "peak_mb": round(run.peak_mb),
            "outcome": outcome, "note": note or f"exit {run.returncode}"}


def stored_texts(db: Path) -> list[str]:
    if not db.exists():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT text FROM articles")]


def expect(run: Run, code: int, *needles: str, stored: list[str] | None = None, db: Path | None = None,
           absent: tuple[str, ...] = ()) -> str | None:
    """None when the run exited with `code`, said each needle, and stored exactly the texts in `stored`."""
    if run.returncode != code:
        return f"exit {run.returncode}, expected {code}: {run.stderr.strip()[-160:]}"
    for needle in needles:
        if needle not in run.stderr + run.stdout:
            return f"did not say {needle!r}"
    if db is not None and stored is not None:
        texts = stored_texts(db)
        missing = [t for t in stored if not any(t.strip() in s for s in texts)]
        if missing:
            return f"{len(missing)} good record(s) not stored"
        if any(word in s for s in texts for word in absent):
            return "stored what it should have refused"
    return None


# ------------------------------------------------------------------------------------------ hostile servers


@contextlib.contextmanager
def raw_server(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that hands each connection to `answer`; yields its base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_answer, args=(answer, conn, stop), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def _answer(answer, conn: socket.socket, stop: threading.Event) -> None:
    with conn:
        with contextlib.suppress(OSError):
            conn.recv(65536)
            answer(conn, stop)


def drip_headers(conn: socket.socket, stop: threading.Event, every: float = 1.0) -> None:
    """A status line, then a header line every `every` seconds for as long as the client listens: each read
    succeeds, the response never ends."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    n = 0
    while not stop.is_set():
        conn.sendall(b"X-Drip-%d: 1\r\n" % n)
        n += 1
        time.sleep(every)


def endless_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"<p>" + b"word " * 2000 + b"</p>"
    while not stop.is_set():
        conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def redirect_loop(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n")


def page(conn: socket.socket, stop: threading.Event) -> None:
    body = f"<html><head><title>Cranes idle</title></head><body><article><p>{ARTICLE}</p></article></body></html>"
    data = body.encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s"
                 % (len(data), data))


# ---------------------------------------------------------------------------------------------------- probes


def probe_drip_headers(tmp: Path) -> dict:
    with raw_server(drip_headers) as base:
        run = run_cli(["ingest", base + "/slow", "--allow-private", "--db", tmp / "s.db", "--engine", "local", "-q"],
                      cwd=tmp)
    return row("server sends a header line a second", "server", run, expect(run, 3, "timed out"))


def probe_endless_body(tmp: Path) -> dict:
    with raw_server(endless_body) as base:
        run = run_cli(["ingest", base + "/big", "--allow-private", "--db", tmp / "s.db", "--engine", "local", "-q"],
                      cwd=tmp)
    return row("server sends an endless body", "server", run, expect(run, 3, "byte limit"))


def probe_redirect_loop(tmp: Path) -> dict:
    with raw_server(redirect_loop) as base:
        run = run_cli(["ingest", base + "/a", "--allow-private", "--db", tmp / "s.db", "--engine", "local", "-q"],
                      cwd=tmp)
    return row("server redirects forever", "server", run, expect(run, 3, "redirects"))


def _refused_address(address: str, label: str):
    def probe(tmp: Path) -> dict:
        run = run_cli(["ingest", f"http://[{address}]/admin", "--db", tmp / "s.db", "--engine", "local", "-q"],
                      cwd=tmp)
        return row(label, "server", run, expect(run, 3, "refused", address))
    probe.__name__ = f"probe_refused_{label.split()[0].lower()}"
    return probe


def probe_capital_scheme(tmp: Path) -> dict:
    with raw_server(page) as base:
        run = run_cli(["ingest", base.replace("http://", "HTTP://") + "/a.html", "--allow-private", "--db",
                       tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row("URL with HTTP:// in capitals", "server", run,
               expect(run, 0, stored=[ARTICLE.split(". ")[0]], db=tmp / "s.db"))


def probe_dev_zero(tmp: Path) -> dict:
    run = run_cli(["ingest", "/dev/zero", "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row("/dev/zero named as a source", "file", run, expect(run, 3, "a device"))


def probe_endless_stdin(tmp: Path) -> dict:
    with open("/dev/zero", "rb") as zeros:
        run = run_cli(["ingest", "-", "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp, stdin=zeros)
    return row("endless stdin (/dev/zero piped in)", "file", run, expect(run, 3, "bytes"))


def probe_fifo_in_folder(tmp: Path) -> dict:
    folder = tmp / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    os.mkfifo(folder / "b.txt")
    run = run_cli(["ingest", folder, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row("FIFO inside a folder", "file", run, expect(run, 3, "FIFO", stored=[ARTICLE], db=tmp / "s.db"))


def probe_link_out_of_folder(tmp: Path) -> dict:
    folder = tmp / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    secret = tmp / "secret.txt"
    secret.write_text("The vault code is 4711, the treasurer said in a note that nobody should read.\n")
    (folder / "b.txt").symlink_to(secret)
    (folder / "c.txt").symlink_to("/etc/passwd")
    run = run_cli(["ingest", folder, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row("links out of a folder (a secret, /etc/passwd)", "file", run,
               expect(run, 3, "outside the folder", stored=[ARTICLE], db=tmp / "s.db", absent=("4711", "root:")))


def probe_warc_gzip_bomb(tmp: Path) -> dict:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp / "bomb.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://example.org/bomb", "response",
                                                      payload=_ZeroPage(1 << 30), http_headers=headers,
                                                      length=(1 << 30)))
        good = f"<html><body><article><p>{ARTICLE}</p></article></body></html>".encode()
        writer.write_record(writer.create_warc_record("https://example.org/good", "response",
                                                      payload=io.BytesIO(good), http_headers=headers))
    run = run_cli(["ingest", path, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row(f"WARC record whose gzip body expands to 1 GB ({path.stat().st_size // 1024} KB)", "file", run,
               expect(run, 3, "more than", stored=[ARTICLE.split(". ")[0]], db=tmp / "s.db"))


class _ZeroPage(io.RawIOBase):
    """An HTML page of `size` bytes, mostly spaces, produced as it is read (never held whole)."""

    def __init__(self, size: int):
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = b" " * n
        self.left -= n
        return n


def probe_deep_divs(tmp: Path) -> dict:
    path = tmp / "deep.html"
    path.write_text(f"<html><head><title>Cranes</title></head><body>{'<div>' * 100_000}<p>{ARTICLE}</p>"
                    f"{'</div>' * 100_000}</body></html>")
    run = run_cli(["ingest", path, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row("article inside 100k nested <div>s", "file", run,
               expect(run, 0, stored=[ARTICLE.split(". ")[0]], db=tmp / "s.db"))


def _jsonl(tmp: Path, bad: bytes) -> tuple[Path, list[str]]:
    good = [article(n) for n in range(3)]
    path = tmp / "docs.jsonl"
    lines = [json.dumps({"id": "g0", "text": good[0]}).encode(), bad,
             *(json.dumps({"id": f"g{n}", "text": t}).encode() for n, t in enumerate(good[1:], 1))]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, good


def _jsonl_probe(label: str, bad: bytes, says: str, code: int = 3, mended: str | None = None):
    """`mended`: the bad line is one to mend and read (its text as stored), not one to fail."""
    def probe(tmp: Path) -> dict:
        path, good = _jsonl(tmp, bad)
        good += [mended] if mended else []
        ingested = run_cli(["ingest", path, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
        problem = expect(ingested, code, says, stored=good, db=tmp / "s.db")
        extracted = run_cli(["extract", path, "-o", tmp / "p.jsonl", "-q"], cwd=tmp)
        lines = (tmp / "p.jsonl").read_text().splitlines() if (tmp / "p.jsonl").exists() else []
        predicted = [json.loads(line) for line in lines]
        if problem is None and len([p for p in predicted if "attributions" in p]) != len(good):
            problem = f"extract read {len([p for p in predicted if 'attributions' in p])} of {len(good)} good lines"
        return row(label + " (ingest, extract)", "record", combine(ingested, extracted), problem)
    probe.__name__ = "probe_" + label.split()[0]
    return probe


def probe_feed_surrogate(tmp: Path) -> dict:
    path = tmp / "feed.xml"
    items = "".join(f"<item><title>{title}</title><description>{article(n)}</description></item>"
                    for n, title in enumerate(["Bad &#xD800; title", "Good title"]))
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>')
    run = run_cli(["ingest", path, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
    return row("feed item title with &#xD800;", "record", run,
               expect(run, 0, stored=[article(0), article(1)], db=tmp / "s.db"))


def probe_analyze_surrogate(tmp: Path) -> dict:
    run = run_cli([], cwd=tmp, python="import according; a = according.analyze('x \\ud800 the mayor said.'); "
                                      "print(a.text.encode('utf-8'))")
    return row("according.analyze('x \\ud800')", "api", run, expect(run, 0))


def probe_analyze_unknown_keyword(tmp: Path) -> dict:
    run = run_cli([], cwd=tmp, python="import according\ntry:\n    according.analyze('x', titel='t')\n"
                                      "except TypeError as e:\n    print('refused:', e)")
    return row("according.analyze(text, titel=...)", "api", run, expect(run, 0, "refused:", "titel"))


def probe_disk_full(tmp: Path) -> dict:
    docs = tmp / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": str(n), "text": article(n) * 3}) + "\n" for n in range(200)))

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails (EFBIG), as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    run = run_cli(["ingest", docs, "--db", tmp / "s.db", "-q"], cwd=tmp, preexec=small_disk)
    problem = expect(run, 1, "[A410]", " 0 failed")
    if problem is None:
        again = run_cli(["ingest", docs, "--db", tmp / "s.db", "--engine", "local", "-q"], cwd=tmp)
        problem = expect(again, 0, stored=[article(n) for n in range(200)], db=tmp / "s.db")
    return row("disk full mid-run (pool engine, then a rerun)", "fault", run, problem)


def probe_disk_full_tmpfs(tmp: Path, articles: int = 300) -> dict:
    """A real full disk: the store on a 1 MB tmpfs, mounted in a mount namespace of its own (`unshare --user
    --map-root-user --mount`, which needs no root where user namespaces are allowed). The store is copied out when
    the run ends, then checked: whole articles only, and a rerun on a roomy disk completes it."""
    import shlex

    if not shutil.which("unshare"):
        return {"probe": "disk full (1 MB tmpfs)", "kind": "fault", "seconds": 0, "peak_mb": 0,
                "outcome": "skipped", "note": "no unshare(1) here to mount a tmpfs without root"}
    disk, out = tmp / "disk", tmp / "out"
    disk.mkdir()
    out.mkdir()
    docs = _docs(tmp / "docs.jsonl", [article(n) * 3 for n in range(articles)])
    script = (f"mount -t tmpfs -o size=1m none {shlex.quote(str(disk))} || exit 97; \"$@\"; code=$?; "
              f"cp {shlex.quote(str(disk))}/s.db* {shlex.quote(str(out))}/; exit $code")
    prefix = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"]
    run = run_cli(["ingest", docs, "--db", disk / "s.db", "-q"], cwd=tmp, prefix=prefix)
    if run.returncode == 97:
        return {"probe": "disk full (1 MB tmpfs)", "kind": "fault", "seconds": 0, "peak_mb": 0,
                "outcome": "skipped", "note": "a tmpfs cannot be mounted here without root: " + run.stderr[-80:]}
    db = out / "s.db"
    held = contents(db)
    problem = expect(run, 1, "[A410]", "free disk space") or integrity(db) or (
        "nothing was stored before the disk filled" if not held else None) or (
        f"{sum(1 for _, n in held.values() if n == 0)} article(s) stored without their attributions"
        if any(n == 0 for _, n in held.values()) else None)
    rerun = run_cli(["ingest", docs, "--db", db, "--engine", "local", "-q"], cwd=tmp)
    problem = problem or expect(rerun, 0, stored=[article(n) * 3 for n in range(articles)], db=db) or (
        "an article stored before the disk filled changed on the rerun"
        if any(contents(db)[i] != held[i] for i in held) else None)
    return row("disk full: the store on a 1 MB tmpfs, then a rerun", "fault", combine(run, rerun), problem,
               f"exit {run.returncode}, {len(held)} of {articles} stored before the disk filled")


def probe_read_only_store(tmp: Path) -> dict:
    folder, db = tmp / "archive", tmp / "archive" / "s.db"
    folder.mkdir()
    docs = tmp / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n")
    filled = run_cli(["ingest", docs, "--db", db, "--engine", "local", "-q"], cwd=tmp)
    if filled.returncode != 0:
        return row("store in a read-only folder", "fault", filled, "could not fill the store")
    db.chmod(0o444)
    folder.chmod(0o555)
    # as root, file permissions bind only without CAP_DAC_OVERRIDE
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] \
        if os.geteuid() == 0 and shutil.which("setpriv") else []
    try:
        found = run_cli(["search", "cranes", "--db", db, "--json"], cwd=tmp, prefix=prefix)
        problem = expect(found, 0, "cranes")
        refused = run_cli(["ingest", docs, "--db", db, "--engine", "local", "-q"], cwd=tmp, prefix=prefix)
        problem = problem or expect(refused, 1, "[A411]")
    finally:
        folder.chmod(0o755)
    return row("store in a read-only folder: search, then ingest", "fault", combine(found, refused), problem)


# ------------------------------------------------------------------------------------ faults during an ingest


def near_copy(n: int) -> str:
    """A syndicated copy of `article(n)`: its own dateline and footer around the same story (Jaccard about 0.9)."""
    return f"WIRE REPORT. {article(n)}Copyright the wire agency.\n"


def _docs(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": f"d{n}", "text": t}) + "\n" for n, t in enumerate(texts)))
    return path


def store_rows(db: Path | str, sql: str) -> list[tuple]:
    """Rows of a query on a store, SQLite file or PostgreSQL URL, read-only and outside `according`."""
    if str(db).startswith("postgresql://"):
        import psycopg

        with psycopg.connect(str(db), autocommit=True) as conn:
            return conn.execute(sql).fetchall()
    if not Path(db).exists():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchall():
            return []  # created, but killed before its tables were
        return conn.execute(sql).fetchall()


def contents(db: Path | str) -> dict[str, tuple]:
    """Each stored article: (the original it copies, its number of attributions): what a whole store holds."""
    found = store_rows(db, "SELECT a.id, a.duplicate_of, (SELECT COUNT(*) FROM attributions t WHERE t.article_id "
                           "= a.id) FROM articles a")
    return {i: (dup, n) for i, dup, n in found}


def half_stored(db: Path | str, whole: dict[str, tuple]) -> str | None:
    """None when every article in the store is as it is in `whole` (the store of an uninterrupted run)."""
    now = contents(db)
    wrong = [i for i, held in now.items() if whole.get(i) != held]
    return f"{len(wrong)} article(s) stored otherwise than by a whole run" if wrong else None


def integrity(db: Path) -> str | None:
    if not db.exists():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return None if result == "ok" else f"integrity_check: {result}"


@contextlib.contextmanager
def postgres_database() -> Iterator[tuple[str, object]]:
    """A PostgreSQL server started as the test suite starts its own (tests/conftest.py), with one fresh database:
    yields (its URL, the server). Raises RuntimeError when there is no PostgreSQL on this machine."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("according_conftest", ROOT / "tests" / "conftest.py")
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    bindir = conftest._pg_bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    server = conftest.PostgresServer(bindir).start()
    try:
        import psycopg

        with psycopg.connect(server.url, autocommit=True) as admin:
            admin.execute('CREATE DATABASE "probe"')
        yield server.url.rsplit("/", 1)[0] + "/probe", server
    finally:
        with contextlib.suppress(Exception):
            server.stop()


def probe_kill_nine(tmp: Path, seeds: range = range(6), articles: int = 40) -> dict:
    """kill -9 of an ingest (pool engine, two workers) at a random point, one run a seed: while the model loads, or
    once a random number of articles is stored. After each: the store opens and passes SQLite's integrity check,
    every article in it is whole (as an uninterrupted run stores it), no worker is left, and a rerun completes it."""
    import random

    docs = _docs(tmp / "docs.jsonl", [article(n) if n % 4 else near_copy(n - 1) for n in range(articles)])
    command = ["ingest", docs, "--processes", "2", "-q", "--db"]
    whole = run_cli([*command, tmp / "whole.db"], cwd=tmp)
    if whole.returncode != 0:
        return row("kill -9 at random points of an ingest", "fault", whole, "the uninterrupted run failed")
    reference = contents(tmp / "whole.db")
    runs, problem, kills = [whole], None, []
    for seed in seeds:
        db, rng = tmp / f"killed{seed}.db", random.Random(seed)
        # a third of the kills in the first seconds (the model loading, the schema made), the rest once a random
        # number of articles is stored (all of them: while the corpus claims are linked)
        stored = 0 if seed % 3 == 0 else rng.randint(1, len(reference))
        early = rng.uniform(0.5, 4.0)

        def now(seconds: float) -> bool:
            # an early kill lands at its moment, or when the first article is stored if that comes sooner: on a
            # quiet machine the whole run may take less than the moment drawn
            held = seconds > 0.5 and len(store_rows(db, "SELECT id FROM articles"))
            return (seconds > early or held >= 1) if stored == 0 else held >= stored

        killed = run_cli([*command, db], cwd=tmp, kill_when=now)
        held = len(contents(db))
        kills.append(f"{held}" if stored else f"{early:.1f}s")
        opened = run_cli(["stats", "--db", db], cwd=tmp) if db.exists() else None
        rerun = run_cli([*command, db], cwd=tmp)
        runs += [killed, rerun] + ([opened] if opened else [])
        problem = (("the run was not killed" if killed.returncode != -9 else None) or integrity(db)
                   or (opened and expect(opened, 0)) or half_stored(db, reference) or expect(rerun, 0)
                   or ("the rerun did not complete the store" if contents(db) != reference else None))
        if problem or killed.orphans:
            problem = f"seed {seed}: {problem or 'orphans'}"
            break
    note = f"{len(kills)} kills, at (articles stored, or seconds in): " + ", ".join(kills)
    return row(f"kill -9 at random points of an ingest ({len(seeds)} seeds, 2 workers)", "fault",
               combine(*runs), problem, note)


def probe_postgres_stopped(tmp: Path, articles: int = 40) -> dict:
    """The PostgreSQL server stops (fast shutdown) once a few articles are stored; then it starts again."""
    docs = _docs(tmp / "docs.jsonl", [article(n) for n in range(articles)])
    try:
        database = postgres_database()
        url, server = database.__enter__()
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        return {"probe": "PostgreSQL stopped mid-ingest", "kind": "fault", "seconds": 0, "peak_mb": 0,
                "outcome": "skipped", "note": str(e)[:120]}
    try:
        stopped = threading.Event()

        def stop_when_some_stored():
            deadline = time.monotonic() + TIME_LIMIT
            while time.monotonic() < deadline:
                with contextlib.suppress(Exception):
                    if store_rows(url, "SELECT COUNT(*) FROM articles")[0][0] >= 3:
                        break
                time.sleep(0.1)
            server._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(server.data))
            stopped.set()

        watcher = threading.Thread(target=stop_when_some_stored, daemon=True)
        watcher.start()
        run = run_cli(["ingest", docs, "--db", url, "-q"], cwd=tmp)
        watcher.join()
        problem = expect(run, 1, "[A412]", "server running")
        server._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(server.data), "-l", str(server.root / "log"),
                    "-o", f"-h 127.0.0.1 -p {server.port} -k {server.root} -F")
        held = contents(url)
        rerun = run_cli(["ingest", docs, "--db", url, "-q"], cwd=tmp)
        whole = contents(url)
        problem = problem or expect(rerun, 0) or (
            f"{len(whole)} of {articles} articles stored after the rerun" if len(whole) != articles else None) or (
            "an article changed on the rerun" if any(whole[i] != held[i] for i in held) else None)
        note = (f"exit {run.returncode}, {len(held)} stored before the stop; says: "
                f"{run.stderr.strip().splitlines()[-1][:110] if run.stderr.strip() else ''}")
        return row("PostgreSQL stopped mid-ingest, then started and the ingest rerun", "fault", combine(run, rerun),
                   problem, note)
    finally:
        database.__exit__(None, None, None)


def _concurrent_probe(backend: str):
    def probe(tmp: Path, articles: int = 20) -> dict:
        """Two ingests at once (pool engine each): originals in one, their near-copies in the other."""
        originals = _docs(tmp / "originals.jsonl", [article(n) for n in range(articles)])
        copies = _docs(tmp / "copies.jsonl", [near_copy(n) for n in range(articles)])
        with contextlib.ExitStack() as stack:
            if backend == "sqlite":
                db = tmp / "s.db"
            else:
                try:
                    db, _ = stack.enter_context(postgres_database())
                except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                    return {"probe": f"two ingests at once ({backend})", "kind": "fault", "seconds": 0,
                            "peak_mb": 0, "outcome": "skipped", "note": str(e)[:120]}
            runs: list[Run] = []
            threads = [threading.Thread(target=lambda f=f: runs.append(run_cli(["ingest", f, "--db", db, "-q"],
                                                                                 cwd=tmp)))
                       for f in (originals, copies)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            held = contents(db)
            linked = sum(1 for dup, _ in held.values() if dup)
            problem = expect(runs[0], 0) or expect(runs[1], 0) or (
                f"{len(held)} of {2 * articles} articles stored" if len(held) != 2 * articles else None) or (
                f"{linked} of {articles} near-copies linked" if linked != articles else None)
            claims = store_rows(db, "SELECT COUNT(*) FROM claims WHERE corpus_claim IS NULL")[0][0]
            problem = problem or (f"{claims} claims left out of the corpus claims" if claims else None)
        return row(f"two ingests at once: originals and near-copies ({backend})", "fault", combine(*runs), problem,
                   f"{linked} of {articles} near-copies linked")
    probe.__name__ = f"probe_concurrent_{backend}"
    return probe


PROBES: list[Callable[[Path], dict]] = [
    probe_drip_headers,
    probe_endless_body,
    probe_redirect_loop,
    _refused_address("64:ff9b::a9fe:a9fe", "NAT64 address of 169.254.169.254"),
    _refused_address("2002:c0a8:101::1", "6to4 address of 192.168.1.1"),
    _refused_address("::7f00:1", "IPv4-compatible address of 127.0.0.1"),
    probe_capital_scheme,
    probe_dev_zero,
    probe_endless_stdin,
    probe_fifo_in_folder,
    probe_link_out_of_folder,
    probe_warc_gzip_bomb,
    probe_deep_divs,
    _jsonl_probe("bigint: a JSONL line with a 6000-digit integer", b'{"id": "n", "text": "x", "n": ' + b"7" * 6000
                 + b"}", "digits"),
    _jsonl_probe("nesting: a JSONL line nested 100k deep", b"[" * 100_000 + b"]" * 100_000, "too deeply"),
    _jsonl_probe("surrogates: lone surrogates in a JSONL title and id",
                 b'{"id": "s\\ud800", "title": "t\\udc80", "text": "The mayor \\ud800 said the bridge would close."}',
                 "", code=0, mended="The mayor \ufffd said the bridge would close."),
    probe_feed_surrogate,
    probe_analyze_surrogate,
    probe_analyze_unknown_keyword,
    probe_disk_full,
    probe_disk_full_tmpfs,
    probe_read_only_store,
    probe_kill_nine,
    probe_postgres_stopped,
    _concurrent_probe("sqlite"),
    _concurrent_probe("postgresql"),
]


def run_probes(probes: list[Callable[[Path], dict]] = PROBES, only: list[str] | None = None,
               on_row: Callable[[dict], None] | None = None) -> list[dict]:
    """Run each probe in a fresh temporary folder; a probe that itself fails is a row saying so, not a crash."""
    rows = []
    for probe in probes:
        if only and not any(word in probe.__name__ for word in only):
            continue
        with tempfile.TemporaryDirectory(prefix="according-probe-") as tmp:
            try:
                result = probe(Path(tmp))
            except Exception as e:  # the probe's own set-up broke: say so in the table
                result = {"probe": probe.__name__, "kind": "?", "seconds": 0, "peak_mb": 0, "outcome": "error",
                          "note": f"{type(e).__name__}: {e}"}
            finally:
                with contextlib.suppress(OSError):
                    for path in Path(tmp).rglob("*"):
                        if path.is_dir() and not path.is_symlink():
                            path.chmod(0o755)
        rows.append(result)
        if on_row:
            on_row(result)
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"| {'probe':<58} | {'kind':<6} | {'s':>6} | {'MB':>5} | {'outcome':<9} | note |")
    print(f"|{'-' * 60}|{'-' * 8}|{'-' * 8}|{'-' * 7}|{'-' * 11}|------|")
    for r in rows:
        print(f"| {r['probe'][:58]:<58} | {r['kind']:<6} | {r['seconds']:>6} | {r['peak_mb']:>5} | "
              f"{r['outcome']:<9} | {r.get('note', '')[:90]} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only probes whose function name contains one of these")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON lines instead of a table")
    parser.add_argument("--root", type=Path, default=ROOT, help="probe the `according` of another checkout (to "
                                                                 "compare before and after)")
    args = parser.parse_args()
    global PROBED
    PROBED = args.root.resolve()
    rows = run_probes(only=args.only, on_row=(lambda r: print(json.dumps(r), flush=True)) if args.json else None)
    if not args.json:
        print_table(rows)
    counts = {outcome: sum(r["outcome"] == outcome for r in rows) for outcome in
              ("clean", "traceback", "hang", "memory", "lost", "orphan", "error", "skipped")}
    print(f"\n{len(rows)} probes: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n), file=sys.stderr)


if __name__ == "__main__":
    main()
