"""The cast list of one article: who is named in it, under which names, with which roles and gender.

A reader keeps a cast list while reading. "Interior Minister Jane Roe" enters with her role and is "Roe" and "the
minister" afterwards; "Human Rights Watch" is "HRW" later on; "the news site Xendan" is an outlet. This
module reads every named mention of an article into that list, merging the names that stand for one entity (a
surname or first name for the full name, initials or a shorter form for an organisation's name) and noting what
the text says of each person: the role nouns it gives them and the pronouns that follow their name. Resolving
each statement's source against the list is `speakers.py`'s job.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from according.extract.lexicon import source_nouns
from according.model import Entity

NAMED = ("PERSON", "ORG", "GPE", "NORP", "FAC")
MALE, FEMALE = {"he", "him", "his", "himself"}, {"she", "her", "hers", "herself"}
DOMAIN = re.compile(r"(?i)\.(com|net|org|info|co\.uk)$")  # "Haaretz.com" is Haaretz; "Caliber.Az" keeps its name
HANDLE = re.compile(r"@\w{2,}$")  # a social media account: "@jdoe"
BRACKETS = re.compile(r'[\[\]()"“”]')
ROLE_CLASSES = frozenset({"office", "human", "spokesperson", "press", "kin"})  # words for people, not names
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

    starts: list[int]  # the first token of each sentence
    entities: list[Entity] = field(default_factory=list)
    by_key: dict[str, Entity] = field(default_factory=dict)
    at: dict[int, Entity] = field(default_factory=dict)  # token index -> entity of the named mention covering it
    mentions: list[tuple[int, Entity]] = field(default_factory=list)  # (root token index, entity), in text order
    people: dict[int, Person] = field(default_factory=dict)  # id(entity) -> what is known of the person
    nouns: dict[str, list[int]] = field(default_factory=dict)  # lemma -> token indices of the common nouns

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

    def before(self, i: int, labels: tuple[str, ...]) -> Iterator[tuple[int, Entity]]:
        """Mentions before token i, nearest first."""
        for n in range(bisect_left(self.mentions, i, key=lambda m: m[0]) - 1, -1, -1):
            j, e = self.mentions[n]
            if e.label in labels:
                yield j, e

    def product(self, entity: Entity) -> bool:
        """"Acme Phone" beside "Acme": a thing the organisation makes, named after it, not a body that speaks."""
        words = entity.name.lower().split()
        return entity.label == "ORG" and len(words) > 1 and any(
            e is not entity and e.label in ("ORG", "OUTLET") and words[:len(e.name.split())] == e.name.lower().split()
            for e in self.entities)

    def nouns_before(self, i: int, lemma: str) -> Iterator[int]:
        """The common nouns with this lemma before token i, nearest first."""
        at = self.nouns.get(lemma, [])
        for n in range(bisect_left(at, i) - 1, -1, -1):
            yield at[n]

    def sentence(self, i: int) -> int:
        """The number of the sentence that holds token i."""
        return bisect_right(self.starts, i) - 1

    def add_mention(self, i: int, entity: Entity) -> None:
        """A mention found while resolving sources ("he", "the ministry"), kept in text order."""
        insort(self.mentions, (i, entity), key=lambda m: m[0])


def read_cast(doc: Doc) -> Cast:
    """Every named mention of the article, merged into entities, with the roles and genders the text gives."""
    cast = Cast([sent.start for sent in doc.sents])
    for tok in doc:
        if tok.pos_ == "NOUN":
            cast.nouns.setdefault(tok.lemma_, []).append(tok.i)
    spans = _named_spans(doc)
    names = {id(s): _clean_name(s) for s, _ in spans}
    fulls = [names[id(s)] for s, label in spans if label == "PERSON" and len(names[id(s)].split()) > 1]
    # names that modify a noun outside them ("Pentagon Press Secretary") are cut short by the tagger: no
    # other name is merged into them
    orgs = [(names[id(s)], s.root.text) for s, label in spans if label in ("ORG", "OUTLET")
            and not (s.root.dep_ == "compound" and s.root.head.i >= s.end)]
    # initials stand for a name wherever it stood, even in front of a noun ("a United Nations report ... the UN")
    spelled = [names[id(s)] for s, label in spans if label in ("ORG", "OUTLET")]
    for span, label in spans:
        name = names[id(span)]
        full = _person_name(name, fulls) if label in ("PERSON", "ORG") else None
        if label == "PERSON" or (label == "ORG" and len(name.split()) == 1 and full):
            label, name = "PERSON", full or name
        elif label in ("ORG", "OUTLET"):
            name = _org_name(name, orgs, spelled)
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
    ("Spokeswoman Jane Roe", "Mr Roe", "Acme CEO Jane Roe")."""
    nouns = source_nouns()
    toks = [t for t in ent if t.dep_ != "case" and t.text not in ("'s", "’s") and t.lower_ != "the"
            and not t.is_punct and not (t.i == ent.start and t.lower_ in ("a", "an"))]
    opening = next((t.i for t in ent[1:] if t.text == "("), None)
    if opening is not None and any(t.i < opening for t in toks):
        # "Human Rights Watch (HRW)", "Jane Roe (@jroe)": the name, not what the brackets add
        toks = [t for t in toks if t.i < opening]
    if ent.label_ == "PERSON":
        titled = [n for n, t in enumerate(toks[:-1]) if nouns.classes(t.lower_)]
        toks = toks[titled[-1] + 1:] if titled else toks
    while len(toks) > 1 and "title" in nouns.classes(toks[0].lower_):
        toks = toks[1:]
    if not toks:
        return ent.text
    text = ent.text  # (not doc.text, which joins the whole document on every call)
    name = " ".join(BRACKETS.sub(" ", text[toks[0].idx - ent.start_char:toks[-1].idx + len(toks[-1]) - ent.start_char]).split())
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


