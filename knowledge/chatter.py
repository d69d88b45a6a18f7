"""The shape of a message, before anybody tries to answer it (pure functions).

* :func:`is_trivial`: punctuation only, emoji only, a filler ("hmm") or keyboard mash
  ("asdfg"). Such input gets a short friendly reply and is never logged as an
  unanswered question.
* :func:`is_ack`: "ok", "fint", "👍": the user agrees or is done.
* :func:`looks_like_question`: "?" at the end, or a first word that asks
  ("hvad", "hvem", "kan", "skal", "what", ...).
* :func:`is_english` / :func:`asks_for_english`: the bot answers in Danish and says
  so (once) to people who write English.
* :func:`is_personal_matter`: harassment, bullying and the like, about the writer or
  a colleague. That is not a case for a MED committee (seed 002: MED does not handle
  personalesager); the bot points to the leader, the AMR and the TR instead.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge.normalize import fold

__all__ = [
    "asks_for_english",
    "drawn_out",
    "is_chit_chat",
    "is_ack",
    "is_english",
    "is_personal_matter",
    "personal_harm",
    "is_trivial",
    "looks_like_question",
]

# --- drawn-out words -----------------------------------------------------------------

# »jaaa send«, »neeej«, »okkk«, »taaak«: the short words people stretch
_STRETCHED = frozenset("ja nej jo ok okay tak send yes no nope super fint".split())
_RUN = re.compile(r"(.)\1{2,}")


def drawn_out(text: str) -> str:
    """``text`` with stretched short words written plainly (»jaaa send« -> »ja send«); a short
    message only, and only words that become one of the few answers people stretch."""
    words = text.split()
    if not words or len(words) > 4:
        return text
    changed = []
    for word in words:
        plain = _RUN.sub(r"\1", word)
        core = plain.strip(".,!?").lower()
        if plain != word and (core in _STRETCHED or _RUN.sub(r"\1\1", word).strip(".,!?").lower() in _STRETCHED):
            changed.append(plain if core in _STRETCHED else _RUN.sub(r"\1\1", word))
        else:
            changed.append(word)
    return " ".join(changed)


# --- trivial input ------------------------------------------------------------------

_FILLERS = frozenset(
    "hmm hm hmmm mm mmm mhm oh eh ehm ohm uh um ah aha ahh na nå nja tja hva huh hvad hæ hæh what".split()
) | frozenset(
    fold(p)
    for p in (
        "hvad mener du", "hvad siger du", "hvad sagde du", "hvad mente du", "hvad for noget", "what do you mean",
        "i don't understand", "forstår ikke", "det forstår jeg ikke", "jeg forstår ikke",
    )
)
_ACK = frozenset(
    {"ok", "okay", "okey", "oki", "okidoki", "fint", "fino", "super", "godt", "cool", "perfekt", "fedt", "sejt", "top", "nice", "great", "ok fint", "ok godt", "det er fint"}
)
_ACK_SYMBOLS = frozenset({"👍", "👌", "🙂", "😊", "😀", "✅", "🙏", "👏", "💪", "🆗", "☺", "☺️", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"})
_VOWELS = frozenset("aeiouyæøå")
# Runs along a keyboard row (and back): "asdf", "hjkl", "qwer".
_ROWS = ("qwertyuiopå", "asdfghjklæø", "zxcvbnm")
_MASH_RUNS = tuple(
    run
    for row in _ROWS
    for i in range(len(row) - 3)
    for run in (row[i : i + 4], row[i : i + 4][::-1])
    # English words with such runs ("property", "liberty") are not mash.
    if row[i : i + 4] not in ("wert", "erty", "rtyu")
)
_MASH_MIN, _MASH_MAX = 4, 20  # a long run of one letter is a test string, not mash
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _is_mash_word(word: str) -> bool:
    word = word.lower()
    if not _MASH_MIN <= len(word) <= _MASH_MAX or not word.isalpha():
        return False
    if any(run in word for run in _MASH_RUNS):
        return True
    if not any(ch in _VOWELS for ch in word):
        return True  # no Danish word of four letters or more lacks a vowel
    if len(set(word)) == 1:
        return True  # "aaaa"
    if len(word) >= 7 and set(word) <= set(_ROWS[1]):
        return True  # "asdkjhasd": every letter from the home row (the top row spells "property")
    return len(word) >= 6 and len(set(word)) <= 2  # "asasas", "dfdfdf"


# »sorry kat på tastaturet 😅«, »undskyld, tastefejl«: an apology for the message before, nothing to answer
_APOLOGY = re.compile(r"^(sorry|sori|undskyld|beklager|ups|oops|hov|haha|hehe|lol)\b")
_APOLOGY_MAX_WORDS = 6


def is_ack(text: str) -> bool:
    """"ok", "fint", "👍", "sorry, tastefejl": agreement or an apology without content."""
    stripped = "".join(ch for ch in text.strip() if not unicodedata.category(ch).startswith("Z"))
    if stripped and all(ch in "".join(_ACK_SYMBOLS) or unicodedata.category(ch) in ("Mn", "Sk", "Cf") for ch in stripped):
        return True
    folded = fold(text)
    if _APOLOGY.match(folded) and len(folded.split()) <= _APOLOGY_MAX_WORDS and not _asks(text):
        return True
    return folded in _ACK


def _asks(text: str) -> bool:
    """A question mark or an asking word anywhere (»sorry, hvad er en AMR«)."""
    return "?" in text or any(w in _ASKING_WORDS for w in fold(text).split()[1:])


def is_trivial(text: str, *, fillers: bool = True) -> bool:
    """Nothing to answer: punctuation or emoji only, an ack, keyboard mash or (``fillers``) "hmm".

    Empty text is not trivial: it is no message at all (the handler answers it).
    """
    if not text.strip():
        return False
    if not _letters(text):
        return True  # "?", "!!", "👍", "...", "🙂🙂"
    if is_ack(text):
        return True
    folded = fold(text)
    if folded in _FILLERS or re.fullmatch(r"(h+m+|m+h?m+|o+h+m*|e+h+m*)", folded or "-"):
        return fillers
    words = _WORD.findall(text)
    if not words or any(ch.isdigit() for ch in text):
        return False
    return all(_is_mash_word(w) for w in words)


# --- questions --------------------------------------------------------------------

_ASKING_WORDS = frozenset(
    fold(w)
    for w in (
        "hvad hvem hvor hvordan hvornår hvorfor hvilken hvilket hvilke hvis hvorledes hvormange "
        "kan kan man må skal er har gælder findes bør får giver hedder betyder behøver "
        "what who whom whose where when why which how can could is are do does should would will may"
    ).split()
)


def looks_like_question(text: str) -> bool:
    """"?" at the end, or an asking first word ("hvad", "kan", "what")."""
    if text.strip().endswith("?"):
        return True
    words = fold(text).split()
    while len(words) > 2 and words[0] in _LEAD_INS:
        words = words[1:]  # "og hvad er en AMR", "men hvem bestemmer"
    return bool(words) and words[0] in _ASKING_WORDS and len(words) >= 2


_LEAD_INS = frozenset({"og", "men", "ok", "okay", "btw", "forresten", "hov", "sa", "and", "but", "so"})


# --- English ----------------------------------------------------------------------

_ENGLISH = frozenset(
    "the what whats is are how does do can could you your my about who where when which should "
    "this that with please an of in on we our need want would there speak english tell explain "
    "meeting meetings committee committees idea ideas remind reminder help me am i'm it's don't "
    "work workplace manager colleague union representative".split()
)
_DANISH = frozenset(
    fold(w)
    for w in (
        "og er en et det hvad hvordan jeg du min mig har kan skal til på af med om ikke hvem hvor hvilke "
        "hvilket hvilken vi vores den de der som at mit sin man hvis eller så også kun lige være bliver"
    ).split()
)
_ENGLISH_ASK = re.compile(
    r"\b(speak|talk|write|answer|reply|respond|understand|use|in|know|switch to)\b.*\benglish\b"
    r"|\benglish\b.*\b(please|pls|possible|ok)\b|^english\W*$"
    r"|\b(tale|taler|skrive|skriver|svare|svarer|forstar|kan du)\b.*\bengelsk\b|^(pa )?engelsk\W*$"
)


def _english_words(text: str) -> list[str]:
    return re.findall(r"[a-zæøå']+", text.lower())


def is_english(text: str) -> bool:
    """True when ``text`` reads as English rather than Danish."""
    words = _english_words(text)
    english = sum(1 for w in words if w in _ENGLISH)
    danish = sum(1 for w in words if fold(w) in _DANISH and w not in _ENGLISH)
    return english >= 2 and english > 2 * danish


def asks_for_english(text: str) -> bool:
    """"can you speak english", "do you speak English?", "taler du engelsk"."""
    return bool(_ENGLISH_ASK.search(fold(text)))


# --- personal matters -------------------------------------------------------------

_HARM = re.compile(
    r"\b(chikan\w*|mobb\w*|mobning\w*|kr[a]nk\w*|udskald\w*|overgreb\w*|trusl\w*|truer|truet|"
    r"diskrimin\w*|harass\w*|bull(y|ies|ied|ying)|sexchikane|seksuel\w* chikane|raber ad mig|raber af mig|"
    r"slar mig|slog mig|sparkede mig|vold mod mig|udsat for vold|ubehagelig\w* (overfor|over for|mod) mig|"
    r"sarkastisk\w*|nedladende|uforskammet \w* mig)\b"
)
_ABOUT_A_PERSON = re.compile(r"\b(mig|jeg|min|mit|mine|os|kollega\w*|me|i|my|colleague\w*)\b")
# Guidelines and policies on harassment are MED business, not one person's matter ...
_GUIDELINE = re.compile(
    r"\b(retningslinje\w*|politik\w*|regler|reglerne|procedure\w*|aftale\w*|apv|trivselsmal\w*|policy|guideline\w*)\b"
)
# ... and a message that names MED or a committee is better read by the case dialog.
# ("med" as the preposition, »uvenner med en kollega«, is no MED.)
_POLICY = re.compile(
    _GUIDELINE.pattern
    + r"|\bmed\b(?! (en|et|min|mit|mine|to|kollega\w*|mig|os|dig|ham|hende|dem|vores|de|det|den|at"
    + r"|sine|sin|sit|nogle|noget|grim\w*|grov\w*|dum\w*|ubehagelig\w*|nedladende|kommentar\w*|bemarkning\w*|sarkas\w*|ondskab\w*"
    # »kan MED hjælpe mig?« after the story asks for help with it, not about a policy
    + r"|hjaelp\w*|hjalp\w*|gore|goere|gora|help)\b)"
    + r"|\b(medudvalg\w*|udvalg\w*|arbejdsmiljogruppe\w*)\b"
)


# One person's conflict with a colleague, in the words people use for it (seed 002: MED does
# not handle personalesager; the leader, the AMR and the TR are the ones to go to).
_CONFLICT = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
    r"\b(chikaner\w*|mobb\w*|kraenk\w*|krank\w*|truer|truet|raber ad|nedladende|generer|harass\w*|bull(y|ies|ied|ying)|degrading|insult\w*)\b.*\b(mig|me|min kollega|my colleague)\b",
    r"\b(kollega|kollegaen|kollegerne|kolleger|colleague|coworker|co-worker)\b.*\b(chikaner\w*|mobb\w*|kraenk\w*|krank\w*|truer|raber|nedladende|generer|harass\w*|bull\w*|degrading|insult\w*|konflikt\w*|uvenner|uenig med mig)\b",
    r"\b(konflikt|konflikter|problemer|uvenskab)\b (med|mellem) (min|en|mig og min) (kollega|kollegaer|kolleger)\b",
    r"\b(jeg|i) (bliver|er blevet|blev) (chikaneret|mobbet|kraenket|kranket|truet|harassed|bullied)\b",
    r"\b(raber|skald\w*|hidser sig op) (ad|af|pa|over for) mig\b", r"\bsarkastisk\w*\b.*\bmig\b",
    r"\b(kommentarer|bemarkninger|grin) (til|om|ad) mig\b",
    r"\b(kommentarer|bemarkninger|jokes|grin) (om|til|ad) (mit|min|mine) \w+",
    r"\b(talt|taler|snakket|snakker|skrevet|skriver) (grimt|nedladende|nedsattende|ondt|hanligt) (til|om)\b",
    r"\b(bliver|blev|er blevet) (\w+ ){0,3}(taget pa|rabt af|rabt ad|skaldt ud|holdt udenfor|frosset ud|drillet|truet)\b",
    r"\b(kollega\w*|colleague\w*)\b.*\b(grimme?|ondskabsfuld\w*|hader mig|personligt|truende|nasty|mean to me)\b",
    r"\bubehagelig\w* (overfor|over for|mod|ved) mig\b",
    r"\b(comments?|remarks?|jokes?) (about|to|at) me\b", r"\b(yells?|shouts?|screams?) at me\b", r"\bpicks? on me\b",
    r"\buvenner med (en|min|mine|to) (kollega\w*|kolleger\w*)\b", r"\b(vi|jeg og \w+) kan ikke (snakke|tale|arbejde) sammen\b",
        )
    )
)


def personal_harm(text: str) -> str | None:
    """The words that make ``text`` one person's harassment or conflict, if any."""
    folded = fold(text)
    if _GUIDELINE.search(folded):
        return None
    harm = _HARM.search(folded)
    if harm and _ABOUT_A_PERSON.search(folded):
        return harm.group(0)
    conflict = _CONFLICT.search(folded)
    return conflict.group(0) if conflict else None


def is_personal_matter(text: str) -> bool:
    """Harassment, bullying, threats about the writer or a colleague (not a MED policy question)."""
    return personal_harm(text) is not None and not _POLICY.search(fold(text))


# --- chit-chat -------------------------------------------------------------------

# Everyday chat that is plainly not about MED: answered briefly, never logged for the
# MED secretary (the unanswered log is for MED questions the bot missed).
_CHIT_CHAT = re.compile(
    r"\b(vejret|vejr|vejrudsigt\w*|weather|regner det|sner det|hvordan har du det|how are you|hvordan gar det|"
    r"hvem har lavet dig|er du en robot|are you a bot|fortael en vits|fortal en vits|tell me a joke|vittighed)\b"
)


def is_chit_chat(text: str) -> bool:
    """"hvad bliver vejret i morgen", "hvordan har du det": not a MED question."""
    return bool(_CHIT_CHAT.search(fold(text)))
