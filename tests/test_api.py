from __future__ import annotations

import pytest

from api import create_app
from glossary.errors import GlossaryFileError


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
        create_app({"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(sample_file.parent)})


def test_default_app_serves_the_shipped_glossary(tmp_path):
    from glossary.store import load
    from tests.conftest import SHIPPED_GLOSSARY

    client = create_app({"GLOSSARY_INDEX_DIR": str(tmp_path / "index")}).test_client()
    assert client.get("/healthz").json["terms"] == len(load(SHIPPED_GLOSSARY).terms)
