"""The Slack channel: Events API, interactivity and ``/med`` on aiohttp + slack-sdk.

Not botbuilder-adapters-slack (which misses the Events API's 3-second acknowledgement,
retry de-duplication and depends on the deprecated ``slackclient``). Wiring:
:func:`~bot.slack.routes.add_slack_routes` for the endpoints and
:class:`~bot.slack.sender.SlackSender` for proactive messages.
"""

from bot.slack.inbound import CHANNEL_ID
from bot.slack.routes import SLACK_CHANNEL_KEY, SlackChannel, add_slack_routes, build_slack_api
from bot.slack.sender import SlackSender
from bot.slack.settings import SlackSettings

__all__ = ["CHANNEL_ID", "SLACK_CHANNEL_KEY", "SlackChannel", "SlackSender", "SlackSettings", "add_slack_routes", "build_slack_api"]
