"""Response bodies dumped through their schemas, each schema read once.

``Schema.dump`` walks a schema's fields anew for every object it dumps, a dozen calls
a field: some 18 microseconds a search hit, with ten hits a third of what a search
request costs besides the search itself (bench/search.py). A schema's fields do not
change, so :func:`dumper` reads them once and makes a function doing only what dump
does to each value: text, numbers, booleans, lists, nested schemas and mappings. The
output is dump's own (tests hold the two equal for the bodies of every endpoint);
a field of another kind, or an option that changes dumping (``data_key``,
``attribute``, ``dump_default``, ``as_string``, hooks, ``only``), is refused when the
schema is read rather than dumped differently.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.utils import ensure_text_type

Convert = Callable[[Any], Any]


class NotCompiled(TypeError):
    """A schema uses a field or an option :func:`dumper` does not reproduce."""


@functools.cache
def dumper(schema: type[Schema]) -> Convert:
    """A function dumping an object (a mapping or attributes) as ``schema().dump`` would."""
    return _object_dumper(schema())


def _object_dumper(schema: Schema) -> Convert:
    if any(schema._hooks.values()) or schema.only or schema.exclude or schema.many:
        raise NotCompiled(f"{type(schema).__name__}: hooks, only, exclude and many")
    converters = [(name, _converter(field, name)) for name, field in schema.dump_fields.items()]

    def dump(obj: Any) -> dict:
        get = obj.get if isinstance(obj, Mapping) else functools.partial(getattr, obj)
        dumped = {}
        for name, convert in converters:
            value = get(name, missing)
            if value is not missing:  # as dump does: an absent value is left out
                dumped[name] = None if value is None else convert(value)
        return dumped

    return dump


def _converter(field: fields.Field, name: str) -> Convert:
    if field.data_key is not None or field.attribute is not None:
        raise NotCompiled(f"{name}: data_key and attribute")
    if field.dump_default is not missing or getattr(field, "as_string", False):
        raise NotCompiled(f"{name}: dump_default and as_string")
    kind = type(field)
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind is fields.Boolean:
        return functools.partial(field._serialize, attr=name, obj=None)
    if kind is fields.List:
        return _each(_converter(field.inner, name))
    if kind is fields.Nested:
        if field.only or field.exclude:
            raise NotCompiled(f"{name}: only and exclude")
        inner = _object_dumper(type(field.schema)())
        return _each(inner) if field.many else inner
    if kind is fields.Dict:
        return _mapping(field, name)
    raise NotCompiled(f"{name}: {kind.__name__} fields")


def _text(value: Any) -> str:
    return value if value.__class__ is str else ensure_text_type(value)


_SCALARS: dict[type, Convert] = {
    fields.String: _text,
    fields.Integer: int,
    fields.Float: float,
    fields.Raw: lambda value: value,
}


def _each(convert: Convert) -> Convert:
    return lambda values: [None if v is None else convert(v) for v in values]


def _mapping(field: fields.Dict, name: str) -> Convert:
    if field.key_field is None and field.value_field is None:
        return dict
    key = _converter(field.key_field, name) if field.key_field else (lambda k: k)
    value = _converter(field.value_field, name) if field.value_field else (lambda v: v)
    return lambda mapping: {
        None if k is None else key(k): None if v is None else value(v) for k, v in mapping.items()
    }
