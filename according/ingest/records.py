"""What every reader yields: an `Article`, or a `Failure` that says which input was skipped and why.

Readers never raise for one bad input and never drop one silently: a run over ten thousand files
reports the three it could not read and ingests the rest.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass

from according.model import Article


@dataclass(frozen=True)
class Failure:
    """An input that produced no article: `origin` names it (path, URL, `file.jsonl:12`), `reason` says why."""

    origin: str
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form two copies of one article share: NFKC, case folded, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def article_id(text: str) -> str:
    """Content key: reading the same article twice, from a file or a feed, with other spacing, gives one id."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:32]


def clean(value: object) -> str | None:
    """Metadata as one trimmed line, or None: feeds and pages hand us None, '', lists and stray whitespace."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value if v)
    value = _SPACE.sub(" ", str(value)).strip()
    return value or None


def new_article(text: str, **meta: object) -> Article:
    """An `Article` keyed by its content, with metadata cleaned; the text is kept exactly as read."""
    fields = {k: clean(v) for k, v in meta.items()}
    return Article(id=article_id(text), text=text, **fields)
