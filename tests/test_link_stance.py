"""Stance of an article toward a claim: a denial denies, a relayed report reports, another story is unrelated."""
import json

import pytest

from according.cli.evaluation import read_pairs
from according.errors import InputError
from according.link import stance_encoder
from according.link.stance import StanceModel, is_headline, predict_pairs, sentences, stance
from according.model import Analysis

CLAIM = "The Marlow pier will be demolished next spring"

DENIAL = (
    "No, the Marlow pier is not being demolished\n\n"
    "Posts claiming that the Victorian pier in Marlow will be demolished next spring are false. The story, which "
    "spread on social media last week, began as a joke on a satirical website and was shared thousands of times."
    "\n\n"
    "The pier is not due to close, and the council has no plan to pull it down. \"The stories going around are "
    "simply untrue,\" council spokeswoman Jenna Holt said. Surveyors seen on the pier were checking the railings, "
    "as they do every year.")

REPORT = (
    "Marlow pier to be demolished next spring, sources say\n\n"
    "The Victorian pier in Marlow will be demolished next spring, according to two people familiar with the "
    "council's plans, the Coastal Ledger reported on Monday.\n\n"
    "The sources said that engineers had told councillors the pier could not be repaired at a reasonable cost. "
    "The council has not commented on the report. A spokeswoman said a statement would follow later in the week.")

OTHER = (
    "Bakery wins national bread award\n\n"
    "A family bakery in Tilbury has won the national award for the best sourdough loaf, beating more than four "
    "hundred entries from across the country.\n\n"
    "Owner Sam Okafor said the recipe had been in the family for three generations. \"We get up at three every "
    "morning. It is nice to see the work noticed,\" he said. The judges praised the crust and the even crumb.")


@pytest.mark.slow
def test_stance_denial_article_denies_the_claim():
    import according

    assert stance(according.analyze(DENIAL), CLAIM) == "deny"


@pytest.mark.slow
def test_stance_attributed_report_reports_the_claim():
    import according

    assert stance(according.analyze(REPORT), CLAIM) == "report"


@pytest.mark.slow
def test_stance_article_about_something_else_is_unrelated():
    import according

    assert stance(according.analyze(OTHER), CLAIM) == "unrelated"


def test_stance_pairs_name_what_cannot_be_scored():
    pairs = [{"id": "p1", "claim": CLAIM, "doc_id": "gone"}, {"_line": 2, "_error": "line 2 is not JSON"}]
    out = predict_pairs(pairs, {}, {"gone": "it is empty"})
    assert out == [{"id": "p1", "error": "document 'gone' cannot be read: it is empty"},
                   {"id": None, "error": "line 2 is not JSON"}]


def test_stance_reads_a_headline_by_its_shape():
    assert is_headline("Council denies pier will close")
    assert not is_headline(DENIAL)
    assert [DENIAL[s:e] for s, e in sentences(DENIAL)][:2] == [
        "No, the Marlow pier is not being demolished",
        "Posts claiming that the Victorian pier in Marlow will be demolished next spring are false."]


def test_stance_pairs_file_errors_say_what_to_mend(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_pairs(str(tmp_path / "missing.jsonl"))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(InputError, match="holds no pairs"):
        read_pairs(str(empty))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "p1", "claim": "x"}\nnot json\n')
    rows = read_pairs(str(bad))
    assert "lacks doc_id" in rows[0]["_error"] and rows[1]["_line"] == 2


@pytest.mark.slow
def test_cli_stance_writes_one_prediction_per_pair(invoke, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in [
        {"id": "denial", "text": DENIAL}, {"id": "report", "text": REPORT}, {"id": "other", "text": OTHER}]))
    pairs = tmp_path / "pairs.jsonl"
    rows = [{"id": f"{doc}-{n}", "claim": claim, "doc_id": doc}
            for doc in ("denial", "report", "other")
            for n, claim in enumerate([CLAIM, "A Tilbury bakery won a national bread award"])]
    rows.append({"id": "nowhere", "claim": CLAIM, "doc_id": "absent"})
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "pred.jsonl"
    result = invoke("stance", pairs, "--docs", docs, "-o", out)
    assert result.exit_code == 3, result.stderr
    predictions = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in predictions] == [r["id"] for r in rows]
    assert all(p["stance"] in ("assert", "deny", "report", "unrelated") for p in predictions[:-1])
    assert predictions[0]["stance"] == "deny" and predictions[1]["stance"] == "unrelated"
    assert "not in the documents file" in predictions[-1]["error"]
    assert "7 pair(s) over 3 document(s)" in result.stderr and "1 failed" in result.stderr


