"""REST API v1 (read-only) and the health check. Every body goes through ``api.schemas``."""

from __future__ import annotations

import functools
import hashlib
import json
import weakref
from collections.abc import Callable
from dataclasses import asdict
from urllib.parse import quote

from flask import Blueprint, Response, request, url_for
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_input_stream

from api import schemas, snapshot
from api.dumping import dumper
from api.linked import negotiated_rdf, varies
from api.params import ChangesParams, LookupParams, SearchParams, SuggestParams, TermsParams
from glossary import config, pinyin
from glossary.annotate import MAX_SPANS
from glossary.catalog import Entry, Page
from glossary.changes import VERSION_SHOWN, TermChange
from glossary.errors import GlossaryError, NotFound
from glossary.export import short
from glossary.model import Term
from glossary.search import Search

blueprint = Blueprint("rest", __name__)
API = "/api/v1"


class InvalidParameter(GlossaryError):
    status = 400
    code = "invalid_parameter"

    def __init__(self, error: ValidationError, what: str = "query parameter"):
        self.details = error.messages if isinstance(error.messages, dict) else {}
        names = ", ".join(sorted(map(str, self.details)))
        super().__init__(f"invalid {what}: {names}" if names else f"invalid {what}")


def params(schema: type[Schema]) -> dict:
    try:
        return _instance(schema).load(request.args)
    except ValidationError as error:
        raise InvalidParameter(error) from None


@functools.cache
def _instance(schema: type[Schema]) -> Schema:
    # Building a schema deep-copies its fields: once per process, not once per request.
    return schema()


def serialise(schema: type[Schema], body: dict) -> str:
    return json.dumps(dumper(schema)(body), ensure_ascii=False, separators=(",", ":"))


def respond(schema: type[Schema], body: dict, status: int = 200, max_age: int = 60) -> Response:
    return json_response(serialise(schema, body), status, max_age)


def json_response(payload: str | bytes, status: int = 200, max_age: int = 60) -> Response:
    response = Response(payload, status, mimetype="application/json")
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


def with_query(url: str) -> str:
    """``url`` with the query string of this request, as it was sent.

    Already-escaped characters stay as they are; raw bytes some clients send unescaped
    are escaped, so the address is the same one and still valid in a header.
    """
    query = quote(request.query_string, safe="!$&'()*+,/:;=?@%~")
    return f"{url}?{query}" if query else url


def term_summary(entry: Entry) -> dict:
    term = entry.term
    return {
        "id": term.id, "term": term.term, "pinyin": entry.reading, "status": term.status,
        "category": term.category, "scopes": list(dict.fromkeys(term.scopes)),
        "definition": short(term.definition), "letter": entry.letter,
    }  # fmt: skip


def term_detail(entry: Entry) -> dict:
    term, state = entry.term, snapshot()
    reading = pinyin.read(term.term, term.pinyin)
    return {
        **term_summary(entry),
        "aliases": term.aliases,
        "pinyin": {
            "marks": reading.marks,
            "numbers": reading.numbers,
            "toneless": reading.toneless,
            "initials": reading.initials,
        },
        "senses": [
            {
                **asdict(sense),
                "sources": [
                    {
                        "doc": state.glossary.document(s.doc).public(),
                        "kind": s.kind,
                        "quote": s.quote,
                    }
                    for s in sense.sources
                ],
            }
            for sense in term.senses
        ],
        "related": [term_ref(state.glossary.term(r)) for r in term.related],
        "english": english_body(term),
        "url": url_for("rest.term", term_id=term.id, _external=True),
    }


def english_body(term: Term) -> dict | None:
    if term.english is None:
        return None
    doc = snapshot().glossary.document(term.english.doc)
    return {"text": term.english.text, "lang": term.english.lang, "doc": doc.public()}


def term_ref(term: Term) -> dict:
    return {"id": term.id, "term": term.term}


@blueprint.get("/healthz")
@blueprint.get(f"{API}/healthz")
def healthz():
    glossary = snapshot().glossary
    body = {"status": "ok", "terms": len(glossary.terms), "documents": len(glossary.documents)}
    return respond(schemas.HealthSchema, body, max_age=0)


@blueprint.get(f"{API}/terms")
def terms():
    page = snapshot().catalog.terms(**params(TermsParams))
    body = {"terms": [term_summary(e) for e in page.entries]}
    return paged(schemas.TermPageSchema, page, body)


def paged(schema: type[Schema], page: Page, body: dict, max_age: int = 60) -> Response:
    """``body`` with ``page``'s numbers and the addresses of the pages either side (in
    the body and in a Link header), which keep this request's other parameters."""
    links = {}
    for rel, number in (("next", page.page + 1), ("prev", page.page - 1)):
        if 1 <= number <= page.pages:
            args = {**request.args, "page": number}
            links[rel] = url_for(request.endpoint, **args, _external=True)
    body = {
        **body, "total": page.total, "page": page.page, "per_page": page.per_page,
        "pages": page.pages, "next": links.get("next"), "prev": links.get("prev"),
    }  # fmt: skip
    response = respond(schema, body, max_age=max_age)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


