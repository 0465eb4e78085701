"""The accurate mode: a fine-tuned MiniLM-L6 tagger that redraws the content of each statement the rules found.

The rules find the cue and read its content off the dependency tree; where the parse hangs a clause on the wrong
verb, or the tree's shape differs from how a reader bounds a statement ("and extended benefits to ...", a
trailing list, a clause that runs on), the edges are off. The tagger reads the sentences around the statement
as word pieces, with the cue and the rules' source and content marked, and tags each word source, cue, content
or nothing. It was fine-tuned from all-MiniLM-L6-v2 on PolNeAR train (train/train_span_tagger.py), exported to
int8 ONNX (train/export_span_tagger.py) and runs with onnxruntime and tokenizers only: `pip install
'according[accurate]'`, then `according extract --accurate` or `Extractor(accurate=True)`. The cues, which
statements there are, their sources (see `apply_tags`), stances and nesting rules stay the rules'.

`encode` is shared by training (with torch) and run time, so both see exactly the same input.
"""
from __future__ import annotations

from spacy.tokens import Doc

from according.extract.candidates import Candidate

LABELS = ("O", "S", "K", "C")
MARKERS = {"cue": ("[unused0]", "[unused1]"), "content": ("[unused2]", "[unused3]"),
           "source": ("[unused4]", "[unused5]")}
MAX_PIECES = 256


def statement_window(doc: Doc, c: Candidate) -> tuple[int, int]:
    """The sentences that hold the statement's cue, source and content."""
    held = c.cue + c.content + c.source
    return doc[min(held)].sent.start, doc[max(held)].sent.end


def encode(tokenizer, doc: Doc, c: Candidate, lo: int, hi: int):
    """(input ids, token index of each piece or -1) for doc[lo:hi]; each run of cue, rules' content and rules'
    source tokens is put between its two markers. Whitespace tokens are left out. Truncated to MAX_PIECES
    around the cue."""
    if tokenizer.truncation or tokenizer.padding:  # sentence-transformers' file cuts at 128 and pads
        tokenizer.no_truncation()
        tokenizer.no_padding()
    vocab = tokenizer.get_vocab()
    mark = {role: (vocab[a], vocab[b]) for role, (a, b) in MARKERS.items()}
    roles = {"cue": set(c.cue), "content": set(c.content), "source": set(c.source)}
    idx = [i for i in range(lo, hi) if not doc[i].is_space]
    enc = tokenizer.encode([doc[i].text for i in idx], is_pretokenized=True, add_special_tokens=False)
    pieces: dict[int, list[int]] = {}
    for pid, wid in zip(enc.ids, enc.word_ids):
        if wid is None:  # padding, should the tokenizer's file ask for it
            continue
        pieces.setdefault(idx[wid], []).append(pid)
    ids, owner = [], []
    prev = None
    for n, i in enumerate(idx):
        for role in ("source", "content", "cue"):  # open the runs that start here
            if i in roles[role] and (prev is None or prev not in roles[role]):
                ids.append(mark[role][0])
                owner.append(-1)
        for pid in pieces.get(i, [vocab["[UNK]"]]):
            ids.append(pid)
            owner.append(i)
        nxt = idx[n + 1] if n + 1 < len(idx) else None
        for role in ("cue", "content", "source"):  # close the runs that end here
            if i in roles[role] and (nxt is None or nxt not in roles[role]):
                ids.append(mark[role][1])
                owner.append(-1)
        prev = i
    budget = MAX_PIECES - 2
    if len(ids) > budget:
        centre = next((k for k, o in enumerate(owner) if o == c.head), 0)
        start = max(0, min(centre - budget // 3, len(ids) - budget))
        ids, owner = ids[start:start + budget], owner[start:start + budget]
    return [vocab["[CLS]"]] + ids + [vocab["[SEP]"]], [-1] + owner + [-1]


ONNX_MODEL = "span_tagger.int8.onnx"
TOKENIZER = "span_tagger.tokenizer.json"


class OnnxRefiner:
    """Redraws `Candidate.content` (and `.source`, with `sources`) in place with the fine-tuned tagger, run by
    onnxruntime on one thread (spaCy's parse stays the larger cost)."""

    def __init__(self, model_path: str, tokenizer_path: str, threads: int = 1, batch: int = 16,
                 sources: bool = False):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.batch, self.sources = batch, sources

    def tag(self, encoded: list[tuple[list[int], list[int]]]) -> list[dict[int, str]]:
        import numpy as np

        out: list[dict[int, str]] = [{} for _ in encoded]
        order = sorted(range(len(encoded)), key=lambda k: len(encoded[k][0]))  # batches of like length: less padding
        for start in range(0, len(order), self.batch):
            keys = order[start:start + self.batch]
            chunk = [encoded[k] for k in keys]
            n = max(len(ids) for ids, _ in chunk)
            ids = np.zeros((len(chunk), n), dtype=np.int64)
            mask = np.zeros((len(chunk), n), dtype=np.int64)
            for r, (x, _) in enumerate(chunk):
                ids[r, :len(x)] = x
                mask[r, :len(x)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in {i.name for i in self.session.get_inputs()}:
                feeds["token_type_ids"] = np.zeros_like(ids)
            best = self.session.run(None, feeds)[0].argmax(-1)
            for r, (_, owner) in enumerate(chunk):
                tags = out[keys[r]]
                for p, o in enumerate(owner):
                    if o >= 0 and o not in tags:
                        tags[o] = LABELS[int(best[r, p])]
        return out

    def __call__(self, doc: Doc, found: list[Candidate], quotes=None) -> None:
        todo = [c for c in found if c.cue and c.content]
        if not todo:
            return
        encoded = [encode(self.tokenizer, doc, c, *statement_window(doc, c)) for c in todo]
        for c, tags in zip(todo, self.tag(encoded)):
            apply_tags(doc, c, tags, self.sources)


def apply_tags(doc: Doc, c: Candidate, tags: dict[int, str], sources: bool = False) -> None:
    """The tagger's content, unless it tags no word as content (then the rules' stays); with `sources`, its
    source too (more often PolNeAR's exact source, but PolNeAR's own conventions: on real news scored in full,
    statements with a wrong speaker rose, so the rules' sources stay by default)."""
    content = sorted(i for i, t in tags.items() if t == "C")
    if any(not doc[i].is_punct for i in content):
        c.content = content
    if sources and c.reading != "headline-colon":
        c.source = sorted(i for i, t in tags.items() if t == "S" and i not in c.cue)


def _model_files():
    from importlib.resources import files

    models = files("according.extract").joinpath("models")
    return models.joinpath(ONNX_MODEL), models.joinpath(TOKENIZER)


def available() -> bool:
    """Whether the accurate mode can run: the extra's libraries and the shipped model are there."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return all(p.is_file() for p in _model_files())


_LOADED: list[OnnxRefiner] = []


def load_refiner() -> OnnxRefiner:
    """The shipped span tagger, loaded once per process; ModelError (with the install command) when the
    accurate extra is not installed."""
    from according.errors import ModelError

    if _LOADED:
        return _LOADED[0]
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as e:
        raise ModelError("the accurate mode needs onnxruntime and tokenizers: pip install 'according[accurate]'") from e
    model, tokenizer = _model_files()
    if not (model.is_file() and tokenizer.is_file()):
        raise ModelError(f"the accurate mode's span model ({ONNX_MODEL}) is missing from according/extract/models")
    _LOADED.append(OnnxRefiner(str(model), str(tokenizer)))
    return _LOADED[0]
