"""`according ingest` killed with SIGKILL at several points, then run again, ends with exactly the rows of a run
that was never interrupted: the same articles, links and attributions, nothing twice, and an intact database.

Each run is a real `according ingest` process (process-pool engine, as users run it) on a folder of short
articles with wire copies and a repeat; the test watches the store and kills the process once k articles are in,
or right after an original whose copy comes next, so that the rerun must link that copy to an original stored by
the killed run (the near-duplicate index is rebuilt from the store).
"""
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_pipeline_corpus import corpus, snapshot, write_folder

from according.store import open_store

DOCS = corpus(40, copies=(2, 9, 17, 30), repeat=4)
STORED = 44  # 40 originals and 4 copies; the repeat is skipped
pytestmark = pytest.mark.slow


def command(folder, db, *extra) -> list[str]:
    # One article per chunk: a copy is stored when the article after its original comes back, a parse later.
    return [sys.executable, "-m", "according.cli", "ingest", str(folder), "--db", str(db), "--batch-size", "1",
            "-q", *extra]


def count_sqlite(path, file_suffix: str = "") -> int:
    """Articles stored (those read from a file whose name ends with `file_suffix`)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles WHERE origin LIKE ?", [f"%{file_suffix}"]).fetchone()[0]
    except sqlite3.Error:  # not created yet, or its tables not yet
        return 0


def count_postgres(url) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except psycopg.Error:
        return 0


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (Linux /proc)."""
    parent_of = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent_of[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parent_of.items() if parent in frontier} - found
        found |= frontier
    return found


def kill_when(cmd: list[str], ready) -> None:
    """Start the ingest and SIGKILL it as soon as `ready()`; its workers must not outlive it."""
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while not ready():
            assert process.poll() is None, f"the run ended before the kill: {process.stderr.read()!r}"
            assert time.monotonic() < deadline, "the run made no progress"
            time.sleep(0.002)
    finally:
        workers = descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
    gone_by = time.monotonic() + 10
    while (left := {pid for pid in workers if Path(f"/proc/{pid}").exists()}) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not left, f"processes of the killed run still running: {sorted(left)}"


def finish(cmd: list[str]) -> dict:
    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_part_of(partial: dict, full: dict) -> None:
    """Every stored article is one of the full run's, whole: with exactly its attributions and entities."""
    assert set(partial["articles"]) <= set(full["articles"])
    stored = {row[0] for row in partial["articles"]}
    for table in ("attributions", "entities"):
        assert partial[table] == [row for row in full[table] if row[0] in stored]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted run: its rows, and the folder it read (the same path, so origins compare)."""
    root = tmp_path_factory.mktemp("resume")
    folder = write_folder(root / "articles", DOCS)
    summary = finish(command(folder, root / "reference.db"))
    assert (summary["stored"], summary["duplicates"], summary["skipped"]) == (40, 4, 1)
    with open_store(root / "reference.db") as store:
        return folder, snapshot(store), [h.to_dict() for h in store.search("audit", limit=None)]


def test_cli_ingest_killed_at_several_points_then_rerun_equals_an_uninterrupted_run(reference, tmp_path):
    folder, full, hits = reference
    db = tmp_path / "killed.db"
    cmd = command(folder, db)
    before, split = 0, []
    for original, copy in [("d002", "c002"), ("d017", "c017"), (None, 35)]:
        if original:  # right after the original: its copy is one parse away
            kill_when(cmd, lambda name=f"-{original}.txt": count_sqlite(db, name))
            if not count_sqlite(db, f"-{copy}.txt"):
                split.append(copy)
        else:
            kill_when(cmd, lambda k=copy: count_sqlite(db) >= k)
        stored = count_sqlite(db)
        assert before < stored < STORED, "the kill must land mid-run"
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        with open_store(db) as store:
            assert_part_of(snapshot(store), full)
        before = stored
    assert split, "no kill landed between an original and its copy"
    summary = finish(cmd)
    assert summary["skipped"] == before + 1 and summary["stored"] + summary["duplicates"] == STORED - before
    with open_store(db) as store:
        assert snapshot(store) == full
        assert [h.to_dict() for h in store.search("audit", limit=None)] == hits
        assert store._read("PRAGMA integrity_check") == [("ok",)]


@pytest.mark.postgres
def test_cli_ingest_killed_then_rerun_on_postgresql(reference, postgres_url):
    folder, full, _ = reference
    cmd = command(folder, postgres_url)
    kill_when(cmd, lambda: count_postgres(postgres_url) >= 15)
    assert 15 <= count_postgres(postgres_url) < STORED
    with open_store(postgres_url) as store:
        assert_part_of(snapshot(store), full)
    finish(cmd)
    with open_store(postgres_url) as store:
        assert snapshot(store) == full
