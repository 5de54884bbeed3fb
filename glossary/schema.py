"""marshmallow schemas: plain YAML/JSON data <-> the model in ``glossary.model``.

``GlossarySchema().load(data)`` validates the shape of a whole glossary file and
returns a :class:`~glossary.model.Glossary`; errors come back as marshmallow's
nested dict, which ``glossary.store`` turns into file/line/field messages.
Rules that look across entries (unique ids, references) live in ``glossary.rules``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, post_load, validate

from glossary.model import (
    SOURCE_KINDS,
    STATUSES,
    Document,
    Glossary,
    PartGroup,
    Rendering,
    Sense,
    Source,
    Term,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# The original of a document, for readers to follow: the web only (no file:, no javascript:).
ID = validate.Regexp(SLUG, error="must be an ASCII slug like a-b-1")
WEB_ADDRESS = validate.URL(
    schemes={"http", "https"}, error="must be a web address starting http:// or https://"
)


class Text(fields.String):
    """A string that says how to fix the commonest YAML slip: an unquoted number or yes/no."""

    default_error_messages = {  # noqa: RUF012 (marshmallow's own convention)
        "invalid": "must be text (put quotes around values such as 531 or yes)",
    }


class DocumentDate(fields.Field):
    """A report's date: "2024", "2024-06" or "2023-12-24" (YAML dates are accepted too)."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int) and 1900 <= value <= 2100:
            return str(value)
        if isinstance(value, str) and DATE.match(value):
            return value
        raise ValidationError("must be a date written YYYY, YYYY-MM or YYYY-MM-DD")

    def _serialize(self, value: Any, attr, obj, **kwargs) -> str | None:
        return value


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="must be one of {choices}")


def _text_list() -> fields.List:
    return fields.List(Text(validate=validate.Length(min=1)), load_default=list)


class _Base(Schema):
    class Meta:
        unknown = RAISE

    @post_dump
    def _drop_empty(self, data: dict, **kwargs) -> dict:
        # Keep written files and JSON short: an absent field means "none".
        return {k: v for k, v in data.items() if v not in (None, [], {})}


class DocumentSchema(_Base):
    id = Text(required=True, validate=ID)
    title = Text(required=True, validate=validate.Length(min=1))
    locality = Text(load_default=None, allow_none=True)
    date = DocumentDate(load_default=None, allow_none=True)
    file = Text(load_default=None, allow_none=True)
    url = Text(load_default=None, allow_none=True, validate=WEB_ADDRESS)
    publisher = Text(load_default=None, allow_none=True, validate=validate.Length(min=1))

    @post_load
    def _make(self, data: dict, **kwargs) -> Document:
        return Document(**data)


class SourceSchema(_Base):
    doc = Text(required=True)
    kind = Text(required=True, validate=_one_of(SOURCE_KINDS))
    quote = Text(required=True, validate=validate.Length(min=1))

    @post_load
    def _make(self, data: dict, **kwargs) -> Source:
        return Source(**data)


class PartGroupSchema(_Base):
    group = Text(load_default=None, allow_none=True)
    parts = fields.List(Text(validate=validate.Length(min=1)), required=True)

    @post_load
    def _make(self, data: dict, **kwargs) -> PartGroup:
        return PartGroup(data["group"], data["parts"])


class Parts(fields.Field):
    """``parts:`` as a list of names, or as groups ``- {group: 主导产业, parts: [...]}``."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> list[str] | list[PartGroup]:
        if not isinstance(value, list):
            raise ValidationError("must be a list")
        if all(isinstance(item, dict) for item in value) and value:
            return PartGroupSchema(many=True).load(value)
        return _text_list().deserialize(value)

    def _serialize(self, value: Any, attr, obj, **kwargs) -> list:
        return value


class SenseSchema(_Base):
    definition = Text(load_default=None, allow_none=True)
    scope = Text(load_default=None, allow_none=True)
    parts = Parts(load_default=list)
    sources = fields.List(fields.Nested(SourceSchema), load_default=list)

    @post_load
    def _make(self, data: dict, **kwargs) -> Sense:
        parts = data.pop("parts")
        if parts and isinstance(parts[0], PartGroup):
            return Sense(**data, parts=[p for g in parts for p in g.parts], groups=parts)
        return Sense(**data, parts=parts)


class RenderingSchema(_Base):
    text = Text(required=True, validate=validate.Length(min=1))
    doc = Text(required=True)
    lang = Text(load_default="en", validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z]+)*$"))

    @post_load
    def _make(self, data: dict, **kwargs) -> Rendering:
        return Rendering(**data)


class TermSchema(_Base):
    id = Text(required=True, validate=ID)
    term = Text(required=True, validate=validate.Length(min=1))
    aliases = _text_list()
    pinyin = Text(load_default=None, allow_none=True)
    status = Text(required=True, validate=_one_of(STATUSES))
    category = Text(load_default=None, allow_none=True)
    senses = fields.List(fields.Nested(SenseSchema), load_default=list)
    related = _text_list()
    english = fields.Nested(RenderingSchema, load_default=None, allow_none=True)
    reason = Text(load_default=None, allow_none=True)

    @post_load
    def _make(self, data: dict, **kwargs) -> Term:
        return Term(**data)


class Redirects(fields.Field):
    """``redirects:``, the id of a term merged away -> the id it went to, both written
    like term ids. A problem is reported at ``redirects.OLD-ID``."""

    def _deserialize(self, value: Any, attr, data, **kwargs) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValidationError("must be a mapping of old id: new id")
        found, errors = {}, {}
        for old, new in value.items():
            try:
                found[self._id("old id", old)] = self._id("new id", new)
            except ValidationError as error:
                errors[str(old)] = error.messages
        if errors:
            raise ValidationError(errors)
        return found

    @staticmethod
    def _id(what: str, value: Any) -> str:
        if value is None:
            raise ValidationError(f"{what} is missing (write old-id: new-id)")
        try:
            return Text(validate=ID).deserialize(value)
        except ValidationError as error:
            raise ValidationError([f"{what} '{value}' {m}" for m in error.messages]) from None

    def _serialize(self, value: Any, attr, obj, **kwargs) -> dict[str, str]:
        return dict(value)


class GlossarySchema(_Base):
    version = fields.Integer(load_default=1, validate=validate.Equal(1, error="must be 1"))
    documents = fields.List(fields.Nested(DocumentSchema), load_default=list)
    terms = fields.List(fields.Nested(TermSchema), load_default=list)
    redirects = Redirects(load_default=dict)

    @post_load
    def _make(self, data: dict, **kwargs) -> Glossary:
        return Glossary(**data)
