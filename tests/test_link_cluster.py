"""Claims across articles: paraphrases cluster, claims about the same people stay apart, the order of arrival
changes nothing, user merges and splits hold, and blocking never compares all pairs."""
import json
import random

import pytest
from typer.testing import CliRunner

from according import cli
from according.link import embed
from according.link.cluster import ClaimClusterer, blocking_keys, cluster, document_claim, make_claim

# (key, claim): the letter is the claim it states
CLAIMS = [
    ("a1", "Mayor Jane Holloway resigns after budget scandal"),
    ("a2", "Holloway quits as mayor amid budget scandal, aides say"),
    ("a3", "Embattled mayor Holloway steps down over the budget scandal"),
    ("a4", "Report: Jane Holloway to resign as mayor following budget scandal"),
    ("b1", "Mayor Jane Holloway will run for governor next year"),
    ("b2", "Holloway announces bid for governor in next year's race"),
    ("b3", "Jane Holloway launches campaign for governor"),
    ("c1", "Acme recalls two million toasters over fire risk"),
    ("c2", "Acme toaster recall: two million units pulled after kitchen fires"),
    ("c3", "Fire risk prompts Acme to recall 2 million toasters"),
    ("d1", "Acme chief executive Tom Reyes sells his shares"),
    ("d2", "Tom Reyes, Acme's chief executive, sold shares worth millions"),
    ("e1", "Storm floods the harbour district of Port Elwin"),
]


