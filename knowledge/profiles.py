"""Municipality profiles: MED level names, committees, contacts and idea routing.

A profile is one TOML file per municipality in ``knowledge/data/profiles/`` (or in an
extra directory the caller points at, so a municipality can keep its file outside the
package). The file name is the profile id: ``albertslund.toml`` -> ``albertslund``.

Every fact in a profile carries a :class:`Source`: either a seed document id and the
section it comes from, or ``seed = "config"`` for data the municipality configured
itself. What the seeds do not say is left empty and listed in ``to_be_configured`` –
the bot must never invent a person, an address or a rule.

Top-level tables this module does not know (for instance a calendar that another
part of the system reads) are kept untouched in :attr:`Profile.extra`; unknown keys
*inside* the known tables are errors, because they are almost always typos.
"""

from __future__ import annotations

import builtins
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from knowledge.normalize import fold
from knowledge.sources import SEED_TITLES, source_line

__all__ = [
    "LEVEL_CODES",
    "Area",
    "Contact",
    "IdeaRouting",
    "LevelInfo",
    "Profile",
    "ProfileError",
    "ProfileNotFound",
    "Source",
    "available_profiles",
    "default_profiles_dir",
    "load_profile",
    "parse_profile",
]

LEVEL_CODES: Final[tuple[str, ...]] = ("top", "middle", "local")
CONFIG_SEED: Final = "config"

_ID_RX = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_EMAIL_RX = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_SEED_RX = re.compile(r"^\d{3}$")


class ProfileError(ValueError):
    """A profile file is missing, unreadable or invalid."""


class ProfileNotFound(ProfileError, LookupError):
    """No profile with the requested id exists in any profile directory."""


def default_profiles_dir() -> Path:
    """The folder inside the package that holds the shipped profiles."""
    return Path(__file__).resolve().parent / "data" / "profiles"


# --- the model -------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a seed id ("000".."004") and section, or ``config``."""

    seed: str
    section: str = ""

    @property
    def configured(self) -> bool:
        """True when the municipality configured the fact itself (no seed behind it)."""
        return self.seed == CONFIG_SEED

    def label(self) -> str:
        """A readable reference for an answer."""
        if self.configured:
            text = "Kommunens egen konfiguration"
            return f"{text} – {self.section}" if self.section else text
        return source_line(self.seed, self.section)

    def __str__(self) -> str:
        return f"{self.seed}: {self.section}" if self.section else self.seed


@dataclass(frozen=True)
class Contact:
    """A named person (or a role still to be filled in) with its source."""

    name: str
    email: str
    role: str
    source: Source

    @property
    def is_configured(self) -> bool:
        """False while the municipality has not filled in who it is."""
        return bool(self.name or self.email)

    def display(self) -> str:
        """``Navn (mail)`` / ``Navn`` / ``mail`` – empty when not configured."""
        if self.name and self.email:
            return f"{self.name} ({self.email})"
        return self.name or self.email


@dataclass(frozen=True)
class LevelInfo:
    """One MED level as the municipality names it."""

    code: str
    name: str
    aliases: tuple[str, ...]
    deciders: tuple[str, ...]
    contact: Contact | None
    admin_user_ids: tuple[str, ...]
    source: Source

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Area:
    """A forvaltning/afdeling with its own middle-level committee."""

    id: str
    name: str
    aliases: tuple[str, ...]
    committee: str
    committee_aliases: tuple[str, ...]
    level: str
    chair: Contact | None
    contacts: tuple[Contact, ...]
    admin_user_ids: tuple[str, ...]
    source: Source

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, self.committee, *self.committee_aliases)


@dataclass(frozen=True)
class IdeaRouting:
    """Where 'Den gode idé' goes: to ``route_to``; cross-cutting ideas to ``cross_cutting_to``."""

    route_to: str
    cross_cutting_to: str
    postkasse: str
    notes: tuple[str, ...]
    source: Source


