"""Speaker resolution on short texts written for these tests: who each source is, across the article."""
import pytest

from conftest import one, read

pytestmark = pytest.mark.slow


def test_extract_speakers_pronoun_takes_the_speaker_of_its_gender():
    an = read("Spokeswoman Mary Jones met Tom Brown on Monday. Brown said his plant would close. "
              "Later she said that the workers would be paid.")
    assert one(an, "said", 0).source_entity == "Tom Brown"
    assert one(an, "said", 1).source_entity == "Mary Jones"


def test_extract_speakers_pronoun_inside_a_quote_is_not_the_quoting_speaker():
    an = read("Tom Baker spoke to the reporter Paul Hill on Friday.\n"
              "\u201cIn a twist,\u201d Hill reported, \u201che says the money is gone.\u201d")
    inner = one(an, "says")
    assert an.text_of(inner.source) == "he"
    assert inner.source_entity == "Tom Baker"


def test_extract_speakers_the_paper_is_the_outlet_last_named():
    an = read("The Daily Planet reported that the mayor had resigned. The paper said he had been ill for months.")
    assert one(an, "said").source_entity == "Daily Planet"


def test_extract_speakers_a_role_noun_is_the_person_who_holds_it():
    an = read("Attorney John Doe represents the family of the driver. The attorney said the charges were false.")
    assert one(an, "said").source_entity == "John Doe"


def test_extract_speakers_an_institution_keeps_its_name_when_mentioned_again():
    an = read("The Canadian government said talks with the union had begun. "
              "The government insisted that they were going well.")
    first, second = one(an, "said"), one(an, "insisted")
    assert first.source_entity and first.source_entity.lower().endswith("government")
    assert second.source_entity == first.source_entity
    assert not first.anonymous


def test_extract_speakers_officials_of_a_country_speak_for_its_government():
    an = read("Canadian officials said the border would reopen on Monday.")
    a = one(an, "said")
    assert a.source_entity == "Canadian government" and not a.anonymous


def test_extract_speakers_unnamed_people_are_anonymous_even_when_someone_is_named_in_the_phrase():
    an = read("Two people who know Smith said that he had left the country.")
    a = one(an, "said")
    assert a.anonymous and a.source_entity == "anonymous sources"


def test_extract_speakers_a_first_name_is_the_full_name_it_shortens():
    an = read("Kevin Marsh spoke to reporters outside the court. Kevin said the deal was off.")
    assert one(an, "said").source_entity == "Kevin Marsh"


def test_extract_speakers_initials_are_the_organisation_they_stand_for():
    an = read("Human Rights Watch published a report on Monday. HRW said the prisons were overcrowded.")
    assert one(an, "said").source_entity == "Human Rights Watch"


def test_extract_speakers_a_spokesperson_for_a_body_speaks_for_it():
    an = read("A spokeswoman for the Department of Transport said the line would reopen.")
    assert one(an, "said").source_entity == "Department of Transport"


def test_extract_speakers_a_study_speaks_for_whoever_made_it():
    an = read("A recent Acme Labs study found that most users skip the manual. "
              "The study said that the trend was growing.")
    assert one(an, "said").source_entity == "Acme Labs"


def test_extract_speakers_a_name_the_tagger_took_for_something_else_still_speaks():
    an = read("Kurdish news site Xendan reported that the town had fallen. This Day reports that talks began.")
    assert one(an, "reported").source_entity == "Xendan"
    assert one(an, "reports").source_entity == "This Day"


def test_extract_speakers_the_last_speaker_is_he_only_while_still_talked_about():
    an = read("Tom Hale said the plant was safe.\n"
              "The inspectors arrived on Monday. They found three leaks. The repairs took a week.\n"
              "Engineer Paul Dunn met them at the gate. \u201cWe were lucky,\u201d he said.")
    assert one(an, "said", 1).source_entity == "Paul Dunn"


def test_extract_speakers_the_company_is_the_organisation_last_named():
    an = read("Acme Corporation reported record sales on Monday. The company said demand would grow.")
    assert one(an, "said").source_entity == "Acme Corporation"


