"""One article read and its claims linked, on its own: what `according analyze` prints and `POST /api/analyze`
returns, computed in one place."""
from __future__ import annotations

from according.errors import InputError
from according.model import Analysis, Article


def analyze_article(article: Article, *, id: str | None = None, model: str | None = None, **given) -> Analysis:
    """`article` read by the extractor of `model` (loaded once per process), with its claims; metadata in `given`
    (title, outlet, published) replaces what the article gives, unless it is None."""
    from according.link import with_claims
    from according.scale.worker import extractor

    meta = {**article.meta(), **{k: v for k, v in given.items() if v is not None}}
    record = {**meta, "id": id, "text": article.text}
    # one piece of a long text at a time: spaCy's peak memory follows the characters in a batch
    return with_claims(next(extractor(model).pipe([record], batch_size=1)))


def iso_date(value: str | None) -> str | None:
    """A date given for an article (`--published`, the API's `published`) as ISO 8601, a date or a date and time;
    anything else is refused, not guessed at."""
    from datetime import date, datetime

    if value is None:
        return None
    for kind in (date, datetime):
        try:
            return kind.fromisoformat(value.strip()).isoformat()
        except ValueError:
            continue
    raise InputError(f"{value!r} is not an ISO date: give it as 2024-11-07, or with a time as "
                     "2024-11-07T09:15:00+01:00")
