"""The one place where exceptions become responses: ``{"error": {...}}`` and a status."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from glossary.errors import GlossaryError


def error_body(status: int, code: str, message: str, details: dict | None = None):
    body = {"status": status, "code": code, "message": message, "details": details or {}}
    return jsonify(error=body), status


def register(app: Flask) -> None:
    @app.errorhandler(GlossaryError)
    def _glossary_error(error: GlossaryError):
        return error_body(error.status, error.code, str(error), getattr(error, "details", None))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        return error_body(error.code or 500, code, error.description or error.name)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return error_body(500, "internal_error", "the server failed to answer; this is logged")
