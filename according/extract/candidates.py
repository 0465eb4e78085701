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

from according.extract.lexicon import Cue, lexicon, source_nouns
from according.extract.quotes import Quotes

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
AUXES = ("aux", "auxpass", "neg", "prt")
PREDICATE_VERBS = ("call", "describe", "label", "brand", "characterize", "dismiss")
# nouns whose "of X" is what is said ("reports of X"), unlike "in full view of the union"
OF_CONTENT = frozenset({"report", "claim", "allegation", "rumor", "rumour", "accusation", "denial", "suggestion",
                        "speculation", "charge", "notion", "warning", "promise", "prediction", "admission",
                        "confirmation", "announcement", "assertion", "estimate"})
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
    score: float = 0.0  # the gate's belief that the cue is one
    reading_score: float = 0.0  # and that this reading of its content is the right one


def candidates(doc: Doc, quotes: Quotes) -> list[Candidate]:
    lex = lexicon()
    out: list[Candidate] = []
    for tok in doc:
        pos = tok.pos_
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = [_according_to(tok)]
        elif pos == "VERB" or (pos == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj") and _has_subject(tok)) or (
                tok.lemma_ in lex.verbs and tok.dep_ == "ROOT" and _has_subject(tok)):
            found = _verbs(tok, lex.verbs.get(tok.lemma_), quotes)
        elif pos == "NOUN" and tok.lemma_ in lex.nouns:
            found = [_noun(tok, lex.nouns[tok.lemma_])]
        elif pos == "ADV" and tok.lower_ in lex.adverbs:
            found = [_adverb(tok, lex.adverbs[tok.lower_])]
        elif pos == "ADJ":
            found = _predicative(tok)
        elif tok.text == ":":
            found = _headline_colon(tok)
        else:
            continue
        out.extend(c for c in found if c is not None and c.content)
    return out


def _subtree(tok: Token, exclude=frozenset()) -> list[int]:
    return [t.i for t in tok.subtree if t.i not in exclude]


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


MEDIUM = frozenset({"interview", "statement", "tweet", "email", "letter", "post", "briefing", "speech",
                    "conference", "release", "op-ed", "memo", "message", "video", "podcast", "remarks"})


def _cue_tokens(verb: Token) -> list[int]:
    """The verb with its auxiliaries and particles, and what hugs it: "also", "repeatedly", "on Friday",
    "in a statement" (how and when something was said belongs to the saying, not to what was said)."""
    cue = {verb.i} | {c.i for c in verb.children if c.dep_ in AUXES}
    for c in sorted(verb.children, key=lambda c: abs(c.i - verb.i)):
        adjacent = c.i + 1 in cue or c.i - 1 in cue
        if c.dep_ in ("advmod", "npadvmod") and c.pos_ in ("ADV", "PROPN", "NOUN") and adjacent \
                and not any(g.dep_ in ("ccomp", "advcl", "prep") for g in c.children):
            cue.add(c.i)
        elif c.dep_ == "prep" and c.i - 1 in cue and any(
                g.dep_ == "pobj" and g.lemma_ in MEDIUM for g in c.children):
            cue.update(t.i for t in c.subtree)
    return sorted(cue)


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
        if any(c.dep_ == "nsubjpass" for c in v.children):
            return None  # "it was reported that": no source expressed
        if v.dep_ in ("xcomp", "conj", "advcl") and v.head.pos_ in ("VERB", "AUX") and v.head is not v:
            infinitive = v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
            if v.dep_ == "advcl" and v.tag_ not in ("VBG", "VBN") and not infinitive:
                return None  # "after he left, she said": another clause, another subject
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
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or not _has_subject(verb):
        return False
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return True  # "As the Post reported, the talks failed"
    first = next(t for t in verb.subtree if not t.is_punct)
    return first.i > 0 and verb.doc[first.i - 1].text in (",", "--", "—", "–")


