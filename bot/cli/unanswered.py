"""``medbot unanswered``: questions the bot could not answer, for the MED secretary."""

from __future__ import annotations

import argparse
import asyncio

from dialogs.safe_text import json_for_terminal
from knowledge.clock import COPENHAGEN


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unanswered",
        help="vis spørgsmål botten ikke kunne svare på",
        description="Vis de spørgsmål, som botten ikke kunne svare på, nyeste først – "
        "så MED-sekretæren kan se, hvad vidensbasen mangler.",
    )
    parser.add_argument("--limit", type=int, default=100, help="højst så mange (standard 100)")
    parser.add_argument("--all", action="store_true", help="også dem, der er markeret som behandlet")
    parser.add_argument("--json", action="store_true", help="én JSON-linje pr. spørgsmål")
    parser.add_argument("--done", type=int, metavar="ID", help="markér et spørgsmål som behandlet")
    parser.set_defaults(handler=run)


async def _run(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock  # heavy imports only when the command runs
    from bot.settings import Settings
    from bot.storage.db import Database
    from bot.storage.unanswered import UnansweredLog
    from dialogs.safe_text import for_terminal

    settings = Settings.from_env()
    database = Database(settings.db_url)
    try:
        await database.upgrade()
        log = UnansweredLog(database, SystemClock())
        if args.done is not None:
            await log.mark_handled(args.done)
            print(f"Spørgsmål {args.done} er markeret som behandlet.")
            return 0
        rows = await log.list(limit=args.limit, include_handled=args.all)
        if args.json:
            for row in rows:
                print(json_for_terminal({
                    "id": row.id,
                    "text": row.text,
                    "score": round(row.score, 1),
                    "suggestions": list(row.suggestions),
                    "channel": row.channel_id,
                    "asked_at": row.asked_at.isoformat(),
                    "handled": row.handled,
                }))
            return 0
        if not rows:
            print("Der er ingen ubesvarede spørgsmål.")
            return 0
        for row in rows:
            when = row.asked_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y %H:%M")
            hint = f"  (nærmeste: {', '.join(row.suggestions)})" if row.suggestions else ""
            print(for_terminal(f"#{row.id}  {when}  [{row.channel_id}]  {row.text}{hint}"))
        return 0
    finally:
        await database.dispose()


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))
