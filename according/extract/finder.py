"""Find the attributions of one parsed Doc: candidates from the tree, kept by the gate, then tied together.

Tying together is what a careful reader does after reading each statement: "Verstka cited sources ...,
suggesting X" is one statement of X by Verstka via the sources; "X suggested A, noting B" is two statements by
X; a statement inside another's content ("Peskov denied [reports that ...]") gets that one as its parent.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from according.extract.candidates import Candidate, candidates, has_subject, is_passive
from according.extract.gate import Gate, features
from according.extract.lexicon import source_nouns, words
from according.extract.quotes import Quotes
from according.model import Attribution


def find_attributions(doc: Doc, gate: Gate | None, refine=None) -> list[Attribution]:
    """`gate` is the attributions component's; None (while training one) leaves the decision to the lexicons.
    `refine(doc, found, quotes)`, when given, may redraw the source and content of each statement the rules found
    (the learned span model of `according.extract.span_tagger`, the opt-in accurate mode)."""
    kept, quotes, held_by = find_candidates(doc, gate)
    # nesting is read off the rules' contents: the tagger bounds each content as PolNeAR does, which annotates
    # nothing nested, and its edges cut through the statements held inside
    parents = _parents(list(doc), kept, held_by)
    if refine is not None:
        refine(doc, kept, quotes)
    return _to_attributions(doc, kept, quotes.mask, parents)


def find_candidates(doc: Doc, gate: Gate | None) -> tuple[list[Candidate], Quotes, dict[int, Candidate]]:
    """The statements of the Doc as token indices, before they become character spans, with the cited sources'
    statements and who holds them (`_merge_cited`)."""
    quotes = Quotes(doc)
    # the passes below look tokens up by index many times: a list gives the same Token each time, where a Doc
    # makes a new one per lookup
    tokens = list(doc)
    kept = _best_reading([c for c in candidates(doc, quotes) if _keep(c, tokens, quotes.mask, gate)])
    kept = _withheld(kept)
    holders = Holders(kept)
    kept = _nested_need_a_reporting_cue(kept, holders)
    held_by = _merge_cited(kept, doc, holders)
    _detach_trailing_participles(kept, doc, quotes, holders)
    _detach_siblings(kept, doc, holders)
    _outer_reporters(kept, tokens, holders)
    _cut_writers_asides(kept, doc, quotes, holders)
    return kept, quotes, held_by


class Holders:
    """Whose contents hold each token, kept up to date as contents change. Tying statements together asks of
    each one which others hold its cue; asking every other one would cost the square of their number, which
    an article with thousands of statements cannot afford."""

    def __init__(self, found: list[Candidate]):
        self.order = {id(c): n for n, c in enumerate(found)}
        self.found = list(found)
        self.at: dict[int, set[int]] = defaultdict(set)  # token -> positions in `found` of the holders
        self.held: dict[int, set[int]] = {}  # id(candidate) -> its content, as a set
        for c in found:
            self._add(c)

    def of(self, i: int) -> list[Candidate]:
        """The statements whose content holds token i, in the order they were found."""
        return [self.found[n] for n in sorted(self.at.get(i, ()))]

    def holds(self, c: Candidate, i: int) -> bool:
        return i in self.held[id(c)]

    def set_content(self, c: Candidate, content: list[int]) -> None:
        self.drop(c)
        c.content = content
        self._add(c)

    def drop(self, c: Candidate) -> None:
        n = self.order[id(c)]
        for i in self.held.pop(id(c), ()):
            self.at[i].discard(n)

    def _add(self, c: Candidate) -> None:
        held = self.held[id(c)] = set(c.content)
        n = self.order[id(c)]
        for i in held:
            self.at[i].add(n)


def _keep(c: Candidate, doc: Sequence[Token], quoted: list[bool], gate: Gate | None) -> bool:
    if gate is None:  # no trained gate (while training one): the lexicons decide
        return c.cue_info is not None or c.reading == "according"
    feats = features(c, doc, quoted)
    c.score = gate.score(feats)
    c.reading_score = gate.reading_score(feats)
    # "reports that X", "reports of X", "reportedly X": a reporting noun with its content, or a hearsay adverb,
    # is always a statement of X; and
    # "Pence: X" in a headline, which the gate never learned (PolNeAR's colon cues hold no word to score); a post
    # embedded under its account's signature ("X — Jane Roe (@jroe) May 1, 2014"), which no parse reads as speech;
    # and a
    # statement withheld or in doubt ("declined to confirm X", "it is unclear whether X"), which PolNeAR rarely
    # annotates and a reader needs most
    # "X is thought to Y", "men believed to be Y": a belief or report about X, unless the gate is sure it is not
    # (PolNeAR's few examples leave it unsure of a reading it rarely saw)
    # "[the officers] are suspected [of fraud]", "[he] was arrested and accused [of theft]" are the same
    raised = c.cue_info is not None and c.score >= RAISED_FLOOR and (
        c.reading == "raised" and c.cue_info.cls in ("say", "think")
        or c.reading == "prep" and c.cue_info.cls in ("judge", "think") and is_passive(doc[c.head]))
    # someone else's speech inside a quotation ("'A clerk called, saying she had read it,' he wrote"): PolNeAR
    # never annotates a statement inside another, so the gate learned nothing of these and the lexicon decides
    quoted_speech = quoted[c.head] and c.cue_info is not None and c.cue_info.cls in ("say", "tell") \
        and c.score >= QUOTED_SPEECH_FLOOR and c.subject is not None and c.subject.lower_ not in ("i", "we", "you")
    return c.score >= gate.threshold or raised or quoted_speech or c.reading in ("noun", "adverb", "post") or (
        c.reading == "headline-colon" and _named_or_document(doc, c.source)) or (
        c.cue_info is not None and (c.withheld_by >= 0 or c.reading == "predicative" and c.stance == "uncertain"
                                    or c.cue_info.lemma in UNVERIFIED and c.stance == "uncertain"
                                    or c.stance in ("uncertain", "deny") and c.score >= DOUBT_FLOOR))


RAISED_FLOOR = 0.2
# a denial or a doubt the lexicon vouches for ("cast doubt on X", "rejected X"): the gate, trained where they are
# rare, is kept from overruling the lexicon unless it is fairly sure
DOUBT_FLOOR = 0.5
QUOTED_SPEECH_FLOOR = 0.45
UNVERIFIED = words()["unverified"]  # "could not confirm X": a claim left unchecked


def _named_or_document(doc: Sequence[Token], source: list[int]) -> bool:
    """Whether the words before a headline's colon name a speaker: a name, a document ("Poll:") or unnamed
    officials or sources ("Officials:"). The phrase's head decides: "Smith's funeral:" names no speaker."""
    held = set(source)
    heads = [doc[i] for i in source if doc[i].head.i not in held or doc[i].head.i == i]
    return any(t.ent_type_ in ("PERSON", "ORG", "NORP") or source_nouns().classes(t.lemma_.lower())
               & {"document", "human", "outlet", "spokesperson", "press", "office"} for t in heads)


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


