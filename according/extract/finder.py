"""Find attributions in a parsed Doc by reading its dependency tree the way a reader reads the sentence.

Each cue (a reporting verb, "according to", a reporting noun, a sourceless adverb) yields one attribution whose
source and content are read off the tree around it; direct quotes left without a speaker are then given the
nearest one. Working state is token indices; character spans are made only at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from according.extract import quotes as quotes_mod
from according.extract.lexicon import Cue, lexicon
from according.model import Attribution

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
AUXES = ("aux", "auxpass", "neg", "prt")
# Verbs that read a noun object as the thing said about ("denied the report", "confirmed the news").
OBJECT_CONTENT = ("deny", "dismiss", "reject", "refute", "dispute", "rebut", "confirm", "report", "announce",
                  "reveal", "disclose", "question", "doubt", "describe", "call", "cite", "acknowledge", "admit",
                  "predict", "tweet", "write", "criticize", "criticise", "praise", "promise", "pledge", "claim",
                  "label", "brand", "characterize", "contradict", "disavow", "allege", "blame", "accuse",
                  "endorse", "tell", "say", "post", "publish", "broadcast", "repeat", "reiterate", "mention")


@dataclass
class Found:
    cue: list[int]
    content: list[int]
    source: list[int] = field(default_factory=list)
    cue_info: Cue | None = None
    stance: str = "assert"
    hedged: bool = False
    via: list[int] = field(default_factory=list)
    head: int = -1  # the cue's head token, for ordering and merging


def find_attributions(doc: Doc) -> list[Attribution]:
    lex = lexicon()
    quotes = Quotes(doc)
    found: list[Found] = []
    for tok in doc:
        pos = tok.pos_
        if pos in ("VERB", "AUX") and tok.lemma_ in lex.verbs:
            f = _verb(tok, lex.verbs[tok.lemma_], quotes)
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            f = _according_to(tok)
        elif pos == "NOUN" and tok.lemma_ in lex.nouns:
            f = _noun(tok, lex.nouns[tok.lemma_])
        elif pos == "ADV" and tok.lower_ in lex.adverbs:
            f = _adverb(tok, lex.adverbs[tok.lower_])
        else:
            continue
        if f is not None and f.content:
            found.append(f)
    _merge_cited(found, doc)
    _detach_trailing_participles(found, doc)
    return _to_attributions(doc, found, quotes.mask)


class Quotes:
    """Quotation regions of a Doc, and the ways a statement's content reaches into them."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.regions = quotes_mod.quote_regions(doc)
        self.mask = quotes_mod.quote_mask(doc, self.regions)
        self.region_of: dict[int, tuple[int, int]] = {}
        for r in self.regions:
            for i in range(*r):
                self.region_of[i] = r

    def expand(self, content: list[int]) -> list[int]:
        """A content that reaches into a quotation takes all of it (the parse often cuts long quotes)."""
        touched = {self.region_of[i] for i in content if i in self.region_of}
        if not touched:
            return content
        out = set(content)
        for s, e in touched:
            out.update(range(s, e))
        return sorted(out)

    def adjacent(self, verb: Token) -> tuple[int, int] | None:
        """A quotation right before the speaker ("“...,” she said") or right after the cue ("said: “...”")."""
        doc = self.doc
        left = min(t.i for t in verb.subtree if t.i <= verb.i)
        i = left - 1
        while i >= 0 and (doc[i].is_punct and doc[i].i not in self.region_of or doc[i].is_space and "\n" not in doc[i].text):
            i -= 1
        if i >= 0 and i in self.region_of and left - i <= 3:
            return self.region_of[i]
        j = verb.i + 1
        while j < len(doc) and doc[j].is_punct and j not in self.region_of and j - verb.i <= 2:
            j += 1
        if j < len(doc) and j in self.region_of and self.region_of[j][0] == j:
            return self.region_of[j]
        return None

    def continuation(self, content: list[int], cue_end: int) -> list[int]:
        """'“A,” he said. “B.”': quotations that follow in the same paragraph continue the same statement."""
        doc = self.doc
        if not content or content[-1] not in self.region_of:
            return []
        sent_end = doc[cue_end].sent.end
        if sent_end - 1 > cue_end + 8:
            return []
        extra: list[int] = []
        i = sent_end
        while i < len(doc) and not (doc[i].is_space and "\n" in doc[i].text):
            if doc[i].is_space:
                i += 1
                continue
            r = self.region_of.get(i)
            if r is None or r[0] != i:
                break
            extra.extend(range(*r))
            i = r[1]
            while i < len(doc) and doc[i].is_punct and i not in self.region_of:
                i += 1
        return extra


