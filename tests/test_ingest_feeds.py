import pytest

from according.errors import InputError
from according.ingest.records import Failure
from according.ingest.sources import iter_articles, read_article
from ingest_server import article_page, site  # noqa: F401 (fixture)

NO_ARTICLE = "<html><body><nav><a href='/a'>Politics</a> <a href='/b'>Sport</a></nav></body></html>"


def rss(site, items: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Caliber.Az - Politics</title>'
            f"<link>{site.url('/')}</link><language>en</language><description>x</description>{items}</channel></rss>")


def item(title, link=None, date=None, summary=None):
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if summary:
        parts.append(f"<description><![CDATA[{summary}]]></description>")
    return "<item>" + "".join(parts) + "</item>"


def test_feeds_items_followed_to_their_pages_with_fallbacks(site):
    site.add("/a.html", article_page(head='<meta property="article:published_time" content="2024-11-06">'))
    site.add("/b.html", "<html><head><title>Second story</title></head><body><article><p>A different story "
             "entirely: the central bank raised interest rates by half a point on Thursday, its governor said."
             "</p></article></body></html>")
    site.add("/empty.html", NO_ARTICLE)
    site.add("/slow.html", article_page(), delay=3)
    feed = site.add("/feed.xml", rss(site, "".join([
        item("Kremlin denies", site.url("/a.html"), "Thu, 07 Nov 2024 09:15:00 GMT", "Teaser."),
        item("Rates", site.url("/b.html"), "Thu, 07 Nov 2024 10:00:00 GMT"),
        item("Index only", site.url("/empty.html"), "Fri, 08 Nov 2024 08:00:00 GMT",
             "<p>Peskov said the report was <b>inaccurate</b>.</p><p>Second paragraph.</p>"),
        item("Slow page", site.url("/slow.html"), None, "Summary of the slow page, officials said."),
        item("Nothing at all", site.url("/gone.html")),
    ])), "application/rss+xml")
    warnings = []
    items = list(iter_articles([feed], allow_private=True, timeout=0.5,
                               on_warning=lambda o, m: warnings.append((o, m))))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Article", "Article", "Failure"]
    a, b, c, d, gone = items
    # followed: the page's text, the earlier of the page's and the item's dates, the page's site name
    assert "one source told the outlet" in a.text and a.published == "2024-11-06"
    assert a.outlet == "Caliber.Az" and a.origin == site.url("/a.html")
    # the item's date when the page has none; the feed's title when the page has no site name
    assert b.published == "2024-11-07T10:00:00+00:00" and b.outlet == "Caliber.Az - Politics"
    # a page with no article, and a page that times out: the item's own text, with a warning saying why
    assert c.text == "Peskov said the report was inaccurate.\n\nSecond paragraph."
    assert c.title == "Index only" and c.published == "2024-11-08T08:00:00+00:00"
    assert d.text == "Summary of the slow page, officials said."
    assert [o for o, _ in warnings] == [site.url("/empty.html"), site.url("/slow.html")]
    assert "no article" in warnings[0][1] and "timed out" in warnings[1][1]
    assert "HTTP 404" in gone.reason and "no text of its own" in gone.reason


def test_feeds_atom(site):
    site.add("/a.html", article_page())
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
            f'<id>urn:x</id><updated>2024-11-09T00:00:00Z</updated><entry><title>Kremlin denies</title>'
            f'<link href="{site.url("/a.html")}"/><id>urn:1</id><published>2024-11-07T09:15:00+04:00</published>'
            "<updated>2024-11-09T18:00:00Z</updated></entry></feed>")
    feed = site.add("/atom", atom, "application/atom+xml")
    [article] = iter_articles([feed], allow_private=True)
    assert article.published == "2024-11-07T09:15:00+04:00"  # published, not updated


def test_feeds_not_xml_is_a_failure_and_the_next_source_is_read(site, tmp_path):
    bad = site.add("/feed.xml", "this is not a feed at all { } <<<", "application/rss+xml")
    good = tmp_path / "a.txt"
    good.write_text("Peskov said so.")
    items = list(iter_articles([bad, str(good)], allow_private=True))
    assert isinstance(items[0], Failure) and items[0].origin == bad
    assert "not an RSS or Atom feed" in items[0].reason
    assert items[1].text == "Peskov said so."


