"""The cue lexicons: data files (beside this module by default, or saved with a pipeline) read into tables.

The attributions component holds one `Lexicon` as its state. `candidates.py` asks `lexicon()` for it instead of
taking it as an argument, so the component makes its own the one in use while it reads a doc (`in_use`);
anywhere else `lexicon()` is the packaged one.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

CUES = "cues.tsv"
DENIAL_WORDS = "denial_words.tsv"


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str  # verb, noun, adv, adj
    stance: str
    hedged: bool
    cls: str = "say"  # the kind of act: say, tell, think, show, perceive, ask, request, ... (cues.tsv)


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Cue]
    nouns: dict[str, Cue]
    adverbs: dict[str, Cue]
    adjectives: dict[str, Cue]
    denial_words: frozenset[str]

    def to_tsv(self) -> dict[str, str]:
        """The two files' text, by file name (the packaged files' comments are not kept, their data is)."""
        cues = ["# lemma\tpos\tstance\thedged\tclass"] + [
            f"{c.lemma}\t{c.pos}\t{c.stance}\t{int(c.hedged)}\t{c.cls}"
            for table in (self.verbs, self.nouns, self.adverbs, self.adjectives) for c in table.values()]
        denials = ["# word"] + sorted(self.denial_words)
        return {CUES: "\n".join(cues) + "\n", DENIAL_WORDS: "\n".join(denials) + "\n"}

    @classmethod
    def from_tsv(cls, texts: dict[str, str]) -> "Lexicon":
        by_pos: dict[str, dict[str, Cue]] = {"verb": {}, "noun": {}, "adv": {}, "adj": {}}
        for lemma, pos, stance, hedged, kind in _rows(texts[CUES]):
            by_pos[pos][lemma] = Cue(lemma, pos, stance, hedged == "1", kind)
        denials = frozenset(row[0] for row in _rows(texts[DENIAL_WORDS]))
        return cls(by_pos["verb"], by_pos["noun"], by_pos["adv"], by_pos["adj"], denials)


def _rows(text: str):
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def read_lexicon(directory: Path) -> Lexicon:
    return Lexicon.from_tsv({name: (Path(directory) / name).read_text(encoding="utf-8")
                             for name in (CUES, DENIAL_WORDS)})


def write_lexicon(lex: Lexicon, directory: Path) -> None:
    Path(directory).mkdir(parents=True, exist_ok=True)
    for name, text in lex.to_tsv().items():
        (Path(directory) / name).write_text(text, encoding="utf-8")


def _packaged(name: str) -> str:
    """A lexicon file shipped with the package, as text."""
    return files("according.extract").joinpath("lexicons", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def packaged_lexicon() -> Lexicon:
    """The lexicons shipped with the package, the default of every new component (read once per process)."""
    return Lexicon.from_tsv({name: _packaged(name) for name in (CUES, DENIAL_WORDS)})


_in_use: ContextVar[Lexicon | None] = ContextVar("according_lexicon", default=None)


def lexicon() -> Lexicon:
    """The lexicon of the component reading the current doc, else the packaged one."""
    return _in_use.get() or packaged_lexicon()


@contextmanager
def in_use(lex: Lexicon) -> Iterator[None]:
    token = _in_use.set(lex)
    try:
        yield
    finally:
        _in_use.reset(token)


@dataclass(frozen=True)
class SourceNouns:
    """What a noun says about a source ("the paper": an outlet; "a spokeswoman": speaks for a body, female)."""

    by_word: dict[str, tuple[frozenset[str], str | None]]

    def classes(self, word: str) -> frozenset[str]:
        return self.by_word.get(word, (frozenset(), None))[0]

    def gender(self, word: str) -> str | None:
        return self.by_word.get(word, (frozenset(), None))[1]


@lru_cache(maxsize=1)
def source_nouns() -> SourceNouns:
    classes: dict[str, set[str]] = {}
    genders: dict[str, str | None] = {}
    for word, cls, gender in _rows(_packaged("source_nouns.tsv")):
        classes.setdefault(word, set()).add(cls)
        if gender != "-":
            genders[word] = gender
    return SourceNouns({w: (frozenset(c), genders.get(w)) for w, c in classes.items()})


@lru_cache(maxsize=1)
def words() -> dict[str, frozenset[str]]:
    """The finder's word lists by role (lexicons/words.tsv): "predicate", "of-content", "told", "medium",
    "unverified", "raising"."""
    by_role: dict[str, set[str]] = {}
    for word, role in _rows(_packaged("words.tsv")):
        by_role.setdefault(role, set()).add(word)
    return {role: frozenset(found) for role, found in by_role.items()}