def _subtree(tok: Token, exclude: set[int] = frozenset()) -> list[int]:
    return [t.i for t in tok.subtree if t.i not in exclude]


def _strip(doc: Doc, idx: list[int]) -> list[int]:
    """Drop punctuation and spaces at either end (scored spans are words; the reader's eye skips them)."""
    idx = sorted(idx)
    while idx and (doc[idx[0]].is_punct and not doc[idx[0]].is_quote or doc[idx[0]].is_space):
        idx.pop(0)
    while idx and (doc[idx[-1]].is_punct and not doc[idx[-1]].is_quote or doc[idx[-1]].is_space):
        idx.pop()
    return idx


def _cue_tokens(verb: Token) -> list[int]:
    return sorted([verb.i] + [c.i for c in verb.children if c.dep_ in AUXES])


def _subject(verb: Token) -> Token | None:
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
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
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


def _verb(verb: Token, cue: Cue, quotes: "Quotes") -> Found | None:
    doc = verb.doc
    children = list(verb.children)
    comps = [c for c in children if c.dep_ == "ccomp"]
    content: list[int] = []
    if comps:
        for c in comps:
            content += _subtree(c)
    else:
        xcomps = [c for c in children if c.dep_ == "xcomp"]
        objs = [c for c in children if c.dep_ in ("dobj", "attr") and c.pos_ in ("NOUN", "PROPN", "PRON")]
        if xcomps and cue.lemma not in ("call", "describe", "label", "brand", "characterize"):
            content = _subtree(xcomps[0])
        elif objs and cue.lemma in OBJECT_CONTENT:
            content = _subtree(objs[0])
        elif _is_interjected(verb):
            # "The plan will fail, the minister said" and "But, he said, they should wait": the clause around.
            own = {t.i for t in verb.subtree}
            content = [t.i for t in verb.head.subtree if t.i not in own]
        else:
            region = quotes.adjacent(verb)
            if region:
                content = list(range(*region))
            else:
                content = _colon_quote(verb)
    if not content:
        return None
    content = quotes.expand(content)
    content += quotes.continuation(content, verb.i)
    cue_idx = _cue_tokens(verb)
    stance, hedged = cue.stance, cue.hedged
    if cue.lemma in ("describe", "call", "label", "brand", "characterize", "dismiss"):
        as_phrase = _as_predicate(verb)
        if as_phrase:
            cue_idx += as_phrase
            if any(doc[i].lower_ in lexicon().denial_words for i in as_phrase):
                stance = "deny"
        content = [i for i in content if i not in set(as_phrase)]
    if any(c.dep_ == "neg" for c in children):
        stance = "uncertain"
    exclude = set(content) | set(cue_idx)
    source = _source_tokens(_subject(verb), exclude)
    if verb.dep_ == "advcl" and verb.head.i < verb.i and not any(c.dep_ in SUBJECTS for c in children):
        pass
    return Found(cue=cue_idx, content=content, source=source, cue_info=cue, stance=stance, hedged=hedged,
                 head=verb.i)


