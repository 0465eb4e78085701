"""`according analyze`: the example article, JSON output, and every kind of bad input a person passes by mistake."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from according import cli
from according.cli import read

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-strike.txt"
SHORT = ("The harbour master said that the cranes would stay idle. "
         "\"We have no choice. The quays are not safe,\" said union secretary Ana Soto.\n")


def spans_of(attribution):
    return [s for role in ("source", "cue", "content", "via") for s in attribution[role]]


def test_cli_analyze_example_shows_the_denial(invoke):
    result = invoke("analyze", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert "Lindqvist" in result.stdout
    assert "deny" in result.stdout or "denies" in result.stdout


def test_cli_analyze_json_spans_lie_inside_the_text(invoke):
    result = invoke("analyze", EXAMPLE, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert data["text"] == text
    assert data["id"] == "harbour-strike.txt"
    attributions = data["attributions"]
    assert len(attributions) >= 5
    for a in attributions:
        assert a["stance"] in ("assert", "deny", "uncertain")
        for start, end in spans_of(a):
            assert 0 <= start < end <= len(text)
        assert a["_text"]["cue"] == [text[s:e] for s, e in a["cue"]]
    assert any(a["stance"] == "deny" and "Lindqvist" in " ".join(a["_text"]["source"]) for a in attributions)


def test_cli_analyze_reads_stdin(invoke):
    result = invoke("analyze", "-", "--json", input=SHORT)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == SHORT and data["id"] is None
    sources = [" ".join(a["_text"]["source"]) for a in data["attributions"]]
    assert any("harbour master" in s for s in sources), sources


def test_cli_analyze_invalid_utf8_is_decoded_with_a_warning(invoke, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(SHORT.replace("harbour", "h\u00e4rbour").encode("cp1252"))
    result = invoke("analyze", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert "warning" in result.stderr and "not valid UTF-8" in result.stderr
    assert "h\u00e4rbour" in json.loads(result.stdout)["text"]


@pytest.mark.parametrize("make, says", [
    (lambda d: d / "missing.txt", "does not exist"),
    (lambda d: d, "is a folder"),
    (lambda d: _write(d / "a.bin", b"\x00\x01\x02binary\x00" * 50), "binary data"),
    (lambda d: _write(d / "a.pdf", b"%PDF-1.7\n..."), "PDF"),
    (lambda d: _write(d / "empty.txt", b""), "is empty"),
    (lambda d: _write(d / "blank.txt", b" \n\t\n"), "is empty"),
], ids=["missing", "folder", "binary", "pdf", "empty", "whitespace"])
def test_cli_analyze_bad_input_says_why_and_exits_1(invoke, tmp_path, make, says):
    result = invoke("analyze", make(tmp_path))
    assert result.exit_code == cli.EXIT_FAILED
    assert result.stdout == ""
    assert result.stderr.startswith("according: error: [A100]") and says in result.stderr


def test_cli_analyze_unknown_model_is_a_clear_error(invoke, tmp_path):
    path = _write(tmp_path / "a.txt", SHORT.encode())
    result = invoke("analyze", path, "--model", "no_such_pipeline_xyz")
    assert result.exit_code == cli.EXIT_FAILED
    assert "[A200]" in result.stderr and "ACCORDING_MODEL" in result.stderr


def test_cli_analyze_long_text_says_how_long_it_takes(invoke, tmp_path, monkeypatch):
    monkeypatch.setattr(read, "_LONG_TEXT", 100)
    result = invoke("analyze", _write(tmp_path / "a.txt", SHORT.encode()))
    assert result.exit_code == 0
    assert "long text" in result.stderr and "minutes" in result.stderr


@pytest.mark.slow
def test_cli_analyze_text_longer_than_one_piece_in_bounded_memory(tmp_path):
    """The extractor reads long texts in 100k-character pieces: spans of later pieces land in place, memory stays flat."""
    paragraph = ("Port official Jon Berg said that ships would wait. \"The quays are closed,\" Berg said.\n\n")
    text = paragraph * (260_000 // len(paragraph))
    path = _write(tmp_path / "long.txt", text.encode())
    probe = ("import atexit, resource, sys\n"
             "atexit.register(lambda: print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
             " file=sys.stderr))\n"
             "from according.cli import main\n"
             f"sys.argv = ['according', 'analyze', {str(path)!r}, '--json']\n"
             "main()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    starts = [a["cue"][0][0] for a in data["attributions"] if a["cue"]]
    assert max(starts) > 200_000  # the third piece was read and shifted back into the whole text
    for a in data["attributions"]:
        for start, end in spans_of(a):
            assert text[start:end].strip(), (start, end)
    said = [text[s:e] for a in data["attributions"] for s, e in a["cue"]]
    assert said.count("said") >= 2 * (len(text) // len(paragraph)) * 0.9
    maxrss_mb = int(done.stderr.split("maxrss_kb")[1].split()[0]) / 1024
    assert maxrss_mb < 800, maxrss_mb  # measured 610 MB: one 100k-character piece in spaCy at a time


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
