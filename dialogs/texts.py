"""Every Danish sentence MED-bot says, in one place for review and translation.

Keep sentences short, friendly and in plain Danish ("du"-form, as in the seeds).
Functions are used where a sentence takes values; constants otherwise. Sections are
marked so that each conversation's texts stay together.
"""

from __future__ import annotations

# --- general ---------------------------------------------------------------

BOT_NAME = "MED-bot"

WELCOME = (
    "Hej, jeg er MED-bot 👋 Jeg hjælper med MED-systemet – medindflydelse og medbestemmelse.\n"
    "Du kan:\n"
    "• stille spørgsmål om MED, fx »hvad er en AMR?« eller »hvad er en procedureretningslinje?«\n"
    "• finde ud af, hvilket MED-udvalg der skal behandle en sag (skriv »hvilket udvalg«)\n"
    "• sende en god idé til budgettet (skriv »ny idé«)\n"
    "• få påmindelser, fx »mind mig om MED-mødet på tirsdag kl. 9«\n"
    "Skriv »hjælp« når som helst for at se det her igen."
)
WELCOME_GROUP = (
    "Hej, jeg er MED-bot 👋 Jeg hjælper med MED-systemet – medindflydelse og medbestemmelse.\n"
    "Du kan:\n"
    "• stille spørgsmål om MED, fx »hvad er en AMR?« eller »hvad er en procedureretningslinje?«\n"
    "• finde ud af, hvilket MED-udvalg der skal behandle en sag (skriv »hvilket udvalg«)\n"
    "• sende en god idé til budgettet (skriv »ny idé«)\n"
    "• få påmindelser, fx »mind mig om MED-mødet på tirsdag kl. 9«\n"
    "Her i gruppen skal du nævne mig med @MED-bot, før jeg ser din besked – fx »@MED-bot hjælp«."
)

GREETING = "Hej 👋 Hvad kan jeg hjælpe med? Stil et spørgsmål om MED, eller vælg herunder. Skriv »hjælp« for at se mere."

HELP = (
    "Det kan jeg hjælpe med:\n"
    "• Spørgsmål om MED – skriv dit spørgsmål med dine egne ord.\n"
    "• »hvilket udvalg« – find det rette MED-udvalg til en sag.\n"
    "• »ny idé« – send en god idé til budgetprocessen.\n"
    "• »påmindelser« – se og lav påmindelser.\n"
    "• »annuller« – stop den samtale, du er i gang med."
)

CAPABILITIES = (
    "Jeg kan svare på spørgsmål om MED, hjælpe med at finde det rette MED-udvalg til en sag, "
    "tage imod gode idéer til budgettet og sende påmindelser. Skriv »hjælp« for at se hvordan."
)

START_BUTTONS: tuple[tuple[str, str], ...] = (
    ("Hvilket MED-udvalg?", "hvilket udvalg"),
    ("Ny god idé", "ny idé"),
    ("Mine påmindelser", "mine påmindelser"),
)

EMPTY_MESSAGE = "Jeg fik ikke nogen tekst. Skriv dit spørgsmål, eller skriv »hjælp«."


def too_long(max_chars: int) -> str:
    return (
        f"Din besked er for lang til mig (højst {max_chars:,} tegn).".replace(",", ".")
        + " Prøv at skrive det kortere – fx kun selve spørgsmålet."
    )


YOU_ARE_WELCOME = "Det var så lidt. Skriv endelig, hvis der er mere."
NOT_AVAILABLE_YET = "Det kan jeg ikke endnu, men det er på vej. Skriv »hjælp« for at se, hvad jeg kan nu."
DIALOG_SET_ASIDE = (
    "Det er et stykke tid siden, vi sidst skrev sammen, så jeg har lagt det, vi var i gang med, til side. "
    "En halvfærdig idé kan du fortsætte med »fortsæt min idé«."
)
CANCELLED = "Okay, jeg har stoppet det. Skriv »hjælp«, hvis du vil se, hvad jeg kan."
NOTHING_TO_CANCEL = "Der er ikke noget at annullere. Skriv »hjælp«, hvis du vil se, hvad jeg kan."
ERROR_APOLOGY = "Beklager, der gik noget galt hos mig. Prøv igen om lidt."
RATE_LIMITED = "Du skriver hurtigere, end jeg kan følge med. Vent et øjeblik og prøv igen."
UNSUPPORTED_ATTACHMENT = "Jeg kan kun læse tekst. Skriv dit spørgsmål med ord."
FIELD_REQUIRED = "Feltet skal udfyldes."
CARD_EXPIRED = "Det kort er ikke aktivt længere. Skriv »hjælp« for at starte forfra."
CARD_ACTION_UNREADABLE = "Jeg kunne ikke læse det, du trykkede på. Skriv »hjælp« for at starte forfra."

YES_WORDS = ("ja", "jo", "jep", "ok", "okay", "yes", "y", "j", "gerne", "ja tak", "korrekt", "rigtigt")
NO_WORDS = ("nej", "no", "n", "nope", "nej tak", "ikke")
YES = "Ja"
NO = "Nej"
CONFIRM_RETRY = "Svar venligst »ja« eller »nej« – eller skriv »annuller« for at stoppe."

# --- the conversation model (router): answers, interruptions, small talk ------

STOP_HINT = "Skriv »annuller« for at stoppe."
#: Words that skip an optional question ("spring over", "ingen") or say no to "vil du beskrive …?".
SKIP_WORDS = (
    "spring over", "spring", "skip", "-", "–", "ingen", "intet", "ingenting", "ikke noget",
    "nej", "nej tak", "videre", "ved ikke", "pas",
)
_NOT_UNDERSTOOD = {
    "yes_no": "Det forstod jeg ikke helt. Svar »ja« eller »nej«.",
    "yes_no_or_text": "Det forstod jeg ikke helt. Svar »ja« eller »nej« – eller skriv bare teksten.",
    "choice": "Det forstod jeg ikke helt. Tryk på en knap, eller skriv tallet.",
    "decider": "Det forstod jeg ikke helt. Tryk på en knap, skriv tallet eller svar med dine egne ord.",
    "command": "Det forstod jeg ikke helt.",
    "text": "Det forstod jeg ikke helt.",
}


def not_understood(kind: str) -> str:
    """What the bot expected, by the kind of prompt (dialogs.prompts.Expect values)."""
    if kind == "time":
        return "Det tidspunkt forstod jeg ikke. " + DATE_HINT
    return _NOT_UNDERSTOOD.get(kind, _NOT_UNDERSTOOD["text"])


def numbered_choices(titles: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"{i}. {title}" for i, title in enumerate(titles, start=1))


TRIVIAL_REPLY = "Jeg er ikke helt sikker på, hvad du mener 🙂 Skriv gerne med ord, hvad du vil – eller skriv »hjælp«."
ACK_REPLY = "👍 Skriv endelig, hvis der er mere."
TRIVIAL_IN_DIALOG = "Jeg er ikke helt sikker på, hvad du mener. Her er mit spørgsmål igen:"
GREETING_IN_DIALOG = "Hej 👋 Vi var i gang med noget – her er mit spørgsmål igen:"
THANKS_IN_DIALOG = "Det var så lidt. Her er mit spørgsmål igen:"

# A question answered in the middle of a text question: the text may have been the answer.
USE_AS_ANSWER = "Brug det som svar"
USE_AS_ANSWER_NOTE = "Var det i stedet dit svar på mit spørgsmål? Så tryk »Brug det som svar«."

# When the bot is unsure what a message was: it asks.
CLARIFY_NONE = "Ingen af dem"
CLARIFY_NONE_DONE = "Okay – så lader jeg det ligge."
CLARIFY_EXPIRED = "Den knap er ikke aktiv længere. Skriv det, du vil, igen."
ANSWER_BUTTON = "Det var mit svar"


def clarify_answer_or_command(what: str) -> str:
    return f"Var det dit svar på mit spørgsmål, eller vil du {what}?"


QUESTION_BUTTON = "Det var et spørgsmål"
CHIT_CHAT_REPLY = "Det ved jeg desværre ikke – jeg kender kun til MED. Skriv »hjælp« for at se, hvad jeg kan."
CLARIFY_ANSWER_OR_QUESTION = "Var det dit svar på mit spørgsmål, eller et spørgsmål til mig?"


#: What a command does, for "did you mean …" buttons and questions (by intent value).
COMMAND_BUTTONS = {
    "case_level": "Find udvalg til en ny sag",
    "idea_new": "Start en ny idé",
    "idea_list": "Se mine idéer",
    "reminder_new": "Lav en påmindelse",
    "reminder_list": "Se mine påmindelser",
    "subscribe": "Abonnér",
    "unsubscribe": "Stop abonnement",
    "personal": "Få hjælp til en personlig sag",
}
COMMAND_PHRASES = {
    "case_level": "finde udvalget til en ny sag",
    "idea_new": "starte en ny idé",
    "idea_list": "se dine idéer",
    "reminder_new": "lave en påmindelse",
    "reminder_list": "se dine påmindelser",
    "subscribe": "abonnere på påmindelser",
    "unsubscribe": "stoppe et abonnement",
    "personal": "have hjælp til en personlig sag",
}

# English: the bot answers in Danish and says so, once per conversation, in English.
ENGLISH_NOTE = "I answer in Danish only – but write in English if you like, and I'll do my best to understand."
ENGLISH_EXPLANATION = (
    "Sorry, I only answer in Danish. You're welcome to write to me in English – I'll do my best to "
    "understand, and I'll answer in Danish. Type »help« to see what I can do."
)

# Group chats and channels: the bot only sees messages that @mention it.
GROUP_MENTION_NOTE = "Her i gruppen skal du nævne mig med @MED-bot, før jeg ser din besked – fx »@MED-bot hjælp«."

# Personal matters (an idea, reminders) typed in a group chat or channel continue in the
# user's 1:1 chat with the bot; the group gets one short note.
PRIVATE_CHAT_MOVED = "Det tager vi i vores 1:1-chat – jeg har skrevet til dig dér."
PRIVATE_CHAT_FROM_GROUP = "gruppechatten"
PRIVATE_CHAT_FROM_CHANNEL = "kanalen"


