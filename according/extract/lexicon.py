"""The cue lexicons (data files beside this module) loaded once per process."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str  # verb, noun, adv
    stance: str
    hedged: bool


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Cue]
    nouns: dict[str, Cue]
    adverbs: dict[str, Cue]
    denial_words: frozenset[str]


def _rows(name: str):
    for line in files("according.extract").joinpath("lexicons", name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    by_pos: dict[str, dict[str, Cue]] = {"verb": {}, "noun": {}, "adv": {}}
    for lemma, pos, stance, hedged in _rows("cues.tsv"):
        by_pos[pos][lemma] = Cue(lemma, pos, stance, hedged == "1")
    denials = frozenset(row[0] for row in _rows("denial_words.tsv"))
    return Lexicon(by_pos["verb"], by_pos["noun"], by_pos["adv"], denials)


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
    for word, cls, gender in _rows("source_nouns.tsv"):
        classes.setdefault(word, set()).add(cls)
        if gender != "-":
            genders[word] = gender
    return SourceNouns({w: (frozenset(c), genders.get(w)) for w, c in classes.items()})
