"""Headers that every response carries (api/security.py)."""

from __future__ import annotations

import pytest

HTML = ["/", "/search?q=sgqfkl", "/terms/san-ge-qu-fen-kai-lai", "/widget/demo", "/api/docs",
        "/no-such-page", "/terms/no-such-term", "/index/Q"]  # fmt: skip
OTHER = ["/healthz", "/api/v1/stats", "/api/v1/nothing", "/api/v1/glossary.json", "/widget.js",
         "/static/site.css", "/api/v1/openapi.json", "/api/v1/search?q="]  # fmt: skip


@pytest.mark.parametrize("path", HTML + OTHER)
def test_every_response_forbids_type_sniffing(api, path):
    assert api.get(path).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", HTML)
def test_every_html_response_has_a_content_security_policy(api, path):
    response = api.get(path)
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_method_not_allowed_pages_carry_the_policy_too(api):
    response = api.delete("/terms/san-ge-qu-fen-kai-lai")
    assert response.status_code == 405
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("path", ["/widget/demo", "/api/docs"])
def test_pages_with_their_own_style_and_script_keep_none_inline(api, path):
    page = api.get(path).get_data(as_text=True)
    assert "<style" not in page
    assert "<script>" not in page  # every script has a src (JSON-LD data aside)
