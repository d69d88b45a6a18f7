"""``medbot level``: which MED committee handles a case.

    medbot level "Vores leder vil lave om på vagtplanen" --json
    medbot level "nye åbningstider" --decider "afdelingschef" --org jammerbugt
    printf 'sag 1\\nsag 2\\n' | medbot level --json     # one JSON line per input line

With ``--json`` each answer is one line: ``{"level", "committee", "mode", "answer"}``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.env import EnvReader
from dialogs.texts import level_answer
from knowledge.levels import LevelDecision, answer_fields, decide_level
from knowledge.profiles import Profile, ProfileError, available_profiles, load_profile

ENV_ORG = "MEDBOT_ORG"
ENV_PROFILES_DIR = "MEDBOT_PROFILES_DIR"
DEFAULT_ORG = "albertslund"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "level",
        help="find det MED-udvalg, der skal behandle en sag",
        description=(
            "Find det MED-udvalg, der skal behandle en sag. Niveauet afgøres af, hvem der træffer "
            "beslutningen – ikke af, hvem der bliver berørt. Uden SAG læses én sag pr. linje fra stdin."
        ),
    )
    parser.add_argument("case", nargs="?", metavar="SAG", help="sagen med dine egne ord")
    parser.add_argument("--json", action="store_true", help="svar som JSON (én linje pr. sag)")
    parser.add_argument(
        "--decider",
        metavar="TEKST",
        help="hvem træffer beslutningen (fx »leder af arbejdspladsen«, »afdelingschef«, »3«, »ved ikke«)",
    )
    parser.add_argument(
        "--org",
        metavar="KOMMUNE",
        help=f"kommunens profil (standard: ${ENV_ORG} eller {DEFAULT_ORG})",
    )
    parser.add_argument(
        "--profiles-dir",
        metavar="MAPPE",
        type=Path,
        help=f"ekstra mappe eller TOML-fil med kommuneprofiler (standard: ${ENV_PROFILES_DIR})",
    )
    parser.add_argument("--explain", action="store_true", help="tag regel, kilde og genkendte ord med i JSON")
    parser.set_defaults(handler=run)


def decision_json(decision: LevelDecision, answer: str, *, explain: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "level": decision.level,
        "committee": decision.committee,
        "mode": decision.mode,
        "answer": answer,
    }
    if explain:
        data["rule"] = decision.rule
        data["source"] = decision.source
        data["reason_facts"] = dict(decision.reason_facts)
    return data


def _utf8(stream: TextIO) -> None:
    """Danish letters must survive a C/POSIX locale."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    if isinstance(stream, io.TextIOWrapper) and encoding != "utf8":
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, io.UnsupportedOperation):
            pass


def _answer_one(case: str, profile: Profile, args: argparse.Namespace, out: TextIO) -> None:
    decision = decide_level(case, profile, args.decider)
    answer = level_answer(**answer_fields(decision, profile))
    if args.json:
        out.write(json.dumps(decision_json(decision, answer, explain=args.explain), ensure_ascii=False) + "\n")
    else:
        out.write(answer + "\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    read = EnvReader()
    org = args.org or read.raw(ENV_ORG) or DEFAULT_ORG
    profiles_dir = args.profiles_dir or (Path(read.raw(ENV_PROFILES_DIR)) if read.raw(ENV_PROFILES_DIR) else None)
    try:
        profile = load_profile(org, profiles_dir)
    except ProfileError as exc:
        known = ", ".join(available_profiles(profiles_dir))
        print(f"medbot level: ukendt eller ugyldig kommuneprofil {org!r}: {exc}", file=sys.stderr)
        print(f"Kendte profiler: {known}", file=sys.stderr)
        return 2

    out = sys.stdout
    _utf8(out)
    if args.case is not None:
        _answer_one(args.case, profile, args, out)
        return 0

    _utf8(sys.stdin)
    first = True
    for line in sys.stdin:
        case = line.rstrip("\r\n")
        if not args.json and not first:
            out.write("\n")
        _answer_one(case, profile, args, out)
        first = False
    return 0
