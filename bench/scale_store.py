"""A larger store for search benchmarks: a filled store's rows copied under new ids and dates (issue 8: 100,000).

Each copy of an article gets the id `ID~N`, is dated N weeks later, and keeps its text, statements and entities,
so that word frequencies stay those of real news while the store grows. The terms are cut once per original
(`index_terms`) and written through the dialect's own insert, as `Store.add` writes them; the copies are linked
near-copies exactly where their originals were.

    .venv/bin/python bench/scale_store.py according.db big.db --articles 100000
    .venv/bin/python bench/scale_store.py according.db postgresql://user@host/db --articles 100000
    .venv/bin/python bench/search.py big.db
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone

from according.store import open_store
from according.store.schema import source_words
from according.store.terms import index_terms

WEEK = 7 * 86400


def rows(store, table: str, where: str, params: list) -> list[dict]:
    cur = store._conn.cursor()
    cur.execute(store.dialect.sql(f"SELECT * FROM {table} WHERE {where}"), params)
    names = [d[0] for d in cur.description]
    return [{k: v for k, v in zip(names, r) if k != "terms"} for r in cur.fetchall()]


def copy(source, target, articles: int, on_progress) -> int:
    originals = list(source.ids())
    copies = -(-articles // len(originals))  # rounds up
    written = 0
    for article_id in originals:
        if written >= articles:
            break
        article = rows(source, "articles", "id = ?", [article_id])[0]
        attributions = rows(source, "attributions", "article_id = ? ORDER BY ordinal", [article_id])
        entities = rows(source, "entities", "article_id = ? ORDER BY ordinal", [article_id])
        terms = index_terms(article["text"], title=article["title"])
        contents = [index_terms(a["content_text"]) for a in attributions]
        with target.dialect.transaction(target._conn) as cur:
            for n in range(min(copies, articles - written)):
                new_id = f"{article_id}~{n}"
                row = dict(article, id=new_id, duplicate_of=article["duplicate_of"] and f"{article['duplicate_of']}~{n}")
                if row["published_ts"] is not None:
                    row["published_ts"] += n * WEEK
                    row["published"] = datetime.fromtimestamp(row["published_ts"], timezone.utc).isoformat()
                target.dialect.insert(cur, "articles", row, terms)
                for a, a_terms in zip(attributions, contents):
                    target.dialect.insert(cur, "attributions", dict(a, article_id=new_id), a_terms)
                    for word in source_words(a["source_key"]):
                        target.dialect.insert(cur, "source_words", {"word": word, "article_id": new_id,
                                                                    "attribution_id": a["id"]})
                for e in entities:
                    target.dialect.insert(cur, "entities", dict(e, article_id=new_id))
                written += 1
        on_progress(written)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="a filled store: SQLite path or postgresql:// URL")
    parser.add_argument("target", help="an empty store to fill")
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with open_store(args.source) as source, open_store(args.target) as target:
        if target.stats()["articles"]:
            print(f"{args.target} is not empty: give a new store", file=sys.stderr)
            return 1
        if not source.stats()["articles"]:
            print(f"{args.source} is empty: fill it first (bench/ingest.py)", file=sys.stderr)
            return 1

        def progress(done: int) -> None:
            print(f"\r{done} articles, {time.perf_counter() - started:.0f} s", end="", file=sys.stderr)
        written = copy(source, target, args.articles, progress)
        stats = target.stats()
    print(f"\n{written} articles, {stats['attributions']} statements in {time.perf_counter() - started:.0f} s;"
          f" {stats['size'] / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