def test_feeds_from_a_file_with_private_links_refused_by_default(site, tmp_path):
    site.add("/a.html", article_page())
    path = tmp_path / "feed.rss"
    path.write_text(rss(site, item("Kremlin denies", site.url("/a.html"), None, "Teaser text.")))
    warnings = []
    [article] = iter_articles([str(path)], on_warning=lambda o, m: warnings.append(m))
    assert article.text == "Teaser text."  # fell back to the item: the link points at loopback
    assert "private" in warnings[0] and site.requests == []


def test_feeds_empty_feed_is_reported(site):
    feed = site.add("/empty.xml", rss(site, ""), "application/rss+xml")
    [failure] = iter_articles([feed], allow_private=True)
    assert failure.reason == "the feed has no items"


def test_feeds_read_article_refuses_a_feed_after_its_second_item(site):
    for name in ("a", "b", "c"):
        site.add(f"/{name}.html", article_page())
    feed = site.add("/feed.xml", rss(site, "".join(item(n, site.url(f"/{n}.html")) for n in ("a", "b", "c"))),
                    "application/rss+xml")
    with pytest.raises(InputError, match="more than one article"):
        read_article(feed, allow_private=True)
    assert site.requested("/feed.xml") and not site.requested("/c.html")


def test_feeds_a_lone_surrogate_reference_in_one_title_costs_nothing(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>'
                    "<item><title>Bad &#xD800; title &#55296;</title><description>The minister said the harbour "
                    "would reopen next week, officials told reporters.</description></item>"
                    "<item><title>Good title</title><description>The mayor said the bridge would close on "
                    "Monday.</description></item></channel></rss>", encoding="utf-8")
    first, second = iter_articles([str(feed)])
    assert first.title == "Bad \ufffd title \ufffd" and first.origin == f"{feed}#item1"
    assert second.title == "Good title"


def test_feeds_a_huge_reference_without_its_semicolon_in_a_broken_feed_costs_nothing():
    # found by fuzz/fuzz_readers.py: feedparser's loose parser, for a feed that is not well-formed XML, took
    # "&#x1111...1" with no semicolon, and chr() of it raised OverflowError out of read_feed
    from according.ingest.feeds import read_feed

    for reference in ("&#x" + "1" * 40, "&#" + "9" * 5000 + ";", "&#xD800"):
        data = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Wire " + reference + "</title><item>"
                "<title>Cranes idle</title><description>The harbour master said the cranes would stay idle."
                "</description></item></channel></rss><broken").encode()
        [item] = read_feed(data, origin="f.xml")
        assert item.text == "The harbour master said the cranes would stay idle."
        assert item.outlet.startswith("Wire") and "\ud800" not in item.outlet


def test_feeds_an_item_with_a_broken_link_or_control_characters_falls_back_to_its_own_text():
    # found by fuzz/fuzz_readers.py: "http://[::1" made urlsplit raise ValueError, and control characters in an
    # item's HTML made lxml refuse the tree it had parsed; each item failed as a bug of according
    from according.ingest.feeds import read_feed
    from according.ingest.web import Fetcher

    items = ("<item><title>Open bracket</title><link>http://[::1/a</link><description>The mayor said the bridge "
             "would close.</description></item>"
             "<item><title>Controls</title><description>&lt;p&gt;The council\x01 denied it.\x0b&lt;/p&gt;"
             "&lt;p&gt;Officials said so.&lt;/p&gt;</description></item>")
    data = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>{items}</channel></rss>".encode()
    warnings = []
    with Fetcher() as fetcher:
        bracket, controls = read_feed(data, origin="f.xml", fetcher=fetcher,
                                      on_warning=lambda origin, message: warnings.append(message))
    assert bracket.text == "The mayor said the bridge would close."
    assert any("not a URL that can be fetched (Invalid IPv6 URL)" in warning for warning in warnings)
    assert controls.text == "The council denied it.\n\nOfficials said so."
