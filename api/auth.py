"""Curators' login: ``/review/login``, ``/review/logout``, and the guard of review pages.

    @blueprint.get("/review/")
    @login_required
    def queue():
        return render_template("queue.html", curator=current_curator())

A session is a signed cookie (``glossary_session``: Secure unless
``GLOSSARY_COOKIE_SECURE=0``, HttpOnly, SameSite=Lax, and for paths under ``/review``
only) with the curator's name and a random session token that the accounts keep; it
ends at logout (for every copy of the cookie), 12 h after the login, or when the
account is removed. Every form posts a CSRF token (Flask-WTF, set up
in ``create_app``): ``{{ csrf_token() }}`` in a hidden ``csrf_token`` field, or an
``X-CSRFToken`` header from scripts. Public pages never see or set the cookie.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError

from api.errors import error_response
from glossary.accounts import Curators, Throttled

blueprint = Blueprint("auth", __name__)

REVIEW_HOME = "/review/"
# nginx on this machine (deploy/nginx.conf): the only peer whose X-Forwarded-For is believed.
TRUSTED_PROXIES = frozenset({"127.0.0.1", "::1"})


@blueprint.after_request
def never_stored(response: Response) -> Response:
    # A page with a CSRF token or a curator's name in it is for this browser, this once.
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/review/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return login_page(target)
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    if not name or not password:
        return login_page(target, name, "请填写用户名和密码。"), 400
    try:
        accepted = curators().verify(name, password, client_address())
    except Throttled as error:
        problem = f"登录失败次数过多，请 {error.retry_after} 秒后再试。"
        return login_page(target, name, problem), 429, {"Retry-After": str(error.retry_after)}
    if not accepted:
        # The same words for an unknown name and a wrong password: no hint which it was.
        return login_page(target, name, "用户名或密码不正确。"), 401
    start_session(name)
    return redirect(target)


@blueprint.post("/review/logout")
def logout():
    curators().close_session(session.get("token"))
    session.clear()
    return redirect(url_for("pages.home"))


def login_page(target: str, name: str = "", problem: str | None = None) -> str:
    curator = current_curator()
    return render_template("login.html", next=target, name=name, problem=problem, curator=curator)


def start_session(name: str) -> None:
    # Nothing from before the login carries over (no session fixation): not the form's
    # CSRF token, not whatever else the old cookie held.
    session.clear()
    session["curator"] = name  # for the log and the page; the token is what counts
    session["token"] = curators().open_session(name)
    session.permanent = True


# --- for the review pages ------------------------------------------------------------------


def current_curator() -> str | None:
    """The curator logged in on this request, or None: no session, a session over 12 h
    old, or one whose account was removed (or removed and added again) since."""
    if "auth_curator" not in g:
        g.auth_curator = _session_curator()
    return g.auth_curator


def _session_curator() -> str | None:
    # The token, looked up in the accounts: a session ends at logout (for every copy of
    # the cookie), 12 h after the login, or when the account is removed.
    name = curators().session_curator(session.get("token"))
    if name is None and "token" in session:  # over: forget it, but keep a form's CSRF token
        session.pop("token")
        session.pop("curator", None)
    return name


def login_required(view: Callable) -> Callable:
    """Only a logged-in curator gets ``view``: browsers go to the login page and come
    back, scripts get a JSON 401."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if current_curator() is not None:
            return view(*args, **kwargs)
        login = url_for("auth.login")
        if wants_json():
            message = f"log in first at {login}"
            return error_response(401, "login_required", message, {"login": login}, as_json=True)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    return guarded


def wants_json() -> bool:
    """A script rather than a browser: it sent JSON, or prefers JSON to HTML."""
    accept = request.accept_mimetypes
    return request.is_json or accept["application/json"] > accept["text/html"]


@blueprint.app_errorhandler(CSRFError)
def refused_form(error: CSRFError) -> Response:
    if not request.is_secure and current_app.config["SESSION_COOKIE_SECURE"]:
        current_app.logger.warning(
            "form refused on plain http: browsers keep the Secure session cookie for https "
            "only; set GLOSSARY_COOKIE_SECURE=0 to serve curators over http"
        )
    if wants_json():
        message = f"CSRF check failed: {error.description} Send the csrf_token of the form "
        message += "(a form field, or the X-CSRFToken header)."
        return error_response(400, "csrf_failed", message, as_json=True)
    message = "表单已失效（在页面上停留过久，或来自别的网站），请回到上一页刷新后重新提交。"
    return error_response(400, "csrf_failed", message)


# --- helpers of the above --------------------------------------------------------------------


def curators() -> Curators:
    return current_app.extensions["curators"]


def safe_next(target: str | None) -> str:
    """``target`` if it is a review page of this site, else the review home: anything
    else would let a link send a curator, just logged in, to any site (open redirect)."""
    if not target or any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return REVIEW_HOME  # browsers read a backslash as "/" and drop tabs and newlines
    parts = urlsplit(target)
    in_review = parts.path == "/review" or parts.path.startswith("/review/")
    return target if in_review and not (parts.scheme or parts.netloc) else REVIEW_HOME


def client_address() -> str:
    """Where a login attempt came from. Behind nginx the peer is always 127.0.0.1, and
    the last address of X-Forwarded-For (the one nginx adds) is the client's; from any
    other peer the header is ignored, since a client can write any address in it."""
    peer = request.remote_addr or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
    return forwarded if peer in TRUSTED_PROXIES and forwarded else peer
