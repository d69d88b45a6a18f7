"""``medbot ask``: ask the MED knowledge base a question from the command line.

``medbot ask "hvad er en AMR"`` prints a readable Danish answer with its source;
``--json`` prints exactly one JSON object per question::

    {"answer": str, "entry": str | null, "score": float, "fallback": bool,
     "suggestions": [str]}

Without TEXT, one question is read per line from standard input and one answer (or
JSON line) is written per line, flushed at once, so the command can sit at the end of a
pipe. No line is skipped: an empty line gives a fallback. The command never touches the
database (logging unanswered questions is the running bot's job).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any, TextIO

from bot.env import EnvReader
from dialogs import texts
from dialogs.qa import municipality_note
from knowledge.clock import COPENHAGEN
from knowledge.kb import Entry, KnowledgeBase
from knowledge.profiles import ProfileError, load_profile
from knowledge.search import Searcher, SearchResult, Synonyms

ENV_ORG = "MEDBOT_ORG"
DEFAULT_ORG = "albertslund"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="stil et spørgsmål til vidensbasen om MED",
        description="Stil et spørgsmål om MED og få svaret fra vidensbasen med kilde. "
        "Uden TEKST læses ét spørgsmål pr. linje fra standard input.",
    )
    parser.add_argument("text", nargs="?", metavar="TEKST", help="spørgsmålet (udelades: læs fra stdin)")
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt pr. spørgsmål")
    parser.add_argument("--org", metavar="KOMMUNE", help=f"kommunens profil (standard: ${ENV_ORG} eller {DEFAULT_ORG})")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    org = args.org or EnvReader().raw(ENV_ORG) or DEFAULT_ORG
    try:
        profile = load_profile(org)
    except ProfileError as exc:
        print(f"medbot ask: ukendt kommuneprofil {org!r}: {exc}", file=sys.stderr)
        return 2
    searcher = Searcher(KnowledgeBase.load(), Synonyms.load(), org=profile.municipality_key)
    own = profile.municipality_key
    out = sys.stdout
    if args.text is not None:
        _emit(searcher, args.text, args.json, out, own)
        return 0
    first = True
    for line in sys.stdin:
        question = line.rstrip("\r\n")
        if not args.json and not first:
            out.write("\n")
        _emit(searcher, question, args.json, out, own)
        first = False
    return 0


def _emit(searcher: Searcher, question: str, as_json: bool, out: TextIO, own: str = "") -> None:
    result = searcher.search(question, datetime.now(COPENHAGEN).date())
    if as_json:
        out.write(json.dumps(result_json(result, own), ensure_ascii=False) + "\n")
    else:
        out.write(render_text(result, searcher.kb, own) + "\n")
    out.flush()


def result_json(result: SearchResult, own: str = "") -> dict[str, Any]:
    """The JSON object for one search result (see the module docstring).

    A question for a detail the nearest entry does not give is a fallback: the answer
    says so and then what the entry says; the entry is offered as a suggestion.
    """
    if result.entry is not None and result.unknown_detail is not None:
        entry = result.entry
        return {
            "answer": texts.detail_unknown_text(result.unknown_detail.value, entry.title, entry.answer),
            "entry": None,
            "score": round(result.score, 1),
            "fallback": True,
            "suggestions": [entry.title],
        }
    suggestions = [entry.title for entry in result.suggestions]
    answer = result.entry.answer if result.entry is not None else texts.fallback_text(suggestions)
    if result.tentative:
        answer = f"{texts.TENTATIVE_ANSWER_INTRO}\n\n{answer}"
    note = municipality_note(result.entry, own) if result.entry is not None else None
    return {
        "answer": f"{answer}\n\n{note}" if note and note.startswith(texts.OTHER_MUNICIPALITY_NOTE[:8]) else answer,
        "entry": result.entry.id if result.entry is not None else None,
        "score": round(result.score, 1),
        "fallback": result.fallback,
        "suggestions": suggestions,
    }


def render_text(result: SearchResult, kb: KnowledgeBase, own: str = "") -> str:
    """A readable Danish answer: title, answer, municipality, source and related questions."""
    entry = result.entry
    if entry is None:
        return texts.fallback_text([e.title for e in result.suggestions])
    if result.unknown_detail is not None:
        return texts.detail_unknown_text(result.unknown_detail.value, entry.title, entry.answer) + (
            f"\n\n{texts.SOURCE_PREFIX}: {entry.source.cite()}"
        )
    parts = [texts.TENTATIVE_ANSWER_INTRO, ""] if result.tentative else []
    parts += [entry.title, "", entry.answer]
    note = municipality_note(entry, own)
    if note:
        parts += ["", note]
    parts += ["", f"{texts.SOURCE_PREFIX}: {entry.source.cite()}"]
    related = _related_titles(entry, kb)
    if related:
        parts += ["", f"{texts.RELATED_HEADING}:", *(f"• {title}" for title in related)]
    return "\n".join(parts)


def _related_titles(entry: Entry, kb: KnowledgeBase) -> list[str]:
    return [kb[r].title for r in entry.related if r in kb]
