"""What came just before in a conversation, and the follow-ups that lean on it.

The router remembers the last question answered and the last case placed (in the
conversation state, for :data:`QUESTION_FOLLOW_UP` / :data:`CASE_FOLLOW_UP`). A short
message that means nothing alone is read with them: »og hvornår?«, »hvem skal jeg så
snakke med?« after a personal matter, »og hvilket udvalg laver dem?«, »hvad med <en
anden sag>?«, »nej vent, det er afdelingschefen der beslutter«.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from botbuilder.core import ConversationState, StatePropertyAccessor, TurnContext

from dialogs import texts
from dialogs.activities import plain, send
from dialogs.answers import Reading, case_words, describes_case, read_decider
from dialogs.case_level import ANSWERED_CASE, ANSWERED_LEVEL, case_answer, not_med_objection_answer, objection_answer
from dialogs.deps import DialogDeps
from dialogs.qa import entry_message
from knowledge.levels import decide_level, parse_decider
from knowledge.normalize import fold
from knowledge.search import SearchResult
from knowledge.sources import source_line

__all__ = ["CASE_FOLLOW_UP", "QUESTION_FOLLOW_UP", "RecentContext", "recent", "sure"]

LAST_CASE_PROPERTY = "LastCase"
LAST_QUESTION_PROPERTY = "LastQuestion"
#: A follow-up question leans on the question before for this long.
QUESTION_FOLLOW_UP = timedelta(minutes=30)
#: A correction of who decides reaches back to the case just answered for this long.
CASE_FOLLOW_UP = timedelta(minutes=30)

# What is left of »og hvilket udvalg laver dem hos os?« when it names no case of its own
_PRONOUN_CASE_WORDS = frozenset(
    "og men sa saa sa egentlig laver lave tager tage sig af dem det den de dette disse hos os vi her sagen".split()
)
# »hvem skal jeg så snakke med?«, »hvem kan jeg gå til«: whom to turn to
_WHO_TO_TURN_TO = re.compile(
    r"^(og |men |ok |okay )*hvem (skal|kan|ma|bor) (jeg|man|vi) (sa |saa |da |sa egentlig )?"
    r"(tale|snakke|ga|henvende \w+|kontakte|sporge)( med| til)?\b"
)
# A correction of the case just answered: »hov nej, det er …«, »nej vent, hun tager beslutningen«.
_CORRECTION = re.compile(
    r"^(og |men |okay |ok )*(hvad )?(nu )?hvis det (nu )?(var|er|havde vaeret|havde varet) "  # »og hvis det nu var afdelingschefen …?«
    r"|^((hov|nej|vent|undskyld|sorry|ups|arh|ah|altsa|rettelse|korrektion) )+"
    r"(det er|det var|det gor|den er|det bliver|.*\b(tager|traffer|tog|traf) (selv )?beslutningen\b|.*\b(bestemmer|beslutter) (det )?selv\b)"
)

# Pushing back on the committee just given: »hvorfor ikke …«, »men vi har drøftet det i …«.
# »men det er jo kun os i borgerservice der bliver ramt«, »… der bliver berørt af det«
_AFFECTED = re.compile(r"\b(bliver|er|blir) (jo )?(ogsa )?(ramt|berort|paavirket|pavirket)\b")
# »men det gælder jo alle sosuer herude«, »vi får alle for lidt«: many, not one
_MANY = re.compile(r"\b(beror\w*|rammer|galder) (det |den )?(jo )?(ogsa )?(alle|os alle|hele|mange)\b|\b(vi|de) (far|faar|er) alle\b")
# Another level without its name: »skal det så ikke højere op?«
_HIGHER = re.compile(r"\b(hojere|hoejere|laengere|langere|lavere) (op|ned|niveau)\b|\bhigher up\b")
_OBJECTION = re.compile(
    r"\bhvorfor\b|\bwhy\b"
    r"|\bvi (har )?(jo )?(allerede )?(drof\w*|talt om|snakket om|behandlet|haft (den|det)|tog (den|det) (op|i)|taget (den|det) (op|i))"
    r"|\bkan vi (sa |saa )?(slet |overhovedet |da )?ikke\b"
    r"|\bskal (det|den) (sa |saa |da |nu |derfor )?ikke\b"
    r"|\b(beror\w*|rammer|galder) (det |den )?(jo )?(ogsa |da )\b"
    r"|\bwe (already |have )?(discussed|talked|had)\b"
    + f"|{_AFFECTED.pattern}|{_MANY.pattern}"
)
_ELSEWHERE = re.compile(f"{_HIGHER.pattern}|{_AFFECTED.pattern}")
# »er det datoerne for i år?«, »gælder de tider også i år«, »is that this year?«
_WHICH_YEAR = re.compile(
    r"^(og |men |ok |okay )*(er|galder|is|are) (det|de|dem|den|datorne|tidspunkterne|tiderne|fristerne|that|those|these)"
    r"( (dator|datorne|tidspunkter|tidspunkterne|tider|frister|fristerne|the dates))?( ogsa| stadig| nu)? (for|i|fra|til|this|for this) (i ar|ar|det her ar|year|\d{4})\b"
    r"|^(og |men )*hvilket ar (er|galder) (det|de|datorne)\b"
)
_WHY = re.compile(r"^(men |og |ok |okay )*(hvorfor|why)\b")


# A short follow-up that points back with a pronoun is read with the question before, first.
_POINTING = frozenset({"det", "den", "dem", "dette", "der"})
_POINTING_MAX_WORDS = 4

#: A follow-up read in the context of the question before it is short (»og hvornår?«).
_FOLLOW_UP_MAX_WORDS = 10
_WHAT_ABOUT_CASE = re.compile(
    r"^\s*(?:(?:ok|okay|men|og|så|saa|sa|nej)[,.]?\s+)*(?:hvad|hva)\s+(?:så\s+|saa\s+|sa\s+)?med\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
# »ok og nye regler for hjemmearbejde i afdelingen?« right after a case: another case, not a follow-up question
_AND_CASE = re.compile(
    r"^\s*(?:(?:ok|okay|men|så|saa|sa)[,.]?\s+)*og\s+(?:så\s+|saa\s+|sa\s+)?"
    r"(?!(?:hvem|hvad|hva|hvor|hvorn\w*|hvordan|hvorfor|hvilke\w*|kan|skal|er|må|ma|det|den|dem|i|hos|for|hvis)\b)(?P<rest>.+)$",
    re.IGNORECASE,
)
# A question that asked where a case belongs, though the knowledge answered it
_ASKED_WHERE = re.compile(r"\bskal\b.*\b(i|op i|til) (\w*med|med ?udvalget)\b|\bhvilke[tn]? (med ?)?udvalg\b")
_WHAT_ABOUT = re.compile(r"^(hvad|hva) (sa |saa )?med\b|^what about\b|^how about\b")
# A longer follow-up points back (»og hvem skal så …«, »hvad sker der med den«)
_FOLLOW_UP_CUES = frozenset(
    "og men sa saa den det dem de dette disse der her ogsa ellers bagefter derefter nu hvornar hvem hvor hvordan hvorfor".split()
)
#: How much of the earlier question goes along (a chain of follow-ups does not grow without end).
_CONTEXT_WORDS = 25


# A decision being made: "beslutter at", "vil lukke", "har besluttet", "skal ændre".
_DECIDES = re.compile(r"\b(beslut\w*|bestem\w*|vil|skal|har besluttet|indfor\w*|andr\w*|lukk\w*|flytt\w*|nedlag\w*|omlag\w*)\b")


# »ok sejt, jeg vil gerne sende en«, »så vil vi gerne komme med et«: the thing just answered about
_SEND_ONE = re.compile(
    r"^((ok|okay|super|fedt|sejt|fint|godt|cool|nice|sa|ja|jamen)\s+)*((jeg|vi)\s+)?(vil|ville|skal|kunne|har)\s+"
    r"((gerne|godt|faktisk|lige|ogsa|da)\s+)*(sende|indsende|komme med|give|aflevere|lave|skrive)\s+(en|et|en ind|et ind|en til|en selv)$"
)
_IDEA_ENTRY = re.compile(r"(^|-)(gode-ide|ide)(-|$)")


class RecentContext:
    """The last question and case of a conversation, and the follow-ups read with them."""

    def __init__(self, deps: DialogDeps, conversation_state: ConversationState, *, places_cases: bool) -> None:
        self._deps = deps
        self._cases = places_cases
        self.last_case: StatePropertyAccessor = conversation_state.create_property(LAST_CASE_PROPERTY)
        self.last_question: StatePropertyAccessor = conversation_state.create_property(LAST_QUESTION_PROPERTY)

    @staticmethod
    def asks_whom_to_turn_to(text: str) -> bool:
        """»hvem skal jeg så snakke med?«, »hvem kan jeg gå til«."""
        return _WHO_TO_TURN_TO.match(fold(text)) is not None

    async def another_case(self, turn_context: TurnContext, text: str) -> str | None:
        """»hvad med <a case>?« right after a case was answered: that case, to be placed the same way."""
        about = _WHAT_ABOUT_CASE.match(text) or _AND_CASE.match(text)
        if about is None or not self._cases:
            return None
        now = self._deps.clock.now()
        if not recent(await self.last_case.get(turn_context, None), now, CASE_FOLLOW_UP):
            question = await self.last_question.get(turn_context, None)
            if not recent(question, now, QUESTION_FOLLOW_UP) or not _ASKED_WHERE.search(fold(str(question.get("text", "")))):
                return None  # (»skal lønforhandlingen i ArbejdspladsMED?« answered from the knowledge is a case too)
        rest = about.group("rest").strip(" ?")
        if len(case_words(rest)) < 2 or sure(self._deps.searcher.search(rest)):
            return None  # »hvad med HovedMED?« is a follow-up question, not a case
        return rest

    async def wants_to_send_one(self, turn_context: TurnContext, text: str) -> bool:
        """»ok sejt, jeg vil gerne sende en« right after an answer about Den gode idé: an idea."""
        if _SEND_ONE.match(fold(text)) is None:
            return False
        last = await self.last_question.get(turn_context, None)
        return recent(last, self._deps.clock.now(), QUESTION_FOLLOW_UP) and _IDEA_ENTRY.search(str(last.get("entry", ""))) is not None

    async def case_in_context(self, turn_context: TurnContext, text: str) -> str | None:
        """The question just answered, when a case question names nothing but »det«/»dem«."""
        if not self._cases or any(w not in _PRONOUN_CASE_WORDS for w in case_words(text)):
            return None
        last = await self.last_question.get(turn_context, None)
        if not recent(last, self._deps.clock.now(), QUESTION_FOLLOW_UP) or last.get("personal"):
            return None
        return str(last["text"])

    async def just_placed_a_case(self, turn_context: TurnContext) -> bool:
        """Was a case placed (or asked about) a moment ago?"""
        return recent(await self.last_case.get(turn_context, None), self._deps.clock.now(), CASE_FOLLOW_UP)

    async def after_personal(self, turn_context: TurnContext) -> bool:
        """Was the last thing answered a personal matter (harassment, one person's case)?"""
        now = self._deps.clock.now()
        last = await self.last_question.get(turn_context, None)
        if recent(last, now, QUESTION_FOLLOW_UP) and last.get("personal"):
            return True
        case = await self.last_case.get(turn_context, None)
        return recent(case, now, CASE_FOLLOW_UP) and decide_level(str(case.get("case", "")), self._deps.profile).level == "not_med"

    async def in_context(self, turn_context: TurnContext, text: str, last: object) -> tuple[str, SearchResult | None]:
        """A follow-up the knowledge cannot answer alone (»hvornår?«, »hvem skal man så gå til?«),
        read together with the question or case just before it, when that gives a sure answer.

        Returns the text to answer and its search result when one was made (None: not searched yet).
        """
        now = self._deps.clock.now()
        before = [
            str(last["text"]) if recent(last, now, QUESTION_FOLLOW_UP) else "",
            str(case["case"]) if recent(case := await self.last_case.get(turn_context, None), now, CASE_FOLLOW_UP) else "",
        ]
        earlier = [b for b in before if b]
        words = fold(text).split()
        if not earlier or len(words) > _FOLLOW_UP_MAX_WORDS or self._deps.searcher.unknown_words(text):
            return text, None  # (a word no entry knows, »julefrokosten«: a new topic, not a follow-up)
        if len(words) > 2 and not _FOLLOW_UP_CUES.intersection(words) and not _WHAT_ABOUT.match(" ".join(words)):
            return text, None  # »hvad er reglerne for kørselsgodtgørelse«: a question with its own subject
        alone = self._deps.searcher.search(text, now.date())
        if sure(alone) and not (len(words) <= _POINTING_MAX_WORDS and _POINTING.intersection(words)):
            return text, alone
        # »hvem bestemmer det?« right after »skal LokalMED arbejde med den gode idé?«: »det« is that
        for context in earlier:
            together = f"{_last_words(context, _CONTEXT_WORDS)} {text}"
            result = self._deps.searcher.search(together, now.date())
            if sure(result):
                return together, result
        return text, alone

    def reads_as_case(self, text: str) -> bool:
        """A leader's decision told in the user's own words, which the knowledge cannot answer."""
        if not self._cases or not _DECIDES.search(fold(text)):
            return False
        decider = parse_decider(text)
        if decider is None or decider == "unknown" or not describes_case(text):
            return False
        result = self._deps.searcher.search(text)
        return result.entry is None or result.fallback

    async def correct_case(self, turn_context: TurnContext, text: str) -> bool:
        """Who decides the case just answered, told afterwards: the case is answered again."""
        last = await self.last_case.get(turn_context, None)
        if not recent(last, self._deps.clock.now(), CASE_FOLLOW_UP) or not last.get("case"):
            return False
        decider = parse_decider(text)
        if decider is None or decider == "unknown":
            return False
        if read_decider(text) is not Reading.ANSWER and not _CORRECTION.match(fold(text)):
            return False  # »hov nej, det er kommunaldirektøren der indstiller det« corrects even with words of its own
        case = str(last["case"])
        decision = decide_level(case, self._deps.profile, decider=text)
        await send(turn_context, case_answer(decision, self._deps.profile, case))
        turn_context.turn_state[ANSWERED_CASE] = case
        turn_context.turn_state[ANSWERED_LEVEL] = str(decision.level)
        return True

    async def which_year(self, turn_context: TurnContext, text: str) -> bool:
        """»er det datoerne for i år?« right after an answer with dates: which year the dates are
        from, and that this year's are not in the material."""
        if not _WHICH_YEAR.match(fold(text)):
            return False
        last = await self.last_question.get(turn_context, None)
        if not recent(last, self._deps.clock.now(), QUESTION_FOLLOW_UP) or not last.get("entry"):
            return False
        entry = self._deps.kb.get(str(last["entry"]))
        if entry is None:
            return False
        years = sorted({int(y) for y in re.findall(r"\b(20\d\d)\b", entry.answer)})
        if not years:
            return False
        source = source_line(entry.source.seed, "")
        named = re.search(r"\b(20\d\d)\b", text)
        asked = int(named.group(1)) if named else self._deps.clock.now().year
        await send(turn_context, plain(texts.dates_from_year(years, source, asked)))
        await self._deps.unanswered.add(
            text=text, score=0.0, suggestions=[entry.id], channel_id=turn_context.activity.channel_id or ""
        )
        return True

    async def objection(self, turn_context: TurnContext, text: str) -> bool:
        """»hvorfor ikke AfdelingsMED?«, »men vi har drøftet det i ForvaltningsMED«, »kan vi så slet ikke
        drøfte det i vores ArbejdspladsMED?« right after a case was placed at a committee: the level
        stands, why, and how the case can still be taken up lower down."""
        folded = fold(text)
        if not _OBJECTION.search(folded):
            return False  # (most questions: no state read, no committee scan)
        last = await self.last_case.get(turn_context, None)
        if not recent(last, self._deps.clock.now(), CASE_FOLLOW_UP):
            return await self._not_med_answer_stands(turn_context, folded)
        if last.get("level") == "not_med" and _MANY.search(folded):
            decision = decide_level(str(last.get("case", "")), self._deps.profile)
            if decision.level != "not_med":
                return False
            await send(turn_context, not_med_objection_answer(decision, self._deps.profile, str(last["case"])))
            return True
        if last.get("level") not in ("top", "middle", "local"):
            return False
        named = self._deps.profile.committee_mentions(text)
        if not (named or _WHY.match(folded) or _ELSEWHERE.search(folded)):
            return False
        level = str(last["level"])
        other = next(((code, name) for code, name in named if code != level), None)
        if named and other is None:
            return False  # »hvorfor HovedMED?« is answered by the search
        await send(turn_context, objection_answer(level, self._deps.profile, str(last["case"]), other))
        return True


    async def _not_med_answer_stands(self, turn_context: TurnContext, folded: str) -> bool:
        """»men det gælder jo alle« right after the answer on what MED cannot handle: that answer again."""
        if not _MANY.search(folded):
            return False
        question = await self.last_question.get(turn_context, None)
        if not recent(question, self._deps.clock.now(), QUESTION_FOLLOW_UP) or question.get("entry") != _NOT_MED_ENTRY:
            return False
        entry = self._deps.kb.get(_NOT_MED_ENTRY)
        if entry is None:
            return False
        answer = entry_message(entry, self._deps)
        await send(turn_context, replace(answer, text=f"{texts.LEVEL_NOT_MED_STANDS}\n\n{answer.text}"))
        return True


#: The knowledge entry on what MED cannot handle (personalesager, klagesager, union matters).
_NOT_MED_ENTRY = "med-kan-ikke"


def sure(result: SearchResult) -> bool:
    """An answer the search is sure of (not a fallback, not a tentative near miss)."""
    return result.entry is not None and not result.fallback and not result.tentative


def _last_words(text: str, count: int) -> str:
    return " ".join(text.split()[-count:])


def recent(remembered: object, now: datetime, within: timedelta) -> TypeGuard[dict[str, Any]]:
    """A remembered ``{"at": iso, ...}`` from no longer ago than ``within``."""
    if not isinstance(remembered, dict):
        return False
    try:
        return now - datetime.fromisoformat(str(remembered.get("at"))) <= within
    except ValueError:
        return False
