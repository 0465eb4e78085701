"""What crosses the engines' boundary: a `Record` goes in, a `Result` or a `Failed` comes out, one a record.

Each is a small dataclass of plain values, so it crosses process and machine boundaries (pickle, Ray's object
store) without either side importing spaCy; the analysis travels as `Analysis.to_dict()`. A reader that cannot
read a line still yields a `Record`, with its `error`, so that the failure keeps its place in the output order.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from according.ingest.records import valid_text

EXAMPLE = '{"id": "a1", "text": "..."}'


@dataclass
class Record:
    """One document for the extractor: `id`, `text` and metadata (`meta`: title, published...). `line` is where
    it was read (a line of a JSONL file), `warnings` what was mended on the way, and `error`, when set, why its
    reader could not read it: it then fails with that reason, in its place."""

    id: object = None
    text: object = None  # a str when the record can be read; anything else fails with a reason
    meta: dict = field(default_factory=dict)
    line: int | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @classmethod
    def of(cls, value: object) -> "Record":
        """A caller's `{"id", "text", ...metadata}` as a Record (a Record stays itself)."""
        if isinstance(value, Record):
            return value
        if not isinstance(value, dict):
            return cls(error=f"a record must be a JSON object such as {EXAMPLE}, got {type(value).__name__}")
        return cls(id=value.get("id"), text=value.get("text"),
                   meta={k: v for k, v in value.items() if k not in ("id", "text")})

    def fields(self) -> dict:
        """What the extractor reads: `{"id", "text", ...metadata}`."""
        return {"id": self.id, "text": self.text, **self.meta}

    def where(self) -> str:
        """How a person finds the document again: its line in the input, else its id."""
        if self.line is not None:
            return f"line {self.line}" + (f" (id {self.id!r})" if self.id is not None else "")
        return f"id {self.id!r}"


@dataclass
class Result:
    """A record read: its analysis as plain data (`Analysis.to_dict()`, or what a stand-in task computes)."""

    id: object
    analysis: dict
    line: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Failed:
    """A record not read, and why: a person can act on `error`, and find the record by `line` or `id`."""

    id: object
    error: str
    line: int | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, record: Record, error: str) -> "Failed":
        return cls(record.id, error, record.line, list(record.warnings))


def prepare(record: Record) -> Record | Failed:
    """The record as the extractor should read it (its text made valid, one code point for one, so every offset
    holds; a warning says so), or its `Failed` with a reason a person can act on."""
    if record.error is not None:
        return Failed.of(record, record.error)
    if not isinstance(record.text, str):
        return Failed.of(record, f"{record.where()} has no \"text\" string: give each document its text as "
                                 f"{EXAMPLE}")
    if not record.text.strip():
        return Failed.of(record, f"{record.where()} has an empty text: nothing to read")
    mended = valid_text(record.text)
    if mended == record.text:
        return record
    n = sum(a != b for a, b in zip(record.text, mended))
    warning = (f"{record.where()}: replaced {n} code point(s) no file can hold (unpaired surrogate escapes, NUL) "
               "with U+FFFD")
    return Record(record.id, mended, record.meta, record.line, [*record.warnings, warning])
