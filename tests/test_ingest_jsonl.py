import json

from according.ingest.jsonl import read_jsonl
from according.ingest.records import Failure


def test_jsonl_bad_lines_are_failures_with_line_numbers_and_the_rest_goes_on(tmp_path):
    p = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "d1", "text": "Peskov denied the report.", "title": "Denial", "published": "2024-11-07",
                    "outlet": "Caliber.Az", "url": "https://caliber.example/a"}),
        "{not json",
        json.dumps({"id": "d3"}),
        "",
        json.dumps({"id": "d5", "text": "   "}),
        json.dumps(["a list"]),
        json.dumps({"text": "No id here, sources said.", "published": "Thu, 07 Nov 2024 09:15:00 GMT"}),
    ]
    p.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "d8", "text": "caf\xe9"}\n')
    items = list(read_jsonl(p))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Failure", "Failure", "Article",
                                                 "Failure"]
    first = items[0]
    assert (first.title, first.published, first.outlet, first.url, first.origin) == (
        "Denial", "2024-11-07", "Caliber.Az", "https://caliber.example/a", f"{p}#d1")
    failures = [i for i in items if isinstance(i, Failure)]
    assert [f.origin for f in failures] == [f"{p}:2", f"{p}:3", f"{p}:5", f"{p}:6", f"{p}:8"]
    assert "not JSON" in failures[0].reason and "no \"text\"" in failures[1].reason
    assert "not UTF-8" in failures[4].reason
    assert items[5].origin == f"{p}:7" and items[5].published == "2024-11-07T09:15:00+00:00"


def test_jsonl_with_bom_and_crlf(tmp_path):
    p = tmp_path / "docs.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "Peskov said."}).encode() + b"\r\n")
    [article] = read_jsonl(p)
    assert article.text == "Peskov said."


def test_ingest_jsonl_lone_surrogate_is_replaced_not_fatal(tmp_path):
    from according.ingest.jsonl import read_jsonl

    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "Broken \\ud800 character in a sentence."}\n'
                    '{"id": "b", "text": "The next article is fine."}\n', encoding="utf-8")
    items = list(read_jsonl(path))
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
    assert "\ufffd" in items[0].text and items[1].text == "The next article is fine."


def test_jsonl_huge_number_and_deep_nesting_fail_alone_with_their_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    good = json.dumps({"id": "ok", "text": "The mayor said the bridge would close."})
    path.write_text('{"id": "n", "text": "x", "n": ' + "7" * 6000 + "}\n"
                    + "[" * 100_000 + "]" * 100_000 + "\n" + good + "\n", encoding="utf-8")
    items = list(read_jsonl(path))
    assert [type(i).__name__ for i in items] == ["Failure", "Failure", "Article"]
    assert items[0].origin == f"{path}:1" and "digits" in items[0].reason
    assert items[1].origin == f"{path}:2" and "too deeply" in items[1].reason
    assert items[2].origin == f"{path}#ok"


def test_jsonl_lone_surrogates_in_title_and_id_become_replacement_characters(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a\\udc80", "title": "Mayor \\ud800 speaks", "text": "The mayor said it \\u0000 closed."}\n',
                    encoding="utf-8")
    [article] = read_jsonl(path)
    assert article.title == "Mayor \ufffd speaks" and article.origin == f"{path}#a\ufffd"
    assert article.text == "The mayor said it \ufffd closed."  # one for one: offsets hold
    for value in (article.title, article.origin, article.text):
        value.encode("utf-8")
