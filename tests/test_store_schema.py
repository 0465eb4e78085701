"""Opening stores: URLs and paths, migrations that run once, and clear errors when a database cannot be used."""
import socket
import sqlite3
import sys

import pytest

from according.errors import StoreError
from according.model import Article
from according.store import open_store
from according.store.schema import MIGRATIONS, migrate


def test_store_migrations_run_once(store_url):
    with open_store(store_url) as store:
        assert store.migrated == [name for name, _ in MIGRATIONS]
        store.add(Article(id="a", text="kept across openings"))
    with open_store(store_url) as store:
        assert store.migrated == []
        assert migrate(store.dialect, store._conn) == []
        assert store._read("SELECT name FROM migrations ORDER BY name") == [(name,) for name, _ in MIGRATIONS]
        assert [h.article_id for h in store.search("openings")] == ["a"]


def test_store_refuses_a_database_from_a_newer_version(store_url):
    with open_store(store_url) as store:
        with store.dialect.transaction(store._conn) as cur:
            cur.execute(store.dialect.sql("INSERT INTO migrations (name, applied_at) VALUES (?, ?)"),
                        ("9999_future", "2030-01-01"))
    with pytest.raises(StoreError, match=r"\[A400\].*newer version of according.*9999_future"):
        open_store(store_url)


def test_store_sqlite_is_one_file_in_wal_mode(tmp_path):
    path = tmp_path / "news.db"
    with open_store(path) as store:
        store.add(Article(id="a", text="one"))
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize("form", ["{path}", "sqlite:///{path}"])
def test_store_opens_sqlite_by_path_or_url(tmp_path, form):
    path = tmp_path / "news.db"
    with open_store(form.format(path=path)) as store:
        store.add(Article(id="a", text="one"))
    with open_store(str(path)) as store:
        assert store.has("a")


def test_store_default_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ACCORDING_DB", raising=False)
    open_store().close()
    assert (tmp_path / "according.db").exists()
    monkeypatch.setenv("ACCORDING_DB", str(tmp_path / "other.db"))
    open_store(None).close()
    assert (tmp_path / "other.db").exists()


def test_store_unknown_url_or_unusable_file_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="unknown database URL"):
        open_store("mysql://localhost/news")
    with pytest.raises(StoreError, match="cannot open the SQLite database"):
        open_store(tmp_path / "missing-folder" / "news.db")
    (tmp_path / "notes.txt").write_text("not a database, just some text " * 100)
    with pytest.raises(StoreError, match="not a database"):
        open_store(tmp_path / "notes.txt")


def test_store_postgresql_without_driver_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'according\[postgres\]'"):
        open_store("postgresql://someone@127.0.0.1/news")


def test_store_postgresql_unreachable_is_a_clear_error():
    pytest.importorskip("psycopg")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    with pytest.raises(StoreError, match=rf"\[A400\] cannot connect to PostgreSQL at postgresql://127.0.0.1:{port}/news"
                                         r" \(is the server running"):
        open_store(f"postgresql://someone:secret@127.0.0.1:{port}/news")


def test_store_postgresql_error_never_shows_the_password():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as raised:
        open_store("postgresql://someone:hunter2@127.0.0.1:1/news")
    assert "hunter2" not in str(raised.value)


def test_store_views_join_statements_to_their_articles_with_null_for_what_is_absent(store):
    from according.ingest import article_from_text
    from according.model import Analysis, Attribution

    article = article_from_text("Strike talks stall\n\nThe talks have reportedly stalled, the union said.\n")
    text = article.text
    at = lambda words: [(text.index(words), text.index(words) + len(words))]  # noqa: E731
    analysis = Analysis(text=text, attributions=[
        Attribution("a1", [], at("reportedly"), at("The talks have reportedly stalled")),
        Attribution("a2", at("the union"), at("said"), at("The talks have reportedly stalled"), source_entity="union"),
    ])
    store.add(article, analysis)
    rows = store._read("SELECT id, title, source, source_entity, via FROM statements ORDER BY ordinal")
    assert rows == [("a1", "Strike talks stall", None, None, None), ("a2", "Strike talks stall", "the union", "union",
                                                                      None)]
