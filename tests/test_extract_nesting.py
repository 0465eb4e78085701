"""Nesting on short texts written for these tests: which statement holds which, and where a content stops."""
import pytest

from conftest import one, read

pytestmark = pytest.mark.slow


def test_extract_nesting_trailing_outlet_reports_the_whole_statement():
    an = read("Army spokesman Tom Reed said the talks were still going on, the Daily Planet reported.")
    reed, planet = one(an, "said"), one(an, "reported")
    assert an.text_of(reed.content) == "the talks were still going on"
    assert an.text_of(planet.content) == "Army spokesman Tom Reed said the talks were still going on"
    assert reed.parent == planet.id and planet.parent is None


def test_extract_nesting_according_to_an_outlet_holds_what_its_sources_said():
    an = read("According to the Daily Planet, the minister resigned on Monday, sources said.")
    outlet, sources = one(an, "According to"), one(an, "said")
    assert an.text_of(sources.content) == "the minister resigned on Monday"
    assert sources.parent == outlet.id and outlet.parent is None
    assert sources.anonymous


def test_extract_nesting_a_contrasted_statement_stands_apart():
    an = read("Some said the hostage had been rescued while others said he was dead.")
    some, others = [a for a in an.attributions if an.text_of(a.cue) == "said"]
    assert an.text_of(some.content) == "the hostage had been rescued"
    assert an.text_of(others.content) == "he was dead"
    assert some.parent is None and others.parent is None


def test_extract_nesting_but_another_source_is_not_inside_the_first():
    an = read("Officials told the family that he was killed, but the ministry said the search would go on.")
    told, said = one(an, "told"), one(an, "said")
    assert an.text_of(told.content) == "that he was killed"
    assert an.text_of(said.content) == "the search would go on" and said.parent is None


def test_extract_nesting_a_closing_participle_belongs_to_the_main_speaker_and_no_content():
    an = read("Ann Lee said she did not think the rebels had agreed to a truce, citing the lack of statements.")
    said, citing = one(an, "said"), one(an, "citing")
    # "she did not think X" inside her own words is hers, not a second statement (newsdev's rule)
    assert "citing" not in an.text_of(said.content)
    assert all("citing" not in an.text_of(a.content) for a in an.attributions if a is not citing)
    assert an.text_of(citing.source) == "Ann Lee" and citing.parent is None


def test_extract_nesting_a_second_verb_of_speech_is_the_same_speakers_next_statement():
    an = read("The army announced it knew where the hostages were but said it would not launch a raid.")
    announced, said = one(an, "announced"), one(an, "said")
    assert an.text_of(announced.content) == "it knew where the hostages were"
    assert said.parent is None and an.text_of(said.content) == "it would not launch a raid"
    an = read("A press release claimed the painter had been arrested and again claimed his name was Paul.")
    first, second = [a for a in an.attributions if an.text_of(a.cue).endswith("claimed")]
    assert "again" not in an.text_of(first.content) and second.parent is None
    assert an.text_of(second.source) == "A press release"


def test_extract_nesting_the_cited_say_what_their_citer_says_and_are_anonymous_when_unnamed():
    an = read("The Daily Planet, citing three people familiar with the matter, reported that the merger had collapsed.")
    reported, citing = one(an, "reported"), one(an, "citing")
    assert an.text_of(reported.via) == "three people familiar with the matter"
    assert an.text_of(citing.source) == "three people familiar with the matter"
    assert citing.content == reported.content and citing.parent == reported.id
    assert citing.anonymous and not reported.anonymous


def test_extract_nesting_the_writers_asides_stand_apart():
    """A statement told in a relative clause, or named as what something happened despite, is the writer's, not
    inside the other's words; a statement that is the object of another's is still inside it."""
    an = read("Farmers said the river flooded the valley, despite official claims that the dam was safe. "
              "The council announced a new bridge, which an engineer said would open in spring.")
    assert one(an, "claims").parent is None and one(an, "said", 1).parent is None
    assert an.text_of(one(an, "said", 1).content).startswith("which")
    held = read("The mayor denied reports that the bridge would close.")
    assert one(held, "reports").parent == one(held, "denied").id


@pytest.mark.parametrize("text, speaker, outlet", [
    ("The Morning Ledger quoted Mayor Ann Holt as saying that the pool would reopen in June.", "Mayor Ann Holt",
     "The Morning Ledger"),
    ("Holt was quoted by the Morning Ledger as saying the pool would reopen in June.", "Holt", "the Morning Ledger"),
])
def test_extract_nesting_the_one_quoted_as_saying_is_the_speaker_under_who_quotes(text, speaker, outlet):
    an = read(text)
    quoted, saying = one(an, "quoted"), one(an, "saying")
    assert an.text_of(saying.source) == speaker and an.text_of(quoted.source) == outlet
    assert an.text_of(saying.content).endswith("the pool would reopen in June")
    assert saying.parent == quoted.id and quoted.parent is None
    assert speaker.split()[-1] in an.text_of(quoted.content)


def test_extract_nesting_a_speech_clause_the_parse_joins_to_what_was_said_reports_it():
    an = read("Osric will join Almara, Harbour Sports Daily reported, citing a source close to the club.\n\n"
              "The fee was not disclosed.")
    outlet, cited = one(an, "reported"), one(an, "citing")
    assert an.text_of(outlet.content) == "Osric will join Almara"
    assert outlet.source_entity == "Harbour Sports Daily"
    assert cited.parent == outlet.id and cited.anonymous


def test_extract_nesting_a_second_clause_of_its_own_is_not_a_speech_clause():
    an = read("The mayor closed the pool, and the council reported a loss.")
    assert not any(an.text_of(a.cue) == "reported" and "pool" in an.text_of(a.content) for a in an.attributions)


def test_extract_nesting_an_outlet_the_parse_sets_beside_a_name_still_reports_and_cites():
    an = read("Falk Shipping is in talks to merge with Orren Lines, the Coastal Business Journal reported on Monday, "
              "citing people briefed on the talks. The newspaper said a deal could come within weeks.")
    outlet, cited, paper = one(an, "reported"), one(an, "citing"), one(an, "said")
    assert an.text_of(outlet.content) == "Falk Shipping is in talks to merge with Orren Lines"
    assert outlet.source_entity == "Coastal Business Journal" and paper.source_entity == "Coastal Business Journal"
    assert cited.parent == outlet.id and cited.anonymous
    assert {e.name: e.label for e in an.entities}["Orren Lines"] != "OUTLET"
