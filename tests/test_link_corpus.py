"""Claims across articles: one story told by several outlets over several weeks, ingested in one run or in many,
read back as one claim with its timeline, stances and status after each step; merges and splits that stay."""
import json

import pytest

from according.link.status import Step, statuses

pytestmark = pytest.mark.slow

# An invented story: an anonymously sourced report, a relay, an on-record denial by a spokeswoman, an article
# about the same company on another matter, and the company's own confirmation weeks later.
STORY = [
    {"id": "gazette-0303", "outlet": "Harbour Gazette", "published": "2025-03-03",
     "title": "Norvale weighs sale of ferry line",
     "text": "Norvale weighs sale of ferry line\n\nNorvale Shipping is preparing to sell its ferry line to a Danish "
             "rival, according to three people familiar with the talks. The people asked not to be named because "
             "the talks are private."},
    {"id": "coastline-0304", "outlet": "Coastline Daily", "published": "2025-03-04",
     "title": "Report: Norvale to sell ferries",
     "text": "Report: Norvale to sell ferries\n\nNorvale Shipping is preparing to sell its ferry line to a Danish "
             "rival, the Harbour Gazette reported on Monday, citing people familiar with the talks. Coastline Daily "
             "could not verify the report."},
    {"id": "wire-0305", "outlet": "Northern Wire", "published": "2025-03-05",
     "title": "Norvale denies ferry sale",
     "text": "Norvale denies ferry sale\n\nNorvale Shipping spokeswoman Ingrid Holm on Wednesday denied that the "
             "company was preparing to sell its ferry line. \"There is no sale,\" Holm said."},
    {"id": "coastline-0306", "outlet": "Coastline Daily", "published": "2025-03-06",
     "title": "Norvale profits rise",
     "text": "Norvale profits rise\n\nNorvale Shipping said on Thursday that its quarterly profit rose by a fifth "
             "as fuel costs fell. Chief executive Lars Berg said passenger numbers had never been higher."},
    {"id": "wire-0410", "outlet": "Northern Wire", "published": "2025-04-10",
     "title": "Norvale confirms ferry line sale",
     "text": "Norvale confirms ferry line sale\n\nNorvale Shipping confirmed on Thursday that it would sell its ferry "
             "line to Danish rival Skagen Lines. \"We have agreed to sell the ferry line,\" chief executive Lars Berg "
             "said."},
]


def write(path, articles):
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def sale_claim(invoke, db):
    listed = invoke("claims", "--db", db, "--json")
    assert listed.exit_code == 0, listed.stderr
    claims = json.loads(listed.stdout)
    assert all({"id", "text", "status", "first_seen", "articles"} <= set(c) for c in claims)
    sale = [c for c in claims if "ferry line" in c["text"] and "sell" in c["text"]]
    assert len(sale) == 1, [c["text"] for c in claims]
    shown = invoke("claim", sale[0]["id"][:8], "--db", db, "--json")
    assert shown.exit_code == 0, shown.stderr
    return sale[0], json.loads(shown.stdout), claims


def test_story_is_one_claim_with_its_timeline_in_date_order(tmp_path, invoke):
    db = tmp_path / "story.db"
    result = invoke("ingest", write(tmp_path / "story.jsonl", STORY), "--db", db, "--engine", "local")
    assert result.exit_code == 0, result.stderr
    listed, claim, claims = sale_claim(invoke, db)
    assert listed["first_seen"].startswith("2025-03-03") and listed["status"] == "confirmed"
    timeline = claim["timeline"]
    assert [e["published"] for e in timeline] == sorted(e["published"] for e in timeline)
    articles = [e["article_id"] for e in timeline]
    by_id = {a["id"]: a for a in STORY}
    # the profits article takes no position on the sale: it is another claim
    assert not any(by_id_of(e, by_id) == "coastline-0306" for e in timeline)
    assert listed["articles"] == 4 == len(set(articles))
    steps = [(by_id_of(e, by_id), e["stance"], e["on_record"], e["status_after"]) for e in timeline]
    first = steps[0]
    assert first[0] == "gazette-0303" and first[1] == "assert" and not first[2] and first[3] == "unverified"
    denial = next(s for s in steps if s[0] == "wire-0305" and s[1] == "deny")
    assert denial[2] and denial[3] == "denied"  # denied on the record, asserted only anonymously
    assert any(s[0] == "coastline-0304" for s in steps)  # the relay
    assert all(s[3] in ("unverified", "denied") for s in steps if s[0] != "wire-0410")
    assert steps[-1][0] == "wire-0410" and steps[-1][3] == "confirmed"  # the company it is about asserts it
    assert {"published", "article_id", "title", "outlet", "source_entity", "anonymous", "stance", "cue",
            "content", "status_after"} <= set(timeline[0])
    profits = [c for c in claims if "profit" in c["text"]]
    assert profits and all(c["id"] != listed["id"] for c in profits)
    text = invoke("claim", listed["id"][:8], "--db", db)
    assert "Harbour Gazette" in text.stdout and "confirmed" in text.stdout


