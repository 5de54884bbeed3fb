"""Harvest jargon and its definitions from report files, with provenance.

    >>> from glossary.harvest import harvest_file
    >>> result = harvest_file("../shared/seeds/002_63741cc1e03311a7.txt")  # doctest: +SKIP
    >>> [f.term for f in result.findings if f.kind == "glossary"][:2]        # doctest: +SKIP
    ['经济运行“五个精准调度”机制', '“四上”企业']

A report goes through: read (any format, any encoding) -> describe (title, locality,
year) -> three finders over its text (名词解释 entries, inline definitions, mined usages)
-> ``Finding`` records. ``harvest_paths`` does many files, in parallel processes if
asked, and never lets one unreadable file stop the batch.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from glossary import places, text
from glossary.harvest import inline, meta, mining, sections
from glossary.harvest.read import UnreadableReport, iter_report_paths, read_report
from glossary.harvest.records import DocumentInfo, Entry, Finding
from glossary.text import fold_chars

__all__ = ["HarvestResult", "harvest_file", "harvest_paths", "iter_report_paths"]


@dataclass
class HarvestResult:
    """What one file gave: its document and findings, or why it could not be read."""

    path: str
    doc: DocumentInfo | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    size: int = 0  # characters of decoded text
    warnings: list[str] = field(default_factory=list)  # damage read around, e.g. in a PDF


def harvest_text(text: str) -> list[Entry]:
    """Every entry the three finders see in one decoded text."""
    # Folded and its quotes found once, for all three finders.
    folded = fold_chars(text)
    quoted = mining.quotes(text, folded)
    defined = sections.glossary_entries(text, folded)
    stated = inline.inline_definitions(text, folded, quoted)
    # A term named inside a 名词解释 entry is being defined there, not used.
    spans = [(e.start, e.end) for e in defined]
    mined = mining.mine(text, folded, quoted)
    used = [e for e in mined if not any(s <= e.start < t for s, t in spans)]
    return [*defined, *stated, *used]


def explain_file(path: str | os.PathLike, term: str | None = None) -> list[str]:
    """What the harvest finds in one report and why, one line each (``--explain``).

    With ``term``: only that term's findings, then every block that holds it and what
    the 名词解释 rules made of it, so a curator sees why it did, or did not, come out.
    """
    report = read_report(Path(path))
    entries = harvest_text(report.text)
    if term is not None:
        entries = [e for e in entries if text.key(e.term) == text.key(term)]
    lines = []
    for entry in entries:
        finding = Finding.of(entry, _NO_DOCUMENT)
        where = report.text.count("\n", 0, entry.start) + 1
        how = f"{finding.rule} ({finding.block})" if finding.block else finding.rule
        lines.append(f"{report.path}:{where}: {entry.kind} {entry.term} <- {how}")
    if term is not None:
        if not entries:
            lines.append(f"{report.path}: {term} is not found by any finder")
        lines += [f"{report.path}: {reason}" for reason in sections.why(report.text, term)]
    return lines


_WARM_UP = "推进“两重”建设，落实“三个区分开来”。\n\n名词解释\n1. 两重：重大战略。\n"
_NO_DOCUMENT = DocumentInfo(id="", title="", locality=None, year=None, path="")


def max_report_chars() -> int:
    """``$GLOSSARY_MAX_REPORT_CHARS``, else 5 million characters.

    The longest real reports run to about 100,000 characters; a text fifty times
    that is a dump or a concatenation, and would hold one worker for minutes.
    """
    value = os.environ.get("GLOSSARY_MAX_REPORT_CHARS", "")
    return int(value) if value.strip().isdigit() else 5_000_000


def harvest_file(path: str | os.PathLike, overrides: dict | None = None) -> HarvestResult:
    """Harvest one report; raises ``UnreadableReport`` when it cannot be read."""
    report = read_report(Path(path))
    limit = max_report_chars()
    if len(report.text) > limit:
        raise UnreadableReport(
            report.path,
            f"text has {len(report.text):,} characters, more than one report holds "
            f"(limit {limit:,}; set GLOSSARY_MAX_REPORT_CHARS to raise it, or split the file)",
        )
    doc = meta.describe(report, overrides)
    entries = harvest_text(report.text)
    terms = text.keys(entry.term for entry in entries)  # one OpenCC call, not one each
    findings = [Finding.of(entry, doc, term) for entry, term in zip(entries, terms, strict=True)]
    return HarvestResult(str(path), doc, findings, size=len(report.text), warnings=report.warnings)


def _harvest_safely(path: Path, overrides: dict | None) -> HarvestResult:
    try:
        return harvest_file(path, overrides)
    except UnreadableReport as error:
        return HarvestResult(str(path), error=error.reason)
    except Exception as error:  # one broken report must never abort a batch
        return HarvestResult(str(path), error=f"unexpected {type(error).__name__}: {error}")


def harvest_paths(
    files: list[Path], jobs: int = 1, overrides: dict | None = None
) -> Iterator[HarvestResult]:
    """Harvest ``files`` (see ``iter_report_paths``), yielding results in order.

    ``jobs`` > 1 spreads files over that many processes: this one and ``jobs - 1``
    forked workers, each taking the next file as it finishes one. Unreadable files
    come back as results with ``error`` set; the batch goes on.
    """
    work = partial(_harvest_safely, overrides=overrides)
    # Workers are forked, to share what this process has read: where a process cannot
    # fork (Windows), this one harvests alone.
    if jobs <= 1 or len(files) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(work, files)
        return
    # Read the dictionaries (jieba's word list, about 0.5 s) and the table of divisions
    # here, once: the workers forked below share them instead of each reading its own.
    harvest_text(_WARM_UP)
    places.resolve(_WARM_UP_PLACE)
    yield from _Shared(files, work, min(jobs, len(files)) - 1)


_WARM_UP_PLACE = "武汉市江岸区"


def _largest_first(files: list[Path], window: int) -> list[int]:
    """Indices of ``files``, each window of them ordered by size, largest first."""
    sizes = []
    for path in files:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:  # unreadable: it will say so, and quickly
            sizes.append(0)
    order = []
    for start in range(0, len(files), window):
        block = range(start, min(start + window, len(files)))
        order += sorted(block, key=lambda i: -sizes[i])
    return order


class _Shared:
    """A batch shared between this process and forked workers, results in file order.

    Every process takes the next file from one counter, so none waits while another
    has files left; this process harvests too, and between its own files yields what
    the workers sent (through a queue, which a worker never waits on). Within each
    window of files the largest are taken first, so that the batch does not end with
    one process on a long report while the others wait; a window is short, so results
    still come soon and few wait in memory to be yielded. A worker that dies (a crash
    in a PDF library, say) costs only the file it had taken, which comes back as an
    error.
    """

    def __init__(self, files: list[Path], work: Callable[[Path], HarvestResult], workers: int):
        context = multiprocessing.get_context("fork")
        self.files, self.work = files, work
        self.order = _largest_first(files, window=16 * (workers + 1))
        self.counter = context.Value("l", 0)  # the next place in ``order`` to take
        self.queue = context.Queue()
        self.done: dict[int, HarvestResult] = {}
        self.workers = [
            context.Process(target=self._serve, args=(n,), daemon=True) for n in range(workers)
        ]
        self.serving = set(range(workers))
        for worker in self.workers:
            worker.start()

    def __iter__(self) -> Iterator[HarvestResult]:
        try:
            at = 0
            while (taken := self._take()) is not None:
                self.done[taken] = self.work(self.files[taken])
                self._receive(block=False)
                while at in self.done:
                    yield self.done.pop(at)
                    at += 1
            while self.serving:
                self._receive(block=True)
                while at in self.done:
                    yield self.done.pop(at)
                    at += 1
            for missing in range(at, len(self.files)):  # taken by a worker that died
                yield self.done.pop(missing, None) or self._lost(missing)
        finally:
            # A worker that has said it is done needs no waiting for (its exit takes a
            # few ms); multiprocessing reaps it later. The others are stopped.
            for n in self.serving:
                self.workers[n].terminate()
                self.workers[n].join()
            self.queue.close()

    def _take(self) -> int | None:
        with self.counter.get_lock():
            taken = self.counter.value
            self.counter.value += 1
        return self.order[taken] if taken < len(self.order) else None

    def _serve(self, number: int) -> None:
        """A worker's life: harvest and send until no file is left, then say so."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for this process to handle
        while (taken := self._take()) is not None:
            self.queue.put((taken, self.work(self.files[taken])))
        self.queue.put((None, number))

    def _receive(self, block: bool) -> None:
        """Store what the workers have sent; with ``block``, wait for something first."""
        while True:
            exited = {n for n in self.serving if self.workers[n].exitcode is not None}
            try:
                taken, result = self.queue.get(block=block, timeout=1.0 if block else None)
            except queue.Empty:
                # Whatever a worker sent is queued before it exits: one that has exited
                # and said nothing more has died.
                self.serving -= exited
                if block and self.serving:
                    continue
                return
            if taken is None:
                self.serving.discard(result)
            else:
                self.done[taken] = result
            block = False  # then take what else has come, without waiting

    def _lost(self, taken: int) -> HarvestResult:
        codes = [w.exitcode for w in self.workers if w.exitcode]
        return HarvestResult(
            str(self.files[taken]), error=f"the worker process harvesting it died (exit {codes})"
        )
