"""Questions for a specific fact that the best entry does not give.

"Hvem er formand for HovedMED lige nu?", "hvornår er høringen af budget 2027?", "hvad
koster konferencen?": the nearest entry is about the right topic but holds no name,
no date for that year, no amount. Answering with it would read as an answer, so the
search says plainly that it does not know that detail and shows what it can say.

Pure functions on the question and the entry's text; no knowledge of the search.
"""

from __future__ import annotations

import enum
import re
from datetime import date

from knowledge.dates_lexicon import MONTHS
from knowledge.normalize import fold

__all__ = ["KNOWN_MUNICIPALITIES", "Detail", "missing_detail", "named_municipality", "uncovered_topic"]


class Detail(enum.Enum):
    PERSON = "person"
    DATE = "date"
    AMOUNT = "amount"
    PLACE = "place"  # another municipality than the ones the bot knows
    OUTCOME = "outcome"
    DOCUMENT = "document"  # the content of an attachment the material only names
    COUNT = "count"  # how many (members, days) when the answer gives no number of them
    CONTACT = "contact"  # a phone number or an e-mail address the answer does not give
    MUNICIPALITY = "municipality"  # the question names one municipality, the answer is the other's
    ADDRESS = "address"  # a street address the answer does not give


# Asking for the person who holds a role now, here ("hvem er formand for HovedMED lige nu").
_WHO = re.compile(
    r"\b(hvem er|hvem var|hvad hedder|hvem sidder|navn(et)? pa|hvem kan jeg (kontakte|ringe til|skrive til)|who is|who are|whos|name of)\b"
)
_SPECIFIC = re.compile(
    r"\b(lige nu|nu|i ar|vores|vor|min|mit|my|hos os|i jammerbugt|i albertslund|for (hoved|kommune|forvaltnings|afdelings|lokal|arbejdsplads)med"
    r"|i (hoved|kommune|forvaltnings|afdelings|lokal|arbejdsplads)med|(hoved|kommune|forvaltnings|afdelings|lokal|arbejdsplads)meds"
    r"|our|current|currently|right now|here|in jammerbugt|in albertslund"
    r"|(of|in) (the )?(hoved|kommune|forvaltnings|afdelings|lokal|arbejdsplads)med"
    r"|^(hoved|kommune|forvaltnings|afdelings|lokal|arbejdsplads)med)\b"
)
_ROLE = re.compile(
    r"\b(formand\w*|forperson\w*|naestformand\w*|nastformand\w*|sekretar\w*|amr|tr|tillidsrepr\w*|arbejdsmiljorepr\w*"
    r"|kontaktperson\w*|direktor\w*|kommunaldirektor\w*|borgmester\w*|chair\w*|secretary|medlemmer|members|sidder"
    r"|\w*konsulent\w*|vice chair|deputy)\b"
)
# Asking who got or will get a place or a post ("hvem bliver ansat", "hvem fik pladserne").
_WHO_GOT = re.compile(
    r"\bhvem (bliver|blev|fik|far|skal) (ansat|valgt|udpeget|pladserne|plads|pladser|tilbudt|stillingen|jobbet)\b"
    r"|\bwho (got|gets|will get|was hired|will be hired)\b"
)
# »hvem bliver den nye IT-projektleder«, »who will be the new project manager«: a name next to the post
_WHO_NEW = re.compile(r"\bhvem (bliver|blev|skal vaere|skal vare) (den|det|de) (ny|nye)\b|\bwho (will be|is going to be|becomes) (the )?new\b")
_POST_WORDS = re.compile(r"\b(ansat|ansaettes|ansattes|udpeget|udpeges|valgt|vaelges|valges|tiltraede\w*|tiltrade\w*|ny|nye)\b")
_ANSWER_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|\s*•\s*")
_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅ][a-zæøåé]+)+")
_NOT_NAME_WORDS = frozenset(
    fold(w)
    for w in (
        "Albertslund", "Jammerbugt", "Kommune", "Kommunes", "Den", "Det", "De", "Du", "Der", "Hvis", "Når", "MED",
        "Økonomi", "Stab", "Rådhus", "Kontaktudvalget", "Chefforum", "KommuneMED", "HovedMED", "AfdelingsMED",
        "ForvaltningsMED", "LokalMED", "ArbejdspladsMED", "Gælder", "Kilde", "Talent", "Nord", "Odense", "Ballerup",
        "Silkeborg", "Brabrand", "Fredericia", "København", "Danske", "Regioner", "KL", "Offentligt", "Ansattes",
        "Organisationer", "Økonomiudvalget", "Kommunalbestyrelsen", "Kernen", "Sundhedskartellet", "Akademikerne",
    )
)

