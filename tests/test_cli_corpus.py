"""`according ingest`, `search` and `show`: summaries, exit statuses, queries, and clear errors instead of tracebacks."""
import itertools
import json
import os

import pytest
from test_pipeline_corpus import corpus, write_folder, write_jsonl

from according.report import render
from according.store import open_store


@pytest.fixture
def filled(tmp_path, invoke):
    """A store filled from a JSONL corpus (with a wire copy of article 2) by the CLI; (db, docs)."""
    docs = corpus(8, copies=(2,), repeat=None)
    db = tmp_path / "news.db"
    result = invoke("ingest", write_jsonl(tmp_path / "docs.jsonl", docs), "--db", db, "--engine", "local")
    assert result.exit_code == 0, result.stderr
    return db, docs


def test_cli_ingest_summary_and_json(tmp_path, invoke):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(5, copies=(1,), repeat=3))
    db = tmp_path / "news.db"
    result = invoke("ingest", path, "--db", db, "--engine", "local", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("read", "stored", "duplicates", "skipped", "failed")} == \
        {"read": 7, "stored": 5, "duplicates": 1, "skipped": 1, "failed": 0}
    assert "5 stored, 1 near-copies linked, 1 already stored, 0 failed" in result.stderr
    again = invoke("ingest", path, "--db", db, "--engine", "local", "--json")
    assert json.loads(again.stdout)["skipped"] == 7


def test_cli_ingest_failures_listed_with_reasons_exit_3(tmp_path, invoke):
    folder = write_folder(tmp_path / "in", corpus(2, copies=(), repeat=None))
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3 binary")
    result = invoke("ingest", folder, tmp_path / "missing.html", "--db", tmp_path / "n.db", "--engine", "local")
    assert result.exit_code == 3
    assert "2 stored" in result.stderr and "2 failed" in result.stderr
    assert f"{folder / 'scan.txt'}: " in result.stderr and "PDF" in result.stderr
    assert "missing.html does not exist" in result.stderr


def test_cli_ingest_default_store_is_according_db_or_the_environment(tmp_path, invoke, monkeypatch):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(1, copies=(), repeat=None))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORDING_DB", raising=False)
    assert invoke("ingest", path, "--engine", "local").exit_code == 0
    assert (tmp_path / "according.db").is_file()
    elsewhere = tmp_path / "env.db"
    assert invoke("ingest", path, "--engine", "local", env={"ACCORDING_DB": str(elsewhere)}).exit_code == 0
    with open_store(elsewhere) as store:
        assert store.stats()["articles"] == 1


def test_cli_ingest_unusable_store_is_a_clear_error(tmp_path, invoke):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(1, copies=(), repeat=None))
    result = invoke("ingest", path, "--db", tmp_path, "--engine", "local")
    assert result.exit_code == 1 and "according: error: [A400]" in result.stderr
    result = invoke("ingest", path, "--db", "postgresql://nobody@127.0.0.1:1/none", "--engine", "local")
    assert result.exit_code == 1 and "according: error:" in result.stderr


