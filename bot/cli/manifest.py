"""``medbot manifest build``: the Teams app package (zip) an admin uploads.

The bot id comes from ``MicrosoftAppId`` and the public address from
``MEDBOT_PUBLIC_URL`` (both can be given as options instead).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.env import EnvReader
from bot.manifest import ManifestConfig, ManifestError, build_package
from bot.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_OUTPUT = "medbot-teams-app.zip"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "manifest",
        help="byg Teams-app-pakken (manifest.json og ikoner i en zip)",
        description="Teams-app-pakken, som en administrator uploader i Teams Admin Center.",
    )
    commands = parser.add_subparsers(title="kommandoer", metavar="KOMMANDO")

    build = commands.add_parser(
        "build",
        help="skriv zip-filen",
        description="Skriv Teams-app-pakken. Bot-id læses fra MicrosoftAppId og adressen fra MEDBOT_PUBLIC_URL.",
    )
    build.add_argument("-o", "--output", default=DEFAULT_OUTPUT, help=f"zip-filen (standard {DEFAULT_OUTPUT})")
    build.add_argument("--bot-id", default=None, help="Azure Bot'ens Microsoft App ID (standard: MicrosoftAppId)")
    build.add_argument("--public-url", default=None, help="bottens offentlige https-adresse (standard: MEDBOT_PUBLIC_URL)")
    build.add_argument("--teams-app-id", default=None, help="Teams-appens eget id (standard: MEDBOT_TEAMS_APP_ID, ellers bot-id)")
    build.add_argument("--developer-name", default=None, help="udgiverens navn (standard: MEDBOT_DEVELOPER_NAME eller MED-bot)")
    build.set_defaults(handler=run_build)

    parser.set_defaults(handler=lambda _args: (parser.print_help(), 2)[1])


def run_build(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    read = EnvReader()
    config = ManifestConfig(
        bot_id=args.bot_id or settings.app_id,
        public_url=args.public_url or read.raw("MEDBOT_PUBLIC_URL"),
        teams_app_id=args.teams_app_id or read.raw("MEDBOT_TEAMS_APP_ID"),
        developer_name=args.developer_name or read.raw("MEDBOT_DEVELOPER_NAME") or "MED-bot",
    )
    try:
        package = build_package(config)
    except ManifestError as exc:
        print(f"Kan ikke bygge Teams-pakken: {exc}", file=sys.stderr)
        return 2
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(package)
    print(f"Teams-app-pakken er skrevet: {output} ({len(package)} bytes)")
    return 0

