"""Start-up and memory of the served glossary, by size: gunicorn as deployed.

    python bench/startup.py [--terms 1000 10000 100000] [--requests 300]

For each size, a synthetic glossary (``bench/search.py``'s builder: seeded, the shipped
terms plus generated jargon) is written, then, in the same run:

1. the baseline: ``store.load`` of that file in this process (YAML and validation), the
   per-term work every start used to begin with;
2. a fresh start: gunicorn (gunicorn.conf.py, 2 workers, preloaded) on an empty index
   folder, timed from the spawn to the first answer of ``/api/v1/search``;
3. a start with everything built: the same again on that folder, as a restart or a
   replica given a built folder would start;
4. memory after ``--requests`` searches and suggestions spread over both workers: PSS
   (``/proc/PID/smaps_rollup``) of the master and the workers, summed, which counts a
   page shared by three processes once, where RSS would count it three times.

Goals (issue: 100k terms): a start with the index built <= 10 s at 100,000 terms and
<= 3 s at 10,000; PSS of master + 2 workers <= 1.5 GB at 100,000 and <= 400 MB at 10,000.
Each start is also printed as a ratio to the baseline of the same size.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from subprocess import Popen

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from search import write_glossary  # noqa: E402
from serving import get, spawn, stop  # noqa: E402

from glossary import store  # noqa: E402

GOALS = {10_000: (3.0, 400), 100_000: (10.0, 1536)}  # terms: (start s, PSS MB)
QUERIES = ["sgqfkl", "三个区分开来", "sange", "一标三实", "机制", "shuang", "五大", "yibiao"]


def start(glossary_file: Path, index_dir: Path, log_path: Path) -> tuple[Popen, str, float]:
    """Spawn gunicorn; returns it, its address and the seconds to the first search answer."""
    began = time.perf_counter()
    instance = {"GLOSSARY_INSTANCE_DIR": str(index_dir.parent / "instance")}
    server, base = spawn(glossary_file, index_dir, log_path.open("ab"), instance)
    while True:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {log_path.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError):
            if get(f"{base}/api/v1/search?q=sgqfkl", timeout=5)[0] == 200:
                return server, base, time.perf_counter() - began
        time.sleep(0.05)


def pss_mb(server: Popen) -> tuple[float, float]:
    """(PSS of master + workers, RSS of the same), in MB."""
    pids = [server.pid, *children(server.pid)]
    pss = rss = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1])
            elif line.startswith("Rss:"):
                rss += int(line.split()[1])
    return pss / 1024, rss / 1024


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def exercise(base: str, requests: int) -> None:
    for k in range(requests):
        q = urllib.parse.quote(QUERIES[k % len(QUERIES)] + ("" if k < len(QUERIES) else str(k)))
        get(f"{base}/api/v1/{'search' if k % 2 else 'suggest'}?q={q}", timeout=30)


def verdict(value: float, goal: float | None) -> str:
    if goal is None:
        return ""
    return f" (goal <= {goal:g}: {'meets' if value <= goal else 'MISSES'})"


def measure(terms: int, requests: int, tmp: Path) -> bool:
    glossary_file = tmp / f"terms-{terms}.yaml"
    total, _ = write_glossary(glossary_file, terms)
    began = time.perf_counter()
    store.load(glossary_file)
    baseline = time.perf_counter() - began
    index_dir = tmp / f"index-{terms}"
    log_path = tmp / "gunicorn.log"
    start_goal, pss_goal = GOALS.get(terms, (None, None))
    print(f"\n{total:,} terms ({glossary_file.stat().st_size / 1e6:.1f} MB of YAML); "
          f"baseline store.load {baseline:.2f} s", flush=True)  # fmt: skip
    server, _, fresh = start(glossary_file, index_dir, log_path)
    stop(server)
    print(f"  fresh start (build everything)    {fresh:7.2f} s = {fresh / baseline:5.2f}x baseline",
          flush=True)  # fmt: skip
    server, base, built = start(glossary_file, index_dir, log_path)
    try:
        exercise(base, requests)
        pss, rss = pss_mb(server)
    finally:
        stop(server)
    print(f"  start with everything built       {built:7.2f} s = {built / baseline:5.2f}x baseline"
          f"{verdict(built, start_goal)}")  # fmt: skip
    print(f"  memory after {requests} requests: PSS {pss:,.0f} MB (master + 2 workers), "
          f"RSS {rss:,.0f} MB{verdict(pss, pss_goal)}")  # fmt: skip
    return (start_goal is None or built <= start_goal) and (pss_goal is None or pss <= pss_goal)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    met = True
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        for terms in args.terms:
            met &= measure(terms, args.requests, Path(tmp))
    print(f"\nevery goal {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