def test_who_finds_a_party_under_its_other_names_and_its_spokespeople(tmp_path, invoke):
    db = tmp_path / "story.db"
    assert invoke("ingest", write(tmp_path / "story.jsonl", STORY), "--db", db, "--engine", "local").exit_code == 0
    said = json.loads(invoke("who", "Norvale", "--db", db, "--json").stdout)
    by = {(s["source_entity"], s["position"]) for s in said}
    # the company, named in full in some articles and short in others, denied and later confirmed the sale;
    # its spokeswoman's denial is the company's too
    assert ("Ingrid Holm", "deny") in by and ("Norvale Shipping", "assert") in by
    assert all(s["speaking_for"] == "Norvale Shipping" for s in said if s["source_entity"] == "Ingrid Holm")
    assert [s["published"] for s in said] == sorted(s["published"] for s in said)
    holm = json.loads(invoke("who", "holm", "--db", db, "--json").stdout)
    assert holm and {s["source_entity"] for s in holm} == {"Ingrid Holm"}
    assert "No statements" in invoke("who", "Skagen", "--db", db).stdout  # named, but it says nothing


def test_a_syndicated_copy_is_a_relay_by_its_outlet(tmp_path, invoke):
    copy = {**STORY[0], "id": "valley-0303", "outlet": "Valley Times", "published": "2025-03-03T18:00:00Z",
            "text": STORY[0]["text"] + " (Syndicated from the Harbour Gazette.)"}
    db = tmp_path / "story.db"
    result = invoke("ingest", write(tmp_path / "story.jsonl", [STORY[0], copy, *STORY[1:]]), "--db", db,
                    "--engine", "local", "--json")
    assert json.loads(result.stdout)["duplicates"] == 1
    listed, claim, _ = sale_claim(invoke, db)
    relays = [e for e in claim["timeline"] if e["outlet"] == "Valley Times"]
    assert len(relays) == 1 and relays[0]["stance"] == "report" and relays[0]["copy_of"]
    assert relays[0]["status_after"] == "unverified" and listed["articles"] == 5


def test_claims_exported_together_have_the_timelines_each_has_alone(tmp_path, invoke):
    """An export reads the timelines of many claims at once: each claim keeps its own steps, copies included."""
    copy = {**STORY[0], "id": "valley-0303", "outlet": "Valley Times", "published": "2025-03-03T18:00:00Z",
            "text": STORY[0]["text"] + " (Syndicated from the Harbour Gazette.)"}
    db = tmp_path / "story.db"
    assert invoke("ingest", write(tmp_path / "story.jsonl", [STORY[0], copy, *STORY[1:]]), "--db", db,
                  "--engine", "local").exit_code == 0
    exported = invoke("export", "claims", "--db", db)
    assert exported.exit_code == 0, exported.stderr
    together = [json.loads(line) for line in exported.stdout.splitlines()]
    listed = json.loads(invoke("claims", "--db", db, "--json").stdout)
    assert [c["id"] for c in together] == [c["id"] for c in listed] and len(together) > 2
    for claim in together:
        alone = json.loads(invoke("claim", claim["id"], "--db", db, "--json").stdout)
        assert claim["timeline"] == alone["timeline"] and claim["status"] == alone["status"]
    assert any(e.get("copy_of") for c in together for e in c["timeline"])


