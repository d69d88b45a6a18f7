"""Is this message the answer the prompt expects? One reader per kind of prompt.

The router asks :func:`read_answer` first, before it looks for commands, questions
or small talk (see :mod:`dialogs.router`). A reader only says "this is the answer"
when the message has the form of one: a date for a TIME prompt, ja/nej for a YES_NO
prompt, a decider for the DECIDER prompt, and so on. The dialogs parse the answer
themselves afterwards.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime

from dialogs import texts
from dialogs.prompts import Expect, Expectation, is_skip, parse_yes_no
from knowledge.chatter import is_ack, is_trivial, looks_like_question
from knowledge.dates import DateParseError, find_when, parse_when
from knowledge.levels import parse_decider
from knowledge.normalize import fold, tokens
from knowledge.reminder_text import parse_manage_command, parse_subscription, resolve_target

__all__ = ["Reading", "case_words", "describes_case", "read_answer", "read_decider"]


class Reading(enum.Enum):
    ANSWER = "answer"  # the expected answer: the dialog continues
    NEW_CASE = "new_case"  # DECIDER prompt: the message describes a new case
    UNSURE = "unsure"  # DECIDER prompt: a decider answer or a new case; ask
    NO = "no"  # not an answer of this kind


# Words of the request itself ("hvilket udvalg skal behandle sagen?"), not of the case.
_TRIGGER_WORDS = frozenset(
    "hvilket hvilken hvilke med udvalg medudvalg niveau skal bor horer sagen sag den det hvor hvem "
    "behandle behandles behandler drofte droftes tages hen i pa til et en find rette rigtige which committee "
    "jeg vi have har min vores om sporgsmal kan du hjalpe mig".split()
)
# Words that belong to an answer to "Hvem træffer beslutningen?" rather than to a case.
_DECIDER_WORDS = frozenset(
    tokens(" ".join(texts.LEVEL_DECIDER_CHOICES))
    + tokens(
        "leder lederen ledere ledelsen chef chefen chefer cheferne nærmeste daglig daglige direktør direktøren "
        "direktionen direktører kommunaldirektør kommunaldirektøren afdelingschef afdelingschefen forvaltningschef "
        "forvaltningschefen centerchef centerchefen områdeleder områdelederen institutionsleder institutionslederen "
        "skoleleder skolelederen kommunalbestyrelse kommunalbestyrelsen byråd byrådet fagudvalg fagudvalget udvalget "
        "politikerne politiker politikere borgmester borgmesteren arbejdspladsen arbejdspladsens forvaltningen "
        "afdelingen det er vist nok tror jeg vel som der den de gør bestemmer beslutter træffer beslutningen "
        "beslutter bestemmer af ved ikke måske sikkert altså bare hun han så også og eller vil kan for over "
        "ok okay mig selv jo nå ja nej hej tak min vores jeg vent faktisk egentlig undskyld rettelse hvis kun var "
        "direktion kommer fra kommunaldir indstiller indstillet egen eget egne teamleder teamlederen "
    )
)
_MIN_NEW_CASE_WORDS = 3


def case_words(text: str) -> list[str]:
    """The words of ``text`` that describe the case rather than ask the question."""
    return [t for t in tokens(text) if t not in _TRIGGER_WORDS and not re.fullmatch(r"\d+", t)]


_LEADER_HEADS = frozenset(
    tokens(
        "leder lederen chef chefen direktør direktøren afdelingschef afdelingschefen forvaltningschef forvaltningschefen "
        "teamleder teamlederen"
    )
)
_OF = frozenset({"af", "for", "i", "pa", "over"})


def _own_words(text: str) -> list[str]:
    """Words that are neither the request, nor the decider, nor the decider's unit ("leder af borgerservice")."""
    words = tokens(text)
    unit: set[int] = set()
    for i, word in enumerate(words[:-2]):
        if word in _LEADER_HEADS and words[i + 1] in _OF:
            unit.add(i + 2)
            if i + 4 < len(words) and words[i + 3] == "og":
                unit.update((i + 3, i + 4))  # "direktøren for børn og familie": the unit's name
        if word == "for" and words[i + 1] == "hele":
            unit.update((i + 1, i + 2))  # "beslutter for hele kommunen": the decider's scope
    kept = [w for i, w in enumerate(words) if i not in unit]
    return [w for w in case_words(" ".join(kept)) if w not in _DECIDER_WORDS]


def read_decider(text: str) -> Reading:
    """An answer to "Hvem træffer beslutningen?", a new case, or unsure.

    "lederen", "2", "det gør afdelingschefen vist" are answers; "vores leder vil
    ændre mødetiderne i børnehaven" names a decider but has words of its own that
    describe a case: that is a new case. A decider and two such words: unsure (the
    router asks). Without a decider the answer is NO here; whether the text is a new
    case after all is :func:`describes_case` (asked after commands and questions).
    """
    if is_trivial(text):
        return Reading.NO  # "?" alone is no "ved ikke": the router answers it as trivial input
    decider = parse_decider(text)
    if decider is None:
        return Reading.NO
    own = _own_words(text)
    if len(own) <= 1:
        return Reading.ANSWER
    return Reading.NEW_CASE if len(own) >= _MIN_NEW_CASE_WORDS else Reading.UNSURE


def describes_case(text: str) -> bool:
    """True when ``text`` has at least two words of its own that describe a case."""
    return len(_own_words(text)) >= _MIN_NEW_CASE_WORDS - 1


def _reads_as_time(text: str, now: datetime, command: bool) -> bool:
    try:
        parse_when(text, now)
        return True
    except DateParseError as exc:
        if exc.code not in ("unparseable", "empty"):
            return True  # a time, but past or impossible ("i går", "kl 25"): the dialog explains
    if command or looks_like_question(text):
        return False
    try:
        return find_when(text, now) is not None
    except DateParseError:
        return True


_DONE = frozenset(fold(w) for w in texts.REMINDER_LIST_DONE_WORDS)


def read_answer(expectation: Expectation, text: str, now: datetime, *, command: bool = False) -> Reading:
    """Is ``text`` the answer ``expectation`` asks for? ``command``: the text is also a command."""
    kind = expectation.expects
    if expectation.choice_for(text) is not None:
        return Reading.ANSWER
    if kind is Expect.YES_NO:
        return Reading.ANSWER if parse_yes_no(text) is not None else Reading.NO
    if kind is Expect.TEXT and is_skip(text) and any(is_skip(v) for _title, v in expectation.choices):
        return Reading.ANSWER  # "-" at a question with »Spring over«
    if kind is Expect.YES_NO_OR_TEXT:
        return Reading.ANSWER if parse_yes_no(text) is not None or is_skip(text) else Reading.NO
    if kind is Expect.DECIDER:
        return read_decider(text)
    if kind is Expect.TIME:
        return Reading.ANSWER if _reads_as_time(text, now, command) else Reading.NO
    if kind is Expect.TARGET:
        names = [name for choice in expectation.choices for name in choice] + list(expectation.aliases.values())
        named = parse_subscription(text).target_text or text
        return Reading.ANSWER if resolve_target(named, names) is not None else Reading.NO
    if kind is Expect.COMMAND:
        done = fold(text) in _DONE or is_ack(text)
        return Reading.ANSWER if parse_manage_command(text) is not None or done else Reading.NO
    return Reading.NO
