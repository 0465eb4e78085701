"""A writer killed with SIGKILL at any moment leaves whole articles; rerunning it finishes the rest exactly.

The writer is this file run as a script (`python test_store_interrupt.py URL COUNT [HANG]`): it stores a
deterministic corpus, skipping what is stored, and prints each index once stored, so that the test can kill it
mid-run. With HANG it stops inside the transaction of article HANG, after its attributions are written, so that
one kill surely lands mid-transaction.
"""
import random
import signal
import subprocess
import sys
import time

from according.model import Analysis, Article, Attribution, Entity
from according.store import open_store

COUNT = 100


def make(i: int) -> tuple[Article, Analysis]:
    """Article i: long enough that a kill often lands inside its transaction, with i % 5 attributions."""
    sentence = f"Officials said marker{i} talks would resume. "
    text = sentence * 5 + "Background paragraph with nothing attributed in it. " * (200 + i)
    step = len(sentence)
    attributions = [Attribution(id=f"a{n}", source=[(n * step, n * step + 9)], cue=[(n * step + 10, n * step + 14)],
                                content=[(n * step + 15, n * step + step - 2)], stance="assert")
                    for n in range(i % 5)]
    entities = [Entity(f"Entity {n}", "ORG", None, [(n, n + 1)]) for n in range(i % 3)]
    return (Article(id=f"{i:04d}", text=text, outlet="Wire", published=f"2024-01-{i % 28 + 1:02d}"),
            Analysis(text=text, attributions=attributions, entities=entities))


def write(url: str, count: str, hang: str | None = None) -> None:
    with open_store(url) as store:
        insert = store.dialect.insert

        def insert_then_hang(cur, table, row, *args, **kwargs):
            added = insert(cur, table, row, *args, **kwargs)
            if table == "entities" and row["article_id"] == hang:
                print("inside", flush=True)
                time.sleep(120)
            return added
        store.dialect.insert = insert_then_hang
        for i in range(int(count)):
            article, analysis = make(i)
            if not store.has(article.id):
                store.add(article, analysis)
                print(i, flush=True)


def check(url: str) -> set[str]:
    """Every stored article is whole and searchable; returns the stored ids."""
    with open_store(url) as store:
        ids = set(store.ids())
        for article_id in ids:
            (article, analysis), (expected, made) = store.get(article_id), make(int(article_id))
            assert (article, analysis.attributions, analysis.entities) == \
                (expected, made.attributions, made.entities), article_id
        stats = store.stats()
        assert stats["articles"] == len(ids)
        assert stats["attributions"] == sum(int(i) % 5 for i in ids)
        assert stats["entities"] == sum(int(i) % 3 for i in ids)
        searched = {h.article_id for i in range(COUNT) for h in store.search(f"marker{i}", limit=None)}
        assert searched == ids
        if store.dialect.name == "sqlite":
            assert store._read("PRAGMA integrity_check") == [("ok",)]
    return ids


def kill_after(url: str, lines: int, *args: str, delay: float = 0.0) -> list[str]:
    """Start a writer, read `lines` lines from it, wait `delay` seconds and SIGKILL it; the lines it printed."""
    writer = subprocess.Popen([sys.executable, __file__, url, str(COUNT), *args], stdout=subprocess.PIPE, text=True)
    try:
        printed = [writer.stdout.readline() for _ in range(lines)]
        time.sleep(delay)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
    return printed


def test_store_survives_sigkill_and_rerun_finishes(store_url):
    rng = random.Random(3)
    open_store(store_url).close()
    assert kill_after(store_url, 5, "0004") == ["0\n", "1\n", "2\n", "3\n", "inside\n"]
    stored = check(store_url)
    assert stored == {"0000", "0001", "0002", "0003"}  # article 4 was mid-transaction: not there at all
    for lines in (1, 4, 9):
        # a store takes about a millisecond: the kill lands anywhere in the next few
        assert all(kill_after(store_url, lines, delay=rng.uniform(0, 0.003)))
        now = check(store_url)
        assert len(now) >= len(stored) + lines
        stored = now
    subprocess.run([sys.executable, __file__, store_url, str(COUNT)], check=True, capture_output=True)
    assert check(store_url) == {f"{i:04d}" for i in range(COUNT)}


if __name__ == "__main__":
    write(*sys.argv[1:3], *sys.argv[3:])
