"""``medbot ideas``: the secretary's command line."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import FakeClock
from bot.ideas.service import IdeaService
from bot.storage.db import Database
from dialogs.idea_port import Person
from knowledge.profiles import load_profile
from tests.ideas.conftest import CONFIG, START
from tests.ideas.helpers import complete_draft

METTE = Person(channel_id="msteams", user_id="29:mette", user_name="Mette Jensen", conversation_id="a:mette", conversation_type="personal")
JONAS = Person(channel_id="msteams", user_id="29:jonas", user_name="Jonas Holm", conversation_id="a:jonas", conversation_type="personal")


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'medbot.sqlite3'}"
    monkeypatch.setenv("MEDBOT_DATABASE_URL", url)
    monkeypatch.setenv("MEDBOT_ORG", "jammerbugt")
    return url


def seed(url: str) -> None:
    async def run() -> None:
        database = Database(url)
        await database.upgrade()
        service = IdeaService(database, FakeClock(START), load_profile("jammerbugt"), CONFIG)
        await service.submit(complete_draft(title="Fælles indkøb af kontorartikler – æøå"), METTE)
        await service.submit(complete_draft(title="=HYPERLINK(\"x\")", anonymous=True, area_id="vuf"), JONAS)
        await database.dispose()

    asyncio.run(run())


def test_list_show_and_set_status(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db_url)
    assert main(["ideas", "list"]) == 0
    out = capsys.readouterr().out
    assert "#2027-001" in out and "#2027-002" in out and "[anonym]" in out
    assert "kontaktperson ikke adviseret" in out  # no chat address known for the contacts yet
    assert main(["ideas", "set-status", "2027-001", "afvist"]) == 2
    assert "kræver en begrundelse" in capsys.readouterr().err
    assert main(["ideas", "set-status", "2027-001", "afvist", "--reason", "For dyrt lige nu"]) == 0
    assert "modtaget → afvist" in capsys.readouterr().out
    assert main(["ideas", "set-status", "2027-001", "drøftes"]) == 1
    assert "Mulige næste trin: lukket" in capsys.readouterr().err
    assert main(["ideas", "list", "--status", "afvist"]) == 0
    out = capsys.readouterr().out
    assert "#2027-001" in out and "#2027-002" not in out
    assert main(["ideas", "list", "--committee", "ForvaltningsMED VUF", "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert "#2027-002" in out and "#2027-001" not in out
    assert main(["ideas", "show", "2027-001"]) == 0
    out = capsys.readouterr().out
    assert "For dyrt lige nu" in out and "MED-sekretær (kommandolinjen)" in out and "Mette Jensen" in out
    assert "status → submitter: pending" in out and "new_idea" in out and "no_address" in out
    assert main(["ideas", "show", "2027-002"]) == 0
    out = capsys.readouterr().out
    assert "Forslagsstiller: Anonym" in out and "Jonas" not in out and "29:jonas" not in out
    assert main(["ideas", "show", "2027-404"]) == 1


def test_export_csv_for_danish_excel(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    target = tmp_path / "idéer.csv"
    assert main(["ideas", "export", "--format", "csv", "--output", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows æøå right
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Nummer", "Budgetår", "Titel"]
    assert rows[1][2] == "Fælles indkøb af kontorartikler – æøå"
    assert rows[1][rows[0].index("Forslagsstiller")] == "Mette Jensen"
    assert rows[2][rows[0].index("Forslagsstiller")] == "Anonym"
    assert rows[2][2].startswith("'=")  # no formula injection
    assert "29:mette" not in text and "29:jonas" not in text and "Jonas" not in text


def test_erase_person(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    seed(db_url)
    assert main(["ideas", "erase-person", "29:mette"]) == 0
    assert "1 idé(er)" in capsys.readouterr().out
    target = tmp_path / "out.csv"
    assert main(["ideas", "export", "--output", str(target)]) == 0
    text = target.read_text(encoding="utf-8-sig")
    assert "Fælles indkøb af kontorartikler" in text and "Mette" not in text


def test_admins_and_contacts(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db_url)
    assert main(["ideas", "committees"]) == 0
    out = capsys.readouterr().out
    assert "top" in out and "HovedMED" in out and "Christina Ebert" in out
    assert main(["ideas", "admin", "add", "29:jette", "--committee", "bff"]) == 0
    assert "Tilføjet administrator for ForvaltningsMED BFF" in capsys.readouterr().out
    assert main(["ideas", "admin", "add", "29:jette", "--committee", "ForvaltningsMED BFF"]) == 0
    assert "Var allerede" in capsys.readouterr().out
    assert main(["ideas", "admin", "list"]) == 0
    assert "29:jette" in capsys.readouterr().out
    assert main(["ideas", "admin", "add", "29:x", "--committee", "Teknisk Udvalg"]) == 2
    assert "Ukendt udvalg" in capsys.readouterr().err
    assert main(["ideas", "contact", "add", "--committee", "bff", "--user-id", "29:jette", "--name", "Jette"]) == 0
    assert "1 besked(er)" in capsys.readouterr().out  # the waiting notice for #2027-001 is handed over
    assert main(["ideas", "contact", "list"]) == 0
    assert "29:jette" in capsys.readouterr().out


def test_help_mentions_the_csv_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ideas", "export", "--help"])
    out = capsys.readouterr().out
    assert "BOM" in out and "»;«" in out
