"""Slack payloads → Bot Framework activities (pure functions)."""

from __future__ import annotations

import json

from botbuilder.schema import Activity, ActivityTypes, Attachment, CardAction, SuggestedActions

from bot.slack.inbound import (
    SlackContext,
    clean_text,
    command_to_activity,
    conversation_type,
    event_to_activity,
    interaction_to_activity,
    split_conversation_id,
)
from bot.slack.outbound import activity_to_slack
from dialogs.inbound import read_input
from dialogs.messages import Action, Message
from dialogs.render_slack import BLOCK_KIT_CONTENT_TYPE, to_slack_message
from tests.channels.slack_payloads import (
    BOT_USER,
    CHANNEL,
    DM,
    TEAM,
    USER,
    app_mention,
    block_action,
    bot_echo,
    dm_message,
    envelope,
)

CTX = SlackContext(api_url="http://127.0.0.1:1/api/")


def test_a_dm_becomes_a_personal_message_activity() -> None:
    activity = event_to_activity(dm_message("hvad er en AMR?"), CTX)
    assert activity is not None
    assert activity.type == ActivityTypes.message
    assert activity.channel_id == "slack"
    assert activity.service_url == CTX.api_url
    assert activity.conversation.id == f"{TEAM}:{DM}"
    assert activity.conversation.conversation_type == "personal"
    assert activity.from_property.id == USER
    assert activity.recipient.id == BOT_USER
    assert activity.text == "hvad er en AMR?"
    assert activity.timestamp is not None and activity.timestamp.tzinfo is not None


def test_a_mention_is_stripped_and_the_thread_kept() -> None:
    activity = event_to_activity(app_mention("hjælp", thread_ts="1.2"), CTX)
    assert activity is not None
    assert activity.text == "hjælp"
    assert activity.conversation.conversation_type == "channel"
    assert activity.channel_data["slack"]["thread_ts"] == "1.2"


def test_the_bots_own_posts_edits_and_channel_chatter_are_ignored() -> None:
    assert event_to_activity(bot_echo("hej"), CTX) is None
    edited = dm_message("hej")
    edited["event"]["subtype"] = "message_changed"
    assert event_to_activity(edited, CTX) is None
    channel_message = dm_message("hej", channel=CHANNEL)
    channel_message["event"]["channel_type"] = "channel"
    assert event_to_activity(channel_message, CTX) is None
    from_bot_user = dm_message("hej", user=BOT_USER)
    assert event_to_activity(from_bot_user, CTX) is None
    assert event_to_activity(envelope({"type": "reaction_added", "user": USER}), CTX) is None


def test_a_file_without_text_is_an_attachment() -> None:
    payload = dm_message("")
    payload["event"]["subtype"] = "file_share"
    payload["event"]["files"] = [{"name": "budget.xlsx", "mimetype": "application/vnd.ms-excel"}]
    activity = event_to_activity(payload, CTX)
    assert activity is not None and activity.attachments and activity.text == ""


def test_slack_markup_becomes_plain_text() -> None:
    text = "<@U0MEDBOT> spørg <@U0OLE|ole> i <#C0ABC|med-udvalg> om <https://x.dk/a|aftalen> &amp; <!here> &lt;3"
    assert clean_text(text, BOT_USER) == "spørg @U0OLE i #med-udvalg om aftalen & @here <3"


def test_conversation_kinds_and_ids() -> None:
    assert conversation_type("D1") == "personal"
    assert conversation_type("C1") == "channel"
    assert conversation_type("G1", "mpim") == "groupChat"
    assert split_conversation_id("T1:C2") == ("T1", "C2")


def test_a_button_click_reads_like_a_teams_card_submit() -> None:
    button = {"action_id": "medbot:0", "value": json.dumps({"text": "ja", "medbot_dialog": "idea"})}
    activity = interaction_to_activity(block_action(button), CTX)
    assert activity is not None
    user_input = read_input(activity)
    assert user_input.from_card and user_input.text == "ja" and user_input.dialog == "idea"


def test_a_plain_string_button_value_is_the_text() -> None:
    activity = interaction_to_activity(block_action({"value": "hjælp"}), CTX)
    assert activity is not None and read_input(activity).text == "hjælp"


def test_a_form_submit_carries_the_inputs_state() -> None:
    state = {
        "title": {"title": {"type": "plain_text_input", "value": "Fælles indkøb"}},
        "area": {"area": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "Skole"}, "value": "school"}}},
        "anonymous": {"anonymous": {"type": "checkboxes", "selected_options": []}},
    }
    button = {"action_id": "medbot:submit", "value": json.dumps({"medbot_form": "idea", "medbot_dialog": "idea"})}
    activity = interaction_to_activity(block_action(button, state=state), CTX)
    assert activity is not None
    user_input = read_input(activity)
    assert user_input.form == "idea" and user_input.dialog == "idea"
    assert user_input.values["title"] == "Fælles indkøb"
    assert user_input.values["area"] == "school"
    assert user_input.values["anonymous"] == "false"


def test_a_slash_command_becomes_a_message() -> None:
    activity = command_to_activity(
        {"team_id": TEAM, "channel_id": DM, "channel_name": "directmessage", "user_id": USER, "text": "hvad er en amr"}, CTX
    )
    assert activity is not None and activity.text == "hvad er en amr"
    assert activity.conversation.conversation_type == "personal"
    empty = command_to_activity({"team_id": TEAM, "channel_id": CHANNEL, "user_id": USER, "text": ""}, CTX)
    assert empty is not None and empty.text == "hjælp"


def test_outgoing_block_kit_attachment_is_used_as_is() -> None:
    message = Message(title="Svar", text="Tekst", actions=(Action(title="Mere", text="mere", entry="x"),))
    activity = Activity(type="message", text="Svar\n\nTekst", attachments=[Attachment(content_type=BLOCK_KIT_CONTENT_TYPE, content=to_slack_message(message))])
    text, blocks = activity_to_slack(activity)
    assert blocks == to_slack_message(message)["blocks"]
    assert text.startswith("Svar")


def test_outgoing_text_with_suggested_actions_becomes_buttons_without_the_numbered_list() -> None:
    activity = Activity(
        type="message",
        text="Vil du sende den?\n\n1. Ja\n2. Nej",
        suggested_actions=SuggestedActions(actions=[CardAction(type="imBack", title="Ja", value="ja"), CardAction(type="imBack", title="Nej", value="nej")]),
    )
    _, blocks = activity_to_slack(activity)
    assert blocks[0]["text"]["text"] == "Vil du sende den?"
    assert [json.loads(e["value"]) for e in blocks[1]["elements"]] == [{"text": "ja"}, {"text": "nej"}]
