"""The ``medbot`` command line.

Every module in this package that defines ``register(subparsers)`` adds one
sub-command (modules import their heavy dependencies inside the handler, so that
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medbot",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="vis mere logning")
    subparsers = parser.add_subparsers(title="kommandoer", metavar="KOMMANDO")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        try:
            module = importlib.import_module(f"{__name__}.{info.name}")
        except ImportError:
            # One broken sub-command must not take the others down with it.
            logging.getLogger(__name__).exception("sub-command %s could not be loaded", info.name)
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
