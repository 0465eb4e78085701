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

from according.extract.cast import HANDLE
from according.extract.lexicon import Cue, lexicon, source_nouns, words
from according.extract.quotes import Quotes

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
AUXES = ("aux", "auxpass", "neg", "prt")
PREDICATE_VERBS = words()["predicate"]
OF_CONTENT = words()["of-content"]
CONTENT_PREPS = ("about", "on", "of", "for", "to", "against", "with", "at", "over")
# the readings a cue of each class (cues.tsv) can have: a request ("urged them to leave") states nothing; a
# question ("asked whether X") states nothing but its own quoted words; what is seen ("saw the flames") is no
# statement, what something is seen as ("sees X as a threat") is a view
CLASS_READINGS = {"request": (), "ask": ("quote", "interjected", "colon"), "perceive": ("ccomp", "dobj-as")}
THINGS_TOLD = words()["told"]
RAISING = words()["raising"]
RETRACTING = words()["retracting"]
CLAUSAL = words()["clausal"]
SAYING_READINGS = ("ccomp", "interjected", "quote", "colon", "xcomp", "raised")  # a clause or a quotation


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
    withheld_by: int = -1  # "declined to confirm X": the governing word whose own reading this one replaces
    score: float = 0.0  # the gate's belief that the cue is one
    reading_score: float = 0.0  # and that this reading of its content is the right one


def candidates(doc: Doc, quotes: Quotes) -> list[Candidate]:
    lex = lexicon()
    out: list[Candidate] = []
    for tok in doc:
        pos = tok.pos_
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = [_according_to(tok)]
        elif pos == "VERB" or (pos == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj") and has_subject(tok)) or (
                tok.lemma_ in lex.verbs and tok.dep_ == "ROOT" and has_subject(tok)):
            found = _verbs(tok, _phrasal(tok) or lex.verbs.get(tok.lemma_), quotes)
        elif pos == "NOUN" and tok.lemma_ in lex.nouns:
            found = [_noun(tok, lex.nouns[tok.lemma_])]
        elif pos == "ADV" and tok.lower_ in lex.adverbs:
            found = [_adverb(tok, lex.adverbs[tok.lower_])]
        elif pos == "ADJ":
            found = _predicative(tok)
        elif tok.text == ":":
            found = _headline_colon(tok)
        elif tok.text.startswith("@"):
            found = _embedded_post(tok)
        else:
            continue
        out.extend(c for c in found if c is not None and c.content)
    return out


def _phrasal(verb: Token) -> Cue | None:
    """The lexicon's entry for the verb with its particle or complement: "pushed back on X", "brushed off X",
    "pleaded not guilty to X" say more than the verb alone."""
    verbs = lexicon().verbs
    for c in verb.children:
        if c.dep_ in ("prt", "advmod", "acomp") and c.i > verb.i:
            words = " ".join(t.lower_ for t in c.subtree if t.i <= c.i)
            cue = verbs.get(verb.lemma_ + " " + words)
            if cue is not None:
                return cue
    return None


def _subtree(tok: Token, exclude=frozenset()) -> list[int]:
    return [t.i for t in tok.subtree if t.i not in exclude]


def _phrase(noun: Token) -> list[int]:
    """A noun phrase as content, with the "that" clause of a reporting noun that the parse hung elsewhere
    ("cast doubt over [claims that X]")."""
    own = _subtree(noun)
    if noun.pos_ == "NOUN" and noun.lemma_ in lexicon().nouns:
        return sorted(set(own) | set(_detached_that_clause(noun)))
    return own


def has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


MEDIUM = words()["medium"]


def _cue_tokens(verb: Token) -> list[int]:
    """The verb with its auxiliaries and particles, and what hugs it: "also", "repeatedly", "in a statement"
    (how something was said belongs to the saying, not to what was said). When it was said ("said Monday") is
    neither: both PolNeAR and newsdev leave the day out of the cue."""
    cue = {verb.i} | {c.i for c in verb.children if c.dep_ in AUXES}
    for c in sorted(verb.children, key=lambda c: abs(c.i - verb.i)):
        adjacent = c.i + 1 in cue or c.i - 1 in cue
        if c.dep_ in ("advmod", "npadvmod") and c.pos_ in ("ADV", "PROPN", "NOUN") and adjacent \
                and c.ent_type_ not in ("DATE", "TIME") and not HANDLE.match(c.text) \
                and not any(g.dep_ in ("ccomp", "advcl", "prep") for g in c.children):
            cue.add(c.i)
        elif c.dep_ == "prep" and c.i - 1 in cue and any(
                g.dep_ == "pobj" and g.lemma_ in MEDIUM for g in c.children):
            cue.update(t.i for t in c.subtree)
    return sorted(cue)