def _nested_need_a_reporting_cue(kept: list[Candidate], holders: Holders) -> list[Candidate]:
    """Inside what someone said, only the words of saying make a statement within it ("denied [reports that
    X]"); an ordinary verb there ("[Putin congratulated Trump]") is the reported event itself, and so is a state
    of mind ("said [he was unaware of X]") or a hedge ("reported that [X was allegedly sent]"): the speaker's."""
    out = [c for c in kept
           if (c.cue_info is not None and c.reading not in ("prep", "xcomp", "obj-prep", "predicative", "adverb")
               and not _own_reserve(c)) or c.reading == "according"
           or not any(o is not c for o in holders.of(c.head))]
    staying = {id(c) for c in out}
    for c in kept:
        if id(c) not in staying:
            holders.drop(c)
    return out


def _own_reserve(c: Candidate) -> bool:
    """"said he could not confirm X", "said she did not think X", "'I have not been able to verify it,' she said":
    the speaker holding back on X within their own words is part of what they said, not a second statement
    (someone else's doubt, "said some residents questioned X", stays one)."""
    return c.stance == "uncertain" and c.subject is not None and c.subject.tag_ == "PRP"


def _merge_cited(found: list[Candidate], doc: Doc, holders: Holders) -> dict[int, Candidate]:
    """"Verstka cited sources ..., suggesting that X": one attribution of X to Verstka, via the cited sources.
    "The Planet, citing three officials, reported X" and "'X,' he said, citing witnesses": the cited say X too,
    as a statement held by the outer one, with its content; the outer one names them as `via`. Returns the
    statements held that way (by id), with who holds them."""
    by_head = {f.head: f for f in found}
    held_by: dict[int, Candidate] = {}
    for f in list(found):
        verb = doc[f.head]
        if verb.lemma_ not in ("cite", "quote"):
            continue
        partner = next((by_head.get(c.i) for c in verb.children if c.dep_ in ("advcl", "conj", "xcomp")
                        and by_head.get(c.i) not in (None, f)), None)
        if partner is not None:
            partner.cue = sorted(f.cue + partner.cue)
            partner.via = f.content
            partner.source = partner.source or f.source
            partner.hedged = partner.hedged or f.hedged
            found.remove(f)
            holders.drop(f)
            continue
        outer = by_head.get(verb.head.i)
        if outer is None or outer is f:
            # "X, the Ledger reported, citing Y" with "citing" hung on X's verb: the speech clause set in there
            outer = next((g for g in found if g is not f and g.reading == "interjected" and g.head < verb.i
                          and verb.head.i in g.content), None)
        cited = [i for i in f.content if not doc[i].is_punct]
        if (outer is not None and outer is not f and verb.dep_ in ("advcl", "conj", "xcomp") and outer.content
                and cited and doc[f.content[0]].pos_ in ("DET", "NUM", "NOUN", "PROPN", "ADJ", "PRON")
                and not set(f.content) & set(outer.content)):
            outer.via = f.content
            f.source, f.subject = f.content, None
            holders.set_content(f, list(outer.content))
            held_by[id(f)] = outer
    return held_by


