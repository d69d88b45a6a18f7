"""A message sent twice is processed once; a crash at any step of an idea confirmation leaves one idea.

Issue 13, point 11: a crash between storing an idea and answering lost the receipt and
left the dialog at the summary; the same activity posted again was processed again, and
the user had two ideas. Here the confirmation is crashed at every step it has (each SQL
statement, each commit, each send) – in-process, and with a real SIGKILL of a child
process – then the bot restarts on the same database and the activity arrives again.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery.config import DeliveryConfig
from bot.ideas.views import ideas
from bot.runtime import Knowledge, Runtime, build_runtime, load_knowledge
from bot.settings import Settings
from bot.storage.db import Database
from bot.storage.models import UnansweredQuestionRow
from dialogs import texts
from tests.activities import teams_message
from tests.fakes import FakeConnector
from tests.harness.chat import IDEAS_START
from tests.harness.teams_http import make_settings, running_bot
from tests.security.crash_points import CrashPlan, SimulatedCrash

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FORM = {
    "title": "Fælles indkøb af kontorartikler",
    "description": "Én aftale for hele kommunen giver mængderabat.",
    "potential": "Ca. 200.000 kr. om året.",
    "area": "bff",
    "cross_cutting": "false",
    "anonymous": "false",
}
RECEIPT = "Din idé #2027-001 er modtaget"


async def _count(database: Database, table: sa.Table) -> int:
    async with database.session() as session:
        return int((await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one())


# -- through the real app ------------------------------------------------------------------


async def test_a_message_sent_twice_is_answered_and_logged_once(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, org="jammerbugt"), FakeClock(IDEAS_START)) as app:
        question = app.message("hvad siger reglerne om zxqvbnm-ordningen?")
        assert await app.post(question) in (200, 201)
        first = app.connector.all_text()
        assert first
        app.connector.clear()
        assert await app.post(question) in (200, 201)  # the connector sends it again
        assert app.connector.sent == []
        assert await _count(app.runtime.database, UnansweredQuestionRow.__table__) == 1
        # Another message with its own id is of course answered.
        assert await app.say("hvad siger reglerne om zxqvbnm-ordningen?")


async def test_two_copies_arriving_at_once_are_processed_once(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, org="jammerbugt"), FakeClock(IDEAS_START)) as app:
        question = app.message("hvad siger reglerne om zxqvbnm-ordningen?")
        statuses = await asyncio.gather(*(app.post(question) for _ in range(3)))
        assert all(status in (200, 201) for status in statuses)
        assert await _count(app.runtime.database, UnansweredQuestionRow.__table__) == 1
        assert len(app.connector.sent) == len(await _answers_to_one(app))


async def _answers_to_one(app: Any) -> list[dict[str, Any]]:
    """What one copy of the same question gets as an answer (in a conversation of its own)."""
    before = list(app.connector.sent)
    app.connector.clear()
    await app.say("hvad siger reglerne om zxqvbnm-ordningen?", conversation_id="a:1another-chat", user_id="29:1another")
    answers = list(app.connector.sent)
    app.connector.sent[:] = before
    return answers


async def test_a_confirmation_sent_twice_stores_one_idea_and_answers_once(tmp_path: Path) -> None:
    async with running_bot(make_settings(tmp_path, org="jammerbugt"), FakeClock(IDEAS_START)) as app:
        await app.say("jeg har en god idé")
        submit = app.connector.cards()[-1]["actions"][0]["data"]
        assert texts.IDEA_SUMMARY_TITLE in await app.say(value={**submit, **FORM})
        confirm_data = next(a["data"] for a in app.connector.cards()[-1]["actions"] if a["title"] == texts.IDEA_CONFIRM)
        confirm = app.message(value=confirm_data)
        app.connector.clear()
        assert await app.post(confirm) in (200, 201)
        assert RECEIPT in app.connector.all_text()
        app.connector.clear()
        assert await app.post(confirm) in (200, 201)
        assert app.connector.sent == []
        assert await _count(app.runtime.database, ideas) == 1


# -- a crash at every step of the confirmation ----------------------------------------------


async def _deliver(runtime: Runtime, activity: dict[str, Any]) -> None:
    await runtime.botframework.process("", runtime.botframework.parse_activity(activity), runtime.gate.on_turn)


def _runtime(settings: Settings, clock: FakeClock, knowledge: Knowledge) -> Runtime:
    return build_runtime(replace(settings, delivery=DeliveryConfig(run_loop=False)), clock=clock, knowledge=knowledge)


async def _summary_template(folder: Path, connector: FakeConnector, knowledge: Knowledge) -> tuple[Path, dict[str, Any]]:
    """A database whose conversation stands at the idea summary, and the confirm click."""
    settings = make_settings(folder, org="jammerbugt")
    runtime = _runtime(settings, FakeClock(IDEAS_START), knowledge)
    await runtime.start()
    try:
        await _deliver(runtime, teams_message(connector.url, "jeg har en god idé"))
        submit = connector.cards()[-1]["actions"][0]["data"]
        await _deliver(runtime, teams_message(connector.url, "", value={**submit, **FORM}))
        assert texts.IDEA_SUMMARY_TITLE in connector.all_text()
        confirm_data = next(a["data"] for a in connector.cards()[-1]["actions"] if a["title"] == texts.IDEA_CONFIRM)
    finally:
        await runtime.close()
    confirm = teams_message(connector.url, "", value=confirm_data)
    confirm["id"] = "confirm-activity-1"
    path = runtime.database.sqlite_path
    assert path is not None
    return path, confirm


def _copy(template: Path, folder: Path) -> Settings:
    folder.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copy(source, folder / (template.name + suffix))
    return make_settings(folder, org="jammerbugt")


async def _after_restart(settings: Settings, knowledge: Knowledge, connector: FakeConnector, confirm: dict[str, Any]) -> tuple[int, str]:
    """The bot starts again on the same database; the activity arrives again, then the
    user (who may have seen no receipt) says »bekræft« once more. Returns (ideas, replies)."""
    runtime = _runtime(settings, FakeClock(IDEAS_START), knowledge)
    await runtime.start()
    try:
        await _deliver(runtime, confirm)
        await _deliver(runtime, teams_message(connector.url, "bekræft"))
        return await _count(runtime.database, ideas), connector.all_text()
    finally:
        await runtime.close()


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(Settings(org="jammerbugt"))


async def test_a_crash_at_any_step_of_a_confirmation_leaves_exactly_one_idea(tmp_path: Path, knowledge: Knowledge) -> None:
    async with FakeConnector() as connector:
        template, confirm = await _summary_template(tmp_path / "template", connector, knowledge)

        # How many steps has the confirmation? (Run it once without crashing.)
        counting = CrashPlan()
        settings = _copy(template, tmp_path / "count")
        runtime = _runtime(settings, FakeClock(IDEAS_START), knowledge)
        await runtime.start()
        counting.install(runtime)
        counting.armed = True
        connector.clear()
        await _deliver(runtime, confirm)
        counting.armed = False
        await runtime.close()
        assert RECEIPT in connector.all_text()
        steps = list(counting.steps)
        assert "send" in steps and "commit" in steps and len(steps) > 10, steps

        for at in range(1, len(steps) + 1):
            settings = _copy(template, tmp_path / f"crash-{at}")
            runtime = _runtime(settings, FakeClock(IDEAS_START), knowledge)
            await runtime.start()
            plan = CrashPlan(at)
            plan.install(runtime)
            connector.clear()
            plan.armed = True
            with pytest.raises(SimulatedCrash):
                await _deliver(runtime, confirm)
            plan.armed = False
            before_crash = connector.all_text()
            await runtime.close()
            connector.clear()
            count, after = await _after_restart(settings, knowledge, connector, confirm)
            story = f"crash at step {at} ({steps[at - 1]})"
            assert count == 1, story
            assert RECEIPT in before_crash + after, story
            assert "#2027-002" not in before_crash + after, story


CHILD = """
import asyncio, json, sys
from pathlib import Path
from bot.clock import FakeClock
from bot.runtime import build_runtime, load_knowledge
from bot.settings import Settings
from tests.security.crash_points import CrashPlan
from tests.harness.chat import IDEAS_START
from tests.harness.teams_http import make_settings

