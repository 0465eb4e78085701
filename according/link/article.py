"""The claims of one article and each source's position toward them, from its attributions alone.

A reader groups what the sources say by what it is about: Peskov's denial of "reports that Putin congratulated
Trump", his calling "the claim" inaccurate and Verstka's report that Putin "had sent informal congratulations"
are positions on one claim. Contents are grouped by their shared content words; a content that only points back
("the claim", "the notion", "the reports") joins the claim last spoken of. A source whose statement holds
another's ("Caliber.Az reports [Peskov described the claim as inaccurate]") relays it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from spacy.lang.en.stop_words import STOP_WORDS

from according.extract.lexicon import lexicon, source_nouns
from according.link.stance import stance_words
from according.link.status import Ledger, Step
from according.model import Analysis, Attribution, Claim
from according.model import Position as ClaimPosition

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
STOP = frozenset(STOP_WORDS)
DEMONSTRATIVES = frozenset({"the", "this", "that", "these", "those", "such"})
PERSONAL = frozenset({"i", "we", "he", "she", "they", "it"})
POSSESSIVES = frozenset({"its", "his", "her", "their", "our", "my", "your"})
BE_OR_NOT = frozenset({"was", "were", "is", "are", "am", "had", "been", "has", "have", "not", "never", "still", "n't",
                       "did", "does", "do", "remained", "remains"})


def _noun_of_saying(word: str) -> bool:
    """A word that names something said: a reporting noun of the lexicon ("claims", "the notion"), in any number."""
    nouns = lexicon().nouns
    return word in nouns or (word.endswith("s") and word[:-1] in nouns) or word in ("story", "stories", "idea")


def _pointer_word(word: str) -> bool:
    return _noun_of_saying(word) or word in ("it", "this", "that")


def stems(text: str) -> frozenset[str]:
    """Content words cut to a short stem, so "congratulated" and "congratulations" (and "offered" and "offer") meet."""
    return frozenset(w[:5] for w in (m.lower() for m in WORD.findall(text)) if w not in STOP and len(w) > 2)


@dataclass
class Position:
    attribution: Attribution
    role: str  # assert, deny, uncertain, relay


@dataclass
class ArticleClaim:
    text: str
    positions: list[Position] = field(default_factory=list)
    words: frozenset[str] = frozenset()
    weak: bool = False  # worded by the headline or a sourceless "reportedly", until a source words it in full
    negated: bool = False  # worded so far only in the negative ("there is no sale")
    pointer: bool = False  # only pointed at ("Acme denies report"), nothing said before it to point back to

    def steps(self, analysis: Analysis) -> list[tuple["Position", Step]]:
        """Its positions in reading order, each as the status ledger counts it."""
        ordered = sorted(self.positions, key=lambda p: p.attribution.cue[0][0] if p.attribution.cue else 0)
        return [(p, step(analysis, p.attribution, STANCE_OF_ROLE[p.role], [self.text])) for p in ordered]

    def status(self, analysis: Analysis, steps: list[tuple["Position", Step]] | None = None) -> str:
        """The claim's status in this article (`according.link.status`), its positions counted in reading order."""
        ledger = Ledger()
        for _, s in steps if steps is not None else self.steps(analysis):
            ledger.add(s)
        return ledger.status


# a relayed position or a mention carries the claim as someone else's
STANCE_OF_ROLE = {"assert": "assert", "deny": "deny", "uncertain": "uncertain", "relay": "report", "mention": "report"}


def parties(analysis: Analysis, a: Attribution) -> frozenset[str]:
    """Who stands behind a statement, case-folded: its source's entity (or words, when named but unresolved), and
    the organisations its role names ("Kremlin spokesperson" speaks for the Kremlin)."""
    if not a.source or a.anonymous:
        return frozenset()
    name = a.source_entity or analysis.text_of(a.source)
    found = {name.casefold()}
    entity = next((e for e in analysis.entities if e.name == a.source_entity), None)
    if entity is not None and entity.role:
        role = entity.role.casefold()
        named = {e.name.casefold() for e in analysis.entities
                 if e.label in ("ORG", "GPE", "OUTLET") and re.search(rf"\b{re.escape(e.name.casefold())}\b", role)}
        if not named and any(source_nouns().classes(w) & {"spokesperson", "leader"} for w in re.findall(r"\w+", role)):
            # "chief executive Jane Roe", "spokeswoman Ann Lee" in a story about Acme: the body they head or
            # speak for is the organisation the article is about
            named = _main_body(analysis)
        found |= named
    return frozenset(found)


