"""The engine mechanics, with a stand-in task where spaCy is beside the point: chunking, order, pairing, errors."""
import json

import pytest

from according.scale import engine as engine_mod
from according.scale import run, worker
from according.scale.docs import parse_line, read_docs
from according.scale.engine import EngineError, chunked
from according.scale.results import Failed, Record, Result, prepare
from according.errors import InputError, LimitError


def lengths(records, batch_size=16, model=None, limits=None):
    """A stand-in task: the length of each text, or the reason it has none."""
    out = []
    for r in records:
        ready = prepare(r)
        out.append(ready if isinstance(ready, Failed) else Result(ready.id, {"n": len(ready.text)}, ready.line,
                                                                  ready.warnings))
    return out


def docs(n, size=10):
    return [{"id": str(i), "text": "x" * (size + i)} for i in range(n)]


def test_scale_chunked_caps_records_and_characters():
    records = [{"id": i, "text": "a" * 40} for i in range(10)]
    assert [len(c) for c in chunked(records, 4)] == [4, 4, 2]
    assert [len(c) for c in chunked(records, 100, max_chars=100)] == [2, 2, 2, 2, 2]
    long = [{"id": 0, "text": "a" * 10}, {"id": 1, "text": "a" * 1000}, {"id": 2, "text": "a"}]
    assert [[r.id for r in c] for c in chunked(long, 100, max_chars=100)] == [[0], [1], [2]]
    assert [len(c) for c in chunked([{"id": 1}, "not a dict"], 1)] == [1, 1]
    assert "JSON object" in list(chunked(["not a dict"], 1))[0][0].error


def test_scale_spacy_batches_put_a_long_text_alone():
    todo = [(i, Record(i, "a" * n), None) for i, n in enumerate([10, 10, 500, 10, 10, 10])]
    batches = worker.spacy_batches(todo, batch_size=2, max_chars=100)
    assert [[i for i, _, _ in b] for b in batches] == [[0, 1], [2], [3, 4], [5]]


def test_scale_run_local_keeps_order_and_pairs_records():
    records = docs(40)
    seen = []
    results = list(run(iter(records), batch_size=3, task=lengths, on_progress=seen.append))
    assert [r.id for r in results] == [str(i) for i in range(40)]
    assert [r.analysis["n"] for r in results] == [10 + i for i in range(40)]
    assert seen == results
    pairs = list(run(iter(records), batch_size=7, task=lengths, with_records=True))
    assert all(rec["id"] == res.id and len(rec["text"]) == res.analysis["n"] for rec, res in pairs)
    assert len(pairs) == 40


def test_scale_run_reads_records_lazily():
    pulled = []

    def source():
        for r in docs(100):
            pulled.append(r["id"])
            yield r

    results = run(source(), batch_size=5, task=lengths)
    first = next(results)
    assert first.id == "0" and len(pulled) <= 6


def test_scale_run_refuses_unknown_engine_and_zero_processes():
    with pytest.raises(EngineError, match="unknown engine 'spark'"):
        run(docs(1), engine="spark")
    with pytest.raises(EngineError, match="at least 1"):
        run(docs(1), processes=0)


def test_scale_prepare_fails_what_cannot_be_read_and_mends_surrogates():
    for record, says in [(Record.of("text"), "JSON object"), (Record.of({"id": "a"}), "no \"text\""),
                         (Record.of({"id": "a", "text": 3}), "no \"text\""),
                         (Record.of({"id": "a", "text": " \n"}), "empty text"), (Record("a", line=4, error="gone"), "gone")]:
        failed = prepare(record)
        assert isinstance(failed, Failed) and says in failed.error
    ready = prepare(Record("s", "caf\ud800 said", {"title": "t"}, line=2, warnings=["w"]))
    assert ready.fields() == {"id": "s", "text": "caf\ufffd said", "title": "t"}
    assert ready.warnings[0] == "w" and "surrogate" in ready.warnings[1] and ready.line == 2
    assert prepare(Record("a", line=4, warnings=["w"], error="gone")) == Failed("a", "gone", 4, ["w"])


