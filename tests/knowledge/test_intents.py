import pytest

from knowledge.intents import Intent, classify


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hjælp", Intent.HELP),
        ("Hjaelp", Intent.HELP),
        ("hvad kan du?", Intent.HELP),
        ("annuller", Intent.CANCEL),
        ("Afbryd", Intent.CANCEL),
        ("nej stop, jeg vil hellere spoerge min leder foerst", Intent.CANCEL),
        ("annuller, jeg gør det senere", Intent.CANCEL),
        ("glem det, anden sag: vores afdelingschef vil samle to teams - hvem skal droefte det", Intent.CASE_LEVEL),
        ("stop, hvad er en AMR?", Intent.QUESTION),
        ("stop påmindelser", Intent.UNSUBSCRIBE),
        ("hvilke udvalg har vi i jammerbugt", Intent.QUESTION),
        ("hej", Intent.GREETING),
        ("mange tak!", Intent.THANKS),
        ("hvilket udvalg skal behandle en ny vagtplan?", Intent.CASE_LEVEL),
        ("Hvilket MED-udvalg", Intent.CASE_LEVEL),
        ("hvor skal sagen behandles", Intent.CASE_LEVEL),
        ("hvilket niveau skal vores sag om nye arbejdstider drøftes på", Intent.CASE_LEVEL),
        ("jeg har en god idé", Intent.IDEA_NEW),
        ("forslag til budgettet", Intent.IDEA_NEW),
        ("ny ide", Intent.IDEA_NEW),
        ("Hvad er Den gode idé?", Intent.QUESTION),
        ("mind mig om at sende input til KommuneMED i morgen kl. 9", Intent.REMINDER_NEW),
        ("kan du minde mig om mødet på tirsdag", Intent.REMINDER_NEW),
        ("mine påmindelser", Intent.REMINDER_LIST),
        ("abonnér på HovedMEDs møder", Intent.SUBSCRIBE),
        ("stop påmindelser", Intent.UNSUBSCRIBE),
        ("afmeld HovedMED", Intent.UNSUBSCRIBE),
        ("tilmeld MEDsamarbejdet", Intent.SUBSCRIBE),
        ("udsæt 1 time", Intent.REMINDER_LIST),
        ("flyt 2 til fredag kl 10", Intent.REMINDER_LIST),
        ("slet påmindelse 3", Intent.REMINDER_LIST),
        ("idéer", Intent.IDEA_LIST),
        ("idé 2027-014", Intent.IDEA_LIST),
        ("sæt idé 2027-014 til afvist fordi den er en god idé men for dyr", Intent.IDEA_LIST),
        ("fortsæt min idé", Intent.IDEA_NEW),
        ("hvad er en AMR", Intent.QUESTION),
        ("hvad er det rette niveau", Intent.QUESTION),
        ("", Intent.QUESTION),
    ],
)
def test_classify(text: str, intent: Intent) -> None:
    assert classify(text).intent is intent
