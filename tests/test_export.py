"""`according export`: each format read back by the library that reads it, JSON checked against its schema."""
import csv
import io
import json

import jsonschema
import pytest
from test_link_corpus import STORY, write

from according.export import schema

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def story_db(tmp_path_factory):
    from typer.testing import CliRunner

    from according.cli import app

    folder = tmp_path_factory.mktemp("story")
    db = folder / "story.db"
    result = CliRunner().invoke(app, ["ingest", str(write(folder / "story.jsonl", STORY)), "--db", str(db),
                                      "--engine", "local"])
    assert result.exit_code == 0, result.output
    return db


def export(invoke, db, *args):
    result = invoke("export", *args, "--db", db)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_export_statements_csv_and_jsonl_agree_and_follow_the_schema(invoke, story_db):
    rows = list(csv.DictReader(io.StringIO(export(invoke, story_db, "csv"))))
    records = [json.loads(line) for line in export(invoke, story_db, "jsonl").splitlines()]
    assert len(rows) == len(records) > 5
    for record in records:
        jsonschema.validate(record, schema("statement"))
    assert [r["content_text"] for r in rows] == [r["content_text"] for r in records]
    denial = next(r for r in records if r["source_entity"] == "Ingrid Holm" and r["stance"] == "deny")
    assert denial["outlet"] == "Northern Wire" and denial["published"] == "2025-03-05"
    assert denial["content_text"] == "that the company was preparing to sell its ferry line"  # in full
    assert denial["corpus_claim"] and denial["position"] == "deny"
    # the filters of search select what is exported
    only = [json.loads(line) for line in export(invoke, story_db, "jsonl", "--stance", "deny").splitlines()]
    assert only and all(r["stance"] == "deny" for r in only) and len(only) < len(records)


def test_export_claims_jsonl_and_the_cli_json_follow_their_schemas(invoke, story_db):
    claims = [json.loads(line) for line in export(invoke, story_db, "claims").splitlines()]
    for claim in claims:
        jsonschema.validate(claim, schema("claim"))
    listed = json.loads(invoke("claims", "--db", story_db, "--json").stdout)
    jsonschema.validate(listed, schema("claim-summary"))
    assert {c["id"] for c in claims} == {c["id"] for c in listed}
    sale = next(c for c in claims if c["status"] == "confirmed")
    jsonschema.validate(json.loads(invoke("claim", sale["id"], "--db", story_db, "--json").stdout), schema("claim"))
    with pytest.raises(jsonschema.ValidationError):  # the schema checks something: a status it does not know
        jsonschema.validate({**sale, "status": "probably"}, schema("claim"))


def test_export_jsonld_expands_as_schema_org_claims_with_reviews(invoke, story_db):
    from pyld import jsonld

    doc = json.loads(export(invoke, story_db, "jsonld"))

    from according.export import document_loader

    expanded = jsonld.expand(doc, {"documentLoader": document_loader})  # the context shipped with according
    types = [t for node in expanded for t in node.get("@type", [])]
    assert "https://schema.org/Claim" in types and "https://schema.org/ClaimReview" in types
    claims = [n for n in expanded if "https://schema.org/Claim" in n.get("@type", [])]
    assert all("https://schema.org/appearance" in n and "https://schema.org/text" in n for n in claims)
    claim = next(n for n in doc["@graph"] if n["@type"] == "Claim" and "ferry" in n["text"])
    assert claim["firstAppearance"]["publisher"]["name"] == "Harbour Gazette"
    assert len(claim["appearance"]) == 4
    review = next(n for n in doc["@graph"] if n["@type"] == "ClaimReview" and n["itemReviewed"]["@id"] == claim["@id"])
    assert review["reviewRating"]["alternateName"] == "confirmed"


def test_export_prov_reads_back_with_the_chain_of_sources(invoke, story_db):
    from prov.model import ProvDocument

    doc = ProvDocument.deserialize(content=export(invoke, story_db, "prov"), format="json")
    records = doc.get_records()
    attributed = [r for r in records if r.get_type().localpart == "Attribution"]
    # PROV-JSON writes a quotation as a derivation of type prov:Quotation
    quoted = [r for r in records if any(str(t) == "prov:Quotation" for t in r.get_asserted_types())]
    agents = {str(r.identifier) for r in records if r.is_element() and r.get_type().localpart == "Agent"}
    assert any("ingrid_holm" in a for a in agents) and any(a.endswith("outlet/harbour_gazette") for a in agents)
    assert attributed and quoted  # the relay of the Gazette's report quotes the statement it holds


def test_export_graphml_reads_back_for_gephi(invoke, story_db, tmp_path):
    import networkx as nx

    path = tmp_path / "who.graphml"
    assert invoke("export", "graphml", "-o", path, "--db", story_db).exit_code == 0
    g = nx.read_graphml(path)
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert {"source", "outlet", "claim"} <= kinds
    stances = {(u, d["stance"]) for u, v, d in g.edges(data=True) if d["kind"] == "stance"}
    assert ("Ingrid Holm", "deny") in stances and ("Norvale Shipping", "assert") in stances