def _main_body(analysis: Analysis) -> set[str]:
    """The organisation an article names first (in its headline or lead, as news names what it is about): whose
    people its roles without a body are."""
    bodies = [(min(s for s, _ in e.mentions), e.name.casefold()) for e in analysis.entities
              if e.label == "ORG" and e.mentions]
    return {min(bodies)[1]} if bodies else set()


def about(names: frozenset[str], texts: list[str]) -> bool:
    """Whether a claim, in any of its wordings, names one of these parties (a person by surname: `surnames`)."""
    wording = " ".join(texts).casefold()
    return any(n and n in wording and re.search(rf"\b{re.escape(n)}\b", wording) for n in names)


def surnames(analysis: Analysis, names: frozenset[str]) -> frozenset[str]:
    """The names, with each person's last name beside the full one: a claim speaks of "Smith", not "Jane Smith"."""
    people = {e.name.casefold() for e in analysis.entities if e.label == "PERSON"}
    return names | {n.split()[-1] for n in names if n in people and " " in n}


def step(analysis: Analysis, a: Attribution, stance: str, texts: list[str]) -> Step:
    """One statement's position on a claim worded as `texts`, as the status ledger counts it."""
    # a statement only someone off the record says was made ("Report: Lee plans a run", "the CEO told staff X,
    # people familiar with the meeting said") has no one on the record behind it: Lee said nothing we can see
    carried = _carriers(analysis, a)
    if any(not own_record(analysis, c) for c in carried):
        return Step(stance, on_record=False)
    who = parties(analysis, a)
    return Step(stance, on_record=own_record(analysis, a), parties=who, about=about(surnames(analysis, who), texts))


def own_record(analysis: Analysis, a: Attribution) -> bool:
    """Whether a statement's source is on the record: a named source (resolved to a name, not "the report" or
    "a spokesman") citing no unnamed ones."""
    return bool(a.source_entity) and not anonymous_support(analysis, a)


def _carriers(analysis: Analysis, a: Attribution) -> list[Attribution]:
    """The statements whose content holds this one, innermost first."""
    by_id = {x.id: x for x in analysis.attributions}
    out: list[Attribution] = []
    parent = by_id.get(a.parent) if a.parent else None
    while parent is not None and parent not in out:
        out.append(parent)
        parent = by_id.get(parent.parent) if parent.parent else None
    return out


def link_article(analysis: Analysis) -> list[Claim]:
    """The article's claims as data: ids c1, c2... in order of first mention, each with its positions in
    reading order, carrying what a corpus timeline needs without the article (`according.link.status.Step`)."""
    claims = []
    for n, c in enumerate(claims_of(analysis), 1):
        steps = c.steps(analysis)
        positions = [ClaimPosition(p.attribution.id, s.stance, s.on_record, sorted(surnames(analysis, s.parties)))
                     for p, s in steps]
        claims.append(Claim(id=f"c{n}", text=c.text, status=c.status(analysis, steps), positions=positions))
    return claims


WORD = re.compile(r"[\w']+")
NEGATIONS = frozenset({"no", "not", "never", "n't", "nothing", "none", "neither", "nor"})
FLIPPED = {"assert": "deny", "deny": "assert"}


@lru_cache(maxsize=8192)  # a timeline asks of each wording several times
def negated(text: str) -> bool:
    """Whether a content says its proposition is not so: a negation among its first words ("there is no sale",
    "the firm had not agreed to..."), where the main clause's verb usually sits."""
    first = [m.group().lower() for m in islice(WORD.finditer(text), 6)]
    return any(w in NEGATIONS or w.endswith("n't") for w in first)


def _claim_text(analysis: Analysis, a: Attribution) -> str:
    text = analysis.text_of(a.content).strip().strip('"“”').strip()
    return re.sub(r"^(that|whether|if)\s+", "", text, flags=re.I)


