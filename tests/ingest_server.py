"""A local HTTP server on 127.0.0.1 for the ingest tests: pages, feeds, slow and broken responses, no network.

    def test_x(site):
        site.add("/a.html", "<html>...</html>")
        url = site.url("/a.html")
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes
    content_type: str
    status: int = 200
    delay: float = 0.0
    headers: dict = field(default_factory=dict)


class Site:
    def __init__(self, port: int):
        self.port = port
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []  # (path, headers) of every request received

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def add(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", *,
            status: int = 200, delay: float = 0.0, headers: dict | None = None) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, content_type, status, delay, headers or {})
        return self.url(path)

    def requested(self, path: str) -> bool:
        return any(p == path for p, _ in self.requests)


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            site.requests.append((self.path, dict(self.headers)))
            route = site.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to do

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    s = Site(server.server_address[1])
    server.RequestHandlerClass = make_handler(s)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()


PARAGRAPHS = [
    'Kremlin spokesperson Dmitry Peskov called "inaccurate" a report that Vladimir Putin and Dmitry Medvedev had '
    "sent Donald Trump informal congratulations through intermediaries.",
    "The outlet Verstka published the claim citing unnamed sources in the Russian parliament and close to the "
    'Kremlin. "The congratulations were passed on the same night," one source told the outlet.',
    "Peskov told Russian media that the Kremlin had no plans to congratulate Trump, recalling that Russia "
    "considers the United States an unfriendly country.",
]


def article_page(title: str = "Kremlin denies reports of Putin congratulating Trump", *, head: str = "",
                 byline: str = "", paragraphs: list[str] | None = None, after: str = "", lang: str = "en") -> str:
    """A news page shaped like real ones: navigation, a byline, the article, related links, a footer."""
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or PARAGRAPHS))
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | Caliber.Az</title>'
            f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Caliber.Az">'
            f"{head}</head><body><header><nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav></header>"
            f"<article><h1>{title}</h1>{f'<p class=byline>{byline}</p>' if byline else ''}{body}</article>"
            f"{after}<footer><p>© 2025 Caliber.Az. All rights reserved.</p></footer></body></html>")


@pytest.fixture
def drip():
    """A server on 127.0.0.1 that answers every connection with a status line, then one header line every 0.1 s
    for as long as the client listens (bench/robustness_inputs.py's). Yields its base URL."""
    from functools import partial

    from conftest import load_bench

    hostile = load_bench("robustness_inputs")
    with hostile.raw_server(partial(hostile.drip_headers, every=0.1)) as base:
        yield base
