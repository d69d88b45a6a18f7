"""ARCHITECTURE.md answers "where is X": every file or folder it names must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PATH = re.compile(r"`((?:bot|dialogs|knowledge|tests|bench|manifest|e2e)/[\w./*<>-]*)`|\b((?:bot|dialogs|knowledge)/[\w/]+\.py)\b")


def test_every_path_in_architecture_md_exists() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = {a or b for a, b in _PATH.findall(text)}
    assert len(named) > 40  # the map names the places, not a handful
    missing = []
    for path in sorted(named):
        if "<name>" in path:
            continue  # a placeholder for a new dialog
        pattern = path.replace("<org>", "*")
        if "*" in pattern:
            found = list(ROOT.glob(pattern))
        else:
            found = [ROOT / pattern] if (ROOT / pattern).exists() else []
        if not found:
            missing.append(path)
    assert missing == [], f"ARCHITECTURE.md names paths that do not exist: {missing}"