def subject_of(verb: Token) -> Token | None:
    """The verb's speaker: its subject, the passive agent, or the subject it shares with the verb it hangs on
    ("began by saying X", "after saying X": through the preposition to the verb it modifies)."""
    handle = _account_beside(verb)
    if handle is not None:
        return handle
    v = verb
    for _ in range(4):
        # a verb has one subject; where the parse gives two ('"My view, that was wrong," the aide said'), one cut
        # off from the verb by a quotation mark is a word of the quotation, not the speaker
        for c in sorted(v.children, key=lambda c: (_quote_between(c, v), c.i)):
            if c.dep_ in ("nsubj", "csubj"):
                if c.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head
                return c
            if c.dep_ == "agent":
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    return pobj[0]
        if any(c.dep_ == "nsubjpass" for c in v.children) or _joined_participle(v):
            return None  # "it was reported that": no source expressed
        if v.dep_ in ("xcomp", "conj", "advcl") and v.head.pos_ in ("VERB", "AUX") and v.head.i != v.i:
            infinitive = v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
            if v.dep_ == "advcl" and v.tag_ not in ("VBG", "VBN") and not infinitive:
                return None  # "after he left, she said": another clause, another subject
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.tag_ == "VBG" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX") \
                and not has_subject(v):
            if v.head.lower_ == "as":
                # "quoted the mayor as saying X", "the mayor was quoted as saying X": the "as" phrase tells of
                # the verb's object (the passive's subject), who is the one saying
                told = [c for c in v.head.head.children if c.dep_ in ("dobj", "nsubjpass") and c.i < v.i]
                if told:
                    return told[0]
            v = v.head.head
            continue
        if v.dep_ in ("relcl", "acl") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head
        return None
    return None


def _account_beside(verb: Token) -> Token | None:
    """'"...," @jdoe tweeted' and '"...," tweeted @jdoe.': the parser knows no accounts and hangs one beside the
    verb as anything but its subject; an account just before the verb, or just after it closing the sentence, is
    who spoke (not "told @jdoe that ...", where it is who was told)."""
    doc = verb.doc
    if has_subject(verb):
        return None
    for c in [verb.head, *verb.children]:
        if HANDLE.match(c.text) and (c.i == verb.i - 1 or c.i == verb.i + 1 and (
                c.i + 1 == len(doc) or doc[c.i + 1].is_punct and doc[c.i + 1].text not in (",", "(")
                or doc[c.i + 1].is_space)):
            return c
    return None


def _quote_between(word: Token, verb: Token) -> bool:
    lo, hi = sorted((word.i, verb.i))
    return any(t.is_quote for t in word.doc[lo + 1:hi])


