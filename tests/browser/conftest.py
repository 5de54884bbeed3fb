"""Browser tests: a real gunicorn server on 127.0.0.1 driven by Debian's Chromium.

``.ci/run`` installs ``chromium`` and a CJK font from Debian; Playwright only drives
the browser (it never downloads one). Screenshots go to ``GLOSSARY_SCREENSHOT_DIR``
(default: ``<tmp>/glossary-screenshots``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import SHIPPED_GLOSSARY
from tests.server import gunicorn

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
