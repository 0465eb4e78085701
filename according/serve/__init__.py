"""`according serve`: an HTTP API (OpenAPI at `/docs`) and a web app over one store.

    >>> from according.serve import create_app
    >>> app = create_app("news.db")        # any ASGI server runs it; `according serve` uses uvicorn

The API (`/api/...`) and the pages (`/`, `/articles/ID`, `/claims/ID`, `/sources/NAME`) ask the store through the
library functions the CLI calls (`according.serve.queries`), so every view agrees with the command line.
"""
from according.serve.app import create_app

__all__ = ["create_app"]
