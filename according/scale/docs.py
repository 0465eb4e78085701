"""Documents in the docs format of `eval/FORMAT.md` (`{"id", "text", ...}` a line), read lazily.

A whole file that cannot be read (missing, a folder, binary, empty) raises `InputError` before anything runs; a
line that cannot be read becomes a `Record` with its `error` and its line number, so it keeps its place in the
output and the other documents go on.
"""
from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from according.errors import InputError
from according.ingest.files import DEFAULT_MAX_BYTES, read_bytes_as_text
from according.ingest.jsonl import lines_within, parse_json_line
from according.ingest.records import valid_text
from according.scale.results import EXAMPLE, Record

_HEAD = 64 * 1024
_ID = re.compile(rb'"id"\s*:\s*"((?:[^"\\]|\\.){0,200})"')


def read_docs(path: str | Path) -> Iterator[Record]:
    """Records from a docs JSONL file (or stdin for `-`); checks the file now, reads its lines as they are consumed."""
    name = str(path)
    stream = sys.stdin.buffer if name == "-" else _open(Path(path))
    if not hasattr(stream, "peek"):  # a stdin replaced by a plain byte stream (tests, embedding programs)
        stream = io.BufferedReader(stream, _HEAD)
    try:
        _vet(stream.peek(_HEAD)[:_HEAD], name)
    except InputError:
        if name != "-":
            stream.close()
        raise
    return _records(stream, name)


def _open(path: Path) -> BinaryIO:
    name = str(path)
    if path.is_dir():
        raise InputError(f"{name} is a folder, not a JSONL file: pass one file with a JSON document a line.")
    try:
        return open(path, "rb", buffering=_HEAD)  # noqa: SIM115  (closed by _records when it is exhausted or closed)
    except FileNotFoundError:
        raise InputError(f"{name} does not exist: check the path and its spelling.") from None
    except OSError as e:
        raise InputError(f"{name} cannot be read ({e.strerror or e}): check that it is a readable file.") from None


def _vet(head: bytes, name: str) -> None:
    """Refuse a PDF, an archive, binary data or an empty file as a whole, not as a thousand bad lines."""
    cut = head.rfind(b"\n")
    read_bytes_as_text(head[:cut] if 0 < cut < len(head) - 1 else head, name)


def _records(stream: BinaryIO, name: str) -> Iterator[Record]:
    with stream:
        for n, raw in enumerate(lines_within(stream, DEFAULT_MAX_BYTES), 1):
            if raw is None:  # never held whole: a 1 GB line would take the memory of the whole run
                yield Record(line=n, error=f"line {n} holds more than {DEFAULT_MAX_BYTES:,} bytes, the most one "
                                           "document may hold")
            elif raw.strip():
                yield parse_line(raw, n, name)


def parse_line(raw: bytes, n: int, name: str = "input") -> Record:
    warnings: list[str] = []
    try:
        line = raw.decode("utf-8-sig" if n == 1 else "utf-8")  # a BOM that editors put first is no error
    except UnicodeDecodeError:
        try:
            line, warnings = read_bytes_as_text(raw, f"{name} line {n}")
        except InputError as e:
            return _bad(n, str(e), raw)
    try:
        doc = parse_json_line(line, n)
    except ValueError as e:
        return _bad(n, f"{e}: each line must be one JSON object such as {EXAMPLE}", raw)
    if not isinstance(doc, dict):
        return _bad(n, f"line {n} is a JSON {type(doc).__name__}, not an object such as {EXAMPLE}", raw)
    if doc.get("id") is None:
        return _bad(n, f"line {n} has no \"id\": give every document one, such as {EXAMPLE}", raw)
    # ids and metadata are made valid here, the text by `prepare`
    meta = {valid_text(k): valid_text(v) if isinstance(v, str) else v for k, v in doc.items() if k not in ("id", "text")}
    doc_id = valid_text(doc["id"]) if isinstance(doc["id"], str) else doc["id"]
    return Record(doc_id, doc.get("text"), meta, line=n, warnings=warnings)


def _bad(n: int, message: str, raw: bytes) -> Record:
    """The id, if one can be read from the broken line, lets a person match the error to the document."""
    found = _ID.search(raw[:_HEAD])
    doc_id = None
    if found:
        try:
            doc_id = valid_text(json.loads(b'"' + found.group(1) + b'"'))
        except ValueError:
            doc_id = None
    return Record(doc_id, line=n, error=message)
