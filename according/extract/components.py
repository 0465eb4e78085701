"""spaCy components of `according`, registered by name so spaCy users can `nlp.add_pipe("according_attributions")`.

Results live on the Doc: `doc._.attributions` (list of `Attribution`) and `doc._.entities` (list of `Entity`).
"""

from spacy.language import Language
from spacy.tokens import Doc

from according.extract import entities as entities_mod
from according.extract import finder

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=[])
if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=[])


@Language.factory("according_attributions", assigns=["doc._.attributions", "doc._.entities"],
                  requires=["token.dep", "token.lemma", "token.ent_type"])
def make_attributions(nlp: Language, name: str, accurate: bool = False):
    """`accurate`: redraw each statement's content with the fine-tuned span tagger (needs the `accurate` extra:
    onnxruntime and tokenizers; `according.extract.span_tagger`)."""
    return AttributionFinder(accurate)


@Language.component("according_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs: headlines, datelines and bylines
    carry no full stop, and a parse that runs a headline into the first sentence misreads both."""
    starts = [0]
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
    for start in starts:  # a dateline ("OSLO, Norway (Wire) -- ") is no part of the sentence it opens
        first = doc[start] if start < len(doc) else None
        if first is None or not (first.is_alpha and first.is_upper and len(first) > 2):
            continue
        dash = next((t for t in doc[start:start + 10] if t.text in ("\u2014", "\u2013", "--")), None)
        if dash is not None and dash.i + 1 < len(doc):
            doc[dash.i + 1].is_sent_start = True
    return doc


class AttributionFinder:
    def __init__(self, accurate: bool = False):
        self.refine = None
        if accurate:
            from according.extract.span_tagger import load_refiner

            self.refine = load_refiner()  # raises ModelError, with the install command, when it cannot load

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = finder.find_attributions(doc, self.refine)
        doc._.entities = entities_mod.resolve(doc, doc._.attributions)
        return doc


def add_to(nlp: Language, accurate: bool = False) -> None:
    """Add `according`'s tokenizer rules and components to an English pipeline (`accurate`: with the learned
    span model)."""
    from according.extract.tokenizer import adapt_tokenizer

    adapt_tokenizer(nlp)
    if "according_paragraphs" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("according_paragraphs", before="parser")
    if "according_attributions" not in nlp.pipe_names:
        nlp.add_pipe("according_attributions", last=True, config={"accurate": accurate})
