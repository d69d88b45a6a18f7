"""``medbot ask``: one question as an argument, or one per line on stdin."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from bot.cli import main
from dialogs import texts

KEYS = {"answer", "entry", "score", "fallback", "suggestions"}


@pytest.fixture(autouse=True)
def no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command must never open the database."""
    import bot.storage.db as db

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("medbot ask must not touch the database")

    monkeypatch.setattr(db.Database, "__init__", refuse)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_json_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hvad er en AMR", "--json"]) == 0
    out = capsys.readouterr().out
    [obj] = json_lines(out)
    assert set(obj) == KEYS
    assert obj["entry"] == "amr" and obj["fallback"] is False
    assert obj["answer"].startswith("AMR er en arbejdsmiljørepræsentant")
    assert isinstance(obj["score"], float) and obj["score"] > 55
    assert obj["suggestions"] == []
    assert "arbejdsmiljørepræsentant" in out  # ensure_ascii=False: æøå as they are


def test_json_fallback_uses_the_fallback_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hvornår er der julefrokost", "--json"]) == 0
    [obj] = json_lines(capsys.readouterr().out)
    assert obj["entry"] is None and obj["fallback"] is True
    assert obj["answer"] == texts.fallback_text(obj["suggestions"])


def test_json_fallback_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "kaffe og kage og tavshedspligt i kantinen", "--json"]) == 0
    [obj] = json_lines(capsys.readouterr().out)
    assert obj["fallback"] is True and obj["entry"] is None
    assert obj["suggestions"] and all(s.endswith("?") for s in obj["suggestions"])
    assert obj["suggestions"][0] == "Er der tavshedspligt i MED?"
    assert obj["answer"] == texts.fallback_text(obj["suggestions"])
    assert "Er der tavshedspligt i MED?" in obj["answer"]


def test_stdin_one_json_object_per_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("amr?\n\nhvornår kommer lønnen\nhvad siger MED om løn\n"))
    assert main(["ask", "--json"]) == 0
    objs = json_lines(capsys.readouterr().out)
    assert len(objs) == 4  # the empty line is not skipped
    assert all(set(o) == KEYS for o in objs)
    assert objs[0]["entry"] == "amr"
    assert objs[1]["fallback"] is True and objs[1]["entry"] is None and objs[1]["score"] == 0.0
    assert objs[2]["fallback"] is True
    assert objs[3]["entry"] == "med-kan-ikke"


def test_readable_answer_with_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "tavshedspligt"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Er der tavshedspligt i MED?")
    assert "forvaltningslovens § 27" in out
    assert f"{texts.SOURCE_PREFIX}: Albertslund Kommune: MED-grunduddannelsen" in out
    assert f"{texts.RELATED_HEADING}:" in out


def test_readable_answer_names_the_municipality(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "kontaktperson for den gode idé i BFF", "--org", "jammerbugt"]) == 0
    out = capsys.readouterr().out
    assert "Jette Søgaard Hansen (jsh@jammerbugt.dk)" in out
    assert texts.MUNICIPALITY_NOTE.format(municipality="Jammerbugt") in out
    # Under the other municipality the answer says plainly whose practice it is.
    assert main(["ask", "kontaktperson for den gode idé i BFF", "--org", "albertslund"]) == 0
    out = capsys.readouterr().out
    assert texts.OTHER_MUNICIPALITY_NOTE.format(other="Jammerbugt", own="Albertslund") in out


def test_each_municipality_gets_its_own_answer(capsys: pytest.CaptureFixture[str]) -> None:
    """An answer is about the user's municipality, or says plainly it describes the other's."""
    main(["ask", "hvordan foregår budgetprocessen", "--json", "--org", "albertslund"])
    albertslund = json.loads(capsys.readouterr().out)
    main(["ask", "hvordan foregår budgetprocessen", "--json", "--org", "jammerbugt"])
    jammerbugt = json.loads(capsys.readouterr().out)
    assert albertslund["entry"] != jammerbugt["entry"]
    assert "KommuneMED" in albertslund["answer"] and "Jammerbugt" not in albertslund["answer"]
    assert "Jammerbugt" in jammerbugt["answer"] and "Albertslund" not in jammerbugt["answer"]


def test_a_detail_the_material_does_not_give_falls_back_with_what_is_known(capsys: pytest.CaptureFixture[str]) -> None:
    main(["ask", "hvem er formand for hovedMED i jammerbugt lige nu?", "--json", "--org", "jammerbugt"])
    data = json.loads(capsys.readouterr().out)
    assert data["fallback"] is True and data["entry"] is None
    assert data["answer"].startswith(texts.DETAIL_UNKNOWN["person"])
    assert data["suggestions"]


def test_readable_fallback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hvor kan jeg parkere"]) == 0
    assert capsys.readouterr().out.strip() == texts.fallback_text([]).strip()


def test_readable_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("trio\nparkering\n"))
    assert main(["ask"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hvad er en trio?")
    assert texts.FALLBACK_UNKNOWN in out
