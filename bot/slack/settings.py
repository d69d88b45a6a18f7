"""The Slack channel's settings, from environment variables.

``SLACK_SIGNING_SECRET`` verifies Slack's requests, ``SLACK_BOT_TOKEN`` (``xoxb-…``)
authorises the bot's Web API calls, and ``MEDBOT_SLACK_API_URL`` points the Web API
client elsewhere (tests use a fake Slack on 127.0.0.1). Without the secret and the
token the Slack routes answer 503 and say what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.env import EnvReader

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    signing_secret: str = field(default="", repr=False)
    bot_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL

    @property
    def configured(self) -> bool:
        return bool(self.signing_secret and self.bot_token)

    @property
    def missing(self) -> list[str]:
        """The names of the variables still to set (empty when configured)."""
        names = []
        if not self.signing_secret:
            names.append("SLACK_SIGNING_SECRET")
        if not self.bot_token:
            names.append("SLACK_BOT_TOKEN")
        return names

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackSettings:
        """From the variables in ``env`` (:meth:`bot.settings.Settings.from_env` passes the ones it read)."""
        read = EnvReader(env)
        api_url = read.text("MEDBOT_SLACK_API_URL", DEFAULT_API_URL)
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(
            signing_secret=read.text("SLACK_SIGNING_SECRET"),
            bot_token=read.text("SLACK_BOT_TOKEN"),
            api_url=api_url,
        )
