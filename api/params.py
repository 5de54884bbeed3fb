"""Query parameters, validated by marshmallow: one schema per endpoint."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from glossary.catalog import SORTS
from glossary.changes import SINCE_PATTERN
from glossary.model import STATUSES
from glossary.query import MAX_QUERY


class _Params(Schema):
    class Meta:
        unknown = EXCLUDE  # cache-busters and tracking parameters are not errors


def _query() -> fields.String:
    # MAX_QUERY is the core's own bound (glossary.query): the document and the server agree.
    return fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_QUERY),
        metadata={
            "description": f"1 to {MAX_QUERY} characters; a query with nothing left once "
            "folded (only spaces, quotes or control characters) is a 400",
            "example": "sgqfkl",
        },
    )


class SearchParams(_Params):
    q = _query()
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    locality = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class SuggestParams(_Params):
    q = _query()
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class TermsParams(_Params):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    locality = fields.String(load_default=None)
    category = fields.String(load_default=None)
    letter = fields.String(
        load_default=None, validate=validate.Regexp(r"^([A-Za-z]|0-9)$", error="A-Z or 0-9")
    )
    sort = fields.String(load_default="pinyin", validate=validate.OneOf(SORTS))


class ExportParams(_Params):
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(STATUSES),
        metadata={"description": "only the terms of this status (default: every term)"},
    )


class ChangesParams(_Params):
    since = fields.String(
        load_default=None,
        validate=validate.Regexp(SINCE_PATTERN),
        metadata={
            "description": "changes after this moment: an ISO 8601 time (2026-12-01, "
            "2026-12-01T08:00:00Z) or a glossary version (8 to 64 hex digits, as `version` "
            "gives it); default: every change",
            "example": "2026-12-01",
        },
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class LookupParams(_Params):
    term = fields.String(required=True, validate=validate.Length(min=1, max=MAX_QUERY))
