"""``medbot ideas``: Den gode idé for MED secretaries – list, show, change status, export, erase.

Changes made here are audited as the ``cli`` actor (with the login name). The
submitter of an anonymous idea is never shown, and no submitter link is exported.
Everything users typed is printed through :func:`dialogs.safe_text.for_terminal`: an
ESC sequence in a title is shown as ``\\x1b``, never obeyed by the terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.clock import SystemClock
from bot.ideas.export import export_csv
from bot.ideas.service import Actor, IdeaService
from bot.settings import Settings
from bot.storage.db import Database
from dialogs import idea_messages as msgs
from dialogs import texts
from dialogs.idea_port import IdeaError, IdeaNotFoundError, IdeaView, NeedCommitteeError, UnknownCommitteeError
from dialogs.safe_text import for_terminal
from knowledge.ideas_rules import (
    IdeaStatus,
    InvalidTransitionError,
    ReasonRequiredError,
    SameStatusError,
    allowed_next,
    parse_status,
)
from knowledge.profiles import load_profile

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

STATUS_HELP = ", ".join(s.value for s in IdeaStatus)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ideas",
        help="Den gode idé: vis, skift status, eksportér og slet personoplysninger",
        description="Den gode idé for MED-sekretærer og udvalgsformænd. Ændringer herfra logges som »cli«.",
    )
    commands = parser.add_subparsers(title="kommandoer", metavar="KOMMANDO")

    listing = commands.add_parser("list", help="vis idéer (alle, eller filtreret)")
    _filters(listing)
    listing.set_defaults(handler=_handler(_list))

    show = commands.add_parser("show", help="vis én idé med historik og notifikationer")
    show.add_argument("number", metavar="N", help="idéens nummer, fx 2027-014")
    show.set_defaults(handler=_handler(_show))

    status = commands.add_parser(
        "set-status",
        help="skift status på en idé (forslagsstilleren får besked)",
        description=f"Skift status. STATUS er en af: {STATUS_HELP} (eller på dansk, fx »drøftes«). "
        "»afvist« kræver --reason.",
    )
    status.add_argument("number", metavar="N", help="idéens nummer, fx 2027-014")
    status.add_argument("status", metavar="STATUS", help=STATUS_HELP)
    status.add_argument("--reason", default="", help="begrundelse (sendes til forslagsstilleren)")
    status.add_argument("--committee", help="udvalget for »droeftes« / »sendt_videre« (nøgle eller navn)")
    status.set_defaults(handler=_handler(_set_status))

    comment = commands.add_parser("comment", help="en intern kommentar til udvalget (logges)")
    comment.add_argument("number", metavar="N")
    comment.add_argument("text", metavar="TEKST")
    comment.set_defaults(handler=_handler(_comment))

    export = commands.add_parser(
        "export",
        help="eksportér idéer til CSV (UTF-8 med BOM, semikolon-separeret, til dansk Excel)",
        description="Eksportér idéer som CSV til Excel: UTF-8 med BOM (så æøå vises rigtigt) og »;« mellem "
        "felterne (dansk Excel). Anonyme idéer eksporteres uden navn; koblingen til forslagsstilleren "
        "eksporteres aldrig.",
    )
    export.add_argument("--format", choices=["csv"], default="csv", help="formatet (kun csv)")
    export.add_argument("--output", "-o", type=Path, help="filen der skrives (standard: standard-output)")
    _filters(export)
    export.set_defaults(handler=_handler(_export))

    erase = commands.add_parser(
        "erase-person",
        help="slet en persons identitet fra deres idéer (idéerne bliver)",
        description="Fjerner koblingen mellem en person (chat-bruger-id) og deres idéer, støtter og kladder. "
        "Idéerne og deres historik bliver; ventende beskeder til personen sendes ikke.",
    )
    erase.add_argument("user_id", metavar="ID", help="personens chat-bruger-id (activity.from.id)")
    erase.set_defaults(handler=_handler(_erase))

    committees = commands.add_parser("committees", help="vis udvalgene idéer kan sendes til (nøgler og navne)")
    committees.set_defaults(handler=_handler(_committees))

    admin = commands.add_parser("admin", help="administratorer (MED-sekretærer og formænd) pr. udvalg")
    admin_commands = admin.add_subparsers(title="kommandoer", metavar="KOMMANDO")
    admin_add = admin_commands.add_parser("add", help="giv en chat-bruger adgang til at ændre et udvalgs idéer")
    admin_add.add_argument("user_id", metavar="USERID")
    admin_add.add_argument("--committee", required=True, help="udvalgets nøgle eller navn")
    admin_add.set_defaults(handler=_handler(_admin_add))
    admin_remove = admin_commands.add_parser("remove", help="fjern en administrator")
    admin_remove.add_argument("user_id", metavar="USERID")
    admin_remove.add_argument("--committee", required=True)
    admin_remove.set_defaults(handler=_handler(_admin_remove))
    admin_list = admin_commands.add_parser("list", help="vis administratorer")
    admin_list.set_defaults(handler=_handler(_admin_list))

    contact = commands.add_parser("contact", help="kontaktpersoners chatadresse pr. udvalg")
    contact_commands = contact.add_subparsers(title="kommandoer", metavar="KOMMANDO")
    contact_add = contact_commands.add_parser(
        "add", help="registrér en chat-bruger som kontaktperson (får besked om nye idéer)"
    )
    contact_add.add_argument("--committee", required=True, help="udvalgets nøgle eller navn")
    contact_add.add_argument("--user-id", required=True, help="kontaktpersonens chat-bruger-id")
    contact_add.add_argument("--name", help="navnet (valgfrit)")
    contact_add.set_defaults(handler=_handler(_contact_add))
    contact_list = contact_commands.add_parser("list", help="vis registrerede kontaktpersoner")
    contact_list.set_defaults(handler=_handler(_contact_list))

    parser.set_defaults(handler=lambda _args: (parser.print_help(), EXIT_USAGE)[1])
    admin.set_defaults(handler=lambda _args: (admin.print_help(), EXIT_USAGE)[1])
    contact.set_defaults(handler=lambda _args: (contact.print_help(), EXIT_USAGE)[1])


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", help=f"kun denne status ({STATUS_HELP})")
    parser.add_argument("--committee", help="kun dette udvalg (nøgle eller navn, se »medbot ideas committees«)")
    parser.add_argument("--year", type=int, help="kun dette budgetår, fx 2027")


Command = Callable[[IdeaService, argparse.Namespace], Awaitable[int]]


def _handler(command: Command) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return asyncio.run(_with_service(command, args))

    return run


async def _with_service(command: Command, args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    profile = load_profile(settings.org, settings.profiles_dir)
    database = Database(settings.db_url)
    try:
        await database.upgrade()
        service = IdeaService(database, SystemClock(), profile, settings.ideas)
        try:
            return await command(service, args)
        except IdeaNotFoundError as exc:
            print(f"Idé #{exc.number} findes ikke.", file=sys.stderr)
            return EXIT_ERROR
        except UnknownCommitteeError as exc:
            names = ", ".join(f"{c.key} ({c.name})" for c in service.directory.committees())
            print(f"Ukendt udvalg »{exc.text}«. Mulige: {names}", file=sys.stderr)
            return EXIT_USAGE
        except IdeaError as exc:
            print(f"Fejl: {exc}", file=sys.stderr)
            return EXIT_ERROR
    finally:
        await database.dispose()


def _status_arg(text: str | None) -> IdeaStatus | None:
    if not text:
        return None
    status = parse_status(text)
    if status is None:
        raise SystemExit(f"Ukendt status »{text}«. Mulige: {STATUS_HELP}")
    return status


async def _views(service: IdeaService, args: argparse.Namespace) -> list[IdeaView]:
    return await service.list_ideas(status=_status_arg(args.status), committee=args.committee, year=args.year)


async def _list(service: IdeaService, args: argparse.Namespace) -> int:
    views = await _views(service, args)
    if not views:
        print("Ingen idéer.")
        return EXIT_OK
    for view in views:
        warn = "  ⚠ kontaktperson ikke adviseret (ingen chatadresse)" if view.contact_unreachable else ""
        anonymous = "  [anonym]" if view.anonymous else ""
        print(
            f"#{view.number}  {view.status_label:<40}  {view.committee_name:<28}  "
            f"{for_terminal(view.title)}  ({view.supports} støtter){anonymous}{warn}"
        )
    if any(v.contact_unreachable for v in views):
        print("\n⚠ Registrér en kontaktpersons chatadresse med »medbot ideas contact add --committee C --user-id ID«.")
    return EXIT_OK


async def _show(service: IdeaService, args: argparse.Namespace) -> int:
    view = await service.view(args.number, committee_facing=True, with_history=True)
    print(f"#{view.number}  {for_terminal(view.title)}")
    print(f"{texts.IDEA_BUDGET_YEAR}: {view.budget_year}")
    for name, value in msgs.idea_facts(view, committee_facing=True):
        print(f"{name}: {for_terminal(value, multiline=True)}")
    print(f"{texts.IDEA_EVENTS_HEADING}:")
    for event in view.events:
        what = msgs.event_what(event.kind, event.status_label)
        line = texts.idea_event_line(msgs.local_date_time(event.at), event.actor, what, event.reason)
        print("  " + for_terminal(line))
    print("Notifikationer:")
    if not view.notifications:
        print("  (ingen)")
    for kind, recipient, status, error in view.notifications:
        marker = "  ⚠" if status in ("no_address", "failed") else "   "
        detail = f" – {error}" if error and status != "sent" else ""
        print(for_terminal(f"{marker} {kind} → {recipient}: {status}{detail}"))
    return EXIT_OK


async def _set_status(service: IdeaService, args: argparse.Namespace) -> int:
    status = _status_arg(args.status)
    assert status is not None
    try:
        change = await service.change_status(
            args.number, status, Actor.cli(), reason=args.reason or None, committee=args.committee
        )
    except ReasonRequiredError:
        print(f"Status »{status.value}« kræver en begrundelse: brug --reason \"…\".", file=sys.stderr)
        return EXIT_USAGE
    except InvalidTransitionError as exc:
        allowed = ", ".join(s.value for s in allowed_next(exc.current)) or "ingen (idéen er lukket)"
        print(
            f"Ikke tilladt: en idé med status »{exc.current.value}« kan ikke sættes til »{exc.wanted.value}«. "
            f"Mulige næste trin: {allowed}.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except SameStatusError as exc:
        print(f"Idéen har allerede status »{exc.status.value}«.", file=sys.stderr)
        return EXIT_ERROR
    except NeedCommitteeError:
        print("Angiv udvalget med --committee.", file=sys.stderr)
        return EXIT_USAGE
    print(f"Idé #{change.number}: {change.old.value} → {change.new.value} ({change.status_label}).")
    print(f"{change.notified} besked(er) til forslagsstiller/støtter sat i kø.")
    return EXIT_OK


async def _comment(service: IdeaService, args: argparse.Namespace) -> int:
    await service.add_comment(args.number, Actor.cli(), args.text)
    print("Kommentaren er gemt.")
    return EXIT_OK


async def _export(service: IdeaService, args: argparse.Namespace) -> int:
    data = export_csv(await _views(service, args))
    if args.output:
        args.output.write_bytes(data)
        print(f"Skrev {args.output}.", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


async def _erase(service: IdeaService, args: argparse.Namespace) -> int:
    report = await service.erase_person(args.user_id, Actor.cli())
    print(
        f"Identiteten er fjernet fra {report.ideas} idé(er) og {report.supports} støtte(r); "
        f"{report.drafts} kladde(r) slettet; {report.notifications} ventende besked(er) annulleret."
    )
    return EXIT_OK


async def _committees(service: IdeaService, _args: argparse.Namespace) -> int:
    for committee in service.directory.committees():
        print(f"{committee.key:<16} {committee.name}  (kontakt: {service.directory.contact_labels(committee.key)})")
    return EXIT_OK


async def _admin_add(service: IdeaService, args: argparse.Namespace) -> int:
    key, added = await service.add_admin(args.user_id, args.committee, Actor.cli())
    print(f"{'Tilføjet' if added else 'Var allerede'} administrator for {service.directory.name(key)}.")
    return EXIT_OK


async def _admin_remove(service: IdeaService, args: argparse.Namespace) -> int:
    key = service.directory.resolve(args.committee).key
    removed = await service.directory.remove_admin(args.user_id, key)
    print("Fjernet." if removed else "Var ikke administrator (i databasen).")
    return EXIT_OK if removed else EXIT_ERROR


async def _admin_list(service: IdeaService, _args: argparse.Namespace) -> int:
    entries = await service.directory.list_admins()
    if not entries:
        print("Ingen administratorer. Tilføj med »medbot ideas admin add USERID --committee C«.")
    for entry in entries:
        print(for_terminal(f"{entry.committee:<16} {entry.user_id}  ({entry.source})"))
    return EXIT_OK


async def _contact_add(service: IdeaService, args: argparse.Namespace) -> int:
    key, moved = await service.add_contact(args.committee, args.user_id, args.name)
    print(f"Kontaktperson registreret for {service.directory.name(key)}.")
    if moved:
        print(f"{moved} besked(er), der manglede en chatadresse, sendes nu til kontaktpersonen.")
    return EXIT_OK


async def _contact_list(service: IdeaService, _args: argparse.Namespace) -> int:
    contacts = await service.directory.list_contacts()
    if not contacts:
        print("Ingen kontaktpersoner med chatadresse endnu.")
    for contact in contacts:
        address = "chat kendt" if contact.conversation_ref_id else "ingen chat endnu"
        print(for_terminal(f"{contact.committee:<16} {contact.user_id}  {contact.user_name or ''}  ({address})"))
    return EXIT_OK
