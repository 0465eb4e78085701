"""Who the sources are: each statement's source resolved to one entity of the article, or to anonymous sources.

With the article's cast list (`cast.py`) at hand, each source phrase is read in reading order by what its head
says it is (lexicons/source_nouns.tsv): a name is its entity; "the paper" or "the report" is the outlet last
named; "the minister" is the person the text gave that role, or else the person named next as the subject of the
following sentence ("The leader of the group denied X. In a video, Omar Haddad said ..."); "the government" and
"police" are bodies that keep one name across mentions; "officials" of a country speak for its government; "a
person close to the talks" and "two officials" are anonymous; "he" and "she" are the last speaker while still
talked about, else the person last mentioned whose gender the article has not told to be the other one (the
subject of that sentence before its object), and never the speaker whose quotation holds them.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from according.extract.cast import FEMALE, MALE, Cast, gender_of, read_cast
from according.extract.lexicon import source_nouns
from according.extract.quotes import quote_mask, quote_regions
from according.model import Attribution, Entity

SPEAKERS = ("PERSON", "ORG", "OUTLET", "INSTITUTION")
GROUP_PRONOUNS = {"it", "they", "them"}
FIRST_PERSON = {"i", "me", "we", "us"}
INDEFINITE = {"a", "an", "one", "some", "several", "two", "three", "four", "many", "few", "other", "another",
              "multiple", "numerous", "various"}
ANONYMOUS_NAME = "anonymous sources"
RECENT_SENTENCES = 1  # how far back the last speaker is still who "he said" means


def resolve(doc: Doc, attributions: list[Attribution]) -> list[Entity]:
    """Set `source_entity` and `anonymous` on every attribution; return the article's speakers."""
    cast = read_cast(doc)
    quoted_token = quote_mask(doc, quote_regions(doc))
    by_id = {a.id: a for a in attributions}
    previous: Entity | None = None
    previous_sent = -1
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
        # a third-person pronoun inside someone's quoted words is not that someone ("he says", in the reporter's
        # quote); in reported speech it mostly is ("Lee said he knew")
        speaker = resolved.get(a.parent) if a.parent and quoted_token[span.root.i] else None
        # the last speaker is who "he said" means only while they are still being talked about, counted from
        # where the statement begins ("...three sentences of quotation," he said)
        start = doc.char_span(*_extent(a), alignment_mode="expand")
        begins = cast.sentence(start.start if start is not None else span.root.i)
        recent = previous if begins - previous_sent <= RECENT_SENTENCES else None
        entity, anonymous = _source(span, cast, recent, speaker)
        if entity is not None:
            resolved[a.id] = entity
        a.anonymous = anonymous
        a.source_entity = ANONYMOUS_NAME if anonymous else (entity.name if entity else None)
        if entity is not None or anonymous:
            previous = entity if entity is not None else Entity(ANONYMOUS_NAME, "ANONYMOUS")
            previous_sent = cast.sentence(span.root.i)
        if entity is not None and entity.label in SPEAKERS:
            cast.add_mention(span.root.i, entity)
    for a in quoted:  # "I" inside a quotation is whoever is quoted (outer statements first)
        outer = by_id[a.parent]
        a.anonymous, a.source_entity = outer.anonymous, outer.source_entity
    return [e for e in cast.entities if e.label in SPEAKERS]


def _extent(a: Attribution) -> tuple[int, int]:
    spans = a.source + a.cue + a.content
    return min(s for s, _ in spans), max(e for _, e in spans)


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
    # a name in apposition within the source phrase; one after it is what is said ("Report: Acme to cut jobs")
    appos = [e for c in head.children if c.dep_ == "appos" and span.start <= c.i < span.end
             for e in [cast.at.get(c.i)] if e is not None and e.label in SPEAKERS]
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
            # the outlet last named, else the organisation ("the report" after "Planet Labs published ...")
            found = next((e for _, e in cast.before(head.i, ("OUTLET",))), None) or _body_before(head, cast)
            if found is not None:
                return found, False
        if "document" in classes:
            return None, False
    if "organization" in classes and definite and not issuers:
        # "the company": the organisation last named, not a new body called "company"
        found = _body_before(head, cast)
        if found is not None:
            return found, False
    if classes & {"spokesperson", "press"}:
        person = _role_holder(head, lemma, cast, definite)
        if person is not None:
            return person, False
        if issuers:
            return issuers[0], False
    if "institution" in classes or "organization" in classes:
        named_body = [e for e in issuers if e.label in ("ORG", "OUTLET")]
        return (named_body[0] if named_body else _institution(head, cast)), False
    if lemma in ("source", "sources") and any(c.dep_ == "compound" and c.lemma_.lower() in ("news", "media", "press")
                                              for c in head.children):
        # "Italian news sources" are outlets, not unnamed people
        place = [c.text for c in head.children if c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE")]
        return cast.entity(" ".join(place + ["media"]), "INSTITUTION"), False
    if head.lower_ == "one" and head.pos_ in ("NUM", "PRON", "NOUN"):
        # "one of his friends", "one said": a person the article does not name
        group = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                 if g.dep_ == "pobj"]
        if not group or source_nouns().classes(group[0].lemma_.lower()) & {"human", "kin"}:
            return None, True
    if classes & {"human", "kin", "spokesperson", "press", "office"} or _is_role(lemma, cast):
        person = _role_holder(head, lemma, cast, definite) or _named_next(head, lemma, cast)
        if person is not None:
            return person, False
        named_body = [e for dep, e in attached if dep == "compound" and e.label in ("ORG", "OUTLET")]
        if named_body and head.tag_ == "NNS":  # "Acme engineers": the company speaks
            return named_body[0], False
        if lemma in ("official", "officials") and head.tag_ == "NNS":
            body = _official_body(head, cast)
            if body is not None:
                return body, False
        if "leader" in classes:
            # "the firm's chief executive", "Acme's chairman": one person, on the record, who speaks for the body
            owner = [c for c in head.children if c.dep_ == "poss" and "organization" in nouns.classes(c.lemma_.lower())]
            body = issuers[0] if issuers else _body_before(owner[0], cast) if owner else None
            if body is not None:
                return body, False
        if classes & {"human", "spokesperson", "press"}:
            return None, True
    made_by = [e for dep, e in attached if dep == "by" and e.label in SPEAKERS]
    if not classes and made_by:
        # "a translation by the Herald", "an analysis by Acme": whoever made the thing speaks through it
        return made_by[0], False
    if not classes and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
        # "A former tour player claims X. Dan Olsen, who ..., made the claim": any one newcomer, described
        return _named_next(head, lemma, cast), False
    return None, False


