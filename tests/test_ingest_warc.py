import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from according.ingest.records import Failure
from according.ingest.sources import iter_articles
from according.ingest.warc import read_warc
from ingest_server import PARAGRAPHS, article_page

DATE = '<meta property="article:published_time" content="2024-11-0{}T08:00:00Z">'


def write_warc(path, gz: bool, pages: int = 3, extra: bool = True, undated: bool = False) -> bytes:
    """A crawl like CC-NEWS: a warcinfo, then request/response pairs, plus an image and a page with no article."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))

    def response(uri, body: bytes, content_type="text/html; charset=utf-8", date="2024-11-08T10:00:00Z"):
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": date}))

    for i in range(1, pages + 1):
        head = "" if undated else DATE.format(i + 4)
        response(f"https://news.example/{i}", article_page(f"Story {i}", head=head,
                                                          paragraphs=[f"Story {i}: " + p for p in PARAGRAPHS]).encode())
    if extra:
        response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        response("https://news.example/section", b"<html><body><nav><a href='/1'>One</a></nav></body></html>")
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_pages_with_target_uri_and_dates(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gz)
    items = list(iter_articles([str(path)]))
    articles = [i for i in items if not isinstance(i, Failure)]
    assert [a.url for a in articles] == [f"https://news.example/{i}" for i in (1, 2, 3)]
    assert [a.origin for a in articles] == [a.url for a in articles]
    assert [a.published for a in articles] == ["2024-11-05", "2024-11-06", "2024-11-07"]
    assert articles[0].title == "Story 1" and "Story 1: Kremlin spokesperson" in articles[0].text
    # the image is page furniture (not reported); the section page with no article is a failure
    [failure] = [i for i in items if isinstance(i, Failure)]
    assert failure.origin == "https://news.example/section" and "no article" in failure.reason


def test_warc_crawl_date_is_the_fallback_date(tmp_path):
    path = tmp_path / "crawl.warc"
    write_warc(path, gz=False, pages=1, extra=False, undated=True)
    [article] = read_warc(str(path))
    assert article.published == "2024-11-08T10:00:00+00:00"


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("cut", [100, 0.5, 0.75])
def test_warc_truncated_keeps_the_records_before(tmp_path, gz, cut):
    full = write_warc(tmp_path / "full.warc", gz, extra=False)
    expected = [a.url for a in read_warc(str(tmp_path / "full.warc"))]
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(full[:-cut] if isinstance(cut, int) else full[:int(len(full) * cut)])
    items = list(iter_articles([str(path)]))
    assert isinstance(items[-1], Failure), items[-1]
    assert "truncated" in items[-1].reason and "unexpected" not in items[-1].reason
    kept = [i.url for i in items[:-1]]
    assert kept and kept == expected[:len(kept)] and len(kept) < len(expected)


def test_warc_that_is_not_a_warc(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("this is not an archive\n" * 20)
    [failure] = iter_articles([str(path)])
    assert isinstance(failure, Failure) and failure.origin.startswith(str(path))


def test_warc_sniffed_without_its_extension(tmp_path):
    path = tmp_path / "download.bin"
    write_warc(path, gz=True, pages=2, extra=False)
    assert [a.url for a in iter_articles([str(path)])] == ["https://news.example/1", "https://news.example/2"]


def test_warc_a_page_that_decodes_past_the_limit_fails_alone(tmp_path):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    bomb = b"<html><body><p>" + b" " * 5_000_000 + b"</p></body></html>"  # 5 MB in about 5 KB of gzip
    writer.write_record(writer.create_warc_record("https://news.example/bomb", "response", payload=io.BytesIO(bomb),
                                                  http_headers=headers))
    page = article_page("Story 1").encode()
    writer.write_record(writer.create_warc_record("https://news.example/1", "response", payload=io.BytesIO(page),
                                                  http_headers=headers))
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 50_000
    bomb_failure, article = iter_articles([str(path)], max_bytes=1_000_000)
    assert bomb_failure.origin == "https://news.example/bomb" and "more than 1,000,000 bytes" in bomb_failure.reason
    assert article.url == "https://news.example/1"


def test_warc_a_record_declaring_a_length_past_any_size_fails_and_the_pages_before_are_kept(tmp_path):
    # found by fuzz/fuzz_readers.py: a Content-Length of 300 digits made warcio raise OverflowError out of the reader
    full = write_warc(tmp_path / "full.warc", gz=False, pages=1, extra=False)
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/huge\r\n"
              b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + b"7" * 300 + b"\r\n\r\n"
              b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>The mayor said so.</p></body></html>")
    path = tmp_path / "crawl.warc"
    path.write_bytes(full + record)
    first, failure = read_warc(str(path))
    assert first.url == "https://news.example/1"
    assert isinstance(failure, Failure) and "larger than any archive" in failure.reason
