"""Shared fixtures. The database ones run every store test on SQLite and on a real PostgreSQL server.

`store` (and `store_url`) yield a fresh SQLite file and a fresh PostgreSQL database in turn. The server is started
once per session on 127.0.0.1 from the PostgreSQL binaries on this machine (initdb into a temporary directory,
pg_ctl on a free port) and stopped at the end; as root it runs as the `postgres` user, since postgres refuses root.
Set ACCORDING_TEST_POSTGRES_URL to use a running server instead. Without binaries or URL the PostgreSQL half skips,
unless ACCORDING_REQUIRE_POSTGRES=1 (as in .ci/run), where it fails: CI must not skip it.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from according.store import open_store

PG_USER = "according"


def _pg_bindir() -> Path | None:
    candidates = [os.environ.get("ACCORDING_PG_BIN", "")]
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: [int(n) for n in Path(p).parent.name.split(".") if n.isdigit()],
                         reverse=True)
    candidates += [str(Path(shutil.which("pg_ctl")).parent)] if shutil.which("pg_ctl") else []
    return next((Path(c) for c in candidates if c and (Path(c) / "initdb").exists()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throwaway cluster: trust auth on loopback, no fsync (the tests need speed, not durability)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="according-pg-"))
        self.run_as = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.root)
                raise RuntimeError("running as root and there is no 'postgres' user for the server to run as")
            os.chown(self.root, self.run_as.pw_uid, self.run_as.pw_gid)
        self.data, self.port = self.root / "data", _free_port()

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as.pw_name, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr}{done.stdout}{log}")

    def start(self) -> "PostgresServer":
        initdb = ["initdb", "-D", str(self.data), "-U", PG_USER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]
        try:
            # An English collation, as on most servers: text orders unlike SQLite's bytes unless the store says so.
            self._run(*initdb, "--locale-provider=icu", "--icu-locale=en-US")
        except RuntimeError:  # a server before 15, or built without ICU
            self._run(*initdb)
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c full_page_writes=off"
                   " -c synchronous_commit=off")
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", options)
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.data))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/postgres"


def _unavailable(reason: str):
    if os.environ.get("ACCORDING_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason} (apt-get install postgresql, or set "
                "ACCORDING_TEST_POSTGRES_URL; .ci/run installs it)")


@pytest.fixture(scope="session")
def postgres_admin_url():
    """A URL to a database on a server where the tests may create and drop databases."""
    if os.environ.get("ACCORDING_TEST_POSTGRES_URL"):
        yield os.environ["ACCORDING_TEST_POSTGRES_URL"]
        return
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg: pip install -e '.[test]'")
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable("no PostgreSQL server binaries (initdb, pg_ctl) were found")
    try:
        server = PostgresServer(bindir).start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        _unavailable(f"the test server could not start: {exc}")
    yield server.url
    server.stop()


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres_admin_url):
    """A fresh, empty database for one test, dropped afterwards (even if the test left connections open)."""
    import psycopg

    name = f"according_test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlsplit(postgres_admin_url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'according.db'}"


@pytest.fixture(params=[pytest.param("sqlite_url", id="sqlite"),
                        pytest.param("postgres_url", id="postgresql", marks=pytest.mark.postgres)])
def store_url(request) -> str:
    """A fresh, empty database on each back end in turn."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def store(store_url):
    with open_store(store_url) as s:
        yield s


@pytest.fixture(scope="session")
def loaded_model():
    """Load spaCy once for the session: the CLI and the engines share this per-process extractor."""
    from according.scale.worker import extractor

    return extractor()


@pytest.fixture
def invoke(loaded_model):
    """Run the CLI in-process; whatever the outcome, the user sees a message, never a traceback."""
    from typer.testing import CliRunner

    from according import cli

    def run(*args, input=None, env=None):
        result = CliRunner().invoke(cli.app, [str(a) for a in args], input=input, env=env)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result
    return run


def load_bench(name: str):
    """A script of bench/ as a module, so its smoke test calls its functions without a subprocess."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def read(text: str):
    """One short text read by the default extractor, as the extraction tests read theirs."""
    from according.extract import default_extractor

    return default_extractor().analyze(text)


def with_cue(analysis, cue_word: str) -> list:
    """The statements whose cue holds `cue_word`, in reading order."""
    return [a for a in analysis.attributions if cue_word in analysis.text_of(a.cue)]


def one(analysis, cue_word: str, nth: int = 0):
    """The nth statement whose cue holds `cue_word`, failing with the cues found when there is none."""
    found = with_cue(analysis, cue_word)
    assert len(found) > nth, f"no statement {nth} with cue {cue_word!r} in " \
                             f"{[analysis.text_of(a.cue) for a in analysis.attributions]}"
    return found[nth]