def _quoted(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def private_chat_opened(text: str, where: str) -> str:
    """The first message in the 1:1 chat: what the user wrote in the group, and why we are here."""
    return f"Du skrev til mig i {where}: »{_quoted(text)}«. Det tager vi her i vores 1:1-chat, hvor kun du kan se det."


def private_chat_unavailable(text: str) -> str:
    """In the group, when the 1:1 chat cannot be opened: the dialog does not run in front of colleagues."""
    return (
        "Det tager jeg helst i en 1:1-chat, så dine kolleger ikke ser det – men jeg kan ikke skrive til dig "
        f"dér herfra. Skriv direkte til mig i en chat med MED-bot, fx »{_quoted(text)}«, så tager vi det dér."
    )

# --- knowledge answers (questions about MED) -------------------------------

SOURCE_PREFIX = "Kilde"
RELATED_HEADING = "Relaterede spørgsmål"
MUNICIPALITY_NOTE = "Gælder for {municipality}."

FALLBACK_UNKNOWN = (
    "Det ved jeg desværre ikke noget om – jeg vil ikke gætte. "
    "Jeg har noteret spørgsmålet, så MED-sekretæren kan se det."
)
FALLBACK_SUGGESTIONS = "Mente du en af disse?"
FALLBACK_CAPABILITIES = CAPABILITIES

# The question asks for a specific fact the nearest answer does not give (knowledge.details.Detail).
DETAIL_UNKNOWN: dict[str, str] = {
    "person": "Hvem det er lige nu, står ikke i det materiale, jeg kender – så det ved jeg ikke.",
    "date": "Den dato står ikke i det materiale, jeg kender – jeg kender kun datoerne for de år, der står herunder.",
    "amount": "Det beløb står ikke i det materiale, jeg kender – så det ved jeg ikke.",
    "place": "Jeg kender kun MED i Albertslund og Jammerbugt Kommune, så om andre kommuner ved jeg ikke noget.",
    "outcome": "Hvad der blev besluttet bagefter, står ikke i det materiale, jeg kender – så det ved jeg ikke.",
    "document": "Det bilag eller dokument er nævnt i mit materiale, men selve indholdet har jeg ikke – så det ved jeg ikke.",
    "count": "Det antal står ikke i det materiale, jeg kender – så det ved jeg ikke.",
    "contact": "Det telefonnummer eller den mailadresse står ikke i det materiale, jeg kender – så det ved jeg ikke.",
    "address": "Adressen står ikke i det materiale, jeg kender – så det ved jeg ikke.",
    "municipality": (
        "Hvordan det er i den kommune, du spørger om, står ikke i det materiale, jeg kender – "
        "det, jeg har, er fra den anden kommune."
    ),
}
DETAIL_WHAT_I_CAN_SAY = "Det, jeg kan fortælle:"
TENTATIVE_ANSWER_INTRO = (
    "Jeg er ikke helt sikker på, at det her er det, du spørger om – men det er det nærmeste, jeg har:"
)
OTHER_MUNICIPALITY_NOTE = (
    "Bemærk: Det her beskriver {other}s praksis – ikke nødvendigvis hvordan I gør i {own}."
)


def detail_other_municipality(asked: str, known: str) -> str:
    """A question about one municipality that only the other's material answers."""
    return f"Hvordan det er i {asked}, står ikke i det materiale, jeg kender – det, jeg har, er fra {known}."


def detail_unknown_text(kind: str, title: str, answer: str) -> str:
    """The plain answer when the detail asked for is not known: say so, then what is known."""
    return f"{DETAIL_UNKNOWN[kind]}\n\n{DETAIL_WHAT_I_CAN_SAY} {title}\n{answer}"


def fallback_text(suggestions: list[str]) -> str:
    """The plain-text fallback: we don't know, maybe-you-meant, and what we can do."""
    parts = [FALLBACK_UNKNOWN]
    if suggestions:
        parts.append(FALLBACK_SUGGESTIONS + "\n" + "\n".join(f"• {s}" for s in suggestions))
    parts.append(FALLBACK_CAPABILITIES)
    return "\n\n".join(parts)


# --- case level (hvilket MED-udvalg) ----------------------------------------
# Plain values only (level codes, rule ids, committee names): no knowledge objects here.
# Level codes: top | middle | local | not_med | ask. Rule ids: see knowledge.levels.RULES.

LEVEL_ASK_FOR_CASE = "Fortæl kort, hvad sagen handler om – og gerne hvem der skal træffe beslutningen."
LEVEL_QUESTION = "Hvem træffer beslutningen?"
# Same order as knowledge.levels.DECIDER_CHOICES (local, middle, top, political, unknown).
LEVEL_DECIDER_CHOICES: tuple[str, ...] = (
    "Leder af arbejdspladsen",
    "Afdelingschef/forvaltningschef",
    "Direktør/kommunaldirektør",
    "Kommunalbestyrelse/fagudvalg",
    "Ved ikke",
)
LEVEL_QUESTION_HINT = "Tryk på en knap, skriv tallet eller svar med dine egne ord. Skriv »annuller« for at stoppe."
LEVEL_DECIDER_NOT_UNDERSTOOD = (
    "Det forstod jeg ikke helt. Tryk på en af knapperne, skriv et tal fra 1 til 5 – eller svar med dine egne ord, "
    "fx »lederen«."
)
LEVEL_NEW_CASE = "Det lyder som en ny sag, så jeg ser på den i stedet."
LEVEL_NEW_CASE_BUTTON = "Det er en ny sag"


def level_case_echo(case: str) -> str:
    """»Sagen: …« in a few words, so every answer says which case it is about."""
    words = case.split()
    short = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
    return f"Sagen: »{short}«"


def level_decider_or_new_case(label: str) -> str:
    return f"Mener du, at det er »{label}«, der træffer beslutningen – eller er det en ny sag?"


# A personal matter (harassment, bullying, threats) is not a case for a MED committee (002).
LEVEL_PERSONAL_TITLE = "Det er ikke en sag for et MED-udvalg"
LEVEL_PERSONAL = (
    "Det lyder som en personlig sag, og den skal ikke behandles i et MED-udvalg – MED behandler ikke personalesager.\n\n"
    "Tal med din leder, din arbejdsmiljørepræsentant (AMR) eller din tillidsrepræsentant (TR) – de tre er "
    "trioen på arbejdspladsen. Handler det om din leder, så gå til AMR eller TR."
)
LEVEL_PERSONAL_SOURCE_SECTION = "Kompetenceforhold – Hvilke sager skal i MED; trioen"


def level_personal_guidelines(local_committee: str) -> str:
    return (
        f"{local_committee} aftaler lokale retningslinjer om vold, mobning og chikane – "
        "spørg AMR eller TR, hvad jeres siger."
    )

LEVEL_PRINCIPLE = (
    "Det rette MED-udvalg er det, hvor der er en leder med kompetence til at træffe beslutningen "
    "– eller til at indstille sagen til politisk beslutning. Det afgøres af, hvem der beslutter, "
    "ikke af, hvem der bliver berørt."
)

LEVEL_WHAT_I_MEANT = (
    f"Jeg mente: {LEVEL_PRINCIPLE[0].lower()}{LEVEL_PRINCIPLE[1:]} "
    "Skriv, hvem der træffer beslutningen (fx »lederen af arbejdspladsen« eller »afdelingschefen«), "
    "så siger jeg, hvilket MED-udvalg sagen hører til."
)

#: »men det gælder jo alle sosuer herude« right after »det er ikke en sag for MED«
LEVEL_NOT_MED_STANDS = (
    "Det er stadig ikke en sag for MED – heller ikke når det gælder mange. Det afgøres af, "
    "hvad sagen handler om, ikke af hvor mange den gælder."
)


def level_objection(committee: str, named: str = "", *, bagland: bool = False) -> str:
    """»hvorfor ikke AfdelingsMED?«, »men vi har drøftet det i ForvaltningsMED«, right after a case answer."""
    parts = [
        f"Sagen hører stadig hjemme i {committee}. Det rette niveau afgøres af, hvem der træffer "
        "beslutningen – ikke af, hvor mange der bliver berørt, eller hvor sagen har været drøftet før."
    ]
    if bagland and named:
        parts.append(
            f"I kan sagtens drøfte den i {named}, og jeres repræsentanter i {committee} kan tage jeres "
            "synspunkter med – det er en del af baglandsarbejdet."
        )
    parts.append(
        "Er det en anden, der træffer beslutningen, så skriv hvem (fx »afdelingschefen« eller "
        "»lederen af arbejdspladsen«), så finder jeg udvalget igen."
    )
    return "\n\n".join(parts)


def dates_from_year(years: list[int], source: str, this_year: int) -> str:
    """»er det datoerne for i år?« after an answer with dates (``this_year``: the year asked about)."""
    named = " og ".join(str(y) for y in years) if len(years) <= 2 else f"{years[0]}–{years[-1]}"
    if this_year in years:
        return f"Datoerne er fra {source} ({named})."
    return (
        f"Nej – datoerne er fra {source} ({named}). "
        f"Datoerne for {this_year} står ikke i det materiale, jeg kender – spørg i jeres MED-udvalg."
    )


# Why: one plain-Danish explanation per rule id.
LEVEL_RULE_EXPLANATIONS: dict[str, str] = {
    "decider_local": (
        "Det er lederen af arbejdspladsen, der træffer beslutningen. Derfor hører sagen hjemme "
        "på arbejdspladsens niveau – også selv om mange bliver berørt."
    ),
    "decider_middle": (
        "Det er afdelingschefen eller forvaltningens chef, der træffer beslutningen. Derfor hører "
        "sagen hjemme på det niveau."
    ),
    "decider_top": (
        "Det er direktøren, kommunaldirektøren eller direktionen, der træffer beslutningen. Derfor "
        "hører sagen hjemme i det øverste MED-udvalg."
    ),
    "recommended_political": (
        "Sagen skal besluttes politisk (kommunalbestyrelse, byråd eller et fagudvalg). Den leder, der "
        "indstiller den til politisk beslutning, sidder på det øverste niveau. Derfor behandles den i "
        "det øverste MED-udvalg – også selv om den er drøftet i et andet MED-udvalg først."
    ),
    "not_med_personalesag": (
        "Det lyder som en personalesag – en sag om en enkelt medarbejder. "
        "MED-udvalgene kan ikke behandle personalesager."
    ),
    "not_med_klagesag": "Det lyder som en klagesag. MED-udvalgene kan ikke behandle klagesager.",
    "not_med_union_agreement": (
        "Det handler om noget, kommunen aftaler med den enkelte forhandlingsberettigede organisation "
        "– fx løn, arbejdstid og seniortillæg. Det kan MED-udvalgene ikke behandle."
    ),
    "daily_management": (
        "Det lyder som almindelig, daglig ledelse. Den skal som udgangspunkt ikke drøftes i MED – "
        "det skal beslutninger, der betyder principielle ændringer."
    ),
    "decider_unknown": (
        "Jeg kan ikke se ud fra sagen, hvem der træffer beslutningen – og det er netop det, der afgør, "
        "hvilket MED-udvalg sagen hører til. Jeg vil ikke gætte."
    ),
    "not_med_personal_conflict": (
        "Det lyder som en personlig sag mellem dig og en kollega. Den slags behandler MED-udvalgene ikke – "
        "MED behandler ikke personalesager."
    ),
    "process_budget_input": (
        "AfdelingsMED drøfter de budgetforslag, der er relevante for afdelingen – hvad de betyder for "
        "arbejds-, personale-, samarbejds- og arbejdsmiljøforhold – og giver skriftligt input til KommuneMED. "
        "Selve MED-behandlingen af budgetforslaget foregår i KommuneMED."
    ),
    "process_budget_proposal": (
        "Budgetforslaget indstilles til politisk beslutning af kommunaldirektøren. Derfor foregår "
        "MED-behandlingen i det øverste MED-udvalg – AfdelingsMED giver input til den."
    ),
    "process_idea_cross_cutting": (
        "ForvaltningsMED sender sine tværgående idéer videre til HovedMED, som vælger, hvilke forslag "
        "der præsenteres for Økonomiudvalget i juni."
    ),
    "process_personalemode_is_lokalmed": (
        "Personalemøder med MED-status regnes for LokalMED, så det er jeres personalemøde med MED-status, der tager sagen."
    ),
    "process_idea_send": (
        "Gode idéer sendes til kontaktpersonen for det relevante ForvaltningsMED, og det er formand og "
        "næstformand i ForvaltningsMED, der beslutter, om LokalMED skal arbejde med Den gode idé."
    ),
    "process_idea_feedback_forvaltningsmed": (
        "Det er formandskabet i HovedMED, der har ansvaret for at give alle ForvaltningsMED en "
        "tilbagemelding på de gode idéer."
    ),
    "process_idea_continue": (
        "De gode forslag, der ikke blev valgt, og som går på tværs af egen forvaltning, må fagudvalg, "
        "ForvaltningsMED og forvaltninger meget gerne arbejde videre med – eller gemme i en idébank."
    ),
    "process_idea_feedback": (
        "Når Økonomiudvalget har valgt, giver HovedMED en tilbagemelding til ForvaltningsMED, og "
        "formandskabet i ForvaltningsMED giver derefter tilbagemelding til de relevante LokalMED."
    ),
    "process_idea_start": "Den gode idé starter med drøftelser i alle ForvaltningsMED i det tidlige forår.",
    "process_idea_economy_committee": (
        "Det er HovedMED, der vælger de forslag, som præsenteres for Økonomiudvalget i juni. "
        "Økonomiudvalget vælger derefter, hvilke der arbejdes videre med."
    ),
    "process_budget_evaluation": "Den årlige evaluering af budgetproceduren foregår i HovedMED.",
    "process_idea_meeting_local": (
        "Har ForvaltningsMED besluttet, at LokalMED skal være med i Den gode idé, holdes idémødet i LokalMED "
        "på arbejdspladsen."
    ),
    "process_budget_frame": (
        "I januar–marts orienteres HovedMED om den overordnede budgetproces og rammerne for budgetlægningen "
        "og drøfter, hvordan MED inddrages i processen."
    ),
    "process_budget_amendment": (
        "Stilles der ændringsforslag mellem 1. og 2. behandling, som berører medarbejdernes forhold, "
        "inddrages HovedMED (og evt. relevante MED-udvalg)."
    ),
    "process_meeting_plan": (
        "Formand og næstformand i ForvaltningsMED aftaler en mødeplan, der passer til budgetprocessen og "
        "møderne i HovedMED."
    ),
    "task_meet_economy_committee": "Det er det øverste MED-udvalg, der mødes med Økonomiudvalget i forbindelse med budgetbehandlingen.",
    "task_interpret_agreement": "Det er det øverste MED-udvalg, der fortolker den lokale MED-aftale og behandler uoverensstemmelser.",
    "task_med_structure": "Det er det øverste MED-udvalg, der tilpasser MED-strukturen i den lokale MED-aftale.",
    "task_top_guidelines": (
        "Det er en af de retningslinjer, det øverste MED-udvalg skal aftale for hele kommunen "
        "(trivselsmåling, sygefraværssamtaler, stress, vold-mobning-chikane, det rummelige arbejdsmarked, sundhed)."
    ),
    "task_strategy": "Strategisk drøftelse, strategiplan og den årlige arbejdsmiljødrøftelse ligger i det øverste MED-udvalg.",
    "task_implement_in_unit": (
        "At udmønte politikker og koordinere arbejdsmiljøarbejdet i en hel afdeling er en opgave for "
        "afdelingens MED-udvalg."
    ),
    "task_local_workplace": (
        "Det er en opgave for arbejdspladsens eget MED-udvalg (eller personalemøde med MED-status): fx APV, "
        "lokale retningslinjer, kompetenceudvikling, oplæring og sygefraværsstatistik."
    ),
    "scope_municipality": (
        "Sagen skal gælde for hele kommunen, og den beslutning træffes på kommunens øverste niveau. "
        "Derfor hører den hjemme i det øverste MED-udvalg."
    ),
    "scope_unit": "Sagen skal gælde for en hel forvaltning. Derfor hører den hjemme i forvaltningens MED-udvalg.",
    "scope_afdeling": "Sagen skal gælde for en hel afdeling. Derfor hører den hjemme i afdelingens MED-udvalg.",
    "scope_workplace": "Sagen gælder jeres egen arbejdsplads. Derfor hører den hjemme i arbejdspladsens MED-udvalg.",
}

LEVEL_POLITICAL_NOTE = (
    "Politikerne er ikke et MED-niveau. Sagen hører til i det MED-udvalg, hvor den leder sidder, som "
    "indstiller den til politisk beslutning – fx kommunaldirektøren i det øverste udvalg."
)
LEVEL_POLITICAL_ASK_AGAIN = (
    "Politikerne er ikke et MED-niveau – sagen hører til i det MED-udvalg, hvor den leder sidder, som "
    "indstiller den til dem. Hvilken leder indstiller sagen?"
)
LEVEL_UNCLEAR_DECIDER_NOTE = (
    "»{decider}« kan sidde på flere niveauer i {municipality}, så det afgør ikke sagen alene."
)
LEVEL_OTHER_MUNICIPALITY_NOTE = (
    "Opgavefordelingen her står i {other}s lokale MED-aftale – tjek jeres egen MED-aftale."
)

LEVEL_NOT_MED_HEADLINE = "Det er ikke en sag for MED."
LEVEL_AFFECTED_NOTE = "Hvor mange der bliver berørt, afgør ikke niveauet – det gør det, hvem der træffer beslutningen."


def level_committee_note(committee: str) -> str:
    return f"Du nævner {committee}, men et udvalgs navn siger ikke, hvem der træffer beslutningen."


# What kind of MED case it is.
LEVEL_MODE_EXPLANATIONS: dict[str, str] = {
    "medindflydelse": (
        "Det er medindflydelse: ledelsen informerer, og udvalget drøfter sagen, så medarbejdernes "
        "synspunkter og forslag kan indgå i grundlaget for ledelsens beslutning."
    ),
    "medbestemmelse": (
        "Det er medbestemmelse: I skal aftale en retningslinje. En retningslinje skal aftales i enighed "
        "mellem ledelse og medarbejdere, og den skal være skriftlig."
    ),
}


def level_here(committee: str, municipality: str = "") -> str:
    where = f"I {municipality} hører sagen" if municipality else "Sagen hører"
    return f"{where} hjemme i {committee}."


def level_next_step(committee: str) -> str:
    return (
        f"Kontakt formanden eller næstformanden i {committee} for at få sagen på dagsordenen – det er "
        "formandskabet, der aftaler dagsordenen. Alle i udvalget har ret til at sætte emner på "
        "dagsordenen, så du kan også gå til en medarbejderrepræsentant i udvalget."
    )


def level_contact(contact: str, role: str = "") -> str:
    return f"Kontakt: {contact}" + (f" – {role}" if role else "")


# What to do instead when it is not a MED case.
LEVEL_NOT_MED_GUIDANCE: dict[str, str] = {
    "not_med_personalesag": (
        "Tal med din leder, og kontakt din tillidsrepræsentant (TR) eller din faglige organisation, "
        "hvis du har brug for hjælp."
    ),
    "not_med_klagesag": (
        "Spørg din leder, hvordan klagen skal behandles, eller kontakt din tillidsrepræsentant (TR) "
        "eller din faglige organisation."
    ),
    "not_med_union_agreement": (
        "Kontakt din tillidsrepræsentant (TR) eller din faglige organisation – det er den, kommunen "
        "aftaler den slags med."
    ),
    "daily_management": (
        "Tal med din leder om det. Er det en principiel ændring – fx en ny måde at lægge vagtplaner "
        "på fremover – så kan den drøftes i MED."
    ),
    "not_med_personal_conflict": (
        "Tal med din leder, din arbejdsmiljørepræsentant (AMR) eller din tillidsrepræsentant (TR). "
        "Arbejdspladsens MED-udvalg aftaler retningslinjer for vold, mobning og chikane – dem kan din AMR hjælpe dig med."
    ),
}

# "Ved ikke": how to find out who decides.
LEVEL_UNKNOWN_GUIDANCE = (
    "Sådan finder du ud af det: Spørg din leder, hvem der har kompetencen til at træffe beslutningen "
    "– eller til at indstille den til politisk beslutning. MED-niveauet følger det ledelsesniveau, "
    "der beslutter:"
)


def level_ladder(top: str, middle: str, local: str) -> str:
    return (
        f"• Leder af arbejdspladsen → {local}\n"
        f"• Afdelingschef/forvaltningschef → {middle}\n"
        f"• Direktør, kommunaldirektør, kommunalbestyrelse eller fagudvalg → {top}"
    )


def level_choices_text() -> str:
    return "\n".join(f"{i}. {label}" for i, label in enumerate(LEVEL_DECIDER_CHOICES, start=1))


def level_answer(
    level: str,
    committee: str | None,
    mode: str | None,
    rule: str,
    *,
    municipality: str = "",
    level_names: dict[str, str] | None = None,
    affected: bool = False,
    committee_mentioned: str = "",
    contact: str = "",
    contact_role: str = "",
    sources: tuple[str, ...] | list[str] = (),
    political_only: bool = False,
    unclear_decider: str = "",
    rule_from: str = "",
) -> str:
    """The whole answer to "which MED committee?" as plain text (paragraphs split by blank lines)."""
    parts: list[str] = []
    why = LEVEL_RULE_EXPLANATIONS.get(rule, "")
    if level == "not_med":
        parts.append(LEVEL_NOT_MED_HEADLINE + (" " + why if why else ""))
        guidance = LEVEL_NOT_MED_GUIDANCE.get(rule)
        if guidance:
            parts.append(guidance)
    elif level == "ask" or not committee:
        parts.append(LEVEL_RULE_EXPLANATIONS["decider_unknown"])
        notes = []
        if political_only:
            notes.append(LEVEL_POLITICAL_NOTE)
        if unclear_decider:
            notes.append(LEVEL_UNCLEAR_DECIDER_NOTE.format(decider=unclear_decider, municipality=municipality))
        if affected:
            notes.append(LEVEL_AFFECTED_NOTE)
        if committee_mentioned:
            notes.append(level_committee_note(committee_mentioned))
        if notes:
            parts.append(" ".join(notes))
        parts.append(f"{LEVEL_QUESTION}\n{level_choices_text()}")
        guidance = LEVEL_UNKNOWN_GUIDANCE
        if level_names and all(k in level_names for k in ("top", "middle", "local")):
            guidance += "\n" + level_ladder(level_names["top"], level_names["middle"], level_names["local"])
        parts.append(guidance)
        if mode in LEVEL_MODE_EXPLANATIONS:
            parts.append(LEVEL_MODE_EXPLANATIONS[mode])
    else:
        parts.append(level_here(committee, municipality) + (" " + why if why else ""))
        if rule_from:
            parts.append(LEVEL_OTHER_MUNICIPALITY_NOTE.format(other=rule_from))
        if affected and rule != "recommended_political" and not rule.startswith(("scope", "task", "process")):
            parts.append(LEVEL_AFFECTED_NOTE)
        if mode in LEVEL_MODE_EXPLANATIONS:
            parts.append(LEVEL_MODE_EXPLANATIONS[mode])
        step = level_next_step(committee)
        if contact:
            step += "\n" + level_contact(contact, contact_role)
        parts.append(step)
    if sources:
        parts.append(f"{SOURCE_PREFIX}: " + "; ".join(sources))
    return "\n\n".join(p for p in parts if p)


LEVEL_TITLE = "Hvilket MED-udvalg?"
LEVEL_ANOTHER_CASE = "Spørg om en anden sag"
LEVEL_CASE_TOO_SHORT = "Skriv lidt mere om sagen – fx hvad der skal besluttes, og af hvem."


def level_dont_know_answer(level_names: dict[str, str], mode: str | None) -> str:
    """The answer when the user does not know who decides: how to find out, not a guess."""
    parts = [LEVEL_RULE_EXPLANATIONS["decider_unknown"]]
    guidance = LEVEL_UNKNOWN_GUIDANCE
    if all(k in level_names for k in ("top", "middle", "local")):
        guidance += "\n" + level_ladder(level_names["top"], level_names["middle"], level_names["local"])
    parts.append(guidance)
    if mode in LEVEL_MODE_EXPLANATIONS:
        parts.append(LEVEL_MODE_EXPLANATIONS[mode])
    parts.append("Når du ved, hvem der beslutter, kan du skrive »hvilket udvalg« igen.")
    return "\n\n".join(parts)


# --- dates and reminders ----------------------------------------------------
# Errors from knowledge.dates (DateParseError.code -> sentence).

DATE_HINT = "Skriv fx »i morgen kl. 9«, »på tirsdag«, »26. august kl. 12.30« eller »uge 34«."
DATE_ERRORS: dict[str, str] = {
    "empty": "Du skrev ikke noget tidspunkt. " + DATE_HINT,
    "unparseable": "Det tidspunkt forstod jeg ikke. " + DATE_HINT,
    "past": "Det tidspunkt er allerede passeret. Skriv et tidspunkt ude i fremtiden, fx »i morgen kl. 9«.",
    "invalid_date": (
        "Den dato eller det klokkeslæt findes ikke (fx findes 31/2 og kl. 25 ikke). "
        "Tjek dag, måned og klokkeslæt."
    ),
    "ambiguous": (
        "Jeg er ikke sikker på, hvilket tidspunkt du mener. "
        "Skriv dagen og gerne klokkeslættet, fx »26. maj kl. 10« eller »på tirsdag kl. 9«."
    ),
    "weekday_mismatch": (
        "Ugedagen og datoen passer ikke sammen. Skriv enten ugedagen eller datoen, "
        "fx »på fredag« eller »27/11«."
    ),
    "recurring": (
        "Jeg kan kun minde dig om noget én gang, ikke fast hver dag eller uge. "
        "Skriv den første gang, fx »på mandag kl. 9«, så minder jeg dig om det der."
    ),
}


def date_error(code: str) -> str:
    """The Danish sentence for a knowledge.dates error code (unknown codes: 'unparseable')."""
    return DATE_ERRORS.get(code, DATE_ERRORS["unparseable"])


def date_in_past(when: str) -> str:
    return f"{when} er allerede passeret. Skriv et tidspunkt ude i fremtiden, fx »i morgen kl. 9«."


# --- reminders, calendars and nudges ---------------------------------------

REMINDER_DIALOG_TITLE = "Påmindelse"
REMINDER_ASK_WHAT = "Hvad skal jeg minde dig om?"
REMINDER_ASK_WHEN = "Hvornår skal jeg minde dig om det? " + DATE_HINT


def reminder_ask_when(what: str) -> str:
    """The time question, naming what the reminder is about (»Hvornår skal jeg minde dig om »budgetfristen«?«)."""
    short = what if len(what) <= 60 else what[:57].rstrip() + "…"
    return f"Hvornår skal jeg minde dig om »{short}«? " + DATE_HINT
REMINDER_DEFAULT_TIME_NOTE = "Du skrev ikke et klokkeslæt, så jeg har valgt kl. 09.00."
REMINDER_NOT_SAVED_PAST = "Tidspunktet nåede at passere, før du svarede. Hvornår skal jeg minde dig om det?"
REMINDER_SAVE_FAILED = "Beklager, jeg kunne ikke gemme påmindelsen lige nu. Prøv igen om lidt."
REMINDER_NOT_HERE = (
    "Her kan jeg ikke skrive til dig senere, så påmindelser virker ikke i denne samtale. "
    "Prøv i Teams eller Slack."
)


REMINDER_LIST_TITLE = "Dine påmindelser"
REMINDER_LIST_EMPTY = (
    "Du har ingen kommende påmindelser. Skriv fx »mind mig om at sende input til KommuneMED i morgen kl. 9«."
)
REMINDER_LIST_HELP = (
    "Skriv fx »udsæt 1 1 time«, »flyt 2 til fredag kl. 10« eller »slet 2«. Skriv »færdig«, når du er færdig."
)
REMINDER_LIST_DONE = "Færdig"
REMINDER_LIST_DONE_WORDS = ("færdig", "faerdig", "done", "luk", "ok", "okay", "tak", "nej", "nej tak", "det var det")
REMINDER_LIST_CLOSED = "Jeg har lukket listen over påmindelser. Skriv dit spørgsmål igen, hvis det var noget andet."
REMINDER_LIST_DONE_REPLY = "Okay – skriv, hvis der er mere."


def reminder_set_aside(what: str) -> str:
    """Said when the user leaves a reminder that is not saved yet for something else."""
    return f"Påmindelsen om »{what}« er ikke gemt – skriv den igen, hvis du stadig vil have den."


def reminder_list_line(number: int, when: str, text: str) -> str:
    return f"{number}. {when}: {text}"


def reminder_last_sent(when: str, text: str) -> str:
    return f"Sendt for nylig: {when}: {text} – skriv »udsæt 1 time« for at få den igen om en time."


def reminder_delete_action(number: int) -> str:
    return f"Slet {number}"


def reminder_not_found(number: int) -> str:
    return f"Jeg kan ikke finde påmindelse nummer {number}. Skriv »mine påmindelser« for at se listen."


def reminder_deleted(text: str) -> str:
    return f"Slettet: »{text}«."


def reminders_deleted(reminder_texts: list[str]) -> str:
    """»slet alle mine påmindelser«: what was deleted."""
    if len(reminder_texts) == 1:
        return reminder_deleted(reminder_texts[0])
    return f"Slettet: alle dine {len(reminder_texts)} påmindelser (" + ", ".join(f"»{t}«" for t in reminder_texts) + ")."


def reminder_moved(text: str, when: str) -> str:
    return f"Flyttet: Jeg minder dig om »{text}« {when}."


# What a delivered reminder says.
REMINDER_DELIVERED_TITLE = "⏰ Påmindelse"
REMINDER_DELIVERED_FACT = "Sat til"
REMINDER_DELIVERED_NOTE = "Vil du have den igen senere? Tryk »Mine påmindelser« og skriv fx »udsæt 1 time«."
REMINDER_MY_REMINDERS = "Mine påmindelser"
REMINDER_MY_REMINDERS_TEXT = "mine påmindelser"
# The section of seed 000 cited when a nudge asks for material "i så god tid inden møderne".
REMINDER_MATERIAL_SECTION = "Faser i budgetlægningen: Budgetproces – januar – marts"

# Subscriptions.
TARGET_BUDGET = "budgetårets faser og frister"
TARGET_MEDSAMARBEJDET = "MEDsamarbejdets arrangementer"
TARGET_BUDGET_BUTTON = "Budgetfrister"
TARGET_MEDSAMARBEJDET_BUTTON = "MEDsamarbejdet"


def target_name(target: str) -> str:
    """How a subscription target is said: "HovedMEDs møder", "budgetårets faser og frister"."""
    if target == "budget":
        return TARGET_BUDGET
    if target == "medsamarbejdet":
        return TARGET_MEDSAMARBEJDET
    genitive = f"{target}'" if target.endswith(("s", "x", "z")) else f"{target}s"
    return f"{genitive} møder"


SUBSCRIBE_ASK_TARGET = "Hvad vil du have påmindelser om? Vælg et MED-udvalg eller et emne – eller skriv navnet."
SUBSCRIPTION_NO_UPCOMING = (
    "Der står ingen kommende datoer i kalenderen endnu. Når MED-sekretæren har lagt mødeplanen ind, får du besked i god tid."
)
SUBSCRIPTION_UPCOMING = "Næste datoer:"


def subscription_how(days_ahead: list[int]) -> str:
    """"Jeg skriver 7 dage og 1 dag før …" for the configured offsets (in whole days)."""
    parts = [f"{d} dag" if d == 1 else f"{d} dage" for d in days_ahead]
    when = " og ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else (parts[0] if parts else "")
    lead = f"Jeg skriver {when} før" if when else "Jeg skriver i god tid før"
    return (
        f"{lead} (til møder også en påmindelse om at sende punkter og materiale i god tid), "
        "på hverdage og aldrig om natten. Skriv »stop påmindelser« for at stoppe igen."
    )

SUBSCRIPTION_CHANNEL_NOTE = "Påmindelserne kommer her i samtalen, så alle her kan se dem."


def subscribed(target: str) -> str:
    return f"Du abonnerer nu på {target_name(target)} ✅"


def already_subscribed(target: str) -> str:
    return f"Du abonnerer allerede på {target_name(target)}."


def subscribe_unknown(target_text: str) -> str:
    return SUBSCRIBE_UNMATCHED.replace("{answer}", target_text)


#: At the »which calendar?« question, a text that names none ({answer}: what was written).
SUBSCRIBE_UNMATCHED = "Jeg kender ikke »{answer}«. Vælg et af disse:"


def unsubscribed(targets: list[str]) -> str:
    names = ", ".join(target_name(t) for t in targets)
    return f"Stoppet: {names}. Dine personlige påmindelser er ikke berørt – skriv »mine påmindelser« for at se dem."


UNSUBSCRIBE_NOTHING = "Der er ingen abonnementer at stoppe her. Dine personlige påmindelser ser du med »mine påmindelser«."


def unsubscribe_not_found(target_text: str, remaining: list[str]) -> str:
    text = f"Du abonnerer ikke på »{target_text}«."
    if remaining:
        text += " Du abonnerer på: " + ", ".join(target_name(t) for t in remaining) + "."
    return text


def upcoming_line(when: str, title: str, where: str) -> str:
    return f"• {when}: {title}" + (f" ({where})" if where else "")


# Nudges.
NUDGE_TITLE = "📅 MED-kalenderen"
NUDGE_MATERIAL_TITLE = "📎 Husk materialet"
NUDGE_PHASE_TITLE = "📊 Budgetåret"
NUDGE_FACT_WHEN = "Hvornår"
NUDGE_FACT_WHERE = "Sted"
NUDGE_FACT_COMMITTEE = "Udvalg"
NUDGE_STOP_NOTE = "Skriv »stop påmindelser« for ikke at få flere."
CALENDAR_UNTITLED = "(uden titel)"


def calendar_export_name(target: str | None) -> str:
    """The calendar's name in Outlook."""
    return f"MED-kalender – {target_name(target)}" if target else "MED-kalender"


def calendar_imported_from(file_name: str, committee: str | None) -> str:
    """The source line of an imported event (configured data, not a seed)."""
    return f"Kommunens egen kalender, importeret fra {file_name}" + (f" ({committee})" if committee else "")


# An .ics file that cannot be imported (medbot calendar import): nothing of it is stored.
ICS_NOT_A_CALENDAR = "Filen er ikke en iCalendar-fil (.ics)."
ICS_BAD_START = "starttidspunktet (DTSTART) er ikke en gyldig dato"
ICS_BAD_END = "sluttidspunktet (DTEND) er ikke en gyldig dato"
ICS_BAD_DURATION = "varigheden (DURATION) kan ikke læses"
ICS_BAD_RRULE = "gentagelsesreglen (RRULE) kan ikke læses"
ICS_BAD_UNTIL = "slutdatoen for gentagelserne (UNTIL i RRULE) er ikke en gyldig dato"
ICS_BAD_COUNT = "antallet af gentagelser (COUNT i RRULE) skal være et helt tal på mindst 1"
ICS_BAD_INTERVAL = "intervallet (INTERVAL i RRULE) skal være et helt tal på mindst 1"
ICS_BAD_EXDATE = "en undtagen dato (EXDATE) er ikke en gyldig dato"
ICS_BAD_RECURRENCE_ID = "en flyttet gentagelse (RECURRENCE-ID) har ikke en gyldig dato"
ICS_RULE_NO_DATES = "gentagelsesreglen (RRULE) rammer aldrig en dato"
ICS_RULE_TOO_SLOW = "gentagelsesreglen (RRULE) kan ikke udregnes inden for rimelig tid – den rammer måske aldrig en dato"


def ics_too_large(megabytes: int) -> str:
    return f"Filen er større end {megabytes} MB."


def ics_too_many_events(limit: int) -> str:
    return (
        f"Filen giver mere end {limit} begivenheder, når gentagelserne er talt med. "
        "Del den op, eller fjern gamle gentagelser."
    )


def ics_too_frequent(frequency: str) -> str:
    return f"gentagelsesreglen (RRULE) gentager oftere end dagligt (FREQ={frequency}), og det kan kalenderen ikke tage"


def ics_year_out_of_range(year: int, first: int, last: int) -> str:
    return f"året {year} ligger uden for {first}–{last}"


def ics_event_unreadable(title: str, problem: str) -> str:
    return f"Begivenheden »{title}« kan ikke læses: {problem}."


def ics_series_truncated(title: str, limit: int) -> str:
    return f"{title}: kun de første {limit} gentagelser er taget med"


def calendar_import_refused(file_name: str, reason: str) -> str:
    return f"{file_name} er ikke importeret. {reason} Intet fra filen er gemt."


# medbot privacy: one person's data, exported or erased on request.
PRIVACY_NOTHING_FOUND = "Der er intet om den person i databasen (hverken bruger-id, AAD-objekt-id eller navn)."


def privacy_exported(target: str) -> str:
    return f"Oplysningerne er gemt i {target}."


def privacy_erased(
    *,
    conversations: int,
    shared_conversations: int,
    dialog_states: int,
    reminders: int,
    subscriptions: int,
    drafts: int,
    unanswered: int,
    ideas_anonymised: int,
    ideas_deleted: int,
    supports: int,
    roles: int,
    notifications: int,
) -> str:
    lines = [
        f"Slettet: {conversations} samtale(r) med botten, {dialog_states} gemt(e) samtaleforløb, "
        f"{reminders} påmindelse(r), {subscriptions} abonnement(er), {drafts} idékladde(r) "
        f"og {unanswered} ubesvarede spørgsmål.",
        f"Personen er fjernet fra {shared_conversations} fælles samtale(r), {supports} støtte(r) "
        f"og {roles} rolle(r) som administrator eller kontaktperson; "
        f"{notifications} ventende besked(er) til personen er annulleret.",
    ]
    if ideas_deleted:
        lines.append(f"{ideas_deleted} idé(er), personen har sendt, er slettet helt.")
    if ideas_anonymised:
        lines.append(
            f"{ideas_anonymised} idé(er), personen har sendt, bliver hos udvalget uden navn "
            "(brug --delete-ideas for at slette dem helt)."
        )
    return "\n".join(lines)


def nudge_in(days: int, hours: int = 0) -> str:
    if days == 1:
        return "i morgen"
    if days > 1:
        return f"om {days} dage"
    if hours == 1:
        return "om en time"
    if hours > 1:
        return f"om {hours} timer"
    return "snart"


def nudge_ahead(title: str, when: str, in_text: str) -> str:
    return f"{title} er {when} – {in_text}."


def nudge_material(title: str, when: str) -> str:
    return (
        f"{title} er {when}. Husk at sende punkter til dagsordenen og materiale i så god tid inden mødet, "
        "at medarbejderrepræsentanterne kan nå at forberede sig og drøfte det med baglandet."
    )


def nudge_phase(title: str) -> str:
    return f"Nu begynder en ny fase i budgetåret: {title}."


# Phases come from a seed document's year (e.g. the drejebog for budget 2024), not from this year's plan.
NUDGE_PHASE_FROM_DOCUMENT = (
    "Faserne er dem, der står i kilden herunder – tjek jeres aktuelle årshjul for dette års datoer."
)

# --- den gode idé -------------------------------------------------------------

IDEA_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)


