"""Start-up time of the ``glossary`` command, against ``python -c "import click"``.

    python bench/cli.py [--runs 7]

Runs each command as users do (the installed ``glossary`` script beside this Python,
as a subprocess, output thrown away), ``--runs`` times in turn, and prints the best
time of each in ms and as a ratio to the floor measured in the same run: a Python that
imports click and nothing else, the least any click command can cost. The commands
take turns, so a busy moment of the machine slows all of them alike. Bytecode is
cached as for any user (in a temporary directory, even under PYTHONDONTWRITEBYTECODE):
compiling the project's modules at every start is not what an installed command does.

Goals: ``glossary --help`` within 2x the floor, ``glossary pinyin 三个区分开来``
within 3x; ``check`` and ``stats`` on data/terms.yaml have no fixed goal (they must
read and validate the file) and are reported for comparison.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = Path(sys.executable).parent / "glossary"  # installed by pyproject.toml
SHIPPED = str(REPO / "data" / "terms.yaml")

FLOOR = "import click"
COMMANDS: dict[str, list[str]] = {
    FLOOR: [sys.executable, "-c", "import click"],
    "--help": [str(GLOSSARY), "--help"],
    "pinyin 三个区分开来": [str(GLOSSARY), "pinyin", "三个区分开来"],
    "check data/terms.yaml": [str(GLOSSARY), "check", SHIPPED],
    "stats data/terms.yaml": [str(GLOSSARY), "stats", SHIPPED],
}
GOALS = {"--help": 2.0, "pinyin 三个区分开来": 3.0}


def run_once(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one run in ms; a failing command stops the benchmark."""
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def best_times(runs: int) -> dict[str, float]:
    best = dict.fromkeys(COMMANDS, float("inf"))
    with tempfile.TemporaryDirectory() as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        for command in COMMANDS.values():
            run_once(command, env)  # compiles and caches what the command imports
        for _ in range(runs):
            for name, command in COMMANDS.items():
                best[name] = min(best[name], run_once(command, env))
    return best


def report(best: dict[str, float]) -> bool:
    """Print one line per command; True when every goal is met."""
    floor = best[FLOOR]
    met = True
    for name, ms in best.items():
        ratio = ms / floor
        goal = GOALS.get(name)
        if goal is None:
            verdict = "(floor)" if name == FLOOR else "(no fixed goal)"
        else:
            ok = ratio <= goal
            met &= ok
            verdict = f"goal <= {goal:.0f}x: {'met' if ok else 'NOT met'}"
        print(f"{_padded(name, 24)} {ms:8.1f} ms  {ratio:5.2f}x  {verdict}")
    return met


def _padded(name: str, width: int) -> str:
    # Chinese characters take two columns in a terminal.
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in name)
    return name + " " * max(0, width - len(name) - wide)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (best kept)")
    args = parser.parse_args()
    print(f"best of {args.runs} runs, ratios against python -c {FLOOR!r}")
    met = report(best_times(args.runs))
    print("all goals met" if met else "goals NOT met")


if __name__ == "__main__":
    main()
