import pytest

from according.ingest.html import MIN_PROSE_WORDS, article_from_html, decode_html, prose_words
from according.ingest.records import Failure, article_id
from ingest_server import PARAGRAPHS, article_page


def test_html_main_text_and_metadata():
    head = '<meta name="author" content="Jane Roe"><link rel="canonical" href="https://caliber.example/en/kremlin">'
    article = article_from_html(article_page(head=head, after="<aside><p>Subscribe to our newsletter now, "
                                                               "it is free and it is great, really.</p></aside>"),
                                origin="page.html")
    assert article.title == "Kremlin denies reports of Putin congratulating Trump"
    assert article.outlet == "Caliber.Az"
    assert article.author == "Jane Roe"
    assert article.language == "en"
    assert article.url == "https://caliber.example/en/kremlin"
    assert article.origin == "page.html"
    assert "one source told the outlet" in article.text
    assert "Home" not in article.text and "All rights reserved" not in article.text
    assert article.id == article_id(article.text)


def test_html_defaults_fill_only_what_the_page_lacks():
    article = article_from_html(article_page(), outlet="Feed title", author="Feed Author", published="2024-11-07")
    assert article.outlet == "Caliber.Az"  # the page's own site name wins
    assert article.author == "Feed Author"
    assert article.published == "2024-11-07"


@pytest.mark.parametrize("html", [
    "<html><head><title>Home</title></head><body><nav><a href='/a'>Politics</a> <a href='/b'>Sport</a></nav>"
    "<footer>© 2025 Caliber.Az</footer></body></html>",
    "<html><body><h1>Politics</h1><ul>" + "".join(f"<li><a href='/n{i}'>Headline number {i} about politics "
                                                  "today</a></li>" for i in range(20)) + "</ul></body></html>",
    "<html><head><title>App</title></head><body><div id='root'></div>"
    "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>",
    "<html><body></body></html>",
    "",
])
def test_html_page_without_an_article_is_a_failure(html):
    result = article_from_html(html, origin="index.html")
    assert isinstance(result, Failure)
    assert result.origin == "index.html"
    assert "no article" in result.reason or "not HTML" in result.reason


def test_html_declared_charset_is_used():
    page = article_page(paragraphs=PARAGRAPHS + ["Le ministre a déclaré à l’AFP que le café était « naïf », "
                                                 "selon des sources proches du dossier."])
    data = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').encode("cp1252")
    html, warnings = decode_html(data, "p.html")
    assert "déclaré à l’AFP" in html and warnings == []
    assert "déclaré à l’AFP" in article_from_html(data).text


def test_html_undeclared_legacy_encoding_is_guessed_with_warning():
    data = article_page(paragraphs=PARAGRAPHS + ["Le ministre a déclaré à l’AFP que le café était naïf."]) \
        .replace('<meta charset="utf-8">', "").encode("cp1252")
    html, warnings = decode_html(data, "p.html")
    assert "déclaré à l’AFP" in html and "cp1252" in warnings[0]


def test_html_prose_threshold():
    assert prose_words("Politics\nSport\nHeadline about the economy today") == 0
    assert prose_words(PARAGRAPHS[0]) >= MIN_PROSE_WORDS


def test_html_wrong_declared_charset_falls_back_to_a_guess_with_warning():
    french = "Le ministre a déclaré à l’AFP que le café était naïf."
    data = article_page(paragraphs=PARAGRAPHS + [french]).encode("cp1252")
    html, warnings = decode_html(data, "p.html", declared="utf-8")  # the page says utf-8; the bytes are cp1252
    assert "déclaré à l’AFP" in html and "cp1252" in warnings[0]


def test_html_paragraphs_separated_by_blank_lines():
    text = article_from_html(article_page()).text
    assert text.split("\n\n") == ["Kremlin denies reports of Putin congratulating Trump", *PARAGRAPHS]


@pytest.mark.parametrize("depth", [300, 100_000])
@pytest.mark.parametrize("furniture", [True, False])
def test_html_text_inside_nesting_deeper_than_the_parser_builds_is_recovered(depth, furniture):
    # libxml2 stops building the tree 256 levels down: trafilatura alone returns nothing for these pages
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    nav, footer = ("<nav>Home | Politics</nav>", "<footer>All rights reserved.</footer>") if furniture else ("", "")
    html = (f"<html><head><title>Kremlin denies</title></head><body>{nav}{'<div>' * depth}"
            f"{body}{'</div>' * depth}{footer}</body></html>")
    article = article_from_html(html, origin="deep.html")
    assert not isinstance(article, Failure), article.reason
    assert article.text == "\n\n".join(PARAGRAPHS) and article.title == "Kremlin denies"



def test_html_a_script_left_at_the_root_is_read_not_raised():
    """htmldate asserts on a <script> that broken markup leaves without a parent (found by the property tests)."""
    from according.ingest import Failure
    from according.ingest.html import article_from_html

    found = article_from_html("<body><script><html>", origin="broken.html")
    assert isinstance(found, Failure) and found.origin == "broken.html" and "no article text" in found.reason