def _source_tokens(subj: Token | None, exclude: set[int]) -> list[int]:
    if subj is None:
        return []
    if subj.dep_ not in SUBJECTS and subj.dep_ != "pobj":  # a relative clause's head noun
        drop = {t.i for c in subj.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        return [t.i for t in subj.subtree if t.i not in drop and t.i not in exclude]
    return _subtree(subj, exclude)


def _is_interjected(verb: Token) -> bool:
    """"..., the minister said." and ", he said, ": a speech clause set off by a comma after what was said."""
    if verb.dep_ == "conj":
        return _joined_speech_clause(verb)
    stranded = _stranded_speaker(verb) if verb.dep_ in ("parataxis", "ccomp", "advcl") else None
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or not (has_subject(verb) or stranded is not None):
        return False
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return True  # "As the Post reported, the talks failed"
    first = stranded.left_edge if stranded is not None else next(t for t in verb.subtree if not t.is_punct)
    return first.i > 0 and verb.doc[first.i - 1].text in (",", "--", "—", "–")


def _stranded_speaker(verb: Token) -> Token | None:
    """"The club will sign Tom Osric, a source close to the club said": the parse hangs the speaker on the name
    before the comma as its apposition and leaves the verb without a subject. A verb with no subject, right after
    an apposition set off by a comma whose head is a kind of source (or a name), has it as its speaker."""
    doc = verb.doc
    if verb.i < 2 or has_subject(verb):
        return None
    t = doc[verb.i - 1]
    while t.dep_ != "appos" and t.head.i != t.i and t.head.i < verb.i and t.head.right_edge.i == verb.i - 1:
        t = t.head
    return t if t.right_edge.i == verb.i - 1 and _speaker_set_apart(t) else None


SPEAKING_KINDS = frozenset({"human", "spokesperson", "press", "office", "institution", "outlet"})


def _speaker_set_apart(t: Token) -> bool:
    """An apposition set off by a comma that could speak: a kind of source, or a name (the speaker a parse hung
    on the name before it, in "X, a source said" and "X, the Ledger reported")."""
    if t.dep_ != "appos" or t.left_edge.i < 1 or t.doc[t.left_edge.i - 1].text != ",":
        return False
    return bool(source_nouns().classes(t.lemma_.lower()) & SPEAKING_KINDS) or t.pos_ == "PROPN"


def _appositive_speaker(verb: Token) -> Token | None:
    """"Acme will buy Zentro, the Ledger reported on Monday": the parse sets "the Ledger" beside "Zentro" as its
    apposition and hangs "reported" on it as a participle ("the Ledger, reported on Monday"). A verb of saying
    right after such an apposition (set off by a comma, a kind of source or a name), with nothing of its own to
    say, is its speech clause: the apposition is the speaker."""
    head = verb.head
    if verb.dep_ != "acl" or verb.i != head.i + 1 or any(
            c.dep_ in ("ccomp", "dobj", "agent", "xcomp", "attr") for c in verb.children):
        return None
    return head if _speaker_set_apart(head) else None


def _appositive_statement(verb: Token, cue: Cue, speaker: Token, quotes: Quotes) -> Candidate:
    """What an apposition's speech clause says: its sentence without the apposition and its commas, and without
    whom the speaker cites after it (", citing Y": the parse hangs it on what was said)."""
    held = {t.i for t in speaker.subtree} | {speaker.left_edge.i - 1}
    for t in verb.sent:
        if t.i > verb.i and t.dep_ == "advcl" and t.lemma_ in ("cite", "quote"):
            held |= {g.i for g in t.subtree} | {t.left_edge.i - 1}
    content = [t.i for t in verb.sent if t.i not in held]
    while content and (verb.doc[content[-1]].is_punct or verb.doc[content[-1]].is_space):
        content.pop()
    content = quotes.expand(content, verb.i)
    return Candidate(cue=_cue_tokens(verb), content=content, source=_source_tokens(speaker, set(content)),
                     head=verb.i, reading="interjected", cue_info=cue, subject=speaker, stance=cue.stance,
                     hedged=cue.hedged)


def _joined_speech_clause(verb: Token) -> bool:
    """"Acme will close the plant, the Ledger reported, citing ...": the parse joins the speech clause to the
    clause before as if it were a second thing done. A clause joined by a comma alone (no "and", "but"), with a
    subject and nothing said of its own, closing its sentence, is the speech clause of what comes before."""
    head, doc = verb.head, verb.doc
    if verb.i < head.i or not has_subject(verb) or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    if any(c.dep_ in ("cc", "preconj") for t in (head, verb) for c in t.children if head.i < c.i < verb.i):
        return False
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "attr", "acomp", "cc", "conj") for c in verb.children):
        return False
    words = [t.i for t in verb.subtree if not (t.is_punct or t.is_space)]
    end = words[-1] + 1
    return doc[words[0] - 1].text == "," and (end >= len(doc) or doc[end].is_punct or doc[end].is_space)


