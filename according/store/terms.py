"""Words as the search index sees them, cut in Python so that both back ends index exactly the same terms.

FTS5 and PostgreSQL's text search tokenise, fold and stem differently; left to themselves they would answer the same
query differently. So `according` folds and splits text here (case, accents, compatibility forms), stems it with
the Snowball English stemmer (PostgreSQL's `english` configuration uses the same algorithm), and hands each back end
a ready list of terms with their positions; the engines only match them.

A document is indexed twice over, in one index:
- its words as written (folded), with positions: for exact words and phrases (`"called it inaccurate"`) and
  prefixes (`congrat*`);
- the stem of each word, marked with a leading `_`: for plain words, so that "deny" finds "denied" and "denies".
  No word holds `_` (`words` splits on it), so the two kinds never meet.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from according.model import Span

_WORD = re.compile(r"[^\W_]+")
# Longer "words" are URLs, hashes or base64 that nobody searches for; PostgreSQL also refuses huge lexemes.
MAX_TERM = 64
SNIPPET_CHARS = 200
STEM_MARK = "_"
# PostgreSQL keeps positions up to 16383 and at most 256 per term, silently dropping the rest. Positions are
# assigned here within those limits, so that a phrase matches on SQLite exactly where it matches on PostgreSQL:
# words past MAX_POSITION are indexed without a place in any phrase (see `index_terms`), and 16382 stays empty.
MAX_POSITION = 16381
OVERFLOW_POSITION = 16383
MAX_OCCURRENCES = 256
# Holds a word's place in SQLite's token stream where PostgreSQL keeps no position for it; no query asks for it.
FILLER = "_"

_stemmer = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents, so that "Zelenskyy", "ZELENSKYY" and "Zelénskyy" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if len(w) <= MAX_TERM]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The index term that a plain query word matches: "denied", "denies" and "deny" all give `_deni`."""
    return STEM_MARK + _stemmer.stemWord(word)


@dataclass(frozen=True)
class Indexed:
    """One document's terms, ready for either back end.

    `title` and `text` are SQLite's FTS5 column values: words in order (FILLER where PostgreSQL keeps no position),
    then the words past the position limit each between fillers, then the stems. `tsvector` is PostgreSQL's literal
    of the same terms, title words weighted A so that a query can ask for the title alone.
    """
    title: str
    text: str
    tsvector: str


def index_terms(text: str | None, title: str | None = None) -> Indexed:
    positions: dict[str, list[str]] = {}
    streams = []
    position = 0
    for field, weight in ((title, "A"), (text, "")):
        stream, overflow, stems = [], [], {}
        for word in words(field or ""):
            position += 1
            at = positions.setdefault(word, [])
            if position > MAX_POSITION:
                if not at and word not in overflow:
                    overflow.append(word)
            elif len(at) < MAX_OCCURRENCES:
                at.append(f"{position}{weight}")
                stream.append(word)
            else:
                stream.append(FILLER)
            stems.setdefault(stem(word), f"{min(position, OVERFLOW_POSITION)}{weight}")
        for word in overflow:
            positions[word].append(f"{OVERFLOW_POSITION}{weight}")
            stream += [FILLER, word]
        for term, first in stems.items():
            positions.setdefault(term, []).append(first)
        streams.append(" ".join(stream + [FILLER] + list(stems)) if stream or stems else "")
        position += 1  # a gap: a phrase never runs from the title into the text
    vector = " ".join(f"'{term}':{','.join(places)}" for term, places in sorted(positions.items()))
    return Indexed(title=streams[0], text=streams[1], tsvector=vector)


@lru_cache(maxsize=262144)
def _keys_of(raw: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of a token of a stored text with their stems, and the words alone: texts repeat their words, and
    searches their texts, so each token is folded and stemmed once."""
    found = [raw.lower()] if raw.isascii() and len(raw) <= MAX_TERM else words(raw)
    return frozenset(found + [stem(w) for w in found]), tuple(found)


class Highlighter:
    """Finds the words of a text that a query matched: by stem, as written (a phrase's words), or by prefix."""

    def __init__(self, stems: set[str], exact: set[str], prefixes: tuple[str, ...]):
        self.targets, self.prefixes = frozenset(stems | exact), prefixes
        # Only words that begin with a target's first letter can match (a stem keeps its word's first letter), or
        # with a letter beyond ASCII, which folding may change: the others are skipped at C speed.
        initials = {t[1] for t in stems} | {t[0] for t in exact} | {p[0] for p in prefixes}
        self.scan = re.compile(rf"(?<![^\W_])(?:[{''.join(map(re.escape, sorted(initials)))}]|[^\x00-\x7f])[^\W_]*",
                               re.IGNORECASE) if initials else None

    def _matches(self, raw: str) -> bool:
        keys, found = _keys_of(raw)
        return not self.targets.isdisjoint(keys) or bool(self.prefixes) and any(
            w.startswith(self.prefixes) for w in found)

    def snippet(self, text: str, width: int = SNIPPET_CHARS) -> tuple[str, list[Span]]:
        """A window of `text` around the first matching word, with the spans of the matches inside the window.

        Computed here rather than by FTS5's snippet() so that both back ends return the same snippet.
        """
        spans: list[Span] = []
        limit = len(text)
        for m in self.scan.finditer(text) if self.scan else ():
            if m.start() >= limit:
                break
            if self._matches(m.group()):
                if not spans:
                    limit = max(0, m.start() - width // 3) + width
                spans.append(m.span())
        start = max(0, spans[0][0] - width // 3) if spans else 0
        end = min(len(text), start + width)
        if start > 0:  # do not cut a word in two
            space = text.find(" ", start, spans[0][0] if spans else end)
            start = space + 1 if space >= 0 else start
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        lead, tail = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
        body = text[start:end].replace("\n", " ")
        shift = len(lead) - start
        shown = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
        return lead + body + tail, shown
