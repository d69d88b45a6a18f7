"""Reading reminder commands and subscription targets (knowledge.reminder_text)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from knowledge.reminder_text import (
    DeleteCommand,
    MoveCommand,
    SnoozeCommand,
    match_reminders,
    parse_manage_command,
    parse_subscription,
    resolve_target,
    strip_reminder_lead,
)

COMMITTEES = {
    "HovedMED": "HovedMED",
    "MED-hovedudvalget": "HovedMED",
    "KommuneMED": "KommuneMED",
    "AfdelingsMED Økonomi & Stab": "AfdelingsMED Økonomi & Stab",
    "ØSMED": "AfdelingsMED Økonomi & Stab",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("udsæt 1 time", SnoozeCommand(None, delay=timedelta(hours=1))),
        ("Udsæt en halv time", SnoozeCommand(None, delay=timedelta(minutes=30))),
        ("udsæt påmindelse 2 med 30 minutter", SnoozeCommand(2, delay=timedelta(minutes=30))),
        ("udsæt 2 1 time", SnoozeCommand(2, delay=timedelta(hours=1))),
        ("udsaet 3 2 dage", SnoozeCommand(3, delay=timedelta(days=2))),
        ("udsæt 2 til i morgen kl 9", SnoozeCommand(2, when_text="i morgen kl 9")),
        ("flyt påmindelse 2 til fredag kl 10", MoveCommand(2, "fredag kl 10")),
        ("Flyt 2 til 5/12 kl. 13", MoveCommand(2, "5/12 kl. 13")),
        ("flyt til fredag", MoveCommand(None, "fredag")),
        ("slet påmindelse 3", DeleteCommand(3)),
        ("slet 3", DeleteCommand(3)),
        ("fjern nr. 3", DeleteCommand(3)),
        ("slet den", DeleteCommand(None)),
    ],
)
def test_commands(text: str, expected: object) -> None:
    assert parse_manage_command(text) == expected


@pytest.mark.parametrize("text", ["hvad er en amr", "udsæt", "flyt", "slet", "slet alle mine data", "mind mig om at flytte"])
def test_not_commands(text: str) -> None:
    assert parse_manage_command(text) is None


@pytest.mark.parametrize(
    ("text", "named", "target"),
    [
        ("abonnér på HovedMEDs møder", "HovedMEDs", "HovedMED"),
        ("abonner på MED-hovedudvalgets møder", "MED-hovedudvalgets", "HovedMED"),
        ("tilmeld mig KommuneMEDs mødeplan", "KommuneMEDs", "KommuneMED"),
        ("abonner på budgetfrister", "budgetfrister", "budget"),
        ("abonnér på budgettet", "budgettet", "budget"),
        ("abonner på MEDsamarbejdet", "MEDsamarbejdet", "medsamarbejdet"),
        ("stop påmindelser om HovedMED", "HovedMED", "HovedMED"),
        ("afmeld ØSMED", "ØSMED", "AfdelingsMED Økonomi & Stab"),
        ("abonner på AfdelingsMED Økonomi & Stabs møder", "AfdelingsMED Økonomi & Stabs", "AfdelingsMED Økonomi & Stab"),
        ("abonnér på LokalMED Fjerritslev", "LokalMED Fjerritslev", None),
    ],
)
def test_subscription_targets(text: str, named: str, target: str | None) -> None:
    request = parse_subscription(text)
    assert request.target_text == named
    assert resolve_target(request.target_text, COMMITTEES) == target


@pytest.mark.parametrize("text", ["stop påmindelser", "abonnér", "afmeld", "unsubscribe"])
def test_nothing_named(text: str) -> None:
    assert parse_subscription(text).target_text == ""


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("mind mig om at sende input til KommuneMED", "sende input til KommuneMED"),
        ("Kan du minde mig om MED-mødet?", "MED-mødet"),
        ("ny påmindelse: ring til Lis", "ring til Lis"),
        ("husk mig på at læse referatet", "læse referatet"),
    ],
)
def test_strip_reminder_lead(text: str, what: str) -> None:
    assert strip_reminder_lead(text) == what


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("ok mind mig om at tjekke APV handleplan saa", "tjekke APV handleplan"),
        ("mind mig også om at ringe til AMR", "ringe til AMR"),
        ("og mind mig om ForvaltningsMED møde", "ForvaltningsMED møde"),
        ("også om at ringe til AMR", "ringe til AMR"),  # the date layer took »mind mig« already
        ("hej kan du lige minde mig om at læse referatet tak", "læse referatet"),
        ("mind mig om at spørge min leder om ideen", "spørge min leder om ideen"),
    ],
)
def test_the_request_around_the_reminder_text_is_left_out(text: str, what: str) -> None:
    assert strip_reminder_lead(text) == what


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slet den om Rikke", DeleteCommand(None, about="Rikke")),
        ("slet den om afdelingsMED", DeleteCommand(None, about="afdelingsMED")),
        ("slet min påmindelse", DeleteCommand(None)),
        ("kan du slette påmindelsen om APV?", DeleteCommand(None, about="APV")),
        ("fortryd", DeleteCommand(None, just_saved=True)),
        ("flyt den om AMR til fredag kl 10", MoveCommand(None, "fredag kl 10", about="AMR")),
        ("kan den om Lise flyttes til kvart over ni", MoveCommand(None, "kvart over ni", about="Lise")),
        ("flyt arbejdsmiljødrøftelsen til torsdag", MoveCommand(None, "torsdag", about="arbejdsmiljødrøftelsen")),
        ("flyt den om AMR", MoveCommand(None, "", about="AMR")),
        ("flyt den til 31/2", MoveCommand(None, "31/2")),
        ("nej kl 10", MoveCommand(None, "kl 10", just_saved=True)),
    ],
)
def test_commands_that_name_the_reminder(text: str, expected: object) -> None:
    assert parse_manage_command(text) == expected


@pytest.mark.parametrize("text", ["nej tak", "nej lad den staa", "flyt mig til fredag", "kan mødet flyttes til torsdag?"])
def test_not_reminder_commands(text: str) -> None:
    assert parse_manage_command(text) is None


REMINDERS = ["ringe til Rikke", "budgetopfølgning", "forberede afdelingsMED", "ringe til AMR", "arbejdsmiljødrøftelse"]


@pytest.mark.parametrize(
    ("about", "found"),
    [
        ("Rikke", ["ringe til Rikke"]),
        ("rike", ["ringe til Rikke"]),  # a typo
        ("afdelingsmed", ["forberede afdelingsMED"]),
        ("arbejdsmiljødrøftelsen", ["arbejdsmiljødrøftelse"]),
        ("budgetopfoelgning", ["budgetopfølgning"]),
        ("ringe", ["ringe til Rikke", "ringe til AMR"]),  # two: the dialog asks which
        ("kaffe", []),
    ],
)
def test_match_reminders(about: str, found: list[str]) -> None:
    assert [REMINDERS[i] for i in match_reminders(about, REMINDERS)] == found


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("abonner denne kanal på budgetfristerne", "budget"),
        ("abonner kanalen paa budgetaarets frister", "budget"),
        ("subscribe this channel to the budget deadlines", "budget"),
        ("abonnér på HovedMEDs møder", "HovedMED"),
    ],
)
def test_the_subscription_names_its_target_after_who_subscribes(text: str, target: str) -> None:
    assert resolve_target(parse_subscription(text).target_text, ["HovedMED"]) == target
