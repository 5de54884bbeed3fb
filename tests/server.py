"""The real server for tests that need one: gunicorn with the repository's config on 127.0.0.1.

with gunicorn(glossary_file, tmp / "index", tmp / "gunicorn.log") as base_url:
    urllib.request.urlopen(base_url + "/healthz")
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO


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
def gunicorn(
    glossary_file: Path, index_dir: Path, log: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve ``glossary_file`` as production does; yield the base URL. ``env`` adds
    settings (``GLOSSARY_INSTANCE_DIR``, ``GLOSSARY_CHECK_INTERVAL``...) as users set them."""
    port = free_port()
    env = {
        **os.environ,
        **(env or {}),
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
