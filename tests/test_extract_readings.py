"""What is and is not a statement, and how much of the sentence it holds: requests, questions, calls and sights
state nothing; withheld statements are uncertain; an accusation holds the accused; a long quote runs on."""
import pytest

from conftest import one, read, with_cue

pytestmark = pytest.mark.slow


def only(analysis, word):
    """The one statement whose cue holds `word`: these readings must not split it in two."""
    found = with_cue(analysis, word)
    assert len(found) == 1, f"cues: {[analysis.text_of(a.cue) for a in analysis.attributions]}"
    return found[0]


@pytest.mark.parametrize("text, word", [
    ("The union urged its members to vote against the offer.", "urged"),
    ("The mayor called on residents to stay indoors.", "called"),
    ("Neighbours called the police shortly after midnight.", "called"),
    ("Reporters asked whether the minister would resign.", "asked"),
    ("Witnesses saw the flames from the motorway.", "saw"),
    ("He had told her.", "told"),
])
def test_extract_requests_questions_calls_and_sights_are_not_statements(text, word):
    assert with_cue(read(text), word) == []


def test_extract_told_names_whom_and_the_quote_is_what():
    an = read('"The road will stay shut," a lorry driver told the radio station.')
    a = only(an, "told")
    assert an.text_of(a.content).strip('",') == "The road will stay shut"
    assert an.text_of(a.source) == "a lorry driver"


def test_extract_declined_to_confirm_or_deny_is_one_uncertain_statement():
    an = read("The ministry declined to confirm or deny that the talks had failed.")
    assert len(an.attributions) == 1
    a = an.attributions[0]
    assert an.text_of(a.cue) == "declined to confirm or deny"
    assert an.text_of(a.content) == "that the talks had failed"
    assert an.text_of(a.source) == "The ministry" and a.stance == "uncertain"


@pytest.mark.parametrize("text, word, source", [
    ("The spokesman neither confirmed nor denied that the minister had resigned.", "denied", "The spokesman"),
    ("The agency was not immediately able to verify the report.", "verify", "The agency"),
    ("Officials have yet to confirm the figures.", "confirm", "Officials"),
])
def test_extract_withheld_statements_are_uncertain_never_denials(text, word, source):
    an = read(text)
    a = only(an, word)
    assert a.stance == "uncertain"
    assert an.text_of(a.source) == source


def test_extract_unclear_whether_is_uncertain_without_a_source():
    an = read("It is unclear whether the bridge will reopen.")
    a = only(an, "unclear")
    assert a.stance == "uncertain" and a.source == []
    assert an.text_of(a.content) == "whether the bridge will reopen"


def test_extract_casting_doubt_is_uncertain_of_what_it_is_cast_on():
    """The noun of saying in the object names the act; what follows "on" is what is doubted."""
    an = read("Engineers cast doubt on the claim.")
    a = only(an, "cast")
    assert a.stance == "uncertain" and an.text_of(a.content) == "the claim"


def test_extract_accusation_holds_the_accused_and_the_charge():
    an = read("The council accused the builder of cutting corners.")
    a = only(an, "accused")
    assert an.text_of(a.cue) == "accused"
    assert an.text_of(a.content) == "the builder of cutting corners"


def test_extract_believed_to_holds_who_is_believed():
    an = read("The two men are believed to have fled the country.")
    a = only(an, "believed")
    assert a.source == []
    content = an.text_of(a.content)
    assert "The two men" in content and "to have fled the country" in content


def test_extract_a_second_speaker_after_while_stands_beside_the_first():
    an = read("Local papers said the suspect was born in the capital, while a radio station reported that he "
              "grew up abroad.")
    said, reported = only(an, "said"), only(an, "reported")
    assert "reported" not in an.text_of(said.content) and "abroad" not in an.text_of(said.content)
    assert reported.parent is None
    assert an.text_of(reported.source) == "a radio station"


@pytest.mark.parametrize("statement, cue, own", [
    ('"We will rebuild the school," the principal said.', "said", "We will rebuild the school"),
    ("The principal also said that the school would be rebuilt by autumn.", "also said", "rebuilt by autumn"),
], ids=["after a quotation", "after a reported statement"])
def test_extract_quotation_paragraphs_after_a_statement_continue_it(statement, cue, own):
    an = read(statement + '\n\n"The children deserve nothing less. We owe it to them."\n\n'
              "Work on the site starts in June.")
    content = an.text_of(only(an, cue).content)
    assert own in content and "We owe it to them" in content
    assert "Work on the site" not in content


