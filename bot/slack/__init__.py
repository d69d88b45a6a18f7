"""The Slack channel: Events API, interactivity and ``/med`` on aiohttp + slack-sdk.

Not botbuilder-adapters-slack (which misses the Events API's 3-second acknowledgement,
retry de-duplication and depends on the deprecated ``slackclient``). Wiring:
:func:`~bot.slack.routes.add_slack_routes` for the endpoints and
:class:`~bot.slack.sender.SlackSender` for proactive messages.

Import the submodules directly; this package module stays empty, so that reading
Slack's settings (:mod:`bot.slack.settings`, part of :class:`bot.settings.Settings`)
does not load the channel and botbuilder with it.
"""
