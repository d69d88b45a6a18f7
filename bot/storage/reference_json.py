"""A stored conversation reference back into its model, without msrest's detours.

Every proactive send reads the reference its conversation was stored with
(``reference.serialize()``, bot/storage/conversations.py). ``cls.deserialize`` reads
it through msrest's generic deserialiser: for each attribute a copied descriptor, two
key extractors, type dispatch and the check for additional properties, nested model by
nested model. A stored reference has a simple shape — strings, a boolean, ``object``
values that are plain JSON, nested models — so a per-class plan built once from the
model's ``_attribute_map`` builds the same model directly.

:func:`model_from_json` gives exactly what ``cls.deserialize`` gives for what the plan
covers; anything else — a key the model does not know (msrest keeps it as an additional
property), a value of another type (msrest converts it), a class with validation rules,
subtypes or an XML map, a flattened key — raises :class:`Unsupported`, and
:func:`read_model` then leaves the whole document to ``cls.deserialize``. The tests
compare both on references stored from Teams and Slack activities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, Self, TypeVar

from bot.model_plans import Unsupported, cached_plan

__all__ = ["Unsupported", "model_from_json", "read_model"]


class _Model(Protocol):
    """What this module uses of a generated model class (msrest's ``Model``)."""

    _attribute_map: dict[str, dict[str, Any]]

    @classmethod
    def deserialize(cls, data: Any, content_type: str | None = None) -> Self: ...


M = TypeVar("M", bound=_Model)
_Step = tuple[str, str, Callable[[Any], Any]]
_Plan = tuple[tuple[_Step, ...], frozenset[str]]
_plans: dict[type, _Plan | None] = {}  # None: the class is left to cls.deserialize


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Unsupported(f"a {type(value).__name__} where a string is expected")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Unsupported(f"a {type(value).__name__} where a boolean is expected")
    return value


def _object(value: Any) -> Any:
    """msrest's ``deserialize_object`` on plain JSON: a copy, container by container."""
    kind = type(value)
    if kind is dict:
        return {key: _object(item) for key, item in value.items()}
    if kind is list:
        return [_object(item) for item in value]
    if value is None or kind is str or kind is bool or kind is int or kind is float:
        return value
    raise Unsupported(f"a {kind.__name__} inside an object value")


def _nested(cls: type) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return model_from_json(cls, value)

    return convert


_BASIC: dict[str, Callable[[Any], Any]] = {"str": _str, "bool": _bool, "object": _object}


def _build_plan(cls: type) -> _Plan:
    if getattr(cls, "_validation", None) or getattr(cls, "_subtype_map", None) or getattr(cls, "_xml_map", None):
        raise Unsupported(f"{cls.__name__} has validation rules, subtypes or an XML map")
    # The classes msrest resolves a nested type name against (the model's own package).
    models: dict[str, Any] = cls._infer_class_models()  # type: ignore[attr-defined]  # a generated model's classmethod
    steps: list[_Step] = []
    for attr, desc in cls._attribute_map.items():  # type: ignore[attr-defined]  # a generated model's class attribute
        key, type_name = desc.get("key"), desc.get("type")
        if attr == "additional_properties" or not key or "." in key or "\\" in key or set(desc) - {"key", "type"}:
            raise Unsupported(f"{cls.__name__}.{attr} is flattened, additional or has extras")
        convert = _BASIC.get(type_name) if isinstance(type_name, str) else None
        if convert is None:
            nested = models.get(type_name) if isinstance(type_name, str) else None
            if not isinstance(nested, type) or not hasattr(nested, "_attribute_map"):
                raise Unsupported(f"{cls.__name__}.{attr}: attribute type {type_name!r}")
            convert = _nested(nested)
        steps.append((attr, key, convert))
    return tuple(steps), frozenset(key for _attr, key, _convert in steps)


def _plan(cls: type) -> _Plan:
    return cached_plan(_plans, cls, lambda: _build_plan(cls))


def model_from_json(cls: type[M], data: Any) -> M:
    """The model ``cls.deserialize(data)`` gives for the JSON dict ``data`` (raises
    :class:`Unsupported` if unsure). Nothing of ``data`` is shared with the model."""
    if type(data) is not dict:
        raise Unsupported(f"a {type(data).__name__} where a model is expected")
    steps, known = _plan(cls)
    if not known.issuperset(data):
        raise Unsupported(f"keys {cls.__name__} does not know")
    arguments: dict[str, Any] = {}
    for attr, key, convert in steps:
        value = data.get(key)
        arguments[attr] = None if value is None else convert(value)
    return cls(**arguments)


def read_model(cls: type[M], data: Any) -> M:
    """``cls.deserialize(data)``, built directly where :func:`model_from_json` is sure."""
    try:
        return model_from_json(cls, data)
    except Unsupported:
        return cls.deserialize(data)
