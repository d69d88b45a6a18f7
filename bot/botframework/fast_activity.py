"""JSON dict -> ``Activity``, the same object graph as msrest's ``Activity().deserialize``, ~10x faster.

The other direction of :mod:`bot.botframework.fast_json`. msrest parses an incoming activity
generically: for every attribute of every model it copies the attribute description,
runs two key extractors, dispatches on the type string, and at the end builds the set
of unknown keys and instantiates the model through a keyword-argument filter. For a
Teams message that is ~0.1 ms of CPU, ~10 % of a whole turn. The Bot Framework schema
is simple — no validation rules, no flattened keys, no polymorphic subtypes, no enums
as attribute types — so a per-class plan built once does the same work directly.

:func:`model_from_json` follows msrest 0.7.1 (``Deserializer._deserialize`` with its
default key extractors) rule for rule for what the plan covers:

* each attribute is ``data.get(key)``; ``None``/missing gives ``None``;
* ``str``: a ``str`` as is, an ``int``/``float``/``bool`` through ``str()``;
* ``bool``: ``True``/``False``, ``0``/``1`` (int or float), ``"true"``/``"false"``/
  ``"1"``/``"0"`` in any case;
* ``int``: ``int()`` of an ``int``, ``bool``, ``float`` or ``str``;
* ``iso-8601``: the common ``YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM|)`` form is built here
  with the very tzinfo objects isodate gives (``isodate.UTC``, ``isodate.FixedOffset``),
  fractions beyond 6 digits cut as msrest cuts them; any other string goes through
  msrest's own ``Deserializer.deserialize_iso``;
* ``object``: ``deserialize_object`` — new dicts and lists, JSON scalars as they are;
* ``[T]``/``{T}``: a list/dict element by element (``None`` elements kept);
* nested models from a dict, by their own plan;
* keys the class does not know go to ``additional_properties`` as msrest builds it
  (``set(data) - known`` in that order, the values themselves, not copies); with none,
  ``additional_properties`` is the ``{}`` that ``Model.__init__`` leaves.

Models are created without running ``__init__``: when the plan is built, one probe
instance checks that ``__init__`` only stores each keyword argument under its own name
after ``additional_properties = {}``; the fast path then fills ``__dict__`` with the same
keys in the same order.

Anything else raises :class:`Unsupported` — a value of a type msrest would convert in
some other way or reject (``from`` as a string, ``entities`` as a dict, a timestamp it
cannot parse, a ``str`` attribute holding a list, ``{T}`` given as a list of key/value
pairs, an ``object`` value nested deeper than :data:`MAX_OBJECT_DEPTH`), a class the plan
does not cover, or any error at all while converting — and :func:`activity_from_json`
then hands the whole body to msrest unchanged, so msrest's result and msrest's own
errors (``DeserializationError``, ``TypeError``, …) are what the caller gets. The tests
compare both parsers node by node on real activities and on mutated ones.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from botbuilder.schema import Activity
from isodate import UTC as ISODATE_UTC
from isodate import FixedOffset
from msrest.serialization import Deserializer, Model

from bot.botframework.fast_json import Unsupported, cached_plan

__all__ = ["MAX_OBJECT_DEPTH", "Unsupported", "activity_from_json", "model_from_json"]

M = TypeVar("M", bound=Model)

# ``object`` values nested deeper than this go to msrest (whose recursion is deeper
# than ours, so near the recursion limit only msrest can tell what happens).
MAX_OBJECT_DEPTH = 64

_Convert = Callable[[Any], Any]


class _Plan(NamedTuple):
    cls: type
    # additional_properties and every attribute (None), in the order __init__ stores them
    template: dict[str, Any]
    # JSON key -> (attribute, converter, the attribute is a plain ``str``)
    by_key: dict[str, tuple[str, _Convert, bool]]
    known_keys: frozenset[str]


_plans: dict[type, _Plan | None] = {}  # None: the class is left to msrest


# --- scalars -------------------------------------------------------------------------


def _str(value: Any) -> str:
    # msrest deserialize_unicode: str(data). Containers would give their repr; rare, left to msrest.
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int or kind is float or kind is bool:
        return str(value)
    raise Unsupported(f"a {kind.__name__} where a string is expected")


def _bool(value: Any) -> bool:
    # msrest deserialize_basic(..., "bool").
    kind = type(value)
    if kind is bool:
        return value  # type: ignore[no-any-return]
    if (kind is int or kind is float) and (value == 1 or value == 0):
        return bool(value)
    if kind is str:
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    raise Unsupported(f"{value!r} where a bool is expected")


def _int(value: Any) -> int:
    # msrest deserialize_basic(..., "int"): int(data).
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is bool or kind is float or kind is str:
        return int(value)  # errors (ValueError, OverflowError) -> Unsupported -> msrest
    raise Unsupported(f"a {kind.__name__} where an int is expected")


_ISO_COMMON = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def _iso(value: Any) -> datetime.datetime:
    """msrest ``Deserializer.deserialize_iso`` (isodate underneath)."""
    if type(value) is not str:
        raise Unsupported("a non-string timestamp")
    match = _ISO_COMMON.fullmatch(value)
    if match is None:
        result: datetime.datetime = Deserializer.deserialize_iso(value)  # the same call msrest makes
        return result
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    # msrest keeps the first 6 fraction digits; isodate floors to microseconds, so the
    # digits themselves, right-padded, are the microseconds.
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    tzinfo: datetime.tzinfo | None
    offset_minutes = 0
    if zone is None:
        tzinfo = None
    elif zone == "Z":
        tzinfo = ISODATE_UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        offset_minutes = hours * 60 + minutes
        tzinfo = FixedOffset(sign * hours, sign * minutes, zone)
    result = datetime.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), microsecond, tzinfo
    )
    if not (1 < result.year < 9999 and offset_minutes < 24 * 60):
        # msrest's range check: a UTC year outside 1..9999, or an offset of 24 h or more
        # (which utcoffset() rejects), fails. Inside those bounds it cannot.
        utc = result.utctimetuple()
        if utc.tm_year > 9999 or utc.tm_year < 1:
            raise Unsupported("a timestamp out of range")
    return result


def _object(value: Any, depth: int = 0) -> Any:
    """msrest ``deserialize_object`` for JSON values."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value  # str()/int()/float()/bool() of these give the value itself
    if depth >= MAX_OBJECT_DEPTH:
        raise Unsupported("an object value nested too deeply")
    if kind is dict:
        return {k: _object(v, depth + 1) for k, v in value.items()}
    if kind is list:
        return [_object(v, depth + 1) for v in value]
    raise Unsupported(f"a {kind.__name__} inside an object value")


