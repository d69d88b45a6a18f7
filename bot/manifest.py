"""The Teams app package: ``manifest.json``, its English localisation and two icons, zipped.

The manifest comes from ``manifest/manifest.template.json`` (Danish is the default
language; ``manifest/en-us.template.json`` adds English), the bot commands from
``manifest/commands.json``, and the icons are drawn here, byte for byte the same on
every build (a PNG writer on zlib, no imaging library):

* ``color.png``: 192×192, the accent colour with a white speech bubble saying MED;
* ``outline.png``: 32×32, a white speech-bubble outline on a transparent background.

``medbot manifest build`` (:mod:`bot.cli.manifest`) writes the zip an admin uploads.
"""

from __future__ import annotations

import io
import json
import re
import struct
import uuid
import zipfile
import zlib
from collections.abc import Callable, Sequence
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
ACCENT = (0x1F, 0x5C, 0x99)
WHITE = (255, 255, 255)

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


# --- icons ---------------------------------------------------------------------

def png(width: int, height: int, pixels: Sequence[Sequence[tuple[int, ...]]]) -> bytes:
    """A PNG (8-bit RGB or RGBA, no filtering) from rows of pixel tuples."""
    channels = len(pixels[0][0])
    color_type = {3: 2, 4: 6}[channels]
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _in_bubble(x: float, y: float, left: float, top: float, right: float, bottom: float, radius: float) -> bool:
    """Inside a rounded rectangle with a tail at the bottom left (a speech bubble)."""
    if left <= x <= right and top <= y <= bottom:
        cx = min(max(x, left + radius), right - radius)
        cy = min(max(y, top + radius), bottom - radius)
        if (x - cx) ** 2 + (y - cy) ** 2 <= radius**2:
            return True
    # The tail: a triangle below the bubble's left part.
    width = right - left
    height = bottom - top
    tx0, tx1 = left + width * 0.18, left + width * 0.42
    ty0, ty1 = bottom - 1, bottom + height * 0.30
    if ty0 <= y <= ty1:
        t = (y - ty0) / (ty1 - ty0)
        return tx0 <= x <= tx1 - (tx1 - tx0) * t
    return False


def _coverage(inside: Callable[[float, float], bool], px: int, py: int, samples: int = 4) -> float:
    hits = sum(
        inside(px + (i + 0.5) / samples, py + (j + 0.5) / samples) for i in range(samples) for j in range(samples)
    )
    return hits / (samples * samples)


_GLYPHS = {
    "M": ("10001", "11011", "10101", "10101", "10001", "10001", "10001"),
    "E": ("11111", "10000", "10000", "11110", "10000", "10000", "11111"),
    "D": ("11110", "10001", "10001", "10001", "10001", "10001", "11110"),
}


def _in_text(x: float, y: float, text: str, left: float, top: float, scale: float, gap: float) -> bool:
    for index, letter in enumerate(text):
        x0 = left + index * (5 * scale + gap)
        gx, gy = int((x - x0) // scale), int((y - top) // scale)
        if 0 <= gx < 5 and 0 <= gy < 7 and _GLYPHS[letter][gy][gx] == "1":
            return True
    return False


def _blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(a[i] * (1 - t) + b[i] * t) for i in range(3))  # type: ignore[return-value]  # a generator of three ints is a 3-tuple here


def color_icon() -> bytes:
    size = COLOR_SIZE
    bubble = (18.0, 34.0, 174.0, 138.0, 26.0)
    scale, gap = 8.0, 8.0
    text_left = (size - (3 * 5 * scale + 2 * gap)) / 2
    text_top = (bubble[1] + bubble[3]) / 2 - 3.5 * scale

    def in_bubble(x: float, y: float) -> bool:
        return _in_bubble(x, y, *bubble)

    def in_letters(x: float, y: float) -> bool:
        return _in_text(x, y, "MED", text_left, text_top, scale, gap)

    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            white = _coverage(in_bubble, px, py)
            letters = _coverage(in_letters, px, py) if white else 0.0
            row.append(_blend(_blend(ACCENT, WHITE, white), ACCENT, letters))
        rows.append(row)
    return png(size, size, rows)


def outline_icon() -> bytes:
    size = OUTLINE_SIZE
    outer = (2.0, 4.0, 30.0, 22.0, 6.0)
    stroke = 2.0
    inner = (outer[0] + stroke, outer[1] + stroke, outer[2] - stroke, outer[3] - stroke, outer[4] - stroke)

    def in_outer(x: float, y: float) -> bool:
        return _in_bubble(x, y, *outer)

    def in_inner(x: float, y: float) -> bool:
        # The inner hole has no tail of its own, so the tail is drawn solid.
        left, top, right, bottom, radius = inner
        if not (left <= x <= right and top <= y <= bottom):
            return False
        cx = min(max(x, left + radius), right - radius)
        cy = min(max(y, top + radius), bottom - radius)
        return (x - cx) ** 2 + (y - cy) ** 2 <= radius**2

    def in_stroke(x: float, y: float) -> bool:
        return in_outer(x, y) and not in_inner(x, y)

    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            alpha = round(255 * _coverage(in_stroke, px, py))
            row.append((255, 255, 255, alpha) if alpha else (0, 0, 0, 0))
        rows.append(row)
    return png(size, size, rows)


# --- the package -----------------------------------------------------------------

def build_package(config: ManifestConfig, manifest_dir: Path = MANIFEST_DIR) -> bytes:
    """The zip an admin uploads (the same bytes for the same settings)."""
    manifest = build_manifest(config, manifest_dir)
    files = {
        "manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        "en-us.json": json.dumps(build_localization_en(manifest, manifest_dir), ensure_ascii=False, indent=2).encode("utf-8"),
        COLOR_ICON: color_icon(),
        OUTLINE_ICON: outline_icon(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def write_icons(directory: Path) -> list[Path]:
    """Write the two icons (for a look at them; the package draws its own copies)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in ((COLOR_ICON, color_icon()), (OUTLINE_ICON, outline_icon())):
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


__all__ = [
    "ManifestConfig",
    "ManifestError",
    "build_localization_en",
    "build_manifest",
    "build_package",
    "color_icon",
    "outline_icon",
    "png",
    "write_icons",
]
