"""Answering a MED question from the curated knowledge base."""

from __future__ import annotations

from dialogs import texts
from dialogs.deps import DialogDeps
from dialogs.messages import Action, Message
from knowledge.kb import Entry
from knowledge.search import SearchResult
from knowledge.sources import source_line

MAX_RELATED = 4


def entry_message(entry: Entry, deps: DialogDeps) -> Message:
    related = [deps.kb.get(rid) for rid in entry.related[:MAX_RELATED]]
    return Message(
        title=entry.title,
        text=entry.answer,
        source=source_line(entry.source.seed, entry.source.section),
        note=texts.MUNICIPALITY_NOTE.format(municipality=entry.municipality) if entry.municipality else None,
        actions_heading=texts.RELATED_HEADING if related else None,
        actions=tuple(Action(title=r.title, text=r.title, entry=r.id) for r in related if r is not None),
        meta={"entry": entry.id},
    )


def fallback_message(result: SearchResult) -> Message:
    titles = [s.title for s in result.suggestions]
    return Message(
        text=texts.fallback_text([]) if not titles else texts.FALLBACK_UNKNOWN,
        actions_heading=texts.FALLBACK_SUGGESTIONS if titles else None,
        actions=tuple(Action(title=s.title, text=s.title, entry=s.id) for s in result.suggestions),
        note=texts.FALLBACK_CAPABILITIES if titles else None,
        meta={"fallback": "1"},
    )


async def answer(text: str, deps: DialogDeps, channel_id: str, entry_id: str | None = None) -> Message:
    """Answer ``text`` (or exactly ``entry_id`` when a button chose an entry)."""
    if entry_id:
        entry = deps.kb.get(entry_id)
        if entry is not None:
            return entry_message(entry, deps)
    result = deps.searcher.search(text)
    if result.entry is not None and not result.fallback:
        return entry_message(result.entry, deps)
    await deps.unanswered.add(
        text=text, score=result.score, suggestions=[s.id for s in result.suggestions], channel_id=channel_id
    )
    return fallback_message(result)
