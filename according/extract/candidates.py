"""Candidate attributions read off the dependency tree, before the gate decides which are real.

Every verb that governs something sayable (a clause, a quotation, an infinitive, an object, a prepositional
object) is a candidate, as are "according to", reporting nouns with a "that"/"of" complement and sourceless
adverbs ("reportedly"). Each candidate carries the reading of its source and content and the facts the gate
weighs; the lexicons only inform, so cues outside them ("chalked up", "went on to discuss") are not lost.
Working state is token indices.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from according.extract.lexicon import Cue, lexicon
from according.extract.quotes import Quotes

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
AUXES = ("aux", "auxpass", "neg", "prt")
PREDICATE_VERBS = ("call", "describe", "label", "brand", "characterize", "dismiss")
CONTENT_PREPS = ("about", "on", "of", "for", "to", "against", "with", "at", "over")


@dataclass
class Candidate:
    cue: list[int]
    content: list[int]
    source: list[int] = field(default_factory=list)
    head: int = -1  # the cue's head token
    reading: str = ""  # how the content was found: ccomp, quote, xcomp, dobj, prep, interjected, ...
    cue_info: Cue | None = None
    subject: Token | None = None
    stance: str = "assert"
    hedged: bool = False
    via: list[int] = field(default_factory=list)
    score: float = 0.0


def candidates(doc: Doc, quotes: Quotes) -> list[Candidate]:
    lex = lexicon()
    out: list[Candidate] = []
    for tok in doc:
        pos = tok.pos_
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            c = _according_to(tok)
        elif pos == "VERB" or (pos == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj") and _has_subject(tok)) or (
                tok.lemma_ in lex.verbs and tok.dep_ == "ROOT" and _has_subject(tok)):
            c = _verb(tok, lex.verbs.get(tok.lemma_), quotes)
        elif pos == "NOUN" and tok.lemma_ in lex.nouns:
            c = _noun(tok, lex.nouns[tok.lemma_])
        elif pos == "ADV" and tok.lower_ in lex.adverbs:
            c = _adverb(tok, lex.adverbs[tok.lower_])
        else:
            continue
        if c is not None and c.content:
            out.append(c)
    return out


def _subtree(tok: Token, exclude=frozenset()) -> list[int]:
    return [t.i for t in tok.subtree if t.i not in exclude]


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _cue_tokens(verb: Token) -> list[int]:
    return sorted([verb.i] + [c.i for c in verb.children if c.dep_ in AUXES])


def subject_of(verb: Token) -> Token | None:
    """The verb's speaker: its subject, the passive agent, or the subject it shares with the verb it hangs on."""
    v = verb
    for _ in range(4):
        for c in v.children:
            if c.dep_ in ("nsubj", "csubj"):
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head
                return c
            if c.dep_ == "agent":
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    return pobj[0]
            if c.dep_ == "nsubjpass":
                return None  # "it was reported that": no source expressed
        if v.dep_ in ("xcomp", "conj", "advcl") and v.head.pos_ in ("VERB", "AUX") and v.head is not v:
            if v.dep_ == "advcl" and v.tag_ not in ("VBG", "VBN"):
                return None
            v = v.head
            continue
        if v.dep_ in ("relcl", "acl") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head
        return None
    return None


