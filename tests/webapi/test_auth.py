"""Curators' login, sessions, CSRF and throttling on the web (api/auth.py).

The browser here talks https, as browsers reach the service through nginx, and sends the
Referer a browser sends when it posts a form of this site.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Blueprint

from api import create_app
from api.auth import current_curator, login_required
from glossary.accounts import Curators
from glossary.config import SettingError

SITE = "https://localhost"
LOGIN = "/review/login"
PASSWORD = "一句够长的口令 2024"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

# A review page of the tests' own: the review blueprint is written elsewhere.
protected = Blueprint("protected", __name__)


@protected.get("/review/secret")
@login_required
def secret():
    return {"curator": current_curator()}


def make_app(tmp_path: Path, sample_file: Path, **config):
    app = create_app(
        {
            "GLOSSARY_FILE": str(sample_file),
            "GLOSSARY_INDEX_DIR": str(tmp_path / "index"),
            "GLOSSARY_INSTANCE_DIR": str(tmp_path / "instance"),
            **config,
        }
    )
    app.register_blueprint(protected)
    # The app's own, but hashing at cheap parameters: a test logs in many times.
    app.extensions["curators"] = Curators(tmp_path / "instance", hasher=CHEAP)
    return app


@pytest.fixture
def app(tmp_path, sample_file, monkeypatch):
    for name in ("GLOSSARY_SECRET_KEY", "GLOSSARY_COOKIE_SECURE", "GLOSSARY_INSTANCE_DIR"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(tmp_path, sample_file)
    Curators(tmp_path / "instance", hasher=CHEAP).add("李明", PASSWORD)
    return app


class Browser:
    """A test client that browses the site over https, posting forms as a browser does."""

    def __init__(self, app, address: str = "127.0.0.1", base: str = SITE):
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address
        self.base = base

    def get(self, path: str, **kwargs):
        return self.client.get(path, base_url=self.base, **kwargs)

    def post(self, path: str, data=None, referrer: str | None = None, **kwargs):
        headers = {"Referer": referrer or f"{self.base}{LOGIN}", **kwargs.pop("headers", {})}
        return self.client.post(path, base_url=self.base, data=data, headers=headers, **kwargs)

    def token(self, path: str = LOGIN) -> str:
        page = self.get(path).get_data(as_text=True)
        return TOKEN.search(page).group(1)

    def login(self, name: str = "李明", password: str = PASSWORD, **fields):
        form = {"csrf_token": self.token(), "name": name, "password": password, **fields}
        return self.post(LOGIN, form)

    def logout(self, token: str | None = None):
        return self.post("/review/logout", {"csrf_token": token or self.token()})

    def session_cookie(self):
        return self.client.get_cookie("glossary_session", path="/review")


def page(response) -> str:
    return response.get_data(as_text=True)


# --- the guard of review pages ---------------------------------------------------------------


def test_a_review_page_sends_a_visitor_to_the_login_and_back(app):
    response = Browser(app).get("/review/secret?term=1310")
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == LOGIN
    assert parse_qs(location.query) == {"next": ["/review/secret?term=1310"]}


@pytest.mark.parametrize(
    "request_kwargs",
    [{"headers": {"Accept": "application/json"}}, {"json": {}}],
    ids=["accept-json", "json-body"],
)
def test_a_script_gets_a_json_401_in_the_error_shape(app, request_kwargs):
    response = Browser(app).get("/review/secret", **request_kwargs)
    assert response.status_code == 401
    error = response.json["error"]
    assert (error["status"], error["code"]) == (401, "login_required")
    assert error["details"] == {"login": LOGIN}


def test_a_browser_that_takes_anything_is_still_sent_to_the_login(app):
    response = Browser(app).get("/review/secret", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 302


def test_the_login_page_is_an_accessible_form_that_posts_to_itself(app):
    response = Browser(app).get(LOGIN)
    body = page(response)
    assert response.status_code == 200
    assert '<label for="login-name">用户名</label>' in body
    assert '<label for="login-password">密码</label>' in body
    assert 'id="login-password" name="password" type="password"' in body
    assert f'action="{LOGIN}"' in body and ">登录</button>" in body
    assert "<script>" not in body  # every script has a src: the policy allows no other
    assert "form-action 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_a_curator_logs_in_and_reaches_review_pages(app):
    browser = Browser(app)
    response = browser.login()
    assert response.status_code == 302 and response.location == "/review/"
    assert browser.get("/review/secret").json == {"curator": "李明"}
    assert "你已以 <strong>李明</strong> 的身份登录" in page(browser.get(LOGIN))


def test_the_session_cookie_is_secure_httponly_lax_and_for_review_pages_only(app):
    cookie = Browser(app).login().headers["Set-Cookie"]
    assert cookie.startswith("glossary_session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/review" in cookie and "Expires=" in cookie


def test_glossary_cookie_secure_0_lets_the_cookie_go_over_http(tmp_path, sample_file, monkeypatch):
    monkeypatch.setenv("GLOSSARY_COOKIE_SECURE", "0")
    app = make_app(tmp_path, sample_file)
    Curators(tmp_path / "instance", hasher=CHEAP).add("李明", PASSWORD)
    browser = Browser(app, base="http://localhost")
    cookie = browser.login().headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie
    assert browser.get("/review/secret").json == {"curator": "李明"}


def test_a_bad_glossary_cookie_secure_stops_the_app(tmp_path, sample_file, monkeypatch):
    monkeypatch.setenv("GLOSSARY_COOKIE_SECURE", "maybe")
    with pytest.raises(SettingError, match="GLOSSARY_COOKIE_SECURE='maybe'"):
        make_app(tmp_path, sample_file)


def test_instance_dir_and_secret_key_come_from_the_environment(tmp_path, sample_file, monkeypatch):
    monkeypatch.setenv("GLOSSARY_INSTANCE_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("GLOSSARY_SECRET_KEY", "s" * 40)
    app = create_app(
        {"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(tmp_path / "index")}
    )
    assert app.config["GLOSSARY_INSTANCE_DIR"] == str(tmp_path / "from-env")
    assert app.secret_key == "s" * 40
    assert app.extensions["curators"].path == tmp_path / "from-env" / "curators.sqlite3"


def test_without_glossary_secret_key_the_instance_dir_keeps_one_for_every_app(app, tmp_path):
    key = (tmp_path / "instance" / "secret_key").read_text().strip()
    assert app.secret_key == key
    assert make_app(tmp_path, Path(app.config["GLOSSARY_FILE"])).secret_key == key


# --- failed logins ---------------------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_name_get_the_same_401(app):
    wrong, unknown = Browser(app), Browser(app)
    responses = (wrong.login(password="not the password"), unknown.login(name="王芳"))
    for response in responses:
        assert response.status_code == 401
        assert "用户名或密码不正确。" in page(response)
        assert 'role="alert"' in page(response) and 'aria-invalid="true"' in page(response)
    tokenless = [TOKEN.sub("", page(r)) for r in responses]
    assert tokenless[0].replace("李明", "王芳") == tokenless[1]
    assert wrong.get("/review/secret").status_code == 302


def test_an_empty_form_is_a_400_not_a_failed_login(app):
    browser = Browser(app)
    response = browser.login(name="", password="")
    assert response.status_code == 400 and "请填写用户名和密码" in page(response)


def test_a_hostile_name_is_shown_escaped(app):
    response = Browser(app).login(name="<script>alert(1)</script>")
    assert response.status_code == 401
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(response)
    assert "<script>alert(1)" not in page(response)


def test_a_hundred_wrong_passwords_in_a_row_are_throttled(app, caplog):
    caplog.set_level(logging.WARNING, logger="glossary.accounts")
    browser = Browser(app)
    token = browser.token()
    statuses, waits = [], []
    for n in range(100):
        form = {"csrf_token": token, "name": "李明", "password": f"guess number {n}"}
        response = browser.post(LOGIN, form)
        statuses.append(response.status_code)
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
    assert statuses == [401] * 5 + [429] * 95
    assert all(0 < wait <= 30 for wait in waits)
    last = browser.post(LOGIN, {"csrf_token": token, "name": "李明", "password": PASSWORD})
    assert last.status_code == 429  # even the right password waits
    assert "登录失败次数过多" in page(last)
    refusals = [r.getMessage() for r in caplog.records if "throttled" in r.getMessage()]
    assert len(refusals) == 96 and "'李明'" in refusals[0] and "127.0.0.1" in refusals[0]
    assert "guess number" not in caplog.text


def test_behind_nginx_each_forwarded_address_has_its_own_count(app):
    attacker = Browser(app)  # the peer is nginx, 127.0.0.1
    for n in range(5):
        forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.66"}  # nginx added the last
        form = {"csrf_token": attacker.token(), "name": f"guess{n}", "password": "x" * 12}
        assert attacker.post(LOGIN, form, headers=forwarded).status_code == 401
    form = {"csrf_token": attacker.token(), "name": "李明", "password": PASSWORD}
    assert attacker.post(LOGIN, form, headers=forwarded).status_code == 429
    colleague = {"X-Forwarded-For": "203.0.113.7"}
    assert attacker.post(LOGIN, form, headers=colleague).status_code == 302


def test_a_client_that_is_not_the_proxy_cannot_pick_its_address(app):
    attacker = Browser(app, address="198.51.100.9")
    token = attacker.token()
    statuses = []
    for n in range(6):
        form = {"csrf_token": token, "name": f"guess{n}", "password": "x" * 12}
        statuses.append(attacker.post(LOGIN, form, headers={"X-Forwarded-For": f"10.0.0.{n}"}))
    assert [r.status_code for r in statuses] == [401] * 5 + [429]


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "forged.token.value"])
def test_a_login_without_the_forms_csrf_token_is_refused(app, token):
    browser = Browser(app)
    browser.token()  # the visitor has a session with a token, but does not send it
    form = {"name": "李明", "password": PASSWORD}
    if token is not None:
        form["csrf_token"] = token
    response = browser.post(LOGIN, form)
    assert response.status_code == 400
    assert response.mimetype == "text/html" and "表单已失效" in page(response)
    assert browser.get("/review/secret").status_code == 302


def test_a_login_posted_from_another_site_is_refused(app):
    browser = Browser(app)
    form = {"csrf_token": browser.token(), "name": "李明", "password": PASSWORD}
    response = browser.post(LOGIN, form, referrer="https://evil.test/login")
    assert response.status_code == 400
    assert browser.get("/review/secret").status_code == 302


def test_a_json_request_without_a_token_gets_a_json_400(app):
    response = Browser(app).post("/review/logout", json={})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"
    assert "X-CSRFToken" in response.json["error"]["message"]


def test_logout_needs_the_token_then_ends_the_session(app):
    browser = Browser(app)
    browser.login()
    assert browser.post("/review/logout", {}).status_code == 400
    assert browser.get("/review/secret").status_code == 200  # still logged in
    response = browser.logout()
    assert response.status_code == 302 and response.location == "/"
    assert browser.session_cookie() is None
    assert browser.get("/review/secret").status_code == 302


def test_logout_by_get_is_not_possible(app):
    browser = Browser(app)
    browser.login()
    assert browser.get("/review/logout").status_code == 405
    assert browser.get("/review/secret").status_code == 200


def test_nothing_from_before_the_login_survives_it(app):
    browser = Browser(app)
    old_token = browser.token()
    with browser.client.session_transaction("/review/", base_url=SITE) as session:
        session["planted"] = "by an attacker"
    browser.login()
    with browser.client.session_transaction("/review/", base_url=SITE) as session:
        assert set(session) <= {"curator", "token", "_permanent"}
    assert browser.logout(token=old_token).status_code == 400


# --- where a login leads -------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["https://evil.test/", "//evil.test", "//evil.test/review/", "/\\evil.test", "\\\\evil.test",
     "javascript:alert(1)", "/review\t/x", "https:/review/", "/terms/1310", "/reviewer"],
)  # fmt: skip
def test_next_never_leads_off_the_review_pages(app, target):
    browser = Browser(app)
    assert f'value="{target}"' not in page(browser.get(LOGIN, query_string={"next": target}))
    response = browser.login(next=target)
    assert response.status_code == 302 and response.location == "/review/"


def test_next_leads_back_to_the_review_page_asked_for(app):
    response = Browser(app).login(next="/review/secret?term=1310")
    assert response.location == "/review/secret?term=1310"


# --- sessions that end -----------------------------------------------------------------------


def test_a_removed_curator_is_logged_out(app, tmp_path):
    browser = Browser(app)
    browser.login()
    Curators(tmp_path / "instance").remove("李明")
    assert browser.get("/review/secret").status_code == 302
    Curators(tmp_path / "instance", hasher=CHEAP).add("李明", PASSWORD)  # the same name again
    assert browser.get("/review/secret").status_code == 302


def test_a_session_ends_twelve_hours_after_the_login(app, tmp_path):
    browser = Browser(app)
    browser.login()
    assert browser.get("/review/secret").status_code == 200
    # The login time is kept with the accounts, not in the cookie: move it back there.
    with sqlite3.connect(tmp_path / "instance" / "curators.sqlite3") as db:
        db.execute("UPDATE sessions SET started = started - ?", (12 * 3600 + 1,))
    assert browser.get("/review/secret").status_code == 302


def test_logout_ends_the_session_for_every_copy_of_the_cookie(app):
    browser = Browser(app)
    browser.login()
    thief = Browser(app)
    thief.client.set_cookie(
        "glossary_session", browser.session_cookie().value, domain="localhost", path="/review"
    )
    assert thief.get("/review/secret").status_code == 200  # a copy works while it lasts
    assert browser.logout().status_code == 302
    assert thief.get("/review/secret").status_code == 302


def test_a_session_cookie_signed_with_another_key_is_not_believed(app, tmp_path, sample_file):
    browser = Browser(app)
    browser.login()
    stolen = browser.session_cookie().value
    other = make_app(tmp_path, sample_file, SECRET_KEY="o" * 40)
    intruder = Browser(other)
    intruder.client.set_cookie("glossary_session", stolen, path="/review")
    assert intruder.get("/review/secret").status_code == 302


# --- the public site stays as it was -------------------------------------------------------

PUBLIC = ["/", "/terms/san-ge-qu-fen-kai-lai", "/search?q=sgqfkl", "/no-such-page",
          "/api/v1/stats", "/api/v1/terms/san-ge-qu-fen-kai-lai",
          "/api/v1/search?q=sgqfkl"]  # fmt: skip


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_set_no_cookie_and_look_the_same_to_a_curator(app, path):
    visitor, curator = Browser(app), Browser(app)
    curator.login()
    seen, seen_by_curator = visitor.get(path), curator.get(path)
    for response in (seen, seen_by_curator):
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        assert "csrf" not in page(response)
    assert seen_by_curator.get_data() == seen.get_data()
    assert seen_by_curator.headers.get("Cache-Control") == seen.headers.get("Cache-Control")


def test_annotate_takes_posts_without_a_csrf_token(app):
    response = Browser(app).post("/api/v1/annotate", json={"text": "坚持“三个区分开来”"})
    assert response.status_code == 200
    assert [span["id"] for span in response.json["spans"]] == ["san-ge-qu-fen-kai-lai"]
    assert "Set-Cookie" not in response.headers
