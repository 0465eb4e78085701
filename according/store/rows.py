"""Plain data types to table rows and back: the one place that knows how an article is laid out in the tables."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

from according.errors import StoreError
from according.model import Article, Attribution, Claim, Entity, Position, span_text
from according.store.terms import index_terms, words

ARTICLE_FIELDS = ("id", "text", "title", "url", "outlet", "author", "language", "published", "origin")
ROLES = ("source", "cue", "content", "via")
ATTRIBUTION_FIELDS = ("id", *ROLES, "stance", "kind", "parent", "source_entity", "anonymous", "hedged")
ENTITY_FIELDS = ("name", "label", "role", "mentions")
CLAIM_FIELDS = ("id", "text", "status", "positions")


def outlet_key(outlet: str | None) -> str | None:
    return outlet.strip().casefold() if outlet else None


def source_key(source_text: str, source_entity: str | None) -> str:
    """Words delimited by spaces at both ends, so that `LIKE '% peskov %'` matches whole words on both engines."""
    return f" {' '.join(words(source_text + ' ' + (source_entity or '')))} "


def _instant(value: str | date, *, end: bool) -> int:
    """Seconds since the epoch at the start (or, with `end`, just past the end) of what `value` names.

    A day, month or year names all of it: `until="2024-11"` includes the whole of November. A time without a zone
    is taken as UTC.
    """
    if isinstance(value, datetime):
        moment, step = value, timedelta(seconds=1)
    elif isinstance(value, date):
        moment, step = datetime.combine(value, time()), timedelta(days=1)
    else:
        text = value.strip()
        parts = text.split("-")
        if len(text) == 4 and text.isdigit():
            moment = datetime(int(text), 1, 1)
            step = datetime(int(text) + 1, 1, 1) - moment
        elif len(parts) == 2 and len(text) == 7 and all(p.isdigit() for p in parts):
            moment = datetime(int(parts[0]), int(parts[1]), 1)
            step = datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1) - moment
        elif len(text) == 10:
            moment, step = datetime.combine(date.fromisoformat(text), time()), timedelta(days=1)
        else:
            moment, step = datetime.fromisoformat(text), timedelta(seconds=1)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int((moment + step).timestamp() if end else moment.timestamp())


def instant(value: str | date | None, *, end: bool = False) -> int | None:
    """For query bounds: a date that cannot be read is the caller's mistake."""
    if value is None:
        return None
    try:
        return _instant(value, end=end)
    except ValueError as exc:
        raise StoreError(f"cannot read the date {value!r}: use ISO 8601, e.g. 2024-11-06 or 2024-11-06T09:30Z") \
            from exc


def published_ts(published: str | None) -> int | None:
    """For stored articles: an unreadable date is kept as written and left out of date filters."""
    try:
        return instant(published)
    except StoreError:
        return None


def article_row(article: Article, *, duplicate_of: str | None, signature: bytes | None) -> dict:
    return {
        **{f: getattr(article, f) for f in ARTICLE_FIELDS},
        "duplicate_of": duplicate_of,
        "signature": signature,
        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "outlet_key": outlet_key(article.outlet),
        "published_ts": published_ts(article.published),
    }


def article_terms(article: Article) -> list[str]:
    return index_terms(article.title, article.text)


def attribution_row(article_id: str, ordinal: int, a: Attribution, text: str) -> dict:
    row = {"article_id": article_id, "id": a.id, "ordinal": ordinal}
    for role in ROLES:
        spans = getattr(a, role)
        row[role] = json.dumps([list(s) for s in spans])
        row[f"{role}_text"] = span_text(text, spans)
    row.update(stance=a.stance, kind=a.kind, parent=a.parent, source_entity=a.source_entity,
               anonymous=int(a.anonymous), hedged=int(a.hedged),
               source_key=source_key(row["source_text"], a.source_entity))
    return row


def entity_row(article_id: str, ordinal: int, e: Entity) -> dict:
    return {"article_id": article_id, "ordinal": ordinal, "name": e.name, "label": e.label, "role": e.role,
            "mentions": json.dumps([list(s) for s in e.mentions])}


def to_article(row) -> Article:
    return Article(**dict(zip(ARTICLE_FIELDS, row)))


def to_attribution(row) -> Attribution:
    d = dict(zip(ATTRIBUTION_FIELDS, row))
    spans = {role: [tuple(s) for s in json.loads(d[role])] for role in ROLES}
    return Attribution(id=d["id"], stance=d["stance"], kind=d["kind"], parent=d["parent"],
                       source_entity=d["source_entity"], anonymous=bool(d["anonymous"]), hedged=bool(d["hedged"]),
                       **spans)


def to_entity(row) -> Entity:
    d = dict(zip(ENTITY_FIELDS, row))
    return Entity(name=d["name"], label=d["label"], role=d["role"],
                  mentions=[tuple(s) for s in json.loads(d["mentions"])])


def claim_row(article_id: str, ordinal: int, c: Claim) -> dict:
    return {"article_id": article_id, "id": c.id, "ordinal": ordinal, "text": c.text, "status": c.status,
            "positions": json.dumps([p.to_dict() for p in c.positions])}


def to_claim(row) -> Claim:
    d = dict(zip(CLAIM_FIELDS, row))
    return Claim(id=d["id"], text=d["text"], status=d["status"],
                 positions=[Position.from_dict(p) for p in json.loads(d["positions"])])
