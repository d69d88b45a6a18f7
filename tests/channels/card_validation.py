"""Validating Adaptive Cards against the official schema, and that nothing newer than 1.5 is used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import regex
from jsonschema.exceptions import ValidationError

from tests.channels.schemas import adaptive_card_schema

MAX_VERSION = (1, 5)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


CardValidator = jsonschema.validators.extend(jsonschema.Draft6Validator, {"pattern": _pattern})


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    return int(major), int(minor or 0)


class CardChecker:
    def __init__(self) -> None:
        self.schema = adaptive_card_schema()
        self.validator = CardValidator(self.schema)
        self.definitions: dict[str, Any] = self.schema["definitions"]

    def problems(self, card: dict[str, Any]) -> list[str]:
        found = [f"{list(e.absolute_path)}: {e.message[:300]}" for e in self.validator.iter_errors(card)]
        version = card.get("version")
        if not isinstance(version, str) or _version(version) > MAX_VERSION:
            found.append(f"card version {version!r} is above 1.5")
        found.extend(self._too_new(card, "card"))
        return found

    def _too_new(self, node: Any, where: str) -> list[str]:
        """Elements and properties the schema marks as newer than 1.5 (its ``version`` notes)."""
        out: list[str] = []
        if isinstance(node, list):
            for i, item in enumerate(node):
                out.extend(self._too_new(item, f"{where}[{i}]"))
        elif isinstance(node, dict):
            definition = self.definitions.get(str(node.get("type", "")))
            if definition is not None:
                if _version(definition.get("version", "1.0")) > MAX_VERSION:
                    out.append(f"{where}: {node['type']} needs {definition['version']}")
                for key in node:
                    prop = definition.get("properties", {}).get(key, {})
                    if isinstance(prop, dict) and _version(prop.get("version", "1.0")) > MAX_VERSION:
                        out.append(f"{where}.{key} needs {prop['version']}")
            for key, value in node.items():
                out.extend(self._too_new(value, f"{where}.{key}"))
        return out
