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
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

import Stemmer

from according.model import Span

_WORD = re.compile(r"[^\W_]+")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]+")
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
    # Only letters beyond ASCII can carry accents: the rest of a text (most of it, in English) is left as it is.
    return _BEYOND_ASCII.sub(_strip_accents, decomposed)


def _strip_accents(run: re.Match) -> str:
    return "".join(c for c in run.group() if not unicodedata.combining(c))


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
    of the same terms, title words weighted A so that a query can ask for the title alone; it is only built when
    asked for (SQLite never does).
    """
    title: str
    text: str
    places: dict[str, list[int]]  # term -> its positions, ascending
    title_end: int  # positions up to this one are the title's

    @cached_property
    def tsvector(self) -> str:
        def weighted(at: list[int]) -> str:
            in_title = bisect_right(at, self.title_end)
            return ",".join([f"{p}A" for p in at[:in_title]] + list(map(str, at[in_title:])))
        return " ".join(f"'{term}':{weighted(at)}" for term, at in sorted(self.places.items()))


def index_terms(text: str | None, title: str | None = None) -> Indexed:
    places: dict[str, list[int]] = {}
    streams = []
    position = title_end = 0
    for field in (title, text):
        stream, overflow, stems, seen = [], [], {}, set()
        for word in words(field or ""):
            position += 1
            at = places.get(word)
            if at is None:
                at = places[word] = []
            if word not in seen:
                seen.add(word)
                stems.setdefault(stem(word), min(position, OVERFLOW_POSITION))
            if position > MAX_POSITION:
                if not at and word not in overflow:
                    overflow.append(word)
            elif len(at) < MAX_OCCURRENCES:
                at.append(position)
                stream.append(word)
            else:
                stream.append(FILLER)
        for word in overflow:
            places[word].append(OVERFLOW_POSITION)
            stream += [FILLER, word]
        for term, first in stems.items():
            places.setdefault(term, []).append(first)
        streams.append(" ".join(stream + [FILLER] + list(stems)) if stream or stems else "")
        position += 1  # a gap: a phrase never runs from the title into the text
        title_end = title_end or position
    return Indexed(title=streams[0], text=streams[1], places=places, title_end=title_end)


@lru_cache(maxsize=262144)
def _keys_of(raw: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of a token of a stored text with their stems, and the words alone: texts repeat their words, and
    searches their texts, so each token is folded and stemmed once."""
    found = [raw.lower()] if raw.isascii() and len(raw) <= MAX_TERM else words(raw)
    return frozenset(found + [stem(w) for w in found]), tuple(found)


class Highlighter:
    """Finds the words of a text that a query matched: by stem, as written (a phrase's words, each wherever it
    stands: the marks show what was looked for, the search already decided that the phrase is there), or by
    prefix."""

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
