"""``medbot calendar``: the MED calendars – import an .ics file, export, list.

    medbot calendar import FIL.ics --committee HovedMED
    medbot calendar export [--committee HovedMED] [--upcoming] -o mede.ics
    medbot calendar list [--committee HovedMED] [--all]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.clock import SystemClock
from bot.reminders.ics import IcsError
from bot.reminders.service import ReminderService
from bot.reminders.wiring import build_reminder_service
from bot.settings import Settings
from bot.storage.conversations import ConversationStore
from bot.storage.db import Database
from dialogs import texts
from dialogs.safe_text import for_terminal
from knowledge.calendar import EventKind
from knowledge.clock import COPENHAGEN
from knowledge.dates import format_when

KINDS = {"meeting": EventKind.MEETING, "deadline": EventKind.DEADLINE, "event": EventKind.EVENT}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calendar",
        help="MED-kalendere: importér .ics, eksportér, vis",
        description="MED-kalendere: mødeplaner, budgetårets faser og MEDsamarbejdets arrangementer.",
    )
    actions = parser.add_subparsers(title="handlinger", metavar="HANDLING")

    importer = actions.add_parser("import", help="importér en .ics-fil (fx eksporteret fra Outlook)")
    importer.add_argument("file", type=Path, metavar="FIL.ics")
    importer.add_argument("--committee", required=True, metavar="UDVALG", help="udvalget møderne hører til, fx HovedMED (eller »budget«)")
    importer.add_argument("--kind", choices=sorted(KINDS), default="meeting", help="hvad begivenhederne er (standard: meeting)")
    importer.set_defaults(handler=run, action="import")

    exporter = actions.add_parser("export", help="gem kalenderen som .ics (til Outlook)")
    exporter.add_argument("--committee", metavar="UDVALG", help="kun dette udvalg (eller »budget« / »medsamarbejdet«)")
    exporter.add_argument("--upcoming", action="store_true", help="kun kommende begivenheder")
    exporter.add_argument("-o", "--output", type=Path, required=True, metavar="FIL.ics")
    exporter.set_defaults(handler=run, action="export")

    lister = actions.add_parser("list", help="vis kalenderen")
    lister.add_argument("--committee", metavar="UDVALG", help="kun dette udvalg (eller »budget« / »medsamarbejdet«)")
    lister.add_argument("--all", action="store_true", help="også begivenheder, der er overstået")
    lister.set_defaults(handler=run, action="list")

    parser.set_defaults(handler=lambda _args: (parser.print_help(), 2)[1])


@asynccontextmanager
async def open_service(settings: Settings) -> AsyncIterator[ReminderService]:
    database = Database(settings.db_url)
    try:
        await database.upgrade()
        clock = SystemClock()
        service = build_reminder_service(database, clock, settings, ConversationStore(database, clock))
        await service.sync_seed_calendars()
        yield service
    finally:
        await database.dispose()


def _when(event_start: datetime, all_day: bool) -> str:
    return format_when(event_start.astimezone(COPENHAGEN), not all_day)


async def main(args: argparse.Namespace, settings: Settings | None = None) -> int:
    settings = settings or Settings.from_env()
    async with open_service(settings) as service:
        if args.action == "import":
            try:
                data = args.file.read_bytes()
            except OSError as exc:
                print(f"Kan ikke læse {args.file}: {exc}", file=sys.stderr)
                return 1
            try:
                result = await service.import_ics(data, committee=args.committee, source_name=args.file.name, kind=KINDS[args.kind])
            except IcsError as exc:
                print(for_terminal(texts.calendar_import_refused(args.file.name, str(exc))), file=sys.stderr)
                return 1
            u = result.upsert
            print(f"Importeret fra {args.file.name}: {u.inserted} nye, {u.updated} ændrede, {u.unchanged} uændrede.")
            for reason in result.skipped:
                print(f"  sprunget over: {for_terminal(reason)}")
            return 0
        if args.action == "export":
            args.output.write_bytes(await service.export_ics(args.committee, include_past=not args.upcoming))
            print(f"Gemt i {args.output}.")
            return 0
        events = await service.events(args.committee, include_past=args.all)
        if not events:
            print("Ingen begivenheder." if args.all else "Ingen kommende begivenheder (brug --all for at se de tidligere).")
            return 0
        for event in events:
            where = f" – {event.location}" if event.location else ""
            who = f" [{event.committee}]" if event.committee else ""
            print(for_terminal(f"{_when(event.starts_at, event.all_day)}: {event.title}{who}{where}  ({event.source})"))
        return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(main(args))
