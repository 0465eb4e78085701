"""JSON Lines in the docs format of `eval/FORMAT.md`: `{"id", "text", "title"?, "published"?, "outlet"?, "url"?}`.

One bad line (not JSON, no text, a number too long to convert, nesting too deep) is a `Failure` with its line
number; the lines after it are still read. The document's own `id` goes into `origin` (`file.jsonl#id`) so an
article can be traced back to its line, while `Article.id` stays the content hash that keeps ingestion idempotent.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from according.ingest.dates import date_from_text, to_iso
from according.ingest.files import DEFAULT_MAX_BYTES
from according.ingest.records import Failure, clean, new_article, read_record
from according.model import Article

_META = ("title", "outlet", "url", "author", "language")


def parse_json_line(line: str, number: int) -> object:
    """One line's JSON value; raises `ValueError` with a reason naming the line for anything `json` cannot read.

    Beside malformed JSON, `json.loads` raises a plain `ValueError` for an integer of more than 4,300 digits and
    `RecursionError` for nesting about a thousand deep: both are one bad line, not a broken file.
    """
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"line {number} is not JSON ({e.msg} at column {e.colno})") from None
    except ValueError as e:
        raise ValueError(f"line {number} cannot be read as JSON ({e})") from None
    except RecursionError:
        raise ValueError(f"line {number} nests its JSON too deeply to be read") from None


def read_jsonl(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Failure]:
    """Stream a JSONL file line by line (a 2 GB corpus is never held in memory, nor a line over `max_bytes`)."""
    with open(path, "rb") as stream:
        yield from articles_from_jsonl(stream, str(path), max_bytes)


def articles_from_jsonl(stream: BinaryIO, name: str,
                        max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Failure]:
    empty = True
    for number, raw in enumerate(lines_within(stream, max_bytes), start=1):
        where = f"{name}:{number}"
        if raw is not None and not raw.strip():
            continue
        empty = False
        if raw is None:
            yield Failure(where, f"line {number} holds more than {max_bytes:,} bytes, the most one article may "
                                 "hold; skipped it")
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            doc = parse_json_line(line, number)
        except UnicodeDecodeError as e:
            yield Failure(where, f"line {number} is not UTF-8 (byte {e.start}); JSON Lines must be UTF-8")
            continue
        except ValueError as e:
            yield Failure(where, str(e))
            continue
        yield read_record(where, article_from_doc, doc, where, name)
    if empty:
        yield Failure(name, "the JSON Lines file is empty (nothing but blank lines): check that it is the file you "
                            "meant")


def lines_within(stream: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """The stream's lines, with None for a line over `max_bytes` (read past in pieces, never held whole)."""
    while line := stream.readline(max_bytes + 1):
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
            pass
        yield None


def article_from_doc(doc: object, where: str, name: str) -> Article | Failure:
    if not isinstance(doc, dict):
        return Failure(where, f"{where} is a JSON {type(doc).__name__}, not an object with a \"text\" field")
    text = doc.get("text")
    if not isinstance(text, str) or not text.strip():
        return Failure(where, f"{where} has no \"text\" (or it is empty or not a string)")
    meta = {key: doc.get(key) for key in _META if isinstance(doc.get(key), (str, int, float))}
    published = to_iso(doc.get("published")) if doc.get("published") else date_from_text(text)
    doc_id = clean(doc.get("id")) if isinstance(doc.get("id"), (str, int)) else None
    origin = f"{name}#{doc_id}" if doc_id else where
    return new_article(text, origin=origin, published=published, **meta)
