"""Publication dates on pages whose dates conflict, as real news pages do."""
import time
from datetime import date, datetime, timezone

import pytest

from according.ingest.dates import date_from_text, earlier, labelled_date, to_iso
from according.ingest.html import article_from_html
from ingest_server import article_page

PUBLISHED = '<meta property="article:published_time" content="2024-11-07T09:15:00+04:00">'
MODIFIED = '<meta property="article:modified_time" content="2024-11-09T18:02:00+04:00">'
RELATED = ("<aside class='related'><h3>Related</h3><ul>"
           "<li><a href='/en/2023/05/02/peskov-on-drones'>Peskov on drones</a> <span>Published 2 May 2023</span></li>"
           "<li><a href='/en/2022/01/15/talks'>Kremlin talks (15 January 2022)</a></li></ul></aside>")


def published(html: str, **kw) -> str | None:
    article = article_from_html(html, **kw)
    assert not hasattr(article, "reason"), article
    return article.published


def test_dates_published_meta_beats_modified_meta_updated_line_and_copyright():
    html = article_page(head=PUBLISHED + MODIFIED, byline="By Jane Roe · Updated 9 November 2024, 18:02", after=RELATED)
    assert published(html) == "2024-11-07"


def test_dates_modified_meta_first_in_head_still_loses_to_published():
    html = article_page(head=MODIFIED + PUBLISHED)
    assert published(html) == "2024-11-07"


def test_dates_explicit_markup_beats_a_conflicting_date_in_the_url():
    head = PUBLISHED + '<link rel="canonical" href="https://caliber.example/en/2024/11/06/kremlin-denies">'
    assert published(article_page(head=head)) == "2024-11-07"


def test_dates_url_date_used_when_the_page_has_no_other():
    assert published(article_page(), url="https://caliber.example/en/2024/11/06/kremlin-denies") == "2024-11-06"


def test_dates_json_ld_date_published_beats_date_modified():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"datePublished": "2024-11-07T09:15:00+04:00", "dateModified": "2024-11-10T08:00:00+04:00"}</script>')
    assert published(article_page(head=ld)) == "2024-11-07"


def test_dates_visible_first_published_beats_updated_written_first():
    html = article_page(byline="Updated 9 November 2024, 18:02 · First published 7 November 2024, 09:15")
    assert published(html).startswith("2024-11-07")


def test_dates_time_elements_in_byline():
    byline = ('<time datetime="2024-11-07T09:15:00+04:00">7 November 2024</time> '
              '(updated <time datetime="2024-11-09T18:02:00+04:00">9 November</time>)')
    assert published(article_page(byline=byline)) == "2024-11-07"


def test_dates_undated_page_is_not_dated_by_copyright_related_links_or_body_dates():
    paragraphs = ["In March 2018, Peskov had made similar remarks about a previous report, which he called false "
                  "on 5 March 2018 in an interview with state television."] + []
    html = article_page(after=RELATED, paragraphs=paragraphs + ["Peskov repeated on Thursday that the report was "
                                                                "inaccurate and that nothing had been sent."])
    assert published(html) is None


def test_dates_only_a_modified_date_is_better_than_none():
    assert published(article_page(head=MODIFIED)) == "2024-11-09"


def test_dates_nothing_is_published_after_it_was_crawled():
    html = article_page(byline="Published 7 November 2024")
    crawled = datetime(2024, 11, 8, tzinfo=timezone.utc)
    assert published(html, latest=crawled) == "2024-11-07"
    too_late = article_page(head='<meta property="article:published_time" content="2030-01-01">')
    assert published(too_late, latest=crawled) is None


@pytest.mark.parametrize("value,expected", [
    ("2024-11-07", "2024-11-07"),
    ("2024-11-07T09:15:00+04:00", "2024-11-07T09:15:00+04:00"),
    ("Thu, 07 Nov 2024 09:15:00 GMT", "2024-11-07T09:15:00+00:00"),
    ("Nov. 7, 2024", "2024-11-07"),
    ("7 November 2024", "2024-11-07"),
    (date(2024, 11, 7), "2024-11-07"),
    (time.struct_time((2024, 11, 7, 9, 15, 0, 3, 312, 0)), "2024-11-07T09:15:00+00:00"),
    ("November 2024", None),  # no day: dateutil would invent the 1st
    ("2024", None),
    ("not a date", None),
    ("1850-01-01", None),
    ("2999-01-01", None),
    ("", None),
    (None, None),
])
def test_dates_to_iso(value, expected):
    assert to_iso(value) == expected


def test_dates_labelled_date_ignores_long_sentences_that_mention_publishing():
    sentence = "Verstka published on 6 November 2024 a report that " + "many officials later disputed at length " * 4
    assert labelled_date([sentence]) is None
    assert labelled_date(["By Jane Roe | Published: 7 November 2024 (updated 9 November 2024)"]) == "2024-11-07"


def test_dates_from_plain_text_head_only():
    assert date_from_text("Kremlin denies\nNovember 7, 2024\n\nPeskov said.") == "2024-11-07"
    assert date_from_text("Kremlin denies\nPublished 7 Nov 2024 09:15\n\nBody.") == "2024-11-07T09:15:00"
    assert date_from_text("Kremlin denies\n\nThe election was held on 5 November 2024, Peskov said.") is None


def test_dates_earlier_keeps_the_more_precise_of_one_day():
    assert earlier("2024-11-07", "2024-11-07T09:15:00+00:00") == "2024-11-07T09:15:00+00:00"
    assert earlier("2024-11-09", "2024-11-07T09:15:00+00:00") == "2024-11-07T09:15:00+00:00"
    assert earlier(None, "2024-11-07") == "2024-11-07"
