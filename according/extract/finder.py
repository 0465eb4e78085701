"""Find the attributions of one parsed Doc: candidates from the tree, kept by the gate, then tied together.

Tying together is what a careful reader does after reading each statement: "Verstka cited sources ...,
suggesting X" is one statement of X by Verstka via the sources; "X suggested A, noting B" is two statements by
X; a statement inside another's content ("Peskov denied [reports that ...]") gets that one as its parent.
"""
from __future__ import annotations

from spacy.tokens import Doc

from according.extract.candidates import Candidate, candidates
from according.extract.gate import features, load_gate
from according.extract.quotes import Quotes
from according.model import Attribution


def find_attributions(doc: Doc, refine=None) -> list[Attribution]:
    """`refine(doc, found, quotes)`, when given, may redraw the source and content of each statement the rules
    found (the learned span model of `according.extract.spans`, the opt-in accurate mode)."""
    kept, quotes = find_candidates(doc)
    if refine is not None:
        refine(doc, kept, quotes)
    return _to_attributions(doc, kept, quotes.mask)


def find_candidates(doc: Doc) -> tuple[list[Candidate], Quotes]:
    """The statements of the Doc as token indices, before they become character spans."""
    quotes = Quotes(doc)
    kept = _best_reading([c for c in candidates(doc, quotes) if _keep(c, doc, quotes.mask)])
    kept = _nested_need_a_reporting_cue(kept)
    _merge_cited(kept, doc)
    _detach_trailing_participles(kept, doc, quotes)
    _detach_contrasted(kept, doc)
    _outer_reporters(kept, doc)
    return kept, quotes


def _keep(c: Candidate, doc: Doc, quoted: list[bool]) -> bool:
    gate = load_gate()
    if gate is None:  # no trained gate (while training one): the lexicons decide
        return c.cue_info is not None or c.reading == "according"
    feats = features(c, doc, quoted)
    c.score = gate.score(feats)
    c.reading_score = gate.reading_score(feats)
    # "reports that X", "reports of X": a reporting noun with its content is always a statement of X; and
    # "Pence: X" in a headline, which the gate never learned (PolNeAR's colon cues hold no word to score)
    return c.score >= gate.threshold or c.reading == "noun" or (
        c.reading == "headline-colon" and _named_or_document(doc, c.source))


def _named_or_document(doc: Doc, source: list[int]) -> bool:
    return any(doc[i].ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or doc[i].lemma_.lower() in (
        "poll", "survey", "study", "report", "analysis", "official", "officials", "source", "sources")
        for i in source)


def _best_reading(kept: list[Candidate]) -> list[Candidate]:
    """One attribution per cue: of the readings of one verb the gate let through, the one it trusts most."""
    best: dict[int, Candidate] = {}
    for c in kept:
        if c.head not in best or c.reading_score > best[c.head].reading_score:
            best[c.head] = c
    return [c for c in kept if best[c.head] is c]


def _nested_need_a_reporting_cue(kept: list[Candidate]) -> list[Candidate]:
    """Inside what someone said, only the words of saying make a statement within it ("denied [reports that
    X]"); an ordinary verb there ("[Putin congratulated Trump]") is the reported event itself."""
    held = [set(c.content) for c in kept]
    return [c for c in kept
            if (c.cue_info is not None and c.reading not in ("prep", "xcomp", "obj-prep")) or c.reading == "according"
            or not any(c.head in h for o, h in zip(kept, held) if o is not c)]


def _merge_cited(found: list[Candidate], doc: Doc) -> None:
    """"Verstka cited sources ..., suggesting that X": one attribution of X to Verstka, via the cited sources."""
    by_head = {f.head: f for f in found}
    for f in list(found):
        if doc[f.head].lemma_ not in ("cite", "quote"):
            continue
        for c in doc[f.head].children:
            partner = by_head.get(c.i)
            if c.dep_ in ("advcl", "conj", "xcomp") and partner is not None and partner is not f:
                partner.cue = sorted(f.cue + partner.cue)
                partner.via = f.content
                partner.source = partner.source or f.source
                partner.hedged = partner.hedged or f.hedged
                found.remove(f)
                break


def _detach_trailing_participles(found: list[Candidate], doc: Doc, quotes: Quotes) -> None:
    """"X suggested that A, noting B": the participle is X's second statement, not part of A. Inside a
    quotation it stays with the quotation: the words are the speaker's, and so is whoever they quote."""
    for f in found:
        verb = doc[f.head]
        if verb.i in quotes.region_of:
            continue
        if verb.tag_ != "VBG" or verb.dep_ != "advcl" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            continue
        outers = [o for o in found if o is not f and f.head in o.content and o.reading != "according"
                  and doc[o.head].pos_ in ("VERB", "AUX")]
        if not outers:
            continue
        drop = {t.i for t in verb.subtree}
        for o in outers:  # "X said he did not think A, citing B": X cites B; B is in neither content
            o.content = [i for i in o.content if i not in drop]
        speaker = max(outers, key=lambda o: len(o.content))
        f.source, f.subject = list(speaker.source), speaker.subject


CONTRAST = frozenset({"while", "whereas", "although", "though", "but", "yet"})


