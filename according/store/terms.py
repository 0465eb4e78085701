"""Words as the search index sees them, cut in Python so that both back ends index exactly the same terms.

FTS5 and PostgreSQL's text search tokenise, fold and stem differently; left to themselves they would answer the same
query differently. So `according` folds and splits text here (case, accents, compatibility forms), hands each back
end a ready list of terms, and lets the engines only match them: no stemming, no stop words, the same on both.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from according.model import Span

_WORD = re.compile(r"[^\W_]+")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]+")
# Longer "words" are URLs, hashes or base64 that nobody searches for; PostgreSQL also refuses huge lexemes.
MAX_TERM = 64
SNIPPET_CHARS = 200


def fold(text: str) -> str:
    """Lower case without accents, so that "Zelenskyy", "ZELENSKYY" and "Zelénskyy" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) <= MAX_TERM]


def index_terms(*texts: str | None) -> list[str]:
    """The distinct terms of a document, sorted so that both back ends receive the same input."""
    return sorted({w for t in texts if t for w in words(t)})


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool = False  # `spokes*` matches spokesman, spokeswoman, spokesperson


def parse_query(query: str) -> list[Term]:
    """Every word must appear; a trailing `*` makes the last word of a chunk a prefix."""
    terms: list[Term] = []
    for chunk in query.split():
        found = words(chunk)
        for n, w in enumerate(found):
            terms.append(Term(w, prefix=chunk.endswith("*") and n == len(found) - 1))
    return list(dict.fromkeys(terms))


def _match_spans(text: str, terms: list[Term]) -> list[Span]:
    """Where the words of `text` match `terms`, in order.

    A regular expression finds the plain ASCII words (most of any English text) at C speed; only words with other
    letters in them ("Café", "Straße") are folded one by one, as the index folded them.
    """
    spans = set()
    plain = [t for t in terms if t.word.isascii()]
    if plain:
        alternatives = "|".join(re.escape(t.word) + (r"[^\W_]*" if t.prefix else "") for t in plain)
        pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
        spans.update(m.span() for m in pattern.finditer(text))
    for run in _BEYOND_ASCII.finditer(text):
        start, end = run.span()
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        for m in _WORD.finditer(text, start, end):
            if not m.group().isascii() and any(f == t.word or (t.prefix and f.startswith(t.word))
                                               for f in words(m.group()) for t in terms):
                spans.add(m.span())
    return sorted(spans)


def snippet(text: str, terms: list[Term], width: int = SNIPPET_CHARS) -> tuple[str, list[Span]]:
    """A window of `text` around the first matching word, with the spans of the matches inside the window.

    Computed here rather than by FTS5's snippet() so that both back ends return the same snippet (and the FTS
    tables need not keep a second copy of every text).
    """
    hits = _match_spans(text, terms) if terms else []
    start = max(0, hits[0][0] - width // 3) if hits else 0
    end = min(len(text), start + width)
    if start > 0:  # do not cut a word in two
        space = text.find(" ", start, hits[0][0] if hits else end)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    lead, tail = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    body = text[start:end].replace("\n", " ")
    shift = len(lead) - start
    spans = [(s + shift, e + shift) for s, e in hits if s >= start and e <= end]
    return lead + body + tail, spans
