"""The HTTP API: the CLI's JSON over HTTP, paged with totals, with clear 404s, a token on writes beyond loopback,
a size limit on bodies, and URL ingest that refuses private addresses as the CLI does."""
import json
from collections import Counter
from contextlib import contextmanager
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from according.cli.serve import is_loopback
from according.serve import create_app
from ingest_server import site  # noqa: F401 (fixture)
from serve_story import by_title, client, own_db, sale, story_db  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


def test_serve_api_search_pages_add_up_to_the_total(client):
    everything = client.get("/api/search", params={"q": "Norvale", "limit": 500, "facets": "true"}).json()
    assert everything["total"] == len(everything["hits"]) > 3
    seen, offset = [], 0
    while True:
        page = client.get("/api/search", params={"q": "Norvale", "limit": 2, "offset": offset}).json()
        assert page["total"] == everything["total"] and page["limit"] == 2 and page["offset"] == offset
        assert page["total_exact"] and page["facets"] == {}  # counted without facets: a few hits, counted exactly
        if not page["hits"]:
            break
        assert len(page["hits"]) <= 2
        seen += page["hits"]
        offset += 2
    assert seen == everything["hits"]  # same hits, same order, none twice
    assert offset >= everything["total"]
    facets = everything["facets"]
    assert sum(f["count"] for f in facets["outlet"]) == everything["total"]
    assert {f["value"] for f in facets["outlet"]} == {h["outlet"] for h in everything["hits"]}
    by_month = {f["value"]: f["count"] for f in facets["month"]}
    assert by_month == {m: sum(h["published"].startswith(m) for h in everything["hits"]) for m in by_month}
    sale = client.get("/api/search", params={"q": "sell", "limit": 500, "facets": "true"}).json()
    stances = {f["value"]: f["count"] for f in sale["facets"]["stance"]}
    assert stances.get("deny", 0) == sum(h["stance"] == "deny" for h in sale["hits"]) > 0


def test_serve_api_search_by_status_keeps_statements_on_claims_with_that_status(client):
    statuses = {f["value"] for f in
                client.get("/api/search", params={"q": "ferry", "facets": "true"}).json()["facets"]["status"]}
    assert "confirmed" in statuses
    confirmed = client.get("/api/search", params={"q": "ferry", "status": "confirmed", "limit": 500}).json()
    assert 0 < confirmed["total"] == len(confirmed["hits"])
    timeline = sale(client)
    assert timeline["status"] == "confirmed"
    on_sale = {(e["article_id"], e["attribution"]) for e in timeline["timeline"]}
    for hit in confirmed["hits"]:
        if hit["attribution_id"]:
            assert (hit["article_id"], hit["attribution_id"]) in on_sale, hit
    assert client.get("/api/search", params={"status": "nonsense"}).status_code == 422


def test_serve_api_read_endpoints_give_what_the_cli_prints(client, story_db, invoke):
    claim = sale(client)
    assert claim == json.loads(invoke("claim", claim["id"], "--db", story_db, "--json").stdout)
    assert all("copy_of" not in e for e in claim["timeline"])  # left out, as the CLI leaves it out
    listed = json.loads(invoke("claims", "--db", story_db, "--json", "-n", "0").stdout)
    first = client.get("/api/claims", params={"limit": 1, "offset": 1}).json()
    assert first["total"] == len(listed) and first["claims"] == listed[1:2]
    said = client.get("/api/sources/Norvale").json()
    assert said["statements"] == json.loads(invoke("who", "Norvale", "--db", story_db, "--json").stdout)
    assert said["total"] == len(said["statements"]) and any(s["speaking_for"] for s in said["statements"])
    article = by_title(client, "Norvale denies ferry sale")
    shown = json.loads(invoke("show", article["id"][:10], "--db", story_db, "--json").stdout)
    assert article == shown
    denial = next(a for a in article["attributions"] if a["stance"] == "deny" and "Holm" in a["_text"]["source"][0])
    s, e = denial["cue"][0]
    assert article["text"][s:e] == "denied"
    denied = client.get("/api/claims", params={"entity": "holm", "limit": 500}).json()["claims"]
    assert claim["id"] in [c["id"] for c in denied]


@pytest.mark.parametrize("fmt", ["csv", "claims", "graphml"])
def test_serve_api_export_is_what_the_cli_writes(client, story_db, invoke, fmt):
    got = client.get(f"/api/export/{fmt}", params={"q": "ferry", "stance": "deny"})
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    assert got.text == invoke("export", fmt, "ferry", "--stance", "deny", "--db", story_db).stdout
    assert got.text.strip()
    assert client.get("/api/export/xlsx").status_code == 422