def idea_date(day: int, month: int, year: int) -> str:
    """»3. marts 2026«."""
    return f"{day}. {IDEA_MONTHS[month - 1]} {year}"


IDEA_INTRO = (
    "Hvor godt, at du har en idé til budgettet 💡 Jeg spørger kun om titel, beskrivelse og område – "
    "så ser du idéen, før den sendes. "
    "Skriv »annuller« for at stoppe – så gemmer jeg det, du har skrevet, til senere."
)
_IDEA_FIELDS_DEFINITE = {"title": "titlen", "description": "beskrivelsen", "area": "området"}


def idea_taken_from_message(fields: list[str]) -> str:
    """The idea was written in the first message: say which fields were filled in from it."""
    named = [_IDEA_FIELDS_DEFINITE[f] for f in fields]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " og " + named[-1]
    return (
        f"Hvor godt, at du har en idé til budgettet 💡 Jeg har taget {listed} fra din besked – "
        "du ser det hele, før idéen sendes, og kan rette det. "
        "Skriv »annuller« for at stoppe – så gemmer jeg det, du har skrevet, til senere."
    )


IDEA_FORM_INTRO = (
    "Udfyld kortet og tryk »Videre«. Du kan også bare skrive titlen på idéen her, "
    "så spørger jeg om resten ét punkt ad gangen."
)
IDEA_FORM_SUBMIT = "Videre"
IDEA_FORM_TITLE = "Din gode idé"
IDEA_ASK_TITLE = "Hvad er titlen på din idé? Skriv den kort (højst 120 tegn)."
IDEA_ASK_DESCRIPTION = "Beskriv idéen: Hvad går den ud på, og hvordan skal den gøres? (højst 4.000 tegn)"
IDEA_ASK_POTENTIAL = (
    "Hvad er det økonomiske potentiale? Skriv, hvad idéen kan spare, eller hvad den forbedrer."
)
IDEA_ASK_AREA = "Hvilket område (forvaltning/afdeling) hører idéen til?"
#: Typed answers that mean the »Ved ikke / andet område« button.
#: The start of a longer »don't know« at the area question (»ved ikke hvilken forvaltning«).
IDEA_AREA_UNKNOWN_LEADS = ("ved ikke", "ved det ikke", "aner det ikke", "aner ikke", "ikke sikker", "dont know", "don't know", "not sure")
IDEA_AREA_UNKNOWN_PHRASES = (
    "ved ikke hvilken", "ved ikke hvilket", "aner ikke hvilken", "ved ikke hvor", "not sure which", "dont know which",
    "don't know which",
)
IDEA_AREA_UNKNOWN_WORDS = (
    "ved ikke", "vedikke", "ved det ikke", "aner det ikke", "andet", "andet område", "et andet", "ikke sikker",
    "usikker", "ingen af dem", "dont know", "don't know", "other",
)
IDEA_AREA_HINT = "Skriv nummeret eller navnet."
IDEA_AREA_UNKNOWN = "Ved ikke / andet område"
IDEA_ASK_CROSS = "Går idéen på tværs af flere forvaltninger eller afdelinger?"
#: Answers in words to IDEA_ASK_CROSS (words anywhere in the answer; the "no" phrases are read first).
IDEA_CROSS_NO_PHRASES = ("ikke på tværs", "ikke paa tvaers", "kun hos os", "kun os", "kun vores", "kun for os", "kun i vores", "bare hos os", "kun min", "kun vores afdeling", "kun vores forvaltning")
IDEA_CROSS_YES_PHRASES = ("på tværs", "paa tvaers", "tværgående", "tvaergaaende", "flere forvaltninger", "alle forvaltninger", "flere afdelinger", "alle afdelinger", "hele kommunen")
IDEA_ASK_CONSEQUENCES = (
    "Vil du beskrive, hvad idéen betyder for de fire forhold – arbejds-, personale-, "
    "samarbejds- og arbejdsmiljøforhold? Det er frivilligt."
)
IDEA_SKIP = "Spring over"
IDEA_SKIP_WORDS = ("spring over", "spring", "skip", "-", "–", "ingen", "intet", "nej", "videre", "ved ikke")


