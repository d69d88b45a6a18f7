"""The Bot Framework seam: everything that touches botbuilder's adapter and authentication,
the connector (msrest) and the turn state lives in this package.

The rest of the bot uses only what is exported here (see bot/botframework/channel.py);
nothing outside this package imports msrest or botframework.connector
(tests/botframework/test_seam.py checks).
"""

from bot.botframework.channel import (
    SEND_ERRORS,
    BotFramework,
    InvalidActivity,
    InvokeReply,
    TurnErrorHandler,
    build_botframework,
    prepare_proactive_send,
)

__all__ = [
    "SEND_ERRORS",
    "BotFramework",
    "InvalidActivity",
    "InvokeReply",
    "TurnErrorHandler",
    "build_botframework",
    "prepare_proactive_send",
]
