"""A headline's stance toward a claim, read by a fine-tuned MiniLM cross-encoder: claim and headline as one input.

The logistic regression of `according.link.stance.Headlines` sees the headline's words and how much of the claim it
holds; the encoder reads the two texts together, so it can see whether the headline states the claim in its own
voice or only relays it ("X says", "report:", a question). It was fine-tuned from all-MiniLM-L6-v2 on Emergent
train (train/train_stance_encoder.py), exported to int8 ONNX and runs with onnxruntime and tokenizers only, the
libraries of `pip install 'according[accurate]'`. When they are there, the headline model averages its
probabilities with the regression's (`Headlines.encoder_weight`, chosen by grouped cross-validation on train);
without them the regression reads headlines alone. The gate (related or not) stays the regression's.

`encode` is shared by training (with torch) and run time, so both see exactly the same input.
"""
from __future__ import annotations

from importlib.resources import files

LABELS = ("assert", "deny", "report")
ONNX_MODEL = "stance_encoder.int8.onnx"
MAX_PIECES = 96  # a claim and a headline are a sentence each: about 40 word pieces together


def encode(tokenizer, claim: str, headline: str) -> tuple[list[int], list[int]]:
    """(word piece ids, segment ids) of `[CLS] claim [SEP] headline [SEP]`, cut to MAX_PIECES."""
    if tokenizer.padding:
        tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_PIECES)
    enc = tokenizer.encode(claim, headline)
    return enc.ids, enc.type_ids


def model_file():
    return files("according.link").joinpath("models", ONNX_MODEL)


def available() -> bool:
    """Whether the encoder can run: onnxruntime and tokenizers are installed and the model ships."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    from according.extract.span_tagger import _model_files

    return model_file().is_file() and _model_files()[1].is_file()


class StanceEncoder:
    """(claim, headline) pairs to probabilities of `LABELS`, on `threads` threads."""

    def __init__(self, model_path: str, tokenizer_path: str, threads: int = 1, batch: int = 32):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(model_path, opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.batch = batch

    def probabilities(self, pairs: list[tuple[str, str]]):
        import numpy as np

        encoded = [encode(self.tokenizer, claim, headline) for claim, headline in pairs]
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda k: len(encoded[k][0]))  # like lengths together: less padding
        for start in range(0, len(order), self.batch):
            keys = order[start:start + self.batch]
            n = max(len(encoded[k][0]) for k in keys)
            ids, types, mask = (np.zeros((len(keys), n), dtype=np.int64) for _ in range(3))
            for r, k in enumerate(keys):
                x, t = encoded[k]
                ids[r, :len(x)], types[r, :len(x)], mask[r, :len(x)] = x, t, 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            z = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]
            z = np.exp(z - z.max(axis=1, keepdims=True))
            out[keys] = z / z.sum(axis=1, keepdims=True)
        return out


_LOADED: list[StanceEncoder] = []


def load_encoder() -> StanceEncoder | None:
    """The shipped encoder, loaded once per process; None when its libraries or its file are missing."""
    if not _LOADED:
        if not available():
            return None
        from according.extract.span_tagger import _model_files

        _LOADED.append(StanceEncoder(str(model_file()), str(_model_files()[1])))
    return _LOADED[0]
