"""Quotations in a Doc, tolerant of unbalanced and mixed (straight/curly) quotation marks."""
from __future__ import annotations

from spacy.tokens import Doc, Token

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


class Quotes:
    """Quotation regions of a Doc, and the ways a statement's content reaches into them."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.regions = quote_regions(doc)
        self.mask = quote_mask(doc, self.regions)
        self.region_of: dict[int, tuple[int, int]] = {}
        for r in self.regions:
            for i in range(*r):
                self.region_of[i] = r

    def expand(self, content: list[int], cue: int) -> list[int]:
        """A content that reaches into a quotation takes all of it (the parse often cuts long quotes), unless
        the cue is inside that quotation too: then it is someone quoted within the quote."""
        own = self.region_of.get(cue)
        touched = {self.region_of[i] for i in content if i in self.region_of} - {own}
        if not touched:
            return content
        out = set(content)
        for s, e in touched:
            out.update(range(s, e))
        return sorted(out)

    def adjacent(self, verb: Token) -> tuple[int, int] | None:
        """A quotation right before the speaker ("“...,” she said") or right after the cue ("said: “...”")."""
        doc = self.doc
        if verb.i in self.region_of:
            return None
        left = min((t.i for t in verb.subtree if t.i <= verb.i and not t.is_punct), default=verb.i)
        i = left - 1
        while i >= 0 and (doc[i].is_punct and doc[i].i not in self.region_of or doc[i].is_space and "\n" not in doc[i].text):
            i -= 1
        if i >= 0 and i in self.region_of and left - i <= 3:
            return self.region_of[i]
        j = verb.i + 1
        while j < len(doc) and doc[j].is_punct and j not in self.region_of and j - verb.i <= 2:
            j += 1
        if j < len(doc) and j in self.region_of and self.region_of[j][0] == j:
            return self.region_of[j]
        return None

    def continuation(self, content: list[int], cue_end: int) -> list[int]:
        """'“A,” he said. “B.”': quotations that follow in the same paragraph continue the same statement, and so
        do the paragraphs after it that are quotation and nothing else (news gives a long quote a paragraph each,
        naming the speaker once)."""
        doc = self.doc
        last = next((i for i in reversed(content) if not doc[i].is_space), None)  # 'said:' ends on a line break
        if last is None or cue_end in self.region_of:
            return []
        if last not in self.region_of:
            # 'He said the road would close.' and then a paragraph of quotation alone: a reported statement that
            # closes its paragraph goes on in the quoted paragraphs that follow, as a quotation does
            i = last + 1
            while i < len(doc) and doc[i].is_punct and i not in self.region_of:
                i += 1
            return self._quoted_paragraphs(i)
        sent_end = doc[cue_end].sent.end
        extra: list[int] = []
        i = cue_end + 1  # the rest of the speaker's clause, then what follows it
        while i < sent_end and self.region_of.get(i, (None,))[0] != i and "\n" not in doc[i].text:
            i += 1
        while i < len(doc) and not (doc[i].is_space and "\n" in doc[i].text):
            if doc[i].is_space:
                i += 1
                continue
            r = self.region_of.get(i)
            if r is None or r[0] != i:
                break
            extra.extend(range(*r))
            i = r[1]
            while i < len(doc) and doc[i].is_punct and i not in self.region_of:
                i += 1
        return extra + self._quoted_paragraphs(i)  # the paragraph ended with the quote: whole paragraphs follow

    def _quoted_paragraphs(self, i: int) -> list[int]:
        """The paragraphs of quotation and nothing else that follow one another from the line break at `i`."""
        doc = self.doc
        extra: list[int] = []
        while i < len(doc) and doc[i].is_space and "\n" in doc[i].text:
            paragraph = self._quoted_paragraph(i)
            if paragraph is None:
                break
            extra.extend(paragraph)
            i = paragraph[-1] + 1
        return extra

    def _quoted_paragraph(self, i: int) -> list[int] | None:
        """The tokens of the paragraph after the line break at `i` when it is all quotation (marks and
        punctuation aside), else None."""
        doc = self.doc
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i >= len(doc) or self.region_of.get(i, (None,))[0] != i:
            return None
        start = i
        while i < len(doc) and not (doc[i].is_space and "\n" in doc[i].text):
            if i not in self.region_of and not doc[i].is_punct and not doc[i].is_space:
                return None
            i += 1
        return list(range(start, i))