def test_a_denial_of_the_report_joins_the_claim_the_report_made(tmp_path, invoke):
    """The denial never words the claim: "the report" it calls false is the latest earlier claim naming Norvale."""
    denial = {"id": "post-0305", "outlet": "Evening Post", "published": "2025-03-05", "title": "Norvale denies report",
              "text": "Norvale denies report\n\nIngrid Holm, a spokeswoman for Norvale Shipping, said the report was "
                      "false."}
    db = tmp_path / "story.db"
    assert invoke("ingest", write(tmp_path / "s.jsonl", [STORY[0], denial, STORY[3]]), "--db", db,
                  "--engine", "local").exit_code == 0
    sale, claim, _ = sale_claim(invoke, db)
    denials = [e for e in claim["timeline"] if e["stance"] == "deny"]
    assert denials and all(e["title"] == "Norvale denies report" for e in denials)
    assert sale["status"] == "denied"
    # the profits article, later and about Norvale too, is not what the denial points at
    assert all(e["title"] != STORY[3]["title"] for e in claim["timeline"])


def test_the_claims_of_a_search_are_those_its_hits_take_positions_on(tmp_path, invoke, store_url):
    """A claims export of a search pages the claims of all its hits in SQL; it must agree with reading every hit
    and asking for the claims of each."""
    from according.store import open_store

    assert invoke("ingest", write(tmp_path / "story.jsonl", STORY), "--db", store_url,
                  "--engine", "local").exit_code == 0
    with open_store(store_url) as store:
        seen = 0
        for query, filters in [("ferry", {}), ("sale OR profit", {}), ("Norvale", {"stance": "deny"}),
                               ("Norvale", {"outlet": "Coastline Daily"}), ("Norvale", {"status": "confirmed"}),
                               (None, {"source": "Holm"})]:
            every = store.corpus_claim_ids(store.corpus_claims_of(store.hits(query, limit=None, **filters)))
            seen += len(every)
            assert store.search_claims(query, **filters) == every, (query, filters)
            paged = [store.search_claims(query, limit=1, offset=i, **filters) for i in range(len(every) + 1)]
            assert [c for page in paged for c in page] == every and paged[-1] == []
        assert seen > 6


def by_id_of(entry, by_id):
    return next(i for i, a in by_id.items() if a["title"] == entry["title"])


def test_story_in_any_order_and_in_many_runs_gives_the_same_claims(tmp_path, invoke, store_url):
    """One run on SQLite against one article at a time, newest first, on each back end."""
    one = tmp_path / "one.db"
    assert invoke("ingest", write(tmp_path / "all.jsonl", STORY), "--db", one, "--engine", "local").exit_code == 0
    many = store_url
    for n, article in enumerate(reversed(STORY)):
        assert invoke("ingest", write(tmp_path / f"{n}.jsonl", [article]), "--db", many,
                      "--engine", "local").exit_code == 0
    listings = [json.loads(invoke("claims", "--db", db, "--json", "-n", "0").stdout) for db in (one, many)]
    assert listings[0] == listings[1]


def test_claim_merge_and_split_survive_relinking(tmp_path, invoke):
    db = tmp_path / "story.db"
    assert invoke("ingest", write(tmp_path / "story.jsonl", STORY[:4]), "--db", db, "--engine", "local").exit_code == 0
    sale, claim, claims = sale_claim(invoke, db)
    profits = next(c for c in claims if "profit" in c["text"])
    merged = invoke("claim", "merge", sale["id"], profits["id"], "--db", db)
    assert merged.exit_code == 0, merged.stderr
    after = json.loads(invoke("claims", "--db", db, "--json", "-n", "0").stdout)
    assert len(after) == len(claims) - 1
    # a later ingest re-clusters everything: the merge stays
    assert invoke("ingest", write(tmp_path / "more.jsonl", STORY[4:]), "--db", db, "--engine", "local").exit_code == 0
    together = [c for c in json.loads(invoke("claims", "--db", db, "--json", "-n", "0").stdout)
                if "ferry" in c["text"] or "profit" in c["text"]]
    merged_claim = max(together, key=lambda c: c["articles"])
    shown = json.loads(invoke("claim", merged_claim["id"], "--db", db, "--json").stdout)
    denial = next(e for e in shown["timeline"] if e["stance"] == "deny")
    split = invoke("claim", "split", merged_claim["id"], f"{denial['article_id']}:{denial['claim']}", "--db", db)
    assert split.exit_code == 0, split.stderr
    regrouped = json.loads(invoke("claims", "--db", db, "--json", "-n", "0").stdout)
    holding = [c for c in regrouped
               if any(e["article_id"] == denial["article_id"] and e["claim"] == denial["claim"]
                      for e in json.loads(invoke("claim", c["id"], "--db", db, "--json").stdout)["timeline"])]
    assert len(holding) == 1 and holding[0]["articles"] == 1
    # what was left behind keeps the merge: the sale and the profits are still one claim
    kept = [json.loads(invoke("claim", c["id"], "--db", db, "--json").stdout)["wordings"] for c in regrouped]
    assert any(any("profit" in w for w in ws) and any("ferry line" in w for w in ws) for ws in kept)
    bad = invoke("claim", "split", holding[0]["id"], "nope:c9", "--db", db)
    assert bad.exit_code != 0 and "ARTICLE_ID:CLAIM_ID" in bad.stderr


