import shutil
import ssl
import subprocess
import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from according.errors import IngestError
from according.ingest import web
from according.ingest.records import Failure
from according.ingest.sources import iter_articles
from according.ingest.web import Fetcher, is_public
from ingest_server import article_page, drip, make_handler, site  # noqa: F401 (fixtures)


def test_web_page_by_url(site):
    url = site.add("/news/kremlin.html", article_page())
    [article] = iter_articles([url], allow_private=True)
    assert article.title == "Kremlin denies reports of Putin congratulating Trump"
    assert article.origin == url and article.url == url
    assert site.requests[0][1]["User-Agent"].startswith("according/")


def test_web_loopback_refused_unless_allowed_and_nothing_is_requested(site):
    url = site.add("/a.html", article_page())
    [failure] = iter_articles([url])
    assert isinstance(failure, Failure)
    assert "private, loopback or link-local" in failure.reason and "allow_private" in failure.reason
    assert site.requests == []


def test_web_redirect_to_a_private_address_is_checked_again(site, monkeypatch):
    # the first hop is treated as public, the redirect goes to 10.0.0.1: refused before any connection
    monkeypatch.setattr(web, "is_public", lambda address: address == "127.0.0.1")
    site.add("/moved", "", status=302, headers={"Location": "http://10.0.0.1/admin"})
    [failure] = iter_articles([site.url("/moved")])
    assert "10.0.0.1" in failure.reason and "private" in failure.reason


def test_web_connection_goes_to_the_checked_address_with_the_original_host(site, monkeypatch):
    monkeypatch.setattr(web, "is_public", lambda address: address in ("127.0.0.1", "::1"))
    site.add("/a.html", article_page())
    [article] = iter_articles([site.url("/a.html", host="localhost")])
    assert article.title.startswith("Kremlin denies")
    assert site.requests[0][1]["Host"] == f"localhost:{site.port}"


def test_web_timeout_is_a_failure_and_the_next_source_is_read(site):
    slow = site.add("/slow.html", article_page(), delay=3)
    fine = site.add("/fine.html", article_page())
    items = list(iter_articles([slow, fine], allow_private=True, timeout=0.5))
    assert isinstance(items[0], Failure) and "timed out" in items[0].reason and items[0].origin == slow
    assert items[1].origin == fine


def test_web_a_header_line_a_second_cannot_outlast_the_total_timeout(drip, site):
    fine = site.add("/fine.html", article_page())
    started = time.monotonic()
    items = list(iter_articles([drip + "/slow", fine], allow_private=True, timeout=1.0))
    assert time.monotonic() - started < 5  # per-read time-outs alone never end it: every read gets a line
    assert isinstance(items[0], Failure) and "timed out after 1 s" in items[0].reason
    assert items[1].origin == fine


@pytest.mark.parametrize("address", ["64:ff9b::7f00:1", "64:ff9b::a00:1", "2002:c0a8:101::1", "::a9fe:a9fe",
                                     "::ffff:127.0.0.1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "64:ff9b:1::808:808"])
def test_web_ipv6_forms_that_carry_a_private_ipv4_are_refused(address):
    assert not is_public(address)
    [failure] = iter_articles([f"http://[{address}]:9/a.html"])
    assert "private, loopback or link-local" in failure.reason and address in failure.reason


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8", "2606:4700::1111"])
def test_web_ipv6_forms_of_public_addresses_stay_public(address):
    assert is_public(address)


def test_web_scheme_in_capitals_is_a_url(site):
    url = site.add("/caps.html", article_page()).replace("http://", "HTTP://")
    [article] = iter_articles([url], allow_private=True)
    assert article.title.startswith("Kremlin denies") and site.requested("/caps.html")


def test_web_size_limit(site):
    url = site.add("/big.html", article_page() + " " * 5000)
    [failure] = iter_articles([url], allow_private=True, max_bytes=2000)
    assert "byte limit" in failure.reason


def test_web_http_error_status(site):
    [failure] = iter_articles([site.url("/missing.html")], allow_private=True)
    assert "HTTP 404" in failure.reason


def test_web_only_http_and_https():
    with Fetcher() as fetcher, pytest.raises(IngestError, match="only http and https"):
        fetcher.fetch("file:///etc/passwd")
    [failure] = iter_articles(["ftp://example.org/feed.xml"])
    assert "only http and https" in failure.reason


@pytest.mark.parametrize("address,public", [
    ("93.184.215.14", True), ("2606:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False), ("fe80::1", False),
    ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
])
def test_web_is_public(address, public):
    assert is_public(address) is public


def _self_signed(tmp_path, name: str) -> tuple[str, str]:
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return str(cert), str(key)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
@pytest.mark.parametrize("cert_name,ok", [("localhost", True), ("other.example", False)])
def test_web_https_pinned_address_still_verifies_the_host_name(site, tmp_path, monkeypatch, cert_name, ok):
    """Connecting to the checked IP must not weaken TLS: the certificate is checked against the URL's host."""
    monkeypatch.setattr(web, "is_public", lambda address: address in ("127.0.0.1", "::1"))
    cert, key = _self_signed(tmp_path, cert_name)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    site.add("/a.html", article_page())
    try:
        with Fetcher(verify=cert, timeout=5) as fetcher:
            url = f"https://localhost:{server.server_address[1]}/a.html"
            if ok:
                assert b"Kremlin denies" in fetcher.fetch(url).body
                assert site.requests[-1][1]["Host"] == f"localhost:{server.server_address[1]}"
            else:
                with pytest.raises(IngestError, match="(?i)hostname mismatch|not valid for"):
                    fetcher.fetch(url)
    finally:
        server.shutdown()
        server.server_close()
