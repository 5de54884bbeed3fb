"""Hostile bodies for POST /api/v1/annotate: every one gets an answer of the API's error
shape (or a 200), none a 5xx, none a silently shortened text, none unbounded work."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.annotate import MAX_SPANS
from tests.conftest import SHIPPED_GLOSSARY
from tests.server import gunicorn

ANNOTATE = "/api/v1/annotate"
LIMIT = 2 * 1024 * 1024  # MAX_CONTENT_LENGTH of create_app
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


@pytest.fixture
def client(api):
    return api


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert set(error) == {"status", "code", "message", "details"} and error["status"] == status
    if code is not None:
        assert error["code"] == code
    return error


# --- bodies that are not {"text": string, "locality"?: string} ---------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_text_is_a_400_not_a_500(client, depth):
    body = '{"text": ' + "[" * depth + "]" * depth + "}"
    response = client.post(ANNOTATE, data=body, content_type="application/json")
    assert_error(response, 400)


def test_a_deeply_nested_top_level_array_is_a_400(client):
    body = "[" * 100_000 + "]" * 100_000
    assert_error(client.post(ANNOTATE, data=body, content_type="application/json"), 400)


@pytest.mark.parametrize("body", ['"双减"', "3", "null", "true", "[]", '[{"text": "双减"}]'])
def test_a_body_that_is_not_an_object_says_what_to_send(client, body):
    response = client.post(ANNOTATE, data=body, content_type="application/json")
    error = assert_error(response, 400, "invalid_parameter")
    assert '{"text"' in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"text": 3}', "text"),
        ('{"text": null}', "text"),
        ('{"text": ["双减"]}', "text"),
        ('{"text": {"text": "双减"}}', "text"),
        ('{"text": "双减", "locality": 3}', "locality"),
        ('{"locality": "江岸区"}', "text"),
    ],
)
def test_fields_of_the_wrong_type_are_named(client, body, field):
    response = client.post(ANNOTATE, data=body, content_type="application/json")
    assert field in assert_error(response, 400, "invalid_parameter")["details"]


def test_an_unknown_field_is_refused_by_name(client):
    # A misspelt "localty" would otherwise be dropped in silence and change the definitions.
    response = client.post(ANNOTATE, json={"text": "双减", "localty": "江岸区"})
    assert "localty" in assert_error(response, 400, "invalid_parameter")["details"]


def test_an_unknown_field_named_with_a_lone_surrogate_is_named_escaped(client):
    body = '{"text": "双减", "\\ud800": 1}'  # valid JSON; the name is not UTF-8
    response = client.post(ANNOTATE, data=body, content_type="application/json")
    assert "\\ud800" in assert_error(response, 400, "invalid_parameter")["details"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_json_are_malformed(client, constant):
    body = f'{{"text": "双减", "locality": {constant}}}'
    response = client.post(ANNOTATE, data=body, content_type="application/json")
    assert_error(response, 400, "malformed_json")


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_bytes_that_are_not_utf8_are_a_400_naming_the_offset(client, content_type):
    text = "落实双减".encode()
    body = (
        b'{"text": "' + text + b'\xff"}' if content_type == "application/json" else text + b"\xff"
    )
    response = client.post(ANNOTATE, data=body, content_type=content_type)
    error = assert_error(response, 400, "invalid_utf8")
    assert "UTF-8" in error["message"] and str(body.index(b"\xff")) in error["message"]


def test_a_declared_charset_other_than_utf8_is_unsupported(client):
    body = "落实双减".encode("gb18030")
    response = client.post(ANNOTATE, data=body, content_type="text/plain; charset=gb18030")
    assert "UTF-8" in assert_error(response, 415, "unsupported_media_type")["message"]


def test_utf8_declared_in_any_spelling_is_read(client):
    for content_type in ("text/plain; charset=UTF-8", "text/plain;charset=utf8", "text/plain"):
        response = client.post(ANNOTATE, data="落实双减".encode(), content_type=content_type)
        assert response.status_code == 200 and response.json["spans"][0]["matched_text"] == "双减"


# Any text, lone surrogates included: JSON can carry them as \ud800 escapes.
TEXTS = st.text(st.characters(exclude_categories=()))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=20,
)
BODIES = (
    JSON_VALUES
    | st.fixed_dictionaries({"text": JSON_VALUES})
    | st.fixed_dictionaries({"text": TEXTS}, optional={"locality": JSON_VALUES})
    | st.dictionaries(st.sampled_from(["text", "locality", "Text", ""]), JSON_VALUES)
)


@given(body=BODIES)
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_json_body_is_annotated_or_refused_with_a_400(shipped_app, body):
    response = shipped_app.test_client().post(
        ANNOTATE, data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 400:
        assert set(response.json["error"]) == {"status", "code", "message", "details"}
    else:
        assert isinstance(body, dict) and isinstance(body["text"], str)


@given(
    body=st.binary(max_size=64), content_type=st.sampled_from(["application/json", "text/plain"])
)
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_bytes_are_annotated_or_refused_with_a_400(shipped_app, body, content_type):
    response = shipped_app.test_client().post(ANNOTATE, data=body, content_type=content_type)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]


# --- the cost of one answer is bounded -------------------------------------------------


def test_a_text_with_more_matches_than_max_spans_is_answered_truncated_and_fast(client):
    text = "双减" * (LIMIT // 6)  # 2 MB of one term: 349,525 matches
    start = time.perf_counter()
    response = client.post(ANNOTATE, data=text.encode(), content_type="text/plain")
    seconds = time.perf_counter() - start
    body = response.json
    assert response.status_code == 200 and body["truncated"] is True
    assert len(body["spans"]) == MAX_SPANS
    assert body["spans"][-1] == {
        "start": 2 * MAX_SPANS - 2, "end": 2 * MAX_SPANS, "start16": 2 * MAX_SPANS - 2,
        "end16": 2 * MAX_SPANS, "id": "shuang-jian", "term": "双减", "matched_text": "双减",
    }  # fmt: skip
    assert seconds < 3, f"{seconds:.1f} s for one answer"  # 11.9 s before the cap


def test_a_text_with_max_spans_matches_is_answered_whole(client):
    response = client.post(ANNOTATE, json={"text": "双减，" * MAX_SPANS})
    assert len(response.json["spans"]) == MAX_SPANS and response.json["truncated"] is False


# --- the real server: chunked bodies ---------------------------------------------------


# The configured worker, and gunicorn's two whatever gunicorn.conf.py names (a sync worker
# with more than one thread would be a gthread one).
WORKERS = {
    "configured": None,
    "sync": "--worker-class sync --threads 1",
    "gthread": "--worker-class gthread --threads 4",
}


@pytest.fixture(scope="module", params=list(WORKERS))
def server(request, tmp_path_factory) -> Iterator[str]:
    """gunicorn with the repository's config, under each worker class."""
    work = tmp_path_factory.mktemp(f"annotate-{request.param}")
    with pytest.MonkeyPatch.context() as env:
        if WORKERS[request.param] is None:
            env.delenv("GUNICORN_CMD_ARGS", raising=False)
        else:
            env.setenv("GUNICORN_CMD_ARGS", WORKERS[request.param])
        with gunicorn(SHIPPED_GLOSSARY, work / "index", work / "gunicorn.log") as base:
            yield base


def post_chunked(base: str, body: bytes) -> tuple[int, dict]:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
        headers = {**PLAIN, "Transfer-Encoding": "chunked"}
        connection.request("POST", ANNOTATE, body=chunks, headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_a_chunked_body_over_the_limit_is_refused_not_cut(server):
    status, body = post_chunked(server, ("落实双减。" * 200_000).encode())  # 3 MB
    assert status == 413, f"{status}: {len(body.get('spans', []))} spans of a cut text"
    assert body["error"]["code"] == "request_entity_too_large"


def test_a_chunked_body_of_exactly_the_limit_is_annotated_whole(server):
    head = "落实双减。".encode()
    body = head + b"x" * (LIMIT - len(head) - len("双减".encode())) + "双减".encode()
    assert len(body) == LIMIT
    status, answer = post_chunked(server, body)
    assert status == 200
    assert [s["start"] for s in answer["spans"]] == [2, len(body.decode()) - 2]