@blueprint.get(f"{API}/terms/lookup")
def lookup():
    written = params(LookupParams)["term"]
    found = snapshot().catalog.lookup(written)
    if not found:
        raise NotFound(f"no term is written '{written}'")
    url = url_for("rest.term", term_id=found[0].id, _external=True)
    body = {"id": found[0].id, "url": url, "term": found[0].term.term}
    response = respond(schemas.FoundSchema, body, 302)
    response.headers["Location"] = url
    return response


@blueprint.get(f"{API}/terms/<term_id>")
def term(term_id: str):
    entry = snapshot().catalog.entry(term_id)
    if entry is None:
        return moved(term_id)
    rdf = negotiated_rdf(term_id, "application/json")
    return rdf or varies(respond(schemas.TermSchema, term_detail(entry)))


def moved(term_id: str) -> Response:
    """The 301 of an id merged into another term (links people shared keep working),
    or the 404 of an id no term ever had."""
    new_id = snapshot().glossary.moved(term_id)
    if new_id is None:
        raise NotFound(f"no term has id '{term_id}'")
    url = url_for("rest.term", term_id=new_id, _external=True)
    body = {"id": new_id, "url": url, "redirected_from": term_id}
    response = respond(schemas.MovedSchema, body, 301)
    response.headers["Location"] = with_query(url)
    return response


@blueprint.get(f"{API}/search")
def search():
    engine = snapshot().search
    return json_response(answers.get(engine, request.full_path, lambda: search_answer(engine)))


def search_answer(engine: Search) -> str:
    args = params(SearchParams)
    results = engine.search(args["q"], args["limit"], args["locality"], args["status"])
    body = {
        "query": args["q"],
        "total": results.total,
        "results": results.hits,  # read by attribute: a deep copy would cost more than the dump
    }
    return serialise(schemas.SearchSchema, body)


@blueprint.get(f"{API}/suggest")
def suggest():
    engine = snapshot().search
    return json_response(answers.get(engine, request.full_path, lambda: suggest_answer(engine)))


def suggest_answer(engine: Search) -> str:
    args = params(SuggestParams)
    found = engine.suggest(args["q"], args["limit"])
    body = {
        "query": args["q"],
        "suggestions": found,
        "definition_hits": engine.definition_hits(args["q"]),
    }
    return serialise(schemas.SuggestSchema, body)


class Answers:
    """Serialised answers by search engine and request path (query string included).

    Most searches repeat; a repeated one costs a dict lookup instead of validating,
    searching and serialising again. Answers belong to one engine, so a reloaded
    glossary starts afresh, and the old engine's answers go with it (weak keys).
    A request that fails (a 400) raises before anything is stored.
    """

    def __init__(self, size: int = 4096):
        self.size = size
        self._by_engine: weakref.WeakKeyDictionary[Search, dict[str, str]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, engine: Search, path: str, answer: Callable[[], str]) -> str:
        if not self.size:
            return answer()
        stored = self._by_engine.setdefault(engine, {})
        payload = stored.get(path)
        if payload is None:
            payload = answer()
            if len(stored) >= self.size:
                stored.pop(next(iter(stored)))  # the oldest answer makes room
            stored[path] = payload
        return payload


answers = Answers(config.answers_kept())


@blueprint.get(f"{API}/documents")
def documents():
    state = snapshot()
    body = {"documents": [document_body(d.id) for d in state.glossary.documents]}
    return respond(schemas.DocumentListSchema, body)


@blueprint.get(f"{API}/documents/<doc_id>")
def document(doc_id: str):
    if snapshot().glossary.document(doc_id) is None:
        raise NotFound(f"no document has id '{doc_id}'")
    return respond(schemas.DocumentSchema, document_body(doc_id))


def document_body(doc_id: str) -> dict:
    state = snapshot()
    cited = state.catalog.citing(doc_id)
    return {
        **state.glossary.document(doc_id).public(),
        "defines": [term_ref(t) for t in cited.defines],
        "uses": [term_ref(t) for t in cited.uses],
    }


@blueprint.get(f"{API}/stats")
def stats():
    state = snapshot()
    body = {
        "terms": len(state.glossary.terms), "documents": len(state.glossary.documents),
        **state.catalog.counts(), "letters": state.catalog.letters(),
    }  # fmt: skip
    return respond(schemas.StatsSchema, body)


@blueprint.get(f"{API}/changes")
def changes():
    args = params(ChangesParams)
    state = snapshot()
    found = state.changes.since(args["since"])
    number, per_page = args["page"], args["per_page"]
    page = Page(found[(number - 1) * per_page : number * per_page], len(found), number, per_page)
    body = {
        "since": args["since"], "version": state.version[:VERSION_SHOWN],
        "changes": [change_body(c) for c in page.entries],
    }  # fmt: skip
    return paged(schemas.ChangesSchema, page, body, max_age=30)


