"""The composition root: the one place that builds concrete objects."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from botbuilder.core import BotAdapter, ConversationState, TurnContext
from botbuilder.dialogs import Dialog
from sqlalchemy.exc import SQLAlchemyError

from bot.botframework import BotFramework, build_botframework
from bot.clock import Clock, SystemClock
from bot.delivery.budget import ReplyBudget, TenantSendBudget
from bot.delivery.protocol import ProactiveSender
from bot.delivery.wiring import DeliveryComponents, build_delivery
from bot.handler import MedBot
from bot.ideas.wiring import IdeaComponents, build_idea_components
from bot.inbound_dedup import InboundDeduplication
from bot.private_chats import PrivateChats
from bot.ratelimit import UserRateLimiter
from bot.reminders.wiring import ReminderComponents, build_reminder_components
from bot.settings import Settings
from bot.slack.inbound import CHANNEL_ID as SLACK_CHANNEL
from bot.slack.routes import build_slack_api
from bot.slack.sender import SlackSender
from bot.slack.webapi import SlackWebApi
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from bot.storage.state import SqlStorage
from bot.storage.unanswered import UnansweredLog
from bot.turn_gate import TurnGate
from bot.turn_speaker import TurnSpeaker
from bot.turnlock import ConversationLocks
from dialogs import texts
from dialogs.activities import plain, to_activity
from dialogs.case_level import CaseLevelDialog
from dialogs.deps import DialogDeps
from dialogs.router import Router
from knowledge.intents import Intent
from knowledge.kb import KnowledgeBase
from knowledge.profiles import Profile, load_profile
from knowledge.search import Searcher

log = logging.getLogger(__name__)

#: Something the running bot opens and must close again: entering it opens it, leaving
#: it closes it (see :meth:`Runtime.resources`).
Resource = Callable[[], AbstractAsyncContextManager[None]]


class SafeUnansweredLog:
    """Logging an unanswered question must never cost the user the answer."""

    def __init__(self, inner: UnansweredLog) -> None:
        self._inner = inner

    async def add(self, text: str, score: float, suggestions: list[str], channel_id: str) -> None:
        try:
            await self._inner.add(text, score, suggestions, channel_id)
        except SQLAlchemyError:
            log.exception("could not record an unanswered question")


@dataclass
class Knowledge:
    kb: KnowledgeBase
    searcher: Searcher
    profile: Profile


def load_knowledge(settings: Settings) -> Knowledge:
    kb = KnowledgeBase.load()
    profile = load_profile(settings.org, settings.profiles_dir)
    return Knowledge(kb=kb, searcher=Searcher(kb, org=profile.municipality_key), profile=profile)


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    database: Database
    storage: SqlStorage
    conversation_state: ConversationState
    knowledge: Knowledge
    conversations: ConversationStore
    unanswered: UnansweredLog
    deps: DialogDeps
    router: Router
    bot: MedBot
    # Every channel's turns enter here (flood control, unreadable card actions), then the bot.
    gate: TurnGate
    # The Bot Framework (Teams) side: parsing, authentication, the adapter, replies.
    botframework: BotFramework
    reminders: ReminderComponents
    ideas: IdeaComponents
    # The senders and the one scheduler of every proactive message (reminders, nudges, idea notifications).
    delivery: DeliveryComponents
    slack_api: SlackWebApi | None
    # Who sent the running turn's activity (middleware on the adapter; the unanswered log reads it).
    speaker: TurnSpeaker
    # What start() opened, closed again by close().
    _opened: AsyncExitStack = field(default_factory=AsyncExitStack, init=False, repr=False)

    @property
    def adapter(self) -> BotAdapter:
        """The Bot Framework adapter (middleware, proactive sends, new conversations)."""
        return self.botframework.adapter

    @asynccontextmanager
    async def migrated_database(self) -> AsyncIterator[None]:
        """The database at the newest schema; its pooled connections closed at the end."""
        try:
            await self.database.upgrade()
            yield
        finally:
            await self.database.dispose()

    @asynccontextmanager
    async def connector_session(self) -> AsyncIterator[None]:
        """The Bot Framework connector's HTTP session (opened by the first send), closed at the end."""
        try:
            yield
        finally:
            await self.botframework.close()

    @asynccontextmanager
    async def slack_session(self) -> AsyncIterator[None]:
        """The Slack Web API client's HTTP session (when Slack is configured), closed at the end."""
        try:
            yield
        finally:
            if self.slack_api is not None:
                await self.slack_api.close()

    @asynccontextmanager
    async def running_scheduler(self) -> AsyncIterator[None]:
        """The seed calendars synced and the scheduler loop running; at the end the loop
        stops (the send in flight finishes) and this replica's leases are handed back."""
        await self.reminders.start()
        await self.delivery.start()
        try:
            yield
        finally:
            await self.delivery.stop()

    def resources(self) -> tuple[Resource, ...]:
        """What the running bot opens, in the order it opens them; they close in the reverse
        order, so the scheduler stops before the sessions it sends on, and those close
        before the database."""
        return (self.migrated_database, self.connector_session, self.slack_session, self.running_scheduler)

    async def start(self) -> None:
        """Open :meth:`resources` in order. When one fails, those already open are closed again."""
        async with AsyncExitStack() as stack:
            for resource in self.resources():
                await stack.enter_async_context(resource())
            self._opened = stack.pop_all()

    async def close(self) -> None:
        """Close what :meth:`start` opened, in the reverse order (nothing when it was not started)."""
        await self._opened.aclose()


