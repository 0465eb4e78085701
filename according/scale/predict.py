"""Prediction lines in the format of `eval/FORMAT.md`, written as results arrive, with a tally for the summary."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from according.scale.results import is_error


@dataclass
class Summary:
    documents: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


def prediction(result: dict) -> dict:
    """The line for one result: its attributions, or its error (with the input line, when known)."""
    if is_error(result):
        return {k: result[k] for k in ("id", "line", "error") if k in result}
    return {"id": result["id"], "attributions": result["attributions"]}


def write_predictions(results: Iterable[dict], out: TextIO) -> Summary:
    summary = Summary()
    for result in results:
        summary.documents += 1
        summary.warnings.extend(result.get("warnings") or [])
        if is_error(result):
            summary.errors.append(result)
        out.write(json.dumps(prediction(result)) + "\n")
    out.flush()
    return summary
