"""Prediction lines in the format of `eval/FORMAT.md`, written as results arrive, with a tally for the summary."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from according.scale.results import Failed, Result


@dataclass
class Summary:
    documents: int = 0
    errors: list[Failed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


def prediction(result: Result | Failed) -> dict:
    """The line for one result: its attributions, or its error (with the input line, when known)."""
    if isinstance(result, Failed):
        return {"id": result.id, **({"line": result.line} if result.line is not None else {}), "error": result.error}
    return {"id": result.id, "attributions": result.analysis["attributions"]}


def write_predictions(results: Iterable[Result | Failed], out: TextIO) -> Summary:
    summary = Summary()
    for result in results:
        summary.documents += 1
        summary.warnings.extend(result.warnings)
        if isinstance(result, Failed):
            summary.errors.append(result)
        out.write(json.dumps(prediction(result)) + "\n")
    out.flush()
    return summary
