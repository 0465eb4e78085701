"""Attribution accuracy, measured with the shared scorer on the output of `according extract`.

    python eval/attribution.py [seed] [newsdev] [newsdev2] [newsdev3] [polnear-dev] [polnear-test]
                               [--shared ../shared] [-p 2] [--accurate]

For each set: runs `according extract DOCS -o PRED` and `../shared/eval/score.py GOLD PRED --docs DOCS`, and for
PolNeAR (which annotates no attribution inside another) also with `--outermost`. Tune on train/dev; the README
reports test.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "seed": ("eval/seed/docs.jsonl", "eval/seed/gold.jsonl", False),
    "newsdev": ("data/newsdev/dev.docs.jsonl", "data/newsdev/dev.gold.jsonl", False),
    # ids and offsets kept here; texts read from the FNC-1 train bodies in ../shared by eval/newsdev2/docs.py
    "newsdev2": (None, ROOT / "eval/newsdev2/gold.jsonl", False),
    "newsdev3": (None, ROOT / "eval/newsdev3/gold.jsonl", False),
    "polnear-dev": ("data/polnear/dev.docs.jsonl", "data/polnear/dev.gold.jsonl", True),
    "polnear-test": ("data/polnear/test.docs.jsonl", "data/polnear/test.gold.jsonl", True),
}
SHOWN = ("source.soft", "cue.soft", "content.soft", "source.exact", "cue.exact", "content.exact", "relation",
         "relation+source", "complete", "stance", "parent", "docs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=list(SETS), choices=list(SETS))
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("-p", "--processes", type=int, default=2)
    ap.add_argument("--accurate", action="store_true", help="extract with the learned span model (according[accurate])")
    args = ap.parse_args()
    scorer = args.shared / "eval/score.py"
    if not scorer.exists():
        sys.exit(f"eval: {scorer} not found: the evaluation data lives in ../shared beside the project "
                 f"(pass --shared PATH)")
    cli = Path(sys.executable).with_name("according")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            docs, gold, outermost = (args.shared / p if isinstance(p, str) else p for p in SETS[name])
            if docs is None:
                docs = Path(tmp) / f"{name}.docs.jsonl"
                subprocess.run([sys.executable, str(ROOT / "eval/newsdev2/docs.py"), str(docs), "--shared",
                                str(args.shared), "--gold", str(gold)], check=True, stdout=subprocess.DEVNULL)
            pred = Path(tmp) / f"{name}.pred.jsonl"
            subprocess.run([str(cli), "extract", str(docs), "-o", str(pred), "--processes", str(args.processes),
                            *(["--accurate"] if args.accurate else [])],
                           check=True, stderr=subprocess.DEVNULL)
            for extra in ([], ["--outermost"]) if outermost else ([],):
                out = subprocess.run([sys.executable, str(scorer), str(gold), str(pred), "--docs", str(docs), *extra],
                                     capture_output=True, text=True, check=True).stdout
                print(f"== {name}{' --outermost' if extra else ''}")
                for line in out.splitlines():
                    if line.startswith(SHOWN) or line.startswith("figure"):
                        print("  " + line)


if __name__ == "__main__":
    main()