def _opens_with_that(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _that_clause_after_prep(verb: Token) -> list[Token]:
    """"said during negotiations that X", "told reporters in Paris that X": the parse hangs the "that" clause on
    the noun before it; it is what was said (unless that noun is itself a statement: "warned of claims that X")."""
    for c in verb.children:
        if c.dep_ == "prep" and c.i > verb.i:
            for pobj in c.children:
                if pobj.dep_ == "pobj" and pobj.lemma_ not in lexicon().nouns:
                    return [g for g in pobj.children if g.dep_ in ("acl", "relcl", "ccomp") and g.i > pobj.i
                            and _opens_with_that(g)][:1]
    return []


def _readings(verb: Token, cue: Cue | None, quotes: Quotes):
    """Every way the verb's content can be read, most clause-like first: (reading, content, extra cue tokens)."""
    children = list(verb.children)
    comps = [c for c in children if c.dep_ == "ccomp"] or _that_clause_after_prep(verb)
    if comps:
        yield "ccomp", [i for c in comps for i in _subtree(c)], []
    if _is_interjected(verb):
        # ("As the Post reported, X": "as" links the clause; it is not a word of the saying)
        own = {t.i for t in verb.subtree}
        yield "interjected", [t.i for t in verb.head.subtree if t.i not in own], []
    region = quotes.adjacent(verb)
    if region is not None:
        yield "quote", list(range(*region)), []
    # "He is believed to have left", "they are suspected of fraud": what is believed is the subject with its
    # complement, as in "believe [him to have left]"
    raised = _raised_subject(verb)
    xcomps = [c for c in children if c.dep_ == "xcomp"]
    if xcomps and not (cue and (cue.lemma in PREDICATE_VERBS or cue.lemma == "ask")):
        infinitive = any(g.dep_ == "aux" and g.lower_ == "to" for g in xcomps[0].children)
        yield "raised" if raised and infinitive else "xcomp", sorted(set(raised) | set(_subtree(xcomps[0]))), []
    objs = [c for c in children if c.dep_ in ("dobj", "attr") and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
    shifted = _shifted_predicate(verb) if cue is not None and cue.lemma in PREDICATE_VERBS else None
    if shifted is not None and not objs:
        judgement, obj = shifted
        yield "dobj", [i for i in _phrase(obj) if i not in set(judgement)], []
    preps = [c for c in children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in CONTENT_PREPS]
    addressee = bool(objs) and cue is not None and cue.cls == "tell" and objs[0].lemma_.lower() not in THINGS_TOLD
    if objs:
        obj = objs[0]
        if not addressee:
            yield "dobj", _phrase(obj), []
        as_phrase = [c for c in preps + [c for c in children if c.dep_ == "prep" and c.lower_ == "as"]
                     if c.lower_ == "as" and c.i > obj.i]
        if as_phrase and not addressee and not (cue and cue.lemma in PREDICATE_VERBS):
            # "see the program as an easy way in": the object and how it is seen
            yield "dobj-as", sorted(set(_subtree(obj)) | set(_subtree(as_phrase[0]))), []
        own_statement = obj.lemma_ in lexicon().nouns  # "denied reports of X": the reports are a statement
        for prep in [c for c in children if c.dep_ == "prep" and c.i > obj.i] + [
                c for c in obj.children if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS and not own_statement]:
            # "accused Holt of being a Democrat", "made these same allegations against the NRA"
            pobj = [g for g in prep.children if g.dep_ in ("pobj", "pcomp") and not _when(g)]
            if pobj and prep.lower_ in CONTENT_PREPS + ("as",):
                more = _gerunds_after(verb, prep)
                if cue is not None and cue.cls == "judge" and not own_statement:
                    # "accused the mayor of fraud": the charge is against someone, both are what is said
                    yield "obj-prep", sorted(set(_subtree(obj)) | set(_subtree(prep)) | set(more)), []
                else:
                    yield "obj-prep", _phrase(pobj[0]) + more, list(range(verb.i + 1, pobj[0].left_edge.i))
                break
    elif not preps and cue is not None and " " in cue.lemma:
        # "pleaded not guilty to X": the content hangs on the complement that the lexicon entry names
        preps = [p for c in children if c.dep_ == "acomp" for p in c.children
                 if p.dep_ == "prep" and p.lower_ in CONTENT_PREPS]
    if not objs and preps:
        pobj = [g for g in preps[0].children if g.dep_ in ("pobj", "pcomp") and not _when(g)]
        more = _gerunds_after(verb, preps[0])
        if pobj and raised and cue is not None and cue.cls in ("judge", "think"):
            yield "prep", sorted(set(raised) | set(_subtree(preps[0])) | set(more)), []  # "[they] are suspected [of X]"
        elif pobj:
            yield "prep", _phrase(pobj[0]) + more, list(range(verb.i + 1, pobj[0].left_edge.i))
    colon = _colon_quote(verb)
    if colon:
        yield "colon", colon, []
    passive = [c for c in children if c.dep_ == "nsubjpass"]
    if passive and passive[0].lower_ not in ("it", "there") and not xcomps:
        # "The issue was first reported by The Washington Post": what was reported is the subject; "he was quoted
        # as saying X": the subject and what he is quoted as saying
        saying = [c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i
                  and any(g.dep_ == "pcomp" and g.tag_ == "VBG" for g in c.children)]
        yield "passive", sorted(set(_subtree(passive[0])) | {i for c in saying for i in _subtree(c)}), []


def _gerunds_after(verb: Token, prep: Token) -> list[int]:
    """"accused of theft and lying to police": the parse hangs the second charge on the verb, as if he were
    accused and lying; a gerund with no subject of its own, joined right after the prepositional content, is
    more of that content."""
    out: list[int] = []
    end = prep.right_edge.i
    for c in verb.children:
        cc = [g for g in verb.children if g.dep_ == "cc" and end < g.i < c.i]
        if c.dep_ == "conj" and c.tag_ == "VBG" and verb.tag_ != "VBG" and not has_subject(c) \
                and cc and c.left_edge.i == cc[0].i + 1 and cc[0].i == end + 1:
            out += [cc[0].i] + _subtree(c)
            end = c.right_edge.i
    return out


def is_passive(verb: Token) -> bool:
    return verb.tag_ == "VBN" and (verb.dep_ == "acl" or any(c.dep_ == "auxpass" for c in verb.children)
                                   or _joined_participle(verb))


def _joined_participle(verb: Token) -> bool:
    """"Lee was arrested and [accused] of fraud", "the two are fugitives and [accused] of X": a bare participle
    joined to a passive or to "be" shares its voice, so its subject is what is said, not who says it ("has
    denied and accused" shares the perfect instead)."""
    head = verb.head
    return verb.tag_ == "VBN" and verb.dep_ == "conj" and head.i != verb.i and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children) and (
        head.lemma_ == "be" or any(c.dep_ == "auxpass" for c in head.children))


def _raised_subject(verb: Token) -> list[int]:
    """What a passive verb of saying or thinking says something of: "[He] is thought to have left", "[gunmen]
    believed to be rebels", "the army took the town and is thought to have killed [...]": its passive subject, the
    noun a participle describes, or the subject it shares with the verb it is joined to."""
    if not is_passive(verb):
        return []
    for c in verb.children:
        if c.dep_ == "nsubjpass":
            return [] if c.lower_ in ("it", "there") else _subtree(c)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        own = {t.i for t in verb.subtree}
        return [t.i for t in verb.head.subtree if t.i not in own and t.i < verb.i]
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        subj = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.lower_ not in ("it", "there"):
            return _subtree(subj)
    return []


def _agent(verb: Token) -> Token | None:
    """The "by" phrase of a passive: "is thought by investigators to have left"."""
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _verbs(verb: Token, cue: Cue | None, quotes: Quotes) -> list[Candidate]:
    """One candidate per reading of the verb; the gate weighs them and the best one stays."""
    children = list(verb.children)
    if cue is not None and cue.lemma == "ask" and not any(c.dep_ in ("nsubj", "agent") for c in children) \
            and (verb.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in children)):
        return []  # "when asked whether X": the question put to the speaker, not a statement of X
    told_by = _appositive_speaker(verb) if cue is not None and cue.cls in ("say", "tell") else None
    if told_by is not None:
        return [_appositive_statement(verb, cue, told_by, quotes)]
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(c.dep_ == "agent" for c in children) and not (
            cue is not None and cue.cls in ("say", "think", "show") and any(c.dep_ == "xcomp" for c in children)):
        return []  # "the votes required to win": a participle describing a thing, no one speaking (but "gunmen
        # believed to be rebels" is a belief about them)
    if verb.lemma_ in RAISING and not any(c.dep_ == "xcomp" and c.lemma_ in lexicon().verbs and lexicon().verbs[
            c.lemma_].cls not in ("show", "intend", "perceive", "request") for c in children):
        return []  # "he seems to have left", "the video appears to show X": how things look to the writer
    if verb.pos_ == "AUX" and any(c.dep_ == "acomp" and c.lower_ in lexicon().adjectives for c in children):
        return []  # "it is unclear whether X": the adjective is the cue (`_predicative`), not the copula
    subj = subject_of(verb)
    stranded = _stranded_speaker(verb) if subj is None and cue is not None and cue.cls in ("say", "tell") else None
    if stranded is not None:
        subj = stranded
        # the speaker and the comma that sets it off are no words of what was said
        apart = set(range(stranded.left_edge.i - 1, stranded.right_edge.i + 1))
    negated = any(c.dep_ == "neg" for c in children)
    joined, negated_with = _joined_cue(verb)
    governor, governed = _withholding(verb if not joined else verb.head) if cue is not None else (None, [])
    if governor is not None and subj is None:
        subj = subject_of(governor) if governor.pos_ in ("VERB", "AUX") else subject_of(governor.head)
    predicate = _as_predicate(verb) if cue and cue.lemma in PREDICATE_VERBS else []
    allowed = CLASS_READINGS.get(cue.cls) if cue is not None else None
    out = []
    for reading, content, extra_cue in _readings(verb, cue, quotes):
        if allowed is not None and reading not in allowed:
            continue
        if cue is not None and cue.lemma == "call" and not predicate and reading in ("dobj", "obj-prep", "xcomp") or (
                reading == "prep" and cue is not None and cue.lemma == "call"
                and not any(verb.doc[i].lower_ == "for" for i in extra_cue)):
            continue  # "called the police", "called on them to": a call, not a name given ("called for X" says X)
        if cue is not None and cue.lemma in RETRACTING and not _something_said(verb, content):
            continue  # "withdrew its troops", "withdrew its bid": only withdrawing what was said denies it
        if cue is not None and cue.lemma in CLAUSAL and reading not in SAYING_READINGS and not _object_said(verb):
            continue  # "agreed a fee", "recalled its ambassador": an act done to a thing, nothing stated
        if reading == "dobj" and _names_the_act(verb, content):
            continue  # "cast [doubt] on X", "issued [a denial] of X": the object names the act; X is what is said
        cue_idx = sorted(set(_cue_tokens(verb)) | set(extra_cue) | set(joined) | set(governed))
        if stranded is not None:
            content = [i for i in content if i not in apart]
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
        if reading == "obj-prep" and stance == "assert":
            obj_noun = next((verb.doc[i] for i in extra_cue if verb.doc[i].lemma_ in lexicon().nouns), None)
            if obj_noun is not None:
                stance = lexicon().nouns[obj_noun.lemma_].stance  # "cast doubt on X", "issued a denial of X"
        if negated or negated_with or governor is not None:
            stance = "uncertain"  # "did not confirm", "neither confirmed nor denied", "declined to confirm"
        if not content:
            continue
        speaker = subj
        if reading == "raised":  # "is thought to": no one is named as thinking it, unless "by" someone
            speaker = _agent(verb)
        source = _source_tokens(speaker, set(content) | set(cue_idx))
        out.append(Candidate(cue=cue_idx, content=content, source=source, head=verb.i, reading=reading,
                             cue_info=cue, subject=speaker, stance=stance, hedged=bool(cue and cue.hedged),
                             withheld_by=governor.i if governor is not None else -1))
    return out


