"""bench/search.py runs on a store of either kind and reports median, p95 and p99 latencies; bench/scale_store.py
grows a store for it."""
from conftest import load_bench

from according.model import Analysis, Article, Attribution
from according.store import open_store


def fill(store, n: int = 30) -> None:
    for i in range(n):
        text = f"Minister number{i} denied reports about harbour strike {i % 7}. Officials said talks resume."
        said, denied = text.index("Officials"), text.index("denied")
        store.add(Article(id=f"{i:03d}", text=text, outlet=["Wire", "Daily"][i % 2],
                          published=f"2024-03-{i % 28 + 1:02d}"),
                  Analysis(text=text, attributions=[
                      Attribution(id="a1", source=[(0, 8)], cue=[(denied, denied + 6)], content=[(0, 30)],
                                  stance="deny", source_entity="The Minister"),
                      Attribution(id="a2", source=[(said, said + 9)], cue=[(said + 10, said + 14)],
                                  content=[(said + 15, len(text) - 1)])]))


def test_store_bench_search_reports_latencies(store_url, capsys):
    with open_store(store_url) as store:
        fill(store)
    assert load_bench("search").main([store_url, "--rounds", "2", "--sample", "10"]) == 0
    out = capsys.readouterr().out
    assert "articles 30" in out
    kinds = {line[:18].strip() for line in out.splitlines()}
    assert {"phrase", "or", "not", "total count", "stats by month"} <= kinds
    assert any(line.startswith("all ") and len(line.split()) == 5 for line in out.splitlines())


def test_store_bench_search_refuses_an_empty_store(sqlite_url, capsys):
    assert load_bench("search").main([sqlite_url]) == 1
    assert "empty" in capsys.readouterr().err


def test_store_bench_scale_store_copies_rows_under_new_ids_and_dates(tmp_path, store_url, capsys):
    small_url = str(tmp_path / "small.db")
    with open_store(small_url) as small:
        fill(small, 10)
        original = small.get("003")[1]
    assert load_bench("scale_store").main([small_url, store_url, "--articles", "25"]) == 0
    with open_store(store_url) as big:
        assert big.count(None) == 25 and big.count("number3") == 3  # 000~0, 000~1, 000~2 ... of article 003
        hits = big.search('"number3 denied"', limit=None, sort="newest")
        assert [h.article_id for h in hits] == ["003~2", "003~1", "003~0"]
        assert [h.published[:10] for h in hits] == ["2024-03-18", "2024-03-11", "2024-03-04"]
        assert big.get("003~1")[1].attributions == original.attributions
    assert load_bench("scale_store").main([small_url, store_url, "--articles", "5"]) == 1
    assert "not empty" in capsys.readouterr().err