def test_serve_api_export_comes_a_page_at_a_time(client, story_db, invoke):
    whole = invoke("export", "jsonl", "--db", story_db).stdout.splitlines()
    pages, offset = [], 0
    while got := client.get("/api/export/jsonl", params={"limit": 2, "offset": offset}).text.splitlines():
        pages += got
        offset += 2
    assert pages == whole and len(whole) > 2
    claims = invoke("export", "claims", "ferry", "--db", story_db).stdout.splitlines()
    paged = [client.get("/api/export/claims", params={"q": "ferry", "limit": 1, "offset": n}).text.splitlines()
             for n in range(len(claims) + 1)]
    assert paged == [[c] for c in claims] + [[]] and claims


def test_store_status_filter_and_facet_follow_the_claims_statements_take_positions_on(store_url, invoke, tmp_path):
    from according.link.corpus import timeline
    from according.store import open_store
    from test_link_corpus import STORY, write

    stored = invoke("ingest", write(tmp_path / "story.jsonl", STORY), "--db", store_url, "--engine", "local")
    assert stored.exit_code == 0, stored.stderr
    with open_store(store_url) as store:
        expected = {}
        for claim in store.corpus_claims(limit=None):
            for e in timeline(store, claim["id"])["timeline"]:
                expected[(e["article_id"], e["attribution"])] = claim["status"]
        stances = {(a, t.id): t.stance for a in {a for a, _ in expected} for t in store.get(a)[1].attributions}
        assert "confirmed" in expected.values()
        for status in set(expected.values()):
            # without words, articles are the hits: those with any statement on a claim of that status
            assert {a for a, _ in store.hits(status=status, limit=None)} == {
                a for (a, _), s in expected.items() if s == status}
            # a stance makes statements the hits: each kept on its own claim's status
            for stance in ("assert", "deny"):
                assert set(store.hits(stance=stance, status=status, limit=None)) == {
                    k for k, s in expected.items() if s == status and stances[k] == stance}
        by_status = dict(store.tally("status", stance="assert"))
        assert by_status == dict(Counter(s for k, s in expected.items() if stances[k] == "assert"))
        assert store.count(stance="assert", status="confirmed") == by_status.get("confirmed", 0)


def test_serve_api_answers_alike_on_each_back_end(store_url, invoke, tmp_path):
    from test_link_corpus import STORY, write

    stored = invoke("ingest", write(tmp_path / "story.jsonl", STORY), "--db", store_url, "--engine", "local")
    assert stored.exit_code == 0, stored.stderr
    with TestClient(create_app(store_url)) as c:
        claim = sale(c)
        assert claim == json.loads(invoke("claim", claim["id"], "--db", store_url, "--json").stdout)
        assert claim["status"] == "confirmed"
        page = c.get("/api/search", params={"q": "Norvale", "limit": 3, "offset": 3}).json()
        everything = c.get("/api/search", params={"q": "Norvale", "limit": 500}).json()
        assert page["hits"] == everything["hits"][3:6] and page["total"] == everything["total"] > 3
        assert "Norvale confirms ferry line sale" in c.get(f"/claims/{claim['id']}").text


def test_serve_api_unknown_ids_are_404s_that_say_where_to_look(client):
    missing = client.get("/api/articles/ffffffffffff")
    assert missing.status_code == 404 and "/api/search" in missing.json()["detail"]
    assert "/api/claims" in client.get("/api/claims/0000000000").json()["detail"]
    nobody = client.get("/api/sources/Nobody Anywhere")
    assert nobody.status_code == 404 and "no statement" in nobody.json()["detail"]
    nothing = client.get("/api/nothing-here")
    assert nothing.status_code == 404 and "/docs" in nothing.json()["detail"]


def test_serve_api_analyze_reads_a_posted_text_as_the_cli_does(client, invoke):
    text = ("Harbour pilots strike\n\nThe port authority denied on Tuesday that the pilots had been locked out. "
            "\"Nobody was locked out,\" a spokesman said.")
    posted = client.post("/api/analyze", json={"text": text, "outlet": "Quay News", "published": "2025-05-06"})
    assert posted.status_code == 200, posted.text
    read = posted.json()
    cli = json.loads(invoke("analyze", "-", "--json", "--outlet", "Quay News", "--published", "2025-05-06",
                            input=text).stdout)
    assert read["attributions"] == cli["attributions"] and read["claims"] == cli["claims"]
    assert read["meta"]["outlet"] == "Quay News" and read["meta"]["title"] == "Harbour pilots strike"
    denial = next(a for a in read["attributions"] if a["stance"] == "deny")
    assert denial["_text"]["cue"] == ["denied"] and read["claims"]
    bad = client.post("/api/analyze", json={"text": text, "published": "last week"})
    assert bad.status_code == 400 and "not an ISO date" in bad.json()["detail"] and bad.json()["code"] == "A100"
    assert client.post("/api/analyze", json={"text": ""}).status_code == 422


