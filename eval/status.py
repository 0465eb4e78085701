"""How a claim's derived status agrees with the veracity Emergent's editors settled later.

    python eval/status.py [--split test|train] [--shared ../shared]

Each Emergent claim's articles (headlines) are read as `according` reads any article; the positions their
statements take, counted in the data set's order (it gives no dates), give the claim's status
(`according.link.status`), which is compared with the claim's veracity: `confirmed` and `asserted` stand for
true, `denied` and `retracted` for false, `unverified` and `contested` for unknown. Claims are grouped by the data
set's own claim ids, so that the figure measures the status, not the clustering.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERACITY = {"confirmed": "true", "asserted": "true", "denied": "false", "retracted": "false",
            "unverified": "unknown", "contested": "unknown"}


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["train", "test"])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--article-stance", action="store_true",
                    help="also count each article's own stance toward the claim (the stance model), as its outlet's position")
    args = ap.parse_args()
    data = args.shared / "data/emergent"
    if not (data / f"{args.split}.claims.jsonl").exists():
        sys.exit(f"eval: {data} has no Emergent {args.split} split: the evaluation data lives in ../shared beside "
                 "the project (pass --shared PATH)")
    sys.path.insert(0, str(ROOT))
    from according.extract import default_extractor
    from according.link.article import link_article
    from according.link.corpus import steps
    from according.link.stance import stances
    from according.link.status import Ledger, Step

    docs = {d["id"]: d for d in read(data / f"{args.split}.docs.jsonl")}
    pairs = read(data / f"{args.split}.pairs.jsonl")
    claims = {c["id"]: c for c in read(data / f"{args.split}.claims.jsonl")}
    order = list(dict.fromkeys(p["doc_id"] for p in pairs))
    records = [{"id": i, "text": docs[i]["text"], "outlet": docs[i].get("outlet")} for i in order]
    analyses = {a.id: a for a in default_extractor().pipe(records, batch_size=64)}
    rows: dict[str, list[dict]] = defaultdict(list)
    for p in pairs:
        for n, claim in enumerate(link_article(analyses[p["doc_id"]])):
            rows[p["claim_id"]].append({"article_id": p["doc_id"], "ordinal": n, "published_ts": None,
                                        "outlet": docs[p["doc_id"]].get("outlet"), "text": claim.text,
                                        "positions": [q.to_dict() for q in claim.positions]})
    ledgers: dict[str, Ledger] = defaultdict(Ledger)
    for cid, members in rows.items():
        for _, _, step in steps(members):
            ledgers[cid].add(step)
    if args.article_stance:
        # the outlet's own voice: an article that states the claim, or states that it is false
        own = stances([(analyses[p["doc_id"]], p["claim"]) for p in pairs])
        for p, label in zip(pairs, own):
            if label in ("assert", "deny"):
                outlet = (docs[p["doc_id"]].get("outlet") or p["doc_id"]).casefold()
                ledgers[p["claim_id"]].add(Step(label, True, frozenset({outlet})))
    agree, confusion = 0, Counter()
    for cid, claim in claims.items():
        status = ledgers[cid].status if cid in ledgers else "unverified"
        confusion[(claim["veracity"], status)] += 1
        agree += VERACITY[status] == claim["veracity"]
    print(f"== Emergent {args.split}: derived status against settled veracity, {len(claims)} claims")
    print(f"  agreement {agree / len(claims):.3f} (status mapped: confirmed/asserted = true, denied/retracted = "
          "false, unverified/contested = unknown)")
    print(f"  majority class ({Counter(c['veracity'] for c in claims.values()).most_common(1)[0][0]}): "
          f"{Counter(c['veracity'] for c in claims.values()).most_common(1)[0][1] / len(claims):.3f}")
    statuses = sorted({s for _, s in confusion})
    print("  veracity \\ status " + " ".join(f"{s:>11}" for s in statuses))
    for v in ("true", "false", "unknown"):
        print(f"  {v:<17} " + " ".join(f"{confusion[(v, s)]:>11}" for s in statuses))


if __name__ == "__main__":
    main()
