"""The Teams app package: ``manifest.json``, its English localisation and two icons, zipped.

The manifest comes from ``manifest/manifest.template.json`` (Danish is the default
language; ``manifest/en-us.template.json`` adds English), the bot commands from
``manifest/commands.json``, and the icons are the committed files a designer edits:

* ``manifest/color.png``: 192×192, full colour;
* ``manifest/outline.png``: 32×32, white on a transparent background.

The build refuses icons of the wrong size.

``medbot manifest build`` (:mod:`bot.cli.manifest`) writes the zip an admin uploads.
"""

from __future__ import annotations

import io
import json
import re
import struct
import uuid
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MANIFEST_DIR = Path(__file__).resolve().parents[1] / "manifest"
TEMPLATE = "manifest.template.json"
EN_TEMPLATE = "en-us.template.json"
COMMANDS = "commands.json"

COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
COLOR_SIZE = 192
OUTLINE_SIZE = 32

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


class ManifestError(ValueError):
    """The manifest cannot be built from the given settings."""


@dataclass(frozen=True)
class ManifestConfig:
    bot_id: str  # the Azure Bot's Microsoft App ID (MicrosoftAppId)
    public_url: str  # where the bot runs, https (its host becomes the valid domain)
    teams_app_id: str = ""  # the Teams app's own id; the bot id when empty
    developer_name: str = "MED-bot"
    privacy_url: str = ""
    terms_url: str = ""
    version: str = ""


def _guid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError as exc:
        raise ManifestError(f"{what} must be a GUID, not {value!r}") from exc


def _https(value: str, what: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(f"{what} must be an https URL, not {value!r}")
    return value.strip().rstrip("/")


def _app_version() -> str:
    try:
        return metadata.version("medbot")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def _load(name: str, manifest_dir: Path) -> Any:
    path = manifest_dir / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path} is missing") from exc


def _fill(value: Any, values: dict[str, Any]) -> Any:
    """Replace ``${NAME}`` placeholders; a string that is only a placeholder takes the value as is."""
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole:
            return values[whole.group(1)]
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), value)
    return value


def build_manifest(config: ManifestConfig, manifest_dir: Path = MANIFEST_DIR) -> dict[str, Any]:
    bot_id = _guid(config.bot_id, "the bot id (MicrosoftAppId)")
    public_url = _https(config.public_url, "the public URL (MEDBOT_PUBLIC_URL)")
    commands = _load(COMMANDS, manifest_dir)
    values = {
        "VERSION": config.version or _app_version(),
        "TEAMS_APP_ID": _guid(config.teams_app_id, "the Teams app id") if config.teams_app_id else bot_id,
        "BOT_ID": bot_id,
        "DEVELOPER_NAME": config.developer_name[:32],
        "PUBLIC_URL": public_url,
        "PRIVACY_URL": _https(config.privacy_url, "the privacy URL") if config.privacy_url else f"{public_url}/privacy",
        "TERMS_URL": _https(config.terms_url, "the terms URL") if config.terms_url else f"{public_url}/terms",
        "DOMAIN": urlsplit(public_url).hostname,
        "COMMANDS": commands["da-dk"],
    }
    return _fill(_load(TEMPLATE, manifest_dir), values)


def build_localization_en(manifest: dict[str, Any], manifest_dir: Path = MANIFEST_DIR) -> dict[str, Any]:
    """The English strings (``en-us.json``), command titles included."""
    localization = dict(_load(EN_TEMPLATE, manifest_dir))
    english = _load(COMMANDS, manifest_dir)["en-us"]
    for list_index, command_list in enumerate(manifest["bots"][0].get("commandLists", [])):
        for index, _command in enumerate(command_list["commands"]):
            if index < len(english):
                localization[f"bots[0].commandLists[{list_index}].commands[{index}].title"] = english[index]["title"]
                localization[f"bots[0].commandLists[{list_index}].commands[{index}].description"] = english[index]["description"]
    return localization


# --- the icons ---------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ICON_SIZES = {COLOR_ICON: COLOR_SIZE, OUTLINE_ICON: OUTLINE_SIZE}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header; ManifestError when it is not a PNG."""
    if len(data) < 24 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ManifestError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def read_icon(name: str, manifest_dir: Path = MANIFEST_DIR) -> bytes:
    """A committed icon, checked against the size Teams requires."""
    path = manifest_dir / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ManifestError(f"icon {name} cannot be read: {exc.strerror}") from exc
    size = _ICON_SIZES[name]
    if png_size(data) != (size, size):
        raise ManifestError(f"icon {name} must be {size}×{size} pixels, is {png_size(data)[0]}×{png_size(data)[1]}")
    return data


# --- the package -----------------------------------------------------------------

def build_package(config: ManifestConfig, manifest_dir: Path = MANIFEST_DIR) -> bytes:
    """The zip an admin uploads (the same bytes for the same settings)."""
    manifest = build_manifest(config, manifest_dir)
    files = {
        "manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        "en-us.json": json.dumps(build_localization_en(manifest, manifest_dir), ensure_ascii=False, indent=2).encode("utf-8"),
        COLOR_ICON: read_icon(COLOR_ICON, manifest_dir),
        OUTLINE_ICON: read_icon(OUTLINE_ICON, manifest_dir),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


__all__ = [
    "ManifestConfig",
    "ManifestError",
    "build_localization_en",
    "build_manifest",
    "build_package",
    "png_size",
    "read_icon",
]
