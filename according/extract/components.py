"""spaCy components of `according`, registered by name so spaCy users can `nlp.add_pipe("according_attributions")`.

Results live on the Doc: `doc._.attributions` (list of `Attribution`) and `doc._.entities` (list of `Entity`).
The Doc's user data holds them as plain dicts, which msgpack writes as they are, so they survive
`DocBin(store_user_data=True)`, `doc.to_bytes()` and `nlp.pipe(n_process=...)`; the extensions turn them into
objects when read. Each read gives new objects: change one and set the list again to keep the change.
"""
from __future__ import annotations

from pathlib import Path

from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

from according.extract import finder, speakers
from according.extract.gate import Gate, packaged_gate, read_gate
from according.extract.lexicon import Lexicon, in_use, packaged_lexicon, read_lexicon, write_lexicon
from according.model import Attribution, Entity


def _plain_extension(name: str, cls) -> None:
    key = ("according", name)

    def get(doc: Doc) -> list:
        return [cls.from_dict(d) for d in doc.user_data.get(key, ())]

    def put(doc: Doc, value: list) -> None:
        doc.user_data[key] = [v.to_dict() for v in value]

    if not Doc.has_extension(name):
        Doc.set_extension(name, getter=get, setter=put)


_plain_extension("attributions", Attribution)
_plain_extension("entities", Entity)


@Language.factory("according_attributions", assigns=["doc._.attributions"],
                  requires=["token.dep", "token.lemma", "token.ent_type"],
                  default_config={"setup_pipeline": True, "accurate": False})
def make_attributions(nlp: Language, name: str, setup_pipeline: bool, accurate: bool):
    """`setup_pipeline`: also give the pipeline what the CLI reads with (the tokenizer rules, and
    `according_paragraphs` before the parser), so that `add_pipe` alone reads as `according analyze` does.
    `accurate`: redraw each statement's content with the fine-tuned span tagger (needs the `accurate` extra:
    onnxruntime and tokenizers; `according.extract.span_tagger`)."""
    if setup_pipeline:
        _setup(nlp)
    return AttributionFinder(name, accurate)


@Language.factory("according_speakers", assigns=["doc._.attributions", "doc._.entities"],
                  requires=["doc._.attributions", "token.dep", "token.ent_type"])
def make_speakers(nlp: Language, name: str):
    """Who each statement's source is: names, roles, pronouns and bodies resolved across the article
    (`speakers.py`); it names each attribution's `source_entity` and lists the article's speakers."""
    return SpeakerResolver()


class SpeakerResolver:
    def __call__(self, doc: Doc) -> Doc:
        attributions = doc._.attributions
        doc._.entities = speakers.resolve(doc, attributions)
        doc._.attributions = attributions
        return doc


# News sentences run to about 100 tokens (none longer in the dev sets). A paragraph longer than this is cut into
# sentences of at most this many tokens before the parser runs: every statement's content lies within its
# sentence, so statements nested in one giant sentence ("he said he said ...") cost the square of its length.
MAX_SENTENCE_TOKENS = 120
SENTENCE_ENDS = frozenset({".", "!", "?"})


