"""deploy/nginx.conf works as shipped: real nginx in front of the real gunicorn."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO, SHIPPED_GLOSSARY
from tests.server import free_port, gunicorn

SITE = REPO / "deploy" / "nginx.conf"
MAIN = """\
{user}
worker_processes 1;
error_log {work}/error.log;
pid {work}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/site.conf;
}}
"""


@contextlib.contextmanager
def nginx(upstream_port: int, work: Path) -> Iterator[str]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is missing: install Debian's nginx-light (bash .ci/run does)")
    port = free_port()
    site = SITE.read_text(encoding="utf-8")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (work / "site.conf").write_text(site, encoding="utf-8")
    # Started as root, nginx's workers would run as nobody, who cannot write its temp files here.
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "main.conf").write_text(MAIN.format(work=work, user=user), encoding="utf-8")
    command = [binary, "-p", str(work), "-c", str(work / "main.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "/healthz", timeout=2):
                break
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("proxy")
    with contextlib.ExitStack() as stack:
        app = stack.enter_context(gunicorn(SHIPPED_GLOSSARY, work / "index", work / "log"))
        yield stack.enter_context(nginx(urlsplit(app).port, work))


def get_json(url: str, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.load(response)


@pytest.mark.slow
def test_the_sample_proxy_config_serves_the_api(proxied):
    assert get_json(proxied + "/healthz")["status"] == "ok"
    results = get_json(proxied + "/api/v1/search?q=sgqfkl")["results"]
    assert results[0]["term"] == "三个区分开来"


@pytest.mark.slow
def test_links_behind_the_proxy_name_the_proxy_and_cannot_be_spoofed(proxied):
    body = get_json(proxied + "/api/v1/terms/san-ge-qu-fen-kai-lai", {"X-Forwarded-Proto": "https"})
    assert body["url"] == proxied + "/api/v1/terms/san-ge-qu-fen-kai-lai"


@pytest.mark.slow
def test_an_oversized_body_gets_the_apps_json_error_through_the_proxy(proxied):
    request = urllib.request.Request(
        proxied + "/api/v1/annotate",
        data="双减".encode() * 400_000,
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413
    assert json.load(refused.value)["error"]["status"] == 413
