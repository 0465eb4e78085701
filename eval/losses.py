"""Where a gold set's relation points are lost: each missed gold statement by cause, recall by cue class, and what
the spurious statements are.

    python eval/losses.py [polnear-dev | newsdev] [--shared ../shared] [--accurate]

A missed statement is one no predicted statement matches (the shared scorer's relation: content Dice >= 0.5 and a
shared cue word; for PolNeAR, predictions with a parent are left out, as `score.py --outermost` does). Its cause:
- `no word in cue`: the gold cue holds no word (PolNeAR's colon cues), so no prediction can match it;
- `content off`: a prediction shares its cue, but its content is drawn too differently;
- `nested`: found, but inside another statement found (PolNeAR annotates nothing nested);
- `no candidate`: no reading of the parse (`candidates.py`) has a word of its cue;
- `gate rejected, right reading` / `wrong reading`: a candidate has its cue, the gate said no, and some candidate
  (or none) had a content that would have matched;
- `kept, then dropped`: the gate scored it over its threshold and tying statements together (`finder.py`)
  removed it.
Cue classes are the lexicon's (`lexicons/cues.tsv`) for the gold cue's head word. Tune on dev sets only.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from misses import load_scorer  # noqa: E402

SETS = {"polnear-dev": ("data/polnear/dev", True), "newsdev": ("data/newsdev/dev", False)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", nargs="?", default="polnear-dev", choices=list(SETS))
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--accurate", action="store_true")
    args = ap.parse_args()
    sc = load_scorer(args.shared)
    stem, outermost = SETS[args.set]
    docs = sc.read_jsonl(args.shared / f"{stem}.docs.jsonl")
    gold = sc.read_jsonl(args.shared / f"{stem}.gold.jsonl")

    from according.extract.extractor import DEFAULT_MODEL, build_pipeline
    from according.extract.finder import find_attributions

    nlp = build_pipeline(DEFAULT_MODEL, args.accurate)
    finder = nlp.get_pipe("according_attributions")
    causes, spurious, found, total = Counter(), Counter(), Counter(), Counter()
    with nlp.select_pipes(disable=["according_attributions", "according_speakers"]):
        parsed = nlp.pipe((docs[key]["text"] for key in docs), batch_size=8)
        for n, (key, doc) in enumerate(zip(docs, parsed), 1):
            attributions = find_attributions(doc, finder.gate, finder.refine)
            tally(sc, doc, docs[key]["text"], gold.get(key, {}).get("attributions", []), attributions, finder.gate,
                  outermost, causes, spurious, found, total)
            if n % 20 == 0:
                print(f"losses: {n}/{len(docs)} documents", file=sys.stderr)
    missed = sum(causes.values())
    print(f"{args.set}: {sum(total.values())} gold statements, {missed} missed")
    for cause, k in causes.most_common():
        print(f"  {k:5d}  {cause}")
    print("recall by the gold cue's lexicon class (statements, recall):")
    for cls, k in total.most_common():
        print(f"  {k:5d}  {found[cls] / k:.2f}  {cls}")
    print(f"spurious: {sum(spurious.values())}")
    for kind, k in spurious.most_common():
        print(f"  {k:5d}  {kind}")


def tally(sc, doc, text, gold, attributions, gate, outermost, causes, spurious, found, total) -> None:
    from according.extract.candidates import candidates
    from according.extract.gate import features
    from according.extract.lexicon import lexicon
    from according.extract.quotes import Quotes

    words = sc.token_index(text)
    pred = [a for a in attributions if not (outermost and a.parent)]
    nested = [a for a in attributions if outermost and a.parent]
    gs = [{r: sc.tokens_of(g.get(r), words) for r in sc.ROLES} for g in gold]
    ps = [{r: sc.tokens_of(getattr(a, r), words) for r in sc.ROLES} for a in pred]
    inner = [sc.tokens_of(a.cue, words) for a in nested]

    def of_tokens(idx):
        return sc.tokens_of([(doc[i].idx, doc[i].idx + len(doc[i])) for i in idx], words)

    def relation(a, b):
        if sc.dice(a["content"], b["content"]) < 0.5 or not (a["cue"] & b["cue"]):
            return 0.0
        return sc.dice(a["content"], b["content"]) + 0.5 * sc.dice(a["cue"], b["cue"])

    pairs = sc.greedy_pairs(gs, ps, relation, 1e-9)
    matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
    quotes, tokens = Quotes(doc), list(doc)
    cands = [(c, of_tokens(c.cue), of_tokens(c.content)) for c in candidates(doc, quotes)]
    for c, _, _ in cands:
        c.score = gate.score(features(c, tokens, quotes.mask))
    lex = lexicon()
    for gi, (g, raw) in enumerate(zip(gs, gold)):
        cls = cue_class(doc, raw["cue"], lex)
        total[cls] += 1
        if gi in matched_g:
            found[cls] += 1
            continue
        if not g["cue"]:
            causes["no word in cue"] += 1
        elif any(p["cue"] & g["cue"] for p in ps):
            causes["content off"] += 1
        elif any(cue & g["cue"] for cue in inner):
            causes["nested"] += 1
        else:
            mine = [(c, content) for c, cue, content in cands if cue & g["cue"]]
            right = [c for c, content in mine if sc.dice(content, g["content"]) >= 0.5]
            if not mine:
                causes["no candidate"] += 1
            elif any(c.score >= gate.threshold for c, _ in mine):
                causes["kept, then dropped"] += 1
            else:
                causes["gate rejected, " + ("right reading" if right else "wrong reading")] += 1
    held = set().union(*(g["content"] for g in gs)) if gs else set()
    for pi, p in enumerate(ps):
        if pi in matched_p:
            continue
        if any(p["cue"] & g["cue"] for g in gs):
            spurious["content off (its gold statement counted above)"] += 1
        elif p["cue"] & held:
            spurious["inside a gold content (PolNeAR: nested there, its holder not found)"] += 1
        else:
            spurious["outside every gold statement"] += 1


def cue_class(doc, spans, lex) -> str:
    tokens = [t for s, e in spans for t in (doc.char_span(s, e, alignment_mode="expand") or ()) if not t.is_punct]
    if not tokens:
        return "no word"
    own = {t.i for t in tokens}
    head = next((t for t in tokens if t.head.i not in own or t.head.i == t.i), tokens[0])
    if head.lower_ == "according":
        return "according to"
    table = {"VERB": lex.verbs, "AUX": lex.verbs, "NOUN": lex.nouns, "ADV": lex.adverbs,
             "ADJ": lex.adjectives}.get(head.pos_)
    info = table.get(head.lemma_ if head.pos_ in ("VERB", "AUX", "NOUN") else head.lower_) if table else None
    return info.cls if info else "not in the lexicon"


if __name__ == "__main__":
    main()
