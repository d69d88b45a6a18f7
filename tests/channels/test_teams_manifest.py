"""The Teams app package: valid against Microsoft's official manifest schema, Danish by
default, one command per job in every scope, and icons of the right size and colours."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import regex
from jsonschema.exceptions import ValidationError

from bot.cli import main as cli_main
from bot.manifest import (
    MANIFEST_DIR,
    ManifestConfig,
    ManifestError,
    build_localization_en,
    build_manifest,
    build_package,
    read_icon,
)
from knowledge.intents import Intent, classify
from tests.channels.png_reader import read_png
from tests.channels.schemas import teams_manifest_schema

BOT_ID = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b"
CONFIG = ManifestConfig(bot_id=BOT_ID, public_url="https://medbot.albertslund.dk/")


def manifest() -> dict:
    return build_manifest(CONFIG)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    # Microsoft's schemas use Unicode classes (\\p{L}) that Python's re lacks; ``regex`` has them.
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 4 (the schemas' $schema), with ECMA-style patterns.
ManifestValidator = jsonschema.validators.extend(jsonschema.Draft4Validator, {"pattern": _pattern})


def test_manifest_is_valid_against_the_official_schema() -> None:
    m = manifest()
    schema = teams_manifest_schema(m["manifestVersion"])
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    errors = sorted(ManifestValidator(schema).iter_errors(m), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    assert m["$schema"].endswith(f"/v{m['manifestVersion']}/MicrosoftTeams.schema.json")


def test_english_localization_is_valid_against_the_official_schema() -> None:
    m = manifest()
    schema = teams_manifest_schema(m["manifestVersion"], "MicrosoftTeams.Localization.schema.json")
    localization = build_localization_en(m)
    errors = list(ManifestValidator(schema).iter_errors(localization))
    assert errors == [], [e.message for e in errors]
    assert localization["bots[0].commandLists[0].commands[0].title"] == "help"


def test_ids_domain_scopes_and_language_come_from_the_settings() -> None:
    m = manifest()
    assert m["id"] == BOT_ID and m["bots"][0]["botId"] == BOT_ID
    assert m["validDomains"] == ["medbot.albertslund.dk"]
    assert m["developer"]["websiteUrl"] == "https://medbot.albertslund.dk"
    assert m["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert m["localizationInfo"]["defaultLanguageTag"] == "da-dk"
    other = build_manifest(ManifestConfig(bot_id=BOT_ID, public_url="https://x.dk", teams_app_id="11111111-2222-4333-8444-555555555555"))
    assert other["id"] == "11111111-2222-4333-8444-555555555555" and other["bots"][0]["botId"] == BOT_ID


def test_one_command_per_job_in_every_scope_and_the_bot_understands_them() -> None:
    m = manifest()
    lists = m["bots"][0]["commandLists"]
    assert sorted(s for entry in lists for s in entry["scopes"]) == ["groupChat", "personal", "team"]
    titles = [c["title"] for c in lists[0]["commands"]]
    for job in ("hjælp", "ny idé", "hvilket udvalg", "påmindelser"):
        assert job in titles
    expected = {
        "hjælp": Intent.HELP, "ny idé": Intent.IDEA_NEW, "mine idéer": Intent.IDEA_LIST,
        "hvilket udvalg": Intent.CASE_LEVEL, "påmindelser": Intent.REMINDER_LIST, "abonner": Intent.SUBSCRIBE,
        "hvad er en AMR": Intent.QUESTION, "annuller": Intent.CANCEL,
    }
    assert {t: classify(t).intent for t in titles} == expected
    english = json.loads((MANIFEST_DIR / "commands.json").read_text(encoding="utf-8"))["en-us"]
    assert [classify(c["title"]).intent for c in english] == list(expected.values())


def test_color_icon_is_192_and_opaque() -> None:
    image = read_png(read_icon("color.png"))
    assert (image.width, image.height) == (192, 192)
    assert image.channels == 3 or all(p[3] == 255 for p in image.pixels)
    colours = {p[:3] for p in image.pixels}
    assert (0x1F, 0x5C, 0x99) in colours and (255, 255, 255) in colours


def test_outline_icon_is_32_white_on_transparent() -> None:
    image = read_png(read_icon("outline.png"))
    assert (image.width, image.height) == (32, 32)
    assert image.channels == 4
    visible = [p for p in image.pixels if p[3] > 0]
    assert visible and len(visible) < len(image.pixels)
    assert all(p[:3] == (255, 255, 255) for p in visible), "only white may be visible"
    assert any(p[3] == 255 for p in visible)


def test_the_package_carries_the_committed_icons(tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(build_package(CONFIG))) as archive:
        assert archive.read("color.png") == (MANIFEST_DIR / "color.png").read_bytes()
        assert archive.read("outline.png") == (MANIFEST_DIR / "outline.png").read_bytes()
    # a designer's new icon is packaged as it is
    for name in ("manifest.template.json", "en-us.template.json", "commands.json", "outline.png"):
        (tmp_path / name).write_bytes((MANIFEST_DIR / name).read_bytes())
    redrawn = bytearray((MANIFEST_DIR / "color.png").read_bytes())
    redrawn[-20:-12] = b"designer"  # bytes after the header: still 192×192 to the build
    (tmp_path / "color.png").write_bytes(bytes(redrawn))
    with zipfile.ZipFile(io.BytesIO(build_package(CONFIG, tmp_path))) as archive:
        assert archive.read("color.png") == bytes(redrawn)


def test_an_icon_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    for name in ("manifest.template.json", "en-us.template.json", "commands.json", "color.png"):
        (tmp_path / name).write_bytes((MANIFEST_DIR / name).read_bytes())
    (tmp_path / "outline.png").write_bytes((MANIFEST_DIR / "color.png").read_bytes())  # 192, not 32
    with pytest.raises(ManifestError, match="32×32"):
        build_package(CONFIG, tmp_path)
    (tmp_path / "outline.png").write_bytes(b"not a png")
    with pytest.raises(ManifestError, match="PNG"):
        build_package(CONFIG, tmp_path)


def test_the_package_is_a_flat_reproducible_zip() -> None:
    data = build_package(CONFIG)
    assert data == build_package(CONFIG)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["color.png", "en-us.json", "manifest.json", "outline.png"]
        packaged = json.loads(archive.read("manifest.json"))
        assert packaged == manifest()
        assert read_png(archive.read(packaged["icons"]["outline"])).width == 32
        assert read_png(archive.read(packaged["icons"]["color"])).width == 192


@pytest.mark.parametrize(
    "config",
    [
        ManifestConfig(bot_id="", public_url="https://x.dk"),
        ManifestConfig(bot_id="not-a-guid", public_url="https://x.dk"),
        ManifestConfig(bot_id=BOT_ID, public_url=""),
        ManifestConfig(bot_id=BOT_ID, public_url="http://x.dk"),
    ],
)
def test_missing_or_bad_settings_are_refused_clearly(config: ManifestConfig) -> None:
    with pytest.raises(ManifestError):
        build_manifest(config)


def test_cli_writes_the_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out" / "medbot.zip"
    code = cli_main(["manifest", "build", "-o", str(output), "--bot-id", BOT_ID, "--public-url", "https://medbot.albertslund.dk"])
    assert code == 0
    assert zipfile.is_zipfile(output)
    assert str(output) in capsys.readouterr().out
    assert cli_main(["manifest", "build", "-o", str(tmp_path / "x.zip"), "--bot-id", "", "--public-url", "https://a.dk"]) in (0, 2)