def _joined_cue(verb: Token) -> tuple[list[int], bool]:
    """"confirm or deny that X", "neither confirmed nor denied X": two cue verbs sharing one content are one cue;
    and negated, or joined by "nor", neither is asserted."""
    head = verb.head
    if verb.dep_ != "conj" or head.pos_ != "VERB" or head.lemma_ not in lexicon().verbs:
        return [], False
    ccs = [c for c in head.children if c.dep_ in ("cc", "preconj")]
    if not any(c.lower_ in ("or", "nor", "neither", "either") for c in ccs):
        return [], False  # "promised and said X", "proposed but agreed X": the second verb alone says X
    if any(c.dep_ in ("ccomp", "dobj") for c in head.children):
        return [], False  # "confirmed the deal and denied the rest": two statements
    joined = _cue_tokens(head) + [c.i for c in head.children if c.dep_ in ("cc", "preconj")]
    negated = any(c.dep_ == "neg" or c.lower_ in ("neither", "nor") for c in head.children)
    return joined, negated


def _withholding(verb: Token) -> tuple[Token | None, list[int]]:
    """"declined to confirm", "was unable to verify", "have yet to confirm": a statement its speaker withholds.
    The governing words join the cue, and the statement is uncertain."""
    if verb.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None, []
    gov = verb.head
    lex = lexicon()
    info = lex.verbs.get(gov.lemma_) if gov.pos_ in ("VERB", "AUX") else lex.adjectives.get(gov.lower_)
    around = list(gov.children) + (list(gov.head.children) if gov.dep_ == "acomp" else [])
    negated = any(c.dep_ == "neg" for c in around)
    yet = any(c.lower_ == "yet" for c in gov.children)
    if not (info is not None and info.cls == "decline" or negated and gov.pos_ == "ADJ" or yet):
        return None, []
    words = [gov.i] + [c.i for c in gov.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < verb.i]
    words += [c.i for c in verb.children if c.dep_ == "aux"]
    if gov.pos_ == "ADJ" and gov.dep_ == "acomp":  # "was not able to": the copula with its negation
        words += [gov.head.i] + [c.i for c in gov.head.children if c.dep_ in ("aux", "neg")]
    return gov, words


