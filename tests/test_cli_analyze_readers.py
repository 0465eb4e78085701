"""`according analyze` reads its one article as `according ingest` does: HTML by its main text, URLs through the
safe fetcher, and --title/--outlet/--published over what the article gives."""
import json

import pytest

from according import cli
from ingest_server import site  # noqa: F401 (fixture)

TITLE = "Ferry crews walk out over night shifts"
PARAGRAPHS = [
    "Ferry crews on the northern routes stopped work on Tuesday morning, leaving hundreds of commuters waiting at "
    "the piers.",
    "The crews' representative, Marta Vell, said that the new night rota was unsafe and had been imposed without "
    "consultation.",
    '"Nobody asked us before the schedule changed," Vell told reporters outside the depot.',
    "The operator denied that the rota breached the agreement.",
]


def page(title: str = TITLE) -> str:
    """A page with furniture around the article; the nav says "said" too, as a trap for a reader of markup."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="og:site_name" content="The Coastal Ledger"></head><body>'
            '<nav><a href="/">Home</a> <a href="/quotes">What they said today</a></nav>'
            f"<article>{body}</article><footer><p>Copyright The Coastal Ledger</p></footer></body></html>")


def analysed(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def said(data: dict) -> list[tuple[str, str, str]]:
    """(source, cue, content) of each statement, as text."""
    return [tuple(" ".join(a["_text"][role]) for role in ("source", "cue", "content")) for a in data["attributions"]]


def assert_read_from_the_article_text(data: dict) -> None:
    text = data["text"]
    assert "<" not in text and "What they said today" not in text and "Copyright" not in text
    assert all(p in text for p in PARAGRAPHS)
    statements = said(data)
    assert any("Marta Vell" in source and cue == "said" and "night rota was unsafe" in content
               for source, cue, content in statements), statements
    assert any("operator" in source and cue == "denied" for source, cue, _ in statements), statements
    for a in data["attributions"]:
        for role in ("source", "cue", "content"):
            assert a["_text"][role] == [text[s:e] for s, e in a[role]]


def test_cli_analyze_html_file_reads_the_article_not_the_markup(invoke, tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(page(), encoding="utf-8")
    data = analysed(invoke("analyze", path, "--json"))
    assert_read_from_the_article_text(data)
    assert data["id"] == "ferry.html"
    assert data["meta"]["title"] == TITLE and data["meta"]["outlet"] == "The Coastal Ledger"


def test_cli_analyze_html_file_view_is_headed_by_its_title(invoke, tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(page(), encoding="utf-8")
    result = invoke("analyze", path)
    assert result.exit_code == 0, result.stderr
    head = result.stdout.splitlines()
    assert head[0] == TITLE and "outlet: The Coastal Ledger" in head[1]
    assert "<" not in result.stdout


def test_cli_analyze_html_on_stdin_is_recognised(invoke):
    data = analysed(invoke("analyze", "-", "--json", input=page()))
    assert_read_from_the_article_text(data)
    assert data["id"] is None and data["meta"]["title"] == TITLE


def test_cli_analyze_markdown_file_reads_the_words_not_the_markup(invoke, tmp_path):
    path = tmp_path / "ferry.md"
    path.write_text(f"# {TITLE}\n\n" + "\n\n".join(PARAGRAPHS).replace("Marta Vell", "**Marta Vell**") + "\n",
                    encoding="utf-8")
    data = analysed(invoke("analyze", path, "--json"))
    assert "**" not in data["text"] and data["meta"]["title"] == TITLE
    assert any("Marta Vell" in source and cue == "said" for source, cue, _ in said(data))


def test_cli_analyze_url_with_allow_private(invoke, site):  # noqa: F811 (fixture)
    url = site.add("/news/ferry.html", page())
    data = analysed(invoke("analyze", url, "--json", "--allow-private"))
    assert_read_from_the_article_text(data)
    assert data["id"] == url and data["meta"]["url"] == url
    assert data["meta"]["title"] == TITLE and data["meta"]["outlet"] == "The Coastal Ledger"
    assert site.requests[0][1]["User-Agent"].startswith("according/")


def test_cli_analyze_loopback_url_is_refused_without_allow_private(invoke, site):  # noqa: F811 (fixture)
    url = site.add("/news/ferry.html", page())
    result = invoke("analyze", url)
    assert result.exit_code == cli.EXIT_FAILED and result.stdout == ""
    assert result.stderr.startswith("according: error: [A300] refused")
    assert "loopback" in result.stderr and "--allow-private" in result.stderr
    assert site.requests == []


def test_cli_analyze_url_that_fails_says_so(invoke, site):  # noqa: F811 (fixture)
    result = invoke("analyze", site.url("/gone.html"), "--allow-private")
    assert result.exit_code == cli.EXIT_FAILED
    assert result.stderr.startswith("according: error: [A300]") and "HTTP 404" in result.stderr


def test_cli_analyze_title_outlet_published_replace_the_page_s(invoke, tmp_path):
    path = tmp_path / "ferry.html"
    path.write_text(page(), encoding="utf-8")
    options = ["--title", "Crews halt the ferries", "--outlet", "Harbour Weekly", "--published", "2024-11-07"]
    data = analysed(invoke("analyze", path, "--json", *options))
    assert {k: data["meta"][k] for k in ("title", "outlet", "published")} == {
        "title": "Crews halt the ferries", "outlet": "Harbour Weekly", "published": "2024-11-07"}
    view = invoke("analyze", path, *options).stdout.splitlines()
    assert view[0] == "Crews halt the ferries"
    assert "outlet: Harbour Weekly" in view[1] and "published: 2024-11-07" in view[1]


def test_cli_analyze_metadata_for_a_plain_text_and_a_date_with_time(invoke):
    text = "\n\n".join(PARAGRAPHS) + "\n"
    data = analysed(invoke("analyze", "-", "--json", "--title", "Ferries", "--published", "2024-11-07T09:15:00+01:00",
                           input=text))
    assert data["text"] == text  # plain text is kept as it came, so offsets point into it
    assert data["meta"]["title"] == "Ferries" and data["meta"]["published"] == "2024-11-07T09:15:00+01:00"


@pytest.mark.parametrize("date", ["2024-13-01", "yesterday", "07/11/2024", ""])
def test_cli_analyze_bad_published_date_is_a_coded_error(invoke, tmp_path, date):
    path = tmp_path / "ferry.html"
    path.write_text(page(), encoding="utf-8")
    result = invoke("analyze", path, "--published", date)
    assert result.exit_code == cli.EXIT_FAILED and result.stdout == ""
    assert result.stderr.startswith("according: error: [A001] --published")
    assert "not an ISO date" in result.stderr and "2024-11-07" in result.stderr


def test_cli_analyze_refuses_a_file_of_several_articles(invoke, tmp_path):
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps({"id": str(n), "text": p}) + "\n" for n, p in enumerate(PARAGRAPHS[:2])),
                    encoding="utf-8")
    result = invoke("analyze", path)
    assert result.exit_code == cli.EXIT_FAILED and result.stdout == ""
    assert result.stderr.startswith("according: error: [A100]")
    assert "more than one article" in result.stderr and "according ingest" in result.stderr


def test_cli_analyze_page_without_an_article_is_a_coded_error(invoke, tmp_path):
    path = tmp_path / "menu.html"
    path.write_text('<html><body><nav><a href="/a">Ferries</a> <a href="/b">Trains</a></nav></body></html>',
                    encoding="utf-8")
    result = invoke("analyze", path)
    assert result.exit_code == cli.EXIT_FAILED
    assert result.stderr.startswith("according: error: [A300]") and "no article text" in result.stderr
