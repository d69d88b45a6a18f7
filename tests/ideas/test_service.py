"""The idea service: numbers, routing, the lifecycle and its audit, permissions, privacy."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.clock import FakeClock
from bot.ideas import models as models_ideas
from bot.ideas.service import Actor, IdeaService
from bot.ideas.views import events, notifications, submitters, supports
from bot.storage.db import Database
from bot.storage.models import Base
from dialogs.idea_port import (
    AccessDeniedError,
    IdeaNotFoundError,
    InvalidIdeaError,
    NeedCommitteeError,
    Person,
    SupportOutcome,
)
from knowledge.ideas_rules import IdeaStatus, InvalidTransitionError, ReasonRequiredError
from knowledge.profiles import Profile
from tests.databases import WITH_PSYCOPG
from tests.ideas.conftest import CONFIG
from tests.ideas.helpers import complete_draft

S = IdeaStatus
IDEA_TABLES = {t.name for t in Base.metadata.sorted_tables if t.name in {
    "ideas", "idea_submitters", "idea_events", "idea_supports", "idea_drafts", "idea_notifications", "idea_admins", "committee_contacts"}}


async def test_migration_0002_builds_exactly_the_idea_models(database: Database) -> None:
    assert models_ideas.IdeaRow.__tablename__ == "ideas"
    assert len(IDEA_TABLES) == 8

    def diff(connection: sa.Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [
            d for d in compare_metadata(context, Base.metadata)
            if any(name in repr(d) for name in IDEA_TABLES)
        ]

    async with database.engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_receipt_numbers_count_per_budget_year(service: IdeaService, clock: FakeClock, mette: Person) -> None:
    first = await service.submit(complete_draft(), mette)
    second = await service.submit(complete_draft(title="Kortere møder"), mette)
    assert (first.number, second.number) == ("2027-001", "2027-002")
    assert first.committee_name == "ForvaltningsMED BFF"
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))  # a new year: ideas for budget 2028
    assert (await service.submit(complete_draft(), mette)).number == "2028-001"
    # The evening of 31 October in Denmark is still before the budget is adopted ...
    clock.set(datetime(2027, 10, 31, 21, 30, tzinfo=UTC))
    assert (await service.submit(complete_draft(), mette)).number == "2028-002"
    # ... and from November an idea is for the budget after next (000: beslutning september–oktober).
    clock.set(datetime(2027, 10, 31, 23, 30, tzinfo=UTC))
    assert (await service.submit(complete_draft(), mette)).number == "2029-001"


async def test_receipt_numbers_are_unique_under_concurrency(
    database_factory: Callable[[], Database], clock: FakeClock, profile: Profile, mette: Person
) -> None:
    first = database_factory()
    await first.upgrade()
    services = [IdeaService(database_factory(), clock, profile, CONFIG) for _ in range(3)]
    receipts = await asyncio.gather(
        *(services[i % 3].submit(complete_draft(title=f"Idé nummer {i}"), mette) for i in range(15))
    )
    numbers = sorted(r.number for r in receipts)
    assert numbers == [f"2027-{i:03d}" for i in range(1, 16)]


async def test_routing_area_cross_cutting_and_unknown(service: IdeaService, mette: Person) -> None:
    assert (await service.submit(complete_draft(area_id="vuf"), mette)).committee_name == "ForvaltningsMED VUF"
    # 000: a cross-cutting idea goes to the ForvaltningsMED contact, who sends it on to HovedMED.
    assert (await service.submit(complete_draft(area_id="ssb", cross_cutting=True), mette)).committee_name == "ForvaltningsMED SSB"
    assert (await service.submit(complete_draft(area_id=None, area_unknown=True), mette)).committee_name == "HovedMED"
    views = await service.list_ideas()
    assert [v.committee for v in views] == ["vuf", "ssb", "top"]
    assert views[1].area_name == "SSB" and views[1].cross_cutting


async def test_invalid_ideas_are_refused_by_the_service_too(service: IdeaService, mette: Person) -> None:
    for draft in (
        complete_draft(title=""),
        complete_draft(description="x" * 4001),
        complete_draft(area_id="teknik"),
        complete_draft(area_id=None),
        complete_draft(potential="x" * 2001),
    ):
        with pytest.raises(InvalidIdeaError):
            await service.submit(draft, mette)
    assert await service.list_ideas() == []


async def test_an_idea_with_only_title_description_and_area_is_stored(service: IdeaService, mette: Person) -> None:
    draft = complete_draft(potential="", cross_cutting=None, consequences={}, consequences_asked=False, anonymous=None)
    receipt = await service.submit(draft, mette)
    view = await service.view(receipt.number, committee_facing=True)
    assert view.potential == "" and not view.cross_cutting and not view.anonymous
    assert view.submitter == "Mette Jensen"  # no answer about anonymity: sent with the name, as the summary says


@pytest.mark.parametrize("database_url", WITH_PSYCOPG, indirect=True)  # also on psycopg 3
async def test_lifecycle_with_audit(service: IdeaService, database: Database, mette: Person, secretary: Person) -> None:
    receipt = await service.submit(complete_draft(), mette)
    await service.add_admin(secretary.user_id, "bff")
    change = await service.set_status(receipt.number, S.DROEFTES, secretary)
    assert change.status_label == "drøftes i ForvaltningsMED BFF"
    change = await service.set_status(receipt.number, S.SENDT_VIDERE, secretary, reason="Går på tværs af forvaltningerne")
    assert change.status_label == "sendt videre til HovedMED"
    view = await service.view(receipt.number)
    assert view.committee == "top" and view.status is S.SENDT_VIDERE
    cli = Actor.cli("sekretariatet")
    await service.change_status(receipt.number, S.PRAESENTERET, cli)
    await service.change_status(receipt.number, S.BUDGETFORSLAG, cli)
    await service.change_status(receipt.number, S.LUKKET, cli)
    view = await service.view(receipt.number, with_history=True)
    assert [(e.kind, e.to_status) for e in view.events] == [
        ("submitted", S.MODTAGET),
        ("status", S.DROEFTES),
        ("status", S.SENDT_VIDERE),
        ("status", S.PRAESENTERET),
        ("status", S.BUDGETFORSLAG),
        ("status", S.LUKKET),
    ]
    async with database.session() as session:
        rows = (await session.execute(sa.select(events).order_by(events.c.id))).all()
    assert rows[1].actor_id == secretary.user_id and rows[1].actor_name == "Jette Søgaard Hansen"
    assert rows[2].reason == "Går på tværs af forvaltningerne" and rows[2].committee == "top"
    assert rows[3].actor_id == "cli" and rows[3].actor_name == "sekretariatet"
    assert all(row.at.tzinfo is not None for row in rows)


async def test_invalid_transitions_and_reasons(service: IdeaService, mette: Person) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    cli = Actor.cli()
    with pytest.raises(InvalidTransitionError):
        await service.change_status(number, S.BUDGETFORSLAG, cli)  # modtaget cannot jump to budgetforslag
    with pytest.raises(ReasonRequiredError):
        await service.change_status(number, S.AFVIST, cli)
    with pytest.raises(ReasonRequiredError):
        await service.change_status(number, S.AFVIST, cli, reason="   ")
    await service.change_status(number, S.AFVIST, cli, reason="Det er allerede besluttet i fagudvalget.")
    with pytest.raises(InvalidTransitionError):
        await service.change_status(number, S.DROEFTES, cli)
    await service.change_status(number, S.LUKKET, cli)
    with pytest.raises(InvalidTransitionError):
        await service.change_status(number, S.AFVIST, cli, reason="igen")
    with pytest.raises(IdeaNotFoundError):
        await service.change_status("2027-999", S.DROEFTES, cli)


async def test_sendt_videre_from_the_top_needs_a_committee(service: IdeaService, mette: Person) -> None:
    number = (await service.submit(complete_draft(area_id=None, area_unknown=True), mette)).number
    with pytest.raises(NeedCommitteeError):
        await service.change_status(number, S.SENDT_VIDERE, Actor.cli())
    change = await service.change_status(number, S.SENDT_VIDERE, Actor.cli(), committee="ForvaltningsMED VUF")
    assert change.status_label == "sendt videre til ForvaltningsMED VUF"


async def test_only_admins_of_the_committee_may_change(service: IdeaService, mette: Person, jonas: Person, secretary: Person) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    with pytest.raises(AccessDeniedError):
        await service.set_status(number, S.DROEFTES, jonas)
    with pytest.raises(AccessDeniedError):
        await service.set_status(number, S.DROEFTES, mette)  # not even the submitter
    with pytest.raises(AccessDeniedError):
        await service.comment(number, jonas, "Hej")
    await service.add_admin(secretary.user_id, "vuf")  # admin of another committee
    with pytest.raises(AccessDeniedError):
        await service.set_status(number, S.DROEFTES, secretary)
    with pytest.raises(AccessDeniedError):
        await service.list_for_admin(jonas)
    assert (await service.view(number)).status is S.MODTAGET
    await service.add_admin(secretary.user_id, "ForvaltningsMED BFF")
    await service.set_status(number, S.DROEFTES, secretary)
    await service.comment(number, secretary, "Tages op på mødet 12. marts.")
    assert [v.number for v in await service.list_for_admin(secretary)] == [number]


async def test_admins_from_the_profile(database: Database, clock: FakeClock, profile: Profile, mette: Person, secretary: Person) -> None:
    from dataclasses import replace

    areas = tuple(replace(a, admin_user_ids=(secretary.user_id,)) if a.id == "bff" else a for a in profile.areas)
    service = IdeaService(database, clock, replace(profile, areas=areas), CONFIG)
    number = (await service.submit(complete_draft(), mette)).number
    await service.set_status(number, S.DROEFTES, secretary)
    assert (await service.view(number)).status is S.DROEFTES


async def test_erase_person_keeps_the_idea_and_removes_the_identity(
    service: IdeaService, database: Database, mette: Person, jonas: Person
) -> None:
    own = (await service.submit(complete_draft(), mette)).number
    other = (await service.submit(complete_draft(title="Kortere møder", area_id="vuf"), jonas)).number
    assert await service.support(other, mette) is SupportOutcome.SUPPORTED
    await service.save_draft(mette, complete_draft(title="En halv idé"))
    await service.change_status(own, S.DROEFTES, Actor.cli())  # feedback to Mette is pending
    report = await service.erase_person(mette.user_id)
    assert (report.ideas, report.supports, report.drafts) == (1, 1, 1)
    assert report.notifications == 1
    view = await service.view(own, with_history=True)
    assert view.title == "Fælles indkøb af kontorartikler" and view.submitter is None
    assert view.events[-1].kind == "erased"
    assert (await service.view(other)).supports == 1
    async with database.session() as session:
        everything = [tuple(r) for t in (submitters, supports, notifications, events) for r in (await session.execute(sa.select(t))).all()]
    flat = repr(everything)
    assert "29:mette" not in flat and "Mette" not in flat
    assert await service.load_draft(mette) is None
    assert await service.my_ideas(mette) == []
    # Jonas is untouched.
    assert [v.number for v in await service.my_ideas(jonas)] == [other]


async def test_support_rules(service: IdeaService, mette: Person, jonas: Person) -> None:
    number = (await service.submit(complete_draft(), mette)).number
    assert await service.support(number, jonas) is SupportOutcome.SUPPORTED
    assert await service.support(number, jonas) is SupportOutcome.ALREADY
    assert await service.support(number, mette) is SupportOutcome.OWN_IDEA
    assert await service.support("2027-404", jonas) is SupportOutcome.NOT_FOUND
    assert (await service.view(number)).supports == 1


async def test_similar_ideas_only_open_and_same_budget_year(service: IdeaService, clock: FakeClock, mette: Person) -> None:
    rejected = (await service.submit(complete_draft(title="Fælles indkøb af papir"), mette)).number
    await service.change_status(rejected, S.AFVIST, Actor.cli(), reason="Findes allerede")
    open_one = (await service.submit(complete_draft(), mette)).number
    await service.submit(complete_draft(title="Elbiler i hjemmeplejen", description="Skift diesel ud med el."), mette)
    similar = await service.find_similar(complete_draft(title="faelles indkob af kontor artikler"))
    assert [s.number for s in similar] == [open_one]
    assert await service.find_similar(complete_draft(title="Mødefri fredag", description="Ingen møder om fredagen.")) == []
    clock.advance(timedelta(days=365))
    assert await service.find_similar(complete_draft()) == []


async def test_drafts_round_trip(service: IdeaService, mette: Person, jonas: Person) -> None:
    assert await service.load_draft(mette) is None
    await service.save_draft(mette, complete_draft(title="Først"))
    await service.save_draft(mette, complete_draft(title="Så"))
    stored = await service.load_draft(mette)
    assert stored is not None and stored.draft.title == "Så" and stored.updated_at.tzinfo is not None
    assert await service.load_draft(jonas) is None
    await service.submit(complete_draft(), mette)  # submitting removes the draft
    assert await service.load_draft(mette) is None


async def test_a_number_clash_is_retried(service: IdeaService, mette: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import IntegrityError

    original = service._insert_idea
    calls = 0

    async def clash_once(*args: object, **kwargs: object) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise IntegrityError("INSERT INTO ideas", {}, Exception("duplicate key uq_ideas_budget_year_seq"))
        return await original(*args, **kwargs)  # type: ignore[arg-type]  # the wrapped method's own arguments

    monkeypatch.setattr(service, "_insert_idea", clash_once)
    assert (await service.submit(complete_draft(), mette)).number == "2027-001"
    assert calls == 2


async def test_a_database_failure_is_reported_as_a_storage_error(service: IdeaService, mette: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    from dialogs.idea_port import IdeaStorageError

    async def broken(*args: object, **kwargs: object) -> str:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(service, "_insert_idea", broken)
    with pytest.raises(IdeaStorageError):
        await service.submit(complete_draft(), mette)


async def test_two_admins_changing_at_once_make_one_change(
    database_factory: Callable[[], Database], clock: FakeClock, profile: Profile, mette: Person
) -> None:
    from dialogs.idea_port import ConcurrentChangeError
    from knowledge.ideas_rules import SameStatusError

    first = database_factory()
    await first.upgrade()
    one, two = (IdeaService(database_factory(), clock, profile, CONFIG) for _ in range(2))
    number = (await one.submit(complete_draft(), mette)).number
    results = await asyncio.gather(
        one.change_status(number, S.DROEFTES, Actor.cli("a")),
        two.change_status(number, S.DROEFTES, Actor.cli("b")),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, (ConcurrentChangeError, SameStatusError)) for r in results if isinstance(r, Exception))
    view = await one.view(number, with_history=True)
    assert [e.kind for e in view.events] == ["submitted", "status"]
    async with first.session() as session:
        feedback = (
            await session.execute(sa.select(sa.func.count()).select_from(notifications).where(notifications.c.kind == "status"))
        ).scalar_one()
    assert feedback == 1
