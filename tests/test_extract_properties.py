"""Property tests for the extractor: whatever text comes in, reading it raises nothing and every span it gives lies
within the text, in order; and a long text is cut into pieces that cover it exactly."""
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from according.extract.components import MAX_SENTENCE_TOKENS
from according.extract.extractor import MAX_WORD_CHARS, break_long_words, split_text, weight

PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# lone surrogates are mended where text enters (according.analyze, the readers), not by the extractor
CHARACTERS = st.characters(blacklist_categories=("Cs",))
PIECES = ["he said ", "according to ", "The minister denied reports that ", "officials told reporters ", "\"", "'",
          "“", "”", ", ", ". ", ": ", "\n", "\n\n", " — ", "Ana Soto ", "the report said ", "(Reuters) ", "x" * 250,
          "?!", "did not confirm whether ", "citing sources, "]
TEXT = st.lists(st.sampled_from(PIECES) | st.text(CHARACTERS, max_size=30), max_size=50).map("".join)


@pytest.mark.slow
@PROPERTIES
@given(TEXT)
@example("he said " * 300)
@example("\"" * 700)
def test_extract_properties_any_text_reads_into_spans_within_it_in_order(text):
    from according.extract import default_extractor

    analysis = default_extractor().analyze(text)
    assert analysis.text == text
    ids = {a.id for a in analysis.attributions}
    for a in analysis.attributions:
        for spans in (a.source, a.cue, a.content, a.via):
            assert all(0 <= start < end <= len(text) for start, end in spans), (a, spans)
            assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:])), spans  # sorted, apart
        assert a.cue and (a.parent is None or a.parent in ids)
    starts = [a.cue[0][0] for a in analysis.attributions]
    assert starts == sorted(starts)
    for e in analysis.entities:
        assert all(0 <= start < end <= len(text) for start, end in e.mentions)


@pytest.mark.slow
@settings(PROPERTIES, max_examples=8)
@given(st.lists(st.sampled_from(["he said ", "the talks, ", "and ", "\"we left\" ", "Ana Soto "]), min_size=100,
                max_size=200).map("".join))
def test_extract_properties_no_sentence_is_longer_than_the_bound(text):
    from according.extract import default_extractor

    doc = default_extractor().nlp(text)
    assert max(len(sentence) for sentence in doc.sents) <= MAX_SENTENCE_TOKENS


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab \n\"'.,"), max_size=3000), st.integers(20, 400))
def test_extract_properties_pieces_cover_the_text_and_stay_within_the_limit(text, limit):
    pieces = list(split_text(text, limit))
    assert "".join(piece for _, piece in pieces) == text
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:n]) for n in range(len(pieces))]
    assert all(weight(piece) <= limit for _, piece in pieces)


@settings(max_examples=200, deadline=None)
@given(st.text(CHARACTERS, max_size=2000))
@example("\"" * 1000)
def test_extract_properties_long_words_are_broken_without_moving_a_character(text):
    broken = break_long_words(text)
    assert len(broken) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, broken))
    assert max((len(word) for word in broken.split()), default=0) < MAX_WORD_CHARS