def _weak(analysis: Analysis, a: Attribution) -> bool:
    first_break = analysis.text.find("\n")
    in_title = bool(a.content) and 0 <= a.content[0][0] < first_break and "title" not in analysis.meta
    # "allegedly", "reportedly": the adverb hangs on a clause that someone else's statement usually words whole
    sourceless_adverb = not a.source and analysis.text_of(a.cue).lower() in lexicon().adverbs
    return in_title or sourceless_adverb


def _pointer_head(text: str) -> bool:
    """"the reports of a sale": a content headed by a noun of saying talks about what was said, and takes no
    side on it."""
    words = [w.lower() for w in WORD.findall(text)[:2]]
    if words and words[0] in DEMONSTRATIVES:
        words = words[1:]
    return bool(words) and _noun_of_saying(words[0])


def _own_attitude(text: str) -> tuple[str, str] | None:
    """"He was unaware of any plans to X", "she was not sure that X": the speaker's own state of knowledge, so
    the statement is a position on X with that state's stance (the lexicon's adjectives, turned by "not")."""
    words = [(m.group().lower(), m.end()) for m in re.finditer(r"[\w']+", text)]
    if not words or words[0][0] not in PERSONAL:
        return None
    negated = False
    for n, (word, end) in enumerate(words[1:5], 1):
        if word in ("not", "never", "n't"):
            negated = True
        cue = lexicon().adjectives.get(word)
        if cue is not None:
            rest = re.sub(r"^\s*(?:of|about|that|whether|if)\s+(?:any\s+)?", "", text[end:], flags=re.I).strip()
            stance = "uncertain" if negated and cue.stance == "assert" else cue.stance
            return (stance, rest) if rest and stance != "assert" else None
        if word not in BE_OR_NOT:
            return None
    return None


def anonymous_support(analysis: Analysis, a: Attribution) -> bool:
    """Whether the statement rests on unnamed people: an anonymous or absent source, people the article does not
    name even when they speak for a body it names ("two government officials", "Acme engineers"), or a source
    citing unnamed people."""
    if a.anonymous or not a.source:
        return True
    person = any(e.name == a.source_entity and e.label == "PERSON" for e in analysis.entities)
    return (not person and _unnamed_people(analysis.text_of(a.source))) or cites_unnamed(analysis, a)


def cites_unnamed(analysis: Analysis, a: Attribution) -> bool:
    """Whether those a statement cites are unnamed people: read as a statement of their own, or words for
    unnamed people (the source-noun lexicon) among those it cites, with no person's name."""
    if any(k.parent == a.id and k.content == a.content and k.anonymous for k in analysis.attributions):
        return True
    cited = analysis.text_of(a.via)
    return _unnamed_people(cited) and not any(e.name in cited for e in analysis.entities if e.label == "PERSON")


def _unnamed_people(text: str) -> bool:
    """Whether words for people the text does not name ("officials", "a source", "people familiar") are in it."""
    nouns = source_nouns()
    return any("human" in nouns.classes(w) or "human" in nouns.classes(w.rstrip("s"))
               for w in WORD.findall(text.lower()))


COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "remains", "remained"})


def _judgement(text: str) -> str | None:
    """"The report was false", "the claims are pure speculation", "recall reports are untrue", "its report that
    X was wrong": a verdict on what was said, which denies it when the lexicon's denial words say so within the
    few words after the verb."""
    words = [w.lower() for w in WORD.findall(text)]
    i = 1 if words and (words[0] in DEMONSTRATIVES or words[0] in POSSESSIVES) else 0
    # the noun of saying may follow a word or two saying what about ("the sale reports were false")
    for n in range(i, min(i + 3, len(words) - 1)):
        if not _noun_of_saying(words[n]):
            continue
        if words[n + 1] in COPULAS:
            verdict = words[n + 2:n + 6]
        elif words[n + 1] == "that":  # the report's own clause comes first: "its report that X was wrong"
            tail = words[-5:]
            verdict = next((tail[k + 1:] for k in range(len(tail) - 1) if tail[k] in COPULAS), [])
        else:
            continue
        return "deny" if any(w in lexicon().denial_words for w in verdict) else None
    return "deny" if _no_truth_to(words) else None