def _predicative(word: Token) -> list[Candidate]:
    """"were frustrated that X", "is sure that X", "worried about X", "it is unclear whether X": a state of mind,
    or of knowledge, with its content."""
    if word.dep_ not in ("acomp", "ROOT", "ccomp", "conj", "amod") or word.dep_ == "amod" and word.head.pos_ != "VERB":
        return []
    cue_info = lexicon().adjectives.get(word.lower_)
    # "it is unclear whether X": the parse hangs the clause on the copula, as a complement, an adverbial clause
    # ("it was not clear if X") or its subject ("whether X is still unconfirmed")
    beside = [c for c in word.head.children if c.dep_ == "ccomp" or c.dep_ in ("advcl", "csubj") and any(
        g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in c.children)] \
        if word.dep_ == "acomp" and cue_info else []
    for c in list(word.children) + beside:
        content = []
        if c.dep_ in ("ccomp", "advcl", "csubj"):
            content = _subtree(c)
        elif c.dep_ == "prep" and c.lower_ in ("about", "of", "that"):
            content = [t.i for g in c.children if g.dep_ in ("pobj", "pcomp") for t in g.subtree]
        if content:
            cue = [word.i] + ([c.i] if c.dep_ == "prep" else [])
            verb = word.head if word.dep_ == "acomp" else word
            subj = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
            cue += [t.i for t in list(verb.children) + list(word.children) if t.dep_ in ("aux", "neg")] + (
                [verb.i] if verb.i != word.i else [])
            if subj is not None and subj.lower_ == "it" and c.dep_ in ("ccomp", "advcl"):
                cue.append(subj.i)  # "it is unclear whether X": no one is unsure, it is
                subj = None
            stance = cue_info.stance if cue_info else "assert"
            if any(word.doc[i].dep_ == "neg" for i in cue):
                stance = "uncertain"  # "not sure", "not clear"
            source = _source_tokens(subj, set(content) | set(cue))
            return [Candidate(cue=sorted(set(cue)), content=content, source=source, head=word.i,
                              reading="predicative", subject=subj, cue_info=cue_info, stance=stance,
                              hedged=bool(cue_info and cue_info.hedged))]
    return []


