"""What every reader yields: an `Article`, or a `Failure` that says which input was skipped and why.

Readers never raise for one bad input and never drop one silently: a run over ten thousand files
reports the three it could not read and ingests the rest.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass

from according.errors import AccordingError
from according.model import Article


@dataclass(frozen=True)
class Failure:
    """An input that produced no article: `origin` names it (path, URL, `file.jsonl:12`), `reason` says why."""

    origin: str
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


_SPACE = re.compile(r"\s+")
# Code points no UTF-8 file or database can hold: lone surrogates (a JSON "\ud800" escape, a feed's "&#xD800;")
# and NUL (PostgreSQL refuses it in text).
_INVALID = re.compile("[\ud800-\udfff\x00]")


def valid_text(text: str) -> str:
    """`text` with every code point that cannot be stored or encoded replaced by U+FFFD, one for one.

    The one gate for text entering `according`: every reader passes titles, ids and texts through it, and so does
    `according.analyze`. One code point for one keeps every character offset of the text where it was.
    """
    return _INVALID.sub("\ufffd", text) if _INVALID.search(text) else text


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
    value = _SPACE.sub(" ", valid_text(str(value))).strip()
    return value or None


def new_article(text: str, **meta: object) -> Article:
    """An `Article` keyed by its content, with metadata cleaned; the text is kept as read, made valid."""
    fields = {k: clean(v) for k, v in meta.items()}
    text = valid_text(text)
    return Article(id=article_id(text), text=text, **fields)


def read_record(where: str, read: Callable[..., Article | Failure], *args, **kwargs) -> Article | Failure:
    """`read(*args, **kwargs)` for one record of a file or feed, or a `Failure` naming `where` if it raises.

    One bad record costs that record only: the records beside it in the same file or feed are still read.
    """
    try:
        return read(*args, **kwargs)
    except AccordingError as e:
        return Failure(where, str(e))
    except Exception as e:  # a bug in a reader or a library must not cost the user the rest of the file
        return unexpected(where, e)


def unexpected(where: str, error: Exception) -> Failure:
    return Failure(where, f"unexpected {type(error).__name__}: {error} (please report this as a bug in according)")