@dataclass(frozen=True)
class Profile:
    """Everything the bot knows about one municipality's MED organisation."""

    id: str
    name: str
    aliases: tuple[str, ...]
    levels: Mapping[str, LevelInfo] = field(hash=False)
    areas: tuple[Area, ...]
    ideas: IdeaRouting
    to_be_configured: tuple[str, ...]
    source: Source
    path: Path | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False, compare=False)

    # -- names ---------------------------------------------------------------

    @property
    def municipality_key(self) -> str:
        """The name knowledge entries use for this municipality (``municipality = "..."``)."""
        return self.aliases[0] if self.aliases else self.name.removesuffix(" Kommune")

    def level(self, code: str) -> LevelInfo:
        try:
            return self.levels[code]
        except KeyError:
            raise KeyError(f"unknown MED level code {code!r}; expected one of {LEVEL_CODES}") from None

    def level_name(self, code: str) -> str:
        """The municipality's name for a level code: ``top`` -> ``KommuneMED``."""
        return self.level(code).name

    def level_names(self) -> dict[str, str]:
        """``{"top": "KommuneMED", "middle": ..., "local": ...}`` as plain strings."""
        return {code: self.levels[code].name for code in LEVEL_CODES}

    def deciders(self, code: str) -> tuple[str, ...]:
        return self.level(code).deciders

    def names(self) -> tuple[str, ...]:
        """Every name a user may use for this municipality, its committees and its areas."""
        found = [self.name, *self.aliases]
        for level in self.levels.values():
            found.extend(level.all_names)
        for area in self.areas:
            found.extend(area.all_names)
        return tuple(dict.fromkeys(n for n in found if n))

    def committee_mentions(self, text: str) -> list[tuple[str, str]]:
        """The committees named in ``text`` as ``(level code, name as configured)``.

        A mention says where somebody *thinks* the case belongs, never who decides.
        """
        haystack = f" {fold(text)} "
        compact = haystack.replace(" ", "")
        found: list[tuple[str, str]] = []
        for code in LEVEL_CODES:
            for name in self.levels[code].all_names:
                needle = fold(name)
                if not needle:
                    continue
                hit = f" {needle} " in haystack
                if not hit and " " not in needle and len(needle) >= 7:
                    # "HovedMED-udvalget" folds to "hovedmedudvalget": allow a suffix.
                    hit = re.search(rf"\b{re.escape(needle)}\w*", haystack) is not None
                if not hit and " " in needle and needle.replace(" ", "") in compact:
                    hit = True
                if hit:
                    found.append((code, name))
                    break
        return found

    def find_area(self, text: str) -> Area | None:
        """The area (forvaltning/afdeling) named in ``text``, if exactly one is."""
        hits = [area for area in self.areas if _names_match(area.all_names, text)]
        return hits[0] if len(hits) == 1 else None

    def area(self, area_id: str) -> Area:
        for candidate in self.areas:
            if candidate.id == area_id:
                return candidate
        raise KeyError(f"{self.id}: no area {area_id!r}")

    # -- contacts and idea routing -----------------------------------------------

    def committee_contacts(self, code: str, area_id: str | None = None) -> tuple[Contact, ...]:
        """Configured contact persons for a level (and area); empty when not configured."""
        contacts: list[Contact] = []
        if area_id is not None:
            area = self.area(area_id)
            contacts.extend(c for c in (area.chair, *area.contacts) if c is not None and c.is_configured)
        else:
            contact = self.level(code).contact
            if contact is not None and contact.is_configured:
                contacts.append(contact)
        return tuple(contacts)

    def idea_route(self, area_id: str | None = None, *, cross_cutting: bool = False) -> tuple[str, tuple[Contact, ...]]:
        """Committee name and contacts for a new idea.

        Ideas go to the area's middle committee (its contact persons), also ideas that
        cut across forvaltninger: ForvaltningsMED sends those on to the top committee
        (000, 'Den gode idé'). Without an area, the idea goes to ``route_to``.
        """
        if area_id is not None:
            area = self.area(area_id)
            return area.committee, self.committee_contacts(area.level, area.id)
        code = self.ideas.route_to
        return self.level_name(code), self.committee_contacts(code)

    def admin_user_ids(self, code: str, area_id: str | None = None) -> tuple[str, ...]:
        if area_id is not None:
            return self.area(area_id).admin_user_ids
        return self.level(code).admin_user_ids


def _names_match(names: Iterable[str], text: str) -> bool:
    folded = f" {fold(text)} "
    for name in names:
        if not name:
            continue
        if name.isupper() and len(name.replace(" ", "")) <= 5:
            # Abbreviations (SSB, BFF, ØS) are matched as written: "ØS" folds to "os".
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                return True
            continue
        needle = fold(name)
        if len(needle) >= 3 and f" {needle} " in folded:
            return True
    return False


# --- loading -----------------------------------------------------------------


def _normalise_id(org_id: str) -> str:
    folded = fold(org_id).replace(" ", "")
    for suffix in ("kommune", "kommunes"):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            folded = folded[: -len(suffix)]
    return folded


def _profile_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        return {}
    return {path.stem: path for path in sorted(directory.glob("*.toml")) if path.is_file()}