def _is_interjected(verb: Token) -> bool:
    """"..., the minister said." and ", he said, ": a speech clause set off by a comma after what was said."""
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or verb.head.i > verb.i or not _has_subject(verb):
        return False
    before = verb.left_edge.i - 1
    return before >= 0 and verb.doc[before].text in (",", "--", "—", "–")


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _as_predicate(verb: Token) -> list[int]:
    """`as "inaccurate"` in "described the claim as inaccurate", or the bare predicate of "called it fake"."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            return [t.i for t in c.subtree]
        if c.dep_ in ("oprd", "xcomp") and c.pos_ in ("ADJ", "NOUN"):
            return [t.i for t in c.subtree]
    return []


def _colon_quote(verb: Token) -> list[int]:
    """'He said: "..."': the quote after the colon is the content."""
    doc = verb.doc
    nxt = verb.i + 1
    while nxt < len(doc) and doc[nxt].dep_ in ("prep", "pobj", "det", "amod") and nxt - verb.i < 6:
        nxt += 1
    if nxt < len(doc) - 1 and doc[nxt].text == ":":
        start = nxt + 1
        sent_end = doc[start].sent.end
        return list(range(start, sent_end))
    return []


def _according_to(tok: Token) -> Found | None:
    doc = tok.doc
    to = doc[tok.i + 1]
    pobj = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    source = _subtree(pobj[0]) if pobj else []
    phrase = {tok.i, to.i} | set(source)
    sent = tok.sent
    head = tok.head
    while head.dep_ not in ("ROOT",) and head.head is not head and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    scope = head if head.i != tok.i else sent.root
    content = [t.i for t in scope.subtree if t.i not in phrase]
    return Found(cue=[tok.i, to.i], content=content, source=source, head=tok.i)


def _noun(noun: Token, cue: Cue) -> Found | None:
    content: list[int] = []
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
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
    for c in noun.children:
        if c.dep_ == "poss":
            source = _subtree(c)
            source = [i for i in source if noun.doc[i].dep_ != "case"]
        elif c.dep_ == "prep" and c.lower_ == "by":
            source = [t.i for g in c.children if g.dep_ == "pobj" for t in g.subtree]
    return Found(cue=[noun.i], content=content, source=source, cue_info=cue, stance=cue.stance,
                 hedged=cue.hedged, head=noun.i)


def _adverb(adv: Token, cue: Cue) -> Found | None:
    head = adv.head
    if head is adv:
        return None
    content = [t.i for t in head.subtree if t.i != adv.i]
    return Found(cue=[adv.i], content=content, source=[], cue_info=cue, stance=cue.stance, hedged=True,
                 head=adv.i)


def _merge_cited(found: list[Found], doc: Doc) -> None:
    """"Verstka cited sources ..., suggesting that X": one attribution of X to Verstka, via the cited sources."""
    by_head = {f.head: f for f in found}
    for f in list(found):
        if f.cue_info is None or f.cue_info.lemma not in ("cite", "quote"):
            continue
        verb = doc[f.head]
        for c in verb.children:
            partner = by_head.get(c.i)
            if c.dep_ in ("advcl", "conj", "xcomp") and partner is not None and partner is not f:
                partner.cue = sorted(f.cue + partner.cue)
                partner.via = f.content
                partner.source = partner.source or f.source
                partner.hedged = partner.hedged or f.hedged
                found.remove(f)
                break


def _detach_trailing_participles(found: list[Found], doc: Doc) -> None:
    """"X suggested that A, noting B": the participle is X's second statement, not part of A."""
    by_head = {f.head: f for f in found}
    for f in found:
        verb = doc[f.head]
        if verb.tag_ != "VBG" or verb.dep_ != "advcl" or _has_subject(verb):
            continue
        outer = next((o for o in found if o is not f and o.head != f.head and f.head in o.content
                      and o.cue_info is not None and o.cue_info.pos == "verb"), None)
        if outer is None or f.source:
            continue
        drop = {t.i for t in verb.subtree}
        outer.content = [i for i in outer.content if i not in drop]
        f.source = list(outer.source)
    del by_head


def _spans(doc: Doc, idx: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive tokens as character spans."""
    spans: list[list[int]] = []
    last = None
    for i in _strip(doc, idx):
        tok = doc[i]
        if last is not None and i == last + 1:
            spans[-1][1] = tok.idx + len(tok.text)
        else:
            spans.append([tok.idx, tok.idx + len(tok.text)])
        last = i
    return [(s, e) for s, e in spans]


def _kind(doc: Doc, content: list[int], cue: list[int], quoted: list[bool]) -> str:
    words = [i for i in content if not doc[i].is_punct and not doc[i].is_space]
    if not words:
        return "indirect"
    inside = sum(quoted[i] for i in words)
    if inside == len(words):
        return "direct"
    if inside or any(quoted[i] for i in cue):
        return "mixed"
    return "indirect"


def _to_attributions(doc: Doc, found: list[Found], quoted: list[bool]) -> list[Attribution]:
    found.sort(key=lambda f: (min(f.cue), f.head))
    out: list[Attribution] = []
    contents = []
    for n, f in enumerate(found, 1):
        out.append(Attribution(
            id=f"a{n}", source=_spans(doc, f.source), cue=_spans(doc, f.cue), content=_spans(doc, f.content),
            stance=f.stance, kind=_kind(doc, f.content, f.cue, quoted), hedged=f.hedged,
            via=_spans(doc, f.via)))
        contents.append(set(f.content))
    # parent: the smallest other attribution whose content holds this one's cue
    for a, f in zip(out, found):
        best = None
        for b, g, cset in zip(out, found, contents):
            if b is a or not set(f.cue) <= cset or set(g.cue) <= set(f.content):
                continue
            if best is None or len(cset) < len(best[1]):
                best = (b, cset)
        if best:
            a.parent = best[0].id
    return out
