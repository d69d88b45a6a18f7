"""``medbot privacy``: one person's data – export it (right of access) or erase it (right to erasure).

    medbot privacy export 29:1abc… [-o person.json]
    medbot privacy erase 29:1abc… [--delete-ideas]

PERSON is the chat user id (``activity.from.id``) or the Azure AD object id. What is
covered, table by table, is described in :mod:`bot.privacy`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import asdict
from pathlib import Path

EXIT_OK = 0
EXIT_NOT_FOUND = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "privacy",
        help="persondata: eksportér eller slet alt, botten har gemt om én person",
        description="Alt, hvad MED-bot har gemt om én person (samtaler, samtaleforløb, påmindelser, "
        "idéer, kladder, støtter, roller og ubesvarede spørgsmål): eksportér det (indsigt) eller slet det.",
    )
    actions = parser.add_subparsers(title="handlinger", metavar="HANDLING")

    export = actions.add_parser("export", help="eksportér personens oplysninger som JSON")
    export.add_argument("person", metavar="PERSON", help="chat-bruger-id (activity.from.id) eller AAD-objekt-id")
    export.add_argument("-o", "--output", type=Path, metavar="FIL.json", help="filen der skrives (standard: standard-output)")
    export.set_defaults(handler=run, action="export")

    erase = actions.add_parser(
        "erase",
        help="slet personens oplysninger overalt",
        description="Sletter personens samtaler med botten, samtaleforløb, påmindelser, abonnementer, idékladder, "
        "ubesvarede spørgsmål og roller, og fjerner personen fra idéer, støtter og fælles samtaler. Idéer, "
        "personen har sendt, bliver hos udvalget uden navn – med --delete-ideas slettes de helt.",
    )
    erase.add_argument("person", metavar="PERSON", help="chat-bruger-id (activity.from.id) eller AAD-objekt-id")
    erase.add_argument("--delete-ideas", action="store_true", help="slet også de idéer, personen har sendt")
    erase.set_defaults(handler=run, action="erase")

    parser.set_defaults(handler=lambda _args: (parser.print_help(), 2)[1])


async def main(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock  # heavy imports only when the command runs
    from bot.privacy import PersonalData
    from bot.settings import Settings
    from bot.storage.db import Database
    from dialogs import texts
    from dialogs.safe_text import json_for_terminal

    database = Database(Settings.from_env().db_url)
    try:
        await database.upgrade()
        data = PersonalData(database, SystemClock())
        if args.action == "export":
            exported = await data.export(args.person)
            if exported is None:
                print(texts.PRIVACY_NOTHING_FOUND, file=sys.stderr)
                return EXIT_NOT_FOUND
            document = json_for_terminal(exported, indent=2) + "\n"
            if args.output:
                args.output.write_text(document, encoding="utf-8")
                print(texts.privacy_exported(str(args.output)), file=sys.stderr)
            else:
                sys.stdout.write(document)
            return EXIT_OK
        summary = await data.erase(args.person, delete_ideas=args.delete_ideas)
        if summary is None:
            print(texts.PRIVACY_NOTHING_FOUND, file=sys.stderr)
            return EXIT_NOT_FOUND
        print(texts.privacy_erased(**asdict(summary)))
        return EXIT_OK
    finally:
        await database.dispose()


def run(args: argparse.Namespace) -> int:
    return asyncio.run(main(args))
