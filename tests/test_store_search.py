"""Search: words, each filter, the order of hits, snippets, and the same answers from SQLite and PostgreSQL."""
import pytest

from according.errors import StoreError
from according.model import Analysis, Article, Attribution
from according.store import open_store


def article(id, text, attributions=(), **meta) -> tuple[Article, Analysis]:
    """attributions: (source words, cue word, content words, stance, entity) found in `text`."""
    def span(words):
        start = text.index(words)
        return [(start, start + len(words))]
    return Article(id=id, text=text, **meta), Analysis(text=text, attributions=[
        Attribution(id=f"{id}-{n}", source=span(src), cue=span(cue), content=span(content), stance=stance,
                    source_entity=entity) for n, (src, cue, content, stance, entity) in enumerate(attributions)])


CORPUS = [
    article("k1", "Sources close to the Kremlin said Putin sent congratulations to Trump through intermediaries.",
            [("Sources close to the Kremlin", "said", "Putin sent congratulations to Trump through intermediaries",
              "assert", None)],
            title="Verstka: Putin congratulated Trump", outlet="Verstka", published="2024-11-06"),
    article("k2", "Kremlin spokesman Dmitry Peskov called the congratulations report inaccurate. "
                  "The harbour strike continued in Rotterdam.",
            [("Kremlin spokesman Dmitry Peskov", "called", "the congratulations report inaccurate", "deny",
              "Dmitry Peskov")],
            title="Kremlin denies", outlet="Caliber.Az", published="2024-11-07T09:30:00+04:00"),
    article("k3", "Peskov said the Kremlin had no plans to congratulate anyone. Analysts doubted it may hold.",
            [("Peskov", "said", "the Kremlin had no plans to congratulate anyone", "assert", "Dmitry Peskov"),
             ("Analysts", "doubted", "it may hold", "uncertain", None)],
            title="No plans", outlet="caliber.az", published="2024-12-01"),
    article("k4", "Dockers in Rotterdam walked out; the union said the strike would last a week. Café owners "
                  "complained.",
            [("the union", "said", "the strike would last a week", "assert", "Dutch dockers' union")],
            title="Harbour strike", outlet="Reuters"),  # no date
]


@pytest.fixture
def filled(store):
    for a, an in CORPUS:
        store.add(a, an)
    return store


def found(hits):
    return [(h.article_id, h.attribution_id) for h in hits]


def test_store_search_words_find_attributions_then_articles(filled):
    # k1 and k2 match in an attribution's content; nothing else matches.
    assert found(filled.search("congratulations")) == [("k2", "k2-0"), ("k1", "k1-0")]
    # "harbour" is only in k2's text, outside its attributions, and in k4's title: article hits.
    assert found(filled.search("harbour")) == [("k2", None), ("k4", None)]
    # k4's attribution holds "strike"; k2 has the word only outside any attribution.
    assert found(filled.search("strike")) == [("k2", None), ("k4", "k4-0")]


def test_store_search_needs_every_word_folds_case_and_accents_and_takes_prefixes(filled):
    assert found(filled.search("Putin TRUMP")) == [("k1", "k1-0")]
    assert found(filled.search("putin rotterdam")) == []
    assert found(filled.search("cafe")) == [("k4", None)]
    assert found(filled.search("congratulat*")) == [("k3", "k3-0"), ("k2", "k2-0"), ("k1", "k1-0")]
    assert filled.search("?!") == []


def test_store_search_by_outlet_ignores_case(filled):
    assert found(filled.search("kremlin", outlet="CALIBER.AZ")) == [("k3", "k3-0"), ("k2", None)]
    assert found(filled.search(None, outlet="reuters")) == [("k4", None)]


def test_store_search_by_dates_includes_the_whole_day_or_month(filled):
    assert found(filled.search(None, since="2024-11-07")) == [("k3", None), ("k2", None)]
    # k2 was published at 05:30 UTC on the 7th: inside the 7th, after the 6th.
    assert found(filled.search(None, until="2024-11-07")) == [("k2", None), ("k1", None)]
    assert found(filled.search(None, until="2024-11-06")) == [("k1", None)]
    assert found(filled.search(None, since="2024-11", until="2024-11")) == [("k2", None), ("k1", None)]
    assert found(filled.search(None, since="2024-11-07T06:00:00Z")) == [("k3", None)]
    with pytest.raises(StoreError, match="cannot read the date"):
        filled.search(None, since="last tuesday")


