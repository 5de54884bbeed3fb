"""The one place where exceptions become responses.

Under ``/api`` (and ``/healthz``) every error is JSON of one shape::

    {"error": {"status": 400, "code": "invalid_parameter", "message": "...", "details": {...}}}

elsewhere it is an HTML page in the site's look (``templates/error.html``). Nothing
ever shows a traceback.
"""

from __future__ import annotations

import json
import re

from flask import Flask, Response, render_template, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from glossary.errors import GlossaryError


def error_response(
    status: int, code: str, message: str, details: dict | None = None, as_json: bool | None = None
) -> Response:
    """JSON under ``/api`` and ``/healthz``, else HTML; ``as_json`` decides for other paths
    (the review pages answer JSON to scripts that ask for it)."""
    if as_json is None:
        as_json = request.path.startswith("/api/") or request.path == "/healthz"
    if as_json:
        body = {"status": status, "code": code, "message": message, "details": details or {}}
        payload = json.dumps({"error": body}, ensure_ascii=False)
        if not payload.isascii() and _SURROGATE.search(payload):
            # A message quoting what was sent may hold lone surrogates: escape, never crash.
            payload = json.dumps({"error": body})
        return Response(payload, status, mimetype="application/json")
    return Response(error_page(status, message), status, mimetype="text/html")


_SURROGATE = re.compile("[\ud800-\udfff]")
HEADINGS = {
    400: "请求有误", 401: "需要登录", 404: "找不到这一页", 405: "不支持这种请求",
    413: "内容太大", 429: "尝试次数过多", 503: "暂时无法服务",
}  # fmt: skip


def error_page(status: int, message: str) -> str:
    heading = HEADINGS.get(status, "服务器出错" if status >= 500 else "无法完成请求")
    try:
        return render_template("error.html", status=status, heading=heading, message=message)
    except Exception:
        # The error may come from the templates themselves: answer plainly then.
        return (
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{status}</title>'
            f'<h1>{status}</h1><p>{escape(message)}</p><p><a href="/">术语表首页</a></p></html>'
        )


def register(app: Flask) -> None:
    @app.errorhandler(GlossaryError)
    def _glossary_error(error: GlossaryError):
        response = error_response(
            error.status, error.code, str(error), getattr(error, "details", None)
        )
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        response = error_response(error.code or 500, code, error.description or error.name)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "the server failed to answer; this is logged")