def test_cli_ingest_progress_bar_on_a_terminal(tmp_path, invoke):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(3, copies=(), repeat=None))
    result = invoke("ingest", path, "--db", tmp_path / "n.db", "--engine", "local",
                    env={"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "160"})
    assert result.exit_code == 0
    assert "articles/s" in result.stderr and "3/3" in result.stderr and "ETA" in result.stderr
    quiet = invoke("ingest", path, "--db", tmp_path / "n.db", "--engine", "local", "-q",
                   env={"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"})
    assert "ETA" not in quiet.stderr


def test_cli_search_by_words_source_stance_outlet_and_dates(filled, invoke):
    db, docs = filled
    denier = docs[0]["text"].split("\n\n")[2].split(" denied")[0]  # who denies in article 0
    result = invoke("search", "--source", denier, "--stance", "deny", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and all(h["stance"] == "deny" and denier in h["source"] for h in hits)
    assert any("audit" in h["snippet"] for h in hits)
    text = invoke("search", "audit", "--db", db, "--limit", "3")
    assert text.exit_code == 0 and text.stdout.count("\n    ") == 3
    assert "audit" in text.stdout
    outlet = json.loads(invoke("search", "audit", "--outlet", "harbour times", "--db", db, "--json").stdout)
    assert outlet and {h["outlet"] for h in outlet} == {"Harbour Times"}
    dated = json.loads(invoke("search", "--since", "2024-11-03", "--until", "2024-11-04", "--db", db,
                              "--json", "--limit", "100").stdout)
    assert {h["published"] for h in dated} == {"2024-11-03", "2024-11-04"}
    assert invoke("search", "nonexistentword", "--db", db).stdout.strip() == "no hits"


def test_cli_search_bad_date_and_missing_store_are_clear_errors(filled, invoke, tmp_path):
    db, _ = filled
    bad = invoke("search", "audit", "--since", "last tuesday", "--db", db)
    assert bad.exit_code == 1 and "cannot read the date" in bad.stderr
    missing = invoke("search", "audit", "--db", tmp_path / "nope.db")
    assert missing.exit_code == 1 and "there is no store at" in missing.stderr
    assert not (tmp_path / "nope.db").exists()
    assert invoke("show", "abc", "--db", tmp_path / "nope.db").exit_code == 1


def test_cli_show_prints_the_stored_reading_as_analyze_does(filled, invoke, tmp_path):
    db, docs = filled
    with open_store(db) as store:
        article_id = next(i for i in store.ids() if store.get(i)[0].title == docs[0]["title"])
        _, analysis = store.get(article_id)
    shown = invoke("show", article_id[:10], "--db", db)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == render(analysis) + "\n"
    assert docs[0]["title"] in shown.stdout and "DENIES" in shown.stdout
    text = tmp_path / "one.txt"
    text.write_text(docs[0]["text"])
    analyzed = invoke("analyze", text).stdout
    assert shown.stdout[shown.stdout.index("CLAIMS"):] == analyzed[analyzed.index("CLAIMS"):]
    data = json.loads(invoke("show", article_id, "--db", db, "--json").stdout)
    assert data["id"] == article_id and data["duplicate_of"] is None
    assert [a["id"] for a in data["attributions"]] == [a.id for a in analysis.attributions]


def test_cli_show_a_near_copy_reads_its_original(filled, invoke):
    db, docs = filled
    with open_store(db) as store:
        ids = {store.get(i)[0].title: i for i in store.ids()}
    copy, original = ids[docs[3]["title"]], ids[docs[2]["title"]]
    assert docs[3]["id"] == "c002"
    shown = invoke("show", copy, "--db", db)
    assert f"a near-copy of article {original}" in shown.stdout
    assert shown.stdout.endswith(invoke("show", original, "--db", db).stdout)
    data = json.loads(invoke("show", copy, "--db", db, "--json").stdout)
    assert data["duplicate_of"] == original and data["attributions"] == [] and data["original"]["attributions"]


def test_cli_show_unknown_and_ambiguous_ids(filled, invoke):
    db, _ = filled
    unknown = invoke("show", "zzzz", "--db", db)
    assert unknown.exit_code == 1 and "no article" in unknown.stderr
    with open_store(db) as store:
        ids = sorted(store.ids())
    shared = max((os.path.commonprefix([a, b]) for a, b in itertools.pairwise(ids)), key=len)  # starts two ids
    assert shared  # the corpus is fixed, and so are its ids
    ambiguous = invoke("show", shared, "--db", db)
    assert ambiguous.exit_code == 1 and "more than one article" in ambiguous.stderr


def test_cli_ingest_articles_over_the_limits_fail_alone_and_the_run_goes_on(tmp_path, invoke):
    path = write_jsonl(tmp_path / "docs.jsonl", corpus(3, copies=(), repeat=None))
    db = tmp_path / "n.db"
    result = invoke("ingest", path, "--db", db, "--engine", "local", "--json", "--time-limit", "0.000000001")
    assert result.exit_code == 3, result.stderr
    summary = json.loads(result.stdout)
    assert summary["read"] == 3 and summary["failed"] == 3 and summary["stored"] == 0
    assert result.stderr.count("[A110]") == 3 and "--time-limit" in result.stderr
    again = invoke("ingest", path, "--db", db, "--engine", "local", "--json")  # the default limits leave news be
    assert json.loads(again.stdout)["stored"] == 3
