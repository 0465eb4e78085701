"""RSS and Atom feeds through feedparser: each item followed to its article page.

A feed item is usually a headline and a teaser; the article is behind the link. When the page cannot be
fetched or has no article, the item's own content (or summary) is ingested instead, and the caller hears why.
Dates: the earlier of the page's original date and the item's `published` (an item is re-dated when it is
re-posted, a page keeps its first date); `updated` only when neither exists. Outlet: the page's site name
(one name across all the outlet's feeds), else the feed's title.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

from according.errors import IngestError
from according.ingest.dates import earlier, to_iso
from according.ingest.html import article_from_html
from according.ingest.records import Failure, clean, read_record
from according.ingest.text import article_from_text
from according.ingest.web import Fetcher
from according.model import Article

Warn = Callable[[str, str], None]
# Character references: feedparser fails the whole feed on one that names no character it can encode, and its
# loose parser (for XML that is not well-formed) reads them without the semicolon and of any length.
_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
# What no XML tree holds: C0 controls but tab and newlines, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_feed(data: bytes, *, origin: str, base_url: str | None = None, fetcher: Fetcher | None = None,
              on_warning: Warn | None = None) -> Iterator[Article | Failure]:
    import feedparser

    # a stream, never bytes or str: feedparser would take a short string for a file name or URL and open it
    # feedparser marks a response without a content type as broken, so say what we know: it is XML
    headers = {"content-type": "application/xml", **({"content-location": base_url} if base_url else {})}
    parsed = feedparser.parse(io.BytesIO(_REFERENCE.sub(_valid_reference, data)), response_headers=headers)
    if not parsed.entries:
        if parsed.bozo:
            yield Failure(origin, f"not an RSS or Atom feed: {_reason(parsed.bozo_exception)}")
        else:
            yield Failure(origin, "the feed has no items")
        return
    if parsed.bozo and on_warning:
        on_warning(origin, f"the feed is not well-formed XML ({_reason(parsed.bozo_exception)}); read what parsed")
    feed_title = clean(parsed.feed.get("title"))
    feed_language = clean(parsed.feed.get("language"))
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#item{number}"
        yield read_record(where, _read_item, entry, where, feed_title, feed_language, fetcher, on_warning)


def _read_item(entry, where: str, feed_title, feed_language, fetcher, on_warning) -> Article | Failure:
    link = clean(entry.get("link"))
    # dict.get, not entry.get: feedparser answers "published" with the updated date when there is none
    published = to_iso(dict.get(entry, "published")) or to_iso(dict.get(entry, "published_parsed"))
    updated = to_iso(dict.get(entry, "updated")) or to_iso(dict.get(entry, "updated_parsed"))
    meta = {"title": clean(entry.get("title")), "author": clean(entry.get("author")), "outlet": feed_title,
            "language": feed_language, "url": link}
    problem = "the item has no link"
    if link and fetcher is not None:
        try:
            page = fetcher.fetch(link)
            page_defaults = {k: v for k, v in meta.items() if k != "url"}
            article = article_from_html(page.body, url=page.url, origin=link, **page_defaults)
        except IngestError as e:
            article = Failure(link, str(e))
        if isinstance(article, Article):
            article.published = earlier(article.published, published) or updated
            return article
        problem = f"its page was not read ({article.reason})"
    fallback = _item_text(entry)
    if not fallback:
        return Failure(where, f"feed item {meta['title']!r}: {problem}, and the item has no text of its own")
    if on_warning:
        on_warning(link or where, f"{problem}; ingested the feed item's own text instead")
    given = {k: v for k, v in meta.items() if v}
    return article_from_text(fallback, origin=link or where, **given, published=published or updated)


def _valid_reference(match: re.Match) -> bytes:
    """`&#xD800;` (a lone surrogate), `&#0;` or a number past Unicode becomes `&#xFFFD;`, as `valid_text` would."""
    digits = (match.group(1) or match.group(2)).lstrip(b"0")
    # past 8 digits a number is past Unicode (and int() refuses decimals of over 4,300 digits)
    code = 0x110000 if len(digits) > 8 else int(digits or b"0", 16 if match.group(1) else 10)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return b"&#xFFFD;"
    return match.group(0)


def _item_text(entry) -> str | None:
    """The item's full content if it has one, else its summary, as plain text."""
    for value in [c.get("value") for c in entry.get("content") or []] + [entry.get("summary")]:
        if value and value.strip():
            text = _html_to_text(value)
            if text:
                return text
    return None


def _html_to_text(fragment: str) -> str:
    """Feed content is escaped HTML; blocks become paragraphs, tags go."""
    import lxml.html
    from lxml.etree import ParserError

    if "<" not in fragment:
        return fragment.strip()
    try:
        # lxml's HTML parser takes control characters that its tree then refuses to hold: they go first
        root = lxml.html.fragment_fromstring(_NOT_XML.sub(" ", fragment), create_parent="div")
    except (ParserError, ValueError):
        return fragment.strip()
    for block in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    paragraphs = [" ".join(p.split()) for p in root.text_content().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _reason(exc: BaseException | None) -> str:
    text = clean(getattr(exc, "getMessage", lambda: str(exc))()) if exc else None
    return text or type(exc).__name__
