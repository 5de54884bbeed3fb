"""Browser tests: a real gunicorn server on 127.0.0.1 driven by Debian's Chromium.

``.ci/run`` installs ``chromium`` and a CJK font from Debian; Playwright only drives
the browser (it never downloads one). Screenshots go to ``GLOSSARY_SCREENSHOT_DIR``
(default: ``<tmp>/glossary-screenshots``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import REPO, SHIPPED_GLOSSARY

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up in {timeout} s")


@contextlib.contextmanager
def gunicorn(glossary_file: Path, index_dir: Path, log: Path) -> Iterator[str]:
    """Serve ``glossary_file`` as production does; yield the base URL."""
    port = free_port()
    env = os.environ | {
        "GLOSSARY_BIND": f"127.0.0.1:{port}",
        "GLOSSARY_WORKERS": "2",
        "GLOSSARY_FILE": str(glossary_file),
        "GLOSSARY_INDEX_DIR": str(index_dir),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/healthz", process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[str]:
    """Base URL of the app serving the shipped glossary."""
    work = tmp_path_factory.mktemp("server")
    with gunicorn(SHIPPED_GLOSSARY, work / "index", work / "gunicorn.log") as base:
        yield base


@pytest.fixture(scope="session")
def serve(tmp_path_factory):
    """Start another server on a glossary file of the test's own; returns its base URL."""
    with contextlib.ExitStack() as stack:

        def start(glossary_file: Path) -> str:
            work = tmp_path_factory.mktemp("server")
            return stack.enter_context(
                gunicorn(glossary_file, work / "index", work / "gunicorn.log")
            )

        yield start


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "glossary-screenshots"
    path = Path(os.environ.get("GLOSSARY_SCREENSHOT_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path
