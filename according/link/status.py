"""A claim's status, derived step by step from the positions taken on it, in the order they were taken.

- `unverified`: asserted only by anonymous or unattributed sources, or by outlets citing them; nobody denies it on
  the record (also: only doubted or mentioned so far).
- `asserted`: asserted on the record by a named source; nobody on the record denies it.
- `denied`: denied on the record, and asserted only anonymously or not at all.
- `contested`: asserted on the record and denied on the record.
- `confirmed`: asserted on the record by a party the claim is about, or by a party that denied it earlier.
- `retracted`: denied by the party that first asserted it.

A party is who stands behind a position: the source's entity, and whoever it speaks for (a spokesperson's
organisation), so that "Peskov denied" and "the Kremlin confirmed" are one party changing its mind.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("unverified", "asserted", "denied", "contested", "confirmed", "retracted")


@dataclass(frozen=True)
class Step:
    """One position: its stance (assert, deny, uncertain, report), whether it is taken on the record by a named
    source, the parties behind it, and whether one of them is a party the claim is about."""

    stance: str
    on_record: bool
    parties: frozenset[str] = frozenset()
    about: bool = False


def _same(a: str, b: str) -> bool:
    """"Peskov" and "Dmitry Peskov" are one party: equal names, or a one-word name that ends the other."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return " " not in short and long_.endswith(" " + short)


def _meet(these: frozenset[str], those: set[str]) -> bool:
    return any(_same(a, b) for a in these for b in those)


@dataclass
class Ledger:
    """The state a claim's status is derived from; `add` counts one more step and returns the status after it."""

    asserted_on_record: bool = False
    denied_on_record: bool = False
    deniers: set[str] = field(default_factory=set)
    first_asserter: frozenset[str] | None = None
    settled: str | None = None  # confirmed or retracted: later steps do not undo them, a retraction ends a confirmation

    def add(self, step: Step) -> str:
        if step.stance == "assert":
            if self.first_asserter is None and step.parties:
                self.first_asserter = step.parties
            if step.on_record:
                if step.about or _meet(step.parties, self.deniers):
                    if self.settled != "retracted":
                        self.settled = "confirmed"
                self.asserted_on_record = True
        elif step.stance == "deny":
            if self.first_asserter and _meet(step.parties, set(self.first_asserter)):
                self.settled = "retracted"
            if step.on_record:
                self.denied_on_record = True
                self.deniers |= step.parties
        return self.status

    @property
    def status(self) -> str:
        if self.settled:
            return self.settled
        if self.denied_on_record:
            return "contested" if self.asserted_on_record else "denied"
        return "asserted" if self.asserted_on_record else "unverified"


def statuses(steps: list[Step]) -> list[str]:
    """The status after each step."""
    ledger = Ledger()
    return [ledger.add(step) for step in steps]
