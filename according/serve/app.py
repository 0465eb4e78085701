"""The FastAPI app: `create_app(db)` serves the API under `/api/` and the pages over one store.

Each worker thread keeps its own read-only store connection (a connection belongs to one thread); writes (ingest, merge,
split) take one lock, so that SQLite's single writer is never contended from inside the server. Write endpoints
ask for a bearer token when the app has one; `according serve` gives it one whenever it listens beyond loopback.
"""
from __future__ import annotations

import gc
import os
import secrets
import threading
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from according import __version__
from according.errors import AccordingError, StoreError
from according.serve.queries import NotFound
from according.store import AmbiguousId

HERE = Path(__file__).parent
MAX_BODY = 2_000_000  # bytes of a request body: a long article is a few hundred KB


class Stores:
    """One open store per thread and purpose, opened on first use: read-only for reading (a request thread never
    writes by mistake, and SQLite opens it without taking the writer's lock); `write()` serialises writers."""

    def __init__(self, db: str | os.PathLike | None):
        self.db = db
        self._local = threading.local()
        self._open: list = []
        self._writing = threading.Lock()

    def get(self):
        """This thread's read-only store."""
        return self._store("reader", read_only=True)

    @contextmanager
    def write(self):
        """This thread's writable store, while no other thread writes."""
        with self._writing:
            yield self._store("writer", read_only=False)

    def _store(self, purpose: str, read_only: bool):
        from according.store import open_store

        store = getattr(self._local, purpose, None)
        if store is None:
            store = open_store(self.db, read_only=read_only)
            setattr(self._local, purpose, store)
            self._open.append(store)
        return store

    def close(self) -> None:
        for store in self._open:
            try:
                store.close()
            except store.dialect.errors:  # an SQLite connection can only be closed by its own thread
                pass
        self._open.clear()


def create_app(db: str | os.PathLike | None = None, *, token: str | None = None, allow_private: bool = False,
               model: str | None = None) -> FastAPI:
    """The API and the pages over the store at `db` (a SQLite path or a PostgreSQL URL; default as `open_store`).

    token: required (as `Authorization: Bearer TOKEN`) by the write endpoints; None leaves them open, which is only
    safe on loopback. allow_private: let URL ingest fetch loopback and private addresses (as `--allow-private`).
    """
    from contextlib import asynccontextmanager

    from according.store import open_store

    open_store(db).close()  # a store that cannot be opened fails here, not at the first request
    stores = Stores(db)

    @asynccontextmanager
    async def lifespan(app):
        # What is loaded by now (FastAPI, pydantic, the lexicons, spaCy's modules) lives as long as the server:
        # out of the collector's sight, since every full collection would walk it again, stalling each request
        # under way (at 20 clients, an article's p99 was 114 ms for 2 ms of work; 42 ms without).
        gc.collect()
        gc.freeze()
        yield
        stores.close()

    # the API's documentation pages with their scripts served from here, not from a CDN
    app = FastAPIOffline(title="according", version=__version__, lifespan=lifespan,
                         description="Who said what, according to whom: the store's articles, statements, claims "
                                     "and sources. Pages at `/`, the API under `/api/`.")
    app.state.stores, app.state.token, app.state.allow_private, app.state.model = stores, token, allow_private, model
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.add_middleware(Guarded)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from according.serve import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    _errors(app)
    return app


def check_token(request: Request) -> None:
    """The write endpoints' guard: the app's token, as a bearer token, or 401."""
    expected = request.app.state.token
    if expected is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(value.strip().encode(), expected.encode()):
        raise HTTPException(401, "this server takes writes only with its token: send the header "
                                 "'Authorization: Bearer TOKEN' (the token `according serve` was started with)",
                            headers={"WWW-Authenticate": "Bearer"})


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, whether they announce their length or stream it."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._refuse(scope, receive, send)
        seen, over = 0, False

        async def counted():
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                over = True
                raise _TooLarge()
            return message

        async def unless_over(message):  # the app may answer the interrupted read itself (400): that answer is dropped
            if not over:
                await send(message)

        try:
            await self.app(scope, counted, unless_over)
        except _TooLarge:
            pass
        if over:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope, receive, send):
        response = JSONResponse({"detail": f"the request body is over {self.limit:,} bytes: send a shorter text, or "
                                           "ingest long documents with `according ingest`"}, status_code=413)
        await response(scope, receive, send)


class Guarded:
    """Headers that keep what pages show from running, should anything slip through escaping: scripts, styles and
    images only from this server, no plugins, no framing. The API docs (Swagger's inline script) go without."""

    POLICY = (b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
              b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/docs"):
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", self.POLICY),
                                      (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


def _errors(app: FastAPI) -> None:
    """Errors as JSON under /api/ and as a page elsewhere, each saying what went wrong and what to do."""

    def respond(request: Request, status: int, detail: str, code: str | None = None, headers=None):
        if request.url.path.startswith("/api/"):
            body = {"detail": detail} | ({"code": code} if code else {})
            return JSONResponse(body, status_code=status, headers=headers)
        return request.app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "detail": detail}, status_code=status, headers=headers)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return respond(request, 404, str(exc))

    @app.exception_handler(AmbiguousId)
    async def ambiguous(request: Request, exc: AmbiguousId):
        return respond(request, 400, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        said = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return respond(request, 422, f"the address asks for something this page cannot show ({said})")

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError):
        return respond(request, 503, exc.message, exc.code)

    @app.exception_handler(AccordingError)
    async def refused(request: Request, exc: AccordingError):
        # the library refused the input (an ambiguous id, a bad date, a split that leaves nothing): the caller's to mend
        return respond(request, 400, exc.message, exc.code)

    @app.exception_handler(StarletteHTTPException)  # FastAPI's own, and the router's 404 and 405
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}: the pages are /, /articles/ID, /claims/ID and /sources/NAME; " \
                     "the API is described at /docs"
        return respond(request, exc.status_code, detail, headers=getattr(exc, "headers", None))
