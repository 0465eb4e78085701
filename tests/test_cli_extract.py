"""`according extract`: predictions in the eval format, one error record per unreadable document, the rest go on."""
import json
from pathlib import Path

import pytest

from according import cli

DOCS = [
    {"id": "port", "text": "The harbour master said that the cranes would stay idle until Monday."},
    {"id": "union", "text": "\"We will not go back. Not for that offer,\" union secretary Ana Soto told reporters.",
     "outlet": "Coastal Ledger"},
    {"id": "denial", "text": "The port authority denied reports that it had offered a secret bonus."},
]


def write_lines(path: Path, lines: list) -> Path:
    path.write_bytes(b"".join((json.dumps(x).encode() if isinstance(x, dict) else x) + b"\n" for x in lines))
    return path


def read_predictions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_valid_prediction(pred: dict, text: str) -> None:
    assert set(pred) == {"id", "attributions"}
    assert pred["attributions"], f"nothing found in {text!r}"
    for a in pred["attributions"]:
        for role in ("source", "cue", "content"):
            for start, end in a[role]:
                assert 0 <= start < end <= len(text)
        assert a["stance"] in ("assert", "deny", "uncertain") and a["kind"] in ("direct", "indirect", "mixed")


def test_cli_extract_writes_one_prediction_per_document(invoke, tmp_path):
    docs, out = write_lines(tmp_path / "d.jsonl", DOCS), tmp_path / "p.jsonl"
    result = invoke("extract", docs, "-o", out, "--batch-size", "2")
    assert result.exit_code == 0, result.stderr
    predictions = read_predictions(out)
    assert [p["id"] for p in predictions] == ["port", "union", "denial"]
    for doc, pred in zip(DOCS, predictions):
        assert_valid_prediction(pred, doc["text"])
    assert any(a["stance"] == "deny" for a in predictions[2]["attributions"])
    assert "3 document(s)" in result.stderr and "failed" not in result.stderr


def test_cli_extract_bad_lines_become_error_records_and_the_rest_go_on(invoke, tmp_path):
    docs = write_lines(tmp_path / "d.jsonl", [
        DOCS[0],
        b'{"id": "broken", "text": "unterminated',
        b"",  # blank lines are skipped, not errors
        {"id": "empty", "text": "  \n "},
        b"[1, 2]",
        {"text": "a document without an id"},
        {"id": "notext", "title": "only a title"},
        DOCS[2],
    ])
    out = tmp_path / "p.jsonl"
    result = invoke("extract", docs, "-o", out)
    assert result.exit_code == cli.EXIT_PARTIAL
    predictions = read_predictions(out)
    assert [(p["id"], p.get("line")) for p in predictions] == [
        ("port", None), ("broken", 2), ("empty", 4), (None, 5), (None, 6), ("notext", 7), ("denial", None)]
    errors = {p.get("line"): p["error"] for p in predictions if "error" in p}
    assert "line 2 is not JSON" in errors[2]
    assert "empty text" in errors[4]
    assert "not an object" in errors[5]
    assert "no \"id\"" in errors[6]
    assert "no \"text\"" in errors[7]
    assert_valid_prediction(predictions[0], DOCS[0]["text"])
    assert_valid_prediction(predictions[-1], DOCS[2]["text"])
    assert "7 document(s)" in result.stderr and "5 failed" in result.stderr
    assert "line 2 is not JSON" in result.stderr


def test_cli_extract_huge_numbers_deep_nesting_and_surrogate_ids_cost_their_line_only(invoke, tmp_path):
    docs = write_lines(tmp_path / "d.jsonl", [
        b'{"id": "big", "text": "x", "n": ' + b"9" * 6000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"id": "odd\\ud800", "title": "t\\udc80", "text": "The harbour master said the cranes would stay idle."}',
        DOCS[2],
    ])
    out = tmp_path / "p.jsonl"
    result = invoke("extract", docs, "-o", out)
    assert result.exit_code == cli.EXIT_PARTIAL, result.stderr
    assert "Traceback" not in result.stderr
    predictions = read_predictions(out)
    assert [p["id"] for p in predictions] == ["big", None, "odd\ufffd", "denial"]
    assert "digits" in predictions[0]["error"] and "too deeply" in predictions[1]["error"]
    assert_valid_prediction(predictions[2], "The harbour master said the cranes would stay idle.")
    assert_valid_prediction(predictions[3], DOCS[2]["text"])


