"""Who is talking: one type for ideas and reminders, read from an activity in one place."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from dialogs.idea import person_of
from dialogs.idea_port import Person
from dialogs.reminder_port import Owner
from dialogs.reminders import owner_from
from dialogs.speaker import Speaker, speaker_of


class _Adapter:
    """Just enough of an adapter for a TurnContext that is only read."""


def _turn(activity: Activity) -> TurnContext:
    return TurnContext(_Adapter(), activity)  # type: ignore[arg-type]  # the context is only read here


def _teams_message() -> Activity:
    conversation = ConversationAccount(id="a:chat-1", conversation_type="personal")
    conversation.additional_properties = {"tenantId": "tenant-1"}  # as Teams names it (not "tenantID")
    return Activity(
        type="message",
        channel_id="msteams",
        service_url="https://smba.example/",
        from_property=ChannelAccount(id="29:user-1", name="Mette Jensen"),
        recipient=ChannelAccount(id="28:bot"),
        conversation=conversation,
        text="hej",
    )


def test_ideas_and_reminders_share_one_identity_type() -> None:
    assert Person is Speaker and Owner is Speaker


def test_the_speaker_is_read_from_the_activity_with_its_tenant() -> None:
    turn = _turn(_teams_message())
    who = speaker_of(turn)
    assert (who.channel_id, who.user_id, who.user_name, who.conversation_id) == ("msteams", "29:user-1", "Mette Jensen", "a:chat-1")
    assert who.tenant_id == "tenant-1" and who.is_personal and who.key == "msteams:29:user-1"
    assert who.reference == {}  # not asked for
    owner = owner_from(turn)
    assert owner.reference["conversation"]["id"] == "a:chat-1" and owner.tenant_id == "tenant-1"
    assert person_of(turn) == who
