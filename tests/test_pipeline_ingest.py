"""`according.corpus.ingest`: what reaches the store, what is skipped or linked, and what is reported as failed."""
import io

import pytest
from ingest_server import article_page, site  # noqa: F401 (fixture)
from test_pipeline_corpus import corpus, snapshot, write_folder, write_jsonl
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import according.scale
from according.corpus import expected_items, ingest
from according.store import open_store


@pytest.fixture(scope="session")
def loaded_model():
    """spaCy once per session: the local engine reuses this process's extractor."""
    from according.scale.worker import extractor

    return extractor()


@pytest.fixture
def extracted(monkeypatch, loaded_model):
    """The ids of the records sent to the extractor, in order (the engine is the real one, watched)."""
    sent = []
    real = according.scale.run

    def watched(records, *args, **kwargs):
        def spy():
            for record in records:
                sent.append(record.id)
                yield record
        return real(spy(), *args, **kwargs)

    monkeypatch.setattr(according.scale, "run", watched)
    return sent


def by_origin(docs, path):
    """The doc each stored article came from, by the `file.jsonl#id` origin the JSONL reader gives it."""
    return {f"{path}#{d['id']}": d for d in docs}


def test_pipeline_stores_each_article_with_the_extractors_reading(tmp_path, loaded_model, extracted):
    docs = corpus(6, copies=(), repeat=None)
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    with open_store(tmp_path / "a.db") as store:
        summary = ingest([str(path)], store, engine="local")
        assert (summary.read, summary.stored, summary.duplicates, summary.skipped, summary.failed) == (6, 6, 0, 0, 0)
        ids = list(store.ids())
        assert len(ids) == 6 and sorted(extracted) == ids
        origins = by_origin(docs, path)
        for article_id in ids:
            article, analysis = store.get(article_id)
            doc = origins[article.origin]
            assert (article.text, article.title, article.outlet, article.published) == \
                (doc["text"], doc["title"], doc["outlet"], doc["published"])
            direct = loaded_model.analyze(doc["text"])
            assert analysis.attributions == direct.attributions and analysis.entities == direct.entities
            assert any(a.stance == "deny" for a in analysis.attributions)


def test_pipeline_rerun_skips_everything_and_changes_nothing(tmp_path, extracted):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(8))
    with open_store(tmp_path / "a.db") as store:
        first = ingest([str(path)], store, engine="local")
        before, sent = snapshot(store), len(extracted)
        again = ingest([str(path)], store, engine="local")
        assert snapshot(store) == before and len(extracted) == sent  # nothing read again
    assert (again.read, again.skipped, again.stored, again.duplicates) == (first.read, first.read, 0, 0)


def test_pipeline_near_copies_linked_not_extracted_and_repeats_skipped(tmp_path, extracted):
    docs = corpus(10, copies=(2, 9), repeat=4)
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    with open_store(tmp_path / "a.db") as store:
        summary = ingest([str(path)], store, engine="local")
        assert (summary.read, summary.stored, summary.duplicates, summary.skipped) == (13, 10, 2, 1)
        origins = {a.origin: a.id for a in (store.get(i)[0] for i in store.ids())}
        for n in (2, 9):
            copy, original = origins[f"{path}#c{n:03d}"], origins[f"{path}#d{n:03d}"]
            assert copy not in extracted and original in extracted
            rows = store._read("SELECT duplicate_of, signature FROM articles WHERE id = ?", [copy])
            assert rows == [(original, None)]
            assert store.get(copy)[1].attributions == []
        assert f"{path}#r004" not in origins  # the same text twice is one article
        assert store.stats()["duplicates"] == 2


def test_pipeline_copy_of_an_article_stored_by_an_earlier_run_is_linked(tmp_path, extracted):
    docs = corpus(6, copies=(3,), repeat=None)
    copy = next(d for d in docs if d["id"] == "c003")
    first, second = write_jsonl(tmp_path / "one.jsonl", [d for d in docs if d is not copy]), \
        write_jsonl(tmp_path / "two.jsonl", [copy])
    with open_store(tmp_path / "a.db") as store:
        ingest([str(first)], store, engine="local")
    with open_store(tmp_path / "a.db") as store:  # a new process would start here: the index comes from the store
        summary = ingest([str(second)], store, engine="local")
        assert (summary.duplicates, summary.stored) == (1, 0)
        [(original,)] = store._read("SELECT duplicate_of FROM articles WHERE origin = ?", [f"{second}#c003"])
        assert store.get(original)[0].origin == f"{first}#d003"


