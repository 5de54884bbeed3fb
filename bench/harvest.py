"""Harvest throughput: one process vs two, and harvest vs plain read+decode.

    python bench/harvest.py [--files 1000] [--rounds 3] [--shared ../shared]
    python bench/harvest.py --provinces        # the 26 provincial reports (--rounds 9)

Builds a synthetic corpus of report-sized files from the shared reports (paragraphs
reshuffled, a third of the files GB18030-encoded), or takes the 26 complete 2026
provincial reports of ``shared/provinces-2026``, then times, in the same run:

- read+decode of every file (the baseline: what any reader must do),
- harvest with --jobs 1 and --jobs 2.

Figures are printed as MB/s and as ratios, since absolute times on shared machines
are not stable. Goals: jobs 2 / jobs 1 >= 1.7, and jobs 1 >= 0.1 x read+decode.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from glossary.harvest import harvest_paths, iter_report_paths  # noqa: E402
from glossary.harvest.read import read_report  # noqa: E402


def source_texts(shared: Path) -> list[str]:
    files = sorted(shared.glob("seeds/*.txt")) + sorted(shared.glob("corpus/*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def make_corpus(directory: Path, count: int, texts: list[str]) -> int:
    """Write ``count`` report-sized files; returns their total size in bytes."""
    rng = random.Random(20241224)
    total = 0
    for n in range(count):
        base = texts[n % len(texts)]
        paragraphs = base.split("\n")
        # Keep the head (title, locality) and the tail (名词解释) where reports have them.
        middle = paragraphs[5:-40]
        rng.shuffle(middle)
        body = "\n".join(paragraphs[:5] + middle + paragraphs[-40:])
        encoding = "gb18030" if n % 3 == 0 else "utf-8"
        raw = body.encode(encoding, errors="replace")
        (directory / f"report-{n:05d}.txt").write_bytes(raw)
        total += len(raw)
        if (n + 1) % 250 == 0:
            print(f"  corpus: {n + 1}/{count} files", file=sys.stderr)
    return total


def timed(label: str, work) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.2f} s", file=sys.stderr)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    # The 26 reports take well under a second a round: more rounds, a steadier best.
    parser.add_argument("--rounds", type=int, help="3, or 9 with --provinces")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--provinces", action="store_true", help="the 26 provincial reports")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="harvest-bench-") as tmp:
        if args.provinces:
            files = sorted((args.shared / "provinces-2026").glob("*.txt"))
            size = sum(f.stat().st_size for f in files)
        else:
            size = make_corpus(Path(tmp), args.files, source_texts(args.shared))
            files = list(iter_report_paths([tmp]))
        megabytes = size / 1e6

        def read_all() -> None:
            for path in files:
                read_report(path)

        def harvest(jobs: int):
            def run() -> None:
                results = list(harvest_paths(files, jobs=jobs))
                assert not [r for r in results if r.error], "bench files must all be readable"

            return run

        # Warm up (dictionaries, converters) so neither run pays the one-off loads.
        list(harvest_paths(files[:1]))
        read_all()
        # Best of a few alternating rounds: the least disturbed run of each.
        read_s, one_s, two_s = (min(runs) for runs in zip(*[
            (timed("read+decode", read_all),
             timed("harvest --jobs 1", harvest(1)),
             timed("harvest --jobs 2", harvest(2)))
            for _ in range(args.rounds or (9 if args.provinces else 3))
        ], strict=True))  # fmt: skip

    print(f"corpus: {len(files)} files, {megabytes:.1f} MB")
    # Two processes can only go twice as fast on two idle cores: say how idle they were.
    print("load average: {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    print(f"read+decode      {megabytes / read_s:8.2f} MB/s  (baseline)")
    print(f"harvest --jobs 1 {megabytes / one_s:8.2f} MB/s  = {read_s / one_s:.3f} x baseline")
    print(f"harvest --jobs 2 {megabytes / two_s:8.2f} MB/s  = {read_s / two_s:.3f} x baseline")
    print(f"speed-up jobs 2 / jobs 1: {one_s / two_s:.2f} x  (goal >= 1.7)")
    print(f"jobs 1 / read+decode: {read_s / one_s:.3f} x  (goal >= 0.1)")


if __name__ == "__main__":
    main()
