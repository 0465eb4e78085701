"""Train the stance model (according/link/models/stance.npz) on the train splits of FNC-1 and Emergent.

    python train/train_stance.py [--shared ../shared] [--cache .cache/stance] [--only article|headline]
                                 [--ablate GROUP] [--no-save]

Two models (according/link/stance.py): the article network on FNC-1 train (headline + body), the headline model (a
logistic regression, with its related-or-not gate) on Emergent train (claim + headline). The article network is
first fitted with a fifth of the FNC-1 stories held out (see `story_holdout`) to pick how much weight `deny` gets
and its bias toward it. The headline model is cross-validated on Emergent train in five folds by claim to pick its
deny weight, its penalty and how much it trusts the optional cross-encoder (`stance_encoder`): the encoder's
out-of-fold probabilities come from train/train_stance_encoder.py --cv, run first (without them the weight is 0).
The figures of each choice are printed; then each model is fitted again on its whole split and saved. `--only`
trains one model and keeps the other as the shipped file holds it. `--ablate overlap|words|statements` leaves one
group of evidence features out of the article network and prints the dev figures only. The articles are parsed
once and kept under --cache. Needs scikit-learn (`pip install -e '.[train]'`); seeded, so a run gives the same model.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from according.link import stance as st  # noqa: E402
from according.model import Analysis  # noqa: E402

LABEL_OF = {"agree": "assert", "disagree": "deny", "discuss": "report", "unrelated": "unrelated",
            "for": "assert", "against": "deny", "observing": "report"}
VOCAB = {"article": 5000}
FIT = (1e-4, 12)  # the article network's L2 penalty and epochs
HEADLINE_C = [1.0, 3.0, 10.0]  # the inverse L2 penalty of the headline model, tried by cross-validation
REST_WEIGHT = 0.3  # the headline model's scaled evidence features, weighed against its TF-IDF terms
# how much the headline model trusts the cross-encoder's probabilities (stance_encoder), tried by cross-validation
ENCODER_WEIGHTS = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]
ENCODER_OOF = ROOT / ".cache/stance_encoder/oof.npz"  # its out-of-fold probabilities: train_stance_encoder.py --cv
# deny is rare (2% of FNC-1 train pairs, 15% of Emergent's): counted more often, a model calls it more readily
DENY_WEIGHTS = {"article": [3, 5, 8], "headline": [1, 2]}
DENY_BIASES = [0.0, 1.0, 1.5, 2.0, 2.5, 3.0]  # and added to its log-probability by the article network
SEED = 7
FOLDS = 5  # Emergent train's cross-validation folds, by claim


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        sys.exit(f"train_stance: {path} is missing: point --shared at the folder holding data/fnc1 and "
                 f"data/emergent (see ../shared/eval/STANCE.md)")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def analyses(dataset: str, split: str, shared: Path, cache: Path) -> dict[str, Analysis]:
    """Every document of a split, parsed once by the extractor and kept in the cache."""
    docs = read_jsonl(shared / f"data/{dataset}/{split}.docs.jsonl")
    path = cache / f"{dataset}.{split}.analyses.jsonl"
    if not path.exists():
        from according.scale import Failed, run

        cache.mkdir(parents=True, exist_ok=True)
        start = time.time()
        with open(str(path) + ".part", "w", encoding="utf-8") as out:
            for n, result in enumerate(run(docs, engine="local"), 1):
                line = {"id": result.id, "error": result.error} if isinstance(result, Failed) else \
                    {k: v for k, v in result.analysis.items() if k != "meta"}
                out.write(json.dumps(line) + "\n")
                if n % 200 == 0:
                    print(f"  parsed {n}/{len(docs)} {dataset} {split} docs, {time.time() - start:.0f}s",
                          file=sys.stderr)
        Path(str(path) + ".part").rename(path)
    text = {d["id"]: d["text"] for d in docs}
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out[r["id"]] = Analysis.from_dict({k: v for k, v in r.items() if k != "error"}, text=text[r["id"]])
    return out


def examples(dataset: str, split: str, shared: Path, cache: Path):
    pairs = read_jsonl(shared / f"data/{dataset}/{split}.pairs.jsonl")
    gold = {g["id"]: LABEL_OF[g["label"]] for g in read_jsonl(shared / f"data/{dataset}/{split}.gold.jsonl")}
    docs = {k: st.DocText.of(a) for k, a in analyses(dataset, split, shared, cache).items()}
    claims = {c: st.ClaimText.of(c) for c in {p["claim"] for p in pairs}}
    return [(p, docs[p["doc_id"]], claims[p["claim"]], st.LABELS.index(gold[p["id"]])) for p in pairs]


def dev_pair_ids(dataset: str, shared: Path) -> set[str]:
    """Pairs of train held out: FNC-1's official hold-out bodies; a fifth of Emergent's claims (eval/stance.py
    --split dev scores them)."""
    pairs = read_jsonl(shared / f"data/{dataset}/train.pairs.jsonl")
    if dataset == "fnc1":
        bodies = set((shared / "data/fnc1/train.dev_body_ids.txt").read_text().split())
        return {p["id"] for p in pairs if p["doc_id"] in bodies}
    claims = sorted({p["claim_id"] for p in pairs})
    held = set(random.Random(SEED).sample(claims, len(claims) // 5))
    return {p["id"] for p in pairs if p["claim_id"] in held}


def folds(pairs: list[dict]) -> list[int]:
    """The fold of each Emergent pair (a dict with its claim_id) for cross-validation by claim: no claim is in two
    folds, and the claims are dealt largest first, each to the lightest fold, so that folds are of about one size."""
    claims = sorted({p["claim_id"] for p in pairs})
    random.Random(SEED).shuffle(claims)
    size = {c: 0 for c in claims}
    for p in pairs:
        size[p["claim_id"]] += 1
    load, fold_of = [0] * FOLDS, {}
    for c in sorted(claims, key=lambda c: -size[c]):  # largest first, each to the lightest fold
        k = load.index(min(load))
        fold_of[c], load[k] = k, load[k] + size[c]
    return [fold_of[p["claim_id"]] for p in pairs]


def story_holdout(rows) -> tuple[list, list]:
    """FNC-1 train split by story, for tuning the article network: (train, dev).

    A story is the bodies and headlines joined by related pairs. A fifth of the stories (fixed seed) is held out
    with every pair of their bodies, and train keeps the pairs that touch none of them. The official hold-out
    shares its stories with train, so a network there recognises the story and finds deny easily (F1 0.65); on new
    stories, as in the competition test, it calls deny far too rarely (0.2), and only this hold-out shows it.
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p, _, claim, label in rows:
        if label != st.LABELS.index("unrelated"):
            parent[root("body " + p["doc_id"])] = root("claim " + claim.text)
    stories = sorted({root("body " + p["doc_id"]) for p, _, _, _ in rows})
    held = set(random.Random(SEED).sample(stories, len(stories) // 5))
    dev = [r for r in rows if root("body " + r[0]["doc_id"]) in held]
    train = [r for r in rows if root("body " + r[0]["doc_id"]) not in held and root("claim " + r[2].text) not in held]
    return train, dev


def unrelated_pairs(rows) -> list:
    """Each headline once more, with the claim of another story: a pair labelled unrelated."""
    rng = random.Random(SEED)
    claims = sorted({(r[0]["claim_id"], r[2].text): r[2] for r in rows}.items())
    out = []
    for p, doc, _, _ in rows:
        (other_id, _), claim = rng.choice(claims)
        if other_id != p["claim_id"]:
            out.append(({"id": p["id"] + "~", "doc_id": p["doc_id"], "claim_id": other_id}, doc, claim,
                         st.LABELS.index("unrelated")))
    return out


def build_vocab(rows, size: int) -> tuple[list[str], np.ndarray]:
    """The most frequent content words of claims and documents, and their smoothed IDF over both."""
    tf, df, seen, n = Counter(), Counter(), set(), 0
    for _, doc, claim, _ in rows:
        for key, words in ((id(doc), doc.words), (claim.text, claim.words)):
            if key in seen:
                continue
            seen.add(key)
            n += 1
            cw = st.content_words(words)
            tf.update(cw)
            df.update(set(cw))
    vocab = [w for w, _ in tf.most_common(size)]
    idf = np.array([np.log((1 + n) / (1 + df[w])) + 1 for w in vocab], dtype=np.float32)
    return vocab, idf


def matrices(rows, net: st.Network):
    """Sparse [claim tf | doc tf] and dense [cosine | evidence] for the rows."""
    from scipy import sparse

    cache: dict = {}

    def vec(key, words):
        if key not in cache:
            terms = net.terms(words)
            row = sparse.csr_matrix((terms.tf, terms.idx, [0, len(terms.idx)]), shape=(1, len(net.vocab)))
            cache[key] = (row, terms)
        return cache[key]

    c_rows, d_rows, rest, y = [], [], [], []
    for _, doc, claim, label in rows:
        c_tf, c_terms = vec(claim.text, claim.words)
        d_tf, d_terms = vec(id(doc), doc.words)
        c_rows.append(c_tf)
        d_rows.append(d_tf)
        rest.append([c_terms.cosine(d_terms)] + st.evidence(claim, doc))
        y.append(label)
    return sparse.vstack(c_rows), sparse.vstack(d_rows), np.array(rest, dtype=np.float32), np.array(y)


def fit(rows, vocab, idf, mask, deny_weight: float, alpha: float, epochs: int) -> st.Network:
    """An MLP (one hidden layer of 100) on the rows, `deny` examples repeated `deny_weight` times."""
    from scipy import sparse
    from sklearn.neural_network import MLPClassifier

    net = _empty(vocab, idf, mask)
    c, d, rest, y = matrices(rows, net)
    rest = rest[:, mask]
    mean, scale = rest.mean(axis=0), rest.std(axis=0) + 1e-6
    X = sparse.hstack([c, d, sparse.csr_matrix((rest - mean) / scale)]).tocsr()
    reps = np.where(y == st.LABELS.index("deny"), int(deny_weight), 1)
    idx = np.repeat(np.arange(len(y)), reps)
    clf = MLPClassifier(hidden_layer_sizes=(100,), alpha=alpha, batch_size=500, learning_rate_init=1e-3,
                        max_iter=epochs, random_state=SEED, shuffle=True)
    clf.fit(X[idx], y[idx])
    w1, v = clf.coefs_[0], len(vocab)
    return st.Network(net.vocab, idf, w1[:v], w1[v:2 * v], w1[2 * v:], clf.intercepts_[0], clf.coefs_[1],
                      clf.intercepts_[1], mean, scale, mask)


def _empty(vocab, idf, mask) -> st.Network:
    z = np.zeros(0)
    return st.Network({w: i for i, w in enumerate(vocab)}, idf, z, z, z, z, z, z, z, z, mask)


def fit_headlines(rows, deny_weight: float, c: float, gate_rows) -> st.Headlines:
    """The headline model (stance.Headlines): a logistic regression over the headline's TF-IDF terms and the
    [cosine | evidence] features, scaled down by REST_WEIGHT so that they do not drown the terms; then its gate."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=st.headline_terms, sublinear_tf=True, dtype=np.float32)
    X = vectorizer.fit_transform([doc.analysis.text for _, doc, _, _ in rows])
    vocab = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    model = st.Headlines({w: i for i, w in enumerate(vocab)}, vectorizer.idf_.astype(np.float32), np.zeros(0),
                         np.zeros(0), np.zeros(0), np.zeros(0), st.Gate(np.zeros(0), 0.0))
    rest = headline_rest(model, rows)
    mean, scale = rest.mean(axis=0), (rest.std(axis=0) + 1e-6) / REST_WEIGHT
    y = np.array([r[3] for r in rows])
    weights = {i: (deny_weight if i == st.LABELS.index("deny") else 1.0) for i in set(y.tolist())}
    lr = LogisticRegression(C=c, max_iter=5000, class_weight=weights)
    lr.fit(sparse.hstack([X, sparse.csr_matrix((rest - mean) / scale)]).tocsr(), y)
    assert list(lr.classes_) == [0, 1, 2], "the headline model learns assert, deny and report"
    model.coef, model.intercept = lr.coef_.T.astype(np.float32), lr.intercept_.astype(np.float32)
    model.rest_mean, model.rest_scale = mean.astype(np.float32), scale.astype(np.float32)
    model.gate = fit_gate(model, gate_rows)
    return model


def headline_rest(model: st.Headlines, rows) -> np.ndarray:
    pairs = [(doc, claim) for _, doc, claim, _ in rows]
    vectors = {t: model.vector(t) for doc, claim in pairs for t in (doc.analysis.text, claim.text)}
    return model.rest(pairs, vectors)


def fit_gate(model: st.Headlines, rows) -> st.Gate:
    """Related or not from the overlap features alone: a logistic regression (see stance.Gate)."""
    from sklearn.linear_model import LogisticRegression

    names = ["cosine"] + st.EVIDENCE
    x = headline_rest(model, rows)[:, [names.index(n) for n in st.GATE_FEATURES]]
    y = np.array([r[3] for r in rows])
    lr = LogisticRegression(C=1.0).fit(x, (y != st.LABELS.index("unrelated")).astype(int))
    return st.Gate(lr.coef_[0].astype(np.float32), float(lr.intercept_[0]))


def figures(gold: np.ndarray, pred: np.ndarray) -> dict:
    """Accuracy, per-label F1, and the FNC-1 score (0.25 for related/unrelated right, 0.75 more for the label)."""
    out = {"accuracy": round(float((gold == pred).mean()), 4)}
    for i, lab in enumerate(st.LABELS):
        tp = int(((gold == i) & (pred == i)).sum())
        p, r = tp / max(1, int((pred == i).sum())), tp / max(1, int((gold == i).sum()))
        out[lab] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    u = st.LABELS.index("unrelated")
    best = np.where(gold == u, 0.25, 1.0).sum()
    got = np.where(gold == pred, np.where(gold == u, 0.25, 1.0), 0.0).sum()
    got += 0.25 * ((gold != pred) & (gold != u) & (pred != u)).sum()
    out["fnc_score"] = round(float(got / best), 4)
    return out


def mask_without(group: str | None) -> np.ndarray:
    names = ["cosine"] + st.EVIDENCE
    left_out = set(st.EVIDENCE_GROUPS.get(group, [])) if group else set()
    if group and group not in st.EVIDENCE_GROUPS:
        sys.exit(f"train_stance: unknown group {group!r}: choose one of {', '.join(st.EVIDENCE_GROUPS)}")
    return np.array([n not in left_out for n in names])


def tune(train_rows, dev_rows, args, mask) -> tuple:
    """The article network fitted on train_rows with each deny weight in turn, and each deny bias tried on dev_rows:
    the best ((weight, bias), dev figures) by FNC score plus deny F1."""
    gold = np.array([r[3] for r in dev_rows])
    vocab, idf = build_vocab(train_rows, VOCAB["article"])
    best = None
    for weight in args.deny_weights or DENY_WEIGHTS["article"]:
        model = fit(train_rows, vocab, idf, mask, weight, *FIT)
        probs = model.score([(doc, claim) for _, doc, claim, _ in dev_rows])
        for bias in DENY_BIASES:
            model.deny_bias = bias
            fig = figures(gold, model.labels(probs))
            print(f"  deny x{weight}, bias {bias}: {fig}", file=sys.stderr)
            if best is None or fig["fnc_score"] + fig["deny"] > best[0]:
                best = (fig["fnc_score"] + fig["deny"], (weight, bias), fig)
    return best[1], best[2]


def cross_validate(rows, fnc_rows, deny_weights) -> tuple[float, float, float]:
    """Emergent train in FOLDS folds by claim: the headline model (gate included) fitted on four and scored on the
    fifth with each deny weight and each of HEADLINE_C, alone and averaged with the cross-encoder's out-of-fold
    probabilities (ENCODER_OOF, when train_stance_encoder.py --cv has written them for these pairs) at each of
    ENCODER_WEIGHTS. A gated headline counts as observing, as the scorer maps it. Prints the accuracy of each and
    returns the best (deny weight, C, encoder weight); the encoder weight is 0.0 without its probabilities."""
    fold = np.array(folds([r[0] for r in rows]))
    gold = np.array([r[3] for r in rows])
    encoded = None
    if ENCODER_OOF.exists():
        with np.load(ENCODER_OOF) as oof:
            by_id = dict(zip(oof["ids"].tolist(), oof["probabilities"]))
        encoded = np.array([by_id.get(r[0]["id"], np.full(3, np.nan)) for r in rows])
        if np.isnan(encoded).any():
            print(f"{ENCODER_OOF} lacks some pairs: run train/train_stance_encoder.py --cv again", file=sys.stderr)
            encoded = None
    else:
        print(f"no {ENCODER_OOF}: the headline model is tuned without the encoder", file=sys.stderr)
    weights = ENCODER_WEIGHTS if encoded is not None else [0.0]
    scores = {}
    for deny in deny_weights:
        for c in HEADLINE_C:
            t = time.time()
            pred = {w: np.zeros(len(rows), dtype=int) for w in weights}
            for k in range(FOLDS):
                train = [r for r, f in zip(rows, fold) if f != k]
                test = np.flatnonzero(fold == k)
                model = fit_headlines(train, deny, c, train + unrelated_pairs(train) + fnc_rows)
                pairs = [(rows[i][1], rows[i][2]) for i in test]
                for w in weights:
                    model.encoder_weight = w
                    pred[w][test] = model.labels(model.score(pairs, encoded[test] if w else None))
            for w, p in pred.items():
                p[p == st.LABELS.index("unrelated")] = st.LABELS.index("report")
                scores[deny, c, w] = figures(gold, p)
            print(json.dumps({"headline_cv": {"folds": FOLDS, "deny_weight": deny, "C": c, "by_encoder_weight": {
                w: {k: scores[deny, c, w][k] for k in ("accuracy", "deny")} for w in weights}}}),
                f"({time.time() - t:.0f}s)", flush=True)
    # accuracy, and a quarter of deny's F1: denials matter most
    return max(scores, key=lambda key: (scores[key]["accuracy"] + 0.25 * scores[key]["deny"], -key[2]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache/stance")
    ap.add_argument("--ablate", choices=sorted(st.EVIDENCE_GROUPS) + ["all"], default=None,
                    help="leave this group of evidence features out of the article network (all: every group) and "
                         "print its dev figures only")
    ap.add_argument("--only", choices=["article", "headline"], default=None,
                    help="train this model only and keep the other one of the shipped file")
    ap.add_argument("--deny-weights", type=float, nargs="+", default=None,
                    help="how many times each deny pair counts, tried in turn on the hold-out (default: 3 5 8 for "
                         "articles, 1 2 for headlines)")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    random.seed(SEED)
    np.random.seed(SEED)
    if args.ablate == "all":
        mask = np.array([True] + [False] * len(st.EVIDENCE))
    else:
        mask = mask_without(args.ablate)

    models = {}
    fnc = examples("fnc1", "train", args.shared, args.cache)
    fnc_dev = dev_pair_ids("fnc1", args.shared)
    for kind in ("article", "headline"):
        if args.only and kind != args.only or args.ablate and kind == "headline":
            continue
        # each model reads the documents of its kind (the rule of stance.is_headline), as at prediction time
        fnc_rows = [r for r in fnc if r[1].headline == (kind == "headline")]
        fnc_train = [r for r in fnc_rows if r[0]["id"] not in fnc_dev]
        if kind == "article":
            train_rows, dev_rows = story_holdout(fnc_rows)
            print(f"{kind}: {len(train_rows)} train pairs, {len(dev_rows)} dev pairs", file=sys.stderr)
            (weight, bias), fig = tune(train_rows, dev_rows, args, mask)
            print(json.dumps({"model": kind, "ablate": args.ablate, "deny_weight": weight, "deny_bias": bias,
                              "dev": fig}))
            if args.ablate or args.no_save:
                continue
            vocab, idf = build_vocab(fnc_rows, VOCAB[kind])
            models[kind] = fit(fnc_rows, vocab, idf, mask, weight, *FIT)
            models[kind].deny_bias = bias
        else:
            # the model learns stance from Emergent's related pairs; the gate learns related or not from them,
            # each headline paired once more with another story's claim, and the one-line FNC-1 bodies
            emergent = examples("emergent", "train", args.shared, args.cache)
            weight, c, encoder_weight = cross_validate(emergent, fnc_train, args.deny_weights or DENY_WEIGHTS[kind])
            print(json.dumps({"model": kind, "deny_weight": weight, "C": c, "encoder_weight": encoder_weight}))
            if args.no_save:
                continue
            models[kind] = fit_headlines(emergent, weight, c, emergent + unrelated_pairs(emergent) + fnc_rows)
            models[kind].encoder_weight = encoder_weight
    if models:
        save(models, ROOT / "according/link/models" / st.MODEL_FILE)


def save(models: dict, path: Path) -> None:
    """Write the models trained now; a model not trained now is kept as the file held it."""
    arrays = {}
    if path.exists():
        with np.load(path) as old:
            arrays = {k: old[k] for k in old.files if k.split("_", 1)[0] not in models}
    for kind, model in models.items():
        arrays[f"{kind}_vocab"] = np.array("\n".join(sorted(model.vocab, key=model.vocab.get)))
        if kind == "article":
            arrays[f"{kind}_mask"] = model.mask
            arrays[f"{kind}_deny_bias"] = np.array(model.deny_bias, dtype=np.float32)
            names = ("idf", "w_claim", "w_doc", "w_rest", "b1", "w2", "b2", "rest_mean", "rest_scale")
        else:
            names = ("idf", "coef", "intercept", "rest_mean", "rest_scale")
            arrays[f"{kind}_gate_w"] = model.gate.w.astype(np.float32)
            arrays[f"{kind}_gate_b"] = np.array([model.gate.b], dtype=np.float32)
            arrays[f"{kind}_encoder_weight"] = np.array(model.encoder_weight, dtype=np.float32)
        for name in names:
            arrays[f"{kind}_{name}"] = np.asarray(getattr(model, name), dtype=np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    print(f"saved {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
