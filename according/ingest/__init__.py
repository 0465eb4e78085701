"""Ingest: turn files, folders, JSONL, HTML pages, URLs, feeds and WARC archives into `Article`s.

Every input becomes either an `Article` or a `Failure` with its reason, so nothing is skipped silently.
Importing this package is cheap: trafilatura, httpx, feedparser, warcio and datasketch load on first use.

    >>> from according.ingest import iter_articles, Failure
    >>> for item in iter_articles(["news/", "https://example.org/feed.xml"]):
    ...     print(item.reason if isinstance(item, Failure) else item.title)
"""
from according.ingest.dedupe import NearDuplicateIndex, signature
from according.ingest.files import read_bytes_as_text, read_text
from according.ingest.html import article_from_html
from according.ingest.records import Failure, article_id, normalise
from according.ingest.sources import iter_articles, read_article
from according.ingest.text import article_from_markdown, article_from_text

__all__ = ["Failure", "NearDuplicateIndex", "article_from_html", "article_from_markdown", "article_from_text",
           "article_id", "iter_articles", "normalise", "read_article", "read_bytes_as_text", "read_text",
           "signature"]
