"""Settings from environment variables (botbuilder's conventional names plus MEDBOT_*), read with :mod:`bot.env`.

:meth:`Settings.from_env` reads the environment once and holds every part's settings:
the service's own here, and the configurations of the delivery scheduler
(``settings.delivery``), reminders (``settings.reminders``), ideas (``settings.ideas``)
and Slack (``settings.slack``), each parsed by its own
``from_env``. The composition root (:mod:`bot.runtime`) hands each part its share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.delivery.config import DeliveryConfig
from bot.env import EnvReader, environment
from bot.ideas.config import IdeaConfig
from bot.reminders.config import ReminderConfig
from bot.slack.settings import SlackSettings
from bot.storage.db import default_database_url

DEFAULT_PORT = 3978

#: Without an app id (no token checks): take activities only from this machine, with a
#: serviceUrl on this machine (local development, the Agents Playground, benchmarks) ...
UNAUTHENTICATED_LOOPBACK = "loopback"
#: ... or, when the operator says so, from anywhere (anyone who reaches the port can make
#: the bot post to any URL).
UNAUTHENTICATED_ANYWHERE = "anywhere"

#: How the bot talks to the Bot Framework (bot/botframework): "fast" keeps the connector
#: clients across turns and sends on one aiohttp session; "stock" is the SDK as shipped
#: (a new connector client and HTTP session per turn), one setting away.
BOTFRAMEWORK_FAST = "fast"
BOTFRAMEWORK_STOCK = "stock"
BOTFRAMEWORK_MODES = (BOTFRAMEWORK_FAST, BOTFRAMEWORK_STOCK)


class SettingsError(ValueError):
    """A setting has a value the bot cannot use."""


@dataclass(frozen=True)
class Settings:
    app_id: str = ""
    app_password: str = field(default="", repr=False)
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    database_url: str = ""
    data_dir: Path = Path("data")
    org: str = "albertslund"
    profiles_dir: Path | None = None
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    max_message_chars: int = 4000
    max_body_bytes: int = 256 * 1024
    user_rate_per_minute: int = 30
    # Where inbound channel tokens' signing keys are published. Empty: the Bot
    # Framework's public endpoint. Set for sovereign clouds and for tests.
    openid_metadata_url: str = ""
    # One INFO line per HTTP request (aiohttp's access log). Off by default: every chat
    # message is a request, and the line costs ~3 % of a turn's CPU (bench/turns.py).
    access_log: bool = False
    # "uvloop" (default, falls back to asyncio's loop when uvloop is not installed) or "asyncio".
    event_loop: str = "uvloop"
    # Without an app id: "loopback" (default) or "anywhere" (MEDBOT_UNAUTHENTICATED).
    unauthenticated: str = UNAUTHENTICATED_LOOPBACK
    # Sends per second and tenant (Teams: about 50 per app and tenant), replies and
    # proactive messages together; each of ``replicas`` replicas keeps to its share.
    send_budget_per_second: int = 50
    replicas: int = 1
    # "fast" (default) or "stock" (MEDBOT_BOTFRAMEWORK; see BOTFRAMEWORK_MODES).
    botframework: str = BOTFRAMEWORK_FAST
    # The features' settings, read from the same variables by from_env.
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    ideas: IdeaConfig = field(default_factory=IdeaConfig)
    slack: SlackSettings = field(default_factory=SlackSettings)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.app_id)

    @property
    def loopback_only(self) -> bool:
        """Unauthenticated, and so restricted to this machine (see UNAUTHENTICATED_LOOPBACK)."""
        return not self.auth_enabled and self.unauthenticated != UNAUTHENTICATED_ANYWHERE

    @property
    def db_url(self) -> str:
        return self.database_url or default_database_url(self.data_dir)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Every setting, from ``env`` (the process's environment when None, read once).

        A bad value raises :class:`SettingsError`, or the error of the feature it
        belongs to (:class:`~bot.delivery.config.DeliveryConfigError`,
        :class:`~bot.reminders.config.ReminderConfigError`,
        :class:`~bot.ideas.config.IdeaConfigError`).
        """
        env = environment() if env is None else env
        read = EnvReader(env, SettingsError)
        profiles = read.text("MEDBOT_PROFILES_DIR")
        return cls(
            app_id=read.text("MicrosoftAppId"),
            app_password=read.raw("MicrosoftAppPassword"),
            app_type=read.text("MicrosoftAppType", "MultiTenant"),
            app_tenant_id=read.text("MicrosoftAppTenantId"),
            database_url=read.text("MEDBOT_DATABASE_URL"),
            data_dir=Path(read.text("MEDBOT_DATA_DIR", "data")),
            org=read.text("MEDBOT_ORG").lower() or "albertslund",
            profiles_dir=Path(profiles) if profiles else None,
            host=read.text("MEDBOT_HOST", "0.0.0.0"),
            port=read.integer("PORT", read.integer("MEDBOT_PORT", DEFAULT_PORT)),
            max_message_chars=read.integer("MEDBOT_MAX_MESSAGE_CHARS", 4000),
            max_body_bytes=read.integer("MEDBOT_MAX_BODY_BYTES", 256 * 1024),
            user_rate_per_minute=read.integer("MEDBOT_USER_RATE_PER_MINUTE", 30),
            openid_metadata_url=read.text("MEDBOT_OPENID_METADATA_URL"),
            access_log=read.flag("MEDBOT_ACCESS_LOG", False),
            event_loop=read.choice("MEDBOT_EVENT_LOOP", ("uvloop", "asyncio"), "uvloop"),
            unauthenticated=read.choice(
                "MEDBOT_UNAUTHENTICATED", (UNAUTHENTICATED_LOOPBACK, UNAUTHENTICATED_ANYWHERE), UNAUTHENTICATED_LOOPBACK
            ),
            send_budget_per_second=read.positive("MEDBOT_SEND_BUDGET", 50),
            replicas=read.positive("MEDBOT_REPLICAS", 1),
            botframework=read.choice("MEDBOT_BOTFRAMEWORK", BOTFRAMEWORK_MODES, BOTFRAMEWORK_FAST),
            delivery=DeliveryConfig.from_env(env),
            reminders=ReminderConfig.from_env(env),
            ideas=IdeaConfig.from_env(env),
            slack=SlackSettings.from_env(env),
        )

