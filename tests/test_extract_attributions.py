"""Attribution extraction on short texts written for these tests: each kind of attribution news uses."""
import pytest

from conftest import one, read

pytestmark = pytest.mark.slow


def test_extract_direct_quote_with_speaker_after():
    an = read('"The bridge will reopen in May," the mayor said on Tuesday.')
    a = one(an, "said")
    assert an.text_of(a.source) == "the mayor"
    assert an.text_of(a.content).strip('",') == "The bridge will reopen in May"
    assert a.kind == "direct" and a.stance == "assert"


def test_extract_quote_spanning_two_sentences_and_its_continuation():
    text = ('"We are ready. The trains will run," said Ana Ruiz, the transport minister. '
            '"Nobody will be left on the platform."')
    an = read(text)
    a = one(an, "said")
    content = an.text_of(a.content)
    assert "We are ready" in content and "The trains will run" in content
    assert "Nobody will be left" in content
    assert a.source_entity == "Ana Ruiz"


def test_extract_unbalanced_quotation_marks_do_not_spread():
    text = ('The council said the vote was "final.\n\n'
            'Residents said that the road would stay closed until spring.')
    an = read(text)
    a = next(x for x in an.attributions if an.text_of(x.source) == "Residents")
    assert an.text_of(a.content).startswith("that the road")
    assert a.kind == "indirect"  # the stray mark in the paragraph above does not make this a quote


def test_extract_indirect_speech_keeps_that():
    an = read("The minister said that taxes would rise next year.")
    a = one(an, "said")
    assert an.text_of(a.content) == "that taxes would rise next year"
    assert an.text_of(a.source) == "The minister"


def test_extract_according_to():
    an = read("Prices rose by five percent in March, according to the central bank.")
    a = one(an, "according to")
    assert an.text_of(a.source) == "the central bank"
    assert an.text_of(a.content).startswith("Prices rose by five percent")


def test_extract_denial_of_reports_nests_the_reports():
    an = read("The company has denied reports that it sold the data of its customers.")
    denial = one(an, "denied")
    assert denial.stance == "deny"
    assert an.text_of(denial.cue) == "has denied"
    reports = [a for a in an.attributions if a.parent == denial.id]
    assert reports and an.text_of(reports[0].cue) == "reports" and reports[0].source == []


def test_extract_described_as_false_is_a_denial():
    an = read('Speaking to reporters, the governor described the claim as "false."')
    a = one(an, "described")
    assert a.stance == "deny"
    assert an.text_of(a.content) == "the claim"
    assert "false" in an.text_of(a.cue)


def test_extract_negated_cue_is_uncertain():
    an = read("The ministry did not confirm that the talks had collapsed.")
    assert one(an, "confirm").stance == "uncertain"


def test_extract_questioned_whether_is_uncertain_and_hedged_cues_flagged():
    an = read("Analysts questioned whether the plan would work. The bank suggested that rates might fall.")
    assert one(an, "questioned").stance == "uncertain"
    suggested = one(an, "suggested")
    assert suggested.stance == "assert" and suggested.hedged


def test_extract_reportedly_has_no_source():
    an = read("The tanker was reportedly seized by coast guard vessels on Monday.")
    a = one(an, "reportedly")
    assert a.source == [] and a.hedged
    assert "seized" in an.text_of(a.content)


def test_extract_cited_sources_suggesting_is_one_statement_via_the_sources():
    an = read("The newspaper Daily Tribune cited officials close to the ministry, suggesting that the budget "
              "would be cut.")
    a = one(an, "suggesting")
    assert "cited" in an.text_of(a.cue)
    assert "officials close to the ministry" in an.text_of(a.via)
    assert an.text_of(a.content).startswith("that the budget")


def test_extract_pronoun_and_surname_resolve_to_the_full_name_with_role():
    an = read("Health minister Lena Park said the clinic would close. She added that staff would be moved. "
              "Park later told reporters that no jobs would be lost.")
    for cue in ("said", "added", "told"):
        assert one(an, cue).source_entity == "Lena Park"
    park = next(e for e in an.entities if e.name == "Lena Park")
    assert park.role and "minister" in park.role.lower()


def test_extract_anonymous_sources():
    an = read("Two officials familiar with the talks said a deal was close.")
    a = one(an, "said")
    assert a.anonymous


def test_extract_outlet_written_like_a_domain_stays_one_token_and_one_sentence():
    an = read("The minister resigned on Friday, News.Az reports.")
    a = one(an, "reports")
    assert an.text_of(a.source) == "News.Az" and a.source_entity == "News.Az"
    assert an.text_of(a.content).startswith("The minister resigned")


def test_extract_outlet_written_with_a_slash_stays_one_name():
    an = read("The merger is off, according to tech site Re/code.")
    a = one(an, "according to")
    assert an.text_of(a.source) == "tech site Re/code" and a.source_entity == "Re/code"