def test_store_search_by_source_matches_entity_or_words_as_written(filled):
    assert found(filled.search(None, source="Dmitry Peskov")) == [("k3", "k3-0"), ("k2", "k2-0")]
    assert found(filled.search(None, source="kremlin")) == [("k2", "k2-0"), ("k1", "k1-0")]
    assert found(filled.search(None, source="dockers")) == [("k4", "k4-0")]
    assert found(filled.search(None, source="kreml")) == []  # whole words only
    assert found(filled.search("congratulations", source="peskov")) == [("k2", "k2-0")]
    assert filled.search(None, source="...") == []


def test_store_search_by_stance(filled):
    assert found(filled.search(None, stance="deny")) == [("k2", "k2-0")]
    assert found(filled.search(None, stance="uncertain")) == [("k3", "k3-1")]
    assert found(filled.search("congratulations", stance="assert")) == [("k1", "k1-0")]
    # words are looked for in contents: k1's source names the Kremlin, its content does not
    assert found(filled.search("kremlin", stance="assert")) == [("k3", "k3-0")]
    assert found(filled.search(None, source="peskov", stance="assert")) == [("k3", "k3-0")]


def test_store_search_without_words_lists_articles_newest_first_undated_last(filled):
    assert found(filled.search()) == [("k3", None), ("k2", None), ("k1", None), ("k4", None)]
    assert found(filled.search(limit=2)) == [("k3", None), ("k2", None)]


def test_store_search_hit_says_where_and_shows_the_match(filled):
    hit = filled.search("inaccurate")[0]
    assert (hit.article_id, hit.title, hit.outlet, hit.published) == ("k2", "Kremlin denies", "Caliber.Az",
                                                                      "2024-11-07T09:30:00+04:00")
    assert (hit.attribution_id, hit.source, hit.stance) == ("k2-0", "Dmitry Peskov", "deny")
    assert hit.snippet == "the congratulations report inaccurate"
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["inaccurate"]
    text_hit = filled.search("rotterdam", outlet="caliber.az")[0]
    assert text_hit.attribution_id is None and "Rotterdam" in text_hit.snippet
    assert [text_hit.snippet[s:e] for s, e in text_hit.highlights] == ["Rotterdam"]
    assert hit.to_dict()["highlights"] == [(27, 37)]


def test_store_search_snippet_of_a_long_text_is_a_window_around_the_match(store):
    text = "Filler words here. " * 40 + "The minister denied everything. " + "More filler follows. " * 40
    store.add(Article(id="long", text=text))
    hit = store.search("denied")[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…") and len(hit.snippet) <= 202
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["denied"]


QUERIES = [dict(query="congratulations"), dict(query="kremlin"), dict(query="congrat*"), dict(query="strike"),
           dict(query="kremlin", outlet="caliber.az"), dict(source="peskov"), dict(stance="assert"),
           dict(since="2024-11-07"), dict(until="2024-11"), dict(), dict(query="said the", limit=2),
           dict(query="rotterdam"), dict(source="union", stance="assert")]


@pytest.mark.postgres
def test_store_search_same_results_on_sqlite_and_postgresql(sqlite_url, postgres_url):
    with open_store(sqlite_url) as lite, open_store(postgres_url) as pg:
        ties = [Article(id=i, text="A tie on the date.") for i in ("alpha", "Zeta", "a-b", "ab", "_x", "A1")]
        for a, an in CORPUS + [(t, None) for t in ties]:
            lite.add(a, an)
            pg.add(a, an)
        assert [h.article_id for h in pg.search("tie")] == ["A1", "Zeta", "_x", "a-b", "ab", "alpha"]  # bytes
        assert list(lite.ids()) == list(pg.ids())
        for kwargs in QUERIES:
            assert [h.to_dict() for h in lite.search(**kwargs)] == [h.to_dict() for h in pg.search(**kwargs)], kwargs
        assert lite.get("k3") == pg.get("k3")
        assert {k: v for k, v in lite.stats().items() if k != "size"} == \
            {k: v for k, v in pg.stats().items() if k != "size"}
