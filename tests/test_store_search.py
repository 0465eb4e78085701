"""Search: words, each filter, the order of hits, snippets, and the same answers from SQLite and PostgreSQL."""
import re

import pytest

from according.errors import StoreError
from according.model import Analysis, Article, Attribution
from according.store import open_store
from according.store.query import QueryError


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
    # k1 and k2 match in an attribution's content, k3 too by its stem ("congratulate"); nothing else matches.
    assert found(filled.search("congratulations")) == [("k3", "k3-0"), ("k2", "k2-0"), ("k1", "k1-0")]
    # "harbour" is in k4's title and only in k2's text, outside its attributions: title hits rank first.
    assert found(filled.search("harbour")) == [("k4", None), ("k2", None)]
    assert found(filled.search("harbour", sort="newest")) == [("k2", None), ("k4", None)]
    # k4's attribution holds "strike": statements rank before articles; newest first, the undated last.
    assert found(filled.search("strike")) == [("k4", "k4-0"), ("k2", None)]
    assert found(filled.search("strike", sort="newest")) == [("k2", None), ("k4", "k4-0")]


def test_store_search_needs_every_word_folds_case_and_accents_and_takes_prefixes(filled):
    assert found(filled.search("Putin TRUMP")) == [("k1", "k1-0")]
    assert found(filled.search("putin rotterdam")) == []
    assert found(filled.search("cafe")) == [("k4", None)]
    assert found(filled.search("congratulat*")) == [("k3", "k3-0"), ("k2", "k2-0"), ("k1", "k1-0")]
    assert found(filled.search("congratulations*")) == [("k2", "k2-0"), ("k1", "k1-0")]


def test_store_search_stems_words_but_not_phrases(filled):
    assert found(filled.search("deny")) == found(filled.search("denies")) == [("k2", None)]  # k2's title
    assert found(filled.search("doubt")) == [("k3", None)]  # "doubted", outside any content
    assert found(filled.search("plan")) == [("k3", "k3-0")]  # "plans"
    assert found(filled.search("complaining")) == [("k4", None)]  # "complained"
    assert found(filled.search('"plan"')) == []  # quotes: this form only
    assert found(filled.search('"plans"')) == [("k3", "k3-0")]


def test_store_search_or_not_phrases_and_groups(filled):
    assert found(filled.search("inaccurate OR rotterdam")) == [("k2", "k2-0"), ("k4", None)]
    assert found(filled.search("kremlin -peskov")) == found(filled.search("kremlin NOT peskov")) == \
        [("k3", "k3-0"), ("k1", None)]  # k2 names Peskov
    assert found(filled.search('"the congratulations report"')) == [("k2", "k2-0")]
    assert found(filled.search('"report congratulations"')) == []  # the words in another order
    assert found(filled.search('"the strike would"')) == [("k4", "k4-0")]
    assert found(filled.search('"strike would last" -"a week"')) == []
    assert found(filled.search('"congratulations report" OR "sent congratulations"')) == \
        [("k2", "k2-0"), ("k1", "k1-0")]
    assert found(filled.search("(putin OR analysts) -trump")) == [("k3", None)]
    assert found(filled.search('"no pla"*')) == [("k3", "k3-0")]
    # punctuation inside a word makes a phrase of its parts, as the index cut them
    assert found(filled.search("caliber.az")) == []
    assert found(filled.search("café-owners")) == [("k4", None)]
    # lower-case or and not are words like any other
    assert found(filled.search("plans or not")) == []


@pytest.mark.parametrize("query, problem", [
    ('"inaccurate', 'a " is not closed'), ("(kremlin OR peskov", "a ( is not closed"), ("kremlin)", "closes no"),
    ("-peskov", "only leaves words out"), ("kremlin OR -peskov", "only leaves words out"),
    ("OR kremlin", "an OR needs words"), ("kremlin OR", "an OR needs words"), ("kremlin NOT", "a NOT"),
    ("congr*at", "a * goes at the end"), ('"congrat*"', "after the closing quote"), ("?!", "no words to find"),
    ("", "it is empty"), ("()", "holds no words"), ("(" * 40 + "a" + ")" * 40, "nest deeper"),
    (" ".join(["w"] * 100), "more than 64 words"),
])
def test_store_search_refuses_a_query_it_cannot_read(filled, query, problem):
    with pytest.raises(QueryError, match=re.escape(problem)) as caught:
        filled.search(query)
    assert caught.value.code == "A402" and repr(query)[:20] in str(caught.value)