def _org_name(name: str, orgs: list[tuple[str, str]], spelled: list[str]) -> str:
    """The longest name of the article that this one shortens: "the Observatory" for "Syrian Observatory for
    Human Rights", "Planet Media" for "Planet Media Group"; initials, "HRW" for "Human Rights Watch" (any of
    the names `spelled`). A single word shortens a name only as its head: "Acme" is not "Acme Phone", which is
    a thing Acme makes."""
    words = {w.lower() for w in name.split()} - PAGE_WORDS
    best = name
    for other, root in orgs:
        other_words = [w for w in other.split() if w.lower() not in PAGE_WORDS]
        if len(other) > len(best) and other_words and words <= {w.lower() for w in other_words} and (
                len(words) > 1 or root.lower() in words):
            best = other
    if best == name and len(name) > 1 and name.isupper():
        for other in spelled:
            other_words = [w for w in other.split() if w.lower() not in PAGE_WORDS]
            if len(other) > len(best) and name.lower() == "".join(w[0] for w in other_words).lower():
                best = other
    return best


def _is_outlet(ent: Span) -> bool:
    nouns = source_nouns()
    doc = ent.doc
    root = ent.root
    if "." in ent.text and len(ent) == 1 and ent.text.split(".")[-1][:1].isalpha():
        return True  # Caliber.Az, News.Az, ynetnews.com
    before = doc[max(0, ent.start - 3):ent.start]
    # the words in front of the name, up to a punctuation mark: "Media Blog: Acme's stream" does not make Acme one
    cut = max((t.i + 1 for t in before if t.is_punct), default=before.start)
    # what hangs on the name says what it is ("Acme, a news agency"), unless it is a name of its own that the
    # parse set beside it ("Zentro, the Business Journal reported")
    near = [t.lemma_.lower() for t in doc[cut:ent.start]] + [
        c.lemma_.lower() for c in root.children if not (c.dep_ == "appos" and c.pos_ == "PROPN")]
    if root.dep_ == "appos" and root.head.pos_ != "PROPN":
        near.append(root.head.lemma_.lower())
    if len(ent) > 1 and "masthead" in nouns.classes(root.lower_):
        return True  # "the Business Journal", "Harbour Sports Daily"
    return any("outlet" in nouns.classes(w) for w in near)