def _body_before(head: Token, cast: Cast) -> Entity | None:
    """The organisation last named before the phrase, leaving out what one makes ("the Acme Phone")."""
    return next((e for _, e in cast.before(head.i, ("ORG",)) if not cast.product(e)), None)


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
        elif dep in ("by", "from", "of", "for", "with", "at", "poss", "compound") and c.pos_ == "NOUN":
            classes = source_nouns().classes(c.lemma_.lower())
            # "the company's press office", "a spokesman for the firm": the organisation last named
            body = _body_before(c, cast) if "organization" in classes and _definite(c) else None
            if body is not None:
                out.append((dep, body))
            elif "institution" in classes:
                out.append((dep, _institution(c, cast)))
    return out


def _earlier_same_head(head: Token, cast: Cast) -> Entity | None:
    """"The study" after "a Planet study": the issuer of the last phrase with the same head noun."""
    doc = head.doc
    for i in cast.nouns_before(head.i, head.lemma_):
        issuers = [e for dep, e in _attached(doc[i], cast) if e.label in SPEAKERS]
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


def _named_next(head: Token, lemma: str, cast: Cast) -> Entity | None:
    """"The leader of the group has denied X. In a video, Omar Haddad said ...", "an official told the paper X.
    Jan Berg said ...": news describes a speaker first and names them in the next sentence. The person who enters
    there as a subject, named for the first time, is the one described, and holds the role from then on ("the
    leader" later on). One person only: "officials" and "two officials" are not."""
    one = _definite(head) or any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)
    if head.tag_ != "NN" or not one:
        return None
    following = cast.sentence(head.i) + 1
    first_seen: dict[int, int] = {}
    for j, e in cast.mentions:
        first_seen.setdefault(id(e), j)
    for j, e in cast.mentions:
        if cast.sentence(j) > following:
            break
        if cast.sentence(j) == following and e.label == "PERSON" and first_seen[id(e)] == j \
                and head.doc[j].dep_ in ("nsubj", "nsubjpass"):
            cast.person(e).roles.add(lemma)
            return e
    return None


def _institution(head: Token, cast: Cast) -> Entity:
    """A body named by a common noun: "the Ruritanian government", "Ruritania's army", "police". A bare
    mention ("the government", "the bank") is the last body named with the same noun ("Fernhill Bank")."""
    mods = [c for c in head.children if c.dep_ in ("amod", "compound", "poss", "nmod") and c.pos_ in ("PROPN", "ADJ", "NOUN")
            and not c.is_stop]
    lemma = head.lemma_.lower()
    if not mods:
        for _, e in reversed(cast.mentions):
            if e.label in ("INSTITUTION", "ORG") and e.name.lower().split()[-1] in (lemma, head.lower_):
                return e
    words = [m.text for m in mods if m.text not in ("'s", "’s")]
    name = " ".join(words + [head.text if head.text.isupper() else head.text.lower()])
    return cast.entity(name[:1].upper() + name[1:] if mods else name, "INSTITUTION")


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
        if previous is not None and previous.label == "PERSON" and previous is not speaker \
                and gender_of(cast, previous) in (None, want):
            return previous, False
        fits = [(j, e) for j, e in cast.before(span.start, ("PERSON",))
                if e is not speaker and gender_of(cast, e) in (None, want)]
        if not fits:
            return None, False
        # of the people of that sentence, its subject ("Lee went looking for Kim. He said: ...")
        sentence = cast.sentence(fits[0][0])
        doc = head.doc
        subjects = [e for j, e in fits if cast.sentence(j) == sentence and doc[j].dep_ in ("nsubj", "nsubjpass")]
        return (subjects[0] if subjects else fits[0][1]), False
    if lower in GROUP_PRONOUNS:
        if previous is not None and previous.label == "ANONYMOUS" and lower != "it":
            return None, True
        if previous is not None and previous.label in ("ORG", "OUTLET", "INSTITUTION"):
            return previous, False
        found = next((e for _, e in cast.before(span.start, ("ORG", "OUTLET", "INSTITUTION"))), None)
        return found, False
    return None, False