def build_dialogs(deps: DialogDeps, reminders: ReminderComponents, ideas: IdeaComponents) -> Mapping[Intent, Dialog]:
    """The conversations the router can start, by the intent that starts them."""
    return {Intent.CASE_LEVEL: CaseLevelDialog(deps.profile, deps.kb), **reminders.dialogs, **ideas.dialogs()}


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
    knowledge: Knowledge | None = None,
) -> Runtime:
    """Everything the bot runs on, each part built with its share of ``settings``."""
    clock = clock or SystemClock()
    database = database or Database(settings.db_url)
    knowledge = knowledge or load_knowledge(settings)
    # A message activity sent again (after a timeout or a crash) is processed once: recorded
    # as processed together with its turn's dialog state, and checked in the same unit of
    # work that reads that state.
    storage = SqlStorage(database, also_in_write=lambda connection, keys: inbound.record_with_state(connection, keys))
    inbound = InboundDeduplication(database, clock, state=storage)
    botframework = build_botframework(settings, clock, on_error=_apologise)
    adapter = botframework.adapter
    conversation_state = botframework.conversation_state(storage)
    conversations = ConversationStore(database, clock)
    speaker = TurnSpeaker()
    unanswered = UnansweredLog(database, clock, asker=speaker.current)
    # One budget per tenant for the replies of turns and every proactive send (replies first).
    budget = TenantSendBudget(clock, settings.send_budget_per_second, replicas=settings.replicas)
    botframework.use(ReplyBudget(budget))
    # Re-sent message activities are skipped; the unanswered log learns who asks (for `medbot privacy`).
    botframework.use(inbound)
    botframework.use(speaker)
    # An idea or a reminder asked for in a group chat or channel continues in the 1:1 chat.
    turn_locks = ConversationLocks()
    deps = DialogDeps(
        kb=knowledge.kb,
        searcher=knowledge.searcher,
        profile=knowledge.profile,
        unanswered=SafeUnansweredLog(unanswered),
        clock=clock,
        private_chats=PrivateChats(adapter, conversations, conversation_state, turn_locks, app_id=settings.app_id),
    )
    slack_api = build_slack_api(settings.slack, clock)
    other_senders: dict[str, ProactiveSender] = {}
    if slack_api is not None:
        other_senders[SLACK_CHANNEL] = SlackSender(conversations, slack_api)
    reminders = build_reminder_components(database, clock, settings, conversations, profile=knowledge.profile)
    ideas = build_idea_components(database, clock, knowledge.profile, settings.ideas)
    # One scheduler sends reminders, nudges and idea notifications, to any channel, within the tenants' budget.
    delivery = build_delivery(
        database,
        clock,
        settings.delivery,
        adapter,
        conversations,
        [*reminders.kinds, ideas.kind],
        app_id=settings.app_id,
        planners=reminders.planners,
        jobs=[*reminders.jobs, *ideas.jobs],
        other_senders=other_senders,
        budget=budget,
    )
    router = Router(deps, conversation_state, build_dialogs(deps, reminders, ideas))
    rate_limiter = UserRateLimiter(clock, settings.user_rate_per_minute)
    bot = MedBot(
        router=router,
        conversation_state=conversation_state,
        conversations=conversations,
        rate_limiter=rate_limiter,
        max_message_chars=settings.max_message_chars,
        turn_locks=turn_locks,
    )
    return Runtime(
        settings=settings,
        clock=clock,
        database=database,
        storage=storage,
        conversation_state=conversation_state,
        knowledge=knowledge,
        conversations=conversations,
        unanswered=unanswered,
        deps=deps,
        router=router,
        bot=bot,
        gate=TurnGate(bot, rate_limiter),
        botframework=botframework,
        reminders=reminders,
        ideas=ideas,
        delivery=delivery,
        slack_api=slack_api,
        speaker=speaker,
    )


async def _apologise(turn_context: TurnContext, error: Exception) -> None:
    """A turn failed: log it, and say sorry when the user wrote a message."""
    log.error("turn failed: %s", type(error).__name__, exc_info=error)
    if turn_context.activity.type == "message":
        try:
            await turn_context.send_activity(to_activity(plain(texts.ERROR_APOLOGY), turn_context.activity.channel_id))
        except Exception:  # noqa: BLE001 - the connector may be what failed; nothing more to do
            log.warning("could not send the apology either")