def test_pipeline_two_ingests_at_once_link_the_near_copies_of_each_other(tmp_path, store_url, loaded_model):
    # issue 9, item 7: originals in one run, their copies in another that began before the originals were stored
    from according.corpus import ingest_articles
    from according.ingest.records import new_article

    docs = corpus(4, copies=(1, 3), repeat=None)
    originals = [new_article(d["text"], origin=d["id"]) for d in docs if d["id"].startswith("d")]
    copies = [new_article(d["text"], origin=d["id"]) for d in docs if d["id"].startswith("c")]
    copy_of_copy = new_article(copies[0].text + "\nShared by the Evening Wire.", origin="cc001")
    with open_store(store_url) as first, open_store(store_url) as second:
        def copies_read_once_the_originals_are_stored():
            # the second run has built its index by now, from an empty store: it sees the originals only as
            # it stores its own articles
            ingest_articles(originals, first)
            yield from [*copies, copy_of_copy]

        summary = ingest_articles(copies_read_once_the_originals_are_stored(), second)
        assert (summary.stored, summary.duplicates) == (0, 3)
        linked = dict(second._read("SELECT origin, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"))
        by_origin = {a.origin: a.id for a in originals}
        assert linked == {"c001": by_origin["d001"], "c003": by_origin["d003"], "cc001": by_origin["d001"]}
        assert second._read("SELECT COUNT(*) FROM attributions WHERE article_id IN (?, ?)",
                            [copies[0].id, copies[1].id]) == [(0,)]  # stored as copies: no reading of their own
        assert second._read("SELECT COUNT(*) FROM claims WHERE corpus_claim IS NULL") == [(0,)]


def test_pipeline_bad_inputs_reported_with_reasons_and_the_rest_ingested(tmp_path, site):  # noqa: F811
    site.add("/feed.xml", "this is not a feed at all { } <<<", "application/rss+xml")
    site.add("/menu.html", "<html><body><nav><a href='/1'>One</a> <a href='/2'>Two</a></nav></body></html>")
    site.add("/slow.html", article_page("Slow"), delay=3)
    site.add("/good.html", article_page("Kremlin denies congratulations"))
    folder = write_folder(tmp_path / "in", corpus(3, copies=(), repeat=None))
    (folder / "legacy.txt").write_bytes(bytes(range(128, 256)) * 3)
    (folder / "crawl.warc").write_bytes(truncated_warc())
    sources = [str(folder), site.url("/feed.xml"), site.url("/menu.html"), site.url("/slow.html"),
               site.url("/good.html")]
    with open_store(tmp_path / "a.db") as store:
        summary = ingest(sources, store, engine="local", allow_private=True, timeout=0.5)
        titles = {store.get(i)[0].title for i in store.ids()}
    reasons = {f.origin: f.reason for f in summary.failures}
    assert "binary data" in reasons[str(folder / "legacy.txt")]
    [cut] = [o for o, r in reasons.items() if "truncated" in r]  # named by its record or its page's URI
    assert cut.startswith(str(folder / "crawl.warc")) or cut == "https://news.example/2"
    assert "not an RSS or Atom feed" in reasons[site.url("/feed.xml")]
    assert "no article" in reasons[site.url("/menu.html")]
    assert "time" in reasons[site.url("/slow.html")].lower()
    assert summary.failed == 5 and summary.stored == 5  # 3 files, the WARC's first page and the good page
    assert {"Kremlin denies congratulations", "Wire story 1"} <= titles
    assert summary.read + 5 == summary.stored + summary.duplicates + summary.skipped + summary.failed