def idea_ask_consequence(label: str) -> str:
    return f"Hvad betyder idéen for {label}? Skriv »spring over«, hvis du ikke vil skrive noget her."


IDEA_ASK_ANONYMOUS = (
    "Vil du sende idéen anonymt? Så ser udvalget ikke dit navn – men du får stadig besked her, "
    "når idéen skifter status."
)

IDEA_FIELD_LABELS = {
    "title": "Titel",
    "description": "Beskrivelse",
    "potential": "Potentiale",
    "area": "Område",
    "cross_cutting": "På tværs af områder",
    "consequences": "Konsekvenser",
    "anonymous": "Anonym",
}
IDEA_CONSEQUENCE_LABELS = {
    "arbejdsforhold": "arbejdsforhold",
    "personaleforhold": "personaleforhold",
    "samarbejdsforhold": "samarbejdsforhold",
    "arbejdsmiljoeforhold": "arbejdsmiljøforhold",
}
#: Words a user may type after »ret« to pick a field ("ret potentiale").
IDEA_FIELD_WORDS = {
    "title": ("titel", "titlen", "overskrift"),
    "description": ("beskrivelse", "beskrivelsen", "tekst"),
    "potential": ("potentiale", "potentialet", "besparelse", "økonomi"),
    "area": ("område", "området", "forvaltning", "afdeling"),
    "cross_cutting": ("på tværs", "tværs", "tværgående"),
    "consequences": ("konsekvenser", "konsekvenserne", "forhold", "de fire forhold"),
    "anonymous": ("anonym", "anonymt", "anonymitet", "navn"),
}


