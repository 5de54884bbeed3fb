"""PDF reports -> text: the text layer, and what pypdf said about the file.

    >>> text, said = read_pdf(Path("moved.pdf").read_bytes(), Path("moved.pdf"))  # doctest: +SKIP
    >>> said                                                                      # doctest: +SKIP
    ['pypdf: incorrect startxref pointer(1)', 'pypdf: parsing for Object Streams']

pypdf reports the damage it works around through logging and ``warnings``. Left
alone, those messages reach stderr as bare lines ("EOF marker not found") that name
no file; here they are collected while one file is read and go with that file: into
the reason it is unreadable, or into ``Report.warnings`` when it could be read.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

from glossary.harvest.decode import UnreadableReport

__all__ = ["read_pdf"]


def read_pdf(raw: bytes, path: Path) -> tuple[str, list[str]]:
    """The text layer, and what pypdf said about the file while reading it."""
    with _pypdf_messages() as said:
        try:
            return _pdf_text(raw, path), _noted(said)
        except UnreadableReport as error:
            raise UnreadableReport(path, "; ".join([error.reason, *_noted(said)])) from None


def _pdf_text(raw: bytes, path: Path) -> str:
    import pypdf  # here, not at the top: only PDFs need it, and it is slow to import

    if b"%PDF-" not in raw[:1024]:
        raise UnreadableReport(path, "not a PDF (no %PDF- header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableReport(path, "PDF is encrypted (password needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableReport:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise UnreadableReport(
            path, f"not a readable PDF ({type(error).__name__}: {error})"
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableReport(path, "PDF has no text layer (scanned?)")
    return text


class _Collected(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextlib.contextmanager
def _pypdf_messages() -> Iterator[list[str]]:
    """Collect what pypdf logs (logger "pypdf") and warns (``PdfReadWarning``) meanwhile.

    Logging and warnings are process-wide, so this holds while each process reads
    one file at a time, as the harvest does (``-j`` gives each file to one process).
    """
    from pypdf.errors import PdfReadWarning

    said: list[str] = []
    logger = logging.getLogger("pypdf")
    handler, propagate = _Collected(said), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", PdfReadWarning)  # each file says its own
            show = warnings.showwarning

            def keep(message, category, *args, **kwargs):
                if issubclass(category, PdfReadWarning):
                    said.append(str(message))
                else:  # a deprecation is about our code, not the file
                    show(message, category, *args, **kwargs)

            warnings.showwarning = keep
            yield said
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _noted(said: list[str], limit: int = 5) -> list[str]:
    """Distinct messages, each on one line, at most ``limit`` of them."""
    lines = list(dict.fromkeys(" ".join(message.split()) for message in said))
    more = [f"pypdf: ... and {len(lines) - limit} more"] if len(lines) > limit else []
    return [f"pypdf: {line}" for line in lines[:limit]] + more
