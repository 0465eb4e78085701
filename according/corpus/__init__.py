"""The corpus: many articles from real sources, read once each, stored with their attributions.

    >>> from according.corpus import ingest
    >>> from according.store import open_store
    >>> with open_store("news.db") as store:
    ...     summary = ingest(["feeds.txt", "archive.warc.gz", "articles/"], store, processes=2)
    >>> summary.stored, summary.duplicates, summary.skipped, [f.reason for f in summary.failures]
"""
from according.corpus.analyze import analyze_article
from according.corpus.ingest import ingest, ingest_articles, rebuild_index
from according.corpus.summary import RunSummary
from according.corpus.total import expected_items

__all__ = ["RunSummary", "analyze_article", "expected_items", "ingest", "ingest_articles", "rebuild_index"]
