"""What the user wants, from free Danish text: the router's first look at a message.

Deliberately small and keyword based: anything that is not clearly a command or the
start of one of the conversations is treated as a question for the knowledge base,
which has its own calibrated fallback.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace

from knowledge.chatter import is_personal_matter, looks_like_question
from knowledge.ideas_rules import parse_idea_command
from knowledge.normalize import fold
from knowledge.reminder_text import parse_manage_command


class Intent(enum.Enum):
    HELP = "help"
    CANCEL = "cancel"
    GREETING = "greeting"
    THANKS = "thanks"
    CASE_LEVEL = "case_level"
    IDEA_NEW = "idea_new"
    IDEA_LIST = "idea_list"
    REMINDER_NEW = "reminder_new"
    REMINDER_LIST = "reminder_list"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    PERSONAL = "personal"  # harassment and the like: not a MED case (knowledge.chatter)
    QUESTION = "question"


@dataclass(frozen=True)
class Classified:
    intent: Intent
    rest: str  # the text after the trigger words, when the trigger carries content
    # »lige et spm: …«, »glem det, andet spørgsmål: …«: the user says this is a new question or
    # case, never the answer to what the bot just asked
    marked: bool = False


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# All patterns run on folded text (see knowledge.normalize.fold): æ->a, ø->o, å->a.
_EXACT: dict[Intent, frozenset[str]] = {
    Intent.HELP: frozenset({"hjalp", "hjalpe", "help", "menu", "hvad kan du", "hvad kan du hjalpe med", "kommandoer", "hjelp", "halp"}),
    Intent.CANCEL: frozenset({"annuller", "annuler", "anuller", "afbryd", "stop", "cancel", "fortryd", "glem det", "afslut", "quit", "exit"}),
    Intent.GREETING: frozenset({"hej", "hejsa", "hey", "hi", "hello", "goddag", "godmorgen", "god morgen", "dav", "halla", "hallo", "hejhej", "hej hej", "hej medbot", "hej med bot"}),
    Intent.THANKS: frozenset({"tak", "mange tak", "tusind tak", "tak for hjalpen", "thanks", "thank you", "super tak", "fint tak", "ok tak", "thx", "tks", "ty", "tak tak", "tak skal du have", "takker", "tusind tak for hjalpen", "mange tak for hjalpen"}),
    Intent.REMINDER_LIST: frozenset({"pamindelser", "mine pamindelser", "vis pamindelser", "vis mine pamindelser", "reminders", "my reminders", "mine reminders", "vis reminders", "vis mine reminders", "remindere", "mine remindere", "vis mine remindere"}),
    Intent.IDEA_LIST: frozenset({"mine ideer", "vis mine ideer", "mine forslag", "my ideas"}),
    Intent.UNSUBSCRIBE: frozenset({"stop pamindelser", "stop nudges", "afmeld", "unsubscribe"}),
}

_CASE_LEVEL = _rx(
    r"\bhvilke[tn]? (med )?(udvalg|medudvalg|niveau|med niveau)\b.*\b(skal|bor|horer|behandle|tage|drofte)",
    r"^hvilke[tn]? (med )?(udvalg|medudvalg)\b(?! (har|findes|fins|er der|eksisterer)\b)",  # not "hvilke udvalg har vi"
    r"\bhvor skal (sagen|den|det|vi|jeg|sag|en sag|sådan en sag|sadan en sag)\b.*\b(behandles|drof|tages|hen)",
    r"\bhvem i med (skal|bor|ma|kan) (have|tage|behandle|drofte|se pa)\b",
    r"\bhvem (skal )?behandle[rs]? (sagen|den|det)\b",
    r"\bskal (sagen|den|det) (i|behandles i|drof\w* i) (med|hoved|kommune|afdelings|forvaltnings|lokal|arbejdsplads)",
    r"\bwhich (med )?committee\b",
    r"^(find|find det) (rette|rigtige) (med )?(udvalg|niveau)",
    r"^(rette|rigtige) (udvalg|med udvalg)$",
    # a case described in the user's own words, then the question of where it goes
    r"\bhvem (skal|bor|ma|kan) (drofte|behandle|tage stilling til|tage sig af|se pa)\w* (det|den|sagen|dette|de)\b",
    r"\bhvor (skal|bor) (det|den|sagen|dette|vi|jeg|de) (\w+ )?(behandl\w*|drof\w*|tages|tage \w+|hen|hjemme|op)\b",
    r"\bhvor (horer|hører) (det|den|sagen|dette) (hjemme|til)\b",
    r"\bskal (det|den|sagen|dette|vi tage det|vi tage den) (op )?(i|pa|til|ind i|forbi) (med|medudvalget|hovedmed|kommunemed|forvaltningsmed|afdelingsmed|lokalmed|arbejdspladsmed|med udvalget|personalemodet)\b",
    r"\b(er|horer) (det|den|sagen|dette) (noget )?(for|i|under) med(udvalget)?\b",
    r"\bhvilke[tn]? (med ?)?(udvalg|medudvalg|niveau|med)\b\W*$",
    r"\bskal (vi|de|det|den) med ?behandle\w*\b", r"\bmed ?behandl\w*\b.*\b(hvor|hvilket|hvilken|eller)\b",
    r"^hvem (skal|bor) (drofte|behandle)\w*\b",
    # »hvem skal tage stilling til at vi skal dokumentere på en ny måde«
    r"\bhvem (skal|bor|ma|kan) (sa |saa )?(drofte|behandle|tage stilling til|tage sig af)\w* (at|om|hvordan|hvor|hvilke\w*|hvornar|nar|vores|den nye|det nye|de nye|en ny|et nyt|ny|nyt|nye)\b",
    r"\b(kan|skal|bor|ma) (det|den|sagen|dette|vi det|vi den) (tages|bringes|tage|bringe) op i (med|medudvalget|med udvalget|hovedmed|kommunemed|lokalmed|arbejdspladsmed|afdelingsmed|forvaltningsmed)\b",
    r"^(ok |okay |og |men )*(hvad )?(nu )?hvis (min|vores|en|den|lederen|chefen|direktoren|kommunaldirektoren|afdelingschefen|\w+lederen|\w+chefen) (\w+ )?(leder |chef )?(vil|skal|har|beslutter|bestemmer)\b",
    r"\bhvilke[tn]? med (udvalg )?(skal|bor|horer)\b",
    r"\bhvem skal (vi|jeg) (ga|henvende \w+) til (med|i) (det|den|sagen)\b",
    r"\b(which|what) (med )?(committee|level)\b",
    r"\bkan vi (bare )?tage (det|den) (pa|i) (personalemodet|lokalmed|med)\b",
    r"\b(kan|skal|bor|ma) (vi|jeg|man) (tage|bringe) (en |et |vores |min )?\w+ op i (med|\w+med|med ?udvalget|personalemodet)\b",
    # »skal ændring af åbningstider i borgerservice behandles i MED? og hvor«
    r"^(og |men |ok |okay )*skal (\w+ ){1,8}(behandles|drof\w*|tages op|op) i med\b(?! udvalget (selv|altid))",
    # »skal en bestemt kollegas sygefravær diskuteres hos os i lokalmed?«
    r"^(og |men |ok |okay )*skal (\w+ ){1,8}(behandles|drof\w*|diskuteres|tages op) (hos os |her )?i (\w+med|med ?udvalget)\b",
    r"\bi med\W+(og )?(hvor|hvilket udvalg|i hvilket udvalg)\W*$",
)
_IDEA = _rx(
    r"\b(ny|god|godt?|en) ide\b",
    r"\bden gode ide\b",
    r"\bgod ide til\b",
    r"\b(har|fik) (en|et) (ide|forslag)\b",
    r"\b(forslag|ide|ideer) til (budget|budgettet|besparelse)",
    r"\bindsend\w* (en |min |mit |vores )?(ide|forslag)",
    r"\bbudget ?(ide|forslag)\b",
    r"\bnew idea\b|\bbudget idea\b",
    r"^ide$|^forslag$",
    r"^(fortsat|genoptag)\w* (med )?(min )?ide\b",
    r"^(og )?(en|et) (ide|forslag) (til|mere)$",
    r"^(opret|lav|start|skriv|indsend|send) (en |et |min |mit )?(ny |nyt )?(ide|forslag|budgetide)\b",
    r"\bforesla\w*\b.*\b(budget\w*|besparelse\w*|spare\w*)\b",
    r"^(jeg )?(vil|ville) gerne (foresla|komme med|sende|indsende|give)\w* (en |et |mit |min )?(ide|forslag|input)\b",
    # »vi vil gerne sende en fælles idé fra hele biblioteket om …«
    r"\b(sende|indsende|aflevere|komme med) (en |et |vores |min |mit )?(\w+ )?(ide|budgetide|spareide)\b(?! (om|til) (hvordan|hvem|hvor)\b)",
)
# »kommunaldirektøren vil indstille budgetforslag om …«: a leader's decision (a case), not an idea
_LEADER_DECIDES = re.compile(
    r"\b(\w*direktor\w*|\w*chef\w*|\w*leder\w*|ledelsen|direktionen|kommunalbestyrelsen|byradet|borgmester\w*)\b"
    r".*\b(vil|skal|har besluttet|beslutter|bestemmer|indstill\w*|foreslar|foreslaet)\b"
)
_BUDGET_PROPOSAL = re.compile(r"\bbudget ?forslag\w*\b")
# »ny sag:«, »glem det, anden sag:«, »new case:« before a case in the user's words
# »ok,«, »nej vent,«, »glem det,« before a new case or question
_ASIDE = r"^\s*(?:(?:ok|okay|nej|vent|hov|glem det|glem det igen|stop|annuller|forresten|btw)[,.!:;–-]*\s+)*"
_NEW_CASE_MARK = re.compile(
    _ASIDE +
    r"(?:ny sag|en ny sag|anden sag|en anden sag|new case|another case|og en anden sag)\s*[:,.–-]\s*",
    re.IGNORECASE,
)


# »lige et spm:«, »glem det, andet spørgsmål –«, »quick q:« before a question or a case
_QUESTION_MARK = re.compile(
    _ASIDE +
    r"(?:det er (?:egentlig |faktisk |nu )?)?"
    r"(?:lige\s+)?(?:et\s+|en\s+)?(?:andet\s+|nyt\s+|helt\s+andet\s+|hurtigt\s+|kort\s+|lille\s+)?"
    r"(?:spm|sp(?:ø|o|oe)rgsm(?:å|aa|a)l|quick q|question|q|andet|noget andet|en anden ting)\s*[:–-]\s*",
    re.IGNORECASE,
)


def strip_question_mark(text: str) -> str:
    """The question or case without a leading »lige et spm:« / »andet spørgsmål –«."""
    found = _QUESTION_MARK.match(text)
    if found is None or found.end() >= len(text.rstrip()):
        return text
    return text[found.end():].strip()


_CANCEL_FIRST = re.compile(r"^\s*(?:(?:ok|okay|nej|hov)[,.!]?\s+)*(?:glem det|drop det|annuller|stop)\b", re.IGNORECASE)


def cancels_first(text: str) -> bool:
    """»glem det, andet spm: …«: the running conversation is dropped before the new question."""
    return _CANCEL_FIRST.match(text) is not None


def strip_new_case_mark(text: str) -> str:
    """The case without a leading »ny sag:« / »glem det, anden sag:«."""
    found = _NEW_CASE_MARK.match(text)
    return text[found.end():].strip() if found is not None and found.end() < len(text.rstrip()) else text


# »og en til: kortere møder i ledergruppen«: another idea, with its title
_ANOTHER_ONE = re.compile(r"^\s*(og\s+)?(en|et)\s+(id[ée]\s+|forslag\s+)?(til|mere)\s*[:–-]\s*\S")
_REMINDER = _rx(
    r"^minde? (mig|os)\b",
    r"\b(en|ny|have en|lave en|sat en|saet en|oprette en) (pamindelse|paamindelse|reminder) (om|til|pa)\b",
    r"\bkan du minde (mig|os)\b",
    r"\b(husk|pamind) (mig|os)\b",
    r"^(ny|lav|opret|sat|saet) (en )?(pamindelse|paamindelse)",
    r"^remind me\b",
    # »kan du sætte en påmindelse op for mig«, »jeg skal have sat en påmindelse«
    r"\b(sat|saet|satte|saette|lave|lav|oprette|opret|have|fa|lægge|laegge|lagge) (mig )?(en|lige en|sat en|lavet en) (pamindelse|paamindelse|reminder)\b",
    r"\b(pamindelse|paamindelse|reminder) (op )?(for|til) (mig|os)\b",
    r"\b(set|make|create|add) (me )?a reminder\b",
)
# »Påmindelse: udsende dagsorden … onsdag kl. 9«, »og en mere: mind mig om …« (read before folding,
# which drops the colon)
_REMINDER_MARKED = re.compile(
    r"^\s*(?:påmindelse|paamindelse|pamindelse|reminder)\s*:\s*\S|[:;,.!]\s*minde?\s+(?:mig|os)\s+om\b", re.IGNORECASE
)
_SUBSCRIBE = _rx(
    r"^abonn?er\w*\b", r"^tilmeld\w* (mig )?(pa |til )?\S", r"^subscribe\b",
    # »kan kanalen abonnere på KommuneMEDs mødeplan?«, »vil gerne abonnere på budgetfristerne«
    r"^(kan|ma|vil|skal) (jeg|vi|kanalen|teamet|gruppen|du)( \w+)? abonn?er\w* (pa|til) \S",
    # »kan jeg få besked, når der er budgetfrister?«
    r"\b(fa|have) (en )?(besked|beskeder|varsel|notifikation\w*|pamindelse\w*|reminders?)\b.*\b(frist\w*|budgetfrist\w*|deadline\w*|mode\w*|modedato\w*)\b",
)
# »hvem er du«, »hvad er du for en«: the help text says who the bot is
_WHO_ARE_YOU = re.compile(r"^(hej |hey |hi )?(hvem er du|hvad er du|hvad er du for en\w*|who are you|what are you)\b")
_UNSUBSCRIBE = _rx(
    r"^(stop|afmeld\w*|fraval\w*) (abonnement|pamindelser om|nudges|moder|deadlines)",
    r"^afmeld\w* \S",
    r"^unsubscribe\b",
)
# Managing existing reminders: "udsæt 1 time", "flyt 2 til fredag kl 10", "slet påmindelse 3".
_REMINDER_MANAGE = _rx(r"^(udsat|snooze)\b", r"^(flyt|slet|fjern)( pamindelse\w*)?( nr)? \d+\b")
# Asking for the list in other words: "hvad har jeg af reminders", "hvilke påmindelser har jeg".
_REMINDER_LIST = _rx(
    r"^(vis|se|list)( mig)?( alle)?( mine)? (pamindelser\w*|reminders?)$",
    r"^(hvad har jeg af (pamindelser|reminders?)|hvilke (pamindelser|reminders?) har jeg)\b",
    r"^har jeg (nogen|nogle) (pamindelser|reminders)\b",
    # »vis liste over mine påmindelser«, »se en oversigt over mine reminders«
    r"^(vis|se|giv)( mig)? (en |min )?(liste|oversigt) (over|med) (alle )?(mine )?(pamindelser|reminders?|remindere)$",
)
# "tak alle", "super, tak for svaret", "mange tak for det": thanks in more words
_THANKS = re.compile(
    r"^((ok|okay|super|fint|godt|perfekt|dejligt|nice) )*(mange |tusind |1000 |kaempe |kampe )?(tak|thanks|thank you|thx)"
    r"( (alle|allesammen|alle sammen|i|jer|du|skal du have|skal du ha|skal du hav|skal i have|skal i ha|igen|bot|medbot|so much|a lot"
    r"|for (hjalpen|det|svaret|svarene|info|infoen|informationen|nu|idag|i dag|help|the help)))*$"
)
# A short message that ends (or starts) with a cancel word: "ups nej annuller", "annuller det".
_CANCEL_TAIL = re.compile(
    r"^(\w+ ){0,3}(annuller|annuler|anuller|afbryd|fortryd|cancel)( det| alt| den| idéen| ideen)?$|^(nej )?stop( det| nu)?$"
    r"|^(ok |okay |nej |ah |na |hov |nah )*(glem det|drop det|lad vaere|lad vare)( bare| igen| alligevel| nu)?$|^never ?mind$"
    # »hmm glem det«, »nej vent glem det«, »ah du ved hvad glem det bare«
    r"|^(\w+ ){0,4}(glem det|drop det)( bare| igen| alligevel| nu| helt)?$"
    # »hov det er vist ikke en spare ide.. annuller«, »nej vent annuller det hele, jeg taler med min leder først«
    r"|^(\w+ ){0,8}(annuller|afbryd|cancel)( det| det hele| alt| alt sammen| den)?$"
    r"|^(nej |hov |vent |ups |ok |okay )+(annuller|afbryd|cancel|stop)( det| det hele| alt| alt sammen)?\b(?! (min|mine|pamindelse\w*|abonnement\w*|ide\w*)\b)"
)
# "nej stop, jeg vil hellere spørge min leder først": a cancel word, a comma, then why.
_CANCEL_HEAD = re.compile(
    r"^\s*(?:(?:nej|nej tak|ups|ok|okay|hmm+|hm|vent|hov|ah|arh)[,.]?\s+){0,3}[,.]?\s*"
    r"(?:stop|annuller|afbryd|glem det|drop det|fortryd)(?:\s+(?:det|den|ideen|idéen|idean|pamindelsen|påmindelsen|det hele|bare))?\s*[,.!–—-]",
    re.IGNORECASE,
)
def _cancels_with_reason(text: str) -> bool:
    """»nej stop, jeg vil hellere …« cancels; »glem det, anden sag: … hvem skal drøfte det« is the new
    request, and »stop, hvad er en AMR?« a question (the router ends the dialog for neither)."""
    head = _CANCEL_HEAD.match(text)
    if head is None:
        return False
    rest = text[head.end():]
    return classify(rest).intent is Intent.QUESTION and not looks_like_question(rest)


# »tak det giver mening«, »ok thanks anyway«, »cool thanks«: thanks with a few words and no question
_THANKS_HEAD = re.compile(r"^((ok|okay|cool|super|fint|fedt|godt|nice|great|perfekt|ah|aha) )*(mange |tusind )?(tak|thanks|thank you|thx|takker)\b")
_THANKS_MAX_WORDS = 6


def _thanks_and_a_word(text: str, folded: str) -> bool:
    return (
        _THANKS_HEAD.match(folded) is not None
        and len(folded.split()) <= _THANKS_MAX_WORDS
        and "?" not in text
        and not looks_like_question(_THANKS_HEAD.sub("", folded).strip() or "-")
        and not re.search(r"\b(men|but|hvad|hvem|hvor\w*|kan|skal|what|who|how|when|why|where)\b", folded)
    )


_LEADING = re.compile(
    r"^((ok|okay|okey|og|sa|super|fint|godt|nej|ja|tak|btw|forresten|lige|hov|ah) )*"
    r"((hej|hejsa|hey|hi|hallo)( med ?bot)?\b\s*)?((jeg vil gerne|jeg vil|kan du|kan jeg|vil du)\s+)?"
)


_POLITE_TAIL = re.compile(r"(?:\s+(?:pls|plz|please|tak|lige|tack|thx|thanks|du))+$")


# »hvordan finder man ud af hvilket MED udvalg en sag hører til her i albertslund«: how, with no case of its own
_HOW_TO_FIND = re.compile(
    r"^(hvordan|how) (\w+ ){0,3}?(finder|finde|ved|vide|afgor|afgore|bestemmer|bestemme|find|know|decide) "
    r"(\w+ ){0,3}?(hvilket|hvilke|hvilken|which) (med ?)?(udvalg|medudvalg|niveau|committee|level)\b"
    r"(?P<rest>.*)$"
)
_GENERIC_CASE_WORDS = frozenset(
    "en et sag sagen sager sagerne horer hører til her i hos os vi jeg man skal behandles drøftes droftes der det den "
    "hjemme albertslund jammerbugt kommune kommunen a case goes belongs to should handle it".split()
)


def _asks_how_to_find_the_committee(folded: str) -> bool:
    found = _HOW_TO_FIND.match(folded)
    return found is not None and set(found.group("rest").split()) <= _GENERIC_CASE_WORDS


def classify(text: str) -> Classified:
    """Classify one user message."""
    folded = fold(text)
    if not folded:
        return Classified(Intent.QUESTION, "")
    bare = _POLITE_TAIL.sub("", folded) or folded  # »mine påmindelser pls«
    for intent, words in _EXACT.items():
        if folded in words or bare in words:
            return Classified(intent, "")
    if _THANKS.match(folded) or _thanks_and_a_word(text, folded):
        return Classified(Intent.THANKS, "")
    new_case = _NEW_CASE_MARK.match(text)
    if new_case is not None and new_case.end() < len(text.rstrip()):
        # »glem det. ny sag: skolelederen har besluttet …«, »new case: my manager wants …«
        return Classified(Intent.CASE_LEVEL, text[new_case.end():].strip())
    asked = strip_question_mark(text)
    if asked != text:
        return replace(classify(asked), marked=True)
    if _WHO_ARE_YOU.match(folded):
        return Classified(Intent.HELP, "")
    if _CANCEL_TAIL.search(folded) or _cancels_with_reason(text):
        return Classified(Intent.CANCEL, "")  # "ups nej annuller", "nej stop det"
    if parse_idea_command(text) is not None:
        return Classified(Intent.IDEA_LIST, text)
    stripped = _LEADING.sub("", folded).strip() or folded
    if _UNSUBSCRIBE.search(stripped):
        return Classified(Intent.UNSUBSCRIBE, text)
    if _SUBSCRIBE.search(stripped):
        return Classified(Intent.SUBSCRIBE, text)
    if _REMINDER_MANAGE.search(stripped) or _REMINDER_LIST.search(stripped) or parse_manage_command(text) is not None:
        return Classified(Intent.REMINDER_LIST, text)
    if _REMINDER.search(stripped) or _REMINDER_MARKED.search(text):
        return Classified(Intent.REMINDER_NEW, text)
    if is_personal_matter(text):
        return Classified(Intent.PERSONAL, text)
    if _CASE_LEVEL.search(stripped) and not _asks_how_to_find_the_committee(stripped):
        return Classified(Intent.CASE_LEVEL, text)
    if _ANOTHER_ONE.match(text.lower()) or (
        _IDEA.search(stripped)
        and not _is_question_about_ideas(stripped)
        and not _asks_about_ideas(text)
        and not _leader_proposes(stripped)
    ):
        return Classified(Intent.IDEA_NEW, text)
    return Classified(Intent.QUESTION, text)


def _leader_proposes(folded: str) -> bool:
    """»kommunaldirektøren vil indstille budgetforslag om færre ledere«: the budget proposal is a
    leader's, so the message is a case, not the user's own idea."""
    if not _BUDGET_PROPOSAL.search(folded) or not _LEADER_DECIDES.search(folded):
        return False
    return _IDEA.search(_BUDGET_PROPOSAL.sub("", folded)) is None


_QUESTION_ABOUT = re.compile(
    r"^(hvad|hvem|hvor(dan|nar|for)?|hvilke|hvornar|nar|skal|ma|bor|gaelder|galder|what|who|how|why|should|does)\b|\?"
)


def _is_question_about_ideas(folded: str) -> bool:
    """'Hvad er Den gode idé?' asks about the process; it does not start a submission."""
    return bool(_QUESTION_ABOUT.search(folded)) and not _HAS_AN_IDEA.search(folded)


# »vi har lige fået en god idé«, »jeg har en ide til budgettet«: the user brings an idea
_HAS_AN_IDEA = re.compile(
    r"\b(har|fik|faet|haft) (lige )?(faet )?(en|et|nogle|flere|to|tre) (\w+ )?(ide|ideer|forslag|budgetide\w*)\b"
    r"|\bkan du (tage imod|modtage|sende)\b"
    r"|\b(vil|ville|skal) (gerne |godt )?(indsende|sende|aflevere|komme med)\b"
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;:])\s+")
# A question sentence about the idea process: »Er det obligatorisk for LokalMED at arbejde med Den
# gode idé?«, »hej, jeg er ny her. hvad er den gode ide for noget?«
_ASKS_ABOUT_IDEAS = re.compile(
    r"^(er|findes|gives|bliver|hvad|hvem|hvor\w*|hvilke\w*|hvornar|nar|gaelder|galder|taeller|taller)\b"
)


def _asks_about_ideas(text: str) -> bool:
    """A sentence asking about the idea process (ending in »?«) rather than bringing an idea."""
    if _HAS_AN_IDEA.search(fold(text)):
        return False
    sentences = _SENTENCE_BREAK.split(text.strip())
    for sentence in sentences:
        folded = fold(sentence)
        if sentence.rstrip().endswith("?") and _ASKS_ABOUT_IDEAS.match(folded) and _IDEA.search(folded):
            return True
    # »i jammerbugt har de noget der hedder den gode idé. hvad så med hos os?«: asked about what was just told
    last = sentences[-1].rstrip()
    return len(sentences) > 1 and last.endswith("?") and _ASKS_ABOUT_IDEAS.match(fold(last)) is not None
