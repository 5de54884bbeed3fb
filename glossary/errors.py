"""One family of errors that users can act on.

Every error the core raises on purpose is a ``GlossaryError``; the CLI prints its
message without a traceback, and the web layer turns it into a JSON or HTML error.
"""

from __future__ import annotations

from dataclasses import dataclass


class GlossaryError(Exception):
    """Base of every error the glossary package raises on purpose."""

    status = 400
    code = "glossary_error"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a glossary file: where it is and what is wrong."""

    path: str  # field path such as ``terms[3].status``
    message: str
    line: int | None = None  # 1-based

    def describe(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class GlossaryFileError(GlossaryError):
    """A glossary file that cannot be read, parsed or validated.

    ``str(error)`` names the file, the line and the field of every problem::

        data/terms.yaml:41: terms[3].status: must be one of candidate, reviewed, deprecated
    """

    code = "invalid_glossary"

    def __init__(self, filename: str, problems: list[Problem]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(p.describe(filename) for p in problems))


class NotFound(GlossaryError):
    status = 404
    code = "not_found"
