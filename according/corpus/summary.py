"""What a run did, counted as it goes: the summary a person reads at the end and a progress display reads during it.

Every article read ends in exactly one count (stored, duplicate, skipped or failed), and every input that gave
no article is a failure with its reason, so `read + input failures == stored + duplicates + skipped + failed`
holds at every moment and nothing can vanish between the input and the store unreported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from according.ingest import Failure


@dataclass
class RunSummary:
    read: int = 0  # articles read from the sources (inputs that gave none are failures)
    stored: int = 0  # new articles stored with their attributions
    duplicates: int = 0  # near-copies stored linked to their original, not read again
    skipped: int = 0  # already in the store (from an earlier run, or read twice in this one)
    failures: list[Failure] = field(default_factory=list)  # inputs and articles that could not be ingested
    warnings: list[str] = field(default_factory=list)  # something was mended; the article was ingested
    inputs_done: int = 0  # files, URLs, feeds and archives finished reading
    inputs_total: int = 0
    seconds: float = 0.0
    corpus_claims: int | None = None  # claims across the store once this run's were linked in (None: not linked)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def done(self) -> int:
        """Articles and failed inputs dealt with: what a progress bar counts."""
        return self.stored + self.duplicates + self.skipped + self.failed

    @property
    def rate(self) -> float:
        """Articles dealt with per second."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {"read": self.read, "stored": self.stored, "duplicates": self.duplicates, "skipped": self.skipped,
                "failed": self.failed, "failures": [f.to_dict() for f in self.failures],
                "warnings": list(self.warnings), "seconds": round(self.seconds, 3),
                "corpus_claims": self.corpus_claims}
