"""Storing articles: whole or not at all, once, and read back exactly (on SQLite and PostgreSQL)."""
import hashlib

import pytest

from according.errors import ArticleRefused, ReadOnlyStore, StoreError
from according.model import Analysis, Article, Attribution, Entity
from according.store import AmbiguousId, open_store, store as store_module

TEXT = ('Kremlin spokesman Dmitry Peskov denied the report. "It is inaccurate," he told Russian media, '
        "citing, he said, what officials had confirmed. Sources close to the Kremlin reportedly disagreed.")


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def sample(text: str = TEXT, **meta) -> tuple[Article, Analysis]:
    article = Article(id=hashlib.sha256(text.encode()).hexdigest(), text=text, **meta)
    s = lambda w: span(text, w)  # noqa: E731
    analysis = Analysis(text=text, attributions=[
        Attribution(id="a1", source=[s("Kremlin spokesman Dmitry Peskov")], cue=[s("denied")],
                    content=[s("the report")], stance="deny", source_entity="Dmitry Peskov"),
        Attribution(id="a2", source=[s("he told")], cue=[s("told")], content=[s("It is inaccurate")],
                    kind="direct", stance="deny", source_entity="Dmitry Peskov", via=[s("officials")]),
        Attribution(id="a3", source=[s("officials")], cue=[s("confirmed")], content=[s("citing"), s("what")],
                    kind="mixed", parent="a2", hedged=True),
        Attribution(id="a4", source=[s("Sources close to the Kremlin")], cue=[s("reportedly")],
                    content=[s("disagreed")], stance="uncertain", anonymous=True),
    ], entities=[Entity("Dmitry Peskov", "PERSON", "Kremlin spokesman", [s("Dmitry Peskov")]),
                 Entity("Kremlin", "ORG", None, [s("Kremlin"), (text.rindex("Kremlin"), text.rindex("Kremlin") + 7)])])
    return article, analysis


def test_store_add_then_get_returns_the_same_article_and_analysis(store):
    article, analysis = sample(title="Kremlin denies", url="https://example.org/a", outlet="Caliber.Az",
                               author="A. Writer", language="en", published="2024-11-07T10:00:00+03:00",
                               origin="feed.xml")
    assert store.add(article, analysis) is True
    got_article, got_analysis = store.get(article.id)
    assert got_article == article
    assert got_analysis.attributions == analysis.attributions
    assert got_analysis.entities == analysis.entities
    assert (got_analysis.text, got_analysis.id, got_analysis.meta) == (article.text, article.id, article.meta())


def test_store_add_without_analysis_stores_the_article_alone(store):
    article, _ = sample()
    assert store.add(article)
    assert store.get(article.id)[1].attributions == []


def test_store_add_twice_changes_nothing(store):
    article, analysis = sample()
    assert store.add(article, analysis) is True
    before = store.stats()
    other = Analysis(text=article.text, attributions=analysis.attributions[:1])
    assert store.add(article, other) is False
    assert store.add(article, analysis) is False
    assert store.stats() == before
    assert store.get(article.id)[1].attributions == analysis.attributions
    assert len(store.search("inaccurate")) == 1


def test_store_get_by_unique_prefix(store):
    article, analysis = sample()
    store.add(article, analysis)
    assert store.get(article.id[:6])[0] == article
    assert store.get("zzzz") is None
    assert store.get("") is None


def test_store_get_by_ambiguous_prefix_raises(store):
    for n in range(2):
        store.add(Article(id=f"abc{n}", text=f"text {n}"))
    with pytest.raises(AmbiguousId, match=r"\[A401\].*'abc'"):
        store.get("abc")
    assert store.get("abc1")[0].text == "text 1"


def test_store_has_and_known_ids_in_batches(store, monkeypatch):
    monkeypatch.setattr(store_module, "BATCH", 3)
    for n in range(0, 10, 2):
        store.add(Article(id=f"id{n}", text=f"text {n}"))
    assert store.has("id4") and not store.has("id5")
    asked = [f"id{n}" for n in range(10)] + ["id4"]
    assert store.known_ids(asked) == {"id0", "id2", "id4", "id6", "id8"}
    assert store.known_ids([]) == set()
    assert sorted(store.ids()) == ["id0", "id2", "id4", "id6", "id8"]


