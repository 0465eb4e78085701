"""The accurate mode (learned span model) on a short text written for this test; skipped without the extra."""
import pytest

from according.extract import span_tagger

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not span_tagger.available(), reason="the accurate extra is not installed "
                                                               "(pip install -e '.[accurate]')")]

TEXT = ('The harbour authority said on Monday that the new ferry terminal would open in June. '
        '"The cranes are already in place," a spokeswoman for the port told reporters. '
        'According to the city council, the project cost less than planned.')


def test_accurate_mode_reads_the_same_statements_with_spans_inside_the_text():
    from according.extract import Extractor

    plain = Extractor(accurate=False).analyze(TEXT)
    accurate = Extractor(accurate=True).analyze(TEXT)
    cues = lambda an: sorted(an.text_of(a.cue) for a in an.attributions)  # noqa: E731
    assert cues(accurate) == cues(plain)  # the cues are the rules'; only sources and contents are redrawn
    said = next(a for a in accurate.attributions if "said" in accurate.text_of(a.cue))
    assert "ferry terminal would open in June" in accurate.text_of(said.content)
    assert "harbour authority" in accurate.text_of(said.source)
    for a in accurate.attributions:
        assert a.content and all(0 <= s < e <= len(TEXT) for s, e in a.content + a.source)


def test_accurate_flag_on_the_command_line(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from according.cli import app

    monkeypatch.setenv("ACCORDING_ACCURATE", "0")  # the flag sets it to 1: undone after the test
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "port", "text": TEXT}) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["extract", str(docs), "-o", str(out), "--accurate", "-q"])
    assert result.exit_code == 0, result.output
    pred = json.loads(out.read_text(encoding="utf-8"))
    assert pred["id"] == "port" and pred["attributions"]


def test_nesting_follows_the_rules_contents_whatever_the_span_model_redraws():
    """A refiner that cuts every content to its first word must not unnest what the rules' contents hold: the
    accurate mode's contents follow PolNeAR, which annotates nothing nested."""
    from according.extract import Extractor
    from according.extract.finder import find_attributions

    text = "The Daily Planet reported that officials said the bridge would close."
    ex = Extractor(accurate=False)
    doc = ex.nlp(text)
    plain = find_attributions(doc, ex.nlp.get_pipe("according_attributions").gate)

    def first_word_only(doc, found, quotes):
        for c in found:
            c.content = c.content[:1]

    cut = find_attributions(doc, ex.nlp.get_pipe("according_attributions").gate, first_word_only)
    parents = lambda found: {doc.text[a.cue[0][0]:a.cue[0][1]]: a.parent for a in found}  # noqa: E731
    assert parents(plain)["said"] is not None and parents(plain)["reported"] is None
    assert parents(cut) == parents(plain)
    assert all(len(a.content) == 1 for a in cut)
