"""A store for the serve tests: the Norvale story of test_link_corpus and an article whose text and metadata carry
HTML, ingested once per session; each test that writes gets a copy of its own.

    from serve_story import story_db, client  # noqa: F401 (fixtures)
"""
from __future__ import annotations

import shutil

import pytest

from test_link_corpus import STORY, write

# Markup in an article is text to show, never to run: a script, an event handler, entities and a title with tags.
PIER = {"id": "pier-0307", "outlet": "Pier & Port <News>", "published": "2025-03-07",
        "url": "javascript:document.title='pwned'",
        "title": "Dock <b>pilots</b> & crews",
        "text": "Dock <b>pilots</b> & crews\n\nUnion leader Maria Lind said the harbour pilots would strike on "
                "Friday <script>document.title='pwned'</script> unless wages rose. \"We will walk out "
                "<img src=x onerror=\"document.title='pwned'\"> & stay out,\" Lind said. The port authority denied "
                "that talks had failed."}
ARTICLES = [*STORY, PIER]


@pytest.fixture(scope="session")
def story_db(tmp_path_factory, loaded_model):
    """The path of a SQLite store holding ARTICLES with their claims linked (as `according ingest` leaves it)."""
    from according.corpus import ingest
    from according.store import open_store

    folder = tmp_path_factory.mktemp("story")
    db = folder / "story.db"
    with open_store(db) as store:
        summary = ingest([str(write(folder / "story.jsonl", ARTICLES))], store, engine="local")
    assert summary.stored == len(ARTICLES) and not summary.failed, summary.to_dict()
    return db


@pytest.fixture
def own_db(story_db, tmp_path):
    """A copy of the story store that a test may write to."""
    return shutil.copy(story_db, tmp_path / "own.db")


@pytest.fixture
def client(story_db):
    from fastapi.testclient import TestClient

    from according.serve import create_app

    with TestClient(create_app(story_db)) as c:
        yield c


def by_title(client, title: str) -> dict:
    """A story article as the API gives it, found by its title."""
    hits = client.get("/api/search", params={"q": title, "limit": 50}).json()["hits"]
    found = [h["article_id"] for h in hits if h["title"] == title]
    assert found, f"no article titled {title!r} among {[h['title'] for h in hits]}"
    return client.get(f"/api/articles/{found[0]}").json()


def sale(client) -> dict:
    """The claim that Norvale sells its ferry line, with its timeline."""
    claims = client.get("/api/claims", params={"limit": 500}).json()["claims"]
    found = [c for c in claims if "ferry line" in c["text"] and "sell" in c["text"]]
    assert len(found) == 1, [c["text"] for c in claims]
    return client.get(f"/api/claims/{found[0]['id']}").json()
