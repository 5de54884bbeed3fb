"""REST API v1 and the health check."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request
from marshmallow import Schema, ValidationError

from api import snapshot
from api.params import SearchParams, SuggestParams
from glossary.errors import GlossaryError

blueprint = Blueprint("rest", __name__)


class InvalidParameter(GlossaryError):
    status = 400
    code = "invalid_parameter"

    def __init__(self, error: ValidationError):
        self.details = error.messages
        names = ", ".join(sorted(error.messages)) if isinstance(error.messages, dict) else ""
        super().__init__(f"invalid query parameter: {names}")


def params(schema: Schema) -> dict:
    try:
        return schema.load(request.args)
    except ValidationError as error:
        raise InvalidParameter(error) from None


@blueprint.get("/healthz")
def healthz():
    glossary = snapshot().glossary
    return jsonify(status="ok", terms=len(glossary.terms), documents=len(glossary.documents))


@blueprint.get("/api/v1/search")
def search():
    args = params(SearchParams())
    results = snapshot().search.search(args["q"], args["limit"], args["locality"], args["status"])
    hits = [asdict(hit) for hit in results.hits]
    return jsonify(query=args["q"], total=results.total, results=hits)


@blueprint.get("/api/v1/suggest")
def suggest():
    args = params(SuggestParams())
    found = snapshot().search.suggest(args["q"], args["limit"])
    return jsonify(query=args["q"], suggestions=[asdict(s) for s in found])
