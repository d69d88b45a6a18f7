"""End to end: status feedback through CloudAdapter.continue_conversation to a local fake connector."""

from __future__ import annotations

from datetime import timedelta

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.botframework.config import BotFrameworkConfig
from bot.clock import FakeClock
from bot.delivery.sender import BotFrameworkSender
from bot.ideas.service import Actor, IdeaService
from bot.ideas.wiring import IdeaComponents
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs import texts
from dialogs.idea_port import Person
from knowledge.ideas_rules import IdeaStatus
from tests.fakes import FakeConnector, Scripted
from tests.ideas.helpers import complete_draft, deliver, remember


def anonymous_adapter() -> CloudAdapter:
    """A CloudAdapter without app id (as with the Agents Playground): no token is fetched."""
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(BotFrameworkConfig(Settings())))


async def test_status_feedback_reaches_the_submitter_exactly_once_through_the_connector(
    components: IdeaComponents, database: Database, clock: FakeClock, mette: Person
) -> None:
    service: IdeaService = components.service
    async with FakeConnector() as connector:
        await remember(database, clock, mette, service_url=connector.url)
        sender = BotFrameworkSender(anonymous_adapter(), ConversationStore(database, clock), clock)
        number = (await service.submit(complete_draft(), mette)).number
        cli = Actor.cli()
        await service.change_status(number, IdeaStatus.DROEFTES, cli)
        await service.change_status(number, IdeaStatus.SENDT_VIDERE, cli)
        connector.script.append(Scripted(status=502))  # one transient failure on the way
        for _ in range(4):
            await deliver(components, database, clock, sender)
            clock.advance(timedelta(minutes=10))
        await service.change_status(number, IdeaStatus.AFVIST, cli, reason="Prioriteret lavere af HovedMED.")
        for _ in range(3):
            await deliver(components, database, clock, sender)
            clock.advance(timedelta(minutes=10))

        to_mette = [a for a in connector.sent if a["_conversation_id"] == mette.conversation_id]
        flat = [_flatten(a) for a in to_mette]
        assert len(to_mette) == 3, flat
        assert "drøftes i ForvaltningsMED BFF" in flat[0]
        assert "sendt videre til HovedMED" in flat[1]
        assert "afvist" in flat[2] and "Prioriteret lavere af HovedMED." in flat[2]
        assert all(texts.idea_feedback_title(number) in text for text in flat)
        assert len(connector.requests) == 4  # three deliveries and the one 502


def _flatten(activity: dict) -> str:  # type: ignore[type-arg]  # any JSON object
    parts = [activity.get("text") or ""]
    for attachment in activity.get("attachments") or []:
        content = attachment.get("content") or {}
        for element in content.get("body", []):
            if element.get("type") == "TextBlock":
                parts.append(element.get("text", ""))
            elif element.get("type") == "FactSet":
                parts.extend(f"{f['title']}: {f['value']}" for f in element.get("facts", []))
    return "\n".join(parts)
