"""Query parameters, validated by marshmallow: one schema per endpoint."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from glossary.model import STATUSES
from glossary.query import MAX_QUERY


class _Params(Schema):
    class Meta:
        unknown = EXCLUDE  # cache-busters and tracking parameters are not errors


class SearchParams(_Params):
    q = fields.String(required=True, validate=validate.Length(min=1, max=MAX_QUERY * 4))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    locality = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class SuggestParams(_Params):
    q = fields.String(required=True, validate=validate.Length(min=1, max=MAX_QUERY * 4))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))
