"""The cue lexicons (data files beside this module) loaded once per process."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


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


def _rows(name: str):
    for line in files("according.extract").joinpath("lexicons", name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    by_pos: dict[str, dict[str, Cue]] = {"verb": {}, "noun": {}, "adv": {}, "adj": {}}
    for lemma, pos, stance, hedged, cls in _rows("cues.tsv"):
        by_pos[pos][lemma] = Cue(lemma, pos, stance, hedged == "1", cls)
    denials = frozenset(row[0] for row in _rows("denial_words.tsv"))
    return Lexicon(by_pos["verb"], by_pos["noun"], by_pos["adv"], by_pos["adj"], denials)
