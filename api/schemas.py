"""Response and request bodies of the REST API: one marshmallow schema per shape.

Views build plain dicts from the ``glossary`` core and dump them through these
schemas (``api.dumping`` reads each schema once and dumps by what it read); the
OpenAPI document is generated from the same schemas. One answer is written without
them, for its size: :func:`annotate_json` (``AnnotateSchema``).
"""

from __future__ import annotations

import functools
import json

from marshmallow import Schema, fields, validate

from glossary.annotate import MAX_SPANS, Found
from glossary.changes import KINDS as CHANGE_KINDS
from glossary.model import SOURCE_KINDS, STATUSES
from glossary.spans import json_objects

Str = fields.String
Nullable = {"allow_none": True}


class TermRefSchema(Schema):
    id = Str(required=True)
    term = Str(required=True)


class DocumentRefSchema(Schema):
    id = Str(required=True)
    title = Str(required=True)
    publisher = Str(**Nullable)
    locality = Str(**Nullable)
    date = Str(**Nullable)
    url = Str(**Nullable)


class SourceSchema(Schema):
    doc = fields.Nested(DocumentRefSchema, required=True)
    kind = Str(required=True, validate=validate.OneOf(SOURCE_KINDS))
    quote = Str(required=True)


class PartGroupSchema(Schema):
    name = Str(**Nullable)
    parts = fields.List(Str(), required=True)


class SenseSchema(Schema):
    definition = Str(**Nullable)
    scope = Str(**Nullable)
    parts = fields.List(Str())
    groups = fields.List(fields.Nested(PartGroupSchema), metadata={
        "description": "where the name counts its parts in groups (5+3+1), the parts of each"
    })  # fmt: skip
    sources = fields.List(fields.Nested(SourceSchema))


class RenderingSchema(Schema):
    text = Str(required=True, metadata={"example": "New Quality Productive Forces"})
    lang = Str(required=True, metadata={"example": "en"})
    doc = fields.Nested(DocumentRefSchema, required=True)


class ReadingSchema(Schema):
    marks = Str(required=True, metadata={
        "example": "sān gè qū fēn kāi lái",
        "description": "as read aloud: digits one by one, + as jiā (“531” wǔ sān yī); "
        "every style spells the same syllables",
    })  # fmt: skip
    numbers = Str(required=True, metadata={"example": "san1 ge4 qu1 fen1 kai1 lai2"})
    toneless = Str(required=True, metadata={"example": "sangequfenkailai"})
    initials = Str(required=True, metadata={"example": "sgqfkl"})


class TermSummarySchema(Schema):
    id = Str(required=True)
    term = Str(required=True)
    pinyin = Str(required=True)
    status = Str(required=True, validate=validate.OneOf(STATUSES))
    category = Str(**Nullable)
    scopes = fields.List(Str())
    definition = Str(**Nullable, metadata={"description": "first definition, cut to 160 chars"})
    letter = Str(required=True)


class TermSchema(Schema):
    id = Str(required=True)
    term = Str(required=True)
    aliases = fields.List(Str())
    pinyin = fields.Nested(ReadingSchema, required=True)
    status = Str(required=True, validate=validate.OneOf(STATUSES))
    category = Str(**Nullable)
    letter = Str(required=True)
    senses = fields.List(fields.Nested(SenseSchema))
    related = fields.List(fields.Nested(TermRefSchema))
    english = fields.Nested(RenderingSchema, **Nullable)
    url = Str(required=True)


class MovedSchema(Schema):
    """The body of a 301: the term was merged into another, which answers at ``url``."""

    id = Str(required=True, metadata={"description": "the id the term answers at now"})
    url = Str(required=True)
    redirected_from = Str(required=True, metadata={"description": "the id asked for"})


class FoundSchema(Schema):
    """The body of a lookup's 302: the entry of the headword or alias asked for."""

    id = Str(required=True)
    url = Str(required=True, metadata={"description": "the entry's address (also Location)"})
    term = Str(required=True, metadata={"description": "the entry's headword"})


class _PagedSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    next = Str(**Nullable)
    prev = Str(**Nullable)


class TermPageSchema(_PagedSchema):
    terms = fields.List(fields.Nested(TermSummarySchema))


class ChangeSchema(Schema):
    at = Str(
        required=True,
        metadata={"description": "when, ISO 8601 UTC", "example": "2026-12-01T08:00:00Z"},
    )
    id = Str(required=True)
    term = Str(required=True, metadata={"description": "the headword after the change"})
    kind = Str(
        required=True,
        validate=validate.OneOf(CHANGE_KINDS),
        metadata={
            "description": "deprecated: its status became deprecated; "
            "removed: merged into another term, or deleted"
        },
    )
    status = Str(
        validate=validate.OneOf(STATUSES),
        **Nullable,
        metadata={"description": "after the change (null once removed)"},
    )
    previous_status = Str(
        validate=validate.OneOf(STATUSES),
        **Nullable,
        metadata={"description": "before the change (null for a new term)"},
    )
    version = Str(required=True, metadata={"description": "the glossary version it made"})
    op = Str(
        required=True,
        metadata={
            "description": "the curation operation (accept, edit, add-source, reject, merge, "
            "split, undo), or file: an edit of the glossary file outside curation"
        },
    )
    summary = Str(required=True)
    url = Str(**Nullable, metadata={"description": "the term's API address; null if gone"})


