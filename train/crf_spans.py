"""A linear-chain CRF over spaCy token features that redraws the source and content of each statement the rules
found: the cheaper alternative to the fine-tuned span tagger (according/extract/span_tagger.py), kept for
comparison (train/train_spans.py). On PolNeAR dev it moved content exact F1 only 0.553 -> 0.573.

The rules find the cue and read its source and content off the dependency tree; where the parse or the tree's
shape disagrees with how a reader bounds a statement (a trailing "as well", a clause hung on the wrong verb, a
source's apposition), the edges are off. Here a linear-chain CRF reads a window of sentences around the cue and
tags each token SOURCE, CUE, CONTENT or nothing, from the token's place relative to the cue (its path in the tree,
its side, the quotation it is in) and from what the rules said about it. Trained on PolNeAR train
(`train/train_spans.py`); needs `python-crfsuite`. The cues, stances and everything else stay the rules'.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from according.extract.candidates import Candidate
from according.extract.quotes import Quotes

MODEL = "span_crf.crfsuite"
LABELS = ("O", "S", "K", "C")  # outside, source, cue, content


def window(doc: Doc, c: Candidate, around: int = 1) -> tuple[int, int]:
    """Token range [lo, hi): the sentences holding the statement's cue, source and content, and `around` more on
    each side (within the paragraph breaks the sentences already respect)."""
    held = c.cue + c.content + c.source
    lo_sent, hi_sent = doc[min(held)].sent, doc[max(held)].sent
    lo, hi = lo_sent.start, hi_sent.end
    for _ in range(around):
        if lo > 0:
            lo = doc[lo - 1].sent.start
        if hi < len(doc):
            hi = doc[hi].sent.end
    return lo, hi


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "13-25" if n <= 25 else "26+"


def _path(tok: Token, head: Token) -> str:
    """How the token hangs on the cue: the dependency of the cue's child it descends from, 'self', 'above' (it
    governs the cue) or 'none'."""
    t, prev = tok, None
    for _ in range(40):
        if t.i == head.i:
            return "self" if prev is None else prev.dep_
        if t.head.i == t.i:
            break
        prev, t = t, t.head
    return "above" if tok.is_ancestor(head) else "none"


def _word(t: Token) -> str:
    return t.lower_ if (t.is_stop or t.is_punct or t.is_quote) else t.pos_


def features(doc: Doc, c: Candidate, quotes: Quotes, lo: int, hi: int) -> list[list[str]]:
    head = doc[c.head]
    cue, content, source = set(c.cue), set(c.content), set(c.source)
    k_lo, k_hi = min(c.cue), max(c.cue)
    c_lo, c_hi = (min(content), max(content)) if content else (-9, -9)
    s_lo, s_hi = (min(source), max(source)) if source else (-9, -9)
    cue_sent = head.sent.start
    cue_quoted = c.head in quotes.region_of
    rows = []
    paths = {i: _path(doc[i], head) for i in range(lo, hi)}
    base = []
    for i in range(lo, hi):
        t = doc[i]
        side = "in" if i in cue else "before" if i < k_lo else "after"
        dist = 0 if i in cue else (k_lo - i if i < k_lo else i - k_hi)
        rc = "1" if i in content else "0"
        rs = "1" if i in source else "0"
        edge_c = ("first" if i == c_lo else "last" if i == c_hi else "pre" if i == c_lo - 1 else
                  "post" if i == c_hi + 1 else "-")
        edge_s = ("first" if i == s_lo else "last" if i == s_hi else "pre" if i == s_lo - 1 else
                  "post" if i == s_hi + 1 else "-")
        q = "1" if quotes.mask[i] else "0"
        same_q = "1" if cue_quoted and quotes.region_of.get(i) == quotes.region_of.get(c.head) else "0"
        sent = "same" if t.sent.start == cue_sent else "before" if t.sent.start < cue_sent else "after"
        base.append({
            "w": _word(t), "pos": t.pos_, "rc": rc, "rs": rs, "k": "1" if i in cue else "0",
            "path": paths[i], "side": side, "q": q, "punct": "1" if t.is_punct else "0",
        })
        rows.append([
            "bias", "w=" + _word(t), "pos=" + t.pos_, "tag=" + t.tag_, "dep=" + t.dep_,
            "rc=" + rc, "rs=" + rs, "k=" + ("1" if i in cue else "0"),
            "reading=" + c.reading, "rc|reading=" + rc + "|" + c.reading, "rs|reading=" + rs + "|" + c.reading,
            "side=" + side, "dist=" + _bucket(dist), "side|dist=" + side + "|" + _bucket(dist),
            "edge_c=" + edge_c, "edge_s=" + edge_s, "edge_c|w=" + edge_c + "|" + _word(t),
            "edge_s|w=" + edge_s + "|" + _word(t),
            "path=" + paths[i], "path|side=" + paths[i] + "|" + side, "path|rc=" + paths[i] + "|" + rc,
            "path|rs=" + paths[i] + "|" + rs, "rc|rs=" + rc + rs, "q=" + q, "same_q=" + same_q,
            "q|rc=" + q + rc, "sent=" + sent, "sent|rc=" + sent + "|" + rc,
            "head_in_c=" + ("1" if t.head.i in content else "0"), "head_in_s=" + ("1" if t.head.i in source else "0"),
            "ent=" + (t.ent_type_ or "-"), "ent_iob=" + t.ent_iob_,
            "sent_start=" + ("1" if t.is_sent_start else "0"),
            "newline=" + ("1" if t.is_space and "\n" in t.text else "0"),
            "w|rc=" + _word(t) + "|" + rc, "w|side=" + _word(t) + "|" + side,
        ])
    for n in range(len(rows)):
        for off in (-2, -1, 1, 2):
            m = n + off
            if 0 <= m < len(base):
                b = base[m]
                rows[n] += [f"{off}:w={b['w']}", f"{off}:rc={b['rc']}", f"{off}:rs={b['rs']}", f"{off}:k={b['k']}",
                            f"{off}:path={b['path']}", f"{off}:w|rc={b['w']}|{b['rc']}"]
                if abs(off) == 1:
                    rows[n] += [f"{off}:pos={b['pos']}", f"{off}:q={b['q']}", f"{off}:side={b['side']}"]
            else:
                rows[n].append(f"{off}:edge")
    return rows


class Refiner:
    """Redraws `Candidate.content` and `.source` in place with the CRF's tags."""

    def __init__(self, tagger, source: bool = True, content: bool = True):
        self.tagger, self.source, self.content = tagger, source, content

    def tags(self, doc: Doc, c: Candidate, quotes: Quotes) -> tuple[int, list[str]]:
        lo, hi = window(doc, c)
        return lo, self.tagger.tag(features(doc, c, quotes, lo, hi))

    def __call__(self, doc: Doc, found: list[Candidate], quotes: Quotes) -> None:
        for c in found:
            if not c.cue or not c.content:
                continue
            lo, tags = self.tags(doc, c, quotes)
            content = [lo + n for n, t in enumerate(tags) if t == "C"]
            source = [lo + n for n, t in enumerate(tags) if t == "S" and lo + n not in c.cue]
            words = [i for i in content if not doc[i].is_punct and not doc[i].is_space]
            if self.content and words:
                c.content = content
            if self.source and c.reading not in ("headline-colon",):
                c.source = source
