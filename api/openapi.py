"""The OpenAPI 3.1 document of /api/v1, generated from ``api.schemas`` and ``api.params``.

Served at ``/api/v1/openapi.json``; ``/api/docs`` renders it as a page of the site, in
its look and language, from local assets only: the page's own words are Chinese, the
document's summaries and descriptions are quoted as written (English, marked so), and
types read as people write them (``string | null``, ``Suggestion[]``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, render_template

from api import params, schemas
from api.linked import RDF_TYPES
from glossary import __version__
from glossary.downloads import DOWNLOADS

blueprint = Blueprint("openapi", __name__)

ERRORS = {
    "400": "invalid parameter or body",
    "404": "no such term, document or export format",
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
    ("/api/v1/changes", "get", "New, modified and deprecated terms, newest first, paged",
     params.ChangesParams, None, schemas.ChangesSchema, ["400", "404"]),
    ("/api/v1/export.{extension}", "get",
     "The whole glossary as SKOS (ttl, rdf, jsonld), TBX, CSV or JSON lines (ETag)",
     params.ExportParams, None, None, ["400", "404"]),
    ("/feed.atom", "get", "Atom feed of newly reviewed terms (ETag)", None, None, None, []),
]  # fmt: skip

# What the bodies without a JSON schema are, by path.
FILES = {
    "/api/v1/export.{extension}": [d.media_type.split(";")[0] for d in DOWNLOADS.values()],
    "/feed.atom": ["application/atom+xml"],
    "/api/v1/glossary.json": ["application/json"],
}
# A term in SKOS too, by content negotiation (Accept).
RDF = list(RDF_TYPES)


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
    if "{extension}" in path:
        parameters.append(
            {
                "in": "path",
                "name": "extension",
                "required": True,
                "schema": {"type": "string", "enum": list(DOWNLOADS)},
            }
        )
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
        if path == "/api/v1/terms/{term_id}":
            operation["responses"]["200"]["content"].update({media: {} for media in RDF})
    elif path.endswith("lookup"):
        operation["responses"]["302"] = {
            "description": "Found: Location is the entry, /api/v1/terms/{id}",
            "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": schemas.FoundSchema}},
        }
    else:
        media_types = FILES[path]
        operation["responses"]["200"] = {
            "description": "OK", "content": {media: {} for media in media_types}
        }  # fmt: skip
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


# --- the documentation page --------------------------------------------------------------

PLACES = {"query": "查询", "path": "路径"}
# What each status means, as the page says it; the document's own words follow in English.
STATUSES = {
    "200": "成功", "301": "术语已并入另一条", "302": "找到", "304": "未改变",
    "400": "参数或正文有误", "404": "没有这个术语或报告", "413": "正文太大",
    "415": "内容类型不受支持",
}  # fmt: skip

# A type as pieces of text, each naming the component it links to (or None).
Pieces = list[tuple[str, str | None]]


@dataclass(frozen=True)
class Field:
    """A parameter or a property as the page lists it."""

    name: str
    type: Pieces
    required: bool
    notes: list[str]  # the page's words: 默认 10、1–100、可选值 …
    description: str | None  # the document's words
    place: str | None = None  # 查询 or 路径, for parameters


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    parameters: list[Field]
    body: list[tuple[str, Pieces]]  # media type, its type
    responses: list[tuple[str, str, str | None, Pieces]]  # status, meaning, words, body


@blueprint.get("/api/docs")
def docs():
    document = spec()
    components = document["components"]["schemas"]
    return render_template(
        "api_docs.html",
        spec=document,
        operations=[
            operation(path, method, op)
            for path, methods in document["paths"].items()
            for method, op in methods.items()
        ],
        schemas=[(name, fields_of(schema)) for name, schema in components.items()],
    )


def operation(path: str, method: str, op: dict) -> Operation:
    parameters = [
        field(p["name"], p.get("schema", {}), p.get("required", False), PLACES.get(p["in"]),
              p.get("description"))
        for p in op.get("parameters", [])
    ]  # fmt: skip
    content = op.get("requestBody", {}).get("content", {})
    body = [(media, type_pieces(c.get("schema", {}))) for media, c in content.items()]
    responses = [
        (status, STATUSES.get(status, ""), r.get("description"), _returned(r))
        for status, r in op["responses"].items()
    ]  # fmt: skip
    anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
    return Operation(method, path, anchor, op["summary"], parameters, body, responses)


def _returned(response: dict) -> Pieces:
    """The type of a response's JSON body; for a body without a schema, its media types."""
    content = response.get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema:
        return type_pieces(schema)
    return _joined([[(media, None)] for media in content]) if content else []


def fields_of(schema: dict) -> list[Field]:
    required = set(schema.get("required", []))
    return [
        field(name, prop, name in required, description=prop.get("description"))
        for name, prop in schema.get("properties", {}).items()
    ]


def field(name, schema, required, place=None, description=None) -> Field:
    return Field(name, type_pieces(schema), required, notes(schema), description, place)


def type_pieces(schema: dict) -> Pieces:
    """``{"type": ["string", "null"]}`` -> string | null; a $ref -> its name, linked."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [(name, name)]
    if "anyOf" in schema:
        return _joined([type_pieces(s) for s in schema["anyOf"]])
    types = schema.get("type", [])
    return _joined([_one_type(t, schema) for t in ([types] if isinstance(types, str) else types)])


def _one_type(name: str, schema: dict) -> Pieces:
    if name == "array":
        return [*type_pieces(schema.get("items", {})), ("[]", None)]
    values = schema.get("additionalProperties")
    if name == "object" and isinstance(values, dict) and values:
        return [("{string: ", None), *type_pieces(values), ("}", None)]
    return [(name, None)]


def _joined(alternatives: list[Pieces]) -> Pieces:
    pieces: Pieces = []
    for alternative in filter(None, alternatives):
        # No break before the bar: "string |" ends a line, "null" starts the next.
        pieces += [("\u00a0| ", None), *alternative] if pieces else alternative
    return pieces or [("any", None)]


def notes(schema: dict) -> list[str]:
    """What the schema allows, in the page's words."""
    found = []
    enum = [value for value in schema.get("enum", []) if value is not None]
    if enum:
        found.append("可选值：" + " | ".join(map(str, enum)))
    if schema.get("default") is not None:
        found.append(f"默认 {schema['default']}")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        found.append(f"{low}–{high}" if low is not None and high is not None else
                     f"最小 {low}" if low is not None else f"最大 {high}")  # fmt: skip
    shortest, longest = schema.get("minLength"), schema.get("maxLength")
    if longest is not None:
        found.append(f"{shortest or 0}–{longest} 个字符")
    if "pattern" in schema:
        found.append(f"格式 {schema['pattern']}")
    if "example" in schema:
        found.append(f"例：{schema['example']}")
    return found