def groups(labels: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for key, label in labels.items():
        by.setdefault(label, set()).add(key)
    return {frozenset(g) for g in by.values()}


def by_letter(keys) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for key in keys:
        by.setdefault(key[0], set()).add(key)
    return {frozenset(g) for g in by.values()}


def test_link_cluster_groups_paraphrases_and_keeps_claims_about_the_same_people_apart():
    labels = cluster(CLAIMS)
    assert groups(labels) == by_letter(k for k, _ in CLAIMS)
    # labels are the smallest key of each cluster
    assert labels["a3"] == "a1" and labels["b2"] == "b1" and labels["e1"] == "e1"


def test_link_cluster_same_result_in_any_order():
    expected = cluster(CLAIMS)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = CLAIMS[:]
        rng.shuffle(shuffled)
        clusterer = ClaimClusterer()
        for n, (key, text) in enumerate(shuffled):
            clusterer.add(key, text)
            if n % 4 == 0:
                clusterer.clusters()  # asked for while the claims come in: changes nothing at the end
        assert clusterer.clusters() == expected


def test_link_cluster_user_merge_and_split_survive_new_claims_and_rebuilds():
    clusterer = ClaimClusterer()
    for key, text in CLAIMS[:10]:
        clusterer.add(key, text)
    clusterer.must_link("c1", "d1")  # the user says the recall and the share sale are one story (d1 comes later)
    clusterer.cannot_link("a1", "a4")  # and that the "report" of a resignation is another claim
    labels = clusterer.clusters()
    assert labels["a1"] != labels["a4"] and labels["a2"] in (labels["a1"], labels["a4"])
    for key, text in CLAIMS[10:]:
        clusterer.add(key, text)
    labels = clusterer.clusters()
    assert labels["c1"] == labels["d1"] and labels["a1"] != labels["a4"]
    assert labels["d2"] == labels["d1"]  # the paraphrase of the merged claim joins it
    rebuilt = ClaimClusterer.from_state(json.loads(json.dumps(clusterer.state())))
    assert rebuilt.clusters() == labels
    rebuilt.unlink("a1", "a4")
    assert rebuilt.clusters()["a4"] == "a1"


def test_link_cluster_links_that_contradict_earlier_links_are_refused():
    clusterer = ClaimClusterer()
    for key, text in CLAIMS:
        clusterer.add(key, text)
    clusterer.must_link("a1", "e1")
    clusterer.must_link("e1", "c1")
    with pytest.raises(ValueError, match="undo those"):
        clusterer.cannot_link("a1", "c1")
    assert clusterer.clusters()["c1"] == "a1"
    clusterer.cannot_link("b1", "d1")
    clusterer.must_link("b1", "e1")
    with pytest.raises(ValueError, match="which were split"):
        clusterer.must_link("c1", "d1")  # would put b1 and d1 together again
    labels = clusterer.clusters()
    assert labels["b1"] == labels["e1"] == "a1" and labels["d1"] != "a1"


def synthetic(n: int, seed: int = 3) -> list[tuple[str, str]]:
    """n claims of n/4 stories, each story told four ways; every claim shares "council" and "city" with all."""
    rng = random.Random(seed)
    letters = "bcdfghjklmnprstvz"
    name = lambda: "".join(rng.choice(letters) + rng.choice("aeiou") for _ in range(3))  # noqa: E731
    frames = ["City council backs {a} plan for {b}", "{a} plan for {b} wins city council vote",
              "Council approves {a} proposal on {b} in city", "City council vote: {b} plan by {a} approved"]
    claims = []
    for story in range(n // 4):
        a, b = name(), name()
        claims += [(f"s{story:04d}-{k}", frame.format(a=a.title(), b=b)) for k, frame in enumerate(frames)]
    return claims


def test_link_cluster_blocking_never_compares_all_pairs():
    claims = synthetic(400)
    clusterer = ClaimClusterer()
    for key, text in claims:
        clusterer.add(key, text)
    labels = clusterer.clusters()
    all_pairs = len(claims) * (len(claims) - 1) // 2
    assert clusterer.compared < all_pairs / 20
    # and what it compares still finds every story
    assert groups(labels) == {frozenset(k for k, _ in claims if k.startswith(s)) for s in {k[:5] for k, _ in claims}}
    # twice the claims, about twice the comparisons: not four times
    bigger = ClaimClusterer()
    for key, text in synthetic(800, seed=5):
        bigger.add(key, text)
    bigger.clusters()
    assert bigger.compared < 2.5 * clusterer.compared


def test_link_cluster_dated_claims_far_apart_are_not_compared():
    clusterer = ClaimClusterer()
    clusterer.add("x", "Acme recalls two million toasters over fire risk", published="2024-01-10")
    clusterer.add("y", "Acme recalls two million toasters over fire risk", published="2024-02-01")
    clusterer.add("z", "Acme recalls two million toasters over fire risk", published="2025-06-01")
    assert clusterer.clusters() == {"x": "x", "y": "x", "z": "z"}
    assert ("x", "z") not in clusterer.candidates()
    clusterer.add("u", "Acme recalls two million toasters over fire risk", published="last Tuesday")
    assert clusterer.clusters()["u"] == "u"  # an unreadable date is no date: undated claims meet only undated ones
    assert blocking_keys(make_claim("k", "Acme recalls toasters", entities=["Acme Corp"])) >= {"w:acme", "e:acme corp"}


def test_link_cluster_document_claim_is_title_else_headline_else_first_sentence():
    assert document_claim({"text": "Body first.", "title": "The title"}) == "The title"
    assert document_claim({"text": "Port closed\n\nThe port closed on Monday."}) == "Port closed"
    paragraph = "The port closed on Monday after a strike. " + "Workers said the talks had failed. " * 10
    assert document_claim({"text": paragraph}) == "The port closed on Monday after a strike."


def test_cli_cluster_writes_one_label_per_document(tmp_path):
    docs = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": key, "text": text}) for key, text in CLAIMS] + ["{not json"]
    docs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(cli.app, ["cluster", str(docs), "-o", str(out)])
    assert result.exit_code == 3, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    labels = {r["id"]: r["cluster"] for r in rows if "cluster" in r}
    assert labels == cluster(CLAIMS)
    assert [r for r in rows if "error" in r][0]["error"].startswith("line 14 is not JSON")


semantic = pytest.mark.skipif(not embed.available(), reason="needs the semantic extra: pip install 'according[semantic]'")


@semantic
def test_link_embed_vectors_put_paraphrases_closer_than_other_claims():
    vectors = embed.embedder()(["The minister stepped down on Friday", "The minister resigned at the end of the week",
                                "Heavy rain flooded the valley"])
    assert abs(float(vectors[0] @ vectors[0]) - 1) < 1e-4
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3


@semantic
def test_link_cluster_semantic_joins_paraphrases_with_few_shared_words():
    # without the b claims: about the same mayor as the a claims, the sentence vectors bring them close enough to
    # merge on a corpus this small (a known limit of the semantic mode)
    claims = [c for c in CLAIMS if not c[0].startswith("b")] + [("d3", "Acme boss Reyes offloads stock")]
    lexical, semantic_labels = cluster(claims), cluster(claims, semantic=True)
    assert groups(semantic_labels) == by_letter(k for k, _ in claims)
    assert lexical["d3"] == "d3"  # words alone miss it
