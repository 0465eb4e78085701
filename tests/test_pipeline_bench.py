"""bench/ingest.py runs end to end on a few articles (so it does not rot before the next full run)."""
import pytest
from conftest import load_bench
from test_pipeline_corpus import corpus, write_jsonl


@pytest.mark.slow
def test_pipeline_bench_prints_speed_ratio_memory_size_and_search(tmp_path, capsys):
    docs = write_jsonl(tmp_path / "docs.jsonl", corpus(6, copies=(1,), repeat=None))
    assert load_bench("ingest").main(["--docs", str(docs), "--processes", "1", "--engine", "local"]) == 0
    out = capsys.readouterr().out
    assert "7 articles" in out and "stored 6, near-copies 1" in out
    ratio = next(line for line in out.splitlines() if line.strip().startswith("ratio"))
    assert 0 < float(ratio.split()[1]) < 10
    assert "peak RSS" in out and "MB on disk" in out
    assert "search median" in out


def test_pipeline_bench_without_the_data_says_where_it_looks(tmp_path, capsys):
    assert load_bench("ingest").main(["--docs", str(tmp_path / "absent.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "absent.jsonl" in err and "--docs" in err
