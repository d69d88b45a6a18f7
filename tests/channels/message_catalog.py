"""Every :class:`~dialogs.messages.Message` the dialogs can produce that a test can reach.

* every knowledge-base answer and the fallbacks (``dialogs.qa``);
* every fixed sentence of ``dialogs.texts`` as a plain message;
* every public function in the ``dialogs`` modules that is annotated to return a
  ``Message``, called with made-up arguments built from its type hints (functions whose
  arguments cannot be made up, or that refuse made-up values, are listed as skipped).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dialogs
from dialogs import qa, texts
from dialogs.deps import DialogDeps
from dialogs.messages import Action, Form, FormField, Message
from knowledge.search import SearchResult

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class _CannotMake(Exception):
    pass


_BY_NAME: dict[str, Any] = {"number": "2027-014", "budget_year": 2027, "year": 2027, "days": 7, "text": "Hvornår holder vi MED-møde?"}


def make(tp: Any, name: str = "") -> Any:
    if name in _BY_NAME and (tp in (str, int) or tp is inspect.Parameter.empty):
        return _BY_NAME[name]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        return "Fælles indkøb af kontorartikler"
    if tp is bool:
        return True
    if tp is int:
        return 3
    if tp is float:
        return 0.9
    if tp is datetime:
        return NOW
    if tp is date:
        return NOW.date()
    if tp is timedelta:
        return timedelta(hours=1)
    if tp is type(None):
        return None
    if tp is Message:
        return Message(text="Et svar.")
    if tp is Action:
        return Action(title="Ja", text="ja", dialog="idea")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return next(iter(tp))
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return make(real[0], name) if real else None
    if origin is typing.Literal:
        return args[0]
    if origin in (list, Sequence, typing.Sequence) or tp in (list,):
        return [make(args[0] if args else str, name), make(args[0] if args else str, name)]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return (make(args[0], name), make(args[0], name))
        return tuple(make(a, name) for a in args)
    if origin in (dict, Mapping, typing.Mapping) or tp is dict:
        return {}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if not f.init:
                continue
            kwargs[f.name] = make(hints.get(f.name, str), f.name)
        return tp(**kwargs)
    raise _CannotMake(f"no made-up value for {tp!r}")


def _returns_message(fn: Any) -> bool:
    try:
        return typing.get_type_hints(fn).get("return") is Message
    except Exception:  # noqa: BLE001 - unresolvable annotations: not ours to judge
        return False


def generated_messages() -> tuple[list[tuple[str, Message]], list[str]]:
    made: list[tuple[str, Message]] = []
    skipped: list[str] = []
    for info in pkgutil.iter_modules(dialogs.__path__):
        module = importlib.import_module(f"dialogs.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (
                name.startswith("_")
                or fn.__module__ != module.__name__
                or inspect.iscoroutinefunction(fn)
                or not _returns_message(fn)
            ):
                continue
            hints = typing.get_type_hints(fn)
            try:
                kwargs = {
                    p.name: make(hints.get(p.name, str), p.name)
                    for p in inspect.signature(fn).parameters.values()
                    if p.default is inspect.Parameter.empty
                }
                made.append((f"{module.__name__}.{name}", fn(**kwargs)))
            except Exception as exc:  # noqa: BLE001 - made-up arguments may be refused
                skipped.append(f"{module.__name__}.{name}: {type(exc).__name__}: {exc}")
    return made, skipped


def form_sample() -> Message:
    return Message(
        text="Udfyld formularen.",
        form=Form(
            id="sample",
            dialog="idea",
            submit_title="Send",
            fields=(
                FormField(id="title", label="Overskrift", required=True, max_length=120, value="x"),
                FormField(id="description", label="Beskrivelse", kind="multiline", required=True),
                FormField(id="area", label="Område", kind="choice", required=True, choices=(("Skole", "s"), ("Ældre", "e")), value="s"),
                FormField(id="anonymous", label="Anonymt", kind="toggle", value="true"),
            ),
        ),
        actions=(Action(title="Annuller", text="annuller", dialog="idea"),),
    )


def qa_messages(deps: DialogDeps) -> list[tuple[str, Message]]:
    out = [(f"qa.entry:{entry.id}", qa.entry_message(entry, deps)) for entry in deps.kb]
    out.append(("qa.fallback:none", qa.fallback_message(SearchResult(entry=None, score=0.0, fallback=True, suggestions=()))))
    some = tuple(deps.kb)[:3]
    out.append(("qa.fallback:suggestions", qa.fallback_message(SearchResult(entry=None, score=0.4, fallback=True, suggestions=some))))
    return out


def text_messages() -> list[tuple[str, Message]]:
    return [(f"texts.{name}", Message(text=value)) for name, value in vars(texts).items() if name.isupper() and isinstance(value, str) and value.strip()]
