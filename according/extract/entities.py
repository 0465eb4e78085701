"""Who the sources are: each statement's source resolved to one entity of the article, or to anonymous sources.

A reader keeps a cast list while reading. "Interior Minister Jane Roe" enters with her role and is "Roe", "the
minister" and "she" afterwards; "the Daily Planet" is an outlet, and "the paper" or "the report" a few lines later
is the Planet's; "the Ruritanian government" is "the government" and "it" later on; "two officials" and "a person
close to the talks" are unnamed people. This module keeps that cast list for one article, in two passes: first
every named mention with the roles the text gives it, then each source phrase in reading order, by what its head
noun says it is (lexicons/source_nouns.tsv).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from according.extract.lexicon import source_nouns
from according.model import Attribution, Entity

NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC")
SPEAKERS = ("PERSON", "ORG", "OUTLET", "INSTITUTION")
MALE, FEMALE = {"he", "him", "his", "himself"}, {"she", "her", "hers", "herself"}
GROUP_PRONOUNS = {"it", "they", "them"}
FIRST_PERSON = {"i", "me", "we", "us"}
INDEFINITE = {"a", "an", "one", "some", "several", "two", "three", "four", "many", "few", "other", "another",
              "multiple", "numerous", "various"}
ANONYMOUS_NAME = "anonymous sources"
RECENT_SENTENCES = 1
DOMAIN = re.compile(r"(?i)\.(com|net|org|info|co\.uk)$")  # "Haaretz.com" is Haaretz; "Caliber.Az" keeps its name
BRACKETS = re.compile(r'[\[\]()"“”]')
PAGE_WORDS = {"of", "the", "for", "and", "in", "on", "at", "to", "&"}


@dataclass
class Person:
    """What the text tells about a named person beyond the name: the roles it gives ("the minister", "his
    lawyer") and the pronouns that follow the name."""

    roles: set[str] = field(default_factory=set)
    gender: Counter = field(default_factory=Counter)


@dataclass
class Cast:
    """The entities of one article, with every mention by token."""

    doc: Doc
    entities: list[Entity] = field(default_factory=list)
    by_key: dict[str, Entity] = field(default_factory=dict)
    at: dict[int, Entity] = field(default_factory=dict)  # token index -> entity of the named mention covering it
    mentions: list[tuple[int, Entity]] = field(default_factory=list)  # (root token index, entity), in text order
    people: dict[int, Person] = field(default_factory=dict)  # id(entity) -> what is known of the person

    def entity(self, name: str, label: str) -> Entity:
        key = name.lower()
        known = self.by_key.get(key)
        if known is None:
            known = Entity(name=name, label=label)
            self.entities.append(known)
            self.by_key[key] = known
        return known

    def mention(self, entity: Entity, span: Span) -> None:
        entity.mentions.append((span.start_char, span.end_char))
        self.mentions.append((span.root.i, entity))
        for t in span:
            self.at.setdefault(t.i, entity)

    def person(self, entity: Entity) -> Person:
        return self.people.setdefault(id(entity), Person())

    def before(self, i: int, labels: tuple[str, ...]) -> list[tuple[int, Entity]]:
        """Mentions before token i, nearest first."""
        return [(j, e) for j, e in reversed(self.mentions) if j < i and e.label in labels]


def resolve(doc: Doc, attributions: list[Attribution]) -> list[Entity]:
    """Set `source_entity` and `anonymous` on every attribution; return the article's speakers."""
    cast = _cast(doc)
    by_id = {a.id: a for a in attributions}
    previous: Entity | None = None
    previous_sent = -1
    sent_of = {t.i: n for n, sent in enumerate(doc.sents) for t in sent} if attributions else {}
    resolved: dict[str, Entity] = {}
    quoted: list[Attribution] = []
    for a in attributions:
        if not a.source:
            continue
        span = doc.char_span(a.source[0][0], a.source[-1][1], alignment_mode="expand")
        if span is None:
            continue
        if span.root.lower_ in FIRST_PERSON and a.parent in by_id:
            quoted.append(a)
            continue
        # a third-person pronoun inside someone's words is not that someone ("he says", in the reporter's quote)
        speaker = resolved.get(a.parent) if a.parent else None
        # the last speaker is who "he said" means only while they are still being talked about
        recent = previous if sent_of.get(span.root.i, 0) - previous_sent <= RECENT_SENTENCES else None
        entity, anonymous = _source(span, cast, recent, speaker)
        if entity is not None:
            resolved[a.id] = entity
        a.anonymous = anonymous
        a.source_entity = ANONYMOUS_NAME if anonymous else (entity.name if entity else None)
        if entity is not None or anonymous:
            previous = entity if entity is not None else Entity(ANONYMOUS_NAME, "ANONYMOUS")
            previous_sent = sent_of.get(span.root.i, 0)
        if entity is not None and entity.label in ("ORG", "INSTITUTION", "OUTLET", "PERSON"):
            cast.mentions.append((span.root.i, entity))
            cast.mentions.sort(key=lambda m: m[0])
    for a in quoted:  # "I" inside a quotation is whoever is quoted (outer statements first)
        outer = by_id[a.parent]
        a.anonymous, a.source_entity = outer.anonymous, outer.source_entity
    return [e for e in cast.entities if e.label in SPEAKERS]


# -- the cast: named mentions, merged, with their roles and genders

def _cast(doc: Doc) -> Cast:
    cast = Cast(doc)
    spans = _named_spans(doc)
    names = {id(s): _clean_name(s) for s, _ in spans}
    fulls = [names[id(s)] for s, label in spans if label == "PERSON" and len(names[id(s)].split()) > 1]
    # names that modify a noun outside them ("Pentagon Press Secretary") are cut short by the tagger: no
    # other name is merged into them
    orgs = [names[id(s)] for s, label in spans if label in ("ORG", "OUTLET")
            and not (s.root.dep_ == "compound" and s.root.head.i >= s.end)]
    for span, label in spans:
        name = names[id(span)]
        if label == "PERSON" or (label == "ORG" and len(name.split()) == 1 and _person_name(name, fulls)):
            label, name = "PERSON", _person_name(name, fulls) or name
        elif label in ("ORG", "OUTLET"):
            name = _org_name(name, orgs)
        entity = cast.entity(name, label)
        if label == "OUTLET" or (entity.label == "ORG" and label == "PERSON"):
            entity.label = label
        cast.mention(entity, span)
        if entity.label == "PERSON":
            roles = _roles(span)
            cast.person(entity).roles.update(roles)
            if entity.role is None and roles:
                entity.role = _role_text(span)
    _genders(doc, cast)
    return cast


def _clean_name(ent: Span) -> str:
    """The name without its article, possessive and brackets; a person's without the title the tagger took in
    ("Spokeswoman Jane Roe", "Mr Roe")."""
    nouns = source_nouns()
    toks = [t for t in ent if t.dep_ != "case" and t.text not in ("'s", "’s") and t.lower_ != "the"
            and not t.is_punct]
    person = ent.label_ == "PERSON"
    while len(toks) > 1 and (nouns.classes(toks[0].lower_) if person else "title" in nouns.classes(toks[0].lower_)):
        toks = toks[1:]
    if not toks:
        return ent.text
    name = " ".join(BRACKETS.sub(" ", ent.doc.text[toks[0].idx:toks[-1].idx + len(toks[-1])]).split())
    return DOMAIN.sub("", name) if " " not in name else name


def _person_name(name: str, fulls: list[str]) -> str | None:
    """The full name a one-word mention stands for: the surname, else a first name, of exactly one full name."""
    words = name.split()
    if len(words) != 1:
        return name
    word = words[0].lower()
    for pick in (lambda f: f.split()[-1].lower(), lambda f: f.split()[0].lower()):
        hits = {f for f in fulls if pick(f) == word}
        if len(hits) == 1:
            return hits.pop()
        if hits:
            return None
    return None


def _org_name(name: str, orgs: list[str]) -> str:
    """The longest name of the article that this one shortens: "the Observatory" and "Observatory for Human
    Rights"; "al-Nusra" and "al-Nusra Front"; initials, "HRW" for "Human Rights Watch"."""
    words = {w.lower() for w in name.split()} - PAGE_WORDS
    best = name
    for other in orgs:
        other_words = [w for w in other.split() if w.lower() not in PAGE_WORDS]
        if len(other) <= len(best) or not other_words:
            continue
        initials = "".join(w[0] for w in other_words).lower()
        if (words and words <= {w.lower() for w in other_words}) or (
                len(name) > 1 and name.isupper() and name.lower() == initials):
            best = other
    return best


def _is_outlet(ent: Span) -> bool:
    nouns = source_nouns()
    doc = ent.doc
    root = ent.root
    if "." in ent.text and len(ent) == 1 and ent.text.split(".")[-1][:1].isalpha():
        return True  # Caliber.Az, News.Az, ynetnews.com
    if ent.label_ != "PERSON" and root.dep_ == "nsubj" and root.head.lemma_ in ("report", "publish"):
        return True  # "the Coastal Ledger reported": a name that reports is an outlet, unless it is a person's
    near = [t.lemma_.lower() for t in doc[max(0, ent.start - 3):ent.start]] + [c.lemma_.lower() for c in root.children]
    if root.dep_ == "appos":
        near.append(root.head.lemma_.lower())
    return any("outlet" in nouns.classes(w) for w in near)


def _named_spans(doc: Doc) -> list[tuple[Span, str]]:
    """NER names, plus proper nouns where a source stands that the tagger left untagged or mistook for a date or
    a product ("Caliber.Az reports", "This Day reports", "a Planet study")."""
    out = [(e, "OUTLET" if e.label_ in ("ORG", "PERSON", "GPE") and _is_outlet(e) else e.label_)
           for e in doc.ents if e.label_ in NAMED]
    covered = {i for e, _ in out for i in range(e.start, e.end)}
    other = {i: e for e in doc.ents if e.label_ not in NAMED for i in range(e.start, e.end)}
    nouns = source_nouns()
    for tok in doc:
        if tok.i in covered or tok.dep_ not in ("nsubj", "pobj", "appos", "compound"):
            continue
        if tok.dep_ == "compound" and not (tok.head.pos_ == "NOUN" and nouns.classes(tok.head.lemma_.lower())):
            continue
        if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and "." in tok.text and tok.i > tok.sent.start):
            if tok.i in other and other[tok.i].root.i == tok.i:
                span = other[tok.i]
            else:
                start = tok.i
                while start > tok.sent.start and doc[start - 1].pos_ == "PROPN" and start <= doc[start - 1].head.i <= tok.i:
                    start -= 1
                span = doc[start: tok.i + 1]
            covered.update(range(span.start, span.end))
            out.append((span, "OUTLET" if _is_outlet(span) else "ORG"))
    return sorted(out, key=lambda x: x[0].start)