# Asking when, for a year the entry does not cover.
_YEAR = re.compile(r"\b(20\d\d)\b")
_RELATIVE_YEAR = re.compile(r"\b(i ar|naeste ar|nate ar|nasta ar|naste ar|kommende ar|til ar|this year|next year|iar)\b")
_WHEN = re.compile(r"\b(hvornar|hvilken dato|hvilke datoer|dato|datoer|nar|when|date|dates|tidspunkt|frist|deadline|hvilken dag)\b")

# Asking how much.
_HOW_MUCH = re.compile(r"\b(hvor meget|hvor mange penge|hvor mange kroner|hvad koster|koster|pris|prisen|deltagerpris\w*|belob|kroner|how much|cost|costs|price|fee)\b")
# A price asked for by name needs a number; "what does it cost" is also answered by "it is paid for".
_PRICE = re.compile(r"\b(pris|prisen|deltagerpris\w*|belob|kroner|price|fee)\b")
_AMOUNT = re.compile(r"\d[\d. ]*\s*(kr|kroner|mio|procent|%)|\bgratis\b|\bafholdes af\b|\bingen begraensning\b", re.IGNORECASE)
_FEE_NAMED = re.compile(r"\b(deltagerpris\w*|opkraeves|opkraves|deltagergebyr\w*|gebyr\w*|egenbetaling)\b")
# An amount asked for by size: »hvor stor var puljen«, »hvor stort er beløbet«
_HOW_BIG = re.compile(r"\bhvor (stor|stort|store) (var|er|bliver|blev)\b.*(pulje\w*|belob\w*|budget\w*|ramme\w*|besparelse\w*|tilskud\w*|bevilling\w*)")
_NUMBER_AMOUNT = re.compile(r"\d[\d. ]*\s*(kr|kroner|mio)", re.IGNORECASE)

# Asking about a municipality the bot has no documents for.
_OTHER_MUNICIPALITY = re.compile(r"\b([a-z]{3,}) kommune(s)?\b")
_NOT_PLACES = frozenset(
    {"albertslund", "jammerbugt", "min", "vores", "din", "jeres", "hele", "den", "en", "anden", "hver", "enkelte", "egen",
     "samme", "ny", "nye", "denne", "vor", "deres", "hans", "hendes", "for", "fra", "til", "af", "ud", "om", "alle",
     "kun", "i", "pa", "ved", "hos"}
)

#: The municipalities the bot has documents for (folded).
KNOWN_MUNICIPALITIES = ("albertslund", "jammerbugt")


def named_municipality(question: str) -> str | None:
    """The one municipality the bot knows that ``question`` names (folded), if exactly one."""
    named = [m for m in KNOWN_MUNICIPALITIES if m in fold(question)]
    return named[0] if len(named) == 1 else None

# Asking how many of something ("hvor mange medlemmer sidder der i HovedMED", "how many days").
_HOW_MANY = re.compile(r"\b(hvor mange|how many|antal(let)? (af )?)\s*(\w+)")
_NUMBER_WORDS = r"(\d+|to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|one|two|three|four|five|six)"

# Asking what an attachment says: the material names attachments but does not contain them.
_DOCUMENT = re.compile(
    r"\bhvad (star|stod|sta|skrev|skriver) (der |de |\w+ ){0,4}(helt konkret |egentlig )?i (\w+ ){0,3}"
    r"(bilag\w*|skabelon\w*|tilbagemelding\w*|mail\w*|orienteringsmail\w*|rollefordeling\w*|retningslinje\w*|vaerktojsbog\w*|varktojsbog\w*)"
    r"|\bindholdet (af|i) (\w+ ){0,2}(bilag\w*|skabelon\w*|tilbagemelding\w*|mail\w*|retningslinje\w*)"
    r"|\bhvilke (skema\w*|skabelon\w*|punkter|afsnit|kapitler|varktoj\w*) (er der|star der|indeholder)\b"
)