def test_status_steps_follow_the_definitions():
    anonymous = Step("assert", on_record=False)
    named = Step("assert", on_record=True, parties=frozenset({"daily post"}))
    spokesman_denies = Step("deny", on_record=True, parties=frozenset({"ana ruiz", "ruiz", "acme"}))
    acme_asserts = Step("assert", on_record=True, parties=frozenset({"acme"}))
    assert statuses([anonymous]) == ["unverified"]
    assert statuses([anonymous, spokesman_denies]) == ["unverified", "denied"]
    assert statuses([named, spokesman_denies]) == ["asserted", "contested"]
    # the party that denied (through its spokesman) now asserts it
    assert statuses([anonymous, spokesman_denies, acme_asserts])[-1] == "confirmed"
    assert statuses([named, Step("assert", on_record=True, parties=frozenset({"lee"}), about=True)])[-1] == \
        "confirmed"
    # the one who first asserted it withdraws it
    assert statuses([named, Step("deny", on_record=True, parties=frozenset({"daily post"}))])[-1] == "retracted"
    assert statuses([Step("uncertain", on_record=True, parties=frozenset({"lee"}))]) == ["unverified"]


def test_a_store_without_claims_gets_them_on_the_next_ingest(tmp_path, invoke):
    """Articles stored before claims were kept are linked from their stored statements."""
    from according.store import open_store

    db = tmp_path / "old.db"
    assert invoke("ingest", write(tmp_path / "a.jsonl", STORY[:3]), "--db", db, "--engine", "local").exit_code == 0
    with open_store(str(db)) as store:
        with store.dialect.transaction(store._conn) as cur:
            cur.execute("DELETE FROM claims")
            cur.execute("DELETE FROM corpus_claims")
        assert len(store.unlinked()) == 3
    assert invoke("ingest", write(tmp_path / "a.jsonl", STORY[:3]), "--db", db, "--engine", "local").exit_code == 0
    sale, claim, _ = sale_claim(invoke, db)
    assert sale["articles"] == 3 and sale["status"] == "denied"


def test_an_outlet_withdrawing_what_it_reported_on_unnamed_sources_retracts_it():
    """The Gazette's sources are unnamed, but the report is the Gazette's: its withdrawal retracts the claim. An
    article that carries the anonymous claim only beside a denial does not stand behind it."""
    from according.link.corpus import steps

    def row(article, day, outlet, *positions):
        return {"article_id": article, "id": "c1", "ordinal": 1, "published": f"2025-03-0{day}",
                "published_ts": day, "outlet": outlet, "text": "Norvale will sell its ferry line",
                "positions": [{"attribution": f"a{n}", "stance": stance, "on_record": on_record, "parties": parties}
                              for n, (stance, on_record, parties) in enumerate(positions, 1)]}

    anonymous = ("assert", False, [])
    withdrawn = row("g2", 5, "Harbour Gazette", ("deny", True, ["harbour gazette"]))
    reported = [row("g1", 3, "The Harbour Gazette", anonymous), withdrawn]
    assert statuses([s for _, _, s in steps(reported)]) == ["unverified", "retracted"]
    beside_a_denial = [row("g1", 3, "Harbour Gazette", anonymous, ("deny", True, ["norvale"])), withdrawn]
    assert statuses([s for _, _, s in steps(beside_a_denial)])[-1] == "denied"