def test_extract_mixed_quote():
    an = read('The union leader said the offer was "an insult to every worker" and would be rejected.')
    assert one(an, "said").kind == "mixed"


def test_extract_spans_lie_inside_the_text_on_a_long_article_read_in_pieces():
    paragraph = "The mayor said that the bridge would reopen in May. Residents were relieved.\n\n"
    text = paragraph * 3000  # about 230,000 characters: read in pieces, spans still point into the whole
    an = read(text)
    assert len([a for a in an.attributions if "said" in an.text_of(a.cue)]) == 3000
    last = an.attributions[-1]
    assert an.text_of(last.content) == "that the bridge would reopen in May"
    assert last.content[0][0] > 200_000
    assert len({a.id for a in an.attributions}) == len(an.attributions)


def test_extract_text_without_attributions():
    an = read("The bridge is forty metres long. It was built in 1902.")
    assert an.attributions == []


def test_extract_someone_quoted_inside_a_quote_keeps_their_own_words():
    text = ('"A clerk from the council called me the next day, saying she had read my letter. I was '
            'amazed," the resident wrote.')
    an = read(text)
    outer = one(an, "wrote")
    inner = one(an, "saying")
    assert inner.parent == outer.id
    assert an.text_of(inner.source) == "A clerk from the council"
    assert an.text_of(inner.content) == "she had read my letter"
    assert "I was amazed" in an.text_of(outer.content)


def test_extract_first_person_inside_a_quote_is_the_quoted_speaker():
    an = read('"I told the police that the vote was rigged," said Omar Haddad, a local farmer.')
    told = one(an, "told")
    assert told.parent is not None
    assert told.source_entity == "Omar Haddad"


def test_extract_headline_speaker_and_colon():
    an = read("Mayor Rivera: The Harbour Bridge Will Reopen in May\n\nThe bridge has been closed since March.")
    a = one(an, ":")
    assert an.text_of(a.source) == "Mayor Rivera"
    assert an.text_of(a.content).startswith("The Harbour Bridge")


def test_extract_dateline_is_not_part_of_the_source():
    an = read("OSLO, Norway (Wire) \u2014 The leader of the rebel group said the truce had collapsed.")
    a = one(an, "said")
    assert an.text_of(a.source) == "The leader of the rebel group"


def test_extract_reporting_noun_takes_the_body_in_front_of_it_as_source():
    an = read("Residents doubted police reports that the driver had fled.")
    a = one(an, "reports")
    assert an.text_of(a.source) == "police" and a.source_entity == "police"
    assert an.text_of(a.content) == "that the driver had fled"
    an = read("Despite news reports that the fighting had ended, residents fled the town.")
    assert an.text_of(one(an, "reports").source) == ""


@pytest.mark.parametrize("text, cue, content", [
    ("The ministry would not confirm the report, which named two of its staff.", "confirm", "the report"),
    ("The union denied the claim, which first appeared in a local paper last week.", "denied", "the claim"),
    ("Police said the two men had fled the city, leaving their car at the station.", "said",
     "the two men had fled the city"),
    ("The firm announced a new plant in Ohio, despite falling sales in the region.", "announced",
     "a new plant in Ohio"),
])
def test_extract_content_leaves_out_the_writers_aside_after_a_comma(text, cue, content):
    an = read(text)
    assert an.text_of(one(an, cue).content) == content


def test_extract_content_keeps_a_relative_clause_inside_a_reported_clause():
    an = read("The paper reported that the mayor had met the builders, who were also allegedly paid by the city.")
    assert an.text_of(one(an, "reported").content).endswith("paid by the city")


@pytest.mark.parametrize("text, content", [
    ("Last year the driver was stopped and accused of speeding and lying to the officers.",
     "the driver ... of speeding and lying to the officers"),
    ("The two guards are on leave and suspected of theft.", "The two guards ... of theft"),
])
def test_extract_a_participle_joined_to_a_passive_says_something_of_the_subject(text, content):
    an = read(text)
    a = one(an, "accused" if "accused" in text else "suspected")
    assert an.text_of(a.content) == content
    assert not a.source


def test_extract_a_charge_joined_by_a_gerund_stays_whole():
    an = read("The board accused Smith of fraud and hiding the losses.")
    assert an.text_of(one(an, "accused").content) == "Smith of fraud and hiding the losses"


def test_extract_headline_colon_needs_a_speaker_before_it():
    an = read("Tom Reed's funeral: Songs, tears and a call for calm\n\nThe service was held on Sunday.")
    assert not [a for a in an.attributions if an.text_of(a.cue) == ":"]


@pytest.mark.parametrize("text", [
    "The minister seems to have left the country before the vote.",
    "The rebels appeared to control the northern road by Friday.",
])
def test_extract_how_things_look_is_no_statement(text):
    assert read(text).attributions == []


def test_extract_a_verb_of_saying_under_appear_is_a_statement():
    an = read("The company appeared to acknowledge that the plan had failed.")
    assert an.text_of(one(an, "acknowledge").content) == "that the plan had failed"
