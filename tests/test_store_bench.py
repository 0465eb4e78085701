"""bench/search.py runs on a store of either kind and reports median, p95 and p99 latencies."""
from conftest import load_bench

from according.model import Analysis, Article, Attribution
from according.store import open_store


def test_store_bench_search_reports_latencies(store_url, capsys):
    with open_store(store_url) as store:
        for i in range(30):
            text = f"Minister number{i} denied reports about harbour strike {i % 7}. Officials said talks resume."
            said, denied = text.index("Officials"), text.index("denied")
            store.add(Article(id=f"{i:03d}", text=text, outlet=["Wire", "Daily"][i % 2],
                              published=f"2024-03-{i % 28 + 1:02d}"),
                      Analysis(text=text, attributions=[
                          Attribution(id="a1", source=[(0, 8)], cue=[(denied, denied + 6)], content=[(0, 30)],
                                      stance="deny", source_entity="The Minister"),
                          Attribution(id="a2", source=[(said, said + 9)], cue=[(said + 10, said + 14)],
                                      content=[(said + 15, len(text) - 1)])]))
    assert load_bench("search").main([store_url, "--rounds", "2", "--sample", "10"]) == 0
    out = capsys.readouterr().out
    assert "articles 30" in out
    kinds = {line[:18].strip() for line in out.splitlines()}
    assert {"phrase", "or", "not", "total count", "stats by month"} <= kinds
    assert any(line.startswith("all ") and len(line.split()) == 5 for line in out.splitlines())


def test_store_bench_search_refuses_an_empty_store(sqlite_url, capsys):
    assert load_bench("search").main([sqlite_url]) == 1
    assert "empty" in capsys.readouterr().err
