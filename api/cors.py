"""Cross-origin use: pages on other sites may call the read endpoints and /annotate.

``GLOSSARY_CORS_ORIGINS`` is ``*`` (any origin, the default) or a comma-separated
allow-list such as ``https://news.example.com,https://gov.example.cn``.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Content-Type, If-None-Match"
EXPOSED_HEADERS = "ETag, Link"


def register(app: Flask) -> None:
    app.after_request(_cors_headers)


def _allowed_origin(origin: str) -> str | None:
    setting = str(current_app.config.get("GLOSSARY_CORS_ORIGINS", "*")).strip()
    if setting == "*":
        return "*"
    allowed = {o.strip().rstrip("/") for o in setting.split(",") if o.strip()}
    return origin if origin.rstrip("/") in allowed else None


def _cors_headers(response: Response) -> Response:
    if not (request.path.startswith("/api/") or request.path == "/widget.js"):
        return response
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    allowed = _allowed_origin(origin) if origin else None
    if allowed is None:
        return response
    response.headers["Access-Control-Allow-Origin"] = allowed
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