@pytest.mark.slow
def test_cli_stance_missing_docs_file_is_a_clear_error(invoke, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "p", "claim": CLAIM, "doc_id": "d"}) + "\n")
    result = invoke("stance", pairs, "--docs", tmp_path / "nope.jsonl", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 1 and "does not exist" in result.stderr


@pytest.fixture(params=["regression", "with encoder"])
def headline_model(request):
    """The stance model as it reads headlines without the optional encoder, and with it (skipped when its
    libraries are not installed: `pip install 'according[accurate]'`)."""
    if request.param == "regression":
        return StanceModel.load(encoder=False)
    if not stance_encoder.available():
        pytest.skip("the stance encoder needs onnxruntime and tokenizers: pip install 'according[accurate]'")
    model = StanceModel.load()
    assert model.headline.encoder is not None and model.headline.encoder_weight > 0
    return model


def test_stance_of_a_headline_built_by_hand_needs_no_parser(headline_model):
    """The model reads an Analysis as data: a headline that states the claim asserts it, one that asks it does not."""
    claim = "A Tilbury bakery won a national bread award"
    assert headline_model.stances([(Analysis(text="Tilbury bakery wins national bread award"), claim),
                                   (Analysis(text="Did a Tilbury bakery really win the bread award?"), claim)]) == [
        "assert", "report"]


def test_stance_of_a_headline_reads_its_hedges_and_refutations(headline_model):
    """The headline model reads the few words that commit to a claim or not: "reportedly", "report says", "hoax"."""
    claim = "A Tilbury bakery won a national bread award"
    headlines = ["Tilbury bakery reportedly wins national bread award",
                 "Tilbury bakery wins national bread award, report says",
                 "Tilbury bakery bread award story is a hoax",
                 "Tilbury bakery did not win bread award, judges say"]
    assert headline_model.stances([(Analysis(text=h), claim) for h in headlines]) == [
        "report", "report", "deny", "deny"]


def test_stance_of_a_headline_about_another_story_is_unrelated_with_or_without_encoder(headline_model):
    """The gate is the regression's: the encoder only shares out the stance of a headline about the claim."""
    assert headline_model.stances([(Analysis(text="Harbour ferry fares to rise in May"),
                                    "A Tilbury bakery won a national bread award")]) == ["unrelated"]


@pytest.mark.skipif(not stance_encoder.available(), reason="needs onnxruntime and tokenizers (according[accurate])")
def test_stance_encoder_reads_claim_and_headline_together():
    """The encoder alone, on the claim and headline pairs it was not trained on: it prefers assert for a headline
    that states the claim, report for one that only relays it, deny for one that calls it false."""
    encoder = stance_encoder.load_encoder()
    claim = "A Tilbury bakery won a national bread award"
    p = encoder.probabilities([(claim, "Tilbury bakery wins national bread award"),
                               (claim, "Tilbury bakery reportedly wins national bread award"),
                               (claim, "Council says reports that a Tilbury bakery won the bread award are false")])
    assert p.shape == (3, 3) and abs(float(p.sum()) - 3) < 1e-3
    assert [stance_encoder.LABELS[i] for i in p.argmax(axis=1)] == ["assert", "report", "deny"]


def test_stance_model_falls_back_to_the_regression_without_the_extra(monkeypatch):
    """Where onnxruntime or tokenizers is missing the model loads without the encoder and reads headlines alone."""
    monkeypatch.setattr(stance_encoder, "_LOADED", [])
    monkeypatch.setattr(stance_encoder, "available", lambda: False)
    model = StanceModel.load()
    assert model.headline.encoder_weight > 0 and model.headline.encoder is None
    claim = "A Tilbury bakery won a national bread award"
    pairs = [(Analysis(text="Tilbury bakery wins national bread award"), claim),
             (Analysis(text="Tilbury bakery reportedly wins national bread award"), claim)]
    assert model.stances(pairs) == StanceModel.load(encoder=False).stances(pairs) == ["assert", "report"]


@pytest.mark.slow
def test_cli_stance_no_encoder_reads_headlines_with_the_regression(invoke, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in [
        {"id": "plain", "text": "Tilbury bakery wins national bread award"},
        {"id": "hoax", "text": "Tilbury bakery bread award story is a hoax"}]))
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"id": d, "claim": "A Tilbury bakery won a national bread award",
                                         "doc_id": d}) + "\n" for d in ("plain", "hoax")))
    out = tmp_path / "pred.jsonl"
    result = invoke("stance", pairs, "--docs", docs, "-o", out, "--no-encoder")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["stance"] for line in out.read_text().splitlines()] == ["assert", "deny"]


def test_a_retracting_verb_counts_as_a_refutation_only_where_its_object_shows_it():
    """"withdrew its troops" and "withdrew its report": word counts cannot tell them apart, so the stance model's
    refutation words and lead cues leave withdraw out (unless the stance lexicon lists a form, as it does
    "retracted"), while the reader takes it as a denial when its object is something said."""
    from according.link.stance import _cue, stance_words

    refute = stance_words()["refute"]
    assert "deny" in refute and "reject" in refute
    assert "withdraw" not in refute and "retracted" in refute
    assert _cue("denied") == "deny" and _cue("withdrawn") is None
