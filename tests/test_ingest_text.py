from according.ingest.records import Failure, article_id
from according.ingest.text import (article_from_markdown, article_from_text, markdown_to_text, read_text_file,
                                   split_front_matter)


def test_text_title_is_first_line_and_text_is_kept_exactly():
    text = "\n  Kremlin denies reports  \n\nPeskov said the report was inaccurate.\n"
    article = article_from_text(text, origin="a.txt")
    assert article.title == "Kremlin denies reports"
    assert article.text == text
    assert article.origin == "a.txt"


def test_text_overlong_first_line_is_not_a_title():
    assert article_from_text("word " * 100).title is None


def test_text_date_from_the_head_of_the_text():
    assert article_from_text("Kremlin denies\nPublished: 7 November 2024\n\nPeskov said.").published == "2024-11-07"


def test_markdown_becomes_the_text_a_reader_sees():
    md = ("# Kremlin *denies* reports\n\n"
          "Dmitry **Peskov** [said](https://example.org/x) the report was `inaccurate`.\n"
          "He added more.\n\n"
          "- one source told the outlet\n- another _declined_ to comment\n\n"
          "> The congratulations were passed on.\n\n"
          "![photo of Peskov](p.jpg)\n\n"
          "<div class='ad'>advert</div>\n")
    title, text = markdown_to_text(md)
    assert title == "Kremlin denies reports"
    assert text == ("Kremlin denies reports\n\nDmitry Peskov said the report was inaccurate.\nHe added more.\n\n"
                    "one source told the outlet\n\nanother declined to comment\n\n"
                    "The congratulations were passed on.\n\nphoto of Peskov\n")


def test_markdown_front_matter_gives_metadata():
    md = ("---\ntitle: \"Kremlin denies\"\ndate: 2024-11-07\nauthor: Jane Roe\noutlet: Caliber.Az\n"
          "url: https://caliber.example/a\ntags:\n  - russia\n---\n# Another heading\n\nPeskov said so.\n")
    article = article_from_markdown(md, origin="a.md")
    assert (article.title, article.published, article.author, article.outlet, article.url) == (
        "Kremlin denies", "2024-11-07", "Jane Roe", "Caliber.Az", "https://caliber.example/a")
    assert article.text.startswith("Another heading")
    assert "title:" not in article.text


def test_markdown_without_front_matter_is_unchanged_by_the_splitter():
    assert split_front_matter("# Title\n\n---\n\nText") == ({}, "# Title\n\n---\n\nText")


def test_markdown_of_only_markup_is_a_failure():
    assert isinstance(article_from_markdown("<div>\n</div>\n", origin="x.md"), Failure)


def test_read_text_file_dispatches_on_suffix(tmp_path):
    (tmp_path / "a.md").write_text("# Title\n\nPeskov **said** so.\n")
    (tmp_path / "a.txt").write_text("# Title\n\nPeskov **said** so.\n")
    md, _ = read_text_file(tmp_path / "a.md")
    txt, _ = read_text_file(tmp_path / "a.txt")
    assert md.text == "Title\n\nPeskov said so.\n"
    assert txt.text == "# Title\n\nPeskov **said** so.\n"
    assert md.id != txt.id


def test_article_id_ignores_case_width_and_whitespace():
    assert article_id("Peskov  said\n\nso.") == article_id(" peskov said so. ") == article_id("ＰＥＳＫＯＶ said so.")
    assert article_id("Peskov said so.") != article_id("Peskov said no.")
    assert len(article_id("x")) == 32


def test_text_leading_whitespace_longer_than_the_head_has_no_title():
    article = article_from_text(" " * 9000 + "Peskov said so.")
    assert article.title is None and article.text.endswith("Peskov said so.")
