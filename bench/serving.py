"""Shared by the HTTP benchmarks: start gunicorn on loopback, drive it with wrk.

    with serve(glossary_file, index_dir, tmp) as base_url:
        run = wrk(lua_script(tmp / "x.lua", ["/healthz"]), base_url, seconds=10)

Only 127.0.0.1 is ever a target; runs are bounded in time; gunicorn and its workers
are stopped when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


LUA = """-- written by bench/serving.py: every request takes the next path of the list
local paths = {
%s
}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
function init(args)
  i = offset or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def lua_script(path: Path, urls: list[str]) -> Path:
    path.write_text(LUA % ",\n".join(f'  "{u}"' for u in urls), encoding="ascii")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


@dataclass
class WrkRun:
    rps: float
    p99_ms: float
    requests: int
    errors: str


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(script: Path, base_url: str, seconds: int) -> WrkRun:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script), base_url]
    out = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out)[1])
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    requests = int(re.search(r"(\d+) requests in", out)[1])
    errors = [m[0].strip() for m in re.finditer(r"^\s*(Socket errors.*|Non-2xx.*)$", out, re.M)]
    return WrkRun(rps, float(p99[1]) * _UNITS[p99[2]], requests, "; ".join(errors))


def gunicorn_path() -> Path:
    for directory in (Path(sys.executable).parent, REPO / ".venv" / "bin"):
        if (directory / "gunicorn").exists():
            return directory / "gunicorn"
    raise SystemExit("gunicorn not found: run `make setup` and use .venv/bin/python")


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers: the whole process group it leads."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def serve(glossary_file: Path, index_dir: Path, tmp: Path) -> Iterator[str]:
    """gunicorn (2 workers, --preload) serving ``glossary_file``; yields its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, GLOSSARY_FILE=str(glossary_file), GLOSSARY_INDEX_DIR=str(index_dir))
    command = [str(gunicorn_path()), "--preload", "--workers", "2",
               "--bind", f"127.0.0.1:{port}", "wsgi:app"]  # fmt: skip
    log = (tmp / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        print(f"  gunicorn: starting on {base_url}", file=sys.stderr)
        deadline = time.monotonic() + 300
        while True:
            if server.poll() is not None:
                tail = (tmp / "gunicorn.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"gunicorn exited with status {server.returncode}:\n{tail}")
            try:
                if get(base_url + "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer /healthz within 300 s")
            time.sleep(0.2)
        yield base_url
    finally:
        stop(server)
        log.close()
