"""Headers every response carries, whichever blueprint (or error handler) made it.

- ``X-Content-Type-Options: nosniff`` everywhere: a JSON body quoting a definition is
  never run as a script or rendered as HTML by a browser that guesses types.
- A ``Content-Security-Policy`` on every HTML response (pages, API docs, the widget
  demo, error pages): the pages load nothing from elsewhere and run no inline script,
  so a hostile definition could not run one even if escaping ever failed.
"""

from __future__ import annotations

from flask import Flask, Response

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)


def register(app: Flask) -> None:
    app.after_request(_security_headers)


def _security_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    return response
