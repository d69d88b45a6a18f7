"""Shared bits of the hostile-input tests: the app id, and a check that a refusal leaves
no traceback (ERROR record) in the log."""

from __future__ import annotations

import logging

import pytest

APP_ID = "00000000-0000-0000-0000-00000000beef"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [f"{r.name}: {r.getMessage()}" for r in errors]
