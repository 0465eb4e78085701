"""The plain dicts that engines yield, one per input record.

A result is either an analysis (`Analysis.to_dict()`: id, attributions, entities, meta) or an error
`{"id", "error"}`; both may carry `warnings` (what was mended in the input). Plain dicts cross process and
machine boundaries (pickle, Ray's object store) without either side importing spaCy.

Readers mark an input they could not read as a record with `_error` (and `_line`) rather than dropping it,
so the failure keeps its place in the output order; keys starting with `_` never reach the extractor.
"""
from __future__ import annotations

from according.ingest.records import valid_text


def is_error(result: dict) -> bool:
    return "error" in result


def error_result(record: object, message: str) -> dict:
    rec = record if isinstance(record, dict) else {}
    out = {"id": rec.get("id"), "error": message}
    if rec.get("_line") is not None:
        out["line"] = rec["_line"]
    if rec.get("_warnings"):
        out["warnings"] = list(rec["_warnings"])
    return out


def ok_result(analysis_dict: dict, warnings: list[str]) -> dict:
    if warnings:
        analysis_dict["warnings"] = warnings
    return analysis_dict


def where(record_or_result: dict) -> str:
    """How a person finds the document again: its line in the input, else its id."""
    line = record_or_result.get("line", record_or_result.get("_line"))
    doc_id = record_or_result.get("id")
    if line is not None:
        return f"line {line}" + (f" (id {doc_id!r})" if doc_id is not None else "")
    return f"id {doc_id!r}"


class Rejected(Exception):
    """A record that cannot be read; carries its error result."""

    def __init__(self, result: dict):
        super().__init__(result["error"])
        self.result = result


def prepare(record: object) -> tuple[dict, list[str]]:
    """The record as the extractor should see it, and its warnings; raises `Rejected` with a reason a person can act on."""
    if not isinstance(record, dict):
        raise Rejected(error_result({}, "a record must be a JSON object with \"id\" and \"text\", "
                                        f"got {type(record).__name__}"))
    if "_error" in record:
        raise Rejected(error_result(record, record["_error"]))
    text = record.get("text")
    if not isinstance(text, str):
        raise Rejected(error_result(record, f"{where(record)} has no \"text\" string: give each document its text "
                                            "as {\"id\": ..., \"text\": \"...\"}"))
    if not text.strip():
        raise Rejected(error_result(record, f"{where(record)} has an empty text: nothing to read"))
    warnings = list(record.get("_warnings") or [])
    mended = valid_text(text)  # one code point for one: every offset stays
    if mended != text:
        n = sum(a != b for a, b in zip(text, mended))
        warnings.append(f"{where(record)}: replaced {n} code point(s) no file can hold (unpaired surrogate escapes, "
                        "NUL) with U+FFFD")
        text = mended
    clean = {k: v for k, v in record.items() if not k.startswith("_")}
    clean["text"] = text
    return clean, warnings
