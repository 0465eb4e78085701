"""bench/robustness.py runs its probes end to end (so it does not rot before the next full run)."""
from pathlib import Path

import pytest
from conftest import load_bench


@pytest.mark.slow
def test_bench_robustness_a_probe_reads_its_text_in_a_child_and_says_how_it_ended(tmp_path, capsys):
    bench = load_bench("robustness")
    assert bench.main(["--only", "according", "--scales", "1", "--no-inputs"]) == 0
    out = capsys.readouterr().out.splitlines()
    [row] = [line for line in out if line.startswith("| 'according to ' repeated")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == "1x 16 KB" and cells[6] == "ok" and cells[7].endswith("attributions")
    assert float(cells[4]) > 0 and int(cells[5]) > 50  # CPU seconds and peak MB of the child that loaded spaCy


def test_bench_robustness_a_text_over_the_time_limit_is_a_timeout_not_a_crash(tmp_path):
    bench = load_bench("robustness")
    probe = bench.text_probe("tiny limit", bench.news, 2000, timeout=0.01)
    row = probe(Path(tmp_path))
    assert row["outcome"] == "timeout" and row["size"] == "2 KB"


@pytest.mark.slow
def test_bench_robustness_an_article_over_its_limit_fails_alone_with_its_reason(tmp_path):
    bench = load_bench("robustness")
    probe = bench.text_probe("over the limit", bench.news, 2000, "--time-limit", "0.000000001")
    row = probe(Path(tmp_path))
    assert row["outcome"] == "failed" and row["note"].startswith("[A110]")