def _detach_contrasted(found: list[Candidate], doc: Doc) -> None:
    """"Some said A while others said B", "X reported A, but Y has not confirmed it": the second statement is
    set against the first, not part of what the first source says."""
    for f in found:
        verb = doc[f.head]
        if not f.source or not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            continue
        if verb.dep_ == "advcl":
            marker = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in CONTRAST), None)
        elif verb.dep_ == "conj":
            marker = next((c for c in verb.head.children if c.dep_ == "cc" and c.lower_ in CONTRAST
                           and verb.head.i < c.i < verb.i), None)
        else:
            marker = None
        if marker is None:
            continue
        drop = {t.i for t in verb.subtree} | {marker.i}
        for o in found:
            if o is not f and f.head in o.content and not set(o.cue) & drop:
                o.content = [i for i in o.content if i not in drop and not (i > marker.i and i < verb.i and doc[i].is_punct)]


def _outer_reporters(found: list[Candidate], doc: Doc) -> None:
    """"X said A, the Planet reported": the Planet reports X's statement, so its content is "X said A" and X's
    is A alone; likewise "According to the Planet, A, sources said". The parse hangs the reporter inside A;
    turn the nesting the right way."""
    turned: set[int] = set()  # ids of the candidates already set the right way round
    for r in found:
        if not r.source or id(r) in turned:
            continue
        if r.reading == "according":
            inner = _according_opens_a_statement(r, found, doc)
            if inner is not None:
                turned.update((id(r), id(inner)))
            continue
        own = set(r.source) | set(r.cue)
        outer = next((o for o in found if o is not r and r.head in o.content and o.source
                      and max(o.cue) < min(own)), None)
        if outer is None or id(outer) in turned:
            continue
        rest = [i for i in outer.content if i not in own]
        words = [i for i in rest if not doc[i].is_punct]
        if not words or any(i > max(own) and not doc[i].is_punct for i in outer.content):
            continue  # r's words must close the outer content
        if doc[min(own) - 1].text not in (",", "—", "-") or not set(r.content) <= set(rest):
            continue
        if len([i for i in r.content if not doc[i].is_punct]) < 0.5 * len(words):
            continue
        outer.content = [i for i in rest if i < min(own)]
        start = min(outer.source + outer.cue)
        r.content = list(range(start, max(outer.content) + 1)) if outer.content else r.content


def _according_opens_a_statement(r: Candidate, found: list[Candidate], doc: Doc) -> Candidate | None:
    """"According to the Planet, A, sources said": the Planet's content is "A, sources said"; returns the
    statement it now holds."""
    own = set(r.source) | set(r.cue)
    outer = next((o for o in found if o is not r and r.head in o.content and o.source
                  and min(o.cue) > max(o.content)), None)
    if outer is None or any(i < min(own) and not doc[i].is_punct for i in outer.content):
        return None
    rest = [i for i in outer.content if i > max(own)]
    if not rest or not set(r.content) <= set(rest) | own:
        return None
    outer.content = [i for i in rest if not (i == rest[0] and doc[i].is_punct)]
    r.content = list(range(min(outer.content), max(outer.source + outer.cue) + 1))
    return outer


def _strip(doc: Doc, idx: list[int]) -> list[int]:
    """Drop punctuation other than quotation marks, and spaces, at either end (unless that is all there is:
    the colon of "Pence: X" is the cue)."""
    idx = sorted(set(idx))
    if all(doc[i].is_punct or doc[i].is_space for i in idx):
        return [i for i in idx if not doc[i].is_space]
    edge = lambda t: t.is_space or (t.is_punct and not t.is_quote)  # noqa: E731
    while idx and edge(doc[idx[0]]):
        idx.pop(0)
    while idx and edge(doc[idx[-1]]):
        idx.pop()
    return idx


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


def _kind(doc: Doc, c: Candidate, quoted: list[bool]) -> str:
    words = [i for i in c.content if not doc[i].is_punct and not doc[i].is_space]
    inside = sum(quoted[i] for i in words)
    if words and inside == len(words):
        return "direct"
    if inside or any(quoted[i] for i in c.cue):
        return "mixed"
    return "indirect"


def _to_attributions(doc: Doc, found: list[Candidate], quoted: list[bool]) -> list[Attribution]:
    found.sort(key=lambda f: (min(f.cue), f.head))
    out = [Attribution(id=f"a{n}", source=_spans(doc, f.source), cue=_spans(doc, f.cue),
                       content=_spans(doc, f.content), stance=f.stance, kind=_kind(doc, f, quoted),
                       hedged=f.hedged, via=_spans(doc, f.via))
           for n, f in enumerate(found, 1)]
    contents = [set(f.content) for f in found]
    # parent: the smallest other attribution whose content holds this one's cue (and not the other way round)
    for a, f in zip(out, found):
        best = None
        for b, g, held in zip(out, found, contents):
            if b is a or not set(f.cue) <= held or set(g.cue) <= set(f.content):
                continue
            if best is None or len(held) < len(best[1]):
                best = (b, held)
        if best:
            a.parent = best[0].id
    return out
