"""`according ingest`, `search`, `stats` and `show`: summaries, exit statuses, queries, clear errors, no tracebacks."""
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
    hits = json.loads(result.stdout)["hits"]
    assert hits and all(h["stance"] == "deny" and denier in h["source"] for h in hits)
    assert any("audit" in h["snippet"] for h in hits)
    text = invoke("search", "audit", "--db", db, "--limit", "3")
    assert text.exit_code == 0 and text.stdout.count("\n    ") == 3
    assert "audit" in text.stdout
    outlet = json.loads(invoke("search", "audit", "--outlet", "harbour times", "--db", db, "--json").stdout)["hits"]
    assert outlet and {h["outlet"] for h in outlet} == {"Harbour Times"}
    dated = json.loads(invoke("search", "--since", "2024-11-03", "--until", "2024-11-04", "--db", db,
                              "--json", "--limit", "100").stdout)["hits"]
    assert {h["published"] for h in dated} == {"2024-11-03", "2024-11-04"}
    assert invoke("search", "nonexistentword", "--db", db).stdout.strip() == "no hits"


def test_cli_search_pages_counts_and_gives_full_records(filled, invoke):
    db, _ = filled
    everything = json.loads(invoke("search", "council", "--db", db, "--json", "-n", "0").stdout)
    assert everything["total"] == len(everything["hits"]) > 4 and everything["limit"] is None
    hits = everything["hits"]
    pages = [json.loads(invoke("search", "council", "--db", db, "--json", "-n", "3", "--offset", n).stdout)
             for n in range(0, len(hits), 3)]
    assert [h for page in pages for h in page["hits"]] == hits
    assert {page["total"] for page in pages} == {len(hits)}
    statement = next(h for h in hits if h["attribution_id"])
    assert "url" in statement and statement["cue"] and statement["source_text"] and statement["content"]
    assert statement["content"] not in ("", statement["snippet"] + "…")
    text = invoke("search", "council", "--db", db, "-n", "2").stdout
    assert text.rstrip().endswith(f"hits 1-2 of {len(hits)} (--offset 2 for more)")
    newest = json.loads(invoke("search", "council", "--db", db, "--json", "-n", "0", "--sort", "newest").stdout)
    dates = [h["published"] for h in newest["hits"]]
    assert dates == sorted(dates, reverse=True) and sorted(map(str, newest["hits"])) == sorted(map(str, hits))



def test_cli_search_counts_its_total_up_to_a_bound_and_says_more_than(filled, invoke, monkeypatch):
    from according.store import search

    db, _ = filled
    hits = json.loads(invoke("search", "council", "--db", db, "--json", "-n", "0").stdout)["hits"]
    monkeypatch.setattr(search, "COUNT_UP_TO", 2)
    first = json.loads(invoke("search", "council", "--db", db, "--json", "-n", "1").stdout)
    assert first["total"] == 2 and first["total_exact"] is False and len(hits) > 2
    assert "hits 1-1 of more than 2 (--offset 1 for more)" in invoke("search", "council", "--db", db, "-n", "1").stdout
    # a page past the bound counts at least to its end
    deep = json.loads(invoke("search", "council", "--db", db, "--json", "-n", "2", "--offset", "2").stdout)
    assert deep["total"] >= 4 or (deep["total"] == len(hits) and deep["total_exact"])
    monkeypatch.setattr(search, "COUNT_UP_TO", len(hits))
    assert json.loads(invoke("search", "council", "--db", db, "--json").stdout)["total_exact"] is True

def test_cli_search_extremes_and_bad_queries_are_answers_or_clear_errors(filled, invoke):
    db, _ = filled
    everything = json.loads(invoke("search", "--db", db, "--json", "-n", "0").stdout)["hits"]
    assert json.loads(invoke("search", "--until", "9999-12-31", "--db", db, "--json", "-n", "0").stdout)["hits"] \
        == everything
    assert json.loads(invoke("search", "-n", "9" * 20, "--db", db, "--json").stdout)["hits"] == everything
    assert json.loads(invoke("search", "--offset", "9" * 20, "--db", db, "--json").stdout)["hits"] == []
    for query, problem in (('"audit', 'a " is not closed'), ("NOT audit", "only leaves words out")):
        bad = invoke("search", query, "--db", db)
        assert bad.exit_code == 1 and "according: error: [A402]" in bad.stderr and problem in bad.stderr
    assert invoke("search", "audit", "--until", "10000-01-01", "--db", db).exit_code == 1