def _detach_trailing_participles(found: list[Candidate], doc: Doc, quotes: Quotes, holders: Holders) -> None:
    """"X suggested that A, noting B": the participle is X's second statement, not part of A. Inside a
    quotation it stays with the quotation: the words are the speaker's, and so is whoever they quote."""
    for f in found:
        verb = doc[f.head]
        if verb.i in quotes.region_of:
            continue
        if verb.tag_ != "VBG" or verb.dep_ != "advcl" or has_subject(verb):
            continue
        outers = [o for o in holders.of(f.head) if o is not f and o.reading != "according"
                  and doc[o.head].pos_ in ("VERB", "AUX")]
        if outers:  # "X said he did not think A, citing B": X cites B; B is in neither content
            _leave_outer_contents(f, outers, {t.i for t in verb.subtree}, holders, take_source=True)


def _leave_outer_contents(f: Candidate, outers: list[Candidate], drop: set[int], holders: Holders,
                          take_source: bool) -> None:
    """A statement that is the outer speakers' next one, not part of what they said: its words leave every
    outer content, and it takes the outermost speaker as its own (always, or only when it names none)."""
    for o in outers:
        holders.set_content(o, [i for i in o.content if i not in drop])
    if take_source or not f.source:
        speaker = max(outers, key=lambda o: len(o.content))
        f.source, f.subject = list(speaker.source), speaker.subject


def _cut_writers_asides(found: list[Candidate], doc: Doc, quotes: Quotes, holders: Holders) -> None:
    """"X denied [the report], which named Y" and "X said [the men had fled], raising fears of Y": what the
    writer adds after a comma at the end of an unquoted content (a relative clause on "which" or "who" after a
    thing named or done, a participle with no subject of its own, "despite ...") tells the reader more, and is
    not what was said. A relative clause ending a reported clause may be reported too ("claimed that the men had
    met the mayor, who was allegedly paid"), so it stays."""
    for f in found:
        if not f.content or f.reading in ("according", "post"):  # a post's words are all its author's
            continue
        content = set(f.content)
        last = max((i for i in f.content if not doc[i].is_punct and not doc[i].is_space), default=None)
        if last is None:  # a content of punctuation alone ('he said: "') has no aside to cut
            continue
        reported_clause = any(has_subject(doc[i]) for i in f.content if doc[i].head.i not in content)
        for i in sorted(content):
            t = doc[i]
            comma = t.left_edge.i - 1
            if comma not in content or doc[comma].text != "," or t.head.i not in content or i in quotes.region_of:
                continue
            if t.right_edge.i < last or not all(j in content for j in range(comma, t.right_edge.i + 1)):
                continue
            aside = (t.dep_ == "relcl" and t.left_edge.lower_ in RELATIVE and not reported_clause) or (
                t.dep_ == "advcl" and t.tag_ in ("VBG", "VBN") and not has_subject(t)
                and not any(c.dep_ == "mark" for c in t.children)) or (t.dep_ == "prep" and t.lower_ in CONCESSIVE)
            if aside:
                holders.set_content(f, [j for j in f.content if j < comma])
                break


