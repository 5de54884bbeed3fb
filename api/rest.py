"""REST API v1 and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

blueprint = Blueprint("rest", __name__)


@blueprint.get("/healthz")
def healthz():
    glossary = current_app.extensions["glossary"]
    return jsonify(status="ok", terms=len(glossary.terms), documents=len(glossary.documents))
