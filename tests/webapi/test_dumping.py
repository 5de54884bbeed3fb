"""api.dumping: every answer is what marshmallow's own dump of its schema gives."""

from __future__ import annotations

import urllib.parse

import pytest
import yaml
from marshmallow import Schema, fields

from api import dumping, rest, schemas
from glossary import store
from tests.conftest import REPO, SHIPPED_GLOSSARY


@pytest.fixture
def dumped(monkeypatch):
    """The schemas the answers went through, each body checked against Schema.dump."""
    seen: dict[str, int] = {}
    serialise = rest.serialise

    def checked(schema: type[Schema], body: dict) -> str:
        assert dumping.dumper(schema)(body) == schema().dump(body), schema.__name__
        seen[schema.__name__] = seen.get(schema.__name__, 0) + 1
        return serialise(schema, body)

    monkeypatch.setattr(rest, "serialise", checked)
    return seen


def test_every_endpoint_answers_as_its_schema_dumps(api, dumped):
    glossary = store.load(SHIPPED_GLOSSARY)
    queries = yaml.safe_load((REPO / "tests" / "search_queries.yaml").read_text("utf-8"))
    paths = ["/healthz", "/api/v1/stats", "/api/v1/documents", "/api/v1/changes"]
    paths += [f"/api/v1/terms?status={s}&per_page=200" for s in ("reviewed", "candidate")]
    paths += [f"/api/v1/terms/{t.id}" for t in glossary.terms]
    paths += [f"/api/v1/documents/{d.id}" for d in glossary.documents]
    paths += [f"/api/v1/terms/lookup?term={urllib.parse.quote(glossary.terms[0].term)}"]
    for query in queries["queries"]:
        q = urllib.parse.quote(query["q"])
        paths += [f"/api/v1/search?q={q}", f"/api/v1/search?q={q}&limit=100"]
        paths += [f"/api/v1/suggest?q={urllib.parse.quote(query['q'][:3])}"]
    for path in paths:
        assert api.get(path).status_code in (200, 302), path
    expected = {
        "HealthSchema", "StatsSchema", "DocumentListSchema", "ChangesSchema", "TermPageSchema",
        "TermSchema", "DocumentSchema", "FoundSchema", "SearchSchema", "SuggestSchema",
    }  # fmt: skip
    assert set(dumped) == expected
    assert dumped["TermSchema"] == len(glossary.terms)
    assert dumped["SearchSchema"] == 2 * len(queries["queries"])


class Inner(Schema):
    name = fields.String()
    weight = fields.Float(allow_none=True)


class Outer(Schema):
    text = fields.String(allow_none=True)
    count = fields.Integer()
    flag = fields.Boolean()
    pairs = fields.List(fields.List(fields.Integer()))
    one = fields.Nested(Inner, allow_none=True)
    many = fields.List(fields.Nested(Inner))
    also_many = fields.Nested(Inner, many=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    anything = fields.Dict()


@pytest.mark.parametrize(
    "body",
    [
        {},  # absent values are left out, as dump leaves them
        {"text": None, "one": None, "count": None},
        {
            "text": b"bytes", "count": 3.0, "flag": 0, "pairs": [(1, 2), (3, 4)],
            "one": {"name": "a", "weight": 1}, "many": [{"name": "b"}, {"weight": None}],
            "also_many": [{"name": "c", "weight": 2}], "counts": {"x": 1.0, "y": None},
            "anything": {"k": [1]}, "unknown": "dropped",
        },
    ],
)  # fmt: skip
def test_a_body_dumps_as_marshmallow_dumps_it(body):
    assert dumping.dumper(Outer)(body) == Outer().dump(body)
    assert type(dumping.dumper(Outer)(body).get("count")) is type(Outer().dump(body).get("count"))


def test_an_object_is_read_by_attribute():
    class Hit:
        name, weight = "a", 2

    assert dumping.dumper(Inner)(Hit()) == {"name": "a", "weight": 2.0} == Inner().dump(Hit())


@pytest.mark.parametrize(
    "field",
    [
        fields.String(data_key="other"),
        fields.String(attribute="other"),
        fields.Integer(dump_default=0),
        fields.Integer(as_string=True),
        fields.Function(lambda obj: 1),
        fields.Nested(Inner, only=("name",)),
        fields.DateTime(),
    ],
)
def test_a_field_dumped_otherwise_is_refused_not_guessed(field):
    odd = Schema.from_dict({"value": field})
    with pytest.raises(dumping.NotCompiled, match="value"):
        dumping.dumper(odd)


def test_every_response_schema_can_be_read():
    for schema in vars(schemas).values():
        if isinstance(schema, type) and issubclass(schema, Schema) and schema is not Schema:
            assert callable(dumping.dumper(schema))