def test_cli_extract_invalid_utf8_line_is_decoded_with_a_warning(invoke, tmp_path):
    line = '{"id": "cafe", "text": "The caf\u00e9 owner said that the quay was closed."}'.encode("cp1252")
    docs = write_lines(tmp_path / "d.jsonl", [b"\xef\xbb\xbf" + json.dumps(DOCS[0]).encode(), line])
    out = tmp_path / "p.jsonl"
    result = invoke("extract", docs, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "warning" in result.stderr and "line 2" in result.stderr and "not valid UTF-8" in result.stderr
    predictions = read_predictions(out)
    assert [p["id"] for p in predictions] == ["port", "cafe"]
    assert_valid_prediction(predictions[1], "The caf\u00e9 owner said that the quay was closed.")


def test_cli_extract_stdin_to_stdout(invoke):
    lines = "".join(json.dumps(d) + "\n" for d in DOCS)
    result = invoke("extract", "-", input=lines)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["port", "union", "denial"]


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing.jsonl", "does not exist"),
    (lambda d: d, "is a folder"),
    (lambda d: _write(d / "a.jsonl.gz", b"\x1f\x8b\x08\x00rest"), "gzip"),
    (lambda d: _write(d / "a.bin", b"\x00\x00\x01binary" * 40), "binary data"),
    (lambda d: _write(d / "empty.jsonl", b""), "is empty"),
    (lambda d: _write(d / "blank.jsonl", b"\n\n  \n"), "is empty"),
], ids=["missing", "folder", "gzip", "binary", "empty", "blank-lines"])
def test_cli_extract_unreadable_file_says_why_and_exits_1(invoke, tmp_path, make, says):
    out = tmp_path / "p.jsonl"
    result = invoke("extract", make(tmp_path), "-o", out)
    assert result.exit_code == cli.EXIT_FAILED
    assert result.stderr.startswith("according: error: [A100]") and says in result.stderr
    assert not out.exists()


def test_cli_extract_unwritable_output_and_output_over_input_are_refused(invoke, tmp_path):
    docs = write_lines(tmp_path / "d.jsonl", DOCS)
    result = invoke("extract", docs, "-o", tmp_path / "no" / "such" / "folder" / "p.jsonl")
    assert result.exit_code == cli.EXIT_FAILED and "cannot write" in result.stderr
    result = invoke("extract", docs, "-o", docs)
    assert result.exit_code == cli.EXIT_FAILED and "is the input" in result.stderr
    assert json.loads(docs.read_text().splitlines()[0]) == DOCS[0]


@pytest.mark.parametrize("processes", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_cli_extract_unknown_model_stops_the_run_with_one_message(invoke, tmp_path, processes):
    docs = write_lines(tmp_path / "d.jsonl", DOCS * 3)
    result = invoke("extract", docs, "-o", tmp_path / "p.jsonl", "--model", "no_such_pipeline_xyz", "-p", processes)
    assert result.exit_code == cli.EXIT_FAILED
    assert result.stderr.count("[A200]") == 1 and "[A200] [A200]" not in result.stderr
    assert "ACCORDING_MODEL" in result.stderr and "died" not in result.stderr


def test_cli_extract_rejects_zero_processes(invoke, tmp_path):
    result = invoke("extract", write_lines(tmp_path / "d.jsonl", DOCS), "--processes", "0")
    assert result.exit_code == 2 and "processes" in result.stderr


@pytest.mark.slow
def test_cli_extract_two_processes_give_the_same_output_as_one(invoke, tmp_path):
    many = [dict(d, id=f"{d['id']}-{i}") for i in range(12) for d in DOCS]
    docs = write_lines(tmp_path / "d.jsonl", many[:20] + [b"not json"] + many[20:] + [{"id": "blank", "text": ""}])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = invoke("extract", docs, "-o", one, "--batch-size", "4")
    second = invoke("extract", docs, "-o", two, "--batch-size", "4", "--processes", "2")
    assert first.exit_code == second.exit_code == cli.EXIT_PARTIAL
    assert len(read_predictions(one)) == len(many) + 2
    assert one.read_text() == two.read_text()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_cli_extract_a_line_over_the_limit_is_an_error_record_never_held_whole(tmp_path, monkeypatch):
    from according.scale import docs as docs_module

    monkeypatch.setattr(docs_module, "DEFAULT_MAX_BYTES", 1000)
    path = write_lines(tmp_path / "d.jsonl", [{"id": "long", "text": "word " * 400}, DOCS[0]])
    long, port = docs_module.read_docs(path)
    assert long.line == 1 and "more than 1,000 bytes" in long.error
    assert port.id == "port" and port.line == 2 and port.error is None


def test_cli_extract_documents_over_the_limits_fail_alone_with_their_reason(invoke, tmp_path):
    docs, out = write_lines(tmp_path / "d.jsonl", DOCS), tmp_path / "p.jsonl"
    result = invoke("extract", docs, "-o", out, "--time-limit", "0.000000001")  # no article reads that fast
    assert result.exit_code == 3, result.stderr
    predictions = read_predictions(out)
    assert [p["id"] for p in predictions] == ["port", "union", "denial"]
    assert all(p["error"].startswith("[A110]") and "--time-limit" in p["error"] for p in predictions)
    assert "3 failed" in result.stderr
    assert invoke("extract", docs, "-o", out, "--time-limit", "0", "--memory-limit", "0").exit_code == 0