# Asking what was decided, after the documents end.
_OUTCOME = re.compile(
    r"\bhvad (besluttede|valgte|vedtog|endte|kom der ud af)|\bhvad blev (der )?(besluttet|valgt|vedtaget)|\bwhat did .* decide\b"
    r"|^(og )?blev (\w+ ){1,8}(godkendt|vedtaget|besluttet|afvist|valgt)\b"
    r"|\bhvilke\w*( \w+){0,3} (valgte|besluttede|vedtog)\b"
)
# "i 2026": the year an event is asked for; "næste møde": the next one after today.
_EVENT_YEAR = re.compile(r"\b(i|in|for) (20\d\d)\b")
_NEXT_EVENT = re.compile(r"\b(naste|nate|next) (\w+ )?(mode|moder|modet|gang|meeting|hold|holdet|kursus|forlob|runde|course)\b")

# Asking for a street address (»hvilken adresse«), and an answer that gives one (»Toftevej 43«).
_ADDRESS = re.compile(r"\b(adresse|adressen|address)\b")
_STREET = re.compile(r"\b\w+(vej|gade|alle|allé|plads|torv|stræde|straede|boulevard)\s+\d+", re.IGNORECASE)

# Asking for a phone number or an e-mail address.
_PHONE = re.compile(r"\b(tlf\w*|telefon\w*|mobil\w*|mobilnummer|phone|ringe til)\b")
_EMAIL = re.compile(r"\b(mail\w*|e ?mail\w*|mailadresse\w*|email address)\b")
_EMAIL_ASKED = re.compile(r"\b(hvad er|hvilken|hvad|adresse\w*|what is|whats)\b")
_PHONE_NUMBER = re.compile(r"(?:\+45\s?)?\b\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b")
_DECISION_WORDS = re.compile(r"\b(besluttede|besluttet|godkendt|godkendes|vedtaget|valgte|onsker|droftet|droftede|blev)\b")


# Elections to a committee: the material says who sits in MED, never when or how they are elected.
_ELECTION_ASKED = re.compile(r"\b(valg|valget|valgene|valgperiode\w*|election\w*|stille op|opstilling)\b")
_ELECTION_IN_ANSWER = re.compile(r"\b(valg|valget|valgt|valgte|vælges|valgperiode\w*|stiller op)\b", re.IGNORECASE)


def uncovered_topic(question: str, answer: str) -> bool:
    """A question about something the answer's topic never covers (»hvornår er der valg til LokalMED«
    answered by an entry that merely shares a stem: »Økonomiudvalget vælger …«)."""
    return bool(_ELECTION_ASKED.search(fold(question))) and not _ELECTION_IN_ANSWER.search(answer)