def idea_field_empty(label: str) -> str:
    return f"{label} mangler – skriv mindst et par ord."


def _idea_count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def idea_description_first(title_max: int) -> str:
    """The whole idea typed where the title was asked for."""
    return f"Det var vist hele idéen – den har jeg gemt som beskrivelsen. Giv den nu en kort titel (højst {title_max} tegn)."


def idea_field_too_long(label: str, maximum: int, actual: int) -> str:
    return (
        f"Teksten i »{label}« er for lang: {_idea_count(actual)} tegn, og der er plads til højst {_idea_count(maximum)} tegn. "
        "Prøv at skrive det kortere – uddybningen kan du give udvalget senere."
    )


def idea_area_not_found(text: str) -> str:
    return f"Jeg kender ikke området »{text}«. Vælg et af områderne herunder."


IDEA_YES_NO_RETRY = "Svar venligst »ja« eller »nej«."
IDEA_SET_ASIDE = "Din idé er gemt som kladde – skriv »fortsæt min idé«, når du vil gøre den færdig."


def idea_consequence_taken(label: str) -> str:
    return (
        f"Tak – det har jeg skrevet som idéens betydning for de fire forhold (under {label}). "
        "Du kan rette det, før idéen sendes."
    )

IDEA_SUMMARY_TITLE = "Din idé – tjek den, før den sendes"


