"""`medbot level`: one case as an argument, or one case per stdin line, as JSON."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

KEYS = {"level", "committee", "mode", "answer"}


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 1, out
    return json.loads(lines[0])


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDBOT_ORG", raising=False)
    monkeypatch.delenv("MEDBOT_PROFILES_DIR", raising=False)


def test_one_case_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["level", "Vores leder vil lave om på vagtplanen fremover", "--json"]) == 0
    data = _json(capsys)
    assert set(data) == KEYS
    assert data["level"] == "local"
    assert data["committee"] == "ArbejdspladsMED"  # default municipality: Albertslund
    assert data["mode"] == "medindflydelse"
    assert isinstance(data["answer"], str) and "ArbejdspladsMED" in data["answer"]


def test_json_keeps_danish_letters(capsys: pytest.CaptureFixture[str]) -> None:
    main(["level", "hele kommunen bliver berørt", "--json"])
    out = capsys.readouterr().out
    assert "\\u00" not in out and "Hvem træffer beslutningen?" in json.loads(out)["answer"]


def test_org_and_decider(capsys: pytest.CaptureFixture[str]) -> None:
    main(["level", "nye åbningstider i borgerservice", "--json", "--decider", "afdelingschef", "--org", "albertslund"])
    data = _json(capsys)
    assert (data["level"], data["committee"], data["mode"]) == ("middle", "AfdelingsMED", "medindflydelse")


def test_decider_ved_ikke_keeps_ask(capsys: pytest.CaptureFixture[str]) -> None:
    main(["level", "vi skal have nyt system", "--json", "--decider", "ved ikke"])
    data = _json(capsys)
    assert (data["level"], data["committee"]) == ("ask", None)


def test_org_from_environment(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDBOT_ORG", "jammerbugt")
    main(["level", "kommunaldirektøren vil lukke køkkenet", "--json"])
    data = _json(capsys)
    assert (data["level"], data["committee"]) == ("top", "HovedMED")
    assert "rke@jammerbugt.dk" in str(data["answer"])


def test_not_med_and_ask_have_null_committee(capsys: pytest.CaptureFixture[str]) -> None:
    main(["level", "min kollega har fået en advarsel", "--json"])
    data = _json(capsys)
    assert (data["level"], data["committee"], data["mode"]) == ("not_med", None, None)
    main(["level", "skal det i HovedMED eller LokalMED?", "--json", "--org", "jammerbugt"])
    data = _json(capsys)
    assert (data["level"], data["committee"], data["mode"]) == ("ask", None, None)


def test_stdin_one_json_line_per_case(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [
        "budgetforslaget blev drøftet i AfdelingsMED men kommunaldirektøren indstiller det til kommunalbestyrelsen",
        "vi vil have mere i løn",
        "",
        "afdelingschefen vil lave en retningslinje om stress",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(cases) + "\n"))
    assert main(["level", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(cases)
    results = [json.loads(line) for line in lines]
    assert all(set(r) == KEYS for r in results)
    assert [(r["level"], r["mode"]) for r in results] == [
        ("top", "medindflydelse"),
        ("not_med", None),
        ("ask", None),
        ("middle", "medbestemmelse"),
    ]
    assert results[0]["committee"] == "KommuneMED"


def test_stdin_flushes_each_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class Lines(io.StringIO):
        def __iter__(self) -> Iterator[str]:
            yield "lederen vil lukke stuen\n"
            # The first answer must already be out when the second line is read.
            assert '"level": "local"' in capsys.readouterr().out
            yield "kommunaldirektøren vil lukke stuen\n"

    monkeypatch.setattr("sys.stdin", Lines())
    assert main(["level", "--json"]) == 0
    assert '"level": "top"' in capsys.readouterr().out


def test_plain_text_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["level", "vi vil have mere i løn"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Det er ikke en sag for MED.") and "tillidsrepræsentant" in out


def test_explain_adds_rule(capsys: pytest.CaptureFixture[str]) -> None:
    main(["level", "hvem dækker vagten i morgen", "--json", "--explain"])
    data = _json(capsys)
    assert data["rule"] == "daily_management" and str(data["source"]).startswith("002")


def test_unknown_org(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["level", "x", "--json", "--org", "atlantis"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "atlantis" in captured.err and "albertslund" in captured.err


def test_profiles_dir(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = '{ seed = "config", section = "test" }'
    (tmp_path / "testrup.toml").write_text(
        f'id = "testrup"\nname = "Testrup Kommune"\nsource = {source}\n'
        f'[levels.top]\nname = "HU-MED"\nsource = {source}\n'
        f'[levels.middle]\nname = "OmrådeMED"\nsource = {source}\n'
        f'[levels.local]\nname = "EnhedsMED"\nsource = {source}\n'
        f'[ideas]\nroute_to = "middle"\ncross_cutting_to = "top"\nsource = {source}\n',
        encoding="utf-8",
    )
    main(["level", "lederen vil lukke værkstedet", "--json", "--org", "testrup", "--profiles-dir", str(tmp_path)])
    assert _json(capsys)["committee"] == "EnhedsMED"