class ChangesSchema(_PagedSchema):
    since = Str(**Nullable)
    version = Str(required=True, metadata={"description": "the glossary version served now"})
    changes = fields.List(
        fields.Nested(ChangeSchema), required=True, metadata={"description": "newest first"}
    )


class HitSchema(Schema):
    id = Str(required=True)
    term = Str(required=True)
    pinyin = Str(required=True)
    definition = Str(**Nullable)
    status = Str(required=True)
    scope = Str(**Nullable)
    matched = Str(required=True, metadata={"example": "initials"})
    score = fields.Float(required=True)
    highlights = fields.List(fields.List(fields.Integer()))


class SearchSchema(Schema):
    query = Str(required=True)
    total = fields.Integer(required=True)
    results = fields.List(fields.Nested(HitSchema))


class SuggestionSchema(Schema):
    id = Str(required=True)
    term = Str(required=True)
    pinyin = Str(required=True)


class SuggestSchema(Schema):
    query = Str(required=True)
    suggestions = fields.List(fields.Nested(SuggestionSchema), metadata={
        "description": "best fit first: a whole form, the start of the headword or an alias, "
        "of a reading, of the initials, then inside a headword or a reading; reviewed terms "
        "before candidates, then in pinyin order"})  # fmt: skip
    definition_hits = fields.Integer(required=True, metadata={
        "description": "terms whose definition holds the typed words (counted up to 100): "
        "more than 0, /search?q= finds them by their definition", "example": 3})  # fmt: skip


class AnnotateRequestSchema(Schema):
    text = Str(required=True)
    locality = Str(load_default=None, allow_none=True)


class SpanSchema(Schema):
    start = fields.Integer(required=True, metadata={"description": "code points"})
    end = fields.Integer(required=True)
    start16 = fields.Integer(required=True, metadata={"description": "UTF-16 code units"})
    end16 = fields.Integer(required=True)
    id = Str(required=True)
    term = Str(required=True)
    matched_text = Str(required=True)


class AnnotatedTermSchema(Schema):
    term = Str(required=True)
    pinyin = Str(required=True)
    definition = Str(**Nullable)


_TRUNCATED = f"the text holds more than {MAX_SPANS} spans: only the first {MAX_SPANS} are given"


class AnnotateSchema(Schema):
    spans = fields.List(
        fields.Nested(SpanSchema),
        required=True,
        metadata={"description": f"in text order, at most {MAX_SPANS}"},
    )
    terms = fields.Dict(keys=Str(), values=fields.Nested(AnnotatedTermSchema), required=True)
    truncated = fields.Boolean(required=True, metadata={"description": _TRUNCATED})


def annotate_json(found: Found, terms: dict[str, dict[str, str | None]]) -> bytes:
    """The ``AnnotateSchema`` body of ``found`` and its ``terms``, as UTF-8 JSON.

    The same JSON as dumping the body through the schemas (a test holds them equal), but
    written from ``found``'s columns (:func:`glossary.spans.json_objects`), with each
    distinct string encoded once: a dict and a schema pass per span cost some 50 times
    the scan that finds the spans, and even one formatting step per span in Python
    costs more than the scan (bench/api.py).
    """
    offsets = {
        "start": found.starts, "end": found.ends,
        "start16": found.starts16, "end16": found.ends16,
    }  # fmt: skip
    # What follows the offsets in SpanSchema's order: id and term, matched_text.
    tails = [
        b"%s,%s}" % (_label_json(*found.labels[owner]), _json_member("matched_text", matched))
        for matched, owner in zip(found.texts, found.owners, strict=True)
    ]
    spans = json_objects(offsets, tails, found.cuts)
    truncated = b"true" if found.truncated else b"false"
    return b'{"spans":[%s],"terms":%s,"truncated":%s}' % (spans, _json(terms), truncated)


# A text's spans name a handful of terms and matched texts, and so does the next text's.
@functools.lru_cache(maxsize=4096)
def _label_json(term_id: str, headword: str) -> bytes:
    return b"%s,%s" % (_json_member("id", term_id), _json_member("term", headword))


@functools.lru_cache(maxsize=4096)
def _json_member(name: str, value: str) -> bytes:
    return b'"%s":%s' % (name.encode(), _json(value))


def _json(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot carry: escape it
        return json.dumps(value, separators=(",", ":")).encode()


class DocumentSchema(Schema):
    id = Str(required=True)
    title = Str(required=True)
    publisher = Str(**Nullable)
    locality = Str(**Nullable)
    date = Str(**Nullable)
    url = Str(**Nullable)
    defines = fields.List(fields.Nested(TermRefSchema))
    uses = fields.List(fields.Nested(TermRefSchema))


class DocumentListSchema(Schema):
    documents = fields.List(fields.Nested(DocumentSchema))


class StatsSchema(Schema):
    terms = fields.Integer(required=True)
    documents = fields.Integer(required=True)
    status = fields.Dict(keys=Str(), values=fields.Integer())
    locality = fields.Dict(keys=Str(), values=fields.Integer())
    category = fields.Dict(keys=Str(), values=fields.Integer())
    letters = fields.Dict(keys=Str(), values=fields.Integer())


class HealthSchema(Schema):
    status = Str(required=True)
    terms = fields.Integer(required=True)
    documents = fields.Integer(required=True)


class ErrorDetailSchema(Schema):
    status = fields.Integer(required=True)
    code = Str(required=True, metadata={"example": "invalid_parameter"})
    message = Str(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)
