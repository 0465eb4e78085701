"""Build the docs file that score.py needs for a gold set of FNC-1 train bodies (newsdev2, newsdev3).

    python eval/newsdev2/docs.py OUT.jsonl [--shared ../shared] [--gold eval/newsdev3/gold.jsonl]

Reads the article ids from the gold file (default: gold.jsonl beside this script) and their texts from
SHARED/data/fnc1/train.docs.jsonl (FNC-1 train bodies). The project stores no article text.
Standard library only.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("out", help="docs file to write (JSON Lines: id, text)")
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared"),
                    help="the shared/ folder beside the repository (default: ../shared from the repo root)")
    ap.add_argument("--gold", default=os.path.join(HERE, "gold.jsonl"))
    args = ap.parse_args(argv)

    src = os.path.join(args.shared, "data", "fnc1", "train.docs.jsonl")
    if not os.path.isfile(src):
        sys.exit(f"docs.py: {src} not found. The texts are the FNC-1 train bodies in "
                 f"shared/data/fnc1/train.docs.jsonl; pass --shared PATH to the shared/ folder.")
    with open(args.gold, encoding="utf-8") as f:
        ids = [json.loads(line)["id"] for line in f if line.strip()]
    texts = {}
    with open(src, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                if d["id"] in ids:
                    texts[d["id"]] = d["text"]
    missing = [i for i in ids if i not in texts]
    if missing:
        sys.exit(f"docs.py: ids not found in {src}: {missing}")
    with open(args.out, "w", encoding="utf-8") as f:
        for i in ids:
            f.write(json.dumps({"id": i, "text": texts[i]}, ensure_ascii=False) + "\n")
    print(f"wrote {len(ids)} documents to {args.out}")


if __name__ == "__main__":
    main()