def test_extract_speakers_a_role_word_the_tagger_took_for_a_name_is_still_a_role():
    an = read("Planet Labs CEO Ana Ruiz spoke on Monday. The CEO said the launch would slip.")
    assert one(an, "said").source_entity == "Ana Ruiz"


def test_extract_speakers_one_of_a_group_is_anonymous():
    an = read("One of his friends said that he had left the city.")
    a = one(an, "said")
    assert a.anonymous and a.source_entity == "anonymous sources"


def test_extract_speakers_a_short_name_is_the_outlet_whose_head_it_is():
    an = read("The New York Times reported the deal on Monday. The Times said the talks had lasted a year.")
    assert one(an, "said").source_entity == "New York Times"


def test_extract_speakers_a_reporting_person_is_not_an_outlet():
    an = read("John Smith reported that the mine had flooded. Prosecutors said the owner would be charged.")
    assert [e.label for e in an.entities if e.name == "John Smith"] == ["PERSON"]
    assert one(an, "said").source_entity == "prosecutors"


def test_extract_speakers_he_in_reported_speech_is_the_reporting_speaker():
    an = read("Anna Berg met Carl Olsen at the plant. Olsen said he expected the strike to end soon.\n"
              "\u201cThe workers are tired. They want their pay. Nobody wants another month of this,\u201d he said.")
    assert one(an, "said", 0).source_entity == "Carl Olsen"
    assert one(an, "said", 1).source_entity == "Carl Olsen"


def test_extract_speakers_a_long_quote_keeps_the_speaker_who_began_it():
    an = read("Mayor Tom Reed spoke after Jan Novak left the hall. Reed told the council that the budget was short.\n"
              "\u201cWe have cut what we can. The roads must wait. The schools cannot. "
              "I told Jan Novak that already,\u201d he said.")
    assert one(an, "said").source_entity == "Tom Reed"


def test_extract_speakers_a_description_is_the_person_named_as_subject_next():
    an = read("The head of the rebel group Red Dawn has denied agreeing to a truce.\n\n"
              "In a new video released on Friday, Omar Haddad said the hostages were safe.\n\n"
              "Later the head said the war would go on.")
    assert one(an, "denied").source_entity == "Omar Haddad"
    assert one(an, "said", 1).source_entity == "Omar Haddad"


def test_extract_speakers_a_description_is_not_someone_named_before_it():
    an = read("Omar Haddad met the villagers on Monday. The head of the rebel group has denied agreeing to a truce.\n\n"
              "Omar Haddad said the hostages were safe.")
    assert one(an, "denied").source_entity != "Omar Haddad"


def test_extract_speakers_an_unnamed_official_named_in_the_next_sentence_is_not_anonymous():
    an = read("An official told the radio that the bridge would close.\n\nJan Berg, who runs the port, said repairs "
              "would take a year.")
    a = one(an, "told")
    assert a.source_entity == "Jan Berg" and not a.anonymous


def test_extract_speakers_an_account_is_a_speaker_and_he_is_its_owner():
    an = read('"The update broke my phone," @kimtech tweeted.\n\n'
              'Phone owner @roadman posted a photo of his screen. "It froze twice today," he wrote.')
    assert one(an, "tweeted").source_entity == "@kimtech"
    assert one(an, "wrote").source_entity == "@roadman"


def test_extract_speakers_the_company_is_not_a_thing_it_makes():
    an = read("Zentro said on Monday that sales had doubled. Buyers of the Zentro Pad complained about its screen. "
              "The company said a fix was coming.")
    assert one(an, "said", 1).source_entity == "Zentro"


def test_extract_speakers_he_is_the_subject_of_the_sentence_before_rather_than_its_object():
    an = read("The concert ended early. Later Tom Reed went looking for Sam Price.\n\n"
              'He said: "I was worried that something had gone wrong."')
    assert one(an, "said").source_entity == "Tom Reed"


