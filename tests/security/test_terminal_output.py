"""Control characters users typed never reach the secretary's terminal or the CSV export.

Issue 13, point 6: ESC sequences in an idea title rewrote the screen in ``medbot ideas
list|show`` and ``medbot calendar list``. Here every listing command prints ideas,
names, reminders, questions and calendar events full of ESC sequences, carriage
returns, a C1 CSI, BEL and a bidi override.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.cli import main
from bot.clock import FakeClock, SystemClock
from bot.ideas.service import Actor, IdeaService
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.store import ReminderStore
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from bot.storage.unanswered import UnansweredLog
from dialogs.idea_port import Person
from knowledge.calendar import CalendarEvent, EventKind
from knowledge.profiles import load_profile
from tests.ideas.conftest import CONFIG, START
from tests.ideas.helpers import complete_draft

CLEAR = "\x1b[2J\x1b[H"  # clear the screen, cursor home
TITLE_BAR = "\x1b]0;pwned\x07"  # set the terminal's title
CSI_C1 = "\x9b31m"  # the one-byte CSI
OVERWRITE = "\rIdé #2027-999 godkendt"  # a carriage return that overwrites the line
RLO = "\u202e"  # right-to-left override
HOSTILE = f"{CLEAR}Titel{TITLE_BAR}{CSI_C1}{RLO}"
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\r", "\u202e")

PERSON = Person(channel_id="msteams", user_id=f"29:evil{CLEAR}", user_name=f"Mette{CLEAR}Jensen", conversation_id="a:evil", conversation_type="personal")


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
        clock = FakeClock(START)
        service = IdeaService(database, clock, load_profile("jammerbugt"), CONFIG)
        await service.submit(
            complete_draft(title=HOSTILE[:100], description=f"Linje et{OVERWRITE}\nLinje to {TITLE_BAR}", potential=f"Stort{CSI_C1}"),
            PERSON,
        )
        await service.add_comment("2027-001", Actor(id="cli", name=f"sekretær{CLEAR}", trusted=True), f"Kommentar{OVERWRITE}")
        await service.add_admin(f"29:admin{CLEAR}", "bff", Actor.cli("sekretær"))
        await service.add_contact("bff", f"29:kontakt{CLEAR}", f"Jette{TITLE_BAR}")
        reference = ConversationReference(
            channel_id="msteams",
            service_url="https://connector.local.test/",
            conversation=ConversationAccount(id=f"a:evil{CLEAR}", conversation_type="personal"),
            user=ChannelAccount(id=PERSON.user_id, name=PERSON.user_name),
            bot=ChannelAccount(id="28:bot", name="MED-bot"),
        )
        ref_id = await ConversationStore(database, clock).upsert_from_activity(reference, "personal", "tenant")
        await ReminderStore(database, clock).create(ref_id, PERSON.user_id, f"Ring{OVERWRITE}{CLEAR}", datetime(2031, 1, 6, 9, 0, tzinfo=UTC))
        await UnansweredLog(database, SystemClock()).add(f"Spørgsmål{CLEAR}{CSI_C1}{RLO}", 1.0, [], f"msteams{CLEAR}")
        await CalendarStore(database, clock).upsert(
            [
                CalendarEvent(
                    uid="hostile@test",
                    org="jammerbugt",
                    title=f"Møde{CLEAR}{OVERWRITE}",
                    kind=EventKind.MEETING,
                    starts_at=datetime(2031, 2, 3, 12, 0, tzinfo=UTC),
                    committee="HovedMED",
                    location=f"Sal{TITLE_BAR}",
                    source=f"fil{CSI_C1}.ics",
                )
            ]
        )
        await database.dispose()

    asyncio.run(run())


COMMANDS = [
    ["ideas", "list"],
    ["ideas", "show", "2027-001"],
    ["ideas", "admin", "list"],
    ["ideas", "contact", "list"],
    ["calendar", "list", "--all"],
    ["unanswered"],
    ["unanswered", "--json"],
    ["reminders", "list"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_listings_show_control_characters_as_visible_escapes(
    db_url: str, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    seed(db_url)
    capsys.readouterr()
    assert main(argv) == 0
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert [c for c in FORBIDDEN if c in printed] == []
    assert "\\x1b" in printed or "\\u001b" in printed  # shown, not obeyed
    if argv == ["unanswered", "--json"]:
        assert json.loads(captured.out)["text"] == f"Spørgsmål{CLEAR}{CSI_C1}{RLO}"  # still exact JSON


def test_csv_export_has_no_control_characters(db_url: str, tmp_path: Path) -> None:
    seed(db_url)
    target = tmp_path / "idéer.csv"
    assert main(["ideas", "export", "--output", str(target)]) == 0
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert [c for c in FORBIDDEN if any(c in cell for cell in cells)] == []
    title = rows[1][2]
    assert title.startswith("\\x1b[2J") and "Titel" in title
    assert "Linje et\\x0dIdé #2027-999 godkendt\nLinje to" in rows[1][3]  # the line break of the text stays
