"""Nudge times, quiet hours, the working-day rule and the seed calendars (knowledge.calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from knowledge.calendar import (
    DEFAULT_RULES,
    CalendarEvent,
    EventKind,
    NudgeKind,
    NudgePolicy,
    NudgeRule,
    Topic,
    WorkingDays,
    event_matches_target,
    load_budget_phases,
    load_seed_events,
    next_send_time,
    nudge_time,
    parse_offset,
    plan_nudges,
)
from knowledge.clock import COPENHAGEN

MEETING_KINDS = frozenset({EventKind.MEETING})


def meeting(start: datetime, **kw: object) -> CalendarEvent:
    return CalendarEvent(uid="m1", org="jammerbugt", title="HovedMED-møde", kind=EventKind.MEETING, starts_at=start, committee="HovedMED", **kw)  # type: ignore[arg-type]  # the keyword arguments are CalendarEvent's own


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def rule(days: float = 0, hours: float = 0, kind: NudgeKind = NudgeKind.AHEAD) -> NudgeRule:
    return NudgeRule(kind, timedelta(days=days, hours=hours), MEETING_KINDS)


def test_holidays_package_knows_the_danish_new_year() -> None:
    days = WorkingDays()
    assert not days.is_working_day(date(2027, 1, 1))  # nytårsdag (Friday)
    assert not days.is_working_day(date(2027, 1, 2))  # Saturday
    assert not days.is_working_day(date(2027, 1, 3))  # Sunday
    assert days.is_working_day(date(2026, 12, 31))  # nytårsaftensdag is not a public holiday
    assert days.previous_working_day(date(2027, 1, 4)) == date(2026, 12, 31)


def test_one_day_nudge_for_monday_4_january_2027_lands_on_31_december_0900() -> None:
    due = nudge_time(meeting(local(2027, 1, 4, 10, 0)), rule(days=1))
    assert due.tzinfo is UTC
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 31, 9, 0)


def test_weekday_nudge_keeps_the_meeting_time_across_dst() -> None:
    # Meeting Tuesday 31 March 2026 10:00 (summer time); 7 days before is Tuesday 24 March (winter time).
    due = nudge_time(meeting(local(2026, 3, 31, 10, 0)), rule(days=7))
    assert due.astimezone(COPENHAGEN) == local(2026, 3, 24, 10, 0)


def test_weekend_moves_to_friday_0900() -> None:
    # Meeting Monday 7 December 2026 13:00: one day before is Sunday.
    due = nudge_time(meeting(local(2026, 12, 7, 13, 0)), rule(days=1))
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 4, 9, 0)


def test_easter_holidays_are_skipped() -> None:
    # Meeting Tuesday 7 April 2026 10:00: 1 day before is 2. påskedag (6 April), then
    # Sunday, Saturday, langfredag, skærtorsdag -> Wednesday 1 April 09:00.
    due = nudge_time(meeting(local(2026, 4, 7, 10, 0)), rule(days=1))
    assert due.astimezone(COPENHAGEN) == local(2026, 4, 1, 9, 0)


def test_optional_holidays_can_be_closed_too() -> None:
    days = WorkingDays(("public", "optional"))
    due = nudge_time(meeting(local(2027, 1, 4, 10, 0)), rule(days=1), working_days=days)
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 30, 9, 0)


def test_evening_quiet_hours_move_earlier_to_0900_same_day() -> None:
    # Meeting Thursday 21:00: 1 day before is Wednesday 21:00 -> Wednesday 09:00.
    due = nudge_time(meeting(local(2026, 12, 10, 21, 0)), rule(days=1))
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 9, 9, 0)


def test_early_morning_moves_to_0700_when_still_before_the_event() -> None:
    # Meeting Thursday 06:30: 1 day before is Wednesday 06:30 -> Wednesday 07:00.
    due = nudge_time(meeting(local(2026, 12, 10, 6, 30)), rule(days=1))
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 9, 7, 0)


def test_early_morning_that_would_pass_the_event_goes_to_previous_day_0900() -> None:
    # Meeting Thursday 06:30 with a 1-hour nudge: 05:30 -> 07:00 would be after it -> Wednesday 09:00.
    due = nudge_time(meeting(local(2026, 12, 10, 6, 30)), rule(hours=1))
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 9, 9, 0)


def test_all_day_events_are_nudged_at_0900() -> None:
    event = CalendarEvent(
        uid="d", org="x", title="Frist", kind=EventKind.DEADLINE, starts_at=local(2026, 12, 10, 0, 0), all_day=True
    )
    due = nudge_time(event, rule(days=7))
    assert due.astimezone(COPENHAGEN) == local(2026, 12, 3, 9, 0)


@pytest.mark.parametrize(
    ("now_local", "expected_local"),
    [
        ((2026, 12, 9, 12, 0), (2026, 12, 9, 12, 0)),
        ((2026, 12, 9, 21, 0), (2026, 12, 10, 7, 0)),
        ((2026, 12, 9, 3, 0), (2026, 12, 9, 7, 0)),
        ((2026, 12, 9, 20, 0), (2026, 12, 10, 7, 0)),
        ((2026, 12, 9, 7, 0), (2026, 12, 9, 7, 0)),
    ],
)
def test_late_sends_wait_until_0700(now_local: tuple[int, ...], expected_local: tuple[int, ...]) -> None:
    assert next_send_time(local(*now_local).astimezone(UTC)) == local(*expected_local).astimezone(UTC)


def test_plan_nudges_never_in_the_past_and_never_for_past_events() -> None:
    now = local(2026, 12, 30, 12, 0).astimezone(UTC)
    planned = plan_nudges(meeting(local(2027, 1, 4, 10, 0)), now)
    # 7 days before (28 Dec) and material (10 days) have passed; the 1-day nudge (31 Dec 09:00) remains.
    assert [(p.rule.kind, p.due_at.astimezone(COPENHAGEN)) for p in planned] == [(NudgeKind.AHEAD, local(2026, 12, 31, 9, 0))]
    assert plan_nudges(meeting(local(2024, 2, 1, 10, 0)), now) == []


def test_plan_nudges_for_a_meeting_includes_the_material_reminder() -> None:
    now = local(2026, 12, 1, 12, 0).astimezone(UTC)
    planned = plan_nudges(meeting(local(2027, 1, 4, 10, 0)), now)
    assert [(p.rule.key, p.due_at.astimezone(COPENHAGEN)) for p in planned] == [
        ("material:10d", local(2026, 12, 24, 9, 0)),  # 25 Dec is juledag -> Thursday 24 Dec
        ("ahead:7d", local(2026, 12, 28, 10, 0)),
        ("ahead:1d", local(2026, 12, 31, 9, 0)),
    ]
    # With a horizon only the near ones.
    near = plan_nudges(meeting(local(2027, 1, 4, 10, 0)), now, horizon=timedelta(days=24))
    assert [p.rule.key for p in near] == ["material:10d"]


def test_configured_offsets() -> None:
    policy = NudgePolicy.with_offsets([parse_offset("3d")], None)
    now = local(2026, 12, 1, 12, 0).astimezone(UTC)
    planned = plan_nudges(meeting(local(2026, 12, 10, 10, 0)), now, policy)
    assert [(p.rule.key, p.due_at.astimezone(COPENHAGEN)) for p in planned] == [("ahead:3d", local(2026, 12, 7, 10, 0))]
    with pytest.raises(ValueError):
        parse_offset("en uge")


def test_budget_phases_from_seed_000_are_month_ranges() -> None:
    phases = load_budget_phases("jammerbugt")
    assert [(p.title, p.start_month, p.end_month, p.months_text) for p in phases] == [
        ("Budgetproces", 1, 3, "januar–marts"),
        ("Forberedelsesfasen", 2, 6, "februar–juni"),
        ("Den politiske prioritering", 5, 6, "maj–juni (august)"),
        ("Offentlig høringsperiode", 8, 8, "august"),
        ("Beslutningsfasen", 9, 10, "september–oktober"),
        ("Udmøntning og evaluering", 11, 12, "november–december"),
    ]
    assert all("000" not in p.source and "Jammerbugt" in p.source for p in phases)
    assert load_budget_phases("albertslund") == []


def test_phase_events_and_their_one_nudge() -> None:
    events = [e for e in load_seed_events("jammerbugt", [2027]) if e.kind is EventKind.PHASE]
    assert len(events) == 6
    first = events[0]
    assert first.title == "Budgetproces (januar–marts)"
    assert first.local_start == local(2027, 1, 1, 0, 0)
    assert first.ends_at == local(2027, 4, 1, 0, 0)
    assert event_matches_target(first, Topic.BUDGET.value)
    # Phase start 1 January 2027 (nytårsdag) -> 31 December 2026 09:00.
    phase_rule = next(r for r in DEFAULT_RULES if r.kind is NudgeKind.PHASE_START)
    assert nudge_time(first, phase_rule).astimezone(COPENHAGEN) == local(2026, 12, 31, 9, 0)
    planned = plan_nudges(first, local(2026, 12, 1, 12, 0).astimezone(UTC))
    assert [p.rule.kind for p in planned] == [NudgeKind.PHASE_START]


def test_medsamarbejdet_2024_events_have_exact_dates_and_places() -> None:
    events = [e for e in load_seed_events("albertslund", [2026]) if e.topic == Topic.MEDSAMARBEJDET.value]
    by_day = {(e.local_date, e.location): e.title for e in events}
    assert by_day[(date(2024, 2, 1), "Odense")].startswith("Strategisk arbejdsmiljøarbejde")
    assert by_day[(date(2024, 4, 3), "København")] == "Næstformandsmøde"
    assert by_day[(date(2024, 4, 4), "Fredericia")] == "Næstformandsmøde"
    assert by_day[(date(2024, 5, 24), "Webinar")] == "Hvorfor giver høring mindre indflydelse i MED?"
    assert by_day[(date(2024, 10, 2), "Brabrand")] == "Næstformandsmøde"
    assert len(events) == 19
    assert all(e.all_day and e.source.startswith("MEDsamarbejdet") for e in events)
    # They are history now: nothing to nudge.
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert all(plan_nudges(e, now) == [] for e in events)


def test_albertslund_meetings_from_seed_004() -> None:
    events = [e for e in load_seed_events("albertslund", [2026]) if e.org == "albertslund"]
    assert [(e.committee, e.local_start) for e in events] == [
        ("AfdelingsMED Økonomi & Stab", local(2025, 6, 17, 0, 0)),
        ("AfdelingsMED Økonomi & Stab", local(2025, 8, 26, 12, 30)),
        ("KommuneMED", local(2025, 9, 1, 0, 0)),
    ]
    assert events[1].location == "Mødelokale 820" and not events[1].all_day
    assert all("26. august 2025" in e.source for e in events)
    assert event_matches_target(events[2], "kommunemed")
    assert event_matches_target(events[2], Topic.BUDGET.value)
    assert not event_matches_target(events[0], "KommuneMED")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        CalendarEvent(uid="x", org="x", title="x", kind=EventKind.MEETING, starts_at=datetime(2026, 1, 1, 10, 0))  # noqa: DTZ001 - the naive datetime is what is refused


def test_working_day_nudges_keep_their_time() -> None:
    due = nudge_time(meeting(local(2026, 12, 10, 13, 15)), rule(days=7))
    assert due.astimezone(COPENHAGEN).timetz().replace(tzinfo=None) == time(13, 15)
