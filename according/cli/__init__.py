"""The command line: parse, call the library, format.

`common` holds what every command shares; each other module is one group of commands with a `register(app)` that
adds them to the one app made here. No command module imports this package or another command module, and heavy
imports wait for the command that needs them, so `according --help` stays instant.
"""
from __future__ import annotations

import typer

from according import __version__
from according.cli import claims, corpus, evaluation, export, read, serve
from according.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PARTIAL

__all__ = ["app", "main", "EXIT_FAILED", "EXIT_PARTIAL", "EXIT_INTERRUPTED"]

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="Who said what, according to whom: attributions, source chains and stances in news.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"according {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


for group in (read, corpus, claims, export, evaluation, serve):
    group.register(app)


def main() -> None:
    app(prog_name="according")