SIBLING_MARKS = frozenset({"while", "whereas", "although", "though"})
SIBLING_CONJUNCTIONS = frozenset({"but", "yet", "while"})


def _detach_siblings(found: list[Candidate], doc: Doc, holders: Holders) -> None:
    """"Police said A, while the paper reported B", "Officials said A, but the ministry said B" and "Police
    said A, with friends saying B": the second statement has its own speaker and stands beside the first, set
    against it or added to it, not inside what the first one said."""
    for g in found:
        verb = doc[g.head]
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if _speech_coordinated_with_its_speaker(g, doc, holders):
            continue
        if not g.source:
            continue
        clause = verb
        while clause.dep_ not in ("advcl", "prep", "conj", "ROOT") and clause.head.i != clause.i:
            clause = clause.head
        joint = None
        if clause.dep_ == "advcl":
            joint = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ in SIBLING_MARKS), None)
        elif clause.dep_ == "conj" and has_subject(clause):
            joint = next((c for c in clause.head.children if c.dep_ == "cc" and c.lower_ in SIBLING_CONJUNCTIONS
                          and clause.head.i < c.i < clause.i), None)
        elif clause.dep_ == "prep" and clause.lower_ == "with" and doc[clause.i - 1].text == ",":
            joint = clause
        if joint is None:
            continue
        drop = {t.i for t in clause.subtree} | {joint.i}
        for f in holders.of(g.head):
            if f is not g and holders.holds(f, clause.head.i) and not set(f.cue) & drop:
                holders.set_content(f, [i for i in f.content if i not in drop])


def _speech_coordinated_with_its_speaker(g: Candidate, doc: Doc, holders: Holders) -> bool:
    """"The army announced it knew A but said B", "the release claimed A and again claimed B": a verb of speech
    joined to the outer content with no subject of its own is the outer speaker's next statement; it leaves the
    outer content and takes the outer source when it has none. Returns whether it did."""
    verb = doc[g.head]
    if verb.dep_ != "conj" or g.cue_info is None or g.cue_info.cls not in ("say", "tell") or has_subject(verb):
        return False
    outers = [o for o in holders.of(g.head) if o is not g and holders.holds(o, verb.head.i)
              and o.cue_info is not None and doc[o.head].pos_ in ("VERB", "AUX")]
    if not outers:
        return False
    joint = {c.i for c in verb.head.children if c.dep_ == "cc" and verb.head.i < c.i < verb.i}
    _leave_outer_contents(g, outers, {t.i for t in verb.subtree} | joint, holders, take_source=False)
    return True


def _outer_reporters(found: list[Candidate], doc: Sequence[Token], holders: Holders) -> None:
    """"X said A, the Planet reported": the Planet reports X's statement, so its content is "X said A" and X's
    is A alone; likewise "According to the Planet, A, sources said". The parse hangs the reporter inside A;
    turn the nesting the right way."""
    turned: set[int] = set()  # ids of the candidates already set the right way round
    for r in found:
        if not r.source or id(r) in turned:
            continue
        if r.reading == "according":
            inner = _according_opens_a_statement(r, doc, holders)
            if inner is not None:
                turned.update((id(r), id(inner)))
            continue
        own = set(r.source) | set(r.cue)
        outer = next((o for o in holders.of(r.head) if o is not r and o.source and max(o.cue) < min(own)), None)
        if outer is None or id(outer) in turned:
            continue
        if doc[min(own) - 1].text not in (",", "—", "-"):
            continue
        rest = [i for i in outer.content if i not in own]
        words = [i for i in rest if not doc[i].is_punct]
        if not words or any(i > max(own) and not doc[i].is_punct for i in outer.content):
            continue  # r's words must close the outer content
        if not set(r.content) <= set(rest):
            continue
        if len([i for i in r.content if not doc[i].is_punct]) < 0.5 * len(words):
            continue
        holders.set_content(outer, [i for i in rest if i < min(own)])
        start = min(outer.source + outer.cue)
        if outer.content:
            holders.set_content(r, list(range(start, max(outer.content) + 1)))


