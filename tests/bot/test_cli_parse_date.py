"""``medbot parse-date``: one phrase, JSON and plain output, stdin mode, the past rule."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from dialogs.texts import DATE_ERRORS

NOW = "2026-11-22T10:00:00"  # Sunday, Copenhagen wall time


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1
    payload: dict[str, object] = json.loads(out)
    return payload


@pytest.mark.parametrize(
    ("text", "iso", "has_time"),
    [
        ("næste tirsdag kl. 12.30", "2026-11-24T12:30:00", True),
        ("i morgen kl. 9", "2026-11-23T09:00:00", True),
        ("5/6 kl. 13", "2027-06-05T13:00:00", True),
        ("uge 34", "2027-08-23", False),
        ("på mandag", "2026-11-23", False),
        ("ultimo november", "2026-11-30", False),
    ],
)
def test_one_phrase_json(capsys: pytest.CaptureFixture[str], text: str, iso: str, has_time: bool) -> None:
    assert main(["parse-date", text, "--now", NOW, "--json"]) == 0
    assert _json(capsys) == {"iso": iso, "has_time": has_time}


def test_error_json_is_danish_and_exit_code_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-date", "blablabla", "--now", NOW, "--json"]) == 1
    payload = _json(capsys)
    assert payload == {"iso": None, "error": DATE_ERRORS["unparseable"]}
    assert "»i morgen kl. 9«" in str(payload["error"])


def test_json_keeps_danish_letters(capsys: pytest.CaptureFixture[str]) -> None:
    main(["parse-date", "31/2", "--now", NOW, "--json"])
    out = capsys.readouterr().out
    assert "\\u" not in out and "æ" in out  # ensure_ascii=False


def test_plain_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-date", "på tirsdag kl. 9", "--now", NOW]) == 0
    assert capsys.readouterr().out == "tirsdag 24. november 2026 kl. 09.00\n"
    assert main(["parse-date", "i", "morgen", "--now", NOW]) == 0  # unquoted words are joined
    assert capsys.readouterr().out == "mandag 23. november 2026\n"


def test_plain_error_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-date", "i går", "--now", NOW]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == DATE_ERRORS["past"]


def test_past_rule(capsys: pytest.CaptureFixture[str]) -> None:
    # No year: next occurrence, or an error when it still lands in the past.
    main(["parse-date", "21/11", "--now", NOW, "--json"])
    assert _json(capsys) == {"iso": "2027-11-21", "has_time": False}
    main(["parse-date", "i dag kl. 8", "--now", NOW, "--json"])
    assert _json(capsys) == {"iso": None, "error": DATE_ERRORS["past"]}
    # An explicit year: the user named the day, so it is returned even if passed.
    assert main(["parse-date", "1/9-2025", "--now", NOW, "--json"]) == 0
    assert _json(capsys) == {"iso": "2025-09-01", "has_time": False}
    main(["parse-date", "uge 2 2026 kl 9", "--now", NOW, "--json"])
    assert _json(capsys) == {"iso": "2026-01-05T09:00:00", "has_time": True}
    # --allow-past returns every past result.
    main(["parse-date", "i går", "--now", NOW, "--json", "--allow-past"])
    assert _json(capsys) == {"iso": "2026-11-21", "has_time": False}


def test_now_with_offset_and_dst(capsys: pytest.CaptureFixture[str]) -> None:
    main(["parse-date", "i dag kl 14", "--now", "2026-11-22T09:00:00Z", "--json"])
    assert _json(capsys) == {"iso": "2026-11-22T14:00:00", "has_time": True}
    main(["parse-date", "søndag kl 02:30", "--now", "2027-03-24T16:30:00+01:00", "--json"])
    assert _json(capsys) == {"iso": "2027-03-28T03:30:00", "has_time": True}


def test_bad_now_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["parse-date", "i morgen", "--now", "i går"])
    assert caught.value.code == 2
    assert "--now" in capsys.readouterr().err


def test_default_now_is_the_current_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse-date", "om 2 timer", "--json"]) == 0
    payload = _json(capsys)
    assert payload["has_time"] is True and isinstance(payload["iso"], str)


def test_stdin_one_json_line_per_input_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("i morgen kl 9\nuge 34\n\nblabla\nsøndag kl 02:30\n"))
    assert main(["parse-date", "--now", "2027-03-24T16:30:00", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"iso": "2027-03-25T09:00:00", "has_time": True},
        {"iso": "2027-08-23", "has_time": False},
        {"iso": None, "error": DATE_ERRORS["empty"]},
        {"iso": None, "error": DATE_ERRORS["unparseable"]},
        {"iso": "2027-03-28T03:30:00", "has_time": True},
    ]


def test_stdin_plain(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("fredag kl 8\r\njuleaften"))
    assert main(["parse-date", "--now", NOW]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "fredag 27. november 2026 kl. 08.00",
        "torsdag 24. december 2026",
    ]
