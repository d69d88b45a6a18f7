"""knowledge.ideas_rules: pure rules of Den gode idé."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from knowledge.ideas_rules import (
    REASON_REQUIRED,
    TRANSITIONS,
    CommandKind,
    IdeaDraft,
    IdeaNumber,
    IdeaStatus,
    InvalidTransitionError,
    ReasonRequiredError,
    SameStatusError,
    budget_year_for,
    check_transition,
    committees_from_profile,
    find_committee,
    match_area,
    parse_idea_command,
    parse_idea_number,
    parse_status,
    route_committee,
    similarity,
)
from knowledge.profiles import load_profile

S = IdeaStatus


def test_every_status_has_a_danish_label_in_texts() -> None:
    from dialogs import texts

    assert set(texts.IDEA_STATUS_LABELS) == {s.value for s in IdeaStatus}
    assert set(texts.IDEA_STATUS_SHORT) == {s.value for s in IdeaStatus}


def test_the_lifecycle_of_the_issue() -> None:
    path = [S.MODTAGET, S.DROEFTES, S.SENDT_VIDERE, S.PRAESENTERET, S.BUDGETFORSLAG, S.LUKKET]
    for current, wanted in zip(path, path[1:], strict=False):
        check_transition(current, wanted, None)
    for ending in (S.IDEBANK, S.AFVIST):
        check_transition(S.PRAESENTERET, ending, "fordi")
        check_transition(ending, S.LUKKET, None)
    assert TRANSITIONS[S.LUKKET] == frozenset()
    assert all(S.MODTAGET not in targets for targets in TRANSITIONS.values())


def test_forbidden_transitions_and_reasons() -> None:
    with pytest.raises(InvalidTransitionError):
        check_transition(S.MODTAGET, S.LUKKET, None)
    with pytest.raises(InvalidTransitionError):
        check_transition(S.LUKKET, S.DROEFTES, None)
    with pytest.raises(SameStatusError):
        check_transition(S.DROEFTES, S.DROEFTES, None)
    assert REASON_REQUIRED == {S.AFVIST}
    with pytest.raises(ReasonRequiredError):
        check_transition(S.MODTAGET, S.AFVIST, " ")
    check_transition(S.MODTAGET, S.AFVIST, "Er allerede gennemført")


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), 2027),
        (datetime(2026, 10, 31, 22, 59, tzinfo=UTC), 2027),  # 23:59 on 31 October in Copenhagen
        (datetime(2026, 10, 31, 23, 0, tzinfo=UTC), 2028),  # 1 November in Copenhagen
        (datetime(2026, 12, 7, 10, 0, tzinfo=UTC), 2028),
        (datetime(2027, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))), 2028),
    ],
)
def test_budget_year_is_next_year_until_the_budget_is_adopted(moment: datetime, year: int) -> None:
    """000 "Beslutningsfasen – september - oktober": the budget for next year is adopted by the
    end of October, so an idea from November on belongs to the budget after next."""
    assert budget_year_for(moment) == year


def test_budget_year_needs_an_aware_datetime() -> None:
    with pytest.raises(ValueError):
        budget_year_for(datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001 - the naive datetime is what is refused


@pytest.mark.parametrize("text", ["#2027-014", "2027-14", "2027/014", "idé 2027014", "2027 – 014"])
def test_idea_numbers(text: str) -> None:
    assert parse_idea_number(text) == IdeaNumber(2027, 14)
    assert str(IdeaNumber(2027, 14)) == "2027-014" and IdeaNumber(2027, 14).display == "#2027-014"


def test_not_idea_numbers() -> None:
    assert parse_idea_number("ring på 12345678") is None
    assert parse_idea_number("2027-000") is None


@pytest.mark.parametrize(
    ("text", "status"),
    [("drøftes", S.DROEFTES), ("droeftes", S.DROEFTES), ("sendt_videre", S.SENDT_VIDERE), ("Lagt i idébanken", S.IDEBANK),
     ("indgår i budgetforslag", S.BUDGETFORSLAG), ("AFVIST", S.AFVIST), ("præsenteret for Økonomiudvalget", S.PRAESENTERET)],
)
def test_parse_status(text: str, status: IdeaStatus) -> None:
    assert parse_status(text) is status


def test_parse_unknown_status() -> None:
    assert parse_status("måske") is None


def test_similarity_folds_danish_letters_and_ignores_small_words() -> None:
    assert similarity("Fælles indkøb af kontorartikler", "", "faelles indkob af kontor artikler", "") >= 90
    assert similarity("Sluk lyset om natten i skolerne", "", "Sluk for lyset i skolerne om aftenen", "") >= 80
    assert similarity("Elbiler i hjemmeplejen", "", "Færre printere på rådhuset", "") < 50
    assert similarity("Mødefri fredag", "Ingen møder om fredagen", "Fælles indkøb", "Mængderabat") < 60


def test_draft_round_trip_and_missing_fields() -> None:
    draft = IdeaDraft(title="T", description="D")
    # Only what an idea cannot be routed or understood without is required.
    assert draft.missing() == ["area"]
    assert draft.unfilled_optional() == ["potential", "cross_cutting", "consequences"]
    assert IdeaDraft(title="T", area_unknown=True).missing() == ["description"]
    assert IdeaDraft(title="T", description="D", area_id="bff").is_complete()
    draft.consequences = {"arbejdsforhold": "A", "ukendt": "x"}
    again = IdeaDraft.from_dict(draft.to_dict())
    assert again.consequences == {"arbejdsforhold": "A"}
    assert IdeaDraft.from_dict({"title": 5, "anonymous": "ja"}).title == ""


def test_committees_and_routing_from_the_profile() -> None:
    profile = load_profile("jammerbugt")
    committees = committees_from_profile(profile)
    assert [c.key for c in committees] == ["top", "ssb", "bff", "vuf", "stabplus"]
    assert committees[0].name == "HovedMED" and committees[0].contacts[0].name == "Rikke Krogsgaard Eriksen"
    assert route_committee(profile, "bff", False) == "bff"
    # 000: ideas go to the ForvaltningsMED contacts, who send the cross-cutting ones on to HovedMED.
    assert route_committee(profile, "bff", True) == "bff"
    assert route_committee(profile, None, False) == "top"
    with pytest.raises(KeyError):
        route_committee(profile, "teknik", False)
    assert find_committee("MED-hovedudvalget", committees).key == "top"  # type: ignore[union-attr]  # the committee is known
    assert find_committee("forvaltningsmed vuf", committees).key == "vuf"  # type: ignore[union-attr]  # the committee is known
    assert find_committee("Økonomiudvalget", committees) is None


def test_albertslund_routes_to_afdelingsmed_and_kommunemed() -> None:
    profile = load_profile("albertslund")
    assert route_committee(profile, "oekonomi-stab", False) == "oekonomi-stab"
    names = {c.key: c.name for c in committees_from_profile(profile)}
    assert names["top"] == "KommuneMED" and names["oekonomi-stab"] == "AfdelingsMED Økonomi & Stab"


def test_match_area() -> None:
    areas = [(a.id, (a.name, *a.aliases, a.committee)) for a in load_profile("jammerbugt").areas]
    assert match_area("bff", areas) == "bff"
    assert match_area("Stab+", areas) == "stabplus"
    assert match_area("forvaltningsmed ssb", areas) == "ssb"
    assert match_area("3", areas) == "vuf"
    assert match_area("9", areas) is None
    assert match_area("Teknik og Miljø", areas) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mine idéer", CommandKind.MY_IDEAS),
        ("status paa min ide", CommandKind.MY_IDEAS),
        ("hvad er status på mine idéer?", CommandKind.MY_IDEAS),
        ("hvordan går det med mit forslag", CommandKind.MY_IDEAS),
        ("hvad var mit kvitteringsnummer", CommandKind.MY_IDEAS),
        ("nummeret på min idé?", CommandKind.MY_IDEAS),
        ("idéer", CommandKind.LIST),
        ("vis idéer", CommandKind.LIST),
        ("idé 2027-014", CommandKind.SHOW),
        ("sæt idé 2027-014 til afvist fordi den er for dyr", CommandKind.SET_STATUS),
        ("kommentér idé 2027-014: tages op i maj", CommandKind.COMMENT),
        ("støt idé 2027-003", CommandKind.SUPPORT),
    ],
)
def test_idea_commands(text: str, kind: CommandKind) -> None:
    command = parse_idea_command(text)
    assert command is not None and command.kind is kind


def test_set_status_command_details() -> None:
    command = parse_idea_command("Sæt idé #2027-014 til afvist fordi den er for dyr")
    assert command is not None
    assert (command.number, command.status, command.reason) == (IdeaNumber(2027, 14), S.AFVIST, "den er for dyr")
    command = parse_idea_command("sæt idé 2027-014 til sendt videre til HovedMED")
    assert command is not None and command.status is S.SENDT_VIDERE and command.committee_text == "HovedMED"
    command = parse_idea_command("sæt idé 2027-014 til noget helt andet")
    assert command is not None and command.status is None and command.status_text == "noget helt andet"


@pytest.mark.parametrize("text", ["jeg har en god idé", "hvad er Den gode idé?", "idé", "forslag til budgettet"])
def test_not_idea_commands(text: str) -> None:
    assert parse_idea_command(text) is None


def test_idea_config_from_env() -> None:
    from bot.ideas.config import IdeaConfig, IdeaConfigError

    assert IdeaConfig.from_env({}).stale_after == timedelta(days=14)
    assert IdeaConfig.from_env({"MEDBOT_IDEA_STALE_DAYS": "7"}).stale_after == timedelta(days=7)
    assert IdeaConfig.from_env({"MEDBOT_IDEA_STALE_DAYS": "0,5"}).stale_after == timedelta(hours=12)
    assert IdeaConfig.from_env({"MEDBOT_IDEA_STALE_DAYS": "0"}).stale_after is None
    with pytest.raises(IdeaConfigError):
        IdeaConfig.from_env({"MEDBOT_IDEA_STALE_DAYS": "to uger"})
