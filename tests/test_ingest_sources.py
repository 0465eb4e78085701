import io
import json
import sys

import pytest

from according.errors import IngestError, InputError
from according.ingest.records import Failure
from according.ingest.sources import iter_articles, read_article, walk
from ingest_server import article_page


def make_corpus(root):
    (root / "2024" / "nov").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]")
    (root / ".hidden.txt").write_text("Hidden note.")
    (root / "a.txt").write_text("Kremlin denies\n\nPeskov said the report was inaccurate.\n")
    (root / "b.md").write_text("# Wire copy\n\nOfficials **said** so.\n")
    (root / "2024" / "nov" / "page.html").write_text(article_page())
    (root / "2024" / "docs.jsonl").write_text(json.dumps({"id": "d1", "text": "One source said so."}) + "\n{broken\n")
    (root / "2024" / "old.txt").write_bytes("Le ministre a déclaré à l’AFP que le café était naïf.".encode("cp1252"))
    (root / "2024" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    return root


def test_sources_folder_recursive_every_input_accounted_for(tmp_path):
    root = make_corpus(tmp_path / "corpus")
    warnings, progress = [], []
    items = list(iter_articles([str(root)], on_warning=lambda o, m: warnings.append((o, m)),
                               on_progress=lambda d, t, o: progress.append((d, t, o))))
    by_origin = {i.origin: i for i in items}
    assert sorted(by_origin) == sorted([
        f"{root}/2024/docs.jsonl#d1", f"{root}/2024/docs.jsonl:2", f"{root}/2024/nov/page.html",
        f"{root}/2024/old.txt", f"{root}/2024/photo.jpg", f"{root}/a.txt", f"{root}/b.md"])
    assert by_origin[f"{root}/2024/old.txt"].text == "Le ministre a déclaré à l’AFP que le café était naïf."
    assert [o for o, _ in warnings] == [f"{root}/2024/old.txt"] and "cp1252" in warnings[0][1]
    assert isinstance(by_origin[f"{root}/2024/photo.jpg"], Failure)
    assert "JPEG" in by_origin[f"{root}/2024/photo.jpg"].reason
    assert isinstance(by_origin[f"{root}/2024/docs.jsonl:2"], Failure)
    assert by_origin[f"{root}/b.md"].text == "Wire copy\n\nOfficials said so.\n"
    assert by_origin[f"{root}/2024/nov/page.html"].outlet == "Caliber.Az"
    assert [(d, t) for d, t, _ in progress] == [(n, 6) for n in range(1, 7)]


def test_sources_include_exclude_globs(tmp_path):
    root = make_corpus(tmp_path / "corpus")
    names = lambda **kw: [p.relative_to(root).as_posix() for p in walk(root, **kw)]  # noqa: E731
    assert names(include=["*.txt", "*.md"]) == ["a.txt", "b.md", "2024/old.txt"]  # hidden ones left out
    assert names(include=["2024/*"], exclude=["*.jpg", "*.jsonl"]) == ["2024/old.txt", "2024/nov/page.html"]
    [failure] = iter_articles([str(root)], include=["*.pdf"])
    assert "no files matching" in failure.reason


def test_sources_explicit_files_ignore_folder_filters(tmp_path):
    root = make_corpus(tmp_path / "corpus")
    [article] = iter_articles([str(root / "a.txt")], exclude=["*.txt"])
    assert article.title == "Kremlin denies"


def test_sources_missing_path_and_other_schemes(tmp_path):
    items = list(iter_articles([str(tmp_path / "nope.txt"), "ftp://example.org/a", "s3://bucket/key"]))
    assert all(isinstance(i, Failure) for i in items)
    assert "does not exist" in items[0].reason and "only http and https" in items[1].reason
    assert "s3://" in items[2].reason


def test_sources_content_sniffed_when_the_extension_lies(tmp_path):
    feed_as_txt = tmp_path / "feed.txt"
    feed_as_txt.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>A'
                           "</title><description>Peskov said so, officials said.</description></item>"
                           "</channel></rss>")
    page_without_extension = tmp_path / "page"
    page_without_extension.write_text(article_page())
    feed_item, page = iter_articles([str(feed_as_txt), str(page_without_extension)])
    assert feed_item.text == "Peskov said so, officials said." and feed_item.outlet == "Wire"
    assert page.outlet == "Caliber.Az"