def test_store_search_pages_and_counts(filled):
    everything = found(filled.search("kremlin OR strike OR putin", limit=None))
    assert len(everything) == filled.count("kremlin OR strike OR putin") == 4
    pages = [found(filled.search("kremlin OR strike OR putin", limit=3, offset=n)) for n in (0, 3, 6)]
    assert pages[0] + pages[1] == everything and len(pages[1]) == 1 and pages[2] == []
    assert found(filled.search("kremlin OR strike OR putin", limit=None, offset=3)) == everything[3:]
    assert filled.search("kremlin", limit=0) == [] and filled.count("kremlin") == 3
    assert found(filled.search("kremlin", limit=10 ** 20)) == found(filled.search("kremlin", limit=None))
    assert filled.search("kremlin", offset=10 ** 20) == []
    assert filled.count(None) == 4 and filled.count(None, stance="assert") == 3
    assert [filled.count("kremlin OR strike OR putin", at_most=n) for n in (0, 1, 3, 4, 9)] == [0, 1, 3, 4, 4]
    with pytest.raises(StoreError, match="cannot be negative"):
        filled.search("kremlin", offset=-1)
    with pytest.raises(StoreError, match="cannot sort by 'oldest'"):
        filled.search("kremlin", sort="oldest")


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


def test_store_search_takes_the_first_and_last_days_there_are(filled):
    dated = [("k3", None), ("k2", None), ("k1", None)]
    assert found(filled.search(None, until="9999-12-31")) == found(filled.search(None, until="9999")) == dated
    assert found(filled.search(None, until="9999-12")) == found(filled.search(None, since="0001-01-01")) == dated
    assert filled.search(None, until="0001-01-01T00:00:00+00:00") == []
    for beyond in ("10000-01-01", "0000-12-31"):
        with pytest.raises(StoreError, match="cannot read the date"):
            filled.search(None, until=beyond)


def test_store_search_by_source_matches_entity_or_words_as_written(filled):
    assert found(filled.search(None, source="Dmitry Peskov")) == [("k3", "k3-0"), ("k2", "k2-0")]
    assert found(filled.search(None, source="kremlin")) == [("k2", "k2-0"), ("k1", "k1-0")]
    assert found(filled.search(None, source="dockers")) == [("k4", "k4-0")]
    assert found(filled.search(None, source="kreml")) == []  # whole words only
    assert found(filled.search("congratulations", source="peskov")) == [("k3", "k3-0"), ("k2", "k2-0")]
    assert filled.search(None, source="...") == []


def test_store_search_by_stance(filled):
    assert found(filled.search(None, stance="deny")) == [("k2", "k2-0")]
    assert found(filled.search(None, stance="uncertain")) == [("k3", "k3-1")]
    assert found(filled.search("congratulations", stance="assert")) == [("k3", "k3-0"), ("k1", "k1-0")]
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


def test_store_search_marks_every_form_the_query_matched(store):
    text = "Residents were dying of thirst, officials denied. Thirsty crowds denied nothing; Élodie Dupont agreed."
    store.add(Article(id="forms", text=text))

    def marked(query):
        hit = store.search(query)[0]
        return [hit.snippet[s:e] for s, e in hit.highlights]
    assert marked("die") == ["dying"]
    assert marked("deny -water") == ["denied", "denied"]
    assert marked('"officials denied"') == ["officials", "denied", "denied"]  # a phrase's words, wherever they are
    assert marked("thirst*") == ["thirst", "Thirsty"]
    assert marked("elodie OR agreeing") == ["Élodie", "agreed"]


def test_store_search_snippet_of_a_long_text_is_a_window_around_the_match(store):
    text = "Filler words here. " * 40 + "The minister denied everything. " + "More filler follows. " * 40
    store.add(Article(id="long", text=text))
    hit = store.search("denied")[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…") and len(hit.snippet) <= 202
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["denied"]


def test_store_search_hit_is_a_full_record(filled):
    hit = filled.search('"report inaccurate"')[0]
    assert (hit.source_text, hit.source_entity, hit.cue, hit.content, hit.kind) == \
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", "called", "the congratulations report inaccurate",
         "indirect")
    assert filled.search("dockers", limit=1)[0].content is None  # an article hit: its text matched


