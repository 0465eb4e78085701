"""Quotations in a Doc, tolerant of unbalanced and mixed (straight/curly) quotation marks."""
from __future__ import annotations

from spacy.tokens import Doc

OPENING = {"“", "«", "„"}
CLOSING = {"”", "»"}
STRAIGHT = {'"', "''", "``"}


def quote_regions(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges `[start, end)` of quotations, marks included. An open quote ends at its closing mark or,
    failing one, at the end of its paragraph (news opens a new mark on each paragraph of a long quotation), so
    an odd number of marks never spreads a quote over the rest of the article."""
    regions = []
    start = None
    for tok in doc:
        t = tok.text
        if tok.is_space and "\n" in t:
            if start is not None:
                regions.append((start, tok.i))
            start = None
        elif start is None and (t in OPENING or t in STRAIGHT):
            start = tok.i
        elif start is not None and (t in CLOSING or t in STRAIGHT):
            regions.append((start, tok.i + 1))
            start = None
    if start is not None:
        regions.append((start, len(doc)))
    return [(s, e) for s, e in regions if e - s > 2]


def quote_mask(doc: Doc, regions: list[tuple[int, int]]) -> list[bool]:
    mask = [False] * len(doc)
    for s, e in regions:
        for i in range(s, e):
            mask[i] = True
    return mask
