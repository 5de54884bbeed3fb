"""Server time of the browser glossary's pages on the shipped glossary.

    python bench/pages.py [--rounds 50]

Renders every kind of page in-process (Flask's test client: routing, view, Jinja,
response; no network), ``--rounds`` times each, and prints the median, p95 and worst
time per page, and the median as a ratio to a no-op endpoint measured in the same run
(the fixed cost of a Flask request on this machine). Search pages are measured twice:
the same query again (answers come from the search cache) and a query never asked
before in the process (a full search per render). Goal: every page < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api import create_app, snapshot  # noqa: E402
from glossary import config  # noqa: E402

GOAL_MS = 50.0
# Queries of every kind the search box takes; each is asked once per round, fresh.
FRESH = ["sgqfkl", "sangequfenkailai", "三個區分開來", "531", "1+3+N", "体系", "决策共谋",
         "xinzhi", "fàng guǎn fú", "lvyou", "sangequfenkailia", "zzzzqq"]  # fmt: skip


def biggest(app) -> dict[str, str]:
    """The heaviest page of each kind: most sources, most terms, largest letter."""
    with app.app_context():
        state = snapshot()
        catalog, glossary = state.catalog, state.glossary
        term = max(glossary.terms, key=lambda t: sum(len(s.sources) for s in t.senses))
        document = max(glossary.documents, key=lambda d: len(catalog.citing(d.id).defines))
        letters = catalog.letters()
        place = next(iter(catalog.counts()["locality"]))
    return {
        "home": "/",
        f"letter /index/{max(letters, key=letters.get)}": f"/index/{max(letters, key=letters.get)}",
        "search (cached)": "/search?q=sgqfkl",
        "search, filtered (cached)": "/search?q=体系&status=candidate",
        "term /terms/san-ge-qu-fen-kai-lai": "/terms/san-ge-qu-fen-kai-lai",
        f"term, most sources ({term.id})": f"/terms/{term.id}",
        "term, pending": "/terms/1310-gong-zuo-ti-xi",
        f"document ({document.id})": f"/documents/{document.id}",
        "locality (most terms)": f"/localities/{place}",
        "404 page": "/terms/no-such-term",
    }


def timed(client, path: str, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 404), (path, response.status_code)
    return times


def fresh_searches(client, rounds: int) -> list[float]:
    """Each render runs a full search: the search cache is emptied before every query."""
    times = []
    for _ in range(rounds):
        for query in FRESH:
            with client.application.app_context():
                snapshot().search.search.cache_clear()
            start = time.perf_counter()
            client.get("/search", query_string={"q": query})
            times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, times: list[float], noop: float) -> str:
    times = sorted(times)
    median = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    flag = "ok" if times[-1] < GOAL_MS else "SLOW"
    return f"{name:<48} {median:7.2f} {p95:7.2f} {times[-1]:7.2f} {median / noop:7.1f}x  {flag}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"GLOSSARY_FILE": str(config.glossary_file()), "GLOSSARY_INDEX_DIR": tmp})
        app.add_url_rule("/bench-noop", "bench_noop", lambda: "")
        client = app.test_client()
        pages = biggest(app)
        load = os.getloadavg()[0]
        print(f"{config.glossary_file()}; load average {load:.1f} on {os.cpu_count()} CPUs")
        for path in [*pages.values(), "/bench-noop"]:
            client.get(path)  # warm: templates compiled, searcher open
        noop = statistics.median(timed(client, "/bench-noop", args.rounds * 4))
        print(f"server time per page, {args.rounds} renders each, ms (goal < {GOAL_MS:.0f})")
        print(f"{'page':<48} {'median':>7} {'p95':>7} {'max':>7} {'/no-op':>8}")
        print(row("no-op endpoint (baseline)", [noop], noop))
        for name, path in pages.items():
            print(row(name, timed(client, path, args.rounds), noop))
        print(row(f"search, fresh query ({len(FRESH)} kinds)", fresh_searches(client, 5), noop))


if __name__ == "__main__":
    main()
