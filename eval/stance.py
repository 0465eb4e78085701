"""Claim stance, measured with the shared scorer on the output of `according stance`.

    python eval/stance.py {emergent|fnc1} [--split test|dev] [--shared ../shared] [-p 1] [--no-encoder]

Runs `according stance PAIRS --docs DOCS -o PRED` and `../shared/eval/stance_score.py DATASET GOLD PRED`, and
prints the scorer's figures and the time `according stance` took. `--no-encoder` reads headlines with the
regression alone, as where the accurate extra (onnxruntime, tokenizers) is not installed. `--split dev` scores the
part of train held out for tuning (FNC-1: the bodies of train.dev_body_ids.txt; Emergent: a fifth of the claims,
as train/train_stance.py draws them); the shipped model was refitted on all of train afterwards, so its dev figures
are not held-out figures (train/train_stance.py prints those; it tunes the article network on a hold-out of whole
FNC-1 stories instead). The README reports test.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "train"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", choices=["emergent", "fnc1"])
    ap.add_argument("--split", choices=["test", "dev"], default="test")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-p", "--processes", type=int, default=1)
    ap.add_argument("--no-encoder", action="store_true", help="without the optional stance encoder")
    args = ap.parse_args()
    scorer = args.shared / "eval/stance_score.py"
    data = args.shared / "data" / args.dataset
    if not scorer.exists() or not data.is_dir():
        sys.exit(f"eval: {scorer} or {data} not found: the evaluation data lives in ../shared beside the project "
                 f"(pass --shared PATH)")
    cli = Path(sys.executable).with_name("according")
    with tempfile.TemporaryDirectory() as tmp:
        if args.split == "test":
            pairs, docs, gold = (data / f"test.{kind}.jsonl" for kind in ("pairs", "docs", "gold"))
        else:
            pairs, docs, gold = dev_files(args.dataset, args.shared, Path(tmp))
        pred = Path(tmp) / "pred.jsonl"
        start = time.monotonic()
        subprocess.run([str(cli), "stance", str(pairs), "--docs", str(docs), "-o", str(pred), "-p",
                        str(args.processes), "--quiet"] + (["--no-encoder"] if args.no_encoder else []), check=True)
        seconds = time.monotonic() - start
        out = subprocess.run([sys.executable, str(scorer), args.dataset, str(gold), str(pred)],
                             capture_output=True, text=True, check=True).stdout
    without = " without the encoder" if args.no_encoder else ""
    print(f"== {args.dataset} {args.split}{without} ({seconds:.0f} s for `according stance`, loading the model "
          f"included)")
    for line in out.splitlines():
        print("  " + line)


def dev_files(dataset: str, shared: Path, folder: Path) -> tuple[Path, Path, Path]:
    """The held-out part of train, written as pairs, docs and gold files."""
    from train_stance import dev_pair_ids, read_jsonl

    keep = dev_pair_ids(dataset, shared)
    paths = []
    for kind in ("pairs", "docs", "gold"):
        rows = read_jsonl(shared / f"data/{dataset}/train.{kind}.jsonl")
        if kind == "docs":
            wanted = {p["doc_id"] for p in read_jsonl(shared / f"data/{dataset}/train.pairs.jsonl") if p["id"] in keep}
            rows = [r for r in rows if r["id"] in wanted]
        else:
            rows = [r for r in rows if r["id"] in keep]
        path = folder / f"dev.{kind}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        paths.append(path)
    return tuple(paths)


if __name__ == "__main__":
    main()
