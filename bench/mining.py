"""Mining on real reports: precision on a seeded random sample of proposals judged by
hand, and recall on the quoted spans of report openings judged by hand.

    python bench/mining.py draw --seed 2026 --out tests/harvest/fixtures/mining_provinces_x.yaml
    python bench/mining.py score tests/harvest/fixtures/mining_provinces_*.yaml [--rev REV]
    python bench/mining.py openings --seed 2026 --out tests/harvest/fixtures/mining_openings.yaml
    python bench/mining.py recall tests/harvest/fixtures/mining_openings.yaml [--rev REV]
    python bench/mining.py list [--shared ../shared]

``draw`` mines the 26 provincial reports of 2026 (``../shared/provinces-2026``), takes every
proposal the merge would accept (score at or above ``merge``'s ``min_score``), and writes a
seeded random sample of them as YAML with an empty ``verdict`` for a person to fill in
(``jargon`` or ``not``, with a one-line ``reason``). The same seed on the same code and
reports draws the same sample. ``score`` prints the precision of judged samples, and how
many of their items the current miner still proposes (jargon kept, false hits gone).
``openings`` writes every distinct quoted span in the first ``OPENING`` characters of a
seeded sample of the provincial reports, for a person to judge (``jargon`` or ``not``);
``recall`` prints the share of the spans judged jargon that the miner proposes, as the
span, with a head, or part by part for a list. ``--rev`` runs the miner of another
revision (``git show REV:glossary/harvest/mining.py``) instead, for a before/after in one
run. ``list`` prints every proposal, one per line, for reading.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import random
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from glossary.harvest import merge, mining  # noqa: E402
from glossary.harvest.read import read_report  # noqa: E402
from glossary.text import fold_chars, key  # noqa: E402

SAMPLE_SIZE = 100
CONTEXT = 30  # characters of the quote kept on each side of the term
OPENING = 3000  # characters of a report's opening whose quoted spans are judged
OPENING_REPORTS = 6


@dataclass
class Proposal:
    report: str
    term: str
    score: float
    quote: str


def min_score() -> float:
    """The score a finding needs to be merged: read from merge itself, so they agree."""
    return inspect.signature(merge.merge).parameters["min_score"].default


def reports(shared: Path) -> list[Path]:
    return sorted((shared / "provinces-2026").glob("*.txt"))


def miner_at(rev: str | None):
    """The mining module of revision ``rev`` (None: the one in the work tree)."""
    if rev is None:
        return mining
    source = subprocess.run(
        ["git", "show", f"{rev}:glossary/harvest/mining.py"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path = Path(tempfile.mkdtemp()) / f"mining_{rev}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"mining_{rev}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def proposals(shared: Path, miner=mining) -> list[Proposal]:
    """Every proposal the merge would accept, report by report, in text order."""
    threshold = min_score()
    found = []
    for path in reports(shared):
        entries = [e for e in miner.mine(read_report(path).text) if e.score >= threshold]
        for entry in sorted(entries, key=lambda e: e.start):
            found.append(Proposal(path.name, entry.term, entry.score, _excerpt(entry)))
    return found


def _excerpt(entry) -> str:
    """The quote around the term, cut to ``CONTEXT`` characters on each side."""
    at = entry.quote.find(entry.term)
    if at < 0:  # folded spellings: the term is in the quote, but not byte for byte
        return entry.quote[: 2 * CONTEXT + len(entry.term)]
    begin, end = max(0, at - CONTEXT), at + len(entry.term) + CONTEXT
    return ("…" if begin else "") + entry.quote[begin:end] + ("…" if end < len(entry.quote) else "")


def draw(shared: Path, seed: int, size: int = SAMPLE_SIZE) -> list[Proposal]:
    """A seeded random sample of ``proposals``: same seed, code and reports, same sample."""
    population = proposals(shared)
    return random.Random(seed).sample(population, min(size, len(population)))


def write_sample(path: Path, seed: int, sample: list[Proposal]) -> None:
    items = [
        {"term": p.term, "report": p.report, "score": p.score, "quote": p.quote,
         "verdict": "", "reason": ""}
        for p in sample
    ]  # fmt: skip
    header = (
        f"# Drawn by: python bench/mining.py draw --seed {seed}\n"
        f"# from proposals with score >= {min_score()} in ../shared/provinces-2026.\n"
        "# verdict: jargon (a reader of a government report would look it up in a glossary\n"
        "# of policy jargon) or not (ordinary words, places, projects, slogans of praise, cuts).\n"
    )
    body = yaml.safe_dump(
        {"seed": seed, "sample": items}, allow_unicode=True, sort_keys=False, width=1000
    )
    path.write_text(header + body, encoding="utf-8")


def score(path: Path, shared: Path, miner=mining) -> None:
    """Precision of a judged sample, and what the miner makes of its items now."""
    sample = yaml.safe_load(path.read_text(encoding="utf-8"))["sample"]
    judged = [item for item in sample if item["verdict"] in ("jargon", "not")]
    right = sum(item["verdict"] == "jargon" for item in judged)
    now = {(p.report, key(p.term)) for p in proposals(shared, miner)}
    kept = [i for i in judged if i["verdict"] == "jargon" and (i["report"], key(i["term"])) in now]
    stayed = [i for i in judged if i["verdict"] == "not" and (i["report"], key(i["term"])) in now]
    print(f"{path.name}: precision {right}/{len(judged)} = {right / max(1, len(judged)):.2f}")
    print(f"  jargon still proposed now: {len(kept)}/{right}")
    print(f"  false hits still proposed now: {len(stayed)}/{len(judged) - right}")
    for item in stayed:
        print(f"    {item['term']}  ({item['report']}: {item['reason']})")
    lost = [i for i in judged if i["verdict"] == "jargon" and i not in kept]
    for item in lost:
        print(f"  lost jargon: {item['term']}  ({item['report']})")


def openings(shared: Path, seed: int) -> list[dict]:
    """The distinct quoted spans of the openings of a seeded sample of reports."""
    picked = sorted(random.Random(seed).sample(reports(shared), OPENING_REPORTS))
    spans = []
    for path in picked:
        text = read_report(path).text[:OPENING]
        folded = fold_chars(text)
        seen = set()
        for opened, closed in mining.quoted_spans(text, folded):
            span = text[opened : closed + 1]
            if key(span) not in seen:
                seen.add(key(span))
                spans.append({"span": span, "report": path.name, "verdict": "", "reason": ""})
    return spans


def found(label: str, proposed: set[str]) -> bool:
    """Whether a quoted span is proposed: as itself, with a head (“1310”工作体系), or, for
    a list, every part of it."""
    whole = key(label)
    if any(k == whole or k.startswith(whole) for k in proposed):
        return True
    parts = [p for p in re.split(r"[、·\s]", whole) if p]
    return len(parts) > 1 and all(found(p, proposed) for p in parts)


def recall(path: Path, shared: Path, miner=mining) -> None:
    """The share of the spans judged jargon that the miner proposes."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jargon = [item for item in data["spans"] if item["verdict"] == "jargon"]
    threshold = min_score()
    by_report = {}
    for name in sorted({item["report"] for item in jargon}):
        text = read_report(shared / "provinces-2026" / name).text
        by_report[name] = {key(e.term) for e in miner.mine(text) if e.score >= threshold}
    missed = [i for i in jargon if not found(i["span"], by_report[i["report"]])]
    hits = len(jargon) - len(missed)
    print(f"{path.name}: recall {hits}/{len(jargon)} = {hits / max(1, len(jargon)):.2f}")
    for item in missed:
        print(f"  missed: {item['span']}  ({item['report']})")


