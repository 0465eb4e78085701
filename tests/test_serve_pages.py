"""The pages: an article's statements marked at their exact offsets in escaped text, a claim's timeline in date
order with the status after each step, a source's statements charted, and search pages with facets that narrow."""
import re
from html.parser import HTMLParser

import pytest

from serve_story import PIER, by_title, client, sale, story_db  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow


class Marks(HTMLParser):
    """The text of `#article-text` read back without tags, and the ranges each (statement, role) mark covers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.depth, self.text, self.stack = False, 0, "", []
        self.ranges: dict[tuple[str, str], list[list[int]]] = {}
        self.focusable: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "article-text":
            self.inside, self.depth = True, 0
            return
        if not self.inside:
            return
        self.depth += 1
        assert tag == "mark", f"only marks belong in the text, not <{tag}>"
        self.stack.append((attrs["data-a"], attrs["data-role"], len(self.text)))
        if "tabindex" in attrs:
            self.focusable.append(attrs["data-a"])

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if self.depth == 0:
            self.inside = False
            return
        self.depth -= 1
        a, role, start = self.stack.pop()
        spans = self.ranges.setdefault((a, role), [])
        if spans and spans[-1][1] == start:
            spans[-1][1] = len(self.text)  # pieces of one span are drawn as touching marks
        elif len(self.text) > start:
            spans.append([start, len(self.text)])

    def handle_data(self, data):
        if self.inside:
            self.text += data


def read_marks(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


def joined(spans):
    """Spans with touching neighbours joined, as the page draws them."""
    out = []
    for s, e in sorted(spans):
        if out and out[-1][1] == s:
            out[-1][1] = e
        else:
            out.append([s, e])
    return out


@pytest.mark.parametrize("title", [PIER["title"], "Norvale denies ferry sale", "Report: Norvale to sell ferries"])
def test_serve_pages_article_marks_every_span_at_its_offsets(client, title):
    article = by_title(client, title)
    html = client.get(f"/articles/{article['id']}").text
    marks = read_marks(html)
    assert marks.text == article["text"]
    assert article["attributions"]
    for a in article["attributions"]:
        for role in ("source", "cue", "content"):
            assert marks.ranges.get((a["id"], role), []) == joined([list(s) for s in a[role] if s[0] < s[1]]), \
                (a["id"], role)
    assert marks.focusable == [a["id"] for a in article["attributions"]]  # one tab stop per statement, in order
    for a in article["attributions"]:
        assert f'id="st-{a["id"]}"' in html and f'href="#at-{a["id"]}"' in html


def test_serve_pages_article_markup_is_shown_never_run(client):
    article = by_title(client, PIER["title"])
    html = client.get(f"/articles/{article['id']}").text
    for raw in ("<script>document", "<img", "<b>pilots", "Pier & Port <News>"):
        assert raw not in html
    assert "&lt;script&gt;document.title=" in html and "&lt;img src=x onerror=" in html
    assert "Dock &lt;b&gt;pilots&lt;/b&gt; &amp; crews" in html and "Pier &amp; Port &lt;News&gt;" in html
    assert html.count("<script") == 1 and '<script src="/static/app.js" defer></script>' in html
    assert "javascript:" not in html.split("<body>")[1].split('id="article-text"')[0]  # its url is no link
    policy = client.get(f"/articles/{article['id']}").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    search = client.get("/", params={"q": "pilots"}).text
    assert "<b>pilots" not in search and "&lt;b&gt;pilots" in search


def test_serve_pages_article_statement_details_show_stance_chain_and_claim(client):
    article = by_title(client, "Norvale denies ferry sale")
    html = client.get(f"/articles/{article['id']}").text
    denial = next(a for a in article["attributions"] if a["stance"] == "deny" and "Holm" in a["_text"]["source"][0])
    details = html[html.index(f'id="st-{denial["id"]}"'):]
    details = details[:details.index("</li>")]
    assert "denies" in details and "Ingrid Holm" in details and "denied" in details
    assert f'href="/claims/{sale(client)["id"]}"' in details
    relay = by_title(client, "Report: Norvale to sell ferries")
    nested = [a for a in relay["attributions"] if a["parent"] or a["via"]]
    assert nested, "the relay cites the Gazette, which cites people familiar with the talks"
    page = client.get(f"/articles/{relay['id']}").text
    for a in nested:
        block = page[page.index(f'id="st-{a["id"]}"'):]
        block = block[:block.index("</li>")]
        if a["parent"]:
            assert f'inside <a href="#st-{a["parent"]}">' in block
        if a["via"]:
            assert "citing " + " ... ".join(a["_text"]["via"]) in block


def test_serve_pages_claim_timeline_in_date_order_with_status_after_each_step(client):
    claim = sale(client)
    html = client.get(f"/claims/{claim['id'][:10]}").text
    steps = html.split('<li class="step"')[1:]
    assert len(steps) == len(claim["timeline"])
    dates = [s.split('datetime="')[1].split('"')[0] for s in steps]
    assert dates == sorted(dates) == [e["published"] for e in claim["timeline"]]
    assert [s.split('data-status="')[1].split('"')[0] for s in steps] == [e["status_after"] for e in claim["timeline"]]
    assert steps[-1].count("confirmed") >= 1 and "denied" in "".join(steps)
    for step, entry in zip(steps, claim["timeline"]):
        evidence = f'/articles/{entry["article_id"]}#st-{entry["attribution"]}'
        assert f'href="{evidence}"' in step
        assert f'id="st-{entry["attribution"]}"' in client.get(evidence.split("#")[0]).text
    graph = html[html.index("<svg"):html.index("</svg>")]
    for name in ("Harbour Gazette", "Northern Wire", "Ingrid Holm", "Coastline Daily"):
        assert f"<title>{name}</title>" in graph, name
    assert 'class="edge e-deny"' in graph and 'class="edge e-assert"' in graph


def test_serve_pages_source_page_charts_what_it_said_over_time(client):
    said = client.get("/api/sources/Norvale").json()["statements"]
    html = client.get("/sources/Norvale").text
    chart = html[html.index('<svg'):html.index("</svg>")]
    bars = chart.count('<rect class="bar')
    counted = sum(int(n) for n in re.findall(r"<title>[-0-9]+: (\d+) \w+</title>", chart))
    assert bars >= 2 and counted == len([s for s in said if s["published"]])
    assert "s-deny" in chart and "s-assert" in chart
    links = [part.split('"')[0] for part in html.split('href="/articles/')[1:]]
    assert links == [f'{s["article_id"]}#st-{s["id"]}' for s in said]
    assert client.get("/sources/Nobody%20Anywhere").status_code == 404


def test_serve_pages_search_pages_through_hits_and_facets_narrow(client):
    total = client.get("/api/search", params={"q": "Norvale", "limit": 1}).json()["total"]
    url, seen = "/?q=Norvale&limit=2", 0
    while url:
        html = client.get(url).text
        assert f"of {total} hits" in html
        seen += html.count('<li class="hit">')
        url = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&") if 'rel="next"' in html else None
    assert seen == total
    html = client.get("/", params={"q": "Norvale"}).text
    start = html.index('aria-label="Narrow the search"')
    facets = html[start:html.index("</nav>", start)]
    wire = facets.split(">Northern Wire</a>")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    narrowed = client.get(wire).text
    outlets = set(re.findall(r'<p class="where">[^·]*· (.*?) ·', narrowed))
    assert outlets == {"Northern Wire"}
    assert 'aria-current="true"' in narrowed
    for name in ("Outlet", "Date", "Stance", "Claim status"):
        assert f"<h2>{name}</h2>" in client.get("/", params={"q": "ferry"}).text


def test_serve_pages_claims_list_filters_by_status(client):
    listed = client.get("/api/claims", params={"limit": 500}).json()
    html = client.get("/claims").text
    assert f"of {listed['total']} claims" in html
    assert re.findall(r'<a href="/claims/(\w+)">', html) == [c["id"] for c in listed["claims"]]
    confirmed = client.get("/claims", params={"status": "confirmed"}).text
    shown = re.findall(r'<span class="status status-(\w+)">', confirmed)
    assert shown and set(shown) == {"confirmed"}
    assert len(shown) == sum(c["status"] == "confirmed" for c in listed["claims"])


def test_serve_pages_unknown_pages_are_404_pages(client):
    missing = client.get("/articles/ffffffffffff")
    assert missing.status_code == 404 and "<h1>Not found</h1>" in missing.text and "/api/search" in missing.text
    assert client.get("/claims/0000000000").status_code == 404
    bad = client.get("/", params={"stance": "shout"})
    assert bad.status_code == 422 and "stance" in bad.text and "<h1>" in bad.text
    assert client.get("/static/style.css").status_code == 200 and client.get("/static/app.js").status_code == 200