def test_extract_speakers_a_name_leaves_out_what_the_tagger_took_in_from_the_brackets_after_it():
    from spacy.tokens import Span

    from according.extract import default_extractor
    from according.extract.cast import _clean_name

    doc = default_extractor().nlp("Activists with the Free Road Alliance (FRA) met on Sunday.")
    words = [t.text for t in doc]
    start, end = words.index("the"), words.index("FRA") + 1  # the span a tagger gave: "the Free Road Alliance (FRA"
    assert _clean_name(Span(doc, start, end, label="ORG")) == "Free Road Alliance"


@pytest.mark.parametrize("text", [
    '"The bridge is shut again, third time this week," tweeted @cityrunner88.',
    '"The bridge is shut again, third time this week," @cityrunner88 tweeted.',
])
def test_extract_speakers_an_account_beside_the_verb_is_who_posted(text):
    an = read(text)
    a = one(an, "tweeted")
    assert an.text_of(a.source) == "@cityrunner88" and an.text_of(a.cue) == "tweeted"
    assert a.source_entity == "@cityrunner88"


def test_extract_speakers_any_one_newcomer_described_is_the_person_named_as_subject_next():
    an = read("A former county cricketer claims the match was fixed.\n\n"
              "Tom Hardwick, who played 40 games for the county, made the claim on local radio.")
    assert one(an, "claims").source_entity == "Tom Hardwick"


def test_extract_speakers_a_name_after_a_headline_colon_is_what_is_said_not_who_says_it():
    an = read("Report: Ostland to close its embassy in Velmar\n\nOstland plans to close the embassy, the Velmar Post "
              "reported.")
    headline = one(an, ":")
    assert an.text_of(headline.source) == "Report" and headline.source_entity is None
    assert one(an, "reported").source_entity == "Velmar Post"
    aide = read("The aide, Jane Roe, said the bill would pass.")
    assert one(aide, "said").source_entity == "Jane Roe"


def test_extract_speakers_two_names_the_tagger_ran_together_across_a_comma_are_two():
    from spacy.tokens import Span

    from according.extract import default_extractor
    from according.extract.cast import _split_at_comma

    doc = default_extractor().nlp("Osric will join Almara, Harbour Sports Daily reported.")
    words = [t.text for t in doc]
    ran_together = Span(doc, words.index("Almara"), words.index("Daily") + 1, label="ORG")
    assert [p.text for p in _split_at_comma(ran_together)] == ["Almara", "Harbour Sports Daily"]
    one_name = Span(doc, words.index("Harbour"), words.index("Daily") + 1, label="ORG")
    assert [p.text for p in _split_at_comma(one_name)] == ["Harbour Sports Daily"]


@pytest.mark.parametrize("text, cue, nth, entity", [
    ("Eastby city hall on Tuesday rejected a report that it would close the public pool.", "rejected", 0,
     "Eastby city hall"),
    ("The band Red Harbour played as Zentro Inc. unveiled its new tablet on Tuesday.\n\n"
     "Mike Dole, Gadget Blog: \u201cZentro Inc. should have waited.\u201d\n\n"
     "Asked about the battery, the company said it would last two days.", "said", 0, "Zentro Inc."),
    ("A World Trade Organization report said tariffs had doubled. Prices will keep rising, the WTO said on Monday.",
     "said", 1, "World Trade Organization"),
    ("The ferry service will end in March, according to a translation by the Morning Ledger.", "according to", 0,
     "Morning Ledger"),
    ("The ferry service will end in March, according to an analysis by the Morning Ledger.", "according to", 0,
     "Morning Ledger"),
    ("Zentro Systems unveiled a folding tablet on Tuesday. "
     '"We will ship it in May," the firm\'s chief executive said.', "said", 0, "Zentro Systems"),
], ids=["a city hall is a body that speaks as one", "a company named after an outlet and a colon is a company",
        "initials stand for a name that stood in front of a noun", "a thing made by someone speaks for its maker",
        "an analysis by someone speaks for its maker", "the firm's chief executive speaks on the record for it"])
def test_extract_speakers_a_source_resolves_to_who_stands_behind_it(text, cue, nth, entity):
    a = one(read(text), cue, nth)
    assert a.source_entity == entity and not a.anonymous