def missing_detail(
    question: str, answer: str, today: date | None = None, municipality: str | None = None
) -> Detail | None:
    """The kind of specific fact ``question`` asks for that ``answer`` does not contain.

    ``municipality``: the one municipality the answer is about (None: general)."""
    folded = fold(question)
    if municipality and (named := named_municipality(question)) is not None and named != fold(municipality).split()[0]:
        return Detail.MUNICIPALITY  # »hvem er kontaktperson for den gode idé i Albertslund« -> Jammerbugt's entry
    if _DOCUMENT.search(folded):
        return Detail.DOCUMENT
    if _PHONE.search(folded) and not _PHONE_NUMBER.search(answer):
        return Detail.CONTACT
    if _EMAIL.search(folded) and _EMAIL_ASKED.search(folded) and "@" not in answer:
        return Detail.CONTACT
    if _ADDRESS.search(folded) and not _EMAIL.search(folded) and not _STREET.search(answer):
        return Detail.ADDRESS
    if _WHO.search(folded) and _ROLE.search(folded) and _SPECIFIC.search(folded) and not _has_name(answer):
        return Detail.PERSON
    if _WHO_GOT.search(folded) and not _has_name(answer):
        return Detail.PERSON
    if _WHO_NEW.search(folded) and not any(
        _POST_WORDS.search(fold(sentence)) and _has_name(sentence) for sentence in _ANSWER_SENTENCE.split(answer)
    ):
        return Detail.PERSON
    if _WHEN.search(folded) or _YEAR.search(folded):
        asked = {int(y) for y in _YEAR.findall(folded)}
        known = {int(y) for y in _YEAR.findall(answer)}
        if _RELATIVE_YEAR.search(folded) and today is not None:
            asked |= {today.year + (1 if re.search(r"naeste|nate|nasta|naste|kommende|next", folded) else 0)}
        if asked and known and not asked & known and _WHEN.search(folded):
            return Detail.DATE
        event = _EVENT_YEAR.search(folded)
        if event and known and int(event.group(2)) not in known and _WHEN.search(folded):
            return Detail.DATE
        if _NEXT_EVENT.search(folded) and today is not None and not any(d >= today for d in _dates_in(answer)):
            return Detail.DATE
    if _HOW_MUCH.search(folded) and not (_NUMBER_AMOUNT if _PRICE.search(folded) else _AMOUNT).search(answer):
        return Detail.AMOUNT
    if _HOW_MUCH.search(folded) and _FEE_NAMED.search(fold(answer)) and not _NUMBER_AMOUNT.search(answer):
        return Detail.AMOUNT  # »der opkræves en deltagerpris«: there is a price, but not how much
    if _HOW_BIG.search(folded) and not _NUMBER_AMOUNT.search(answer):
        return Detail.AMOUNT  # »hvor stor var omstillingspuljen«
    many = _HOW_MANY.search(folded)
    if many and not _counts(many.group(4), fold(answer)):
        return Detail.COUNT
    for found in _OTHER_MUNICIPALITY.finditer(folded):
        if found.group(1) not in _NOT_PLACES:
            return Detail.PLACE
    outcome = _OUTCOME.search(folded)
    if outcome and not _decided_by_subject(folded[outcome.end():], fold(answer)):
        return Detail.OUTCOME
    return None


def _counts(noun: str, answer: str) -> bool:
    """Does the answer give a number of ``noun`` ("3 dage", "to repræsentanter")?"""
    stem = re.escape(noun[: max(3, len(noun) - 3)])
    # (»12 30 i modelokale 820« is a time and a room, not a number of meetings)
    return re.search(rf"\b{_NUMBER_WORDS}\s+(\w+\s+)?\w*{stem}\w{{0,4}}\b", answer) is not None


def _has_name(answer: str) -> bool:
    for found in _NAME.finditer(answer):
        words = [fold(w) for w in re.split(r"[ -]", found.group(0))]
        if sum(1 for w in words if w not in _NOT_NAME_WORDS) >= 2:
            return True
    return False


_FILLER = frozenset({"sa", "der", "egentlig", "saa", "i", "pa", "om", "til", "de", "den", "det"})


def _decided_by_subject(after_verb: str, answer: str) -> bool:
    """"hvad besluttede økonomiudvalget …": does the answer say what that body decided?"""
    words = [w for w in after_verb.split() if w not in _FILLER][:2]
    if not words:
        return bool(_DECISION_WORDS.search(answer))
    subject = words[0]
    for found in re.finditer(re.escape(subject[: max(4, len(subject) - 3)]), answer):
        if _DECISION_WORDS.search(answer[found.start() : found.start() + 80]):
            return True
    return False


_DATE = re.compile(r"\b(\d{1,2})\.? (" + "|".join(MONTHS) + r") (20\d\d)\b")


def _dates_in(answer: str) -> list[date]:
    """The full dates ("26. august 2025") an answer names."""
    found = []
    for day, month, year in _DATE.findall(answer.lower()):
        try:
            found.append(date(int(year), MONTHS.index(month) + 1, int(day)))
        except ValueError:
            continue
    return found
