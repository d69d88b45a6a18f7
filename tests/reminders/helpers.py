"""Helpers shared by the reminder tests."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.botframework.config import BotFrameworkConfig
from bot.clock import Clock
from bot.delivery.config import DeliveryConfig
from bot.delivery.kinds import DeliveryKind
from bot.delivery.ratelimit import Backoff, DeliveryRateLimiter
from bot.delivery.scheduler import Scheduler
from bot.delivery.sender import BotFrameworkSender
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.config import ReminderConfig
from bot.reminders.kinds import nudge_kind, reminder_kind
from bot.reminders.models import NudgeRow, ReminderRow
from bot.reminders.store import ReminderStore
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database

TENANT = "tenant-1"


async def store_conversation(
    conversations: ConversationStore,
    service_url: str,
    conversation_id: str = "a:personal-1",
    user_id: str = "29:user-1",
    conversation_type: str = "personal",
) -> int:
    reference = ConversationReference(
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id=conversation_id, conversation_type=conversation_type, tenant_id=TENANT),
        user=ChannelAccount(id=user_id, name="Mette"),
        bot=ChannelAccount(id="28:medbot", name="MED-bot"),
    )
    return await conversations.upsert_from_activity(reference, conversation_type, TENANT)


def cloud_adapter() -> CloudAdapter:
    """A CloudAdapter with an empty app id (auth off), as against the Agents Playground."""
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(BotFrameworkConfig(Settings())))


def make_sender(database: Database, clock: Clock, seed: int = 7) -> BotFrameworkSender:
    return BotFrameworkSender(
        cloud_adapter(),
        ConversationStore(database, clock),
        clock,
        limiter=DeliveryRateLimiter(clock),
        backoff=Backoff(random.Random(seed)),
    )


def reminder_kinds(database: Database, clock: Clock) -> list[DeliveryKind]:
    """The reminder and nudge outboxes, as the runtime hands them to the scheduler."""
    return [reminder_kind(database), nudge_kind(database, CalendarStore(database, clock), ReminderConfig())]


def make_scheduler(
    database: Database, clock: Clock, owner: str = "replica-a", config: DeliveryConfig | None = None, **kwargs: Any
) -> Scheduler:
    """A scheduler of reminders and nudges that sends through a real BotFrameworkSender."""
    kinds = reminder_kinds(database, clock)
    return Scheduler(database, clock, make_sender(database, clock), owner, kinds, config=config or DeliveryConfig(), **kwargs)


async def add_reminder(database: Database, clock: Clock, conversation_id: int, text: str, due: datetime) -> int:
    reminder = await ReminderStore(database, clock).create(conversation_id, "29:user-1", text, due)
    return reminder.id


async def reminder_row(database: Database, reminder_id: int) -> sa.Row[Any]:
    table = ReminderRow.__table__
    async with database.session() as session:
        return (await session.execute(sa.select(table).where(table.c.id == reminder_id))).one()


async def nudge_rows(database: Database) -> list[sa.Row[Any]]:
    table = NudgeRow.__table__
    async with database.session() as session:
        return list((await session.execute(sa.select(table).order_by(table.c.due_at, table.c.id))).all())


def texts_of(sent: list[dict[str, Any]]) -> list[str]:
    """The text of each sent activity: its text, or its card's text blocks joined."""
    out = []
    for activity in sent:
        parts = [activity.get("text") or ""]
        for attachment in activity.get("attachments") or []:
            content = attachment.get("content") or {}
            for element in content.get("body", []):
                if element.get("type") == "TextBlock":
                    parts.append(element.get("text", ""))
                elif element.get("type") == "FactSet":
                    parts.extend(f"{f['title']}: {f['value']}" for f in element.get("facts", []))
        out.append("\n".join(p for p in parts if p))
    return out


async def tick_until(scheduler: Scheduler, clock: Any, until: datetime, step: timedelta) -> None:
    while clock.now() < until:
        await scheduler.tick()
        clock.advance(step)
    await scheduler.tick()
