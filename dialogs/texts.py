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

EMPTY_MESSAGE = "Jeg fik ikke nogen tekst. Skriv dit spørgsmål, eller skriv »hjælp«."


def too_long(max_chars: int) -> str:
    return (
        f"Din besked er for lang til mig (højst {max_chars:,} tegn).".replace(",", ".")
        + " Prøv at skrive det kortere – fx kun selve spørgsmålet."
    )


YOU_ARE_WELCOME = "Det var så lidt. Skriv endelig, hvis der er mere."
NOT_AVAILABLE_YET = "Det kan jeg ikke endnu, men det er på vej. Skriv »hjælp« for at se, hvad jeg kan nu."
CANCELLED = "Okay, jeg har stoppet det. Skriv »hjælp«, hvis du vil se, hvad jeg kan."
NOTHING_TO_CANCEL = "Der er ikke noget at annullere. Skriv »hjælp«, hvis du vil se, hvad jeg kan."
ERROR_APOLOGY = "Beklager, der gik noget galt hos mig. Prøv igen om lidt."
RATE_LIMITED = "Du skriver hurtigere, end jeg kan følge med. Vent et øjeblik og prøv igen."
UNSUPPORTED_ATTACHMENT = "Jeg kan kun læse tekst. Skriv dit spørgsmål med ord."
FIELD_REQUIRED = "Feltet skal udfyldes."
CARD_EXPIRED = "Det kort er ikke aktivt længere. Skriv »hjælp« for at starte forfra."

YES_WORDS = ("ja", "jo", "jep", "ok", "okay", "yes", "y", "j", "gerne", "ja tak", "korrekt", "rigtigt")
NO_WORDS = ("nej", "no", "n", "nope", "nej tak", "ikke")
YES = "Ja"
NO = "Nej"
CONFIRM_RETRY = "Svar venligst »ja« eller »nej«."

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


def fallback_text(suggestions: list[str]) -> str:
    """The plain-text fallback: we don't know, maybe-you-meant, and what we can do."""
    parts = [FALLBACK_UNKNOWN]
    if suggestions:
        parts.append(FALLBACK_SUGGESTIONS + "\n" + "\n".join(f"• {s}" for s in suggestions))
    parts.append(FALLBACK_CAPABILITIES)
    return "\n\n".join(parts)


# --- case level (hvilket MED-udvalg) ----------------------------------------
# (filled in by the case-level work)

# --- dates and reminders ----------------------------------------------------
# (filled in by the date/reminder work)

# --- reminders, calendars and nudges ---------------------------------------
# (filled in by the reminders work)

# --- den gode idé -------------------------------------------------------------
# (filled in by the idea work)
