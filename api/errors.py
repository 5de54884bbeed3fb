"""The one place where exceptions become responses.

Under ``/api`` (and ``/healthz``) every error is JSON of one shape::

    {"error": {"status": 400, "code": "invalid_parameter", "message": "...", "details": {...}}}

elsewhere it is an HTML page in the site's look (``templates/error.html``), in the
site's language: a Chinese message given by whoever raised the error is shown as it
is; an English one (werkzeug's descriptions, the core's messages for API clients)
gives way to the Chinese explanation of its status. Nothing ever shows a traceback.
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
_HAN = re.compile("[\u3400-\u9fff]")
HEADINGS = {
    400: "请求有误", 401: "需要登录", 403: "无权访问", 404: "找不到这一页",
    405: "不支持这种请求", 413: "内容太大", 415: "不支持这种内容", 429: "尝试次数过多",
    500: "服务器出错", 503: "暂时无法服务",
}  # fmt: skip
EXPLANATIONS = {
    400: "请求的地址或提交的内容有误，无法处理。",
    401: "这一页需要登录后才能查看。",
    403: "没有查看这一页的权限。",
    404: "这个地址没有对应的页面：链接可能有误，或者页面已经不在了。",
    405: "这个地址不接受这种请求方式。",
    413: "提交的内容超过了服务器接受的大小。",
    415: "服务器不接受所提交内容的格式。",
    429: "短时间内的请求太多，请稍等片刻再试。",
    500: "服务器处理请求时出了错，错误已记录。请稍后再试。",
    503: "服务暂时不可用，请稍后再试。",
}


def explained(status: int, message: str) -> str:
    """What the page says: ``message`` if it is Chinese (written for this site's
    readers), else the Chinese explanation of ``status``."""
    if _HAN.search(message):
        return message
    fallback = "服务器出错，请稍后再试。" if status >= 500 else "无法完成这个请求。"
    return EXPLANATIONS.get(status, fallback)


def error_page(status: int, message: str) -> str:
    heading = HEADINGS.get(status, "服务器出错" if status >= 500 else "无法完成请求")
    message = explained(status, message)
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