def truncated_warc() -> bytes:
    """Two pages in a crawl, cut in the middle of the second."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for n in (1, 2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        paragraph = f"Story {n}: the minister said the port would reopen on day {n}, officials told reporters."
        page = article_page(f"Wire story {n}", paragraphs=[paragraph] * 3)
        writer.write_record(writer.create_warc_record(f"https://news.example/{n}", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=headers))
    data = buf.getvalue()
    return data[:len(data) - 300]


def test_pipeline_extraction_failure_is_reported_not_stored_and_retried(tmp_path, monkeypatch, loaded_model):
    docs = corpus(5, copies=(2,), repeat=None)
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    real_pipe = type(loaded_model).pipe

    def pipe(self, records, batch_size=16, **options):
        records = list(records)
        if any("at least 37 million" in r["text"] for r in records):  # article 2 and its copy
            raise RuntimeError("boom")
        return real_pipe(self, records, batch_size, **options)

    monkeypatch.setattr(type(loaded_model), "pipe", pipe)
    with open_store(tmp_path / "a.db") as store:
        summary = ingest([str(path)], store, engine="local", batch_size=2)
        assert (summary.stored, summary.duplicates, summary.failed) == (4, 0, 2)
        original, copy = summary.failures
        assert original.origin == f"{path}#d002" and "RuntimeError: boom" in original.reason
        assert copy.origin == f"{path}#c002" and "near-copy" in copy.reason
        assert store.stats()["articles"] == 4
        monkeypatch.setattr(type(loaded_model), "pipe", real_pipe)
        retry = ingest([str(path)], store, engine="local")
        assert (retry.stored, retry.duplicates, retry.skipped, retry.failed) == (1, 1, 4, 0)


def test_pipeline_nul_in_a_text_is_mended_on_entry_and_stored(tmp_path, loaded_model):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "nul", "text": "The mayor said \\u0000 the bridge would close."}\n')
    with open_store(tmp_path / "a.db") as store:
        summary = ingest([str(path)], store, engine="local")
        assert summary.stored == 1 and not summary.failures
        [article_id] = store.ids()
        assert store.get(article_id)[0].text == "The mayor said \ufffd the bridge would close."


def test_pipeline_article_the_store_refuses_is_a_failure_and_the_run_goes_on(tmp_path, loaded_model):
    docs = corpus(3, copies=(), repeat=None)
    docs[1]["title"] = "refuse me"
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    with open_store(tmp_path / "a.db") as store:
        # the database itself refuses one row, as a constraint would
        store._conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.title = 'refuse me' "
                            "BEGIN SELECT RAISE(ABORT, 'refused by a check'); END")
        summary = ingest([str(path)], store, engine="local")
        assert summary.stored == 2 and [f.origin for f in summary.failures] == [f"{path}#{docs[1]['id']}"]
        assert "[A420]" in summary.failures[0].reason and "refused by a check" in summary.failures[0].reason


def test_pipeline_progress_counts_every_item_and_the_total_is_known_for_files(tmp_path, loaded_model):
    docs = corpus(5, copies=(1,), repeat=3)
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    with path.open("a") as f:
        f.write("\n{not json\n")
    folder = write_folder(tmp_path / "in", corpus(2, copies=(), repeat=None))
    seen = []
    with open_store(tmp_path / "a.db") as store:
        summary = ingest([str(path), str(folder)], store, engine="local",
                         on_progress=lambda s: seen.append(s.done))
    assert expected_items([str(path), str(folder)]) == len(docs) + 1 + 2 == summary.done
    assert seen == list(range(1, summary.done + 1))
    assert expected_items([str(tmp_path / "missing.txt"), str(tmp_path / "in")]) == 3
    assert expected_items(["https://example.org/feed"]) is None


def test_pipeline_same_results_on_sqlite_and_postgresql(tmp_path, store, loaded_model):
    docs = corpus(6, copies=(2,), repeat=1)
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    summary = ingest([str(path)], store, engine="local")
    assert (summary.stored, summary.duplicates, summary.skipped) == (6, 1, 1)
    with open_store(tmp_path / "reference.db") as reference:
        ingest([str(path)], reference, engine="local")
        assert snapshot(store) == snapshot(reference)
    assert len(list(store.signatures())) == 6


def test_pipeline_pool_engine_stores_what_the_local_engine_stores(tmp_path, loaded_model):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(12))
    with open_store(tmp_path / "local.db") as local, open_store(tmp_path / "pool.db") as pool:
        ingest([str(path)], local, engine="local")
        summary = ingest([str(path)], pool, engine="pool", processes=2, batch_size=3)
        assert summary.stored == 12 and snapshot(pool) == snapshot(local)