def _named_spans(doc: Doc) -> list[tuple[Span, str]]:
    """NER names, plus proper nouns and accounts where a source stands that the tagger left untagged or mistook
    for a date or a product ("Caliber.Az reports", "This Day reports", "a Planet study", "@jdoe tweeted")."""
    nouns = source_nouns()
    ents = [part for e in doc.ents for piece in _split_at_comma(e) for part in _split_at_role(piece)]
    out = [(e, "OUTLET" if e.label_ in ("ORG", "PERSON", "GPE") and _is_outlet(e) else e.label_)
           for e in ents if e.label_ in NAMED and any(c.isupper() for c in e.text)
           and not (len(e) == 1 and nouns.classes(e.text.lower()) & ROLE_CLASSES)]  # "the CEO" is no name
    covered = {i for e, _ in out for i in range(e.start, e.end)}
    other = {i: e for e in doc.ents if e.label_ not in NAMED for i in range(e.start, e.end)}
    for tok in doc:
        handle = bool(HANDLE.match(tok.text))  # an account is a name wherever the parse hangs it
        if tok.i in covered or tok.dep_ not in ("nsubj", "pobj", "appos", "compound") and not handle or (
                nouns.classes(tok.lower_) & ROLE_CLASSES):
            continue
        if tok.dep_ == "compound" and not (tok.head.pos_ == "NOUN" and nouns.classes(tok.head.lemma_.lower())):
            continue
        if tok.i in other and tok.dep_ == "pobj" and other[tok.i].label_ in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
            continue  # "on Monday"; but "This Day reports" speaks whatever the tagger thought
        if tok.pos_ == "PROPN" or handle or (tok.text[:1].isupper() and "." in tok.text and tok.i > tok.sent.start):
            if tok.i in other and other[tok.i].root.i == tok.i:
                span = other[tok.i]
            else:
                start = tok.i
                while start > tok.sent.start and doc[start - 1].pos_ == "PROPN" and start <= doc[start - 1].head.i <= tok.i:
                    start -= 1
                span = Span(doc, start, tok.i + 1, label="ORG")
            covered.update(range(span.start, span.end))
            for part in _split_at_role(span):
                # an account ("@jdoe tweeted") speaks as someone: "he wrote" after it is its owner
                label = "PERSON" if part.label_ == "PERSON" or handle else "ORG"
                out.append((part, "OUTLET" if label == "ORG" and _is_outlet(part) else label))
    return sorted(out, key=lambda x: x[0].start)


def _split_at_comma(ent: Span) -> list[Span]:
    """"Acme will buy Zentro, the Ledger reported" with "Zentro, the Ledger" tagged as one name: a name whose
    parts between commas each hang on a word outside it is two phrases the tagger ran together ("Acme, Inc.", whose
    "Inc." hangs on "Acme", stays one)."""
    commas = [t.i for t in ent if t.text == "," and ent.start < t.i < ent.end - 1]
    if not commas or ent.label_ not in ("ORG", "PERSON"):
        return [ent]
    doc = ent.doc
    bounds = [ent.start] + [i + 1 for i in commas]
    ends = commas + [ent.end]
    parts = [Span(doc, a, b, label=ent.label_) for a, b in zip(bounds, ends) if b > a]
    if any(not (p.root.head.i < ent.start or p.root.head.i >= ent.end) for p in parts):
        return [ent]
    return parts


def _split_at_role(ent: Span) -> list[Span]:
    """"Acme CEO Jane Roe" tagged as one organisation: the organisation, then the person after the role word."""
    if ent.label_ not in ("ORG", "PERSON"):
        return [ent]
    roles = [t.i for t in ent[:-1] if source_nouns().classes(t.lower_) & ROLE_CLASSES]
    if not roles or not all(t.pos_ == "PROPN" for t in ent.doc[roles[-1] + 1:ent.end]):
        return [ent]
    doc = ent.doc
    person = Span(doc, roles[-1] + 1, ent.end, label="PERSON")
    body = [Span(doc, ent.start, roles[0], label="ORG")] if roles[0] > ent.start else []
    return body + [person]


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
    by_sentence: dict[int, list[tuple[int, Entity]]] = {}
    starts = cast.starts
    for j, e in cast.mentions:
        if e.label == "PERSON":
            by_sentence.setdefault(cast.sentence(j), []).append((j, e))
    for n, named in by_sentence.items():
        if len({id(e) for _, e in named}) != 1:
            continue
        p = cast.person(named[0][1])
        end = starts[n + 1] if n + 1 < len(starts) else len(doc)
        for t in doc[min(j for j, _ in named):end]:
            if t.lower_ in MALE:
                p.gender["m"] += 1
            elif t.lower_ in FEMALE:
                p.gender["f"] += 1


def gender_of(cast: Cast, e: Entity) -> str | None:
    counts = cast.person(e).gender
    if not counts:
        return None
    (g, n), *rest = counts.most_common()
    return g if not rest or n > rest[0][1] else None
