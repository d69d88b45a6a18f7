"""The ``medbot`` command line.

Every module in this package that defines ``register(subparsers)`` adds one
sub-command, and so does each feature's own command module (:data:`FEATURE_COMMANDS`: a
feature's admin commands live with its service) (modules import their heavy dependencies inside the handler, so that
``medbot ask`` does not pay for botbuilder and SQLAlchemy); the module owns its arguments and its handler, which it sets with
``parser.set_defaults(handler=...)``. A handler takes the parsed arguments and
returns the process exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

DESCRIPTION = """\
MED-bot – en chatbot til MED-systemet (medindflydelse og medbestemmelse).

Eksempler:
  medbot chat                          tal med botten her i terminalen
  medbot serve                         start botten på port 3978 (Teams, Agents Playground)
  medbot ask "hvad er en AMR" --json   stil et spørgsmål til vidensbasen
  medbot unanswered                    vis spørgsmål botten ikke kunne svare på
"""


#: The sub-commands that live with their feature (``medbot ideas``, ``medbot reminders``, ``medbot calendar``).
FEATURE_COMMANDS = {"ideas": "bot.ideas.cli", "reminders": "bot.reminders.cli", "calendar": "bot.reminders.calendar_cli"}


def _command_modules() -> list[str]:
    """Every sub-command's module, in the order of the commands' names."""
    here = {info.name: f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__)}
    commands = {**here, **FEATURE_COMMANDS}
    return [commands[name] for name in sorted(commands)]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medbot",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="vis mere logning")
    subparsers = parser.add_subparsers(title="kommandoer", metavar="KOMMANDO")
    for name in _command_modules():
        try:
            module = importlib.import_module(name)
        except ImportError:
            # One broken sub-command must not take the others down with it.
            logging.getLogger(__name__).exception("sub-command %s could not be loaded", name)
            continue
        register = getattr(module, "register", None)
        if callable(register):
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    return int(handler(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