@Language.component("according_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs: headlines, datelines and bylines
    carry no full stop, and a parse that runs a headline into the first sentence misreads both. A paragraph
    longer than `MAX_SENTENCE_TOKENS` also starts one where a sentence seems to end (else at the limit), so the
    parser never sees a longer sentence."""
    starts = [0]
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
    for start, end in zip(starts, starts[1:] + [len(doc)]):
        _bound_sentences(doc, start, end)
    for start in starts:  # a dateline ("OSLO, Norway (Wire) -- ") is no part of the sentence it opens
        first = doc[start] if start < len(doc) else None
        if first is None or not (first.is_alpha and first.is_upper and len(first) > 2):
            continue
        dash = next((t for t in doc[start:start + 10] if t.text in ("\u2014", "\u2013", "--")), None)
        if dash is not None and dash.i + 1 < len(doc):
            doc[dash.i + 1].is_sent_start = True
    return doc


def _bound_sentences(doc: Doc, start: int, end: int, limit: int = MAX_SENTENCE_TOKENS) -> None:
    """Sentence starts in doc[start:end] so that no stretch between two of them is longer than `limit`: after
    the last full stop in the second half of each stretch (as the parser would cut), else at the limit."""
    while end - start > limit:
        cut = next((i for i in range(start + limit, start + limit // 2, -1) if _ends_before(doc, i)), start + limit)
        doc[cut].is_sent_start = True
        start = cut


def _ends_before(doc: Doc, i: int) -> bool:
    """Whether a sentence ends right before token i: a full stop (with its closing quotation mark) and a space,
    then a word that opens a sentence (the "?" of '"Why?" he asked' ends none)."""
    before = doc[i - 1]
    if before.is_quote and i >= 2 and not doc[i - 2].whitespace_:
        before = doc[i - 2]
    nxt = doc[i]
    return before.text in SENTENCE_ENDS and bool(doc[i - 1].whitespace_) and not nxt.text[:1].islower() and (
        nxt.is_quote or not nxt.is_punct)


class AttributionFinder:
    """Its state is the gate and the lexicons: the packaged ones when new, saved and loaded with the pipeline
    (`nlp.to_disk`, `spacy.load`). Set `gate` (None: the lexicons decide alone) or `lexicon` to read with others."""

    def __init__(self, name: str = "according_attributions", accurate: bool = False):
        self.name = name
        self.gate: Gate | None = packaged_gate()
        self.lexicon: Lexicon = packaged_lexicon()
        self.refine = None
        if accurate:
            from according.extract.span_tagger import load_refiner

            self.refine = load_refiner()  # raises ModelError, with the install command, when it cannot load

    def __call__(self, doc: Doc) -> Doc:
        with in_use(self.lexicon):
            doc._.attributions = finder.find_attributions(doc, self.gate, self.refine)
        return doc

    def to_disk(self, path: str | Path, *, exclude=tuple()) -> None:
        """A folder with `gate.json` (the packaged file's format) and `lexicons/` (its TSV files)."""
        util.to_disk(path, {"gate": self._write_gate, "lexicons": lambda p: write_lexicon(self.lexicon, p)},
                     exclude)

    def from_disk(self, path: str | Path, *, exclude=tuple()) -> "AttributionFinder":
        util.from_disk(path, {"gate": self._read_gate, "lexicons": self._read_lexicon}, exclude)
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return util.to_bytes({"gate": lambda: self.gate.to_dict() if self.gate else None,
                              "lexicons": self.lexicon.to_tsv}, exclude)

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "AttributionFinder":
        util.from_bytes(data, {"gate": lambda d: setattr(self, "gate", Gate.from_dict(d) if d else None),
                               "lexicons": lambda d: setattr(self, "lexicon", Lexicon.from_tsv(d))}, exclude)
        return self

    def _write_gate(self, path: Path) -> None:
        file = path.with_suffix(".json")
        if self.gate is None:  # no gate is state too: a stale file must not come back on load
            file.unlink(missing_ok=True)
        else:
            file.write_text(self.gate.to_json(), encoding="utf-8")

    def _read_gate(self, path: Path) -> None:
        file = path.with_suffix(".json")
        self.gate = read_gate(file) if file.exists() else None

    def _read_lexicon(self, path: Path) -> None:
        self.lexicon = read_lexicon(path)


def _setup(nlp: Language) -> None:
    from according.extract.tokenizer import adapt_tokenizer

    adapt_tokenizer(nlp)
    if "according_paragraphs" not in nlp.component_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("according_paragraphs", before="parser")


def add_to(nlp: Language, accurate: bool = False) -> None:
    """Add `according` to an English pipeline, unless it has it (a saved one): the attributions component
    brings the tokenizer rules and `according_paragraphs` itself (`accurate`: with the learned span model)."""
    if "according_attributions" not in nlp.component_names:
        nlp.add_pipe("according_attributions", last=True, config={"accurate": accurate})
    if "according_speakers" not in nlp.component_names:
        nlp.add_pipe("according_speakers", last=True)
