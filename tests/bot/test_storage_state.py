"""SqlStorage: botbuilder's Storage contract, e-tags, atomicity, dialogs across restarts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from botbuilder.core import CardFactory, ConversationState, MessageFactory, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    ComponentDialog,
    DialogSet,
    DialogTurnStatus,
    PromptOptions,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.choices import Choice, FoundChoice, ListStyle
from botbuilder.dialogs.dialog_turn_result import DialogTurnResult
from botbuilder.dialogs.prompts import ChoicePrompt, ConfirmPrompt
from botbuilder.testing.storage_base_tests import StorageBaseTests

from bot.clock import FakeClock
from bot.storage.db import Database
from bot.storage.models import BotStateRow
from bot.storage.state import (
    SqlStorage,
    StorageArgumentError,
    StorageConcurrencyError,
    StorageETagMissingError,
)
from tests.databases import WITH_PSYCOPG

BASE_TESTS = [
    "return_empty_object_when_reading_unknown_key",
    "handle_null_keys_when_reading",
    "handle_null_keys_when_writing",
    "does_not_raise_when_writing_no_items",
    "create_object",
    "handle_crazy_keys",
    "update_object",
    "delete_object",
    "delete_unknown_object",
    "perform_batch_operations",
    "proceeds_through_waterfall",
]


class Counter(StoreItem):
    """A non-dict store item (jsonpickle restores it by its import path)."""

    def __init__(self, **kwargs: Any) -> None:
        self.count = 0
        self.e_tag: str | None = None
        super().__init__(**kwargs)


@pytest.fixture
def storage(database: Database, clock: FakeClock) -> SqlStorage:
    return SqlStorage(database, clock)


async def _row(database: Database, key: str) -> sa.Row[Any] | None:
    async with database.session() as session:
        result = await session.execute(sa.select(BotStateRow.__table__).where(BotStateRow.key == key))
        return result.one_or_none()


# -- botbuilder's own conformance tests -------------------------------------------


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
@pytest.mark.parametrize("name", BASE_TESTS)
async def test_botbuilder_storage_base_tests(storage: SqlStorage, name: str) -> None:
    assert await getattr(StorageBaseTests, name)(storage) is True


# -- e-tags -----------------------------------------------------------------------


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
async def test_read_returns_item_with_etag_and_document_has_no_etag(
    storage: SqlStorage, database: Database, clock: FakeClock
) -> None:
    await storage.write({"k": {"n": 1, "e_tag": "*"}})
    item = (await storage.read(["k"]))["k"]
    assert item["n"] == 1
    assert item["e_tag"] and item["e_tag"] != "*"
    row = await _row(database, "k")
    assert row is not None
    assert row.etag == item["e_tag"]
    assert "e_tag" not in row.data
    assert row.updated_at == clock.now()
    assert row.updated_at.tzinfo is not None


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
async def test_stale_etag_raises_and_changes_nothing(storage: SqlStorage) -> None:
    await storage.write({"k": {"n": 1}})
    first = (await storage.read(["k"]))["k"]
    second = dict(first, n=2)
    await storage.write({"k": second})
    current = (await storage.read(["k"]))["k"]
    assert current["n"] == 2
    assert current["e_tag"] != first["e_tag"]

    stale = dict(first, n=3)
    with pytest.raises(StorageConcurrencyError) as error:
        await storage.write({"k": stale})
    assert error.value.key == "k"
    after = (await storage.read(["k"]))["k"]
    assert after == current


async def test_wildcard_and_missing_etag_overwrite(storage: SqlStorage) -> None:
    await storage.write({"k": {"n": 1}})
    await storage.write({"k": {"n": 2, "e_tag": "*"}})
    assert (await storage.read(["k"]))["k"]["n"] == 2
    await storage.write({"k": {"n": 3}})
    assert (await storage.read(["k"]))["k"]["n"] == 3
    await storage.write({"k": {"n": 4, "e_tag": None}})
    assert (await storage.read(["k"]))["k"]["n"] == 4


async def test_every_write_makes_a_new_etag(storage: SqlStorage) -> None:
    seen: set[str] = set()
    for _ in range(3):
        await storage.write({"k": {"same": True}})
        seen.add((await storage.read(["k"]))["k"]["e_tag"])
    assert len(seen) == 3


async def test_write_puts_the_new_etag_on_the_callers_item(storage: SqlStorage) -> None:
    item: dict[str, Any] = {"n": 1}
    await storage.write({"k": item})
    assert item["e_tag"] == (await storage.read(["k"]))["k"]["e_tag"]
    item["n"] = 2
    await storage.write({"k": item})  # our own etag: no conflict
    assert (await storage.read(["k"]))["k"]["n"] == 2


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
async def test_conditional_write_to_deleted_key_conflicts(storage: SqlStorage) -> None:
    await storage.write({"k": {"n": 1}})
    item = (await storage.read(["k"]))["k"]
    await storage.delete(["k"])
    with pytest.raises(StorageConcurrencyError):
        await storage.write({"k": item})
    assert await storage.read(["k"]) == {}


async def test_empty_etag_is_refused_before_anything_is_written(storage: SqlStorage) -> None:
    with pytest.raises(StorageETagMissingError):
        await storage.write({"a": {"n": 1}, "b": {"n": 2, "e_tag": ""}})
    assert await storage.read(["a", "b"]) == {}


async def test_argument_errors(storage: SqlStorage) -> None:
    with pytest.raises(StorageArgumentError):
        await storage.read(None)  # type: ignore[arg-type]  # a wrong argument is what is tested
    with pytest.raises(StorageArgumentError):
        await storage.write(None)  # type: ignore[arg-type]  # a wrong argument is what is tested
    with pytest.raises(StorageArgumentError):
        await storage.delete(None)  # type: ignore[arg-type]  # a wrong argument is what is tested
    with pytest.raises(StorageArgumentError):
        await storage.read("abc")  # a string is not a list of keys
    assert await storage.read([]) == {}


async def test_shared_references_and_python_types_survive(storage: SqlStorage) -> None:
    """jsonpickle writes the second occurrence of an object as a back-reference (py/id),
    which depends on key order: the JSON column must keep the document as written."""
    shared = {"step": 1, "values": {"idé": "cykelstier"}}
    when = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    item = {"zz_first": shared, "a_second": shared, "when": when, "tags": {"MED", "AMR"}, "pair": (1, 2)}
    await storage.write({"k": item})
    restored = (await storage.read(["k"]))["k"]
    assert restored["zz_first"] == shared
    assert restored["a_second"] is restored["zz_first"]
    assert restored["when"] == when and restored["when"].tzinfo is not None
    assert restored["tags"] == {"MED", "AMR"}
    assert restored["pair"] == (1, 2)


# -- many keys --------------------------------------------------------------------


async def test_many_keys_in_one_write(storage: SqlStorage) -> None:
    changes = {f"msteams/conversations/{i}/": {"i": i} for i in range(25)}
    await storage.write(changes)
    items = await storage.read(list(changes))
    assert [item["i"] for item in items.values()] == list(range(25))
    await storage.delete(list(changes)[:10])
    assert len(await storage.read(list(changes))) == 15


async def test_many_keys_write_is_all_or_nothing(storage: SqlStorage) -> None:
    await storage.write({"a": {"n": 1}})
    a = (await storage.read(["a"]))["a"]
    await storage.write({"a": {"n": 2}})  # a's etag moves on
    with pytest.raises(StorageConcurrencyError):
        await storage.write({"new": {"n": 1}, "b": {"n": 1}, "a": dict(a, n=3)})
    assert await storage.read(["new", "b"]) == {}
    assert (await storage.read(["a"]))["a"]["n"] == 2


async def test_long_keys(storage: SqlStorage) -> None:
    key = "msteams/conversations/" + "19:" + "x" * 2000 + "@thread.tacv2;messageid=1/"
    await storage.write({key: {"ok": True}})
    assert (await storage.read([key]))[key]["ok"] is True


# -- objects ----------------------------------------------------------------------


async def test_store_item_objects_round_trip(storage: SqlStorage) -> None:
    await storage.write({"c": Counter(count=5)})
    restored = (await storage.read(["c"]))["c"]
    assert isinstance(restored, Counter)
    assert restored.count == 5
    assert restored.e_tag
    restored.count = 6
    await storage.write({"c": restored})
    stale = Counter(count=99, e_tag="not-the-etag")
    with pytest.raises(StorageConcurrencyError):
        await storage.write({"c": stale})
    assert (await storage.read(["c"]))["c"].count == 6


# -- concurrency --------------------------------------------------------------------


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
async def test_two_processes_same_etag_exactly_one_wins(
    database: Database, database_factory: Callable[[], Database], clock: FakeClock
) -> None:
    first = SqlStorage(database, clock)
    second = SqlStorage(database_factory(), clock)
    for round_number in range(5):
        key = f"race/{round_number}"
        await first.write({key: {"winner": None}})
        a = (await first.read([key]))[key]
        b = (await second.read([key]))[key]
        assert a["e_tag"] == b["e_tag"]
        a["winner"] = "a"
        b["winner"] = "b"
        results = await asyncio.gather(first.write({key: a}), second.write({key: b}), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert len(errors) == 1, results
        assert isinstance(errors[0], StorageConcurrencyError)
        winner = "b" if results[0] is errors[0] else "a"
        assert (await first.read([key]))[key]["winner"] == winner


async def test_concurrent_unconditional_first_writes_do_not_fail(
    database: Database, database_factory: Callable[[], Database], clock: FakeClock
) -> None:
    first = SqlStorage(database, clock)
    second = SqlStorage(database_factory(), clock)
    await asyncio.gather(*(s.write({f"new/{i}": {"by": n}}) for i in range(5) for n, s in enumerate((first, second))))
    items = await first.read([f"new/{i}" for i in range(5)])
    assert len(items) == 5


# -- botbuilder state and dialogs ------------------------------------------------------


def _build_bot(storage: SqlStorage) -> tuple[TestAdapter, ConversationState]:
    """A fresh bot (as after a restart): state objects and dialogs built anew."""
    conversation_state = ConversationState(storage)
    dialogs = DialogSet(conversation_state.create_property("DialogState"))

    async def ask_idea(step: WaterfallStepContext) -> DialogTurnResult:
        return await step.prompt("text", PromptOptions(prompt=MessageFactory.text("Hvad er din idé?")))

    async def ask_committee(step: WaterfallStepContext) -> DialogTurnResult:
        step.values["idea"] = step.result
        return await step.prompt("text", PromptOptions(prompt=MessageFactory.text("Hvilket MED-udvalg?")))

    async def thank(step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity(f"Tak: {step.values['idea']} -> {step.result}")
        return await step.end_dialog()

    dialogs.add(WaterfallDialog("idea", [ask_idea, ask_committee, thank]))
    dialogs.add(TextPrompt("text"))

    async def logic(turn_context: TurnContext) -> None:
        dialog_context = await dialogs.create_context(turn_context)
        result = await dialog_context.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog("idea")
        await conversation_state.save_changes(turn_context)

    return TestAdapter(logic), conversation_state


async def _turn(storage: SqlStorage, text: str) -> list[str]:
    adapter, _ = _build_bot(storage)
    await adapter.receive_activity(text)
    return [activity.text for activity in adapter.activity_buffer]


async def test_dialog_resumes_after_restart(database_url: str, database: Database, clock: FakeClock) -> None:
    # Each turn runs on a brand-new Database + SqlStorage + dialogs, like a restarted bot.
    replies: list[list[str]] = []
    for text in ["hej", "Flere cykelstier", "LokalMED"]:
        restarted = Database(database_url)
        try:
            replies.append(await _turn(SqlStorage(restarted, clock), text))
        finally:
            await restarted.dispose()
        clock.advance(timedelta(minutes=1))
        if text == "hej":
            # TestAdapter's channel id is an Enum: the key reads "Channels.test/..." on 3.11.
            async with database.session() as session:
                rows = (await session.execute(sa.select(BotStateRow.__table__))).all()
            assert len(rows) == 1
            assert rows[0].key.endswith("/conversations/Convo1")
            stack = rows[0].data["DialogState"]["_dialog_stack"]
            assert stack[0]["py/object"] == "botbuilder.dialogs.dialog_instance.DialogInstance"
            assert [entry["id"] for entry in stack] == ["text", "idea"]  # top of the stack first
    assert replies == [
        ["Hvad er din idé?"],
        ["Hvilket MED-udvalg?"],
        ["Tak: Flere cykelstier -> LokalMED"],
    ]


async def test_second_save_in_one_turn_does_not_conflict(storage: SqlStorage) -> None:
    conversation_state = ConversationState(storage)
    counter = conversation_state.create_property("counter")

    async def logic(turn_context: TurnContext) -> None:
        for _ in range(2):
            value = await counter.get(turn_context, lambda: {"n": 0})
            await counter.set(turn_context, {"n": value["n"] + 1})
            await conversation_state.save_changes(turn_context)
        await turn_context.send_activity(str((await counter.get(turn_context))["n"]))

    adapter = TestAdapter(logic)
    await adapter.receive_activity("1")
    await adapter.receive_activity("2")
    assert [a.text for a in adapter.activity_buffer] == ["2", "4"]


async def test_no_lost_updates_under_contention(
    database: Database, database_factory: Callable[[], Database], clock: FakeClock
) -> None:
    """Four 'processes' increment one counter with read-modify-write and retry on conflict."""
    storages = [SqlStorage(database, clock)] + [SqlStorage(database_factory(), clock) for _ in range(3)]
    await storages[0].write({"counter": {"n": 0}})
    conflicts = 0

    async def increment(storage: SqlStorage, times: int) -> None:
        nonlocal conflicts
        for _ in range(times):
            while True:
                item = (await storage.read(["counter"]))["counter"]
                item["n"] += 1
                try:
                    await storage.write({"counter": item})
                    break
                except StorageConcurrencyError:
                    conflicts += 1

    await asyncio.gather(*(increment(storage, 10) for storage in storages))
    assert (await storages[0].read(["counter"]))["counter"]["n"] == 40


class IdeaDialog(ComponentDialog):
    """A component dialog with the prompt kinds MED-bot's dialogs use."""

    def __init__(self) -> None:
        super().__init__("idea_component")
        self.add_dialog(WaterfallDialog("steps", [self.ask_level, self.ask_confirm, self.done]))
        self.add_dialog(ChoicePrompt("choice"))
        confirm = ConfirmPrompt("confirm", default_locale="en-us")
        confirm.style = ListStyle.none
        self.add_dialog(confirm)
        self.initial_dialog_id = "steps"

    async def ask_level(self, step: WaterfallStepContext) -> DialogTurnResult:
        card = CardFactory.adaptive_card(
            {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Niveau?"}]}
        )
        prompt = MessageFactory.attachment(card)
        prompt.text = "Hvilket niveau?"
        return await step.prompt(
            "choice",
            PromptOptions(
                prompt=prompt,
                choices=[Choice("KommuneMED"), Choice("AfdelingsMED"), Choice("ArbejdspladsMED")],
                style=ListStyle.none,
            ),
        )

    async def ask_confirm(self, step: WaterfallStepContext) -> DialogTurnResult:
        found: FoundChoice = step.result
        step.values["level"] = found.value
        return await step.prompt("confirm", PromptOptions(prompt=MessageFactory.text(f"{found.value}, ok?")))

    async def done(self, step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity(f"{step.values['level']}: {step.result}")
        return await step.end_dialog()


async def test_component_dialog_with_choice_and_confirm_prompts_survives_restarts(
    database_url: str, database: Database, clock: FakeClock
) -> None:
    async def turn(text: str) -> list[str]:
        restarted = Database(database_url)
        try:
            conversation_state = ConversationState(SqlStorage(restarted, clock))
            dialogs = DialogSet(conversation_state.create_property("DialogState"))
            dialogs.add(IdeaDialog())

            async def logic(turn_context: TurnContext) -> None:
                dialog_context = await dialogs.create_context(turn_context)
                result = await dialog_context.continue_dialog()
                if result.status == DialogTurnStatus.Empty:
                    await dialog_context.begin_dialog("idea_component")
                await conversation_state.save_changes(turn_context)

            adapter = TestAdapter(logic)
            await adapter.receive_activity(text)
            return [activity.text for activity in adapter.activity_buffer]
        finally:
            await restarted.dispose()

    assert await turn("hej") == ["Hvilket niveau?"]
    assert await turn("noget andet") == ["Hvilket niveau?"]  # re-prompt: prompt options were restored
    assert await turn("AfdelingsMED") == ["AfdelingsMED, ok?"]
    assert await turn("yes") == ["AfdelingsMED: True"]


async def test_multi_key_writers_in_opposite_orders_do_not_deadlock(
    database: Database, database_factory: Callable[[], Database], clock: FakeClock
) -> None:
    first = SqlStorage(database, clock)
    second = SqlStorage(database_factory(), clock)
    keys = [f"k{i}" for i in range(20)]
    for _ in range(5):
        await asyncio.gather(
            first.write({key: {"by": "first"} for key in keys}),
            second.write({key: {"by": "second"} for key in reversed(keys)}),
        )
    assert len({item["by"] for item in (await first.read(keys)).values()}) == 1


# -- a read inside another unit of work (the start of a turn) ---------------------


def _count_statements(database: Database) -> list[str]:
    seen: list[str] = []
    for engine in database.sync_engines:
        sa.event.listen(engine, "before_cursor_execute", lambda _c, _cu, statement, *_a: seen.append(statement))
    return seen


async def test_a_read_made_with_other_work_serves_the_next_read(storage: SqlStorage, database: Database) -> None:
    await storage.write({"conv": {"step": 1}, "other": {"step": 9}})
    result = await storage.run_with_read(lambda c: c.execute(sa.select(sa.literal(42))).scalar_one(), ["conv", "gone"])
    assert result == 42
    seen = _count_statements(database)
    assert (await storage.read(["other"]))["other"]["step"] == 9  # not read early: from the database
    assert seen
    seen.clear()
    first = await storage.read(["conv"])
    assert seen == []  # taken from the earlier read
    assert first["conv"]["step"] == 1
    first["conv"]["step"] = 2
    await storage.write(first)  # the e-tag read early is the stored one
    assert (await storage.read(["conv"]))["conv"]["step"] == 2
    assert seen  # used once: this read went to the database


async def test_a_read_made_early_is_not_used_after_a_write_of_its_key(storage: SqlStorage) -> None:
    await storage.write({"conv": {"step": 1}})
    await storage.run_with_read(lambda _c: None, ["conv"])
    await storage.write({"conv": {"step": 5}})  # another turn of the conversation, queued before
    read = await storage.read(["conv"])
    assert read["conv"]["step"] == 5
    read["conv"]["step"] = 6
    await storage.write(read)  # no e-tag conflict: the read was fresh


async def test_a_read_made_early_of_a_missing_key_reads_nothing(storage: SqlStorage, database: Database) -> None:
    await storage.run_with_read(lambda _c: None, ["new"])
    seen = _count_statements(database)
    assert await storage.read(["new"]) == {}
    assert seen == []


async def test_forget_read_drops_what_was_read_early(storage: SqlStorage, database: Database) -> None:
    await storage.write({"conv": {"step": 1}})
    await storage.run_with_read(lambda _c: None, ["conv"])
    storage.forget_read()
    seen = _count_statements(database)
    assert (await storage.read(["conv"]))["conv"]["step"] == 1
    assert seen