_BASIC: dict[str, _Convert] = {
    "str": _str,
    "bool": _bool,
    "int": _int,
    "iso-8601": _iso,
    "object": _object,
}


# --- containers and models -----------------------------------------------------------


def _list_of(item: _Convert) -> _Convert:
    def convert(value: Any) -> list[Any]:
        if type(value) is not list:
            raise Unsupported("not a list where a list is expected")
        return [None if v is None else item(v) for v in value]

    return convert


def _dict_of(item: _Convert) -> _Convert:
    def convert(value: Any) -> dict[Any, Any]:
        if type(value) is not dict:
            # msrest also takes a list of {"key", "value"} pairs; that is left to it.
            raise Unsupported("not a dict where a dict is expected")
        return {k: (None if v is None else item(v)) for k, v in value.items()}

    return convert


def _model_of(cls: type, dependencies: dict[str, Any]) -> _Convert:
    resolved: list[_Plan] = []  # the class's plan, looked up on first use (so cycles are fine)

    def convert(value: Any) -> Any:
        if type(value) is not dict:
            raise Unsupported(f"a {type(value).__name__} where a {cls.__name__} is expected")
        if not resolved:
            resolved.append(_plan(cls, dependencies))
        return _build(resolved[0], value)

    return convert


def _converter(type_name: Any, dependencies: dict[str, Any]) -> _Convert:
    """The converter for one msrest type string, resolved as ``deserialize_data`` does."""
    if not isinstance(type_name, str) or not type_name:
        raise Unsupported(f"attribute type {type_name!r}")
    if type_name in _BASIC:
        return _BASIC[type_name]
    if type_name in ("float", "long", "rfc-1123", "unix-time", "duration", "date", "time", "decimal",
                     "bytearray", "base64", "[]", "{}"):
        raise Unsupported(f"attribute type {type_name!r}")
    if len(type_name) > 2 and type_name[0] == "[" and type_name[-1] == "]":
        return _list_of(_converter(type_name[1:-1], dependencies))
    if len(type_name) > 2 and type_name[0] == "{" and type_name[-1] == "}":
        return _dict_of(_converter(type_name[1:-1], dependencies))
    target = dependencies.get(type_name)
    if isinstance(target, type) and issubclass(target, Model):
        return _model_of(target, dependencies)
    raise Unsupported(f"attribute type {type_name!r} (an enum or unknown)")  # enums: deserialize_enum