def test_store_tally_counts_the_hits_by_month_outlet_source_and_stance(filled):
    assert filled.tally("month", "kremlin OR strike OR putin") == [("2024-11", 2), ("2024-12", 1), (None, 1)]
    assert filled.tally("outlet", None) == [("Caliber.Az", 2), ("Reuters", 1), ("Verstka", 1)]
    assert filled.tally("source", None, stance="assert") == \
        [("Dmitry Peskov", 1), ("Dutch dockers' union", 1), ("Sources close to the Kremlin", 1)]
    assert filled.tally("stance", "congratul*") == [("assert", 2), ("deny", 1)]
    assert filled.tally("stance", "harbour") == [(None, 2)]  # article hits: no statement, so no stance
    for by in ("month", "outlet", "source", "stance"):
        assert sum(n for _, n in filled.tally(by, "kremlin OR strike")) == filled.count("kremlin OR strike")
    with pytest.raises(StoreError, match="cannot count by 'week'"):
        filled.tally("week", "kremlin")


def test_store_search_phrases_hold_past_the_position_limits(store):
    """PostgreSQL keeps 16383 positions and 256 per word: beyond them, words are found and phrases not, alike."""
    text = "alpha beta " * 300 + "gamma delta " + "filler " * 16000 + "omega zeta"
    store.add(Article(id="long", text=text, title="Long read"))
    assert found(store.search("zeta")) == found(store.search("omega")) == [("long", None)]
    assert store.search('"omega zeta"') == []  # past 16381 words: no place in a phrase
    assert found(store.search('"gamma delta"')) == [("long", None)]
    assert found(store.search('"alpha beta alpha"')) == [("long", None)]
    assert store.search('"beta gamma"') == []  # beta's 301st use: over 256
    assert found(store.search('"long read" alpha')) == [("long", None)]


def test_store_search_index_of_an_older_store_is_rebuilt_on_opening(store_url):
    with open_store(store_url) as store:
        for a, an in CORPUS:
            store.add(a, an)
        before = [h.to_dict() for h in store.search("congratulated OR harbour")]
        cur = store._conn.cursor()
        if store.dialect.name == "sqlite":  # the 0002 index: words only, no positions or stems
            for table in ("articles", "attributions"):
                cur.execute(f"DROP TABLE {table}_fts")
                cur.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5(terms, content='', detail=none,"
                            " tokenize='ascii')")
        else:
            cur.execute("UPDATE articles SET terms = NULL")
            cur.execute("UPDATE attributions SET terms = NULL")
        cur.execute("DELETE FROM migrations WHERE name LIKE '0003_search%'")
    with open_store(store_url) as store:
        assert [m for m in store.migrated if m.startswith("0003_search")]
        assert [h.to_dict() for h in store.search("congratulated OR harbour")] == before != []


def test_store_articles_are_searchable_in_datasette(tmp_path):
    """datasette finds the full-text tables by their content= option and searches them for a word as written."""
    import sqlite3

    from datasette.utils import detect_fts, escape_fts

    with open_store(tmp_path / "a.db") as store:
        for a, an in CORPUS:
            store.add(a, an)
    conn = sqlite3.connect(tmp_path / "a.db")
    assert (detect_fts(conn, "articles"), detect_fts(conn, "attributions")) == ("articles_fts", "attributions_fts")
    ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE rowid IN (SELECT rowid FROM articles_fts"
                                      " WHERE articles_fts MATCH ?) ORDER BY id", [escape_fts("Rotterdam")])]
    assert ids == ["k2", "k4"]


