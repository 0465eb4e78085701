"""`according serve --workers N`: N processes answering on one port, each with a listening socket of its own.

uvicorn's own `--workers` shares one listening socket among its processes; the kernel then hands most connections to
whichever process wakes first, and with keep-alive that process keeps their requests: measured here, 19 of 20
clients' connections went to one of two workers. Here each worker binds a socket of its own to the port
(`SO_REUSEPORT`), and Linux spreads connections among them by their addresses (other systems that have the option
may not spread them; systems without it, Windows, serve from one process).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
import threading
import time

from according.errors import ServerError

RESTART_AFTER = 10.0  # seconds: a worker that stops sooner after starting stops the server instead of restarting


def possible() -> bool:
    """Whether this system lets several processes listen on one port."""
    return hasattr(socket, "SO_REUSEPORT")


def run(settings: dict, host: str, port: int, workers: int) -> None:
    """Serve `create_app(**settings)` on host:port from `workers` processes until interrupted; a worker that
    stops is replaced. ServerError where the address cannot be bound (taken, or not this machine's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        # first alone, so that a port another server listens on (another group of workers too) is refused rather
        # than shared; then bound, never listening, for the group: it takes no connections but keeps the port
        with socket.socket(family, socket.SOCK_STREAM) as alone:
            alone.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            alone.bind((host, port))
            port = alone.getsockname()[1]  # port 0: the one chosen here
        reserved = _socket(family, host, port)
    except OSError as e:
        raise ServerError(f"cannot listen on {host} port {port}: {e.strerror or e}; choose another --port, or stop "
                          "what listens there") from None
    spawn = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def start() -> tuple[multiprocessing.Process, float]:
        process = spawn.Process(target=_worker, args=(settings, family, host, port), name="according-serve")
        process.start()
        return process, time.monotonic()

    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    running = [start() for _ in range(workers)]
    try:
        while not stopping.wait(0.5):
            for i, (process, started) in enumerate(running):
                if process.is_alive() or stopping.is_set():
                    continue
                if time.monotonic() - started < RESTART_AFTER:
                    raise ServerError(f"a worker stopped {time.monotonic() - started:.0f} s after it started (exit "
                                       f"status {process.exitcode}); the server stops: see the messages above")
                print(f"according: a worker stopped (exit status {process.exitcode}); starting another",
                      file=sys.stderr)
                running[i] = start()
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()  # uvicorn's shutdown: requests under way are answered first
        for process, _ in running:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        reserved.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _socket(family: int, host: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a restart need not wait out TIME_WAIT
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(settings: dict, family: int, host: str, port: int) -> None:
    import uvicorn

    from according.scale.pool import exit_with_parent
    from according.serve.app import create_app

    exit_with_parent(os.getppid())
    sock = _socket(family, host, port)
    sock.listen(2048)
    server = uvicorn.Server(uvicorn.Config(create_app(**settings), log_level="warning"))
    server.run(sockets=[sock])