async def main() -> None:
    folder, at, activity = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    runtime = build_runtime(make_settings(folder, org="jammerbugt"), clock=FakeClock(IDEAS_START), knowledge=load_knowledge(Settings(org="jammerbugt")))
    await runtime.start()
    plan = CrashPlan(at, kill=True)
    plan.install(runtime)
    plan.armed = True
    await runtime.botframework.process("", runtime.botframework.parse_activity(activity), runtime.gate.on_turn)
    print("not killed")

asyncio.run(main())
"""


async def test_a_kill_9_during_a_confirmation_leaves_exactly_one_idea(tmp_path: Path, knowledge: Knowledge) -> None:
    """A real SIGKILL of a child process: right after the idea's commit, at the receipt, at the state write."""
    async with FakeConnector() as connector:
        template, confirm = await _summary_template(tmp_path / "template", connector, knowledge)
        counting = CrashPlan()
        settings = _copy(template, tmp_path / "count")
        runtime = _runtime(settings, FakeClock(IDEAS_START), knowledge)
        await runtime.start()
        counting.install(runtime)
        counting.armed = True
        await _deliver(runtime, confirm)
        await runtime.close()
        steps = counting.steps
        idea_insert = next(i for i, s in enumerate(steps) if s.startswith("sql INSERT INTO ideas"))
        idea_commit = next(i for i in range(idea_insert, len(steps)) if steps[i] == "commit")
        receipt = steps.index("send", idea_commit)
        state_write = next(i for i in range(receipt, len(steps)) if "bot_state" in steps[i])
        # 1-based steps: the one after the idea's commit, the receipt, the state write.
        for at in sorted({idea_commit + 2, receipt + 1, state_write + 1}):
            folder = tmp_path / f"kill-{at}"
            settings = _copy(template, folder)
            connector.clear()
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-c", CHILD, str(folder), str(at), json.dumps(confirm),
                cwd=PROJECT_ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await child.communicate()
            assert child.returncode == -9, (at, steps[at - 1], out, err[-2000:])
            before_kill = connector.all_text()
            connector.clear()
            count, after = await _after_restart(settings, knowledge, connector, confirm)
            story = f"kill -9 at step {at} ({steps[at - 1]})"
            assert count == 1, story
            assert RECEIPT in before_kill + after, story
