"""HTML pages: the article's text and metadata through trafilatura, or a `Failure` when there is no article.

trafilatura leans to recall and returns *something* for nearly any page (a menu, a list of headlines, "enable
JavaScript"); ingesting those would fill the store with non-articles, so a page counts as an article only
when its text has some prose (`MIN_PROSE_WORDS` in lines that read as sentences).
"""
from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

from according.errors import InputError
from according.ingest.dates import earlier, htmldate_params, labelled_date
from according.ingest.files import read_bytes_as_text
from according.ingest.records import Failure, clean, new_article
from according.model import Article

MIN_PROSE_WORDS = 15
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Page furniture whose dates belong to other articles.
_NOT_BYLINE = re.compile(r"related|recommend|more-|sidebar|footer|comment|promo|teaser|newsletter", re.IGNORECASE)
_BYLINE_TAGS = ("p", "div", "span", "time", "small", "li", "header", "address", "dd")
_LABELLED_LINES = 3
_LIBXML2_DEPTH = 256


def decode_html(data: bytes, name: str, declared: str | None = None) -> tuple[str, list[str]]:
    """A declared charset (HTTP header, then <meta charset>) is the author's word if the bytes agree; else guess."""
    m = _CHARSET.search(data[:4096])
    for charset in (declared, m.group(1).decode("ascii") if m else None):
        if charset:
            try:
                return data.decode(charset), []
            except (LookupError, UnicodeDecodeError):
                continue  # an unknown or wrong declaration (cp1252 bytes "in utf-8"): guess, with a warning
    return read_bytes_as_text(data, name)


def article_from_html(html: str | bytes, *, url: str | None = None, origin: str | None = None,
                      latest: datetime | None = None, **defaults) -> Article | Failure:
    """Main text and metadata of one page; `defaults` (a feed's outlet or date) fill what the page lacks."""
    import trafilatura

    origin = origin or url or "<html>"
    if isinstance(html, bytes):
        try:
            html = decode_html(html, origin)[0]
        except InputError as e:  # empty, binary
            return Failure(origin, e.message)
    tree = trafilatura.load_html(html)
    if tree is None:
        return Failure(origin, "the page is not HTML (or is empty)")
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=htmldate_params(url, latest))
    except ValueError as e:  # trafilatura's way of saying "nothing to extract"
        doc = None
        if str(e):
            return Failure(origin, f"trafilatura could not read the page: {e}")
    except AssertionError:
        # htmldate trips over some broken markup (a <script> left at the root of the tree) while looking for the
        # date: read the text without the page's metadata rather than lose it
        doc = trafilatura.bare_extraction(trafilatura.load_html(html), url=url, with_metadata=False,
                                          include_comments=False, include_tables=False)
    # one blank line between paragraphs, as in plain-text and Markdown articles and the eval corpora
    text = "\n\n".join(line.strip() for line in ((doc.text if doc is not None else "") or "").splitlines()
                         if line.strip())
    if prose_words(text) < MIN_PROSE_WORDS and _cut_short(tree):
        text = streamed_text(html)
        if doc is None:  # trafilatura found no text at all, so no metadata either: ask for those alone
            doc = trafilatura.extract_metadata(tree, default_url=url, date_config=htmldate_params(url, latest))
    if prose_words(text) < MIN_PROSE_WORDS:
        return Failure(origin, "no article text in the page (a menu, an index of links, a paywall or a page "
                               "that needs JavaScript?)")
    fallback_date = defaults.pop("published", None)
    published = earlier(doc.date, labelled_date(_byline_lines(tree), latest=latest)) or fallback_date
    meta = {
        "title": doc.title, "url": doc.url or url, "outlet": doc.sitename, "author": doc.author,
        "language": doc.language or _page_language(tree), "published": published,
    }
    if defaults.get("outlet") and _is_host_name(doc.sitename, doc.hostname, meta["url"]):
        meta["outlet"] = None  # trafilatura's last resort; a feed's title names the outlet better
    for key, value in defaults.items():
        if not clean(meta.get(key)):
            meta[key] = value
    return new_article(text, origin=origin, **meta)


def prose_words(text: str) -> int:
    """Words in lines that read as sentences (six words or more, ending like a sentence)."""
    total = 0
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 6 and _SENTENCE_END.search(line):
            total += len(words)
    return total


def _cut_short(tree) -> bool:
    """libxml2 stops building a tree 256 elements deep and drops everything inside: a page nested that deep (a
    hundred thousand `<div>`s round the article) reaches the limit and comes back without its text."""
    return bool(tree.xpath(f"boolean(//*[count(ancestor::*) >= {_LIBXML2_DEPTH - 2}])"))


def streamed_text(html: str) -> str:
    """The text of a page read as a stream of tags, with no tree and so no depth limit: paragraphs at block
    elements, nothing from scripts, styles, navigation, headers, footers and asides."""
    reader = _TextStream()
    reader.feed(html)
    reader.close()
    paragraphs = (" ".join(p.split()) for p in "".join(reader.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


class _TextStream(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "head"}
    _BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section",
               "article", "main", "table", "tr", "td", "th", "dd", "dt", "pre", "figure", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _byline_lines(tree) -> list[str]:
    """Short texts near the top that may label the publication date, outside asides, navs, footers and links."""
    lines = []
    for el in tree.iter(*_BYLINE_TAGS):
        if len(lines) >= 40:
            break
        if any(a.tag in ("aside", "nav", "footer", "a") or _NOT_BYLINE.search(f"{a.get('class', '')} {a.get('id', '')}")
               for a in el.iterancestors()) or _NOT_BYLINE.search(f"{el.get('class', '')} {el.get('id', '')}"):
            continue
        text = " ".join(el.text_content().split())
        if text and len(text) <= 160:
            lines.append(text)
    labelled = [line for line in lines if re.search(r"publish|posted", line, re.IGNORECASE)]
    return labelled[:_LABELLED_LINES]


def _is_host_name(sitename: str | None, hostname: str | None, url: str | None) -> bool:
    if not sitename:
        return False
    hosts = {hostname, urlsplit(url).netloc if url else None, urlsplit(url).hostname if url else None}
    return sitename.lower().removeprefix("www.") in {h.lower().removeprefix("www.") for h in hosts if h}


def _page_language(tree) -> str | None:
    """`<html lang="en-GB">` -> "en": the primary subtag is what language-specific pipelines key on."""
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        meta = tree.find(".//meta[@http-equiv='content-language']")
        lang = meta.get("content") if meta is not None else None
    lang = clean(lang)
    return lang.split("-")[0].split("_")[0].lower() if lang else None
