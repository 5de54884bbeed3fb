from __future__ import annotations

import json

import pytest

from api import create_app
from api.rest import Answers
from glossary import store
from glossary.errors import GlossaryFileError
from glossary.search import Search


@pytest.fixture
def client(sample_file, tmp_path):
    config = {"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(tmp_path / "index")}
    return create_app(config).test_client()


def test_healthz_reports_the_number_of_terms_loaded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "terms": 3, "documents": 1}


def test_unknown_route_is_a_json_error(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404
    assert response.json["error"]["code"] == "not_found"


def test_app_refuses_to_start_on_a_broken_glossary(sample_file):
    sample_file.write_text("terms: [", encoding="utf-8")
    with pytest.raises(GlossaryFileError):
        create_app(
            {"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(sample_file.parent)}
        )


def test_default_app_serves_the_shipped_glossary(tmp_path):
    from glossary.store import load
    from tests.conftest import SHIPPED_GLOSSARY

    client = create_app({"GLOSSARY_INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert client.get("/healthz").json["terms"] == len(load(SHIPPED_GLOSSARY).terms)


def test_search_answers_with_ranked_results_and_why(client):
    response = client.get("/api/v1/search", query_string={"q": "sgqfkl"})
    assert response.status_code == 200
    body = response.json
    assert body["query"] == "sgqfkl" and body["total"] >= 1
    first = body["results"][0]
    assert set(first) == {
        "id", "term", "pinyin", "definition", "status", "scope", "matched", "score", "highlights"
    }  # fmt: skip
    assert (first["id"], first["pinyin"], first["matched"]) == (
        "san-ge-qu-fen-kai-lai", "sān gè qū fēn kāi lái", "initials"
    )  # fmt: skip
    assert "三个区分开来" in response.get_data(as_text=True)  # no ASCII escaping


def test_search_filters_and_limit(client):
    body = client.get("/api/v1/search?q=理念&status=candidate").json
    assert body["results"] == []
    assert len(client.get("/api/v1/search?q=s&limit=1").json["results"]) <= 1


@pytest.mark.parametrize(
    "query",
    [{}, {"q": ""}, {"q": "   "}, {"q": "x", "limit": "0"}, {"q": "x", "limit": "101"},
     {"q": "x", "limit": "ten"}, {"q": "x", "status": "approved"}, {"q": "三" * 500}],
)  # fmt: skip
def test_bad_search_parameters_get_a_400_json_error(client, query):
    response = client.get("/api/v1/search", query_string=query)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["status"] == 400 and error["code"] in ("invalid_parameter", "invalid_query")
    assert error["message"]


@pytest.mark.parametrize(
    "raw",
    ["q=AND%20(", "q=%22unbalanced", "q=%00%01", "q=%ED%A0%80", "q=%F0%9F%98%80",
     "q=title:*", "q=" + "a" * 10_000, "q=%E4%B8%89%2A%3F"],
)  # fmt: skip
def test_hostile_queries_never_cause_a_server_error(client, raw):
    response = client.get(f"/api/v1/search?{raw}")
    assert response.status_code in (200, 400)
    assert response.is_json


def test_suggest_completes_while_typing(client):
    body = client.get("/api/v1/suggest?q=sgq").json
    assert body == {
        "query": "sgq",
        "suggestions": [
            {
                "id": "san-ge-qu-fen-kai-lai",
                "term": "三个区分开来",
                "pinyin": "sān gè qū fēn kāi lái",
            }
        ],
        "definition_hits": 0,
    }
    assert client.get("/api/v1/suggest").status_code == 400


def test_a_repeated_search_is_answered_alike_until_the_glossary_changes(sample_file, tmp_path):
    config = {
        "GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(tmp_path / "index"),
        "GLOSSARY_CHECK_INTERVAL": 0,
    }  # fmt: skip
    client = create_app(config).test_client()
    first = client.get("/api/v1/search?q=wugong")
    assert client.get("/api/v1/search?q=wugong").data == first.data
    assert first.json["results"][0]["definition"].startswith("决策共谋")
    edited = sample_file.read_text(encoding="utf-8").replace(
        "definition: 决策共谋、", "definition: 共谋决策、"
    )
    sample_file.write_text(edited, encoding="utf-8")
    again = client.get("/api/v1/search?q=wugong").json
    assert again["results"][0]["definition"].startswith("共谋决策")
    assert client.get("/api/v1/suggest?q=wug").json["suggestions"][0]["id"] == "wu-gong-li-nian"


def test_stored_answers_are_bounded_per_engine():
    answers, engine = Answers(size=2), object.__new__(Search)
    for path in ("/a", "/b", "/c"):
        answers.get(engine, path, lambda path=path: path.upper())
    assert answers.get(engine, "/a", lambda: "fresh") == "fresh"  # the oldest made room
    assert answers.get(engine, "/c", lambda: "fresh") == "/C"


def test_answers_kept_zero_keeps_no_answer(monkeypatch, sample_file, tmp_path):
    answers, engine = Answers(size=0), object.__new__(Search)
    assert answers.get(engine, "/a", lambda: "one") == "one"
    assert answers.get(engine, "/a", lambda: "two") == "two"
    monkeypatch.setenv("GLOSSARY_ANSWERS_KEPT", "0")
    search = Search(store.load(sample_file), tmp_path / "index")
    search.search("sgqfkl", 10)
    search.search("sgqfkl", 10)
    assert search.search.cache_info().hits == 0 and search.search.cache_info().misses == 2


def test_a_bad_query_is_not_stored(client):
    assert client.get("/api/v1/search?q=wugong&limit=0").status_code == 400
    assert client.get("/api/v1/search?q=wugong&limit=0").status_code == 400


# Settings as users give them: environment variables read by create_app().


@pytest.fixture
def environment(monkeypatch, sample_file, tmp_path):
    monkeypatch.setenv("GLOSSARY_FILE", str(sample_file))
    monkeypatch.setenv("GLOSSARY_INDEX_DIR", str(tmp_path / "env-index"))
    return monkeypatch


def test_glossary_file_and_index_dir_come_from_the_environment(environment, tmp_path):
    client = create_app().test_client()
    assert client.get("/healthz").json["terms"] == 3
    assert any((tmp_path / "env-index").iterdir())


def test_cors_allow_list_from_the_environment_refuses_other_origins(environment):
    environment.setenv("GLOSSARY_CORS_ORIGINS", "https://news.example.com")
    client = create_app().test_client()
    evil = client.get("/api/v1/stats", headers={"Origin": "http://evil.test"})
    assert "Access-Control-Allow-Origin" not in evil.headers
    allowed = client.get("/api/v1/stats", headers={"Origin": "https://news.example.com"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://news.example.com"


def test_check_interval_from_the_environment_decides_when_edits_are_seen(environment, sample_file):
    environment.setenv("GLOSSARY_CHECK_INTERVAL", "3600")
    patient = create_app().test_client()
    environment.setenv("GLOSSARY_CHECK_INTERVAL", "0")
    eager = create_app().test_client()
    sample_file.write_text(
        sample_file.read_text(encoding="utf-8").replace("三个区分开来", "四个区分开来"),
        encoding="utf-8",
    )
    assert patient.get("/api/v1/terms/san-ge-qu-fen-kai-lai").json["term"] == "三个区分开来"
    assert eager.get("/api/v1/terms/san-ge-qu-fen-kai-lai").json["term"] == "四个区分开来"


def test_an_error_quoting_a_lone_surrogate_is_answered_escaped(client):
    from api.errors import error_response

    with client.application.test_request_context("/api/v1/annotate"):
        response = error_response(400, "invalid_parameter", "unknown field '\ud800x'")
    assert response.status_code == 400
    assert json.loads(response.get_data())["error"]["message"] == "unknown field '\ud800x'"