def write_openings(path: Path, seed: int, spans: list[dict]) -> None:
    header = (
        f"# Drawn by: python bench/mining.py openings --seed {seed}: the distinct quoted spans\n"
        f"# of the first {OPENING} characters of {OPENING_REPORTS} reports of\n"
        "# ../shared/provinces-2026. verdict: jargon (a reader would look it up in a glossary\n"
        "# of policy jargon) or not (slogans, praise, titles, places, ordinary words).\n"
    )
    body = yaml.safe_dump(
        {"seed": seed, "spans": spans}, allow_unicode=True, sort_keys=False, width=1000
    )
    path.write_text(header + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["draw", "score", "openings", "recall", "list"])
    parser.add_argument("samples", nargs="*", type=Path, help="judged samples, for score")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--size", type=int, default=SAMPLE_SIZE)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--rev", help="run the miner of this git revision instead")
    args = parser.parse_args()
    miner = miner_at(args.rev)
    if args.command == "draw":
        sample = draw(args.shared, args.seed, args.size)
        if args.out:
            write_sample(args.out, args.seed, sample)
        else:
            for p in sample:
                print(f"{p.score:.2f}\t{p.term}\t{p.report}\t{p.quote}")
    elif args.command == "score":
        for path in args.samples:
            score(path, args.shared, miner)
    elif args.command == "openings":
        write_openings(args.out, args.seed, openings(args.shared, args.seed))
    elif args.command == "recall":
        for path in args.samples:
            recall(path, args.shared, miner)
    else:
        for p in proposals(args.shared, miner):
            print(f"{p.score:.2f}\t{p.term}\t{p.report}\t{p.quote}")


if __name__ == "__main__":
    main()
