"""The Bot Framework's internals stay behind bot/botframework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PACKAGES = ("bot", "dialogs", "knowledge")
SEAM = ROOT / "bot" / "botframework"
#: Modules only the seam may import: msrest, the connector, the SDK's aiohttp integration.
INTERNAL = ("msrest", "botframework.connector", "botbuilder.integration")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _internal(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in INTERNAL)


def _offenders(files: list[Path]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)}: {name}" for path in files for name in _imports(path) if _internal(name)
    )


def test_nothing_outside_the_seam_imports_msrest_or_the_connector() -> None:
    files = [
        path
        for package in SOURCE_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if SEAM not in path.parents
    ]
    assert len(files) > 50  # the scan sees the source tree
    assert _offenders(files) == []


def test_the_scan_finds_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from msrest.exceptions import ClientException\nimport botframework.connector.aio\n")
    good = tmp_path / "good.py"
    good.write_text("from botbuilder.core import TurnContext\nimport msrestish\n")
    assert {name for name in _imports(bad) if _internal(name)} == {"msrest.exceptions", "botframework.connector.aio"}
    assert {name for name in _imports(good) if _internal(name)} == set()


def test_the_seam_is_where_the_internals_are() -> None:
    assert any(_internal(name) for path in SEAM.rglob("*.py") for name in _imports(path))


def test_storage_does_not_import_the_seam() -> None:
    for path in (ROOT / "bot" / "storage").rglob("*.py"):
        assert not any(name.startswith("bot.botframework") for name in _imports(path)), path.name


def test_the_setting_chooses_the_implementation() -> None:
    assert Settings().botframework == "fast"
    assert Settings.from_env({}).botframework == "fast"
    assert Settings.from_env({"MEDBOT_BOTFRAMEWORK": " Stock "}).botframework == "stock"
    with pytest.raises(SettingsError, match="MEDBOT_BOTFRAMEWORK"):
        Settings.from_env({"MEDBOT_BOTFRAMEWORK": "turbo"})


async def test_stock_is_the_sdk_as_shipped_and_fast_keeps_its_clients() -> None:
    from datetime import UTC, datetime

    from botbuilder.core import ConversationState, MemoryStorage

    from bot.botframework import build_botframework
    from bot.clock import FakeClock

    clock = FakeClock(datetime(2026, 11, 23, 10, tzinfo=UTC))
    stock = build_botframework(Settings(botframework="stock"), clock)
    fast = build_botframework(Settings(botframework="fast"), clock)
    try:
        assert type(stock.conversation_state(MemoryStorage())) is ConversationState
        assert type(fast.conversation_state(MemoryStorage())) is not ConversationState
        assert stock.mode == "stock" and fast.mode == "fast"
        body = {"type": "message", "id": "1", "serviceUrl": "http://127.0.0.1:9/", "conversation": {"id": "a:1"}, "text": "hej"}
        assert stock.parse_activity(body).serialize() == fast.parse_activity(body).serialize()
    finally:
        await stock.close()
        await fast.close()
