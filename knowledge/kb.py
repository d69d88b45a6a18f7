"""The curated MED knowledge base: entries, their sources, and a validating loader.

The entries live as TOML files in ``knowledge/data/kb/`` (one file per theme), each an
array of ``[[entry]]`` tables::

    [[entry]]
    id = "amr"                       # kebab-case, stable, unique
    title = "Hvad er en AMR?"        # the question the entry answers
    questions = ["Hvad står AMR for?", ...]
    keywords = ["arbejdsmiljørepræsentant", ...]
    answer = "..."
    related = ["trio", "tr"]         # ids of other entries
    source = { seed = "002", section = "Kompetenceforhold – ..." }
    municipality = "Albertslund"     # omitted when the fact is general

Every answer must be traceable to one of the seed documents in :data:`SEEDS`; the
loader refuses data that is not (see :meth:`KnowledgeBase.load`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.sources import SEED_TITLES

__all__ = [
    "DEFAULT_KB_DIR",
    "SEEDS",
    "Entry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Source",
]

DEFAULT_KB_DIR = Path(__file__).resolve().parent / "data" / "kb"

#: The seed documents (``../shared/seeds/NNN_*.txt``) by their file-name prefix.
SEEDS: Mapping[str, str] = SEED_TITLES

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENTRY_KEYS = frozenset(
    {"id", "title", "questions", "keywords", "answer", "related", "source", "municipality"}
)
_REQUIRED_KEYS = frozenset({"id", "title", "questions", "answer", "source"})
_SOURCE_KEYS = frozenset({"seed", "section"})


class KnowledgeBaseError(ValueError):
    """The knowledge data is malformed; the message says which file and entry."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entry's facts come from: a seed document and the section in it."""

    seed: str
    section: str

    @property
    def seed_title(self) -> str:
        """The seed document's human-readable name."""
        return SEEDS.get(self.seed, self.seed)

    def cite(self) -> str:
        """A one-line citation, e.g. for the bot's »Kilde:« line."""
        return f"{self.seed_title} – {self.section}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One curated question with its answer."""

    id: str
    title: str
    questions: tuple[str, ...]
    keywords: tuple[str, ...]
    answer: str
    related: tuple[str, ...]
    source: Source
    municipality: str | None = None


