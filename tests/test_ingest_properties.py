"""Property tests for every reader: whatever bytes, text or JSON comes in, no exception escapes, every record
becomes an `Article` or a `Failure` that names it, and no reader reports a bug of its own ("unexpected ...")."""
import io
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from according.ingest.feeds import read_feed
from according.ingest.html import article_from_html
from according.ingest.jsonl import articles_from_jsonl
from according.ingest.records import Failure, valid_text
from according.ingest.sources import iter_articles
from according.ingest.text import article_from_markdown, article_from_text
from according.ingest.warc import articles_from_warc
from according.model import Article

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# text with what breaks readers: lone surrogates, NUL, controls, markup, quotes, very long words
TEXT = st.text(st.characters(codec=None, blacklist_categories=()), max_size=400)
MARKUP = st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<html>", "<body>", "<script>", "</script>",
                                   "<!--", "-->", "<![CDATA[", "]]>", "&#xD800;", "&#0;", "&amp;", "&", "<", ">",
                                   "<item>", "</item>", "<title>", "</title>", "<rss version='2.0'>", "<channel>",
                                   "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<link href='x'/>",
                                   "The mayor said the bridge would close on Monday, officials told reporters. ",
                                   "\ud800", "\x00", "\n"]) | TEXT, max_size=60).map("".join)


def assert_each_read(items, origin: str) -> None:
    """Every item an Article (valid, non-empty text) or a Failure naming the input; no bug reported."""
    for item in items:
        assert isinstance(item, (Article, Failure)), item
        if isinstance(item, Failure):
            assert item.origin.startswith(origin) or origin in item.reason or "#record" in item.origin \
                or item.origin.startswith("http"), item
            assert "unexpected" not in item.reason, item.reason
        else:
            assert item.text.strip() and valid_text(item.text) == item.text
            assert all(valid_text(v) == v for v in (item.title, item.origin, item.outlet, item.author) if v)


@PROPERTIES
@given(TEXT)
@example("x \ud800 y")
def test_properties_text_and_markdown_readers(text):
    assert_each_read([article_from_text(text, origin="t.txt")], "t.txt")
    assert_each_read([article_from_markdown(text, origin="t.md")], "t.md")


@PROPERTIES
@given(MARKUP)
@example("<html><body>" + "<div>" * 400 + "x" + "</div>" * 400 + "</body></html>")
def test_properties_html_reader(html):
    assert_each_read([article_from_html(html, origin="p.html")], "p.html")
    assert_each_read([article_from_html(html.encode("utf-8", "surrogatepass"), origin="p.html")], "p.html")


@PROPERTIES
@given(st.lists(st.one_of(
    st.binary(max_size=200),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                 max_leaves=12).map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"id": TEXT | st.integers(), "text": TEXT},
                          optional={"title": TEXT, "published": TEXT | st.integers(), "url": TEXT}
                          ).map(lambda doc: json.dumps(doc).encode()),
), max_size=8))
@example([b'{"id": "n", "text": "x", "n": ' + b"9" * 6000 + b"}", b"[" * 100_000, b'{"text": "\\ud800 ok."}'])
def test_properties_jsonl_reader_one_item_per_line_each_named(lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    items = list(articles_from_jsonl(io.BytesIO(b"\n".join(lines)), "d.jsonl"))
    assert_each_read(items, "d.jsonl")
    assert 1 <= len(items) <= max(1, len(lines))  # one item a non-blank line, or one failure for an empty file


@PROPERTIES
@given(MARKUP)
@example("<rss version='2.0'><channel><item><title>&#xD800;</title><description>The mayor said it. "
         "</description></item></channel></rss>")
def test_properties_feed_reader(xml):
    items = list(read_feed(xml.encode("utf-8", "surrogatepass"), origin="f.xml"))
    assert items and all("#item" in i.origin or i.origin == "f.xml" for i in items if isinstance(i, Failure))
    assert_each_read(items, "f.xml")


@PROPERTIES
@given(st.binary(max_size=600) | MARKUP.map(lambda t: ("WARC/1.0\r\n" + t).encode("utf-8", "surrogatepass")))
def test_properties_warc_reader(data):
    assert_each_read(list(articles_from_warc(io.BytesIO(data), "c.warc", len(data))), "c.warc")


@PROPERTIES
@given(st.binary(max_size=600) | MARKUP.map(lambda t: t.encode("utf-8", "surrogatepass")),
       st.sampled_from([".txt", ".md", ".html", ".jsonl", ".xml", ".warc", ".warc.gz", ".gz", ""]))
def test_properties_any_file_through_iter_articles(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("any") / f"input{suffix}"
    path.write_bytes(data)
    items = list(iter_articles([str(path)]))
    assert items
    assert_each_read(items, str(path))
