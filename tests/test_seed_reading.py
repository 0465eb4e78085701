"""The reference article (../shared/eval/seed) read as a journalist would: scored with the shared scorer, and the
terminal view says who denies, who asserts on whose sourcing, and who relays. Skips where ../shared is absent."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from according.extract import default_extractor
from according.report import render

SEED = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seed"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (SEED / "docs.jsonl").exists(),
                                 reason=f"the reference article is not at {SEED} (../shared beside the project)")]


def test_seed_figures_reach_the_issue_thresholds(tmp_path):
    pred = tmp_path / "seed.pred.jsonl"
    with open(SEED / "docs.jsonl", encoding="utf-8") as f, open(pred, "w", encoding="utf-8") as out:
        for line in f:
            doc = json.loads(line)
            analysis = default_extractor().analyze(doc["text"], id=doc["id"])
            out.write(json.dumps({"id": doc["id"], "attributions": [a.to_dict() for a in analysis.attributions]}))
            out.write("\n")
    scorer = SEED.parent / "score.py"
    result = subprocess.run(
        [sys.executable, str(scorer), str(SEED / "gold.jsonl"), str(pred), "--docs", str(SEED / "docs.jsonl"),
         "--json", "--min", "relation.f1=0.90", "--min", "relation+source.f1=0.85"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["stance"]["acc"] == 1.0
    assert figures["parent"]["acc"] >= 0.66
    assert figures["source_entity"]["acc"] >= 0.90


def test_seed_terminal_view_says_who_denies_asserts_and_relays():
    text = (SEED / "kremlin-denies.txt").read_text(encoding="utf-8")
    view = render(default_extractor().analyze(text))
    claims = view.split("WHO SAID WHAT")[0]
    first = claims.split("\n\n")[2]  # the first claim block
    assert "Putin congratulated Donald Trump" in first.splitlines()[0]
    assert "DENIES   Dmitry Peskov (Kremlin spokesperson)" in first
    assert "asserts  Verstka (outlet)" in first and "citing anonymous sources" in first
    assert "relays   Caliber.Az (outlet)" in first
    assert "anonymous sourcing" in first  # the status says what the support rests on


def test_seed_unaware_of_plans_is_doubt_about_them():
    text = (SEED / "kremlin-denies.txt").read_text(encoding="utf-8")
    view = render(default_extractor().analyze(text)).split("WHO SAID WHAT")[0]
    block = next(b for b in view.split("\n\n") if "plans by Putin to congratulate" in b.splitlines()[0])
    assert "doubts   Dmitry Peskov (Kremlin spokesperson)" in block
