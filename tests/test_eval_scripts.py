"""The evaluation scripts run end to end on data in their input format (short texts written here, not the
evaluation sets): a script that stops with a traceback gives no figure at all, and nothing else would notice."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

# Two invented claims, each with the headlines of a few outlets, in Emergent's format.
CLAIMS = [
    {"id": "k1", "claim": "Brixton Mills will close its paper plant", "veracity": "true"},
    {"id": "k2", "claim": "A bear escaped from the Lowfield zoo", "veracity": "false"},
]
HEADLINES = [
    ("h1", "k1", "Brixton Mills to close paper plant, sources say", "Valley Post"),
    ("h2", "k1", "Brixton Mills confirms it will close its paper plant", "Daily Ledger"),
    ("h3", "k2", "Bear reportedly escapes from Lowfield zoo", "Metro Wire"),
    ("h4", "k2", "Lowfield zoo denies that a bear escaped", "Valley Post"),
]


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_status_script_reads_a_split_and_prints_its_agreement(tmp_path):
    data = tmp_path / "data" / "emergent"
    data.mkdir(parents=True)
    claims = {c["id"]: c for c in CLAIMS}
    write(data / "test.claims.jsonl", CLAIMS)
    write(data / "test.docs.jsonl", [{"id": d, "text": t, "title": t, "outlet": o} for d, _, t, o in HEADLINES])
    write(data / "test.pairs.jsonl", [{"id": f"{k}:{d}", "claim": claims[k]["claim"], "claim_id": k, "doc_id": d}
                                      for d, k, _, _ in HEADLINES])
    for extra in ([], ["--article-stance"]):
        run = subprocess.run([sys.executable, str(ROOT / "eval" / "status.py"), "--shared", str(tmp_path), *extra],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        assert "2 claims" in run.stdout and "agreement" in run.stdout
