"""The gate: two small linear models that decide which candidates are attributions, and how to read each.

Trained on PolNeAR train (`train/train_gate.py`), shipped as JSON tables of feature weights, scored here in
plain Python: no model library at run time, a few dictionary lookups per candidate.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Token

from according.errors import GateError
from according.extract.candidates import Candidate

MODEL = "cue_gate.json"
# The layout of a gate file. A file without it, or with another, is refused rather than half read: a renamed
# feature or table would silently score every candidate 0.
SCHEMA = 1


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9-20" if n <= 20 else "21+"


def _subject_kind(c: Candidate) -> str:
    s = c.subject
    if s is None:
        return "none"
    if s.pos_ == "PRON":
        return "pron:" + s.lower_
    if s.ent_type_:
        return "ent:" + s.ent_type_
    return s.pos_


def _content_root(c: Candidate, doc: Sequence[Token]):
    """The content's highest word: the one whose head lies outside it (the first such, for split contents;
    quotation marks and punctuation, which hang anywhere, aside)."""
    held = set(c.content)
    return next((doc[i] for i in c.content if (doc[i].head.i not in held or doc[i].head.i == i)
                 and not doc[i].is_punct and not doc[i].is_space), doc[c.content[0]])


def _path(cue, root) -> str:
    """Dependency labels from the cue down to the content's root ("ccomp", "dobj>prep>pobj"), or up from the
    cue when the content governs it ("^parataxis": the interjected "..., he said"); "far" beyond three steps."""
    # (tokens compare by index: spaCy makes a new Token object on every access, so `is` never holds)
    down, t = [], root
    while t.i != cue.i and t.head.i != t.i and len(down) < 3:
        down.append(t.dep_)
        t = t.head
    if t.i == cue.i:
        return ">".join(reversed(down)) or "self"
    up, t = [], cue
    while t.i != root.i and t.head.i != t.i and len(up) < 3:
        up.append(t.dep_)
        t = t.head
    return "^" + ">".join(up) if t.i == root.i else "far"


def _clause(root, quote: str) -> str:
    """What the content is: a finite clause, an infinitive, a gerund, a noun phrase, a quotation."""
    if quote == "all":
        return "quote"
    if root.pos_ in ("VERB", "AUX"):
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children):
            return "finite"
        if root.tag_ == "VBG":
            return "gerund"
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children):
            return "infinitive"
        return "verb"
    return "np:" + ("ent" if root.ent_type_ else root.pos_)


def features(c: Candidate, doc: Sequence[Token], quoted: list[bool]) -> list[str]:
    """What the gate weighs: the structure of the candidate (how the cue governs its content, what the content
    is, who the source is by kind) and the cue word with its lexicon class; never the names of speakers, so what
    it learned from one election's news holds for any news. `doc`: the Doc, or its tokens as a list (faster)."""
    head = doc[c.head]
    lemma = head.lemma_.lower()
    lex = c.cue_info.pos if c.cue_info else "none"
    cls = c.cue_info.cls if c.cue_info else "none"
    subj = _subject_kind(c)
    subj_kind = subj.split(":")[0]
    words = [i for i in c.content if not doc[i].is_punct]
    in_quote = sum(quoted[i] for i in words)
    q = "none" if not in_quote else "all" if in_quote == len(words) else "part"
    root = _content_root(c, doc)
    path = _path(head, root)
    clause = _clause(root, q)
    f = [
        "bias",
        "lemma=" + lemma,
        "lex=" + lex,
        "class=" + cls,
        "reading=" + c.reading,
        "reading_lex=" + c.reading + "|" + lex,
        "reading_class=" + c.reading + "|" + cls,
        "reading_lemma=" + c.reading + "|" + lemma,
        "tag=" + head.tag_,
        "dep=" + head.dep_,
        "subj=" + subj,
        "subj_reading=" + subj_kind + "|" + c.reading,
        "subj_lex=" + subj_kind + "|" + lex,
        "subj_class=" + subj_kind + "|" + cls,
        "quote=" + q,
        "quote_reading=" + q + "|" + c.reading,
        "clen=" + _bucket(len(words)),
        "cue_quoted=" + str(quoted[c.head]),
        "head_lemma=" + head.head.lemma_.lower() if head.dep_ in ("xcomp", "ccomp", "conj", "advcl") else "head=-",
        "has_source=" + str(bool(c.source)),
        "path=" + path,
        "path_class=" + path + "|" + cls,
        "clause=" + clause,
        "clause_class=" + clause + "|" + cls,
        "clause_reading=" + clause + "|" + c.reading,
    ]
    if c.subject is not None and c.subject.pos_ == "NOUN":
        # common nouns only ("poll", "spokesman", "report"): a kind of source, where a name would be one speaker
        f.append("subj_lemma=" + c.subject.lemma_.lower())
    if c.reading in ("prep", "obj-prep"):
        # the preposition that links cue and content ("spoke about", "accused ... of"), not the words between
        prep = next((doc[i].lower_ for i in reversed(c.cue) if doc[i].dep_ == "prep"), "-")
        f.append("prep=" + prep + "|" + cls)
        f.append("prep_lemma=" + lemma + "|" + prep)
    if c.reading in ("dobj", "obj-prep", "prep") and c.content:
        if root.pos_ == "NOUN":
            f.append("obj=" + root.lemma_.lower())
        f.append("obj_ent=" + (root.ent_type_ or root.pos_))
        f.append("obj_class=" + (root.ent_type_ or root.pos_) + "|" + cls)
    if c.reading == "ccomp":
        marks = {g.lower_ for i in c.content for g in [doc[i]] if g.dep_ == "mark" and g.head.i in c.content}
        f.append("mark=" + ("that" if "that" in marks else "if" if marks & {"if", "whether"} else "other"))
    if any(doc[i].dep_ == "neg" for i in c.cue):
        f.append("neg")
    first = doc[min(c.content)]
    f += [
        "lemma_dep=" + lemma + "|" + head.dep_,
        "lemma_quote=" + lemma + "|" + q,
        "lemma_subj=" + lemma + "|" + subj_kind,
        "first=" + (first.lower_ if first.is_stop or first.is_punct else first.pos_),
        "content_side=" + ("before" if min(c.content) < c.head else "after"),
    ]
    return f