def test_sources_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(article_page().encode())))
    [article] = iter_articles(["-"])
    assert article.origin == "<stdin>" and article.title.startswith("Kremlin denies")


def test_sources_same_article_twice_same_id(tmp_path):
    (tmp_path / "a.txt").write_text("Peskov said the report was inaccurate.\n")
    (tmp_path / "b.txt").write_text("Peskov  said the report\nwas inaccurate.")
    a, b = iter_articles([str(tmp_path)])
    assert a.id == b.id and a.origin != b.origin


def test_sources_read_article_one_article_or_the_reason_why_not(tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"id": "d1", "text": "One source said so.", "outlet": "Wire"}) + "\n")
    article = read_article(str(one))
    assert article.text == "One source said so." and article.outlet == "Wire"
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/a'>Politics</a></nav></body></html>")
    with pytest.raises(IngestError, match="menu.html: no article text"):
        read_article(str(tmp_path / "menu.html"))
    with pytest.raises(InputError, match="is a folder.*according ingest"):
        read_article(str(tmp_path))
    with pytest.raises(InputError, match="does not exist"):
        read_article(str(tmp_path / "nope.txt"))


ARTICLE = "The harbour master said on Tuesday that the cranes would stay idle until Monday.\n"


def test_sources_fifos_devices_and_links_out_of_a_folder_are_skipped_with_their_reason(tmp_path):
    import os

    folder, outside = tmp_path / "news", tmp_path / "secret.txt"
    folder.mkdir()
    outside.write_text("The password is swordfish, the admin said.\n")
    (folder / "a.txt").write_text(ARTICLE)
    os.mkfifo(folder / "b.fifo.txt")  # opening it would wait for a writer forever
    (folder / "c.txt").symlink_to(outside)
    (folder / "d.txt").symlink_to(folder / "a.txt")  # a link that stays inside is read
    (folder / "e.txt").symlink_to("/dev/zero")
    (folder / "f.txt").symlink_to(tmp_path / "gone.txt")
    items = {i.origin: i for i in iter_articles([str(folder)])}
    assert items[str(folder / "a.txt")].text == ARTICLE == items[str(folder / "d.txt")].text
    reasons = {name: items[str(folder / name)].reason for name in ("b.fifo.txt", "c.txt", "e.txt", "f.txt")}
    assert "a FIFO" in reasons["b.fifo.txt"]
    assert "outside the folder" in reasons["c.txt"] and str(outside) in reasons["c.txt"]
    assert "outside the folder" in reasons["e.txt"] and "/dev/zero" in reasons["e.txt"]
    assert "broken link" in reasons["f.txt"]
    assert not any("swordfish" in getattr(i, "text", "") for i in items.values())


def test_sources_a_device_or_a_document_over_the_limit_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    [device] = iter_articles(["/dev/zero"])
    assert device.origin == "/dev/zero" and "a device" in device.reason
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE * 100)
    [failure] = iter_articles([str(big)], max_bytes=1000)
    assert failure.origin == str(big) and "more than 1,000 bytes" in failure.reason
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode() * 100)))
    [failure] = iter_articles(["-"], max_bytes=1000)
    assert "more than 1,000 bytes" in failure.reason


def test_sources_a_jsonl_line_over_the_limit_fails_alone(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [{"id": "long", "text": "word " * 500}, {"id": "ok", "text": ARTICLE}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    long, ok = iter_articles([str(path)], max_bytes=1000)
    assert long.origin == f"{path}:1" and "more than 1,000 bytes" in long.reason
    assert ok.origin == f"{path}#ok" and ok.text == ARTICLE


def test_sources_a_gzip_header_over_broken_deflate_data_is_a_failure_not_a_bug(tmp_path):
    # found by fuzz/fuzz_readers.py: zlib.error ("invalid block type") escaped the sniffing of a gzip head
    broken = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x07" + b"news" * 50
    for name in ("crawl.gz", "crawl.bin"):
        (tmp_path / name).write_bytes(broken)
        [item] = iter_articles([str(tmp_path / name)])
        assert isinstance(item, Failure) and "gzip" in item.reason and "unexpected" not in item.reason
