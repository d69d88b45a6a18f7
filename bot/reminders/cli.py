"""``medbot reminders``: deliveries for the admins.

    medbot reminders failed   påmindelser og kalenderbeskeder, der ikke kunne sendes,
                              og samtaler, botten ikke kan nå (blokeret eller fjernet)
    medbot reminders list     det, der venter på at blive sendt
"""

from __future__ import annotations

import argparse
import asyncio

from bot.reminders.admin import DeliveryItem, failed_deliveries, pending_deliveries, unreachable_conversations
from bot.settings import Settings
from bot.storage.db import Database
from dialogs.safe_text import for_terminal
from knowledge.clock import COPENHAGEN


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reminders",
        help="påmindelser: hvad fejlede, hvad venter",
        description="Påmindelser og kalenderbeskeder (nudges) set fra administratorens side.",
    )
    actions = parser.add_subparsers(title="handlinger", metavar="HANDLING")
    failed = actions.add_parser("failed", help="vis det, der ikke kunne sendes, og samtaler botten ikke kan nå")
    failed.set_defaults(handler=run, action="failed")
    pending = actions.add_parser("list", help="vis det, der venter på at blive sendt")
    pending.set_defaults(handler=run, action="list")
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 2)[1])


def _line(item: DeliveryItem) -> str:
    due = item.due_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M")
    kind = "påmindelse" if item.kind == "reminder" else "kalenderbesked"
    error = f"  – {item.last_error}" if item.last_error else ""
    line = f"#{item.id} {kind} {due} [{item.channel_id} {item.conversation_id}] {item.text} ({item.attempts} forsøg){error}"
    return for_terminal(line)


async def main(args: argparse.Namespace, database: Database | None = None) -> int:
    own = database is None
    database = database or Database(Settings.from_env().db_url)
    try:
        if own:
            await database.upgrade()
        if args.action == "failed":
            items = await failed_deliveries(database)
            unreachable = await unreachable_conversations(database)
            if not items and not unreachable:
                print("Intet er fejlet.")
                return 0
            if items:
                print("Kunne ikke sendes:")
                for item in items:
                    print("  " + _line(item))
            if unreachable:
                print("Samtaler botten ikke kan nå (blokeret eller fjernet – de får intet, før nogen skriver til botten igen):")
                for conversation in unreachable:
                    since = conversation.updated_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M")
                    print(for_terminal(f"  #{conversation.id} [{conversation.channel_id} {conversation.conversation_id}] siden {since}: {conversation.reason or ''}"))
            return 0
        items = await pending_deliveries(database)
        if not items:
            print("Intet venter på at blive sendt.")
            return 0
        for item in items:
            print(_line(item))
        return 0
    finally:
        if own:
            await database.dispose()


def run(args: argparse.Namespace) -> int:
    return asyncio.run(main(args))
