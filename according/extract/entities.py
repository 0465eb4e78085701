"""Who the sources are: names, surnames, titles, pronouns and descriptions resolved to one entity each.

A reader keeps a cast list while reading: "Kremlin spokesperson Dmitry Peskov" enters with his role, is "Peskov"
and "he" afterwards; "the Russian news outlet Verstka" is an outlet, and "the report" a few lines later is
Verstka's; "one source" and "the source" are unnamed people. This module keeps that cast list for one article.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from according.model import Attribution, Entity

NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC")
OUTLET_NOUNS = {"outlet", "newspaper", "paper", "agency", "channel", "broadcaster", "website", "site", "daily",
                "magazine", "tabloid", "network", "station", "publication", "newswire", "wire", "outlets",
                "portal", "weekly", "journal"}
DOCUMENT_NOUNS = {"report", "article", "story", "publication", "newspaper", "paper", "outlet", "agency",
                  "channel", "broadcaster", "website", "site", "daily", "magazine", "tabloid", "network",
                  "piece", "investigation", "dispatch", "bulletin"}
ANONYMOUS_HEADS = {"source", "sources", "official", "officials", "person", "people", "insider", "insiders",
                   "aide", "aides", "diplomat", "diplomats", "someone", "individual", "individuals", "staffer",
                   "staffers", "member", "members", "lawmaker", "lawmakers", "officer", "officers", "employee",
                   "employees", "adviser", "advisers", "advisor", "advisors", "confidant", "associate",
                   "associates", "acquaintance", "witness", "witnesses", "resident", "residents"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"it", "they", "them"}
FIRST_PERSON = {"i", "me", "we", "us"}
ANONYMOUS_NAME = "anonymous sources"


@dataclass
class Cast:
    """The entities of one article, in order of first mention."""

    doc: Doc
    entities: list[Entity] = field(default_factory=list)
    surname: dict[str, Entity] = field(default_factory=dict)
    by_key: dict[str, Entity] = field(default_factory=dict)
    mentions: list[tuple[int, Entity]] = field(default_factory=list)  # (token index, entity), in text order

    def add(self, ent: Span, label: str) -> Entity:
        name = _clean_name(ent)
        words = name.split()
        if label in ("PERSON", "ORG") and len(words) == 1 and words[0].lower() in self.surname:
            label = "PERSON"  # "Trump" after "Donald Trump", whatever the tagger thought
        if label == "PERSON":
            known = self.surname.get(words[-1].lower()) or self.by_key.get(words[-1].lower())
            if known is not None and known.label in ("PERSON", "ORG"):
                if known.label == "ORG" and len(words) > 1:
                    known.label = "PERSON"
                    self.surname[words[-1].lower()] = known
                if len(name) > len(known.name) and known.label == "PERSON":
                    known.name = name
                self._mention(known, ent)
                return known
        known = self.by_key.get(name.lower())
        if known is None:
            known = Entity(name=name, label=label)
            self.entities.append(known)
            self.by_key[name.lower()] = known
        if label == "PERSON" and len(words) > 1:
            self.surname.setdefault(words[-1].lower(), known)
        self._mention(known, ent)
        return known

    def _mention(self, entity: Entity, ent: Span) -> None:
        entity.mentions.append((ent.start_char, ent.end_char))
        self.mentions.append((ent.root.i, entity))

    def latest(self, before: int, labels: tuple[str, ...]) -> Entity | None:
        for i, e in reversed(self.mentions):
            if i < before and e.label in labels:
                return e
        return None


def _clean_name(ent: Span) -> str:
    toks = [t for t in ent if t.dep_ != "case" and t.text not in ("'s", "’s") and t.lower_ != "the"
            and not t.is_punct]
    return " ".join(t.text for t in toks).strip() or ent.text


def _role(ent: Span) -> str | None:
    """Title before the name ("Kremlin spokesperson Dmitry Peskov") or an apposition ("Peskov, the spokesman")."""
    root = ent.root
    doc = ent.doc
    before = [t for t in doc[max(ent.sent.start, ent.start - 6):ent.start]
              if t.head.i in range(ent.start, ent.end) or t.head.i in range(ent.start - 6, ent.start)]
    words: list[Token] = []
    for t in reversed(before):
        if t.dep_ in ("compound", "amod", "nmod") and not t.is_punct and t.pos_ in ("NOUN", "PROPN", "ADJ"):
            words.insert(0, t)
        else:
            break
    titled = [t for t in words if t.pos_ == "NOUN" or t.text.istitle()]
    if titled and any(t.pos_ == "NOUN" or t.lower_ in _TITLES for t in words):
        return " ".join(t.text for t in words)
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN":
            toks = [t for t in c.subtree if t.dep_ not in ("det", "punct") and not t.is_space]
            if toks:
                return doc[toks[0].i:toks[-1].i + 1].text
    return None


_TITLES = {"president", "minister", "chairman", "chairwoman", "speaker", "senator", "governor", "secretary",
           "spokesman", "spokeswoman", "spokesperson", "ceo", "director", "chief", "leader", "mayor", "judge",
           "general", "ambassador", "representative", "rep.", "sen.", "gov.", "sec.", "dr.", "prof.", "head"}


def _is_outlet(ent: Span) -> bool:
    doc = ent.doc
    root = ent.root
    if "." in ent.text and ent.text.split(".")[-1].istitle() and len(ent) == 1:
        return True  # Caliber.Az, News.Az
    near = {t.lower_ for t in doc[max(0, ent.start - 3):ent.start]} | {c.lower_ for c in root.children}
    if root.dep_ == "nsubj" and root.head.lemma_ in ("report", "publish") and root.head.i > root.i:
        return True  # "Caliber.Az reports", "the Coastal Ledger reported"
    if near & OUTLET_NOUNS or (root.dep_ == "appos" and root.head.lower_ in OUTLET_NOUNS):
        return True
    return False


def _named_spans(doc: Doc) -> list[tuple[Span, str]]:
    """NER entities, plus proper-noun subjects of reporting the tagger left untagged ("Caliber.Az reports")."""
    out = [(e, "OUTLET" if e.label_ in ("ORG", "PERSON") and _is_outlet(e) else e.label_)
           for e in doc.ents if e.label_ in NAMED]
    covered = {i for e in doc.ents for i in range(e.start, e.end)}
    for tok in doc:
        if tok.i in covered or tok.dep_ not in ("nsubj", "pobj", "appos"):
            continue
        if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and "." in tok.text and tok.i > tok.sent.start):
            start = tok.i
            while start > tok.sent.start and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == tok.i:
                start -= 1
            span = doc[start: tok.i + 1]
            out.append((span, "OUTLET" if _is_outlet(span) else "ORG"))
    return sorted(out, key=lambda x: x[0].start)


def resolve(doc: Doc, attributions: list[Attribution]) -> list[Entity]:
    cast = Cast(doc)
    for ent, label in _named_spans(doc):
        e = cast.add(ent, label)
        if e.role is None and label == "PERSON":
            e.role = _role(ent)
        if label == "OUTLET":
            e.label = "OUTLET"
    by_start = {}
    for i, e in cast.mentions:
        by_start.setdefault(i, e)
    previous_entity: Entity | None = None
    by_id = {a.id: a for a in attributions}
    quoted: list[Attribution] = []
    for a in attributions:
        if not a.source:
            continue
        span = doc.char_span(a.source[0][0], a.source[-1][1], alignment_mode="expand")
        if span is not None and span.root.lower_ in FIRST_PERSON and a.parent in by_id:
            quoted.append(a)
            continue
        entity, anonymous = _source_entity(span, cast, previous_entity) if span is not None else (None, False)
        a.anonymous = anonymous
        a.source_entity = ANONYMOUS_NAME if anonymous else (entity.name if entity else None)
        if entity is not None:
            previous_entity = entity
    for a in quoted:  # "I" inside a quotation is whoever is quoted (outer statements first)
        outer = by_id[a.parent]
        a.anonymous, a.source_entity = outer.anonymous, outer.source_entity
    return [e for e in cast.entities if e.label in ("PERSON", "ORG", "OUTLET")]


def _source_entity(span: Span, cast: Cast, previous: Entity | None) -> tuple[Entity | None, bool]:
    doc = span.doc
    head = span.root
    inside = [(i, e) for i, e in cast.mentions if span.start <= i < span.end]
    # the named entity the phrase is about: the one holding its head, else one in apposition or compound
    for i, e in inside:
        if any(m[0] <= head.idx < m[1] for m in e.mentions):
            return e, False
    lower = head.lower_
    if head.pos_ == "PRON":
        if lower in PERSON_PRONOUNS:
            return (previous if previous is not None and previous.label == "PERSON"
                    else cast.latest(span.start, ("PERSON",))), False
        if lower in GROUP_PRONOUNS:
            return (previous if previous is not None and previous.label in ("ORG", "OUTLET")
                    else cast.latest(span.start, ("ORG", "OUTLET"))), False
        return None, False
    # "the news outlet Verstka", "a Kremlin spokesman": the named speaker or the body spoken for; a place or
    # a nationality in front ("a 17-year-old Mpumalanga girl") is not who speaks
    appos = [e for i, e in inside if doc[i].head.i == head.i and (
        doc[i].dep_ == "appos" and e.label in ("PERSON", "ORG", "OUTLET")
        or doc[i].dep_ == "compound" and e.label in ("ORG", "OUTLET"))]
    if appos:
        return appos[0], False
    if lower in ANONYMOUS_HEADS or head.lemma_ in ANONYMOUS_HEADS:
        if not any(e.label == "PERSON" for _, e in inside):
            return None, True
    definite = any(t.dep_ in ("det", "poss") and t.lower_ in ("the", "this", "that", "its")
                   for t in head.children)
    if head.lemma_ in DOCUMENT_NOUNS and definite:
        return cast.latest(span.start, ("OUTLET",)), False
    if head.pos_ == "NOUN" and definite:
        for e in reversed([e for i, e in cast.mentions if i < span.start]):
            if e.role and head.lower_ in e.role.lower().split():
                return e, False
    return None, False
