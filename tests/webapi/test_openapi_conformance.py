"""The API against its own OpenAPI document: every schemathesis check on every operation.

``schema.parametrize()`` runs schemathesis' phases on each operation: the document's
examples, coverage (boundaries such as ``maxLength``, and values the document forbids),
and fuzzing with data that fits the document and data that does not. Every response
goes through every registered check: no 5xx, status codes, content types, headers and
bodies as documented, valid data accepted, invalid data refused, and the rest.
"""

from __future__ import annotations

import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, is_check_class, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api import create_app
from glossary.changes import BadSince, instant, is_version
from glossary.query import MAX_QUERY, QueryError, understand
from tests.conftest import SAMPLE, SHIPPED_GLOSSARY

EXAMPLES = 25  # per operation and phase: the whole module runs in well under a minute

load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if not is_check_class(check)]

app = create_app(
    {"GLOSSARY_FILE": str(SHIPPED_GLOSSARY), "GLOSSARY_INDEX_DIR": tempfile.mkdtemp("-openapi")}
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_contract(case):
    if folds_to_nothing(case):
        # JSON Schema cannot say "a character that survives folding" (its patterns have
        # no Unicode categories), so q=%05 or q=“” fits the document yet is the 400 that
        # q's description announces: checked here instead of by positive_data_acceptance.
        checks = [check for check in ALL_CHECKS if check is not positive_data_acceptance]
        response = case.call_and_validate(checks=checks)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_query"
    elif no_real_time(case):
        checks = [check for check in ALL_CHECKS if check is not positive_data_acceptance]
        response = case.call_and_validate(checks=checks)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_parameter"
    else:
        case.call_and_validate(checks=ALL_CHECKS)


def no_real_time(case) -> bool:
    """A since the document allows (data meant to fit it) that is no real time: a pattern
    cannot rule out 2026-13-45, so its 400 is checked here."""
    since = (case.query or {}).get("since")
    if case.path != "/api/v1/changes" or not isinstance(since, str) or is_version(since):
        return False
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return False
    try:
        instant(since)
    except BadSince:
        return True
    return False


def folds_to_nothing(case) -> bool:
    """A q the document allows (data meant to fit it) that the core cannot read."""
    q = (case.query or {}).get("q")
    if case.path not in ("/api/v1/search", "/api/v1/suggest") or not isinstance(q, str):
        return False
    if case.meta is None or not case.meta.generation.mode.is_positive or len(q) > MAX_QUERY:
        return False  # a q too long for the core must be one the document forbids
    try:
        understand(q)
    except QueryError:
        return True
    return False


def test_every_check_and_operation_is_in_the_run():
    names = {check.__name__ for check in ALL_CHECKS}
    assert {"not_a_server_error", "positive_data_acceptance", "negative_data_rejection"} <= names
    assert {"response_schema_conformance", "status_code_conformance"} <= names
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(operations) == len(schema.raw_schema["paths"]) == 15


def test_the_document_is_openapi_3_1_and_lists_every_endpoint():
    spec = schema.raw_schema
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/search", "/api/v1/annotate", "/api/v1/terms/{term_id}"} <= set(spec["paths"])


def test_the_301_of_a_merged_term_is_within_the_contract(tmp_path):
    # The shipped glossary redirects no id, so fuzzing never meets the 301: ask for one.
    path = tmp_path / "terms.yaml"
    path.write_text(SAMPLE + "redirects:\n  san-ge-qu-fen: san-ge-qu-fen-kai-lai\n", "utf-8")
    merged = create_app({"GLOSSARY_FILE": str(path), "GLOSSARY_INDEX_DIR": str(tmp_path / "ix")})
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", merged)[
        "/api/v1/terms/{term_id}"
    ]["GET"]
    response = operation.Case(path_parameters={"term_id": "san-ge-qu-fen"}).call_and_validate(
        checks=ALL_CHECKS
    )
    assert response.status_code == 301