def _plan(cls: type, dependencies: dict[str, Any]) -> _Plan:
    return cached_plan(_plans, cls, lambda: _build_plan(cls, dependencies))


def _build_plan(cls: type, dependencies: dict[str, Any]) -> _Plan:
    name = cls.__name__
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        raise Unsupported(f"{name} is not a model")
    if getattr(cls, "_validation", None) or getattr(cls, "_subtype_map", None) or "_subtype_map" in cls.__dict__:
        raise Unsupported(f"{name} has validation rules or subtypes")
    if getattr(cls._classify, "__func__", None) is not Model._classify.__func__:  # type: ignore[attr-defined]
        raise Unsupported(f"{name} classifies its data itself")
    if type(cls) is not type or cls.__new__ is not object.__new__ or cls.__setattr__ is not object.__setattr__:
        raise Unsupported(f"{name} has a metaclass, __new__ or __setattr__")
    attribute_map: dict[str, dict[str, Any]] = cls._attribute_map  # type: ignore[attr-defined]
    if "additional_properties" in attribute_map:
        raise Unsupported(f"{name} maps additional_properties itself")
    by_key: dict[str, tuple[str, _Convert, bool]] = {}
    for attr, desc in attribute_map.items():
        key = desc.get("key")
        if not isinstance(key, str) or not key or "." in key or "\\" in key or set(desc) - {"key", "type"}:
            raise Unsupported(f"{name}.{attr} is flattened or has extras")
        if key in by_key:
            raise Unsupported(f"{name}.{attr} shares its key")
        by_key[key] = (attr, _converter(desc.get("type"), dependencies), desc.get("type") == "str")

    # __init__ must store exactly its keyword arguments, after additional_properties = {}.
    sentinels = {attr: object() for attr in attribute_map}
    try:
        state = cls(**sentinels).__dict__
    except Exception as exc:
        raise Unsupported(f"{name}(**attributes) fails: {exc}") from exc
    order = list(state)
    if (
        not order
        or order[0] != "additional_properties"
        or type(state["additional_properties"]) is not dict
        or state["additional_properties"]
        or sorted(order[1:]) != sorted(attribute_map)
        or any(state[attr] is not sentinels[attr] for attr in order[1:])
    ):
        raise Unsupported(f"{name}.__init__ does more than store its arguments")
    return _Plan(cls, dict.fromkeys(order), by_key, frozenset(by_key))


def _build(plan: _Plan, data: dict[Any, Any]) -> Any:
    state = plan.template.copy()
    by_key = plan.by_key
    unknown = False
    for key, raw in data.items():
        step = by_key.get(key)
        if step is None:
            unknown = True
        elif raw is not None:
            attr, convert, plain_str = step
            state[attr] = raw if plain_str and type(raw) is str else convert(raw)
    if unknown:
        # As msrest's _build_additional_properties builds it (and so in the same order):
        # the values themselves, not copies.
        missing_keys = set(data.keys()) - plan.known_keys
        state["additional_properties"] = {key: data[key] for key in missing_keys}
    else:
        state["additional_properties"] = {}  # what Model.__init__ leaves
    model = object.__new__(plan.cls)
    model.__dict__ = state
    return model


def model_from_json(cls: type[M], data: Any) -> M:
    """What ``cls.deserialize(data)`` gives, or :class:`Unsupported` if the plan is unsure.

    ``cls`` is the top-level class: nested model names are resolved in its module, as
    msrest's ``Model.deserialize`` resolves them.
    """
    if type(data) is not dict:
        raise Unsupported(f"a {type(data).__name__} body")
    try:
        plan = _plans.get(cls) or _plan(cls, cls._infer_class_models())  # type: ignore[attr-defined]
        return _build(plan, data)  # type: ignore[no-any-return]
    except Unsupported:
        raise
    except Exception as exc:  # any doubt at all: msrest decides, with its own errors
        raise Unsupported(f"{type(exc).__name__}: {exc}") from exc


def activity_from_json(body: dict[str, Any]) -> Activity:
    """``Activity().deserialize(body)``, the same objects and the same errors, faster."""
    try:
        return model_from_json(Activity, body)
    except Unsupported:
        return Activity.deserialize(body)
