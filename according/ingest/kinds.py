"""What kind of document an input is: from its extension and media type, settled by its first bytes.

Extensions and Content-Type headers lie often enough (a feed saved as .txt, a page served as text/xml, a WARC
downloaded as .bin) that the first bytes have the last word whenever they are unambiguous.
"""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from according.ingest.text import MARKDOWN_SUFFIXES

BY_SUFFIX = {
    **{s: "markdown" for s in MARKDOWN_SUFFIXES},
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xml": "feed",
    ".warc": "warc", ".arc": "warc",
}
BY_MEDIA_TYPE = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/xml": "feed", "text/xml": "feed",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/jsonlines": "jsonl",
    "application/warc": "warc", "text/markdown": "markdown", "text/plain": "text",
}


def kind_of_path(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        return "warc" if len(suffixes) == 2 and suffixes[0] in (".warc", ".arc") else "sniff"
    if path.is_dir():
        return "folder"
    kind = BY_SUFFIX.get(path.suffix.lower())
    if kind in ("text", "html", "feed", None):
        # a .txt may hold a feed, a .xml a web page; the first bytes settle it (cheap: one block)
        try:
            with open(path, "rb") as f:
                head = f.read(4096)
        except OSError:
            return kind or "text"
        sniffed = sniff(head)
        if kind is None or sniffed in ("html", "feed", "warc", "gzip"):
            return sniffed if sniffed != "gzip" else "sniff"
    return kind


def sniff(data: bytes) -> str:
    """The kind of a document from its first bytes."""
    if data[:2] == b"\x1f\x8b":
        try:
            inner = gzip.GzipFile(fileobj=io.BytesIO(data[:65536])).read(8)
        except (OSError, EOFError, zlib.error):  # a gzip header over broken deflate data (zlib.error)
            inner = b""
        return "warc" if inner.startswith((b"WARC/", b"filedesc:")) else "gzip"
    if data.startswith(b"WARC/"):
        return "warc"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    if head.startswith(b"<"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        if b"<html" in head:
            return "html"
        return "feed"  # other XML: feedparser says plainly that it is not a feed
    if head.startswith(b"{"):
        return "jsonl"
    return "text"
