"""Serving under load while the glossary is re-indexed, and the helpers the HTTP
benchmarks share (start gunicorn on loopback with the repository's config, drive it
with wrk):

    python bench/serving.py [--seconds 20] [--rebuilds 5]

    with serve(glossary_file, index_dir, tmp) as base_url:
        run = wrk(lua_script(tmp / "x.lua", ["/healthz"]), base_url, seconds=10)

Run as a script, it serves a copy of the shipped glossary and runs wrk twice over the
same rotating mix of search, suggest, term and health requests: once steady, once
while the file is edited ``--rebuilds`` times (each edit is a new index that every
worker builds or picks up and switches to). It prints both runs, their ratio, how long
each edit took to be served, and every non-2xx answer; it exits 1 if there was one.

Only 127.0.0.1 is ever a target; runs are bounded in time; gunicorn and its workers
are stopped when the block ends. Needs wrk (``apt-get install wrk``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


def spawn(
    glossary_file: Path, index_dir: Path, log: BinaryIO, settings: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """gunicorn (gunicorn.conf.py, 2 workers) serving ``glossary_file``, with ``settings``
    (``GLOSSARY_*`` variables) if given, its output to ``log``; returns it and its base URL."""
    port = free_port()
    env = dict(
        os.environ,
        GLOSSARY_FILE=str(glossary_file),
        GLOSSARY_INDEX_DIR=str(index_dir),
        GLOSSARY_BIND=f"127.0.0.1:{port}",
        GLOSSARY_WORKERS="2",
        GLOSSARY_LOG_LEVEL="warning",
        **(settings or {}),
    )
    # The production settings, without the access log: one line per request under wrk.
    command = [str(gunicorn_path()), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null",
               "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    return server, f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serve(
    glossary_file: Path, index_dir: Path, tmp: Path, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """:func:`spawn`, answering ``/healthz``; yields its base URL, stops it after."""
    log = (tmp / "gunicorn.log").open("wb")
    server, base_url = spawn(glossary_file, index_dir, log, settings)
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


# --- the benchmark: re-indexing under load ---------------------------------------------


def request_mix(glossary_file: Path) -> list[str]:
    """Search, suggest and entry requests over every term, and the health check."""
    sys.path.insert(0, str(REPO))
    from glossary import store, text

    paths = ["/healthz"]
    for term in store.load(glossary_file).terms:
        typed = text.key(term.term)[:2]  # what a reader has typed so far, quotes left out
        paths += [f"/api/v1/search?q={urllib.parse.quote(term.term)}",
                  f"/api/v1/suggest?q={urllib.parse.quote(typed)}",
                  f"/api/v1/terms/{term.id}"]  # fmt: skip
    return paths


def etag(base_url: str) -> str:
    with urllib.request.urlopen(base_url + "/api/v1/glossary.json", timeout=10) as response:
        return response.headers["ETag"]


def edit_repeatedly(glossary_file: Path, base_url: str, count: int, every: float) -> list[float]:
    """Append a comment ``count`` times, ``every`` seconds; seconds until each was served."""
    original = glossary_file.read_text(encoding="utf-8")
    served_after = []
    for n in range(count):
        time.sleep(every)
        before, started = etag(base_url), time.monotonic()
        temporary = glossary_file.with_suffix(".next")
        temporary.write_text(original + f"# edit {n}\n", encoding="utf-8")
        temporary.replace(glossary_file)
        while etag(base_url) == before and time.monotonic() - started < 60:
            time.sleep(0.05)
        served_after.append(time.monotonic() - started)
    return served_after


def show(label: str, run: WrkRun) -> None:
    print(f"  {label:<22} {run.rps:8.0f} req/s  p99 {run.p99_ms:7.1f} ms  "
          f"{run.requests:,} requests  {run.errors or 'no errors'}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rebuilds", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory() as work:
        tmp = Path(work)
        glossary_file = tmp / "terms.yaml"
        shutil.copy(REPO / "data" / "terms.yaml", glossary_file)
        paths = request_mix(glossary_file)
        script = lua_script(tmp / "mix.lua", paths)
        with serve(glossary_file, tmp / "index", tmp) as base_url:
            wrk(script, base_url, seconds=3)  # warm up: answer caches, searchers per thread
            steady = wrk(script, base_url, seconds=args.seconds)
            every = args.seconds / (args.rebuilds + 1)
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                edits = pool.submit(edit_repeatedly, glossary_file, base_url, args.rebuilds, every)
                rebuilding = wrk(script, base_url, seconds=args.seconds)
                served_after = edits.result()
    print(f"serving {len(paths):,} rotating paths, wrk -t2 -c16, "
          f"{args.seconds} s each")  # fmt: skip
    show("steady", steady)
    show(f"{args.rebuilds} re-indexes", rebuilding)
    print(f"  re-indexing / steady   {rebuilding.rps / steady.rps:.2f} x throughput")
    print("  each edit served after " + ", ".join(f"{s:.2f} s" for s in served_after))
    failed = bool(rebuilding.errors or steady.errors)
    print(f"non-2xx or socket errors while re-indexing: {'YES' if failed else 0}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