@pytest.mark.parametrize("text, word, held", [
    ("The driver is thought to have fled the country, according to the newspaper.", "thought", "The driver"),
    ("Police arrested two men believed to be smugglers.", "believed", "two men"),
    ("The army retook the town and is thought to have killed dozens of fighters.", "thought", "The army"),
    ("The ferry, which is known to carry too many passengers, sank at dawn.", "known", "which"),
])
def test_extract_raised_beliefs_hold_who_they_are_about_and_name_no_source(text, word, held):
    """"X is thought to Y", "men believed to be Y": the belief is about X, and no one is named as holding it;
    inside someone's words it still stands as a statement of its own."""
    an = read(text)
    a = only(an, word)
    assert a.source == []
    content = an.text_of(a.content)
    assert content.startswith(held) and " to " in content


@pytest.mark.parametrize("text, word, content", [
    ("Rumours have been swirling that the club will sell its stadium.", "Rumours",
     "that the club will sell its stadium"),
    ("The mayor has faced criticism over his handling of the floods.", "criticism", "his handling of the floods"),
])
def test_extract_reporting_nouns_find_their_content_where_the_parse_left_it(text, word, content):
    an = read(text)
    assert an.text_of(only(an, word).content) == content


@pytest.mark.parametrize("text", [
    'A startled Mia told state TV: "We lost everything.\n\n"Nobody came to help us."',
    'The fire chief said:\n\n"The blaze started in the kitchen.\n\n"Nobody came to help us."',
])
def test_extract_a_quote_after_a_colon_belongs_to_the_speaker_before_it(text):
    an = read(text)
    said = an.attributions
    assert len(said) == 1 and an.text_of(said[0].cue) in ("told", "said"), [an.text_of(a.cue) for a in said]
    assert an.text_of(said[0].source).split()[-1] in ("Mia", "chief")
    content = an.text_of(said[0].content)
    assert "Nobody came to help us" in content and ("We lost" in content or "The blaze" in content)


@pytest.mark.parametrize("text, word, content", [
    ("It was not clear if the ferry had enough lifeboats.", "clear", "if the ferry had enough lifeboats"),
    ("Whether the fire was set deliberately is still unconfirmed.", "unconfirmed",
     "Whether the fire was set deliberately"),
    ("The broadcaster cannot independently verify the authenticity of the recording.", "verify",
     "the authenticity of the recording"),
])
def test_extract_open_questions_and_unchecked_claims_are_uncertain(text, word, content):
    an = read(text)
    a = only(an, word)
    assert a.stance == "uncertain"
    assert an.text_of(a.content) == content


def test_extract_told_someone_during_something_that_x_says_x():
    an = read("A union official said the strikers told negotiators during the talks that the pay offer was too low.")
    inner = only(an, "told")
    assert an.text_of(inner.content) == "that the pay offer was too low"
    assert an.text_of(inner.source) == "the strikers"


def test_extract_a_speaker_holding_back_in_their_own_words_is_one_statement():
    an = read("The army said it could not confirm the death of the commander.")
    assert [an.text_of(a.cue) for a in an.attributions] == ["said"]
    an = read("The mayor said some residents doubted that the dam was safe.")
    assert only(an, "doubted").stance == "uncertain"


def test_extract_readings_a_report_that_claims_is_a_source_not_a_second_statement():
    an = read("The report also claimed that the ministry had arranged the meetings.")
    assert [an.text_of(a.cue) for a in an.attributions] == ["also claimed"]
    assert an.text_of(an.attributions[0].source) == "The report"


def test_extract_readings_a_time_is_never_what_is_said_about():
    """"commented on the plan" says something about the plan; "called the report false on Wednesday" says
    nothing about Wednesday."""
    an = read("The minister called the report false on Wednesday. The mayor commented on the plan on Friday.")
    assert all("Wednesday" not in an.text_of(a.content) for a in an.attributions)
    assert any(an.text_of(a.content) == "the plan" for a in an.attributions)


def test_extract_a_product_recall_is_not_a_statement_but_recalling_what_happened_is():
    import according

    assert not according.analyze("Fernhill Motors to recall 12,000 delivery bikes").attributions
    (recalled,) = according.analyze("The driver recalled that the brakes had failed twice.").attributions
    assert recalled.stance == "assert"


def test_extract_withdrawing_what_was_said_denies_it_and_withdrawing_troops_states_nothing():
    withdrawn = read("The Valley Times withdrew its report that the mayor had resigned.")
    assert one(withdrawn, "withdrew").stance == "deny"
    assert "the mayor had resigned" in withdrawn.text_of(one(withdrawn, "withdrew").content)
    assert one(read("The witness retracted his claim that he had seen the car."), "retracted").stance == "deny"
    assert not read("The army withdrew its troops from the border.").attributions
    assert not read("Fernhill Bank withdrew its bid for the lender on Monday.").attributions


