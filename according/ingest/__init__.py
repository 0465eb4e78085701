"""Ingest: turn files, folders, JSONL, HTML pages, URLs, feeds and WARC archives into `Article`s.

Every input becomes either an `Article` or a `Failure` with its reason, so nothing is skipped silently.
"""