class FakeExtractor:
    """Fails on any batch holding "BOOM", as a bug in one article would, and goes over its limits on "HUGE"."""

    def __init__(self):
        self.read: list[str] = []

    def pipe(self, records, batch_size, limits=None):
        records = list(records)
        self.read += [r["id"] for r in records]
        if any("BOOM" in r["text"] for r in records):
            raise ValueError("cannot read BOOM")
        huge = next((r for r in records if "HUGE" in r["text"]), None)
        if huge is not None:
            raise LimitError("took longer than the limit", huge)
        from according.model import Analysis

        return iter([Analysis(text=r["text"], id=r["id"]) for r in records])


def test_scale_extract_chunk_isolates_the_record_that_fails(monkeypatch):
    monkeypatch.setattr(worker, "extractor", lambda model=None: FakeExtractor())
    records = [{"id": "a", "text": "fine"}, {"id": "b", "text": "BOOM here"}, {"id": "c", "text": "fine too"},
               {"id": "d", "text": ""}]
    results = worker.extract_chunk([Record.of(r) for r in records], batch_size=16)
    assert [r.id for r in results] == ["a", "b", "c", "d"]
    assert results[0] == Result("a", {"id": "a", "attributions": [], "entities": [], "meta": {}, "claims": []})
    assert "ValueError: cannot read BOOM" in results[1].error and "bug" in results[1].error
    assert isinstance(results[2], Result) and "empty text" in results[3].error


def test_scale_extract_chunk_fails_the_record_over_its_limits_without_reading_it_again(monkeypatch):
    fake = FakeExtractor()
    monkeypatch.setattr(worker, "extractor", lambda model=None: fake)
    records = [{"id": "a", "text": "fine"}, {"id": "b", "text": "HUGE text"}, {"id": "c", "text": "fine too"}]
    results = worker.extract_chunk([Record.of(r) for r in records], batch_size=16)
    assert [r.id for r in results] == ["a", "b", "c"]
    assert results[1] == Failed("b", "[A110] took longer than the limit")
    assert isinstance(results[0], Result) and isinstance(results[2], Result)
    assert fake.read == ["a", "b", "c", "a", "c"]  # the batch once, then the others alone


def test_scale_limits_meter_times_and_sizes_one_article(monkeypatch):
    from according.extract import limits as limits_mod

    clock, rss = [100.0], [500.0]
    monkeypatch.setattr(limits_mod.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(limits_mod, "rss_mb", lambda: rss[0])
    record = {"id": "x", "text": "t" * 1234}
    meter = limits_mod.Limits(seconds=10, memory_mb=200).meter(record)
    clock[0], rss[0] = 109.0, 699.0
    meter.check()  # within both
    rss[0] = 701.0
    with pytest.raises(LimitError, match=r"a text of 1,234 characters \(id 'x'\) needed more than .* 200 MB") as e:
        meter.check()
    assert e.value.record is record
    rss[0], clock[0] = 500.0, 110.5
    with pytest.raises(LimitError, match="longer than the limit of 10 s.*--time-limit"):
        meter.check()
    unlimited = limits_mod.Limits.of(0, 0).meter(record)
    clock[0], rss[0] = 1e9, 1e9
    unlimited.check()


def test_scale_docs_lines_become_records_or_records_that_fail():
    assert parse_line(b'{"id": "a", "text": "t", "title": "T"}\n', 3) == Record("a", "t", {"title": "T"}, line=3)
    assert parse_line(b'\xef\xbb\xbf{"id": "a", "text": "t"}', 1).id == "a"
    broken = parse_line(b'{"id": "x\\"y", "text": "cut', 5)
    assert broken.id == 'x"y' and broken.line == 5 and "not JSON" in broken.error
    assert "no \"id\"" in parse_line(b'{"text": "t"}', 2).error
    assert "list" in parse_line(b"[]", 2).error
    mended = parse_line('{"id": "c", "text": "caf\u00e9"}'.encode("cp1252"), 7, "d.jsonl")
    assert mended.text == "caf\u00e9" and "d.jsonl line 7" in mended.warnings[0]


def test_scale_read_docs_refuses_whole_files_that_are_not_jsonl(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.5 ...")
    for path, says in [(tmp_path / "none.jsonl", "does not exist"), (tmp_path, "folder"), (tmp_path / "a.pdf", "PDF")]:
        with pytest.raises(InputError, match=says):
            read_docs(path)
    good = tmp_path / "d.jsonl"
    good.write_text("\n".join(json.dumps(d) for d in docs(3)) + "\n\n")
    assert [r.id for r in read_docs(good)] == ["0", "1", "2"]
