"""Claims of one article from plain attributions: grouping, relaying, pointers back, and the status they give."""
from according.link.article import claims_of
from according.model import Analysis, Attribution

TEXT = ("The ministry denied reports that the harbour was sold to a shipping firm. "
        "The Daily Post cited sources close to the talks, suggesting that the harbour was sold to a shipping "
        "firm last week. The minister called the story false, the Evening Star reported. "
        "The minister said he was unaware of any plans to close the port.")


def at(phrase, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return [(start, start + len(phrase))]


def statement(id, source, cue, content, **kw):
    return Attribution(id, source, cue, content, **kw)


ATTRIBUTIONS = [
    statement("a1", at("The ministry"), at("denied"), at("reports that the harbour was sold to a shipping firm"),
              stance="deny", source_entity="ministry"),
    statement("a2", [], at("reports"), at("that the harbour was sold to a shipping firm"), parent="a1"),
    statement("a3", at("The Daily Post"), at("cited") + at("suggesting"),
              at("that the harbour was sold to a shipping firm last week"), via=at("sources close to the talks"),
              source_entity="Daily Post"),
    statement("a4", at("The minister"), at("called"), at("the story"), stance="deny", parent="a5",
              source_entity="minister"),
    statement("a5", at("the Evening Star"), at("reported"), at("The minister called the story false"),
              source_entity="Evening Star"),
    statement("a6", at("The minister", 1), at("said"), at("he was unaware of any plans to close the port"),
              source_entity="minister"),
]


def test_claims_denial_of_reports_relay_and_anonymous_support():
    analysis = Analysis(text=TEXT, attributions=ATTRIBUTIONS)
    sold = next(c for c in claims_of(analysis) if "sold" in c.text)
    roles = {(p.attribution.id, p.role) for p in sold.positions}
    assert {("a1", "deny"), ("a3", "assert")} <= roles
    assert ("a4", "deny") in roles  # "the story" points back to the sale
    assert ("a5", "relay") in roles  # the Evening Star passes the minister's denial on
    assert sold.status(analysis) == "denied"  # denied on the record; its only support cites unnamed sources


def test_claims_unaware_of_plans_is_doubt_about_the_plans():
    plans = next(c for c in claims_of(Analysis(text=TEXT, attributions=ATTRIBUTIONS)) if "plans" in c.text)
    assert plans.text == "plans to close the port"
    assert [p.role for p in plans.positions] == ["uncertain"]


def test_claims_not_sure_is_doubt_and_a_rejected_idea_is_the_open_question_before_it():
    text = ("The mayor said she was not sure that the bridge would reopen in May. "
            "Asked if the tolls would rise, the mayor rejected the idea.")

    def span(phrase):
        start = text.index(phrase)
        return [(start, start + len(phrase))]

    analysis = Analysis(text=text, attributions=[
        statement("a1", span("The mayor"), span("said"), span("she was not sure that the bridge would reopen in May")),
        statement("a2", span("the mayor"), span("rejected"), span("the idea"), stance="deny"),
    ])
    found = {c.text: [p.role for p in c.positions] for c in claims_of(analysis)}
    assert found["the bridge would reopen in May"] == ["uncertain"]
    assert found["the tolls would rise"] == ["deny"]


def test_claims_a_headline_pointing_at_a_report_is_the_claim_the_body_words():
    text = "Acme denies report\n\nAcme Shipping denied that it would sell its ferries. The mayor said the port would grow."

    def span(phrase):
        start = text.index(phrase)
        return [(start, start + len(phrase))]

    analysis = Analysis(text=text, attributions=[
        statement("a1", span("Acme"), span("denies"), span("report"), stance="deny"),
        statement("a2", span("Acme Shipping"), span("denied"), span("that it would sell its ferries"), stance="deny",
                  source_entity="Acme Shipping"),
        statement("a3", span("The mayor"), span("said"), span("the port would grow"), source_entity="mayor"),
    ])
    claims = claims_of(analysis)
    sale = next(c for c in claims if "ferries" in c.text)
    assert [(p.attribution.id, p.role) for p in sale.positions] == [("a1", "deny"), ("a2", "deny")]
    assert not any(c.text == "report" for c in claims)
    assert [p.attribution.id for p in next(c for c in claims if "port" in c.text).positions] == ["a3"]


def test_unnamed_people_speaking_for_a_named_body_are_not_on_the_record():
    """"Two harbour officials said" names the body, not the people: the claim stays unverified until someone
    speaks on the record; the body's spokeswoman or a named person does."""
    import according
    from according.link.article import step

    cases = {"Two harbour board officials said the quay would close.": False,
             "A harbour board spokeswoman said the quay would close.": True,
             "Harbour master Ada Lund said the quay would close.": True}
    for text, on_record in cases.items():
        analysis = according.analyze(text)
        (said,) = analysis.attributions
        assert step(analysis, said, "assert", ["the quay would close"]).on_record is on_record, text


def test_a_quote_in_the_negative_backs_up_its_speakers_denial_and_a_verdict_on_reports_is_one():
    import according

    text = ("Fernhill says merger reports are untrue\n\nFernhill Bank on Monday rejected reports that it would merge "
            "with a rival lender. \"No merger is being discussed,\" the bank said.")
    analysis = according.analyze(text)
    assert len(analysis.claims) == 1, [c.text for c in analysis.claims]
    (merger,) = analysis.claims
    assert "merge" in merger.text
    deny = [p for p in merger.positions if p.stance == "deny"]
    quoted = next(a for a in analysis.attributions if "No merger" in analysis.text_of(a.content))
    headline = next(a for a in analysis.attributions if "untrue" in analysis.text_of(a.content))
    assert {quoted.id, headline.id} <= {p.attribution for p in deny}
    assert quoted.source_entity == "Fernhill Bank"  # "the bank" is the bank last named, not a body called "bank"


def test_an_outlet_calling_its_own_report_wrong_denies_what_the_report_said():
    import according

    analysis = according.analyze("The Valley Times said on Friday that its report that the mayor had resigned was "
                                 "wrong.")
    (resigned,) = [c for c in analysis.claims if "resigned" in c.text]
    said = next(a for a in analysis.attributions if analysis.text_of(a.source) == "The Valley Times")
    assert any(p.attribution == said.id and p.stance == "deny" for p in resigned.positions)
    assert according.analyze("Tom Reyes agreed that the plan was sound.").attributions  # a view he holds
    assert not according.analyze("Tom Reyes has agreed to join Fernhill Bank.").attributions  # a deal, not speech


def test_no_truth_to_reports_denies_what_they_said_and_no_response_to_them_does_not():
    import according

    denied = according.analyze("Harbour board spokesman Ken Ito said there was no truth to reports that the quay "
                               "would close.")
    (quay,) = [c for c in denied.claims if "quay" in c.text]
    said = next(a for a in denied.attributions if a.source_entity == "Ken Ito")
    assert [(p.attribution, p.stance) for p in quay.positions if p.attribution == said.id] == [(said.id, "deny")]
    assert quay.status == "denied"
    silent = according.analyze("Ken Ito said he had no response to reports that the quay would close.")
    (quay,) = [c for c in silent.claims if "quay" in c.text]
    assert "deny" not in {p.stance for p in quay.positions}


def test_a_named_source_only_unnamed_people_say_spoke_is_not_on_the_record():
    """The harbour master's words reach the reader through two people at the meeting: they are theirs, not hers,
    until she or someone on the record says so; an outlet that names her passes them on on the record."""
    import according
    from according.link.article import step

    cases = {"Harbour master Ada Lund told staff the quay would close, two people at the meeting said.": False,
             "The Harbour Post reported that harbour master Ada Lund said the quay would close.": True}
    for text, on_record in cases.items():
        analysis = according.analyze(text)
        lund = next(a for a in analysis.attributions if a.source_entity == "Ada Lund")
        got = step(analysis, lund, "assert", ["the quay would close"])
        assert got.on_record is on_record, text
        assert bool(got.parties) is on_record, text  # no one stands behind hearsay: not a party to retract it


def test_a_leader_whose_role_names_no_body_speaks_for_the_organisation_the_article_is_about():
    """"chief executive Jane Roe" in a story about Zentro is Zentro's word; a senator's is not."""
    import according
    from according.link.article import parties

    lead = "Zentro unveiled its Arc tablet on Tuesday, a device that folds in half. "
    cases = {'"We are shipping Arc today," chief executive Jane Roe said.': {"zentro", "jane roe"},
             '"We are shipping Arc today," spokeswoman Ann Lee said.': {"zentro", "ann lee"},
             '"Arc is a fine tablet," senator Tom Reed said.': {"tom reed"}}
    for text, party in cases.items():
        analysis = according.analyze(lead + text)
        said = next(a for a in analysis.attributions if analysis.text_of(a.cue) == "said")
        assert parties(analysis, said) == party, text