QUERIES = [dict(query="congratulations"), dict(query="kremlin"), dict(query="congrat*"), dict(query="strike"),
           dict(query="kremlin", outlet="caliber.az"), dict(source="peskov"), dict(stance="assert"),
           dict(since="2024-11-07"), dict(until="2024-11"), dict(), dict(query="said the", limit=2),
           dict(query="rotterdam"), dict(source="union", stance="assert"), dict(query="deny OR strike -dockers"),
           dict(query='"the congratulations report" OR "no plans"'), dict(query='"no pla"* OR harbour'),
           dict(query="(putin OR analysts) -trump", sort="newest"), dict(query="kremlin", limit=1, offset=1),
           dict(query="tie OR kremlin", limit=None), dict(until="9999-12-31")]


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
            counted = {k: v for k, v in kwargs.items() if k not in ("limit", "offset", "sort")}
            assert lite.count(**counted) == pg.count(**counted), kwargs
            for by in ("month", "outlet", "source", "stance"):
                assert lite.tally(by, **counted) == pg.tally(by, **counted), (by, kwargs)
        assert lite.get("k3") == pg.get("k3")
        assert {k: v for k, v in lite.stats().items() if k != "size"} == \
            {k: v for k, v in pg.stats().items() if k != "size"}


def test_store_search_page_of_many_hits_is_the_same_slice_of_all_hits(store):
    """Where most statements match (words, or a source), a page is found by walking the articles newest first and
    stopping (not by sorting every hit): it must be exactly that slice of all the hits, in both orders, with
    undated articles, near-copies, article hits and title hits among them."""
    for n in range(48):
        place = "harbour" if n % 2 else "dock"
        text = f"Officials said the {place} strike {n} went on. The strike was long."
        meta = {"title": "Strike" if n % 4 == 0 else f"Port {n}", "outlet": "Reuters"}
        if n % 5:
            meta["published"] = f"2024-{n % 12 + 1:02d}-{n % 27 + 1:02d}"
        stance = "assert" if n % 7 == 0 else "deny"
        statements = [("Officials", "said", f"the {place} strike {n} went on", stance, None)] if n % 4 != 3 else []
        a, an = article(f"s{n:02d}", text, statements, **meta)
        store.add(a, an, duplicate_of="s00" if n == 47 else None)
    for asked in ({"query": "strike"}, {"query": "strike -harbour"}, {"query": "harbour OR long"},
                  {"source": "officials"}, {"query": "strike", "stance": "deny"}, {"source": "officials", "stance": "deny"}):
        for sort in ("relevance", "newest"):
            everything = store.hits(**asked, limit=None, sort=sort)
            assert len(everything) == store.count(**asked) > 10
            for offset, limit in ((0, 3), (5, 4), (12, 20), (30, 6), (60, 5)):
                assert store.hits(**asked, limit=limit, offset=offset, sort=sort) == everything[offset:offset + limit]


def test_store_search_keys_of_an_older_store_are_filled_on_opening(store_url):
    """A store from before claim_positions and source_words (0006, 0007) gets them from its rows on opening: its
    source filter and status facet answer as a new store's."""
    from according.model import Claim, Position

    with open_store(store_url) as store:
        for a, an in CORPUS:
            if a.id == "k2":
                an.claims = [Claim(id="c1", text="the report is inaccurate", status="denied",
                                   positions=[Position("k2-0", "deny")])]
            store.add(a, an)
        store.set_corpus_claims({("k2", "c1"): "cc1"}, [{
            "id": "cc1", "text": "the report is inaccurate", "status": "denied", "first_seen": "2024-11-07",
            "first_seen_ts": None, "articles": 1, "outlets": "[]", "parties": "[]"}])
        asked = [("peskov", None), (None, "denied")]
        before = [store.hits(source=s, status=st, limit=None) for s, st in asked] + [store.tally("status")]
        cur = store._conn.cursor()
        for statement in ("DROP TABLE claim_positions", "DROP TABLE source_words", "DROP INDEX articles_search",
                          "DROP INDEX articles_newest", "DROP INDEX claims_article_corpus_claim",
                          "DROP INDEX corpus_claims_status",
                          "DELETE FROM migrations WHERE name IN ('0006_claim_positions', '0007_search_keys')"):
            cur.execute(statement)
    with open_store(store_url) as store:
        assert store.migrated == ["0006_claim_positions", "0007_search_keys"]
        after = [store.hits(source=s, status=st, limit=None) for s, st in asked] + [store.tally("status")]
    assert after == before and before[0] and before[1] == [("k2", None)] and before[2] == [("denied", 1)]
