#!/usr/bin/env python3
"""An atheris (libFuzzer) target over every reader of `according.ingest` and over `according.analyze`.

    .venv/bin/python fuzz/fuzz_readers.py [CORPUS ...] [libFuzzer flags]

Run it through fuzz/run.py, which gives it its seeds, its limits and a report. The first byte of an input picks
where the rest goes (a letter, so that a seed reads as what it is; any other byte picks by its value):

    t  article_from_text        m  article_from_markdown     h  article_from_html (bytes)   H  (str)
    j  articles_from_jsonl      f  read_feed (through a Fetcher that reaches no network)
    w  articles_from_warc       s  iter_articles on stdin (its kind sniffed, as for a URL's body)
    p  iter_articles on a file, its suffix from the next byte   a  according.analyze

A crash is an exception that escapes a reader or `analyze`, a reader's item that is neither an `Article` nor a
`Failure`, an `Article` with text that cannot be stored, or a `Failure` saying "unexpected" (a bug a reader's
guard caught, which the user would be asked to report). Strings are decoded with surrogateescape, so lone
surrogates reach the readers that take `str`.
"""
from __future__ import annotations

import io
import os
import socket
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["according"]):
    import according
    from according.errors import AccordingError
    from according.ingest.feeds import read_feed
    from according.ingest.html import article_from_html
    from according.ingest.jsonl import articles_from_jsonl
    from according.ingest.records import Failure, valid_text
    from according.ingest.sources import iter_articles
    from according.ingest.text import article_from_markdown, article_from_text
    from according.ingest.warc import articles_from_warc
    from according.ingest.web import Fetcher
    from according.model import Analysis, Article

MAX_BYTES = 1 << 20  # a document's byte limit in the readers (the default is larger; fuzz inputs are small)
SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".xml", ".warc", ".warc.gz", ".gz", ".rss", ""]


def _no_network(*args, **kwargs):
    raise socket.gaierror(socket.EAI_NONAME, "the fuzz target reaches no network")


socket.getaddrinfo = _no_network  # a feed item's link is "fetched" and fails at once: its fallback is read
FETCHER = Fetcher(max_bytes=MAX_BYTES, timeout=1.0)


def check(items, origin: str) -> None:
    """Each item an `Article` with valid, storable text or a `Failure` that is not a caught bug."""
    for item in items:
        if isinstance(item, Failure):
            if "unexpected" in item.reason:
                raise AssertionError(f"a reader's guard caught a bug: {item.origin}: {item.reason}")
        elif isinstance(item, Article):
            for value in (item.text, item.title, item.origin, item.outlet, item.author, item.url, item.id):
                if value is not None and valid_text(value) != value:
                    raise AssertionError(f"{origin}: an Article holds a code point no store can hold: {value!r}")
            if not item.text.strip():
                raise AssertionError(f"{origin}: an Article with no text")
        else:
            raise AssertionError(f"{origin}: a reader yielded {type(item).__name__}, not an Article or a Failure")


def read_path(data: bytes) -> list:
    suffix = SUFFIXES[data[0] % len(SUFFIXES)] if data else ""
    with tempfile.TemporaryDirectory(prefix="according-fuzz-") as folder:  # libFuzzer may _exit: none left then
        path = os.path.join(folder, "input" + suffix)
        with open(path, "wb") as f:
            f.write(data[1:])
        return list(iter_articles([path], max_bytes=MAX_BYTES, timeout=1.0))


def read_stdin(data: bytes) -> list:
    """`according ingest -`: the kind sniffed from the bytes, as for a URL's body."""
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    return list(iter_articles(["-"], max_bytes=MAX_BYTES, timeout=1.0))


def analyze(text: str) -> list:
    try:
        analysis = according.analyze(text)
    except AccordingError:  # a documented refusal with its code (an empty text), not a crash
        return []
    if not isinstance(analysis, Analysis):
        raise AssertionError(f"analyze returned {type(analysis).__name__}")
    for attribution in analysis.attributions:  # every span lies inside the text it was read from
        for start, end in (*attribution.cue, *attribution.source, *attribution.content):
            if not 0 <= start <= end <= len(analysis.text):
                raise AssertionError(f"a span {start}..{end} outside a text of {len(analysis.text)}")
    return []


def text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


READERS = {
    ord("t"): lambda d: [article_from_text(text(d), origin="t.txt")],
    ord("m"): lambda d: [article_from_markdown(text(d), origin="t.md")],
    ord("h"): lambda d: [article_from_html(d, origin="p.html")],
    ord("H"): lambda d: [article_from_html(text(d), origin="p.html")],
    ord("j"): lambda d: list(articles_from_jsonl(io.BytesIO(d), "d.jsonl", MAX_BYTES)),
    ord("f"): lambda d: list(read_feed(d, origin="f.xml", base_url="https://example.org/feed", fetcher=FETCHER)),
    ord("w"): lambda d: list(articles_from_warc(io.BytesIO(d), "c.warc", len(d), MAX_BYTES)),
    ord("s"): read_stdin,
    ord("p"): read_path,
    ord("a"): lambda d: analyze(text(d)),
}
ORDER = list(READERS.values())


def test_one_input(data: bytes) -> None:
    if not data:
        return
    read = READERS.get(data[0]) or ORDER[data[0] % len(ORDER)]
    check(read(data[1:]), chr(data[0]))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