@dataclass(frozen=True)
class Gate:
    """Two linear models over the same features: is this word a cue at all (`weights`, against `threshold`),
    and, of the ways its content can be read, which one is right (`reading_weights`). `meta` is what the
    training script records about it (data, dev score), kept so a saved pipeline says where its gate came from."""

    weights: dict[str, float]
    threshold: float
    reading_weights: dict[str, float]
    meta: dict = field(default_factory=dict)

    def score(self, feats: list[str]) -> float:
        return _logistic(sum(self.weights.get(f, 0.0) for f in feats))

    def reading_score(self, feats: list[str]) -> float:
        return _logistic(sum(self.reading_weights.get(f, 0.0) for f in feats))

    def to_dict(self) -> dict:
        return {**self.meta, "schema": SCHEMA, "threshold": self.threshold, "weights": self.weights,
                "reading_weights": self.reading_weights}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict, origin: str = "the gate") -> "Gate":
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema is None:
            raise GateError(f"{origin} has no schema version: it was not written by according's gate "
                            f"(train/train_gate.py writes schema {SCHEMA})")
        if schema != SCHEMA:
            raise GateError(f"{origin} has schema {schema!r}; this version of according reads schema {SCHEMA}")
        tables = ("schema", "threshold", "weights", "reading_weights")
        return cls(weights=data["weights"], threshold=data["threshold"], reading_weights=data["reading_weights"],
                   meta={k: v for k, v in data.items() if k not in tables})


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def read_gate(path: Path) -> Gate:
    return Gate.from_dict(json.loads(Path(path).read_text(encoding="utf-8")), origin=str(path))


@lru_cache(maxsize=1)
def packaged_gate() -> Gate | None:
    """The gate shipped with the package, the default of every new component (read once per process: it is
    read-only and 2 MB). None before one has been trained: the lexicons then decide alone."""
    path = files("according.extract").joinpath("models", MODEL)
    if not path.is_file():
        return None
    return Gate.from_dict(json.loads(path.read_text(encoding="utf-8")), origin=f"the packaged {MODEL}")