def _headline_colon(colon: Token) -> list[Candidate]:
    """"Obama on climate change: the trends are terrifying": a short speaker, a colon, what they said."""
    sent = colon.sent
    if colon.i - sent.start > 6 or colon.i - sent.start < 1 or sent.end - colon.i < 3 or sent.start != 0 and \
            "\n" not in colon.doc[sent.start - 1].text:
        return []  # only at the start of a line: a headline or a paragraph that opens with its speaker
    if any(t.pos_ == "VERB" and _colon_quote(t) for t in colon.doc[sent.start:colon.i]):
        return []  # "She told local radio: ...": the verb's own reading holds the speaker and what was said
    source = [i for i in range(sent.start, colon.i) if not colon.doc[i].is_space]
    content = [i for i in range(colon.i + 1, sent.end) if not colon.doc[i].is_space]
    subj = max((colon.doc[i] for i in source), key=lambda t: t.pos_ == "PROPN")
    return [Candidate(cue=[colon.i], content=content, source=source, head=colon.i, reading="headline-colon",
                      subject=subj)]


DASHES = ("—", "–", "-", "--")


def _embedded_post(handle: Token) -> list[Candidate]:
    """A post embedded in a web page, as its text reads once the page is flattened: "We are in lockdown. #tag
    pic.twitter.com/x— Jane Roe (@jroe) October 22, 2014". The account speaks the text before the dash, from the
    start of its paragraph (or the paragraph before, when the signature opens a line of its own), without the
    links and hashtags that close it."""
    doc = handle.doc
    i = handle.i
    if not HANDLE.match(handle.text) or i < 2 or i + 2 >= len(doc) or doc[i - 1].text != "(" \
            or doc[i + 1].text != ")" or doc[i + 2].ent_type_ != "DATE":
        return []
    name: list[int] = []
    j = i - 2
    while j >= 0 and doc[j].text not in DASHES and len(name) < 8:
        if doc[j].is_punct or "\n\n" in doc[j].text:
            return []
        if not doc[j].is_space:
            name.insert(0, j)
        j -= 1
    if j < 0 or doc[j].text not in DASHES or not name:
        return []
    end = j - 1
    while end >= 0 and doc[end].is_space:
        end -= 1
    start = end
    while start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        start -= 1
    content = [k for k in range(start, end + 1) if not doc[k].is_space]
    while content:  # the closing links and hashtags, each a run of tokens with no space between them
        word = len(content) - 1
        while word > 0 and not doc[content[word] - 1].whitespace_ and content[word - 1] == content[word] - 1:
            word -= 1
        first = doc[content[word]]
        if not (first.like_url or first.text == "#" or first.lower_.startswith(("pic.", "http"))):
            break
        content = content[:word]
    return [Candidate(cue=[i], content=content, source=name, head=i, reading="post",
                      subject=doc[name[-1]])]


def _when(tok: Token) -> bool:
    """"on Wednesday", "at noon", "over the weekend": a time, never what is said about."""
    return tok.ent_type_ in ("DATE", "TIME")


