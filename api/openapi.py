"""The OpenAPI 3.1 document of /api/v1, generated from ``api.schemas`` and ``api.params``.

Served at ``/api/v1/openapi.json``; ``/api/docs`` renders it as a page from local
assets only.
"""

from __future__ import annotations

import functools
import json

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, render_template

from api import params, schemas
from glossary import __version__

blueprint = Blueprint("openapi", __name__)

ERRORS = {
    "400": "invalid parameter or body",
    "404": "no such term or document",
    "413": "body too large",
    "415": "unsupported content type, or a charset other than UTF-8",
}
# Statuses that are not errors, listed with the errors of an operation.
OTHERS = {
    "301": {
        "description": "the term was merged into another: Location is its address",
        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
        "content": {"application/json": {"schema": schemas.MovedSchema}},
    },
}

# (path, method, summary, parameters schema, body schema, response schema, other statuses)
OPERATIONS = [
    ("/healthz", "get", "Health and number of terms loaded (for load balancers)", None, None,
     schemas.HealthSchema, []),
    ("/api/v1/healthz", "get", "The same health answer under the API's prefix", None, None,
     schemas.HealthSchema, []),
    ("/api/v1/terms", "get", "Terms, paged and filtered, in pinyin order", params.TermsParams,
     None, schemas.TermPageSchema, ["400"]),
    ("/api/v1/terms/{term_id}", "get", "One whole entry", None, None, schemas.TermSchema,
     ["301", "404"]),
    ("/api/v1/terms/lookup", "get", "Redirect to the entry of a headword or alias",
     params.LookupParams, None, None, ["400", "404"]),
    ("/api/v1/search", "get", "Search by characters, pinyin, initials or definition",
     params.SearchParams, None, schemas.SearchSchema, ["400"]),
    ("/api/v1/suggest", "get", "Complete what is being typed", params.SuggestParams, None,
     schemas.SuggestSchema, ["400"]),
    ("/api/v1/annotate", "post", "Find glossary terms in a text", None,
     schemas.AnnotateRequestSchema, schemas.AnnotateSchema, ["400", "413", "415"]),
    ("/api/v1/glossary.json", "get", "Compact glossary for the tooltip widget (ETag)", None,
     None, None, []),
    ("/api/v1/documents", "get", "Cited reports", None, None, schemas.DocumentListSchema, []),
    ("/api/v1/documents/{doc_id}", "get", "One report and the terms it defines and uses", None,
     None, schemas.DocumentSchema, ["404"]),
    ("/api/v1/stats", "get", "Counts by status, locality, category and letter", None, None,
     schemas.StatsSchema, []),
]  # fmt: skip


@functools.cache
def spec() -> dict:
    document = APISpec(
        title="Policy jargon glossary",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": "Read-only API over the curated glossary of Chinese policy jargon."},
    )
    document.components.schema("Error", schema=schemas.ErrorSchema)
    for path, method, summary, query, body, response, statuses in OPERATIONS:
        document.path(
            path=path,
            operations={method: _operation(summary, query, body, response, statuses, path)},
        )
    return document.to_dict()


def _operation(summary, query, body, response, statuses, path) -> dict:
    operation: dict = {"summary": summary, "responses": {}}
    parameters = [{"in": "query", "schema": query}] if query else []
    parameters += [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
        for name in ("term_id", "doc_id")
        if "{" + name + "}" in path
    ]
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": body},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    if response:
        operation["responses"]["200"] = {
            "description": "OK", "content": {"application/json": {"schema": response}}
        }  # fmt: skip
    elif path.endswith("lookup"):
        operation["responses"]["302"] = {
            "description": "Found: Location is the entry, /api/v1/terms/{id}",
            "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": schemas.FoundSchema}},
        }
    else:
        operation["responses"]["200"] = {"description": "OK", "content": {"application/json": {}}}
        operation["responses"]["304"] = {
            "description": "Not modified (If-None-Match, weak or strong, names the ETag)"
        }
    for status in statuses:
        operation["responses"][status] = OTHERS.get(status) or {
            "description": ERRORS[status],
            "content": {"application/json": {"schema": "Error"}},
        }
    return operation


@blueprint.get("/api/v1/openapi.json")
def openapi_json():
    return Response(json.dumps(spec(), ensure_ascii=False), mimetype="application/json")


@blueprint.get("/api/docs")
def docs():
    return render_template("api_docs.html", spec=spec())
