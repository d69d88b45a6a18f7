"""Answering a MED question from the curated knowledge base."""

from __future__ import annotations

from dialogs import texts
from dialogs.deps import DialogDeps
from dialogs.messages import Action, Message
from knowledge.details import Detail, named_municipality
from knowledge.kb import Entry
from knowledge.normalize import fold
from knowledge.search import SearchResult
from knowledge.sources import source_line

MAX_RELATED = 4


def municipality_note(entry: Entry, own: str) -> str | None:
    """"Gælder for X", or plainly that the entry describes the other municipality's practice."""
    if not entry.municipality:
        return None
    if own and fold(entry.municipality) != fold(own):
        return texts.OTHER_MUNICIPALITY_NOTE.format(other=entry.municipality, own=own)
    return texts.MUNICIPALITY_NOTE.format(municipality=entry.municipality)


def entry_message(entry: Entry, deps: DialogDeps, intro: str | None = None) -> Message:
    related = [deps.kb.get(rid) for rid in entry.related[:MAX_RELATED]]
    return Message(
        title=entry.title,
        text=f"{intro}\n\n{entry.answer}" if intro else entry.answer,
        source=source_line(entry.source.seed, entry.source.section),
        note=municipality_note(entry, deps.profile.municipality_key),
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


async def answer(
    text: str, deps: DialogDeps, channel_id: str, entry_id: str | None = None, result: SearchResult | None = None
) -> Message:
    """Answer ``text`` (or exactly ``entry_id`` when a button chose an entry); ``result``: the
    search for ``text`` when the caller has already made it."""
    if entry_id:
        entry = deps.kb.get(entry_id)
        if entry is not None:
            return entry_message(entry, deps)
    if result is None:
        result = deps.searcher.search(text, deps.clock.now().date())
    if result.entry is not None and not result.fallback:
        if result.unknown_detail is not None:
            # The secretary should see what staff ask that the material does not answer.
            await deps.unanswered.add(
                text=text, score=result.score, suggestions=[result.entry.id], channel_id=channel_id
            )
            said = texts.DETAIL_UNKNOWN[result.unknown_detail.value]
            if result.unknown_detail is Detail.MUNICIPALITY and result.entry.municipality:
                asked = named_municipality(text)
                if asked:
                    said = texts.detail_other_municipality(asked.capitalize(), result.entry.municipality)
            intro = f"{said}\n\n{texts.DETAIL_WHAT_I_CAN_SAY}"
            return entry_message(result.entry, deps, intro=intro)
        if result.tentative:
            # A near miss: the nearest answer, said as such; the secretary sees the question too.
            await deps.unanswered.add(
                text=text, score=result.score, suggestions=[result.entry.id], channel_id=channel_id
            )
            return entry_message(result.entry, deps, intro=texts.TENTATIVE_ANSWER_INTRO)
        return entry_message(result.entry, deps)
    await deps.unanswered.add(
        text=text, score=result.score, suggestions=[s.id for s in result.suggestions], channel_id=channel_id
    )
    return fallback_message(result)
