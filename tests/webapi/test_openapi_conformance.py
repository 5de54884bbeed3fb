"""The API against its own OpenAPI document: generated requests, no 5xx, valid responses."""

from __future__ import annotations

import functools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import create_app
from tests.conftest import SHIPPED_GLOSSARY

EXAMPLES = 30
# No 5xx, and every status, content type and body as the document says. (A query the
# schema allows but that folds to nothing, such as q=%05, is a documented 400.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@functools.cache
def api_schema():
    import tempfile

    index_dir = tempfile.mkdtemp(prefix="openapi-index-")
    app = create_app({"GLOSSARY_FILE": str(SHIPPED_GLOSSARY), "GLOSSARY_INDEX_DIR": index_dir})
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations():
    return {result.ok().label: result.ok() for result in api_schema().get_all_operations()}


@pytest.mark.parametrize("label", sorted(operations()))
def test_every_operation_answers_within_its_contract(label):
    operation = operations()[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


def test_the_document_is_openapi_3_1_and_lists_every_endpoint():
    spec = api_schema().raw_schema
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/search", "/api/v1/annotate", "/api/v1/terms/{term_id}"} <= set(spec["paths"])