def test_store_signatures_and_duplicates(store, monkeypatch):
    monkeypatch.setattr(store_module, "BATCH", 2)
    original, analysis = sample(title="Kremlin denies")
    copy = Article(id="copy", text=original.text + " Copyright wire.", title="Peskov: report inaccurate")
    store.add(original, analysis, signature=b"\x00\x01sig")
    store.add(copy, None, duplicate_of=original.id, signature=b"\xffcopy")
    store.add(Article(id="plain", text="No signature here."))
    assert dict(store.signatures()) == {original.id: b"\x00\x01sig", "copy": b"\xffcopy"}
    stats = store.stats()
    assert (stats["articles"], stats["duplicates"], stats["attributions"], stats["entities"]) == (3, 1, 4, 2)
    assert stats["size"] > 0
    assert [h.article_id for h in store.search("kremlin")] == [original.id]  # the near-copy is not counted twice


def test_store_failed_add_leaves_nothing(store):
    article, analysis = sample()
    broken = Analysis(text=article.text, attributions=analysis.attributions + analysis.attributions[:1])
    with pytest.raises(ArticleRefused, match=r"\[A420\] cannot store article"):
        store.add(article, broken)  # the repeated attribution id fails after the article and 4 rows were written
    assert not store.has(article.id)
    assert store.stats()["articles"] == store.stats()["attributions"] == store.stats()["entities"] == 0
    assert store.search("inaccurate") == [] and store.search("kremlin") == []
    assert store.add(article, analysis)
    assert [h.attribution_id for h in store.search("inaccurate")] == ["a2"]


def test_store_add_refuses_what_one_back_end_could_not_store(store):
    article, analysis = sample()
    with pytest.raises(StoreError, match="another text"):
        store.add(article, Analysis(text="something else", attributions=analysis.attributions))
    with pytest.raises(ArticleRefused, match="NUL"):
        store.add(Article(id="nul", text="a\x00b"))
    with pytest.raises(ArticleRefused, match="lone surrogate"):
        store.add(Article(id="lone", text="a b", title="a \ud800"))
    assert store.stats()["articles"] == 0


def test_store_opened_read_only_reads_and_refuses_every_write(store_url):
    article, analysis = sample()
    with open_store(store_url) as writer:
        writer.add(article, analysis)
    with open_store(store_url, read_only=True) as reader:
        assert [h.attribution_id for h in reader.search("inaccurate")] == ["a2"]
        other = Article(id="other", text="The mayor said the bridge would close.")
        with pytest.raises(ReadOnlyStore, match=r"\[A411\] cannot store article .* read-only"):
            reader.add(other)
        with pytest.raises(ReadOnlyStore):
            reader.add_overrides([("same", f"{article.id}:c1", "other:c1")])
        assert reader.stats()["articles"] == 1


def test_store_original_of_names_the_original_of_a_near_copy(store):
    from according.model import Article

    store.add(Article(id="orig", text="The wire story as first written."))
    store.add(Article(id="copy", text="The wire story as first written, with a new footer."), duplicate_of="orig")
    assert store.original_of("copy") == "orig"
    assert store.original_of("orig") is None
    assert store.original_of("unknown") is None


def test_store_exclusive_is_held_by_one_store_at_a_time(store_url):
    # relink reads the whole store and writes what it computed: two at once would save an older reading last
    import threading

    order = []
    with open_store(store_url) as first, open_store(store_url) as second:
        def wait_for_it():
            with second.exclusive():
                order.append("second")

        with first.exclusive():
            waiter = threading.Thread(target=wait_for_it)
            waiter.start()
            waiter.join(timeout=1.0)
            order.append("first done")
        waiter.join(timeout=10)
    assert order == ["first done", "second"]


@pytest.mark.postgres
def test_store_a_lost_connection_to_postgresql_is_store_unreachable(postgres_url):
    # issue 9: PostgreSQL stopped mid-run; the run must say the server went away, not "free disk space"
    import psycopg

    from according.errors import StoreUnreachable, StoreWriteError

    with open_store(postgres_url) as store:
        store.add(Article(id="first", text="The mayor said the bridge would close."))
        backend = store._read("SELECT pg_backend_pid()")[0][0]
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [backend])
        with pytest.raises(StoreUnreachable, match=r"\[A412\].*connection to postgresql://.*server running") as lost:
            store.add(Article(id="second", text="The council denied it."))
        assert isinstance(lost.value, StoreWriteError)  # the ingest run stops at it, as at a full disk
    with open_store(postgres_url) as store:
        assert store.known_ids(["first", "second"]) == {"first"}
