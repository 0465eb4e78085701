"""Plain data types that cross package boundaries (the spaCy Doc never leaves `extract`).

Spans are `(start, end)` character offsets into the article text, end exclusive, Python `str` indices: the
contract of `../shared/eval/FORMAT.md`. A role may have several pieces ("cited ... suggesting").
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Span = tuple[int, int]
Stance = Literal["assert", "deny", "uncertain"]
Kind = Literal["direct", "indirect", "mixed"]


def span_text(text: str, spans: list[Span], sep: str = " ... ") -> str:
    return sep.join(text[s:e] for s, e in spans)


@dataclass
class Attribution:
    """Who (source) says what (content), signalled by which words (cue), with what commitment (stance)."""

    id: str
    source: list[Span]
    cue: list[Span]
    content: list[Span]
    stance: Stance = "assert"
    kind: Kind = "indirect"
    parent: str | None = None
    source_entity: str | None = None
    anonymous: bool = False
    hedged: bool = False
    via: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        # field by field rather than dataclasses.asdict, whose deep copy was most of the cost of keeping
        # attributions on a Doc
        return {"id": self.id, "source": [list(s) for s in self.source], "cue": [list(s) for s in self.cue],
                "content": [list(s) for s in self.content], "stance": self.stance, "kind": self.kind,
                "parent": self.parent, "source_entity": self.source_entity, "anonymous": self.anonymous,
                "hedged": self.hedged, "via": [list(s) for s in self.via]}

    @classmethod
    def from_dict(cls, d: dict) -> "Attribution":
        spans = {r: [tuple(s) for s in d.get(r) or []] for r in ("source", "cue", "content", "via")}
        return cls(
            id=str(d["id"]), stance=d.get("stance", "assert"), kind=d.get("kind", "indirect"),
            parent=d.get("parent"), source_entity=d.get("source_entity"),
            anonymous=bool(d.get("anonymous", False)), hedged=bool(d.get("hedged", False)), **spans,
        )


@dataclass
class Entity:
    """A person, organisation or outlet named in the article, with the mentions that refer to it."""

    name: str
    label: str  # PERSON, ORG, OUTLET, GPE, NORP
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["mentions"] = [list(s) for s in self.mentions]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Entity":
        return cls(name=d["name"], label=d["label"], role=d.get("role"),
                   mentions=[tuple(s) for s in d.get("mentions") or []])


@dataclass
class Position:
    """One statement's position on a claim: assert, deny, uncertain, report (carries it as someone else's, or
    relays another's position on it); whether it is taken on the record (a named source citing no unnamed ones);
    and the parties behind it, case-folded: the source, whoever it speaks for, a person's surname too."""

    attribution: str
    stance: str
    on_record: bool = False
    parties: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"attribution": self.attribution, "stance": self.stance, "on_record": self.on_record,
                "parties": self.parties}

    @classmethod
    def from_dict(cls, d: dict) -> "Position":
        return cls(str(d["attribution"]), d["stance"], bool(d.get("on_record", False)), list(d.get("parties") or []))


@dataclass
class Claim:
    """A proposition that statements of one article take positions on, and its status in that article (the
    statuses of `according.link.status`)."""

    id: str
    text: str
    status: str
    positions: list[Position] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "status": self.status,
                "positions": [p.to_dict() for p in self.positions]}

    @classmethod
    def from_dict(cls, d: dict) -> "Claim":
        return cls(id=str(d["id"]), text=d["text"], status=d["status"],
                   positions=[Position.from_dict(p) for p in d.get("positions") or []])


@dataclass
class Analysis:
    """Everything `according` reads in one article."""

    text: str
    attributions: list[Attribution] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    id: str | None = None
    meta: dict = field(default_factory=dict)  # title, url, outlet, author, published, language
    claims: list[Claim] = field(default_factory=list)  # filled by `according.link.article.link_article`

    def by_id(self, attribution_id: str) -> Attribution | None:
        return next((a for a in self.attributions if a.id == attribution_id), None)

    def text_of(self, spans: list[Span]) -> str:
        return span_text(self.text, spans)

    def to_dict(self, with_text: bool = False) -> dict:
        d: dict = {"id": self.id, "attributions": [a.to_dict() for a in self.attributions],
                   "entities": [e.to_dict() for e in self.entities], "meta": self.meta,
                   "claims": [c.to_dict() for c in self.claims]}
        if with_text:
            d["text"] = self.text
            for a, ad in zip(self.attributions, d["attributions"]):
                ad["_text"] = {r: [self.text[s:e] for s, e in getattr(a, r)]
                               for r in ("source", "cue", "content", "via")}
        return d

    @classmethod
    def from_dict(cls, d: dict, text: str | None = None) -> "Analysis":
        return cls(text=text if text is not None else d.get("text", ""), id=d.get("id"), meta=d.get("meta") or {},
                   attributions=[Attribution.from_dict(a) for a in d.get("attributions", [])],
                   entities=[Entity.from_dict(e) for e in d.get("entities", [])],
                   claims=[Claim.from_dict(c) for c in d.get("claims", [])])


@dataclass
class Article:
    """A news article as ingested: text and metadata, keyed by a hash of its normalised content."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    origin: str | None = None  # where it was read from: a path, URL, feed or WARC record

    def to_dict(self) -> dict:
        return asdict(self)

    def meta(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("id", "text") and v is not None}