GROUNDS_PREPS = frozenset({"to", "in", "for", "behind"})


def _no_truth_to(words: list[str]) -> bool:
    """"There was no truth to reports that X", "no basis for the claims": truth or grounds denied to what was
    said, the verdict ahead of the noun of saying (the lexicon's veracity words, negated)."""
    vocab = stance_words()
    for k, word in enumerate(words[:6]):
        if word in vocab["veracity"] and any(w in vocab["negation"] for w in words[max(0, k - 2):k]) \
                and k + 1 < len(words) and words[k + 1] in GROUNDS_PREPS:
            # a word or two may say what about: "no truth to the sale reports"
            rest = [w for w in words[k + 2:k + 6] if w not in DEMONSTRATIVES and w not in POSSESSIVES]
            return any(_noun_of_saying(w) for w in rest[:3])
    return False


def is_pointer(text: str) -> bool:
    """Whether a claim's wording only points at something said ("the report", "these claims")."""
    words = [w.lower() for w in WORD.findall(text)]
    return 0 < len(words) <= 3 and _pointer_word(words[-1])


def claims_of(analysis: Analysis, threshold: float = 0.5) -> list[ArticleClaim]:
    claims: list[ArticleClaim] = []
    claim_of: dict[str, ArticleClaim] = {}
    kids: dict[str, list[Attribution]] = {}
    for a in analysis.attributions:
        if a.parent:
            kids.setdefault(a.parent, []).append(a)
    start = lambda a: a.content[0][0] if a.content else 0  # noqa: E731
    # what is said first, then who passes it on: an outer statement's claim is usually its inner one's
    for a in sorted(analysis.attributions, key=lambda a: (a.id in kids, start(a))):
        inner = next((k for k in kids.get(a.id, []) if k.id in claim_of), None)
        if inner is not None and _reports_of(analysis, inner):
            # "denied reports that X": a position on X itself; "said its report that X was wrong", a denial of X
            claim_of[a.id] = claim = claim_of[inner.id]
            judged = _judgement(_claim_text(analysis, a)) if a.stance == "assert" else None
            claim.positions.append(Position(a, judged or a.stance))
            continue
        if inner is not None and inner.source and a.stance == "assert" and inner.content != a.content:
            # "Caliber.Az reports [Peskov called the claim inaccurate]": passes Peskov's position on
            claim_of[a.id] = claim = claim_of[inner.id]
            claim.positions.append(Position(a, "relay"))
            continue
        text = _claim_text(analysis, a)
        stance = a.stance
        attitude = _own_attitude(text) if a.stance == "assert" else None
        if attitude is not None:
            # "stating he was unaware of any plans to X": the speaker's position on X is doubt
            stance, text = attitude
        judged = _judgement(text) if a.stance == "assert" else None
        if judged is not None:
            # "the report was false": a denial of what the report said
            stance = judged
        if judged is not None or is_pointer(text):
            claim = _pointed_to(analysis, a, claims, start)
        else:
            words = stems(text)
            claim = _best(claims, words, threshold)
            if claim is None:
                claim = ArticleClaim(text=text, words=words, weak=_weak(analysis, a), negated=negated(text))
                claims.append(claim)
            else:
                claim.words = claim.words | words
                if claim.negated and not negated(text):
                    # worded in the negative first ("there is no sale"): the claim is the positive one, and
                    # asserting its negation was denying it
                    claim.text, claim.negated, claim.weak = text, False, _weak(analysis, a)
                    for p in claim.positions:
                        p.role = FLIPPED.get(p.role, p.role)
                elif claim.weak and not _weak(analysis, a):
                    claim.text, claim.weak = text, False
            if negated(text) and not claim.negated:
                stance = FLIPPED.get(stance, stance)
        claim_of[a.id] = claim
        mentions = stance == "assert" and _pointer_head(text)
        claim.positions.append(Position(a, "mention" if mentions else stance))
    _resolve_forward_pointers(analysis, claims)
    _attach_answers(analysis, claims)
    return [c for c in claims if c.positions]