def _source_tokens(subj: Token | None, exclude: set[int]) -> list[int]:
    if subj is None:
        return []
    if subj.dep_ not in SUBJECTS and subj.dep_ != "pobj":  # a relative clause's head noun
        drop = {t.i for c in subj.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        return [t.i for t in subj.subtree if t.i not in drop and t.i not in exclude]
    return _subtree(subj, exclude)


def _is_interjected(verb: Token) -> bool:
    """"..., the minister said." and ", he said, ": a speech clause set off by a comma after what was said."""
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or verb.head.i > verb.i or not _has_subject(verb):
        return False
    first = next(t for t in verb.subtree if not t.is_punct)
    return first.i > 0 and verb.doc[first.i - 1].text in (",", "--", "—", "–")


def _verb(verb: Token, cue: Cue | None, quotes: Quotes) -> Candidate | None:
    children = list(verb.children)
    if cue is not None and cue.lemma == "ask" and not any(c.dep_ in ("nsubj", "agent") for c in children) \
            and (verb.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in children)):
        return None  # "when asked whether X": the question put to the speaker, not a statement of X
    cue_idx = _cue_tokens(verb)
    content: list[int] = []
    reading = ""
    comps = [c for c in children if c.dep_ == "ccomp"]
    if comps:
        reading = "ccomp"
        for c in comps:
            content += _subtree(c)
    elif _is_interjected(verb):
        reading = "interjected"
        own = {t.i for t in verb.subtree}
        content = [t.i for t in verb.head.subtree if t.i not in own]
    elif (region := quotes.adjacent(verb)) is not None:
        reading = "quote"
        content = list(range(*region))
    else:
        xcomps = [c for c in children if c.dep_ == "xcomp"]
        objs = [c for c in children if c.dep_ in ("dobj", "attr") and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
        preps = [c for c in children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in CONTENT_PREPS]
        if xcomps and not (cue and cue.lemma in PREDICATE_VERBS + ("ask",)):
            reading = "xcomp"
            content = _subtree(xcomps[0])
        elif objs:
            obj = objs[0]
            of = [c for c in preps if c.lower_ in ("of", "for") and c.i > obj.i]
            pobj = [g for c in of for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if pobj:  # "accused Holt of being a Democrat"
                reading = "obj-prep"
                content = _subtree(pobj[0])
                cue_idx = sorted(set(cue_idx) | set(range(verb.i + 1, pobj[0].left_edge.i)))
            else:
                reading = "dobj"
                content = _subtree(obj)
        elif preps:
            prep = preps[0]
            pobj = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]
            if pobj:
                reading = "prep"
                content = _subtree(pobj[0])
                cue_idx = sorted(set(cue_idx) | set(range(verb.i + 1, pobj[0].left_edge.i)))
        if not content:
            colon = _colon_quote(verb)
            if colon:
                reading, content = "colon", colon
    if not content:
        return None
    content = quotes.expand(content)
    content += quotes.continuation(content, verb.i)
    stance = cue.stance if cue else "assert"
    if cue and cue.lemma in PREDICATE_VERBS:
        predicate = _as_predicate(verb)
        if predicate:
            cue_idx = sorted(set(cue_idx) | set(predicate))
            if any(verb.doc[i].lower_ in lexicon().denial_words for i in predicate):
                stance = "deny"
            drop = set(predicate)
            content = [i for i in content if i not in drop]
    if any(c.dep_ == "neg" for c in children):
        stance = "uncertain"
    subj = subject_of(verb)
    source = _source_tokens(subj, set(content) | set(cue_idx))
    return Candidate(cue=cue_idx, content=content, source=source, head=verb.i, reading=reading, cue_info=cue,
                     subject=subj, stance=stance, hedged=bool(cue and cue.hedged))


def _as_predicate(verb: Token) -> list[int]:
    """`as "inaccurate"` in "described the claim as inaccurate", or the bare predicate of "called it fake"."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            return [t.i for t in c.subtree]
        if c.dep_ in ("oprd", "xcomp") and c.pos_ in ("ADJ", "NOUN"):
            return [t.i for t in c.subtree]
    return []


def _colon_quote(verb: Token) -> list[int]:
    """'He said: ...': what follows the colon is the content."""
    doc = verb.doc
    nxt = verb.i + 1
    while nxt < len(doc) and doc[nxt].dep_ in ("prep", "pobj", "det", "amod", "advmod") and nxt - verb.i < 6:
        nxt += 1
    if nxt < len(doc) - 1 and doc[nxt].text == ":":
        start = nxt + 1
        return list(range(start, doc[start].sent.end))
    return []


def _according_to(tok: Token) -> Candidate:
    doc = tok.doc
    to = doc[tok.i + 1]
    pobj = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    source = _subtree(pobj[0]) if pobj else []
    phrase = {tok.i, to.i} | set(source)
    head = tok.head
    while head.dep_ != "ROOT" and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    scope = head if head.i != tok.i else tok.sent.root
    content = [t.i for t in scope.subtree if t.i not in phrase]
    return Candidate(cue=[tok.i, to.i], content=content, source=source, head=tok.i, reading="according",
                     subject=pobj[0] if pobj else None)


def _noun(noun: Token, cue: Cue) -> Candidate | None:
    content: list[int] = []
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that"
                                                       for g in c.children):
            content = _subtree(c)
            break
        if c.dep_ == "prep" and c.lower_ in ("of", "about"):
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                content = _subtree(objs[0])
                break
    if not content:
        return None
    source: list[int] = []
    subj = None
    for c in noun.children:
        if c.dep_ == "poss":
            subj = c
            source = [t.i for t in c.subtree if t.dep_ != "case"]
        elif c.dep_ == "prep" and c.lower_ == "by":
            for g in c.children:
                if g.dep_ == "pobj":
                    subj = g
                    source = _subtree(g)
    return Candidate(cue=[noun.i], content=content, source=source, head=noun.i, reading="noun", cue_info=cue,
                     subject=subj, stance=cue.stance, hedged=cue.hedged)


def _adverb(adv: Token, cue: Cue) -> Candidate | None:
    head = adv.head
    if head is adv:
        return None
    content = [t.i for t in head.subtree if t.i != adv.i]
    return Candidate(cue=[adv.i], content=content, head=adv.i, reading="adverb", cue_info=cue,
                     stance=cue.stance, hedged=True)
