"""`according.analyze`, the one-call API: what it accepts, and text it mends rather than crashes on."""
import json

import pytest

import according


@pytest.mark.slow
def test_analyze_lone_surrogate_becomes_a_replacement_character_and_offsets_hold():
    text = 'The mayor \ud800 said "the bridge will close on Monday."'
    analysis = according.analyze(text, id="doc\udc80", title="Bridge \ud800")
    assert analysis.text == text.replace("\ud800", "\ufffd") and len(analysis.text) == len(text)
    assert analysis.id == "doc\ufffd" and analysis.meta["title"] == "Bridge \ufffd"
    [said] = analysis.attributions
    assert analysis.text_of(said.source) == "The mayor \ufffd" and analysis.text_of(said.cue) == "said"
    json.dumps(analysis.to_dict(with_text=True), ensure_ascii=False).encode("utf-8")


def test_analyze_refuses_an_unknown_keyword_before_reading():
    with pytest.raises(TypeError, match="titel"):
        according.analyze("The mayor said the bridge would close.", titel="Bridge")
    with pytest.raises(TypeError, match="str, not bytes"):
        according.analyze(b"The mayor said the bridge would close.")