def idea_summary_text(committee: str, budget_year: int, *, anonymous: bool = False, name: str | None = None) -> str:
    if anonymous:
        who = "uden dit navn – udvalget ser ikke, hvem der har sendt den"
    else:
        who = f"med dit navn ({name})" if name else "med dit navn"
    return f"Jeg sender idéen til {committee} som en idé til budget {budget_year}, {who}. Ser den rigtig ud?"


IDEA_SUMMARY_HINT = "Du kan også bare skrive »ja« for at sende den – eller fx »ret titel«."
IDEA_CONFIRM = "Send idéen"
IDEA_EDIT = "Ret"
IDEA_EDIT_OTHER = "Ret noget andet"
IDEA_CANCEL = "Annuller"
IDEA_CONFIRM_WORDS = (
    "bekræft", "bekraeft", "send", "send den", "ok", "ja", "godkend", "det er rigtigt",
    "send idéen", "ja tak", "ja send", "ja send den", "send den nu", "gerne", "jep", "okay", "fint",
)
IDEA_SUMMARY_RETRY = (
    "Skriv »ja« for at sende idéen, »tilføj« for at skrive mere, »ret« og et felt (fx »ret titel«) eller »annuller«."
)
IDEA_ASK_WHICH_FIELD = "Hvad vil du rette?"
IDEA_NOT_FILLED = "–"


def idea_duplicates_text(budget_year: int) -> str:
    return (
        f"Der er allerede lignende idéer til budget {budget_year}. "
        "Vil du støtte en af dem i stedet for at sende en ny? Så står I stærkere sammen – "
        "og så sletter jeg din kladde."
    )


def idea_own_duplicate_text(number: str, title: str, status_label: str) -> str:
    return (
        f"Du har selv sendt en lignende idé: #{number} »{title}« ({status_label}). "
        "Vil du sende den nye alligevel, eller beholde den gamle?"
    )


IDEA_OWN_SEND_NEW = "Send den nye alligevel"
IDEA_OWN_KEEP_OLD = "Behold den gamle – slet den nye"
IDEA_OWN_SEND_NEW_WORDS = ("send", "send den", "send den nye", "send alligevel", "alligevel", "den nye", "ny", "nye")
IDEA_OWN_KEEP_OLD_WORDS = ("behold", "behold den gamle", "den gamle", "gamle", "slet den nye", "slet", "drop den nye")


def idea_own_kept_old(number: str) -> str:
    return f"Okay – jeg har slettet den nye kladde. Din idé #{number} er stadig sendt; skriv »mine idéer« for at se status."


def idea_support_action(number: str) -> str:
    return f"Støt idé #{number}"


def idea_support_words(number: str) -> tuple[str, ...]:
    """What a user may type to support the similar idea ``number`` (besides the button)."""
    return (number, f"#{number}", f"støt {number}", f"støt idé {number}", f"støt #{number}", f"idé {number}")


IDEA_SEND_ANYWAY = "Send min alligevel"
IDEA_SEND_ANYWAY_WORDS = ("send min alligevel", "send alligevel", "alligevel", "send", "nej", "ny", "min egen")
IDEA_DUPLICATES_RETRY = "Skriv »støt« og nummeret på idéen, eller »send alligevel«."


def idea_similar_line(number: str, title: str, status_label: str) -> str:
    return f"#{number} »{title}« ({status_label})"