def _readings(verb: Token, cue: Cue | None, quotes: Quotes):
    """Every way the verb's content can be read, most clause-like first: (reading, content, extra cue tokens)."""
    children = list(verb.children)
    comps = [c for c in children if c.dep_ == "ccomp"]
    if comps:
        yield "ccomp", [i for c in comps for i in _subtree(c)], []
    if _is_interjected(verb):
        own = {t.i for t in verb.subtree}
        yield "interjected", [t.i for t in verb.head.subtree if t.i not in own], [
            c.i for c in verb.children if c.dep_ == "mark"]
    region = quotes.adjacent(verb)
    if region is not None:
        yield "quote", list(range(*region)), []
    xcomps = [c for c in children if c.dep_ == "xcomp"]
    if xcomps and not (cue and cue.lemma in PREDICATE_VERBS + ("ask",)):
        yield "xcomp", _subtree(xcomps[0]), []
    objs = [c for c in children if c.dep_ in ("dobj", "attr") and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
    preps = [c for c in children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in CONTENT_PREPS]
    if objs:
        obj = objs[0]
        yield "dobj", _subtree(obj), []
        as_phrase = [c for c in preps + [c for c in children if c.dep_ == "prep" and c.lower_ == "as"]
                     if c.lower_ == "as" and c.i > obj.i]
        if as_phrase and not (cue and cue.lemma in PREDICATE_VERBS):
            # "see the program as an easy way in": the object and how it is seen
            yield "dobj-as", sorted(set(_subtree(obj)) | set(_subtree(as_phrase[0]))), []
        own_statement = obj.lemma_ in lexicon().nouns  # "denied reports of X": the reports are a statement
        for prep in [c for c in children if c.dep_ == "prep" and c.i > obj.i] + [
                c for c in obj.children if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS and not own_statement]:
            # "accused Holt of being a Democrat", "made these same allegations against the NRA"
            pobj = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")]
            if pobj and prep.lower_ in CONTENT_PREPS + ("as",):
                yield "obj-prep", _subtree(pobj[0]), list(range(verb.i + 1, pobj[0].left_edge.i))
                break
    elif preps:
        pobj = [g for g in preps[0].children if g.dep_ in ("pobj", "pcomp")]
        if pobj:
            yield "prep", _subtree(pobj[0]), list(range(verb.i + 1, pobj[0].left_edge.i))
    colon = _colon_quote(verb)
    if colon:
        yield "colon", colon, []
    passive = [c for c in children if c.dep_ == "nsubjpass"]
    if passive and passive[0].lower_ not in ("it", "there"):
        # "The issue was first reported by The Washington Post": what was reported is the subject
        yield "passive", _subtree(passive[0]), []


def _verbs(verb: Token, cue: Cue | None, quotes: Quotes) -> list[Candidate]:
    """One candidate per reading of the verb; the gate weighs them and the best one stays."""
    children = list(verb.children)
    if cue is not None and cue.lemma == "ask" and not any(c.dep_ in ("nsubj", "agent") for c in children) \
            and (verb.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in children)):
        return []  # "when asked whether X": the question put to the speaker, not a statement of X
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ == "agent" for c in children):
        return []  # "the votes required to win": a participle describing a thing, no one speaking
    subj = subject_of(verb)
    negated = any(c.dep_ == "neg" for c in children)
    predicate = _as_predicate(verb) if cue and cue.lemma in PREDICATE_VERBS else []
    out = []
    for reading, content, extra_cue in _readings(verb, cue, quotes):
        cue_idx = sorted(set(_cue_tokens(verb)) | set(extra_cue))
        content = quotes.expand(content, verb.i)
        content += quotes.continuation(content, verb.i)
        stance = cue.stance if cue else "assert"
        if predicate and any(verb.doc[i].lower_ in lexicon().denial_words for i in predicate):
            # "described the claim as inaccurate": the judgement is the cue, "the claim" what is denied
            stance = "deny"
            cue_idx = sorted(set(cue_idx) | set(predicate))
            content = [i for i in content if i not in set(predicate)]
        elif predicate and reading == "dobj":
            # "called climate change a hoax": what is said is the whole small clause
            content = sorted(set(content) | set(predicate))
        if negated:
            stance = "uncertain"
        if not content:
            continue
        source = _source_tokens(subj, set(content) | set(cue_idx))
        out.append(Candidate(cue=cue_idx, content=content, source=source, head=verb.i, reading=reading,
                             cue_info=cue, subject=subj, stance=stance, hedged=bool(cue and cue.hedged)))
    return out