def _according_opens_a_statement(r: Candidate, doc: Sequence[Token], holders: Holders) -> Candidate | None:
    """"According to the Planet, A, sources said": the Planet's content is "A, sources said"; returns the
    statement it now holds."""
    own = set(r.source) | set(r.cue)
    outer = next((o for o in holders.of(r.head) if o is not r and o.source and min(o.cue) > max(o.content)), None)
    if outer is None or any(i < min(own) and not doc[i].is_punct for i in outer.content):
        return None
    rest = [i for i in outer.content if i > max(own)]
    words = {i for i in r.content if not doc[i].is_punct} - set(outer.source) - set(outer.cue)
    if not rest or not words <= set(rest) | own:
        return None
    holders.set_content(outer, [i for i in rest if not (i == rest[0] and doc[i].is_punct)])
    holders.set_content(r, list(range(min(outer.content), max(outer.source + outer.cue) + 1)))
    return outer


def _strip(doc: Sequence[Token], idx: list[int]) -> list[int]:
    """Drop punctuation other than quotation marks, and spaces, at either end (unless that is all there is:
    the colon of "Pence: X" is the cue)."""
    idx = sorted(set(idx))
    if all(doc[i].is_punct or doc[i].is_space for i in idx):
        return [i for i in idx if not doc[i].is_space]
    edge = lambda t: t.is_space or (t.is_punct and not t.is_quote)  # noqa: E731
    start, end = 0, len(idx)
    while start < end and edge(doc[idx[start]]):
        start += 1
    while end > start and edge(doc[idx[end - 1]]):
        end -= 1
    return idx[start:end]


def _spans(doc: Sequence[Token], idx: list[int]) -> list[tuple[int, int]]:
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


def _kind(doc: Sequence[Token], c: Candidate, quoted: list[bool]) -> str:
    words = [i for i in c.content if not doc[i].is_punct and not doc[i].is_space]
    inside = sum(quoted[i] for i in words)
    if words and inside == len(words):
        return "direct"
    if inside or any(quoted[i] for i in c.cue):
        return "mixed"
    return "indirect"


RELATIVE = frozenset({"which", "who", "whom", "whose"})
CONCESSIVE = frozenset({"despite", "notwithstanding"})


def _writers_aside(tokens: Sequence[Token], f: Candidate) -> bool:
    """A statement the writer sets beside another's words rather than inside them, so it has no parent: one told
    in a relative clause on a noun of the other's content ("a ceasefire, which an official said heralded peace"),
    or one named as what something happened despite ("despite government claims of a truce")."""
    first = tokens[min(f.content)] if f.content else None
    if first is not None and first.lower_ in RELATIVE and first.tag_ in ("WDT", "WP", "WP$"):
        return True
    head = tokens[min(f.cue)]
    prep = head.head if head.dep_ == "pobj" else None
    return prep is not None and (prep.lower_ in CONCESSIVE or (prep.lower_ == "of" and prep.head.lower_ == "spite")
                                 or (prep.lower_ == "to" and prep.head.lower_ == "contrary"))


def _parents(tokens: Sequence[Token], found: list[Candidate], held_by: dict[int, Candidate]) -> dict[int, Candidate]:
    """Each nested statement's parent (by id of the candidate): the smallest other statement whose content holds
    its cue (and not the other way round), or the citer of a cited source."""
    holders = Holders(found)
    present = {id(f) for f in found}
    out: dict[int, Candidate] = {}
    for f in found:
        if id(f) in held_by and id(held_by[id(f)]) in present:  # the cited, saying what their citer says
            out[id(f)] = held_by[id(f)]
            continue
        if _writers_aside(tokens, f):
            continue
        cue, content = set(f.cue), set(f.content)
        best = None
        for g in holders.of(f.cue[0]):
            held = holders.held[id(g)]
            if g is f or not cue <= held or set(g.cue) <= content:
                continue
            if best is None or len(held) < len(best[1]):
                best = (g, held)
        if best:
            out[id(f)] = best[0]
    return out


def _to_attributions(doc: Doc, found: list[Candidate], quoted: list[bool],
                     parents: dict[int, Candidate]) -> list[Attribution]:
    found.sort(key=lambda f: (min(f.cue), f.head))
    tokens = list(doc)
    out = [Attribution(id=f"a{n}", source=_spans(tokens, f.source), cue=_spans(tokens, f.cue),
                       content=_spans(tokens, f.content), stance=f.stance, kind=_kind(tokens, f, quoted),
                       hedged=f.hedged, via=_spans(tokens, f.via))
           for n, f in enumerate(found, 1)]
    ids = {id(f): a.id for a, f in zip(out, found)}
    for a, f in zip(out, found):
        if id(f) in parents:
            a.parent = ids[id(parents[id(f)])]
    return out