class KnowledgeBase:
    """A validated, immutable collection of :class:`Entry` objects in file order."""

    __slots__ = ("_entries", "_by_id")

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: tuple[Entry, ...] = tuple(entries)
        self._by_id: dict[str, Entry] = {}
        for entry in self._entries:
            if entry.id in self._by_id:
                raise KnowledgeBaseError(f"duplicate entry id {entry.id!r}")
            self._by_id[entry.id] = entry
        for entry in self._entries:
            _check_entry(entry)
            for rel in entry.related:
                if rel == entry.id:
                    raise KnowledgeBaseError(f"entry {entry.id!r} lists itself as related")
                if rel not in self._by_id:
                    raise KnowledgeBaseError(
                        f"entry {entry.id!r} has unknown related id {rel!r}"
                    )

    # -- loading ---------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> KnowledgeBase:
        """Load and validate the entries in ``path``.

        ``path`` is a directory (every ``*.toml`` in it, in name order) or a single TOML
        file; by default the packaged ``knowledge/data/kb`` directory. Raises
        :class:`KnowledgeBaseError` on any malformed or untraceable data.
        """
        root = DEFAULT_KB_DIR if path is None else Path(path)
        if root.is_dir():
            files = sorted(root.glob("*.toml"))
            if not files:
                raise KnowledgeBaseError(f"no *.toml files in {root}")
        elif root.is_file():
            files = [root]
        else:
            raise KnowledgeBaseError(f"knowledge base not found: {root}")
        entries: list[Entry] = []
        for file in files:
            entries.extend(_read_file(file))
        return cls(entries)

    @classmethod
    def from_dicts(cls, items: Iterable[Mapping[str, Any]], origin: str = "<data>") -> KnowledgeBase:
        """Build a knowledge base from already-parsed entry tables (as in the TOML)."""
        return cls(_parse_entry(item, origin, n) for n, item in enumerate(items, 1))

    # -- access ----------------------------------------------------------------

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._entries

    def get(self, entry_id: str) -> Entry | None:
        """The entry with ``entry_id``, or ``None``."""
        return self._by_id.get(entry_id)

    def __getitem__(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"KnowledgeBase({len(self._entries)} entries)"


# -- parsing and validation -----------------------------------------------------


def _read_file(file: Path) -> list[Entry]:
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"{file.name}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise KnowledgeBaseError(f"{file.name}: cannot read: {exc}") from exc
    unknown = set(data) - {"entry"}
    if unknown:
        raise KnowledgeBaseError(f"{file.name}: unknown top-level keys {sorted(unknown)}")
    items = data.get("entry", [])
    if not isinstance(items, list):
        raise KnowledgeBaseError(f"{file.name}: 'entry' must be an array of tables ([[entry]])")
    return [_parse_entry(item, file.name, n) for n, item in enumerate(items, 1)]


def _parse_entry(raw: Mapping[str, Any], origin: str, number: int) -> Entry:
    where = f"{origin}: entry #{number}"
    if not isinstance(raw, Mapping):
        raise KnowledgeBaseError(f"{where}: must be a table")
    if isinstance(raw.get("id"), str):
        where = f"{origin}: entry {raw['id']!r}"
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown keys {sorted(unknown)}")
    missing = _REQUIRED_KEYS - set(raw)
    if missing:
        raise KnowledgeBaseError(f"{where}: missing keys {sorted(missing)}")
    source = raw["source"]
    if not isinstance(source, Mapping):
        raise KnowledgeBaseError(f"{where}: source must be a table {{seed, section}}")
    unknown = set(source) - _SOURCE_KEYS
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown source keys {sorted(unknown)}")
    municipality = raw.get("municipality")
    if municipality is not None and not isinstance(municipality, str):
        raise KnowledgeBaseError(f"{where}: municipality must be a string")
    try:
        entry = Entry(
            id=_text(raw["id"], "id"),
            title=_text(raw["title"], "title"),
            questions=_texts(raw["questions"], "questions"),
            keywords=_texts(raw.get("keywords", []), "keywords"),
            answer=_text(raw["answer"], "answer"),
            related=_texts(raw.get("related", []), "related"),
            source=Source(
                seed=_text(source.get("seed", ""), "source.seed"),
                section=_text(source.get("section", ""), "source.section"),
            ),
            municipality=municipality,
        )
        _check_entry(entry)
    except KnowledgeBaseError as exc:
        raise KnowledgeBaseError(f"{where}: {exc}") from None
    return entry


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise KnowledgeBaseError(f"{name} must be a string")
    text = value.strip()
    if not text:
        raise KnowledgeBaseError(f"{name} must not be empty")
    return text


def _texts(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise KnowledgeBaseError(f"{name} must be a list of strings")
    return tuple(_text(item, name) for item in value)


def _check_entry(entry: Entry) -> None:
    """Checks that need only the entry itself (cross-entry checks are in __init__)."""
    if not _ID.fullmatch(entry.id):
        raise KnowledgeBaseError(f"id {entry.id!r} is not kebab-case (a-z, 0-9, '-')")
    for name in ("title", "answer"):
        if not getattr(entry, name).strip():
            raise KnowledgeBaseError(f"entry {entry.id!r}: {name} must not be empty")
    if not entry.questions:
        raise KnowledgeBaseError(f"entry {entry.id!r}: needs at least one question variant")
    if entry.source.seed not in SEEDS:
        raise KnowledgeBaseError(
            f"entry {entry.id!r}: unknown seed {entry.source.seed!r} "
            f"(known: {', '.join(SEEDS)})"
        )
    if not entry.source.section.strip():
        raise KnowledgeBaseError(f"entry {entry.id!r}: source.section must not be empty")
    if entry.municipality is not None and not entry.municipality.strip():
        raise KnowledgeBaseError(f"entry {entry.id!r}: municipality must not be empty")
    if len(set(entry.related)) != len(entry.related):
        raise KnowledgeBaseError(f"entry {entry.id!r}: duplicate related ids")
