"""msrest ``Model`` -> JSON dict, the same result as msrest's ``Serializer.body``, without its detours.

msrest serialises an outgoing ``Activity`` generically: it first runs a whole
``Deserializer`` pass over the model (to turn nested dicts into models), validates it,
then walks every attribute through several layers of type dispatch, for every
reply. The Bot Framework schema is simple — no validation rules, no flattened keys, no XML, no
read-only attributes — so a per-class plan built once does the same work directly.

:func:`model_to_json` follows msrest 0.7.1 rule for rule for what the plan covers
(``None`` attributes left out, ``str`` attributes through ``.value``/``str()``,
``bool``/``int``/``float``/``long`` coerced, ``iso-8601`` through msrest's own
``serialize_iso``, ``object`` values as ``serialize_object`` does, lists and dicts
element by element, nested models by their own class). Anything else — a dict where a
model is expected (msrest would build the model first), a type the plan does not
cover, an enum inside an ``object`` — raises :class:`Unsupported`, and
:class:`FastSerializer` then hands the whole body to msrest unchanged. The tests
compare both serialisers on every kind of activity the bot sends.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from typing import Any

from msrest.serialization import Model, Serializer

from bot.model_plans import Unsupported, cached_plan

__all__ = ["FastSerializer", "Unsupported", "model_to_json"]


_Plan = tuple[tuple[str, str, Callable[[Any], Any]], ...]
_plans: dict[type, _Plan | None] = {}  # None: the class is left to msrest


def _unicode(value: Any) -> Any:
    # msrest serialize_unicode: an enum (anything with .value) gives its value, else str().
    try:
        return value.value
    except AttributeError:
        return str(value)


def _bool(value: Any) -> bool:
    return bool(value)


def _int(value: Any) -> int:
    return int(value)


def _float(value: Any) -> float:
    return float(value)


def _iso(value: Any) -> str:
    return str(Serializer.serialize_iso(value))


def _model(value: Any) -> dict[str, Any]:
    if not isinstance(value, Model):
        raise Unsupported(f"a {type(value).__name__} where a model is expected")
    return model_to_json(value)


def _object(value: Any) -> Any:
    """msrest ``serialize_object`` for the values it handles without a detour."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return value
    if kind is bool or kind is int:
        return value
    if kind is float:
        return value
    if kind is dict:
        return {_unicode(k): _object(v) for k, v in value.items()}
    if kind is list:
        return [_object(v) for v in value]
    if kind is datetime.datetime:
        return _iso(value)
    if isinstance(value, Model):
        return model_to_json(value)
    if isinstance(value, enum.Enum):
        raise Unsupported("an enum inside an object value")
    if kind in (datetime.date, datetime.time, datetime.timedelta) or not isinstance(value, (str, int, float)):
        # date/time/duration/Decimal have their own msrest formats; other objects become str()
        # in msrest, unless they are models it knows; leave all of that to msrest.
        raise Unsupported(f"a {kind.__name__} inside an object value")
    raise Unsupported(f"a {kind.__name__} subclass inside an object value")


def _list_of(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> list[Any]:
        if isinstance(value, str):
            raise Unsupported("a string where a list is expected")
        return [None if v is None else item(v) for v in value]

    return convert


def _dict_of(item: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> dict[str, Any]:
        return {_unicode(k): (None if v is None else item(v)) for k, v in value.items()}

    return convert


_BASIC: dict[str, Callable[[Any], Any]] = {
    "str": _unicode,
    "bool": _bool,
    "int": _int,
    "long": _int,
    "float": _float,
    "iso-8601": _iso,
    "object": _object,
}


def _converter(type_name: Any) -> Callable[[Any], Any]:
    if not isinstance(type_name, str):
        raise Unsupported(f"attribute type {type_name!r}")
    if type_name in _BASIC:
        return _BASIC[type_name]
    if len(type_name) > 2 and type_name[0] == "[" and type_name[-1] == "]":
        return _list_of(_converter(type_name[1:-1]))
    if len(type_name) > 2 and type_name[0] == "{" and type_name[-1] == "}":
        return _dict_of(_converter(type_name[1:-1]))
    if type_name[:1].isupper():
        # A model class: msrest serialises the value by its own class's map.
        return _model
    raise Unsupported(f"attribute type {type_name!r}")


def _plan(cls: type) -> _Plan:
    return cached_plan(_plans, cls, lambda: _build_plan(cls))


def _build_plan(cls: type) -> _Plan:
    if getattr(cls, "_validation", None) or getattr(cls, "_xml_map", None):
        raise Unsupported(f"{cls.__name__} has validation rules or an XML map")
    steps: list[tuple[str, str, Callable[[Any], Any]]] = []
    for attr, desc in cls._attribute_map.items():  # type: ignore[attr-defined]  # msrest's models have _attribute_map; their stubs do not say so
        key = desc["key"]
        if not key or "." in key or "\\" in key or set(desc) - {"key", "type"}:
            raise Unsupported(f"{cls.__name__}.{attr} is flattened or has extras")
        steps.append((attr, key, _converter(desc["type"])))
    return tuple(steps)


def model_to_json(model: Model) -> dict[str, Any]:
    """The JSON dict msrest would send for ``model`` (raises :class:`Unsupported` if unsure)."""
    out: dict[str, Any] = {}
    for attr, key, convert in _plan(type(model)):
        value = getattr(model, attr)
        if value is None:
            continue
        try:
            out[key] = convert(value)
        except (TypeError, ValueError) as exc:
            raise Unsupported(f"{type(model).__name__}.{attr}: {exc}") from exc
    return out


class FastSerializer(Serializer):
    """msrest's Serializer with a fast path for request bodies that are models."""

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        if not kwargs and isinstance(data, Model) and type(data) is self.dependencies.get(data_type):
            try:
                return model_to_json(data)
            except Unsupported:
                pass
        return super().body(data, data_type, **kwargs)