def idea_supported(number: str) -> str:
    return (
        f"Tak! Du støtter nu idé #{number}. Du får besked her, når den skifter status. "
        "Din egen kladde er slettet."
    )


def idea_already_supported(number: str) -> str:
    return f"Du støtter allerede idé #{number} – du får besked, når den skifter status."


def idea_own_idea(number: str) -> str:
    return f"Idé #{number} er din egen, så den kan du ikke støtte. Din nye kladde er ikke slettet."


def idea_supported_by_command(number: str) -> str:
    return f"Tak! Du støtter nu idé #{number}. Du får besked her, når den skifter status."


def idea_own_idea_by_command(number: str) -> str:
    return f"Idé #{number} er din egen, så den kan du ikke støtte – men du får besked, når den skifter status."


def idea_field_corrected(label: str, value: str) -> str:
    return f"Rettet 👍 {label}: »{value}«"


#: What a follow-up right after a submitted idea is read with (»hvad sker der så nu?«).
IDEA_SUBMITTED_CONTEXT = "hvad sker der med min gode idé når den er sendt"
#: What a question inside the idea dialog is about when it only says »den« (searched, never shown).
IDEA_DIALOG_TOPIC = "min gode idé"
IDEA_DRAFT_SO_FAR = "Det har du skrevet indtil nu"
IDEA_SHOW_DRAFT_PHRASES = (
    "hvad jeg skrev", "hvad jeg har skrevet", "hvad har jeg skrevet", "hvad har du fået", "hvad har du indtil nu",
    "vis kladden", "vis min kladde", "vis hvad jeg har skrevet", "what have i written", "what did i write",
)


IDEA_CORRECTION_NOT_FOUND = "Jeg kunne ikke se, hvilket ord du vil rette. Skriv hele teksten igen, så retter jeg den."


def idea_receipt(
    number: str, committee: str, *, committee_notified: bool = True, feedback_possible: bool = True, contact: str = ""
) -> str:
    """The receipt: it says only what has happened (who got word, and whether feedback can reach you)."""
    if committee_notified:
        routed = f"Den hører til {committee}, og udvalgets kontaktperson får besked om den."
    else:
        routed = (
            f"Den hører til {committee}, men jeg kender ikke udvalgets kontaktperson her i chatten endnu, "
            "så ingen i udvalget har fået besked. MED-sekretæren kan se det, og idéen bliver sendt, "
            "så snart kontaktpersonen er sat op."
        )
        if contact:
            routed += f" Vil du ikke vente, kan du selv skrive til kontaktpersonen: {contact}."
    follow = "Du får besked her i chatten, hver gang den skifter status. " if feedback_possible else ""
    return f"Din idé #{number} er modtaget ✅ Nummeret er din kvittering.\n\n{routed} {follow}Skriv »mine idéer« for at se status."


IDEA_RECEIPT_ANONYMOUS = "Idéen er sendt anonymt: udvalget ser ikke dit navn."
IDEA_RECEIPT_NO_FEEDBACK = (
    "Bemærk: Jeg kan kun give dig besked om status, når du har skrevet til mig i en personlig chat. "
    "Skriv »hej« til mig i en chat med kun mig, så er du sikker på at få besked."
)
IDEA_SUBMIT_FAILED = (
    "Beklager, jeg kunne ikke gemme idéen lige nu. Det, du har skrevet, er gemt – "
    "skriv »ny idé« om lidt for at prøve igen."
)


def idea_resume_question(title: str, when: str) -> str:
    what = f"»{title}«" if title else "uden titel endnu"
    return f"Du har en idé, du ikke blev færdig med: {what} (sidst rettet {when}). Vil du fortsætte med den?"


IDEA_RESUMED = "Godt, så fortsætter vi, hvor du slap."
IDEA_STARTING_OVER = "Okay, så starter vi på en frisk."
IDEA_NO_DRAFT = "Du har ingen idé i gang, så lad os starte på en ny."
#: Folded start words of »fortsæt min idé«.
IDEA_RESUME_WORDS = ("fortsat", "fortsaet", "genoptag", "videre med")


def idea_form_errors(problems: list[str]) -> str:
    return "Der er noget i kortet, der skal rettes:\n" + "\n".join(f"• {p}" for p in problems)


# Status labels, keyed by the status code of knowledge.ideas_rules.IdeaStatus.
IDEA_STATUS_LABELS = {
    "modtaget": "modtaget",
    "droeftes": "drøftes i {committee}",
    "sendt_videre": "sendt videre til {committee}",
    "praesenteret": "præsenteret for Økonomiudvalget",
    "budgetforslag": "indgår i budgetforslag",
    "idebank": "lagt i idébanken",
    "afvist": "afvist",
    "lukket": "lukket",
}
IDEA_COMMITTEE_FALLBACK = "udvalget"
#: Short status names, for lists of possible next steps.
IDEA_STATUS_SHORT = {
    "modtaget": "modtaget",
    "droeftes": "drøftes",
    "sendt_videre": "sendt videre",
    "praesenteret": "præsenteret for Økonomiudvalget",
    "budgetforslag": "indgår i budgetforslag",
    "idebank": "lagt i idébanken",
    "afvist": "afvist",
    "lukket": "lukket",
}


def idea_status_label(status: str, committee: str | None = None) -> str:
    template = IDEA_STATUS_LABELS.get(status, status)
    return template.format(committee=committee or IDEA_COMMITTEE_FALLBACK)


# Proactive messages.


def idea_feedback_title(number: str) -> str:
    return f"Nyt om din idé #{number}"


def idea_feedback_title_supporter(number: str) -> str:
    return f"Nyt om idé #{number}, som du støtter"


def idea_feedback_text(title: str, status_label: str) -> str:
    return f"»{title}«\n\nNy status: {status_label}."


IDEA_REASON = "Begrundelse"
IDEA_FEEDBACK_NOTE = "Skriv »mine idéer« for at se alle dine idéer og deres status."


def idea_new_for_contact_title(number: str, committee: str) -> str:
    return f"Ny god idé til {committee}: #{number}"


def idea_forwarded_for_contact_title(number: str, committee: str) -> str:
    return f"Idé #{number} er sendt videre til {committee}"


def idea_contact_note(number: str) -> str:
    return f"Skriv »idé {number}« for at se den, eller fx »sæt idé {number} til drøftes«."


def idea_nudge_title(number: str) -> str:
    return f"Påmindelse om idé #{number}"


def idea_nudge_text(title: str, status_label: str, days: int) -> str:
    return f"»{title}« har stået som »{status_label}« i {days} dage. Er der nyt i sagen?"


IDEA_SUBMITTER = "Forslagsstiller"
IDEA_SUBMITTER_ANONYMOUS = "Anonym"
IDEA_SUBMITTER_ERASED = "(slettet)"
IDEA_STATUS = "Status"
IDEA_COMMITTEE = "Udvalg"
IDEA_SUPPORTS = "Støtter"
IDEA_RECEIVED = "Modtaget"
IDEA_STATUS_CHANGED = "Status ændret"
IDEA_BUDGET_YEAR = "Budgetår"


def idea_consequence_fact(label: str) -> str:
    return f"Konsekvenser for {label}"


# Chat commands for admins (MED secretaries and committee chairs) and own ideas.

IDEA_ADMIN_ONLY = (
    "Det kan kun udvalgets MED-sekretær og formand gøre her. "
    "Kontakt MED-sekretæren, hvis du mener, at du skal have adgang."
)


def idea_admin_list_title(committees: str) -> str:
    return f"Åbne idéer – {committees}"


def idea_admin_list_empty(committees: str) -> str:
    return f"Der er ingen åbne idéer hos {committees} lige nu."


def idea_list_line(number: str, title: str, status_label: str, supports: int) -> str:
    backing = f", {supports} støtter" if supports else ""
    return f"#{number} »{title}« – {status_label}{backing}"


def my_idea_list_line(number: str, title: str, status_label: str, supports: int, committee: str, contact: str) -> str:
    """One of the submitter's own ideas: which committee has it, and its contact person."""
    who = f" (kontaktperson: {contact})" if contact else ""
    return f"{idea_list_line(number, title, status_label, supports)} · hos {committee}{who}"


IDEA_LIST_MORE = "Skriv »idé« og nummeret for at se en idé, fx »idé {number}«."
IDEA_LIST_CONTACT_WARNING = "⚠ = udvalgets kontaktperson har ikke fået besked (ingen chatadresse kendt)."
MY_IDEAS_TITLE = "Dine idéer"
MY_IDEAS_EMPTY = "Du har ikke sendt nogen idéer endnu. Skriv »ny idé« for at sende en."


def idea_not_found(number: str) -> str:
    return f"Jeg kan ikke finde idé #{number}. Tjek nummeret – det står i din kvittering, fx #2027-014."


def idea_status_changed(number: str, status_label: str, notified: int, unreachable_committee: str | None = None) -> str:
    tail = " Forslagsstilleren får besked." if notified else ""
    if unreachable_committee:
        tail += (
            f" Men ingen i {unreachable_committee} har fået besked: jeg kender ikke udvalgets kontaktperson i chatten. "
            "Sæt en kontaktperson op, så sender jeg den."
        )
    return f"Idé #{number} er nu: {status_label}.{tail}"


def idea_ask_reason(status_label: str) -> str:
    return (
        f"Hvorfor? Der skal være en begrundelse, når en idé bliver {status_label} – "
        "den sendes til forslagsstilleren."
    )


def idea_invalid_transition(current: str, wanted: str, allowed: list[str]) -> str:
    options = ", ".join(f"»{a}«" for a in allowed) if allowed else "ingen – idéen er lukket"
    return f"En idé, der er »{current}«, kan ikke blive »{wanted}«. Mulige næste trin: {options}."


def idea_same_status(status_label: str) -> str:
    return f"Idéen er allerede »{status_label}«."


IDEA_NEED_COMMITTEE = (
    "Skriv, hvilket udvalg idéen sendes videre til, fx »sæt idé 2027-014 til sendt videre til {top}«."
)