def test_cli_stats_counts_hits_by_facet_and_alone_describes_the_store(filled, invoke):
    db, docs = filled
    alone = invoke("stats", "--db", db)
    assert alone.exit_code == 0 and "articles 9" in alone.stdout and "near-copies 1" in alone.stdout
    assert json.loads(invoke("stats", "--db", db, "--json").stdout)["articles"] == 9
    total = json.loads(invoke("search", "council", "--db", db, "--json").stdout)["total"]
    for by in ("month", "outlet", "source", "stance"):
        counted = json.loads(invoke("stats", "council", "--by", by, "--db", db, "--json").stdout)
        assert counted["by"] == by and counted["total"] == total
        assert sum(c["hits"] for c in counted["counts"]) == total
    months = json.loads(invoke("stats", "council", "--db", db, "--json").stdout)["counts"]
    assert [c["month"] for c in months] == sorted(c["month"] for c in months) and months[0]["month"] == "2024-11"
    table = invoke("stats", "council", "--by", "stance", "--db", db).stdout.splitlines()
    assert table[0].split() == ["stance", "hits"] and table[-1].split() == ["total", str(total)]
    outlets = json.loads(invoke("stats", "--by", "outlet", "--db", db, "--json").stdout)["counts"]
    assert {c["outlet"] for c in outlets} == {d["outlet"] for d in docs if d["id"] != "c002"}


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


def _cli(*args, limit_file_size: int | None = None, drop_root: bool = False):
    """The real CLI in a child process, optionally with a cap on file sizes (a disk that fills up) or, as root,
    without the capabilities that let root write where file permissions say no."""
    import resource
    import shutil
    import signal
    import subprocess
    import sys

    def limits():
        if limit_file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails (EFBIG) instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    command = [sys.executable, "-m", "according.cli", *map(str, args)]
    if drop_root and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("as root, a read-only folder needs setpriv to drop CAP_DAC_OVERRIDE")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=limits,
                          env={**os.environ, "ACCORDING_DB": ""})


@pytest.mark.slow
def test_cli_ingest_a_full_disk_stops_the_run_at_the_first_failed_write_and_a_rerun_goes_on(tmp_path):
    docs = corpus(60, copies=(), repeat=None)
    path, db = write_jsonl(tmp_path / "docs.jsonl", docs), tmp_path / "news.db"
    full = _cli("ingest", path, "--db", db, "--engine", "local", "-q", limit_file_size=400_000)
    assert full.returncode == 1, full.stderr
    assert "according: error: [A410] cannot store article" in full.stderr and "Traceback" not in full.stderr
    assert "failed" in full.stderr and " 0 failed" in full.stderr  # no article is blamed for the disk
    with open_store(db) as store:
        stored = store.stats()["articles"]
        assert stored < 60
    again = _cli("ingest", path, "--db", db, "--engine", "local", "-q")
    assert again.returncode == 0, again.stderr
    assert f"{60 - stored} stored" in again.stderr and f"{stored} already stored" in again.stderr


def test_cli_store_in_a_read_only_folder_is_searchable_and_refuses_writes_clearly(tmp_path):
    from according.errors import ReadOnlyStore
    from according.ingest import article_from_text

    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / "news.db"
    with open_store(db) as store:
        store.add(article_from_text("The harbour master said the cranes would stay idle until Monday.\n"))
    with open_store(db, read_only=True) as store:
        with pytest.raises(ReadOnlyStore, match=r"\[A411\].*read-only"):
            store.add(article_from_text("The mayor said the bridge would close.\n"))
    docs = write_jsonl(tmp_path / "docs.jsonl", corpus(1, copies=(), repeat=None))
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        found = _cli("search", "cranes", "--db", db, "--json", drop_root=True)
        assert found.returncode == 0, found.stderr
        assert [hit["title"] for hit in json.loads(found.stdout)["hits"]] == ["The harbour master said the cranes would stay "
                                                                      "idle until Monday."]
        refused = _cli("ingest", docs, "--db", db, "--engine", "local", drop_root=True)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "[A411]" in refused.stderr and "read-only" in refused.stderr
    finally:
        folder.chmod(0o755)
    assert sorted(p.name for p in folder.iterdir()) == ["news.db"]  # nothing written beside it


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
