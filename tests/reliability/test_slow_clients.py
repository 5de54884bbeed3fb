"""Slow and idle clients never starve the workers of the real server (gunicorn.conf.py)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import SHIPPED_GLOSSARY
from tests.server import gunicorn

PROBE_LIMIT_S = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("slow-clients")
    with gunicorn(SHIPPED_GLOSSARY, work / "index", work / "gunicorn.log") as base:
        yield base


@contextlib.contextmanager
def idle_clients(base: str, count: int, send: bytes = b"") -> Iterator[None]:
    """Keep ``count`` connections open that send ``send`` and then nothing; reopen any
    the server closes, so the pressure lasts as long as the block."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    stop = threading.Event()

    def hold() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError), socket.create_connection((host, port), 5) as sock:
                sock.sendall(send)
                sock.settimeout(0.5)
                while not stop.is_set():
                    try:
                        if sock.recv(1024) == b"":
                            break  # closed by the server: open another
                    except TimeoutError:
                        continue

    threads = [threading.Thread(target=hold, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(1)  # every connection is open before the probes start
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def probe(base: str, seconds: float) -> list[float]:
    """Answer times of /healthz, asked every 0.1 s for ``seconds``; a failure raises."""
    times = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.monotonic()
        with urllib.request.urlopen(base + "/healthz", timeout=PROBE_LIMIT_S * 5) as response:
            assert response.status == 200
        times.append(time.monotonic() - start)
        time.sleep(0.1)
    return times


@pytest.mark.slow
def test_two_hundred_idle_connections_do_not_delay_other_clients(server):
    with idle_clients(server, 200):
        times = probe(server, 20)
    assert len(times) > 50
    assert max(times) < PROBE_LIMIT_S, f"slowest answer {max(times):.2f} s"


@pytest.mark.slow
def test_clients_stalled_inside_their_headers_do_not_delay_other_clients(server):
    with idle_clients(server, 60, send=b"GET /healthz HTTP/1.1\r\nHost: x\r\n"):
        times = probe(server, 12)
    assert max(times) < PROBE_LIMIT_S, f"slowest answer {max(times):.2f} s"