def idea_unknown_committee(text: str, names: list[str]) -> str:
    return f"Jeg kender ikke udvalget »{text}«. Mulige udvalg: {', '.join(names)}."


def idea_unknown_status(text: str) -> str:
    return (
        f"Jeg kender ikke status »{text}«. Mulige: modtaget, drøftes, sendt videre, præsenteret, "
        "budgetforslag, idébank, afvist og lukket."
    )


def idea_comment_saved(number: str) -> str:
    return f"Kommentaren er gemt på idé #{number} (den ses kun af udvalget)."


IDEA_COMMENT_EMPTY = "Skriv kommentaren efter kolon, fx »kommentér idé 2027-014: Vi tager den op i maj«."
IDEA_COMMANDS_HELP = (
    "Det kan du skrive om idéer:\n"
    "• »ny idé« – send en god idé til budgettet\n"
    "• »mine idéer« – se dine idéer og deres status\n"
    "• »støt idé 2027-014« – støt en andens idé\n"
    "For udvalgets MED-sekretær og formand:\n"
    "• »idéer« – de åbne idéer hos dit udvalg\n"
    "• »idé 2027-014« – vis én idé\n"
    "• »sæt idé 2027-014 til drøftes« – skift status (»… til afvist fordi …« kræver en begrundelse)\n"
    "• »kommentér idé 2027-014: …« – en intern kommentar til udvalget"
)
IDEA_EVENTS_HEADING = "Historik"


def idea_event_line(when: str, actor: str, what: str, reason: str | None) -> str:
    return f"{when} – {actor}: {what}" + (f" ({reason})" if reason else "")


IDEA_EVENT_SUBMITTED = "idéen blev sendt"
IDEA_EVENT_COMMENT = "kommentar"
IDEA_EVENT_SUPPORT = "en kollega støtter idéen"
IDEA_EVENT_ERASED = "forslagsstillerens identitet blev slettet"
IDEA_ACTOR_SUBMITTER = "forslagsstilleren"
IDEA_ACTOR_CLI = "MED-sekretær (kommandolinjen)"
IDEA_ACTOR_SYSTEM = "MED-bot"
IDEA_ACTOR_ERASED = "en slettet person"
IDEA_CHANGED_MEANWHILE = "Idéen blev ændret af en anden i samme øjeblik. Se den igen, og prøv så igen."
IDEA_REASON_TOO_LONG = "Begrundelsen er for lang – skriv den kortere (højst 2.000 tegn)."


# --- reminders: saved at once, managed by what they are about ------------------------


def reminder_saved_now(what: str, when: str) -> str:
    """Said when a reminder is saved straight away (the buttons undo or move it)."""
    return f"Jeg minder dig om »{what}« {when}."


REMINDER_UNDO_BUTTON = "Fortryd"
REMINDER_MOVE_BUTTON = "Flyt den"


def reminder_undo_command(what: str) -> str:
    """What the [Fortryd] button types for the user."""
    return f"slet den om {what}"


def reminder_move_command(what: str) -> str:
    """What the [Flyt den] button types for the user."""
    return f"flyt den om {what}"


#: »færdig« with nothing open (after a reminder was saved): a short reply, no search.
CLOSING_WORDS = ("færdig", "faerdig", "done", "det var det", "det var alt")


def reminder_already(what: str, when: str) -> str:
    return f"Den har du allerede: Jeg minder dig om »{what}« {when}."


def reminder_ask_move(what: str) -> str:
    return f"Hvornår skal jeg minde dig om »{what}« i stedet? " + DATE_HINT


def reminder_not_moved(what: str, when: str) -> str:
    return f"Okay, »{what}« står stadig til {when}."


def reminder_not_saved_done(what: str) -> str:
    return f"Okay, så gemmer jeg ikke påmindelsen om »{what}«."


REMINDER_DONE_NOTHING = "Okay – skriv, hvis der er mere."
REMINDER_NONE_TO_CHANGE = "Du har ingen påmindelser, så der er ikke noget at slette eller flytte."


def reminder_no_match(about: str) -> str:
    return f"Jeg kan ikke finde en påmindelse om »{about}«. Skriv »mine påmindelser« for at se dem."


def reminder_which(delete: bool) -> str:
    return "Hvilken påmindelse skal jeg slette?" if delete else "Hvilken påmindelse skal jeg flytte?"


def reminder_choice(text: str, when: str) -> str:
    return f"{text} ({when})"


REMINDER_WHICH_NONE = "Okay, jeg har ikke ændret noget."
#: Words that end a reminder question without changing anything (also inside a longer answer: »nej lad den stå«).
REMINDER_PROMPT_DONE_WORDS = ("færdig", "faerdig", "done", "det var det", "nej tak", "lad være", "~lad den stå", "~lad den være", "~lad den bare stå")
REMINDER_NOTHING_JUST_SAVED = (
    "Jeg har ikke lige gemt en påmindelse, jeg kan rette. Skriv fx »flyt den om APV til fredag kl. 10« eller »mine påmindelser«."
)


# Den gode idé, the short dialog: the summary's buttons, »send« at any question, an area named anywhere.
IDEA_SEND_ANONYMOUS = "Send uden mit navn"
IDEA_SEND_WITH_NAME = "Send med mit navn"
IDEA_ADD_MORE = "Tilføj flere oplysninger"
IDEA_SEND_ANONYMOUS_WORDS = (
    "send uden mit navn", "send uden navn", "uden mit navn", "uden navn", "send anonymt", "send den anonymt",
    "ja anonymt", "ja anonym", "ja anonym tak", "ja tak anonymt", "anonymt tak",
)
#: Said before the summary (at any field question): noted, and the question asked again.
IDEA_ANONYMOUS_EARLY_WORDS = (
    "anonym", "anonymt", "anonym tak", "jeg vil være anonym", "jeg vil gerne være anonym", "anonymous",
    *IDEA_SEND_ANONYMOUS_WORDS,
)
IDEA_ANONYMOUS_TAKEN = "Noteret – idéen sendes uden dit navn. Du får stadig besked her, når den skifter status."
IDEA_SEND_WITH_NAME_WORDS = (
    "send med mit navn", "send med navn", "med mit navn", "med navn", "med mit navn på", "med navn på", "ikke anonymt",
    "mit navn på", "skriv mit navn på", "skriv mit navn på alligevel", "med mit navn alligevel", "mit navn på alligevel",
)
IDEA_ADD_MORE_WORDS = (
    "tilføj", "tilføj flere oplysninger", "tilføj mere", "flere oplysninger", "mere", "skriv mere", "uddyb",
)
#: »send« and the words around it in »ja send den nu«, »send idéen bare«.
IDEA_SEND_WORDS = ("send", "indsend")
IDEA_SEND_FILLER_WORDS = (
    "ja", "tak", "den", "det", "nu", "bare", "idéen", "ideen", "så", "ok", "okay", "gerne", "godt", "lige",
    "af", "sted", "afsted", "ind", "venligst", "jamen", "du", "må", "kan",
    "er", "fint", "super", "perfekt", "fedt", "flot", "jep", "jo", "yes", "please",
)
#: The typed forms of »send« every idea question lets through: before and after the verb.
IDEA_SEND_PHRASE_BEFORE = ("ja", "ja tak", "ok", "ja det er fint", "det er fint", "fint", "ja fint", "super", "perfekt", "ja super", "ok fint")
IDEA_SEND_PHRASE_AFTER = ("den", "den nu", "nu", "idéen", "idéen nu", "den bare", "bare", "tak", "den ind", "den afsted")
#: The words around an area's name in a short message that only says where the idea belongs
#: (»jeg er i SSB«, »vi hører under BFF«, »det er STABplus«).
IDEA_AREA_STATEMENT_WORDS = (
    "jeg", "vi", "er", "i", "hører", "hoerer", "horer", "under", "til", "det", "den", "idéen", "ideen",
    "området", "område", "forvaltning", "forvaltningen", "afdeling", "afdelingen", "fra", "på", "paa", "hos",
    "arbejder", "sidder", "ansat", "os", "min", "mit", "vores", "hedder", "ligger", "ja", "nå", "altså",
    "forresten", "btw", "men", "så", "og", "ok",
)
IDEA_MORE_INTRO = "Godt – så spørger jeg om lidt mere. Skriv »spring over« til det, du ikke vil svare på."
IDEA_SENDER = "Afsender"
IDEA_SENDER_NAMED = "Dig, med dit navn"
IDEA_SENDER_ANONYMOUS_SUMMARY = "Uden navn (anonymt)"
IDEA_NOW_ANONYMOUS = "Okay – idéen sendes uden dit navn. Skriv »send«, når den skal af sted."
IDEA_NOW_NAMED = "Okay – idéen sendes med dit navn. Skriv »send«, når den skal af sted."


def idea_still_missing(labels: list[str]) -> str:
    what = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} og {labels[-1]}"
    return f"Før jeg kan sende idéen, mangler jeg {what}."


def idea_area_taken(area: str) -> str:
    return f"Tak – jeg har sat området til {area}."


# Why an idea notice was not delivered, as stored with it and shown by `medbot ideas`.
IDEA_NOTICE_IDEA_GONE = "idéen findes ikke længere"
IDEA_NOTICE_SUBMITTER_GONE = "forslagsstilleren er slettet eller ukendt"
IDEA_NOTICE_SUPPORT_GONE = "støtten er slettet"
IDEA_NOTICE_NO_PERSONAL_CHAT = "ingen personlig chat kendt"
IDEA_NOTICE_NO_CONTACT_ADDRESS = "ingen chatadresse kendt for udvalgets kontaktperson"
IDEA_NOTICE_RECIPIENT_ERASED = "modtageren er slettet"


def idea_notice_gave_up(attempts: int, detail: str) -> str:
    return f"gav op efter {attempts} forsøg: {detail}"


# A committee's contact people as listed to an admin, when the profile names none.
IDEA_NO_CONTACT_IN_PROFILE = "ingen kontaktperson i profilen"
# The stand-in reason with which a status change is checked before its reason is asked for.
IDEA_REASON_FOLLOWS = "(begrundelse følger)"