def _predicative(word: Token) -> list[Candidate]:
    """"were frustrated that X", "is sure that X", "worried about X": a state of mind with its content."""
    if word.dep_ not in ("acomp", "ROOT", "ccomp", "conj", "amod") or word.dep_ == "amod" and word.head.pos_ != "VERB":
        return []
    for c in word.children:
        content = []
        if c.dep_ == "ccomp":
            content = _subtree(c)
        elif c.dep_ == "prep" and c.lower_ in ("about", "of", "that"):
            content = [t.i for g in c.children if g.dep_ in ("pobj", "pcomp") for t in g.subtree]
        if content:
            cue = [word.i] + ([c.i] if c.dep_ == "prep" else [])
            verb = word.head if word.dep_ == "acomp" else word
            subj = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
            cue += [t.i for t in verb.children if t.dep_ in ("aux", "neg")] + ([verb.i] if verb is not word else [])
            source = _source_tokens(subj, set(content) | set(cue))
            return [Candidate(cue=sorted(cue), content=content, source=source, head=word.i, reading="predicative",
                              subject=subj)]
    return []


def _headline_colon(colon: Token) -> list[Candidate]:
    """"Obama on climate change: the trends are terrifying": a short speaker, a colon, what they said."""
    sent = colon.sent
    if colon.i - sent.start > 6 or colon.i - sent.start < 1 or sent.end - colon.i < 3 or sent.start != 0 and \
            "\n" not in colon.doc[sent.start - 1].text:
        return []  # only at the start of a line: a headline or a paragraph that opens with its speaker
    source = [i for i in range(sent.start, colon.i) if not colon.doc[i].is_space]
    content = [i for i in range(colon.i + 1, sent.end) if not colon.doc[i].is_space]
    subj = max((colon.doc[i] for i in source), key=lambda t: t.pos_ == "PROPN")
    return [Candidate(cue=[colon.i], content=content, source=source, head=colon.i, reading="headline-colon",
                      subject=subj)]


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
        if c.dep_ == "prep" and c.lower_ in ("of", "about") and noun.lemma_ in OF_CONTENT:
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                content = _subtree(objs[0])
                break
    if not content:
        return None
    source: list[int] = []
    subj = None
    for c in noun.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and not source and _speaks(c)):
            subj = c  # "the ministry's claim that", "government reports that", "Kremlin denials of"
            source = [t.i for t in c.subtree if t.dep_ != "case"]
        elif c.dep_ == "prep" and c.lower_ == "by":
            for g in c.children:
                if g.dep_ == "pobj":
                    subj = g
                    source = _subtree(g)
    return Candidate(cue=[noun.i], content=content, source=source, head=noun.i, reading="noun", cue_info=cue,
                     subject=subj, stance=cue.stance, hedged=cue.hedged)


def _speaks(tok: Token) -> bool:
    """A word in front of a reporting noun that says who made it: a name, or a body or person ("police
    reports"), unlike what the report is about ("crime reports") or its medium ("news reports")."""
    return tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or bool(
        source_nouns().classes(tok.lemma_.lower()) & {"institution", "human", "outlet", "spokesperson", "press"})


def _adverb(adv: Token, cue: Cue) -> Candidate | None:
    head = adv.head
    if head is adv:
        return None
    content = [t.i for t in head.subtree if t.i != adv.i]
    return Candidate(cue=[adv.i], content=content, head=adv.i, reading="adverb", cue_info=cue,
                     stance=cue.stance, hedged=True)