def available_profiles(extra_dir: Path | None = None) -> list[str]:
    """The ids of every profile in the package folder (and ``extra_dir``), sorted."""
    ids = set(_profile_files(default_profiles_dir()))
    if extra_dir is not None:
        if extra_dir.is_file():
            ids.add(extra_dir.stem)
        else:
            ids.update(_profile_files(extra_dir))
    return sorted(ids)


def load_profile(org_id: str, path: Path | None = None) -> Profile:
    """Load and validate the profile ``org_id``.

    ``path`` may be a TOML file (loaded as is) or a directory searched before the
    package folder. ``org_id`` is forgiving: "Albertslund Kommune" finds
    ``albertslund``; the folded file stem is compared, so "Jammerbugt" and
    "jammerbugt" are the same.
    """
    wanted = _normalise_id(org_id)
    if not wanted:
        raise ProfileNotFound("no municipality given")
    if path is not None and path.is_file():
        profile = parse_profile(_read_toml(path), path=path)
        if _normalise_id(profile.id) != wanted and wanted not in {_normalise_id(a) for a in profile.aliases}:
            raise ProfileError(f"{path}: holds profile {profile.id!r}, not {org_id!r}")
        return profile
    directories = [d for d in (path, default_profiles_dir()) if d is not None]
    for directory in directories:
        for stem, file in _profile_files(directory).items():
            if _normalise_id(stem) == wanted:
                return parse_profile(_read_toml(file), path=file)
    known = sorted({stem for d in directories for stem in _profile_files(d)})
    raise ProfileNotFound(f"no MED profile for {org_id!r}; known: {', '.join(known) or 'none'}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from exc


# --- validation ----------------------------------------------------------------


class _Reader:
    """Typed access to one TOML table with errors that name the file and the key."""

    def __init__(self, data: Mapping[str, Any], where: str, allowed: set[str] | None = None) -> None:
        self.data = data
        self.where = where
        if allowed is not None:
            unknown = sorted(set(data) - allowed)
            if unknown:
                raise ProfileError(f"{where}: unknown key(s) {', '.join(unknown)}")

    def fail(self, message: str) -> ProfileError:
        return ProfileError(f"{self.where}: {message}")

    def str(self, key: str, *, required: bool = True, allow_empty: bool = False) -> str:
        if key not in self.data:
            if required:
                raise self.fail(f"missing {key!r}")
            return ""
        value = self.data[key]
        if not isinstance(value, str):
            raise self.fail(f"{key!r} must be a string")
        value = value.strip()
        if required and not allow_empty and not value:
            raise self.fail(f"{key!r} must not be empty")
        return value

    def str_list(self, key: builtins.str) -> tuple[builtins.str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key!r} must be a list of strings")
        return tuple(v.strip() for v in value if v.strip())

    def table(self, key: builtins.str, *, required: bool = True) -> Mapping[builtins.str, Any] | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing table {key!r}")
            return None
        if not isinstance(value, dict):
            raise self.fail(f"{key!r} must be a table")
        return value

    def source(self) -> Source:
        table = self.table("source")
        assert table is not None
        reader = _Reader(table, f"{self.where}.source", {"seed", "section"})
        seed = reader.str("seed")
        if seed != CONFIG_SEED and not _SEED_RX.match(seed):
            raise reader.fail(f"seed must be a seed id like '002' or {CONFIG_SEED!r}, not {seed!r}")
        if seed != CONFIG_SEED and seed not in SEED_TITLES:
            raise reader.fail(f"unknown seed id {seed!r}")
        return Source(seed=seed, section=reader.str("section"))


def _contact(table: Mapping[str, Any], where: str) -> Contact:
    reader = _Reader(table, where, {"name", "email", "role", "source"})
    email = reader.str("email", required=False)
    if email and not _EMAIL_RX.match(email):
        raise reader.fail(f"invalid e-mail {email!r}")
    return Contact(
        name=reader.str("name", required=False),
        email=email,
        role=reader.str("role", required=False),
        source=reader.source(),
    )


def _level(code: str, table: Mapping[str, Any], where: str) -> LevelInfo:
    reader = _Reader(table, where, {"name", "aliases", "deciders", "contact", "admin_user_ids", "source"})
    contact_table = reader.table("contact", required=False)
    return LevelInfo(
        code=code,
        name=reader.str("name"),
        aliases=reader.str_list("aliases"),
        deciders=reader.str_list("deciders"),
        contact=_contact(contact_table, f"{where}.contact") if contact_table is not None else None,
        admin_user_ids=reader.str_list("admin_user_ids"),
        source=reader.source(),
    )


def _area(table: Mapping[str, Any], where: str) -> Area:
    reader = _Reader(
        table,
        where,
        {"id", "name", "aliases", "committee", "committee_aliases", "level", "chair", "contacts", "admin_user_ids", "source"},
    )
    area_id = reader.str("id")
    if not _ID_RX.match(area_id):
        raise reader.fail(f"area id {area_id!r} must be lower-case letters, digits, '-' or '_'")
    level = reader.str("level", required=False) or "middle"
    if level not in LEVEL_CODES:
        raise reader.fail(f"level must be one of {', '.join(LEVEL_CODES)}, not {level!r}")
    chair_table = reader.table("chair", required=False)
    contacts_value = table.get("contacts", [])
    if not isinstance(contacts_value, list) or not all(isinstance(c, dict) for c in contacts_value):
        raise reader.fail("'contacts' must be a list of tables")
    return Area(
        id=area_id,
        name=reader.str("name"),
        aliases=reader.str_list("aliases"),
        committee=reader.str("committee"),
        committee_aliases=reader.str_list("committee_aliases"),
        level=level,
        chair=_contact(chair_table, f"{where}.chair") if chair_table is not None else None,
        contacts=tuple(_contact(c, f"{where}.contacts[{i}]") for i, c in enumerate(contacts_value)),
        admin_user_ids=reader.str_list("admin_user_ids"),
        source=reader.source(),
    )


def _ideas(table: Mapping[str, Any], where: str) -> IdeaRouting:
    reader = _Reader(table, where, {"route_to", "cross_cutting_to", "postkasse", "notes", "source"})
    route_to = reader.str("route_to")
    cross = reader.str("cross_cutting_to")
    for key, value in (("route_to", route_to), ("cross_cutting_to", cross)):
        if value not in LEVEL_CODES:
            raise reader.fail(f"{key} must be one of {', '.join(LEVEL_CODES)}, not {value!r}")
    return IdeaRouting(
        route_to=route_to,
        cross_cutting_to=cross,
        postkasse=reader.str("postkasse", required=False),
        notes=reader.str_list("notes"),
        source=reader.source(),
    )


_KNOWN_TOP = {"id", "name", "aliases", "to_be_configured", "source", "levels", "areas", "ideas"}


def parse_profile(data: Mapping[str, Any], *, path: Path | None = None) -> Profile:
    """Validate a parsed TOML document and build the :class:`Profile`."""
    where = str(path) if path is not None else "<profile>"
    reader = _Reader(data, where)
    profile_id = reader.str("id")
    if not _ID_RX.match(profile_id):
        raise reader.fail(f"id {profile_id!r} must be lower-case letters, digits, '-' or '_'")
    if path is not None and path.stem != profile_id:
        raise reader.fail(f"id {profile_id!r} does not match the file name {path.name!r}")

    levels_table = reader.table("levels")
    assert levels_table is not None
    missing = [code for code in LEVEL_CODES if code not in levels_table]
    unknown = sorted(set(levels_table) - set(LEVEL_CODES))
    if missing or unknown:
        raise reader.fail(
            "levels must be exactly top, middle and local"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )
    levels: dict[str, LevelInfo] = {}
    for code in LEVEL_CODES:
        table = levels_table[code]
        if not isinstance(table, dict):
            raise reader.fail(f"levels.{code} must be a table")
        levels[code] = _level(code, table, f"{where}: levels.{code}")

    seen: dict[str, str] = {}
    for code, info in levels.items():
        for name in info.all_names:
            key = fold(name)
            if key in seen and seen[key] != code:
                raise reader.fail(f"level name {name!r} is used for both {seen[key]} and {code}")
            seen[key] = code

    areas_value = data.get("areas", [])
    if not isinstance(areas_value, list) or not all(isinstance(a, dict) for a in areas_value):
        raise reader.fail("'areas' must be a list of tables ([[areas]])")
    areas = tuple(_area(a, f"{where}: areas[{i}]") for i, a in enumerate(areas_value))
    ids = [a.id for a in areas]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise reader.fail(f"duplicate area id(s) {', '.join(duplicates)}")

    ideas_table = reader.table("ideas")
    assert ideas_table is not None
    extra = {key: value for key, value in data.items() if key not in _KNOWN_TOP}
    return Profile(
        id=profile_id,
        name=reader.str("name"),
        aliases=reader.str_list("aliases"),
        levels=MappingProxyType(levels),
        areas=areas,
        ideas=_ideas(ideas_table, f"{where}: ideas"),
        to_be_configured=reader.str_list("to_be_configured"),
        source=reader.source(),
        path=path,
        extra=MappingProxyType(extra),
    )
