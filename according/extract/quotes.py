"""Which tokens stand inside quotation marks, tolerant of unbalanced and mixed (straight/curly) marks."""
from __future__ import annotations

from spacy.tokens import Doc

OPENING = {"“", "«", "„"}
CLOSING = {"”", "»"}
STRAIGHT = {'"', "''", "``"}


def quote_mask(doc: Doc) -> list[bool]:
    """True for tokens inside a quotation. An open quote ends at its closing mark or, failing one, at the end of
    its paragraph (news opens a new quote mark on each paragraph of a long quotation), so an odd number of
    marks never spreads a quote over the rest of the article."""
    mask = [False] * len(doc)
    inside = False
    for tok in doc:
        t = tok.text
        if tok.is_space and "\n" in t:
            inside = False
            continue
        if t in OPENING or (t in STRAIGHT and not inside):
            inside = True
            mask[tok.i] = True
            continue
        if t in CLOSING or (t in STRAIGHT and inside):
            mask[tok.i] = True
            inside = False
            continue
        mask[tok.i] = inside
    return mask