def _title_words(ent: Span) -> list[Token]:
    """The words in front of a name that make its title: "Interior Minister" in "Interior Minister Jane Roe"."""
    doc = ent.doc
    words: list[Token] = []
    i = ent.start - 1
    while i >= ent.sent.start and doc[i].dep_ in ("compound", "amod", "nmod") and doc[i].pos_ in (
            "NOUN", "PROPN", "ADJ") and i < doc[i].head.i < ent.end:
        words.insert(0, doc[i])
        i -= 1
    return words if any(_is_role_word(t) for t in words) else []


def _is_role_word(t: Token) -> bool:
    """A common noun, or a capitalised office ("President", "Minister") that the tagger takes for a name."""
    return t.pos_ == "NOUN" or bool(source_nouns().classes(t.lower_))


def _roles(ent: Span) -> set[str]:
    """Role nouns the text gives a named person: a title before the name ("Interior Minister Jane Roe"), a noun
    in apposition ("Roe, the minister," and "the minister, Jane Roe,"), or after a copula ("Roe is the minister")."""
    roles = {t.lemma_.lower() for t in _title_words(ent) if _is_role_word(t)}
    roles.update(t.lower_ for t in ent if t.i < ent.root.i and source_nouns().classes(t.lower_) - {"title"})
    root = ent.root
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN":
            roles.add(c.lemma_.lower())
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        roles.add(root.head.lemma_.lower())
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        roles.update(c.lemma_.lower() for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN")
    return roles


def _role_text(ent: Span) -> str | None:
    words = _title_words(ent)
    if words:
        return ent.doc[words[0].i:ent.start].text
    for c in ent.root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN":
            toks = [t for t in c.subtree if t.dep_ not in ("det", "punct") and not t.is_space]
            if toks:
                return ent.doc[toks[0].i:toks[-1].i + 1].text
    return None


def _genders(doc: Doc, cast: Cast) -> None:
    """A person's gender, as the article itself tells it: titles and role words ("Mrs", "spokeswoman"), and the
    pronouns of the sentence that names them when they are the only person it names."""
    nouns = source_nouns()
    for i, e in cast.mentions:
        if e.label != "PERSON":
            continue
        p = cast.person(e)
        for t in doc[max(0, i - 3):i + 1]:
            if nouns.gender(t.lower_):
                p.gender[nouns.gender(t.lower_)] += 2
        for role in p.roles:
            if nouns.gender(role):
                p.gender[nouns.gender(role)] += 2
    for sent in doc.sents:
        named = {id(e): e for j, e in cast.mentions if sent.start <= j < sent.end and e.label == "PERSON"}
        if len(named) != 1:
            continue
        p = cast.person(next(iter(named.values())))
        first = min(j for j, e in cast.mentions if sent.start <= j < sent.end and e.label == "PERSON")
        for t in doc[first:sent.end]:
            if t.lower_ in MALE:
                p.gender["m"] += 1
            elif t.lower_ in FEMALE:
                p.gender["f"] += 1


def _gender_of(cast: Cast, e: Entity) -> str | None:
    counts = cast.person(e).gender
    if not counts:
        return None
    (g, n), *rest = counts.most_common()
    return g if not rest or n > rest[0][1] else None


# -- sources: each phrase by what its head says it is

def _source(span: Span, cast: Cast, previous: Entity | None, speaker: Entity | None
            ) -> tuple[Entity | None, bool]:
    nouns = source_nouns()
    head = span.root
    if head.pos_ == "PRON":
        return _pronoun(head, span, cast, previous if previous is not speaker else None, speaker)
    named = cast.at.get(head.i)
    if named is not None and named.label in SPEAKERS + ("GPE", "NORP"):
        return named, False
    attached = _attached(head, cast)
    appos = [e for dep, e in attached if dep == "appos" and e.label in SPEAKERS]
    if appos:
        return appos[0], False
    lemma = head.lemma_.lower()
    classes = nouns.classes(lemma) | nouns.classes(head.lower_)
    definite = _definite(head)
    issuers = sorted((e for dep, e in attached if dep in ("compound", "poss", "by", "from", "of", "for", "with", "at")
                      and e.label in SPEAKERS + ("GPE",)), key=lambda e: e.label == "GPE")
    if "document" in classes or "outlet" in classes:
        if issuers:
            return issuers[0], False
        if definite:
            earlier = _earlier_same_head(head, cast)
            if earlier is not None:
                return earlier, False
            outlet = next((e for _, e in cast.before(head.i, ("OUTLET",))), None)
            if outlet is not None:
                return outlet, False
        if "document" in classes:
            return None, False
    if classes & {"spokesperson", "press"}:
        person = _role_holder(head, lemma, cast, definite)
        if person is not None:
            return person, False
        if issuers:
            return issuers[0], False
    if "institution" in classes:
        named_body = [e for e in issuers if e.label in ("ORG", "OUTLET")]
        return (named_body[0] if named_body else _institution(head, cast)), False
    if classes & {"human", "kin", "spokesperson", "press"} or _is_role(lemma, cast):
        person = _role_holder(head, lemma, cast, definite)
        if person is not None:
            return person, False
        named_body = [e for dep, e in attached if dep == "compound" and e.label in ("ORG", "OUTLET")]
        if named_body and head.tag_ == "NNS":  # "Acme engineers": the company speaks
            return named_body[0], False
        if lemma in ("official", "officials") and head.tag_ == "NNS":
            body = _official_body(head, cast)
            if body is not None:
                return body, False
        if classes & {"human", "spokesperson", "press"}:
            return None, True
    return None, False


def _definite(head: Token) -> bool:
    return any(t.dep_ in ("det", "poss") and t.lower_ not in INDEFINITE for t in head.children)


def _attached(head: Token, cast: Cast) -> list[tuple[str, Entity]]:
    """Entities tied to a source phrase's head: in apposition, in front of it, its possessor, or its "by X",
    "from X", "of X", "for X" ("a spokeswoman for the ministry", "a report by the Planet")."""
    out: list[tuple[str, Entity]] = []
    for c in head.children:
        dep = c.dep_
        if dep == "prep" and c.lower_ in ("by", "from", "of", "for", "with", "at"):
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if not objs:
                continue
            dep, c = c.lower_, objs[0]
        elif dep not in ("appos", "compound", "poss", "nmod"):
            continue
        if dep == "nmod":
            dep = "compound"
        e = cast.at.get(c.i)
        if e is not None:
            out.append((dep, e))
        elif dep in ("by", "from", "of", "for", "with", "at", "poss", "compound") and c.pos_ == "NOUN" and \
                "institution" in source_nouns().classes(c.lemma_.lower()):
            out.append((dep, _institution(c, cast)))
    return out


def _earlier_same_head(head: Token, cast: Cast) -> Entity | None:
    """"The study" after "a Planet study": the issuer of the last phrase with the same head noun."""
    doc = head.doc
    for tok in reversed(doc[:head.i]):
        if tok.lemma_ == head.lemma_ and tok.pos_ == "NOUN":
            issuers = [e for dep, e in _attached(tok, cast) if e.label in SPEAKERS]
            if issuers:
                return issuers[0]
    return None


def _is_role(lemma: str, cast: Cast) -> bool:
    return any(lemma in p.roles for p in cast.people.values())


def _role_holder(head: Token, lemma: str, cast: Cast, may_link: bool) -> Entity | None:
    """The named person the text gave this role ("the attorney" after "attorney John Doe"); the nearest one
    before, else the one named later in the article ("an aide ... the aide, Jane Roe, said")."""
    if not may_link:
        return None
    holders = [e for e in cast.entities if e.label == "PERSON" and lemma in cast.person(e).roles]
    if not holders:
        return None
    before = [e for _, e in cast.before(head.i, ("PERSON",)) if e in holders]
    return before[0] if before else holders[0]


def _institution(head: Token, cast: Cast) -> Entity:
    """A body named by a common noun: "the Ruritanian government", "Ruritania's army", "police". A bare
    mention ("the government", "government") is the last one named with the same noun."""
    mods = [c for c in head.children if c.dep_ in ("amod", "compound", "poss", "nmod") and c.pos_ in ("PROPN", "ADJ", "NOUN")
            and not c.is_stop]
    lemma = head.lemma_.lower()
    if not mods:
        for _, e in reversed(cast.mentions):
            if e.label == "INSTITUTION" and e.name.lower().split()[-1] in (lemma, head.lower_):
                return e
    words = [t.text for m in mods for t in (m,) if t.text not in ("'s", "’s")]
    name = " ".join(words + [head.text.lower() if not head.text.isupper() else head.text]).strip()
    e = cast.entity(name[:1].upper() + name[1:] if mods else name, "INSTITUTION")
    return e


def _official_body(head: Token, cast: Cast) -> Entity | None:
    """"Ruritanian officials", "government officials": the body they speak for, not anonymous people."""
    mods = [c for c in head.children if c.dep_ in ("amod", "compound", "nmod")]
    place = [m for m in mods if m.ent_type_ in ("NORP", "GPE")]
    body = [m for m in mods if "institution" in source_nouns().classes(m.lemma_.lower())]
    if body:
        return _institution(body[-1], cast)
    if place:
        return cast.entity(f"{place[0].text} government", "INSTITUTION")
    return None


def _pronoun(head: Token, span: Span, cast: Cast, previous: Entity | None, speaker: Entity | None
             ) -> tuple[Entity | None, bool]:
    lower = head.lower_
    if lower in MALE or lower in FEMALE:
        want = "m" if lower in MALE else "f"
        # the last speaker, else the person last mentioned, whose gender the article has not told to be the other
        first = [previous] if previous is not None and previous.label == "PERSON" else []
        for e in first + [e for _, e in cast.before(span.start, ("PERSON",))]:
            if e is not speaker and _gender_of(cast, e) in (None, want):
                return e, False
        return None, False
    if lower in GROUP_PRONOUNS:
        if previous is not None and previous.label == "ANONYMOUS" and lower != "it":
            return None, True
        if previous is not None and previous.label in ("ORG", "OUTLET", "INSTITUTION"):
            return previous, False
        found = next((e for _, e in cast.before(span.start, ("ORG", "OUTLET", "INSTITUTION"))), None)
        return found, False
    return None, False
