"""Situations told in everyday words that point to one knowledge entry.

Staff rarely name the MED concept behind their question: they tell what happened
(»ledelsen lavede om på vagtplanen uden at sige et ord til os – hvad kan vi gøre?«,
»vores trio har besluttet ny vagtplan – kan de det?«). The words of such a story match
no entry's questions well, so the search would fall back or answer a neighbour. Each
situation here is a pattern on :func:`knowledge.normalize.fold` text, the entry that
answers it and the seed passage that entry rests on. The search consults them when
its own best answer is not sure (:meth:`knowledge.search.Searcher.search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from knowledge.normalize import fold

__all__ = ["SITUATIONS", "Situation", "situation_entry"]


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    pattern: re.Pattern[str]
    entry: str  # the knowledge entry that answers it
    seed: str
    passage: str


_LEADERS = r"(ledelsen|lederen|leder|chefen|chef|vores chef|min chef|direktoren|afdelingschefen|management|boss|manager)"
_ASKS_WHAT_NOW = (
    r"(hvad kan (vi|jeg|man) (gore|goere|gora)|hvad (gor|gore|goer) (vi|jeg|man)|er der noget (vi|jeg|man)\b.*\bgore"
    r"|kan (de|han|hun|ledelsen|lederen|chefen) (det|bare det|godt det)|ma (de|han|hun|ledelsen|lederen|chefen) (det|godt det|bare det)"
    r"|hvad nu|hvad sa|what can we do|can they do that|is that allowed)"
)

SITUATIONS: Final[tuple[Situation, ...]] = (
    Situation(
        "not_informed_before_a_decision",
        re.compile(
            rf"^(?=.*\b{_ASKS_WHAT_NOW})(?=.*\b{_LEADERS}\b)"
            r"(?=.*\b(uden at (sige|informere|sporge|hore|inddrage|fortaelle|fortalle|drofte|tale med)\w*"
            r"|(far|fik) (det|det bare|det forst|vi det|vi det bare) at vide (bagefter|efterfolgende|pa mail|bagefter pa mail)"
            r"|fortaeller (os )?aldrig|fortaller (os )?aldrig|informerer (os )?(aldrig|ikke)|without (telling|asking|informing))\b)"
        ),
        "paragraf-21",
        "002",
        "Hvis en af parterne ikke overholder sin informationsforpligtelse, kan den anden part skriftligt bede om, "
        "at den overholdes. Herefter er der en måned til at efterkomme anmodningen (MED-rammeaftalens § 21)",
    ),
    Situation(
        "the_trio_decides",
        re.compile(
            r"\b(trio\w*|leder,? amr og tr|lederen,? amr\w* og tr\w*|leder amr og tr)\b.*\b(besluttet|beslutter|bestemt|bestemmer|vedtaget|decided)\b"
            r"|\b(besluttet|beslutter|bestemt|bestemmer)\b.*\btrio\w*\b"
        ),
        "trio",
        "002",
        "Trio'en er et uformelt samarbejdsforum. En trio består af leder, AMR og TR. Trio'en har ingen formel "
        "beslutningskompetence, og kan ikke erstatte AMG, MED eller personalemøde med MED-status",
    ),
    Situation(
        "putting_a_point_on_the_agenda",
        re.compile(
            r"\b(ma|kan|skal|bor) (jeg|vi|man) (selv )?(fa|faa|fa det|fa den|sætte|saette|satte|sætte det|satte det|saette det|bringe)"
            r" (\w+ )?(sat pa|pa dagsorden\w*|op pa (det )?(naeste|nate|naste) mode)"
            r"|\b(fa|faa|sætte|saette|satte) (\w+ ){0,4}pa dagsorden\w*"
        ),
        "dagsorden-ret",
        "002",
        "Alle har ret og pligt til at sætte emner på dagsordenen for MED-udvalget",
    ),
)


def situation_entry(text: str) -> str | None:
    """The entry that answers the situation ``text`` tells, if it tells one of :data:`SITUATIONS`."""
    folded = fold(text)
    for situation in SITUATIONS:
        if situation.pattern.search(folded):
            return situation.entry
    return None
