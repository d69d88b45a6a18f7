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
from typing import Any, TextIO

from dialogs import texts
from knowledge.kb import Entry, KnowledgeBase
from knowledge.search import Searcher, SearchResult, Synonyms


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="stil et spørgsmål til vidensbasen om MED",
        description="Stil et spørgsmål om MED og få svaret fra vidensbasen med kilde. "
        "Uden TEKST læses ét spørgsmål pr. linje fra standard input.",
    )
    parser.add_argument("text", nargs="?", metavar="TEKST", help="spørgsmålet (udelades: læs fra stdin)")
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt pr. spørgsmål")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    searcher = Searcher(KnowledgeBase.load(), Synonyms.load())
    out = sys.stdout
    if args.text is not None:
        _emit(searcher, args.text, args.json, out)
        return 0
    first = True
    for line in sys.stdin:
        question = line.rstrip("\r\n")
        if not args.json and not first:
            out.write("\n")
        _emit(searcher, question, args.json, out)
        first = False
    return 0


def _emit(searcher: Searcher, question: str, as_json: bool, out: TextIO) -> None:
    result = searcher.search(question)
    if as_json:
        out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")
    else:
        out.write(render_text(result, searcher.kb) + "\n")
    out.flush()


def result_json(result: SearchResult) -> dict[str, Any]:
    """The JSON object for one search result (see the module docstring)."""
    suggestions = [entry.title for entry in result.suggestions]
    return {
        "answer": result.entry.answer if result.entry is not None else texts.fallback_text(suggestions),
        "entry": result.entry.id if result.entry is not None else None,
        "score": round(result.score, 1),
        "fallback": result.fallback,
        "suggestions": suggestions,
    }


def render_text(result: SearchResult, kb: KnowledgeBase) -> str:
    """A readable Danish answer: title, answer, municipality, source and related questions."""
    entry = result.entry
    if entry is None:
        return texts.fallback_text([e.title for e in result.suggestions])
    parts = [entry.title, "", entry.answer]
    if entry.municipality:
        parts += ["", texts.MUNICIPALITY_NOTE.format(municipality=entry.municipality)]
    parts += ["", f"{texts.SOURCE_PREFIX}: {entry.source.cite()}"]
    related = _related_titles(entry, kb)
    if related:
        parts += ["", f"{texts.RELATED_HEADING}:", *(f"• {title}" for title in related)]
    return "\n".join(parts)


def _related_titles(entry: Entry, kb: KnowledgeBase) -> list[str]:
    return [kb[r].title for r in entry.related if r in kb]