def change_body(change: TermChange) -> dict:
    glossary = snapshot().glossary
    known = glossary.term(change.id) is not None or glossary.moved(change.id) is not None
    url = url_for("rest.term", term_id=change.id, _external=True) if known else None
    fields = ("at", "id", "term", "kind", "status", "previous_status", "version", "op", "summary")
    return {**{name: getattr(change, name) for name in fields}, "url": url}


@blueprint.get(f"{API}/glossary.json")
def glossary_json():
    state = snapshot()
    etag = hashlib.sha1(f"widget-{state.fingerprint}".encode()).hexdigest()[:20]
    return revalidated(lambda: state.widget_json, etag, "application/json")


def revalidated(
    payload_of: Callable[[], str | bytes], etag: str, media_type: str, max_age: int = 300
) -> Response:
    """A 304 if the client holds ``etag`` (weak or strong), else ``payload_of()``: a
    payload of one glossary version, made only when it is sent."""
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(payload_of(), content_type=media_type)
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@blueprint.post(f"{API}/annotate")
def annotate():
    text, locality = annotate_input()
    annotator = snapshot().annotator
    found = annotator.find(text, locality, limit=MAX_SPANS)
    body = schemas.annotate_json(found, annotator.terms_payload(found, locality))
    return json_response(body, max_age=0)


UTF8 = {"utf-8", "utf8"}
SHAPE = '{"text": string, "locality"?: string}'


def annotate_input() -> tuple[str, str | None]:
    """The text to annotate and the locality, from a JSON body or a text/plain one."""
    if request.mimetype not in ("application/json", "text/plain"):
        raise UnsupportedMediaType(f"send application/json {SHAPE} or text/plain")
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower() not in UTF8:
        raise UnsupportedMediaType(f"send the body as UTF-8 (charset=utf-8), not {charset}")
    text = utf8_text(request_body())
    if request.mimetype == "text/plain":
        return text, request.args.get("locality")
    return annotate_fields(json_body(text))


def request_body() -> bytes:
    """The whole body, or a 413 past MAX_CONTENT_LENGTH however it was sent.

    Werkzeug refuses a Content-Length over the limit, but a chunked body it reads up
    to the limit and stops there without a word (``LimitedStream.readall``): reading one
    byte more tells a body of exactly the limit from a longer one.
    """
    limit = request.max_content_length
    if limit is None:
        return request.get_data()
    try:
        data = get_input_stream(request.environ, max_content_length=limit + 1).read()
    except RequestEntityTooLarge:  # a Content-Length over the limit: nothing read yet
        data = None
    if data is None or len(data) > limit:
        _drain(request.environ["wsgi.input"], DRAIN_AFTER_REFUSAL)
        raise RequestEntityTooLarge()
    return data


# A client still sending when the 413 comes sees its connection reset and may lose the
# answer with it; the rest of a body this size is read and dropped first, as nginx does.
DRAIN_AFTER_REFUSAL = 8 * 1024 * 1024


def _drain(stream, budget: int) -> None:
    while budget > 0 and (chunk := stream.read(min(65536, budget))):
        budget -= len(chunk)


def utf8_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Replacing the bytes would answer offsets into a text nobody sent.
        raise BodyNotUtf8(
            f"the body is not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}"
        ) from None


def json_body(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_not_json)
    except RecursionError:
        # RFC 8259 lets a parser bound nesting; Python's recursion limit is this one's.
        raise MalformedBody("the body nests arrays or objects too deeply to read") from None
    except ValueError as error:
        raise MalformedBody(f"the body is not valid JSON: {error}") from None


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON value")


def annotate_fields(body: object) -> tuple[str, str | None]:
    # Unknown fields are refused (the schema's default): a misspelt "localty" dropped in
    # silence would answer with another place's definitions.
    if not isinstance(body, dict):
        raise BodyNotAnObject(f"the body must be a JSON object {SHAPE}")
    try:
        loaded = _instance(schemas.AnnotateRequestSchema).load(body)
    except ValidationError as error:
        # Unknown field names are the client's, and JSON may put a lone surrogate in one,
        # which the UTF-8 answer cannot carry: such a name is named escaped (\ud800).
        named = {_escaped(str(k)): v for k, v in dict(error.messages).items()}
        raise InvalidParameter(ValidationError(named), "body field") from None
    return loaded["text"], loaded["locality"]


def _escaped(name: str) -> str:
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


class UnsupportedMediaType(GlossaryError):
    status = 415
    code = "unsupported_media_type"


class MalformedBody(GlossaryError):
    status = 400
    code = "malformed_json"


class BodyNotAnObject(GlossaryError):
    status = 400
    code = "invalid_parameter"  # as for a wrong field: the body is the parameter that is wrong


class BodyNotUtf8(GlossaryError):
    status = 400
    code = "invalid_utf8"
