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


def find_attributions(doc: Doc) -> list[Attribution]:
    quotes = Quotes(doc)
    kept = _best_reading([c for c in candidates(doc, quotes) if _keep(c, doc, quotes.mask)])
    kept = _withheld(kept)
    kept = _nested_need_a_reporting_cue(kept)
    _split_sibling_statements(kept, doc)
    _merge_cited(kept, doc)
    _detach_trailing_participles(kept, doc, quotes)
    return _to_attributions(doc, kept, quotes.mask)


def _keep(c: Candidate, doc: Doc, quoted: list[bool]) -> bool:
    gate = load_gate()
    if gate is None:  # no trained gate (while training one): the lexicons decide
        return c.cue_info is not None or c.reading == "according"
    feats = features(c, doc, quoted)
    c.score = gate.score(feats)
    c.reading_score = gate.reading_score(feats)
    # "reports that X", "reports of X", "reportedly X": a reporting noun with its content, or a hearsay adverb,
    # is always a statement of X; and
    # "Pence: X" in a headline, which the gate never learned (PolNeAR's colon cues hold no word to score); and a
    # statement withheld or in doubt ("declined to confirm X", "it is unclear whether X"), which PolNeAR rarely
    # annotates and a reader needs most
    return c.score >= gate.threshold or c.reading in ("noun", "adverb") or (
        c.reading == "headline-colon" and _named_or_document(doc, c.source)) or (
        c.cue_info is not None and (c.withheld_by >= 0 or c.reading == "predicative" and c.stance == "uncertain"))


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


def _withheld(kept: list[Candidate]) -> list[Candidate]:
    """"declined to confirm X" is one uncertain statement of X, read off "confirm": the reading of "declined"
    itself ("[to confirm X]") goes."""
    absorbed = {c.withheld_by for c in kept if c.withheld_by >= 0}
    return [c for c in kept if c.head not in absorbed]


def _split_sibling_statements(found: list[Candidate], doc: Doc) -> None:
    """"Police said A, while the paper reported B" and "Police said A, with friends saying B": the second
    statement has its own speaker and stands beside the first, not inside what the first one said."""
    for g in found:
        verb = doc[g.head]
        if g.cue_info is None or not g.source or verb.pos_ not in ("VERB", "AUX"):
            continue
        clause = verb
        while clause.dep_ not in ("advcl", "prep", "ROOT") and clause.head is not clause:
            clause = clause.head
        if clause.dep_ == "advcl" and not any(c.dep_ == "mark" and c.lower_ in ("while", "whereas")
                                              for c in clause.children):
            continue
        if clause.dep_ == "prep" and (clause.lower_ != "with" or doc[clause.i - 1].text != ","):
            continue
        if clause.dep_ == "ROOT":
            continue
        drop = {t.i for t in clause.subtree}
        for f in found:
            if f is not g and g.head in f.content and clause.head.i in f.content and clause.i > max(f.cue):
                f.content = [i for i in f.content if i not in drop]


def _nested_need_a_reporting_cue(kept: list[Candidate]) -> list[Candidate]:
    """Inside what someone said, only the words of saying make a statement within it ("denied [reports that
    X]"); an ordinary verb there ("[Putin congratulated Trump]") is the reported event itself, and so is a state
    of mind ("said [he was unaware of X]") or a hedge ("reported that [X was allegedly sent]"): the speaker's."""
    held = [set(c.content) for c in kept]
    return [c for c in kept
            if (c.cue_info is not None and c.reading not in ("prep", "xcomp", "obj-prep", "predicative", "adverb"))
            or c.reading == "according" or not any(c.head in h for o, h in zip(kept, held) if o is not c)]


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
        outer = next((o for o in found if o is not f and f.head in o.content and o.reading != "according"
                      and doc[o.head].pos_ in ("VERB", "AUX")), None)
        if outer is None:
            continue
        drop = {t.i for t in verb.subtree}
        outer.content = [i for i in outer.content if i not in drop]
        f.source, f.subject = list(outer.source), outer.subject


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
