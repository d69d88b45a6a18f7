"""Rules about the source text itself that ruff and mypy do not check."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "dialogs", "knowledge", "tests", "bench")

# ``# type: ignore[code]  # why``: the error it silences, and a reason after it.
_IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<rest>.*)$")
_WITH_REASON = re.compile(r"^\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s+#\s*\S")


def _python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    bare = []
    for path in _python_files(*PACKAGES):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _IGNORE.search(line)
            if match and not _WITH_REASON.match(match.group("rest")):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert bare == [], "a type: ignore needs [error-code] and a reason comment:\n" + "\n".join(bare)