def _who(analysis: Analysis, p: Position) -> str:
    return (p.attribution.source_entity or analysis.text_of(p.attribution.source)).casefold()


def _same_source(a: str, b: str) -> bool:
    """"Norvale" in a headline is "Norvale Shipping" in the body."""
    return bool(a and b) and (a == b or a.startswith(b + " ") or b.startswith(a + " "))


def _resolve_forward_pointers(analysis: Analysis, claims: list[ArticleClaim]) -> None:
    """"Acme denies report" over "Acme denied that it would sell the line": a headline points at what the body
    then words. A claim only pointed at, with nothing before it, joins the first later claim on which the same
    source takes the same position."""
    for claim in [c for c in claims if c.pointer]:
        later = claims[claims.index(claim) + 1:]
        target = next((c for c in later if not c.pointer and any(
            p.role == q.role and _same_source(_who(analysis, p), _who(analysis, q))
            for p in c.positions for q in claim.positions)), None)
        if target is not None:
            target.positions[:0] = claim.positions
            claim.positions = []


def _attach_answers(analysis: Analysis, claims: list[ArticleClaim]) -> None:
    """"Acme denied that it would sell the line. 'Nothing is for sale,' a spokeswoman said": a statement worded
    in the negative, matching no claim of its own, by a source that denies a claim of this article, backs that
    denial up. It joins the claim its source denies (the nearest one in the text) as one more denial."""
    def at(p: Position) -> int:
        return p.attribution.cue[0][0] if p.attribution.cue else 0

    for claim in [c for c in claims if c.negated]:
        for p in [p for p in claim.positions if p.role == "assert"]:
            denied = [(abs(at(q) - at(p)), c) for c in claims if c is not claim and not c.negated
                      for q in c.positions if q.role == "deny" and _same_source(_who(analysis, p), _who(analysis, q))]
            if denied:
                target = min(denied, key=lambda d: d[0])[1]
                claim.positions.remove(p)
                target.positions.append(Position(p.attribution, "deny"))


OPEN_QUESTION = re.compile(r"\b(?:whether|if)\s+(.+?)(?:,|;|$)", re.I | re.S)


def _pointed_to(analysis: Analysis, a: Attribution, claims: list[ArticleClaim], start) -> ArticleClaim:
    """What "the claim" or "the notion" points back to: a proposition left open earlier in the same sentence
    ("Asked if X, he dismissed the notion", "On whether X, she rejected the idea"), else the claim last spoken of
    before it."""
    text = analysis.text
    sentence_start = max(text.rfind(". ", 0, start(a)), text.rfind("\n", 0, start(a))) + 1
    asked = OPEN_QUESTION.search(text, sentence_start, start(a))
    if asked:
        claim = ArticleClaim(text=asked.group(1).strip(), words=stems(asked.group(1)))
        claims.append(claim)
        return claim
    before = [(max(start(p.attribution) for p in c.positions if start(p.attribution) < start(a)), n)
              for n, c in enumerate(claims) if any(start(p.attribution) < start(a) for p in c.positions)]
    if before:
        return claims[max(before)[1]]
    claim = ArticleClaim(text=_claim_text(analysis, a), pointer=True)
    claims.append(claim)
    return claim


def _reports_of(analysis: Analysis, inner: Attribution) -> bool:
    """Whether a statement is a noun of saying ("reports that X"): whoever takes a side on it takes it on X."""
    words = WORD.findall(analysis.text_of(inner.cue).lower())
    return bool(words) and _noun_of_saying(words[-1])


def _best(claims: list[ArticleClaim], words: frozenset[str], threshold: float) -> ArticleClaim | None:
    best, best_score = None, threshold
    for c in claims:
        if not words or not c.words:
            continue
        shared = len(words & c.words)
        smaller = min(len(words), len(c.words))
        # a content of a word or two ("Trump's victory") is the same claim only if it is most of the other
        score = shared / (smaller if smaller >= 3 else max(len(words), len(c.words)))
        # within one article, three shared content words (names, the act) already mark the same claim
        if score >= best_score or (shared >= 3 and score >= 0.25 and best is None):
            best, best_score = c, score
    return best