def test_extract_agreeing_or_recalling_a_thing_states_nothing_agreeing_or_recalling_that_does():
    assert not read("Norby United have agreed a fee of 30 million euros with Castel for the winger.").attributions
    assert not read("Ostland recalled its ambassador to Velmar on Monday.").attributions
    assert not read("The envoy was recalled for consultations.").attributions
    recalled = read("The coach recalled that the team had lost every away game.")
    assert "the team had lost" in recalled.text_of(one(recalled, "recalled").content)
    agreed = read("The union agreed that the offer was fair.")
    assert "the offer was fair" in agreed.text_of(one(agreed, "agreed").content)
    words = read("The senator recalled his promise to cut taxes.")
    assert one(words, "recalled").content


def test_extract_pieces_without_words_are_skipped_and_the_offsets_of_the_rest_hold():
    """A page of punctuation is not parsed (no statement can be in it); what follows it lands where it is."""
    import re

    from according.extract.extractor import Extractor

    extractor = Extractor()
    parsed = []
    pipe = extractor.nlp.pipe
    extractor.nlp.pipe = lambda texts, **kw: pipe(parsed.extend(texts) or texts, **kw)
    text = ("* - " * 8000) + "\n\nThe mayor said the bridge was closed.\n\n" + ("!?" * 12000)
    analysis = extractor.analyze(text)
    assert parsed and all(re.search(r"[^\W_]", piece) for piece in parsed)  # only pieces with words were parsed
    assert sum(map(len, parsed)) < len(text) / 2
    (said,) = analysis.attributions
    assert analysis.text_of(said.source) == "The mayor"
    assert analysis.text_of(said.content) == "the bridge was closed"


def test_extract_a_content_of_punctuation_alone_is_read_without_error():
    import according

    for text in ('he said : "', 'She said: "!"'):
        analysis = according.analyze(text)
        assert all(0 <= s <= e <= len(text) for a in analysis.attributions for s, e in a.content)


@pytest.mark.parametrize("text, word, cue", [
    ("The minister said Monday that the bridge would reopen.", "said", "said"),
    ("The council promised and said that the bridge would reopen.", "said", "said"),
    ("As the local paper reported, the bridge will reopen in May.", "reported", "reported"),
    ("The spokesman has also said that the bridge would reopen.", "said", "has also said"),
])
def test_extract_readings_the_cue_is_the_saying_not_when_or_what_it_joins(text, word, cue):
    an = read(text)
    assert an.text_of(only(an, word).cue) == cue


@pytest.mark.parametrize("text, word, source", [
    ('"My view, that was a mistake," the party\'s former campaign manager said in an interview.', "said",
     "the party's former campaign manager"),
    ("The senator then appeared on the radio and began by saying that he would never vote for the bill.", "saying",
     "The senator"),
    ("After saying that the bridge was safe, the engineer left the meeting.", "saying", "the engineer"),
])
def test_extract_readings_the_speaker_is_the_subject_nearest_before_or_of_the_verb_a_preposition_hangs_on(
        text, word, source):
    an = read(text)
    assert an.text_of(only(an, word).source) == source


def test_extract_readings_an_embedded_post_is_its_account_owners_statement_without_its_links():
    an = read("The bridge was closed on Monday morning.\n\n"
              "Traffic is backed up for miles, a lorry has caught fire on the bridge. #roads pic.twitter.com/Ab3dE"
              "— Jane Roe (@jroe_news) May 4, 2015\n\n"
              "Police said the fire was out by noon.")
    a = only(an, "@jroe_news")
    assert an.text_of(a.source) == "Jane Roe" and a.source_entity == "Jane Roe"
    assert an.text_of(a.content) == "Traffic is backed up for miles, a lorry has caught fire on the bridge"
    assert a.parent is None


def test_extract_readings_a_post_whose_signature_opens_a_line_speaks_the_paragraph_before():
    an = read("Officials confirmed the closure.\n\n"
              "The bridge is shut until further notice. http://t.co/x1y2\n\n"
              "—\nCity Transport (@citytransport) June 2, 2016\n\n"
              "Drivers were told to take the ring road.")
    a = only(an, "@citytransport")
    assert an.text_of(a.content) == "The bridge is shut until further notice"
    assert an.text_of(a.source) == "City Transport"


@pytest.mark.parametrize("text, content", [
    ("The club will sign striker Tom Osric, a source close to the club said.", "The club will sign striker Tom Osric"),
    ("Harwick United have agreed a fee with Dunmore for winger Sam Price, a source close to the club said on Monday.",
     "Harwick United have agreed a fee with Dunmore for winger Sam Price"),
])
def test_extract_readings_a_speaker_the_parse_hangs_on_the_name_before_it_still_speaks(text, content):
    an = read(text)
    a = one(an, "said")
    assert an.text_of(a.source) == "a source close to the club" and a.anonymous
    assert an.text_of(a.content) == content


def test_extract_readings_a_judgement_set_before_a_long_object_denies_it():
    an = read("The port authority described as inaccurate a claim that the harbour would close in June.")
    a = one(an, "described")
    assert a.stance == "deny" and an.text_of(a.cue) == "described as inaccurate"
    assert an.text_of(a.content) == "a claim that the harbour would close in June"
