"""fuzz/fuzz_readers.py reads its seeds without a crash (so the target does not rot between fuzz runs; the runs
themselves are `fuzz/run.py`, a command with figures, not a test)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_fuzz_target_reads_every_seed_and_each_reader_is_reached():
    pytest.importorskip("atheris", reason="the fuzz target needs atheris: pip install -e '.[fuzz]'")
    seeds = sorted((ROOT / "fuzz" / "seeds").iterdir())
    assert {seed.read_bytes()[0] for seed in seeds} == set(b"tmhHjfwspa")  # one seed at least for each reader
    done = subprocess.run([sys.executable, str(ROOT / "fuzz" / "fuzz_readers.py"), *map(str, seeds)],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Running: {seeds[-1]}" in done.stderr and "Uncaught Python exception" not in done.stderr
