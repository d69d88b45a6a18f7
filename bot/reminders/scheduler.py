"""The reminder scheduler: one ``tick()`` claims what is due, sends it and records the outcome.

It runs inside the service (:meth:`Scheduler.run_forever`, the only place that waits
real time) and in tests, which advance a :class:`~bot.clock.FakeClock` and call
:meth:`Scheduler.tick` themselves.

Delivery guarantee, exactly as implemented
-------------------------------------------
* **Claiming.** Due rows are claimed with a lease (``lease_owner``, ``lease_until``) by
  one conditional UPDATE (:class:`~bot.reminders.outbox.Outbox`): two schedulers, on
  one PostgreSQL or one SQLite file, never hold the same row at the same time. A batch
  is sent one row at a time; once half the lease has passed since the claim, each
  row's lease is renewed (conditionally) just before its send, so a slow batch cannot
  let a lease lapse under a row about to go out; a row whose lease was lost is left to
  its new owner. One send is bounded by the connector client's timeout (30 s), well
  inside the lease (2 minutes).
* **One unit of work per claim.** The claim, the delivery log entries of the claimed
  rows and their stored conversations are one :meth:`~bot.storage.db.Database.run`
  unit (one hand-off to the database's thread on a SQLite file); a sender that can
  (:class:`~bot.delivery.protocol.StoredSender`) is handed the conversation read with
  its row instead of reading it again. A row whose lease had to be renewed reads its
  log entry and its conversation again. Each row's ``sending`` and ``sent`` are still
  one unit of work each, committed before and right after its own send.
* **Claiming by budget.** With the tenants' send budget
  (:class:`~bot.delivery.budget.TenantSendBudget`, shared with the replies of turns) a
  claim takes only as many rows as the budget lets go out now, and while the budget
  holds deliveries back the service claims again as soon as it has room for a few
  more (not a whole interval later, and not at once to be refused). A row into a
  conversation whose Teams windows are full goes back to the queue until they have
  room before anything is logged or sent.
* **No loss.** A row only leaves ``claimed`` through a recorded outcome (sent,
  rescheduled, failed, cancelled). A scheduler that dies holding a lease leaves the
  row ``claimed``; once the lease expires any scheduler reclaims it.
* **De-duplication.** Before calling the connector the scheduler commits ``sending``
  for the row's dedupe key in ``delivery_log``; right after the connector accepted the
  message it commits ``sent`` (with the activity id) and the row's ``sent`` in one
  transaction.
  A reclaimed row whose key is logged ``sent`` is marked sent without sending again.
  A row marked ``sent`` is never claimed again.
* **The remaining window (at-least-once).** If a process dies after the connector
  accepted the message but before ``sent`` was committed (one local database commit,
  milliseconds), or stalls longer than the lease (default 2 minutes) in the middle of a
  send, the outcome is unknown and the reclaimed row is sent again: the user may then
  see the message twice. The Bot Framework connector offers no idempotency key, so
  this window can be narrowed, not closed. Such resends are logged as warnings.
* **Failures.** Throttling (the local Teams windows, 429) re-queues without counting an
  attempt; 412/5xx/network errors re-queue with back-off and count; after
  ``max_attempts`` the row is ``failed``. 403/404 fail the row at once and mark the
  conversation unreachable (``medbot reminders failed`` lists both).
* **Shutdown.** :meth:`Scheduler.request_stop` lets a running tick finish the send in
  flight (and record it) and take nothing more; :meth:`Scheduler.release_leases` then
  hands the rest of the claimed batch back at once, so another replica need not wait
  for the leases to expire.
* **Nudges** are also never sent at night (a late one waits until 07:00) and never
  after the event has begun.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.clock import Clock
from bot.delivery.budget import TenantSendBudget
from bot.delivery.protocol import PacedSender, ProactiveSender, SendStatus, StoredSender
from bot.delivery.sender import THROTTLED
from bot.reminders.calendar_store import CalendarStore
from bot.reminders.config import ReminderConfig
from bot.reminders.messages import nudge_message, reminder_message
from bot.reminders.nudges import NudgePlanner, parse_offset_key
from bot.reminders.outbox import LOG_SENDING, LOG_SENT, DeliveryLog, LogEntry, Outbox
from bot.storage.conversations import StoredConversation, stored_by_id
from bot.storage.db import Database
from bot.storage.models_reminders import STATUS_CANCELLED, STATUS_FAILED, NudgeRow, ReminderRow
from dialogs.messages import Message
from knowledge.calendar import COPENHAGEN, CalendarEvent, EventKind, next_send_time

__all__ = ["Job", "Scheduler", "TickReport"]

log = logging.getLogger(__name__)

Job = Callable[[datetime], Awaitable[object]]

DEFAULT_RETRY = timedelta(minutes=1)
#: While the send budget is what holds deliveries back, claim again once it has room for
#: this many sends (one claim query per several rows, not per freed slot).
BUDGET_CHUNK = 10


@dataclass
class TickReport:
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    deduplicated: int = 0
    rescheduled: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: int = 0
    #: the send budget capped a claim and the cap was reached: more may be due once it has room
    budget_bound: bool = False


class Scheduler:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        sender: ProactiveSender,
        owner_id: str,
        jobs: Sequence[Job] = (),
        *,
        config: ReminderConfig | None = None,
        planner: NudgePlanner | None = None,
        calendar: CalendarStore | None = None,
        budget: TenantSendBudget | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._budget = budget
        self._sender = sender
        self.owner_id = owner_id
        self._jobs = list(jobs)
        self._config = config or ReminderConfig()
        self._policy = self._config.policy()
        self._planner = planner
        self._calendar = calendar or CalendarStore(database, clock)
        self._reminders = Outbox(database, ReminderRow.__table__)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
        self._nudges = Outbox(database, NudgeRow.__table__)  # type: ignore[arg-type]  # a mapped class's __table__ is a Table
        self._log = DeliveryLog(database)
        self._last_plan: datetime | None = None
        self._last_purge: datetime | None = None
        self._lock = asyncio.Lock()
        self._stopping = False

    def add_job(self, job: Job) -> None:
        self._jobs.append(job)

    def request_stop(self) -> None:
        """Shutting down: a running tick finishes the send in flight and takes no further item.

        What it claimed but did not send stays claimed until :meth:`release_leases`.
        """
        self._stopping = True

    @property
    def stop_requested(self) -> bool:
        return self._stopping

    # -- the tick ----------------------------------------------------------------

    async def tick(self, *, only_deliver: bool = False) -> TickReport:
        """One round: plan nudges (every few minutes), send due reminders and nudges, run the jobs.

        ``only_deliver``: just the sends (the service goes on with a backlog between its
        ticks; planning, the jobs and the purge wait for the next full tick)."""
        async with self._lock:
            report = TickReport()
            if only_deliver:
                await self._drain(self._reminders, self._reminder_message, report)
                await self._drain(self._nudges, self._nudge_message, report)
                return report
            now = self._clock.now()
            if self._planner is not None and (
                self._last_plan is None or now - self._last_plan >= self._config.planning_interval
            ):
                report.planned = await self._planner.plan(now)
                self._last_plan = now
            await self._drain(self._reminders, self._reminder_message, report)
            await self._drain(self._nudges, self._nudge_message, report)
            for job in self._jobs:
                if self._stopping:
                    break
                try:
                    await job(self._clock.now())
                except Exception:  # noqa: BLE001 - a job's bug must not stop reminders; it is logged
                    log.exception("scheduler job %r failed", job)
                    report.errors += 1
            if self._last_purge is None or now - self._last_purge >= timedelta(hours=1):
                await self._log.purge(now - self._config.log_retention)
                self._last_purge = now
            return report

    def plan_now(self) -> None:
        """Make the next tick plan nudges (after a subscription or a calendar import)."""
        self._last_plan = None

    async def _drain(
        self,
        outbox: Outbox,
        build: Callable[[sa.Row[Any], datetime], Awaitable[Message | str]],
        report: TickReport,
    ) -> None:
        if self._stopping:
            return
        now = self._clock.now()
        limit = self._config.batch_size
        if self._budget is not None:
            # Claim only what the tenants' send budget lets go out now (replies keep their reserve).
            limit = self._budget.claim_limit(limit)
            if limit <= 0:
                report.budget_bound = True
                return
        lease = self._config.lease
        prefetch = isinstance(self._sender, StoredSender)

        def claim(connection: sa.Connection) -> tuple[list[sa.Row[Any]], dict[str, LogEntry], list[StoredConversation | None]]:
            # One unit of work: the claim, the log entries of the rows and their conversations.
            rows = outbox.claim_in(connection, self.owner_id, now, lease, limit)
            entries = DeliveryLog.entries(connection, [row.dedupe_key for row in rows])
            stored: list[StoredConversation | None] = [None] * len(rows)
            if prefetch:
                stored = stored_by_id(connection, [row.conversation_ref_id for row in rows])
            return rows, entries, stored

        rows, entries, conversations = await self._db.run(claim)
        report.claimed += len(rows)
        if limit < self._config.batch_size and len(rows) >= limit:
            report.budget_bound = True
        renew_after = now + self._config.lease / 2
        paced = self._sender.conversation_wait if isinstance(self._sender, PacedSender) else None
        for row, stored in zip(rows, conversations, strict=True):
            if self._stopping:
                break  # the rest of the batch is handed back by release_leases()
            try:
                wait = paced(row.conversation_ref_id) if paced is not None else None
                if wait:
                    # The conversation's windows are full (a burst into one chat): back to the
                    # queue until they have room, without logging or calling the sender.
                    await outbox.reschedule(row.id, self.owner_id, self._clock.now() + wait, None, count_attempt=False, now=self._clock.now())
                    report.rescheduled += 1
                    continue
                await self._process(outbox, row, build, report, entries.get(row.dedupe_key), renew_after, stored)
            except Exception:  # noqa: BLE001 - like a crash of this one item: its lease expires and it is reclaimed
                log.exception("%s %s: delivery failed unexpectedly; it is retried after its lease", outbox.name, row.id)
                report.errors += 1

    async def _process(
        self,
        outbox: Outbox,
        row: sa.Row[Any],
        build: Callable[[sa.Row[Any], datetime], Awaitable[Message | str]],
        report: TickReport,
        entry: LogEntry | None,
        renew_after: datetime,
        stored: StoredConversation | None,
    ) -> None:
        now = self._clock.now()
        if now >= renew_after:
            # A slow batch: renew the row's lease before its turn (and look at the log and
            # the conversation again).
            if not await outbox.renew(row.id, self.owner_id, now, self._config.lease):
                log.info("%s %s: lease lost before its turn (another replica has it)", outbox.name, row.id)
                return
            entry = await self._log.get(row.dedupe_key)
            stored = None
        if entry is not None and entry.status == LOG_SENT:
            # An earlier attempt was delivered (its owner died before marking the row).
            await outbox.mark_sent(row.id, entry.activity_id, now)
            report.deduplicated += 1
            log.info("%s %s was already delivered (%s); not sent again", outbox.name, row.id, entry.activity_id)
            return
        built = await build(row, now)
        if isinstance(built, str):  # a reason not to send (any more), or a time to wait for
            return await self._skip(outbox, row, built, report)
        if entry is not None and entry.status == LOG_SENDING:
            log.warning(
                "%s %s: an earlier attempt by %s at %s has an unknown outcome; sending again (at-least-once)",
                outbox.name, row.id, entry.owner, entry.started_at.isoformat(),
            )
        await self._log.begin(row.dedupe_key, self.owner_id, now)
        if stored is not None and isinstance(self._sender, StoredSender):
            outcome = await self._sender.send_stored(stored, built)
        else:
            outcome = await self._sender.send(row.conversation_ref_id, built)
        now = self._clock.now()
        if outcome.status is SendStatus.DELIVERED:
            await outbox.mark_sent(row.id, outcome.activity_id, now, dedupe_key=row.dedupe_key)
            report.sent += 1
            return
        await self._log.abort(row.dedupe_key)
        if outcome.status is SendStatus.RETRY_LATER:
            throttled = outcome.detail.startswith(THROTTLED)
            if not throttled and row.attempts + 1 >= self._config.max_attempts:
                await outbox.finish(row.id, self.owner_id, STATUS_FAILED, f"gave up: {outcome.detail}", now)
                report.failed += 1
                return
            await outbox.reschedule(
                row.id,
                self.owner_id,
                now + (outcome.retry_after or DEFAULT_RETRY),
                None if throttled else outcome.detail,
                count_attempt=not throttled,
                now=now,
            )
            report.rescheduled += 1
            return
        # UNREACHABLE / NO_CONVERSATION: nothing more is sent there.
        await outbox.finish(row.id, self.owner_id, STATUS_FAILED, outcome.detail or outcome.status.value, now)
        report.failed += 1

    async def _skip(self, outbox: Outbox, row: sa.Row[Any], reason: str, report: TickReport) -> None:
        now = self._clock.now()
        if reason.startswith("wait:"):
            at = datetime.fromisoformat(reason[5:])
            await outbox.reschedule(row.id, self.owner_id, at, None, count_attempt=False, now=now)
            report.rescheduled += 1
            return
        await outbox.finish(row.id, self.owner_id, STATUS_CANCELLED, reason, now, count_attempt=False)
        report.cancelled += 1

    # -- messages ----------------------------------------------------------------

    async def _reminder_message(self, row: sa.Row[Any], now: datetime) -> Message | str:
        return reminder_message(row.text, row.due_at)

    async def _nudge_message(self, row: sa.Row[Any], now: datetime) -> Message | str:
        stored = await self._calendar.get(row.event_id)
        if stored is None:
            return "event deleted"
        event = stored.event
        if _is_over(event, now):
            return "event has begun or is over"
        send_at = next_send_time(now, self._policy)
        if send_at > now:
            return f"wait:{send_at.isoformat()}"
        return nudge_message(event, parse_offset_key(row.offset_key), now)

    # -- service -----------------------------------------------------------------

    async def release_leases(self) -> int:
        """Hand back every lease this scheduler holds (on shutdown)."""
        now = self._clock.now()
        released = await self._reminders.release(self.owner_id, now) + await self._nudges.release(self.owner_id, now)
        if released:
            log.info("released %d leases held by %s", released, self.owner_id)
        return released

    async def run_forever(self, stop: asyncio.Event, interval: timedelta | None = None) -> None:
        """Tick every ``interval`` until ``stop`` is set (the service's loop; tests call tick())."""
        seconds = (interval or self._config.tick_interval).total_seconds()
        log.info("scheduler %s started (every %.0f s)", self.owner_id, seconds)
        last_full = -seconds
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            pause = seconds
            try:
                full = loop.time() - last_full >= seconds
                report = await self.tick(only_deliver=not full)
                if full:
                    last_full = loop.time()
                pause = self._pause_after(report, seconds)
            except Exception:  # noqa: BLE001 - e.g. the database is briefly away: log and try again next round
                log.exception("scheduler tick failed")
            if pause <= 0:
                await asyncio.sleep(0)
                continue
            try:
                await asyncio.wait_for(stop.wait(), timeout=pause)
            except TimeoutError:
                pass
        log.info("scheduler %s stopped", self.owner_id)

    def _pause_after(self, report: TickReport, interval: float) -> float:
        """Seconds until the next tick: at once after a full batch that delivered something
        (more is probably due), when the budget has room again after a claim it capped,
        else the interval."""
        if report.budget_bound and self._budget is not None:
            wait = self._budget.next_room_in(BUDGET_CHUNK).total_seconds()
            return min(max(wait, 0.005), interval)
        if report.claimed >= self._config.batch_size and report.sent + report.deduplicated > 0:
            return 0.0
        return interval


def _is_over(event: CalendarEvent, now: datetime) -> bool:
    if event.kind is EventKind.PHASE:
        return event.ends_at is not None and now >= event.ends_at
    if event.all_day:
        return now.astimezone(COPENHAGEN).date() > event.local_date
    return now >= event.starts_at