def _shifted_predicate(verb: Token) -> tuple[list[int], Token] | None:
    """"branded as false a report that X": the judgement set before a long object, which the parse reads as one
    noun phrase ("as [false a report ...]"); the judgement ("as false") and the object it judges, apart."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            obj = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN"), None)
            det = next((g for g in obj.children if g.dep_ == "det"), None) if obj is not None else None
            judged = [g for g in obj.children if g.dep_ == "amod" and g.i < det.i] if det is not None else []
            if judged:
                return [c.i] + [t.i for g in judged for t in g.subtree], obj
    return None


def _as_predicate(verb: Token) -> list[int]:
    """`as "inaccurate"` in "described the claim as inaccurate", or the bare predicate of "called it fake"."""
    shifted = _shifted_predicate(verb)
    if shifted is not None:
        return shifted[0]
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            return [t.i for t in c.subtree]
        if c.dep_ in ("oprd", "xcomp") and c.pos_ in ("ADJ", "NOUN"):
            return [t.i for t in c.subtree]
    return []


COLON_GAP = ("prep", "pobj", "det", "amod", "advmod", "npadvmod", "compound", "poss", "case", "nummod", "dobj")


def _colon_quote(verb: Token) -> list[int]:
    """'He said: ...', 'She told local radio on Friday: "..."': what follows the colon is the content (a quotation
    that opens a new paragraph after the colon included)."""
    doc = verb.doc
    nxt = verb.i + 1
    while nxt < len(doc) and doc[nxt].dep_ in COLON_GAP and doc[nxt].text != ":" and nxt - verb.i < 8 and (
            doc[nxt].dep_ != "dobj" or doc[nxt].head.i == verb.i):
        nxt += 1
    if nxt < len(doc) - 1 and doc[nxt].text == ":":
        start = nxt + 1
        while start < len(doc) - 1 and doc[start].is_space:
            start += 1
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
    sent = tok.sent
    rest = [t for t in doc[max(phrase) + 1:sent.end] if not (t.is_punct or t.is_space)]
    before = [t for t in doc[sent.start:tok.i] if not (t.is_punct or t.is_space)]
    if not rest or not before:
        scope = sent.root  # "A, but B, according to X" and "According to X, A and B": X is the source of it all
    content = [t.i for t in scope.subtree if t.i not in phrase]
    return Candidate(cue=[tok.i, to.i], content=content, source=source, head=tok.i, reading="according",
                     subject=pobj[0] if pobj else None)


def _noun(noun: Token, cue: Cue) -> Candidate | None:
    if cue.stance == "uncertain" and any(c.lower_ == "no" for c in noun.children):
        return None  # "there is no doubt that X" is the author's certainty, not anyone's doubt
    content: list[int] = []
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and _opens_with_that(c):
            content = _subtree(c)
            break
        if c.dep_ == "prep" and noun.lemma_ in OF_CONTENT and (
                c.lower_ in ("of", "about") or c.lower_ in ("over", "for") and cue.cls == "judge"):
            # "reports of X", "criticism over/for X" (what someone is criticised for is what is said of them)
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                content = _subtree(objs[0])
                break
    if not content:
        content = _detached_that_clause(noun)
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


def _detached_that_clause(noun: Token) -> list[int]:
    """The noun's "that" clause where the parse hung it elsewhere: set apart from its noun ("Rumors have been
    rampant that X", the clause on the noun's verb), or right after the noun but cut loose ("claims that a spider
    burrowed", the clause's subject taken for an object)."""
    doc = noun.doc
    # ("The report claimed that X": the noun is who says it, and the clause is the verb's)
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX") and \
            noun.head.lemma_ not in lexicon().verbs:
        for c in noun.head.children:
            if c.dep_ == "ccomp" and c.i > noun.i and _opens_with_that(c):
                return _subtree(c)
    nxt = noun.i + 1
    if nxt < len(doc) and doc[nxt].lower_ == "that" and doc[nxt].dep_ == "mark" and doc[nxt].head.i != noun.i \
            and doc[nxt].head.i > nxt:
        return [nxt] + [t.i for t in doc[nxt].head.subtree if t.i > nxt]
    return []


def _names_the_act(verb: Token, content: list[int]) -> bool:
    """Whether an object is a noun of saying with what it is about hung on the verb beside it ("cast doubt on X")."""
    doc = verb.doc
    nouns = [doc[i] for i in content if doc[i].head.i == verb.i and doc[i].dep_ == "dobj"]
    return bool(nouns) and nouns[0].lemma_ in lexicon().nouns and any(
        c.dep_ == "prep" and c.lower_ in CONTENT_PREPS and c.i > nouns[0].i for c in verb.children)


def _something_said(verb: Token, content: list[int]) -> bool:
    """Whether the object a verb takes is something said: a reporting noun of the lexicon or a thing told
    ("its report that X", "the story")."""
    doc = verb.doc
    return any(doc[i].pos_ == "NOUN" and doc[i].lemma_.lower() in lexicon().nouns.keys() | THINGS_TOLD
               for i in content if doc[i].head.i == verb.i)


def _object_said(verb: Token) -> bool:
    """Whether the verb's object (or passive subject) is something said: a reporting noun of the lexicon or a
    thing told ("recalled his words", "the remarks were recalled")."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return bool(objs) and objs[0].lemma_.lower() in lexicon().nouns.keys() | THINGS_TOLD


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