def test_serve_api_refuses_bodies_over_the_limit(client):
    from according.serve.app import MAX_BODY

    too_long = client.post("/api/analyze", json={"text": "word " * (MAX_BODY // 5 + 10)})
    assert too_long.status_code == 413 and "bytes" in too_long.json()["detail"]

    def chunks():  # no Content-Length: the limit counts what arrives
        for _ in range(MAX_BODY // 100_000 + 2):
            yield b" " * 100_000
    streamed = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_serve_api_writes_need_the_token_when_the_app_has_one(own_db):
    text = ("Ferry fares rise\n\nNorvale Shipping said on Monday that ferry fares would rise by a tenth in May, "
            "blaming fuel costs.")
    with TestClient(create_app(own_db, token="s3cret-token")) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"}):
            refused = c.post("/api/ingest", json={"text": text}, headers=headers)
            assert refused.status_code == 401 and "Authorization: Bearer" in refused.json()["detail"]
        assert c.post("/api/claims/merge", json={"ids": ["a", "b"]}).status_code == 401
        assert c.get("/api/claims").status_code == 200  # reading needs no token
        stored = c.post("/api/ingest", json={"text": text, "outlet": "Northern Wire", "published": "2025-05-02"},
                        headers={"Authorization": "Bearer s3cret-token"})
        assert stored.status_code == 200, stored.text
        result = stored.json()
        assert result["stored"] == 1 and result["article_id"] and result["corpus_claims"] > 0
        article = c.get(f"/api/articles/{result['article_id']}").json()
        assert article["meta"]["outlet"] == "Northern Wire" and article["text"] == text
        hits = c.get("/api/search", params={"q": "fares"}).json()
        assert hits["total"] >= 1 and {h["article_id"] for h in hits["hits"]} == {result["article_id"]}
        again = c.post("/api/ingest", json={"text": text}, headers={"Authorization": "Bearer s3cret-token"})
        assert again.json()["skipped"] == 1 and again.json()["stored"] == 0


def test_serve_api_url_ingest_refuses_private_addresses_unless_allowed(own_db, site):  # noqa: F811
    page = ("<html><head><title>Pilots vote to strike</title><meta property='og:site_name' content='Quay News'>"
            "</head><body><article><h1>Pilots vote to strike</h1><p>Harbour pilots voted on Monday to strike "
            "next week, union leader Maria Lind said. The port authority denied that talks had failed and said "
            "it would meet the union again on Wednesday.</p></article></body></html>")
    url = site.add("/pilots.html", page)
    with TestClient(create_app(own_db)) as c:
        refused = c.post("/api/ingest", json={"url": url})
        assert refused.status_code == 400 and "private" in refused.json()["detail"]
        assert not site.requested("/pilots.html")
        assert c.post("/api/ingest", json={"url": url, "text": "both"}).status_code == 422
        assert c.post("/api/ingest", json={"url": "file:///etc/passwd"}).status_code == 422
    with TestClient(create_app(own_db, allow_private=True)) as c:
        stored = c.post("/api/ingest", json={"url": url})
        assert stored.status_code == 200 and stored.json()["stored"] == 1, stored.text
        hits = c.get("/api/search", params={"q": "pilots voted"}).json()["hits"]
        assert hits and hits[0]["title"] == "Pilots vote to strike"


def test_serve_api_merge_and_split_regroup_claims(own_db):
    with TestClient(create_app(own_db)) as c:
        before = c.get("/api/claims", params={"limit": 500}).json()
        claim = sale(c)
        profits = next(x for x in before["claims"] if "profit" in x["text"])
        merged = c.post("/api/claims/merge", json={"ids": [claim["id"][:10], profits["id"]]})
        assert merged.status_code == 200, merged.text
        assert merged.json()["corpus_claims"] == before["total"] - 1 == c.get("/api/claims").json()["total"]
        [together] = merged.json()["claims"]
        steps = c.get(f"/api/claims/{together}").json()["timeline"]
        assert {e["title"] for e in steps} >= {"Norvale profits rise", "Norvale denies ferry sale"}
        denial = next(e for e in steps if e["stance"] == "deny")
        split = c.post(f"/api/claims/{together}/split", json={"keys": [f"{denial['article_id']}:{denial['claim']}"]})
        assert split.status_code == 200, split.text
        [apart] = split.json()["claims"]
        assert apart != together and c.get(f"/api/claims/{apart}").json()["articles"] == 1
        everything = [f"{e['article_id']}:{e['claim']}" for e in c.get(f"/api/claims/{apart}").json()["timeline"]]
        nothing_left = c.post(f"/api/claims/{apart}/split", json={"keys": everything})
        assert nothing_left.status_code == 400 and nothing_left.json()["code"] == "A500"
        wrong = c.post(f"/api/claims/{apart[:8]}/split", json={"keys": ["nope:c9"]})
        assert wrong.status_code == 400 and "ARTICLE_ID:CLAIM_ID" in wrong.json()["detail"]
        assert c.post("/api/claims/merge", json={"ids": ["0000000", "1111111"]}).status_code == 404


def test_serve_api_openapi_documents_the_endpoints_and_docs_load_nothing_from_elsewhere(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/articles/{article_id}", "/api/claims", "/api/claims/{claim_id}",
                 "/api/sources/{name}", "/api/analyze", "/api/ingest", "/api/claims/merge",
                 "/api/claims/{claim_id}/split"):
        assert path in schema["paths"], path
    timeline = schema["paths"]["/api/claims/{claim_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert timeline["schema"]["$ref"].endswith("/Timeline")
    assert {"status_after", "stance", "article_id"} <= set(schema["components"]["schemas"]["Step"]["properties"])
    docs = client.get("/docs").text
    assert "swagger" in docs.lower() and "https://" not in docs and "http://" not in docs
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        src = docs[docs.index("/", docs.index(asset) - 40):docs.index(asset) + len(asset)]
        assert client.get(src).status_code == 200, src


def test_serve_refuses_to_listen_beyond_loopback_without_a_token(invoke, story_db):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.20", "::", "example.org"))
    refused = invoke("serve", "--db", story_db, "--host", "0.0.0.0", "--port", "9")
    assert refused.exit_code == 1 and "token" in refused.stderr and "127.0.0.1" in refused.stderr


@contextmanager
def serving(story_db, *options: str):
    """`according serve` on a free loopback port with `options`, once it answers: (process, its address)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    server = subprocess.Popen([sys.executable, "-m", "according.cli", "serve", "--db", str(story_db), "--port",
                               str(port), *options], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{base}/api/claims?limit=1", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not answer within 90 s"
                time.sleep(0.2)
        yield server, base
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)


def test_serve_command_answers_on_loopback(story_db):
    with serving(story_db) as (_, base):
        answered = httpx.get(f"{base}/api/claims", timeout=5)
        assert answered.status_code == 200 and answered.json()["total"] > 0


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid`, from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_serve_workers_answer_and_leave_with_a_killed_parent(story_db):
    workers: set[int] = set()
    try:
        with serving(story_db, "--workers", "2") as (server, base):
            answers = [httpx.get(f"{base}/api/claims", timeout=5) for _ in range(20)]
            assert all(a.status_code == 200 and a.json()["total"] > 0 for a in answers)
            workers = {p for p in _children(server.pid)
                       if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()}
            assert len(workers) == 2
            server.kill()  # SIGKILL: the parent cannot stop its workers; they must notice and leave
            server.wait(timeout=20)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and any(_running(p) for p in workers):
                time.sleep(0.2)
            assert not [p for p in workers if _running(p)]
    finally:
        for p in workers:
            try:
                os.kill(p, 9)
            except ProcessLookupError:
                pass


def test_serve_workers_refuse_a_port_something_listens_on(invoke, story_db):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        refused = invoke("serve", "--db", story_db, "--port", str(taken.getsockname()[1]), "--workers", "2")
    assert refused.exit_code == 1 and "A700" in refused.stderr and "--port" in refused.stderr


def test_serve_bench_drives_every_endpoint_without_failures(story_db, capsys):
    from conftest import load_bench

    assert load_bench("serve").main([str(story_db), "--clients", "2", "--seconds", "1", "--max-requests", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("load average")
    rows = {line.split()[0]: line.split() for line in lines[2:-1]}
    assert {"search", "article", "claim", "export"} <= set(rows)
    # requests, failures, and the server's CPU per request
    # the server CPU is read in clock ticks (10 ms): a few fast requests may cost none that it can see
    assert all(int(r[-6]) > 0 and r[-5] == "0" and float(r[-1]) >= 0 for r in rows.values()), rows
