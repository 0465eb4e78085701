"""Claims across articles on invented stories: is each story one claim, with the status a careful reader gives
after each article, and are the articles about something else kept out?

Each story in eval/stories/ is a JSONL file of articles (several outlets and dates, written for this project) and
an entry of expected.json: words that name its main claim, the status expected after each article that takes a
position on it, and the articles that only talk about the same people.

kessel, lind, orbis and vessel are development stories: the link stage's rules were checked against them, so they
show what it does on stories like them, not on unseen ones. halvard, carrow, varga, rostholm and garnet, then
ruzic, trevane, voss, kaldoria and quarrix, were written as a held-out measure before anyone writing them read the
link stage or the reader: their first run is the held-out figure, and any fix made after it was checked against
them, so from then on they are development stories too (the README gives both figures).

    .venv/bin/python eval/stories.py [NAME ...]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "stories"


def according(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "according.cli", *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"according {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def check(name: str, expected: dict) -> dict:
    articles = [json.loads(line) for line in (HERE / f"{name}.jsonl").open(encoding="utf-8")]
    titles = {a["title"]: a["id"] for a in articles}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "story.db")
        according("ingest", str(HERE / f"{name}.jsonl"), "--db", db, "--engine", "local", "-q")
        claims = json.loads(according("claims", "--db", db, "--json"))
        named = [c for c in claims if all(w in c["text"].lower() for w in expected["words"])]
        if not named:
            return {"story": name, "found": False, "claims": [c["text"] for c in claims]}
        main = max(named, key=lambda c: c["articles"])
        timeline = json.loads(according("claim", main["id"], "--db", db, "--json"))["timeline"]
    after: dict[str, str] = {}
    for entry in timeline:  # the status after an article is the one after its last step
        after[titles.get(entry["title"], entry["article_id"])] = entry["status_after"]
    steps = [(article, want, after.get(article)) for article, want in expected["after"].items()]
    intruders = [a for a in expected["unrelated"] if a in after]
    return {"story": name, "found": True, "text": main["text"], "steps": steps, "intruders": intruders,
            "final": (list(expected["after"].values())[-1], main["status"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="stories to check (default: all)")
    args = ap.parse_args()
    expected = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
    right = total = finals = intruded = 0
    for name in args.names or sorted(expected):
        result = check(name, expected[name])
        if not result["found"]:
            print(f"== {name}: no claim names {expected[name]['words']}; claims: {result['claims']}")
            total += len(expected[name]["after"])
            continue
        print(f"== {name}: {result['text']}")
        for article, want, got in result["steps"]:
            right += want == got
            total += 1
            print(f"  {'ok  ' if want == got else 'MISS'} after {article}: expected {want}, got {got or 'not in the timeline'}")
        for article in result["intruders"]:
            print(f"  MISS {article} is about something else but is in the timeline")
        intruded += bool(result["intruders"])
        finals += result["final"][0] == result["final"][1]
    stories = len(args.names or expected)
    print(f"status after each article right: {right}/{total}; final status right: {finals}/{stories}; "
          f"stories with an unrelated article in the timeline: {intruded}/{stories}")


if __name__ == "__main__":
    main()
