"""The delivery scheduler: one ``tick()`` claims what is due in every outbox, sends it and records the outcome.

Every kind of proactive message — reminders, calendar nudges, idea notifications
(:class:`~bot.delivery.kinds.DeliveryKind`) — goes through the same tick: the same
claim, lease, delivery log, back-off and per-tenant send budget. It runs inside the
service (:meth:`Scheduler.run_forever`, the only place that waits real time) and in
tests, which advance a :class:`~bot.clock.FakeClock` and call :meth:`Scheduler.tick`
themselves. Before the outboxes are drained the planners fill theirs (calendar nudges,
every ``planning_interval``); after them the jobs run (seed calendars, stale-idea
nudges).

Delivery guarantee, exactly as implemented
-------------------------------------------
* **Claiming.** Due rows are claimed with a lease (``lease_owner``, ``lease_until``) by
  one conditional UPDATE (:class:`~bot.delivery.outbox.Outbox`): two schedulers, on
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
  log entry and its conversation again. What becomes of the batch before any send is
  one more unit: the rows that go back to the queue or are ended, and the ``sending``
  entries of every row about to be sent (prebuilt statements, run for many rows at
  once). Each row's ``sent`` is one unit, committed right after its own send; a row
  that was not delivered forgets its attempt and is requeued or ended in one unit.
* **Claiming by budget.** With the tenants' send budget
  (:class:`~bot.delivery.budget.TenantSendBudget`, shared with the replies of turns) a
  tick claims only as many rows as the budget lets go out now. The service paces
  instead (``tick(paced=True)``): it claims what one window of the budget lets through,
  sends each row as soon as its tenant's budget has room for it, in groups spread over
  the window (waiting meanwhile, holding the batch's leases), and claims the next batch
  as soon as the last row of one went out, so a slot that frees is used soon after,
  one claim serves a whole window and no row is claimed only to be refused. A reply
  waiting for room gets the slot that frees first (bot/delivery/budget.py). A stop
  request ends such a wait at once. A row into a conversation whose Teams windows are
  full goes back to the queue until they have room before anything is logged or sent
  (the rows of one conversation in a batch count the ones before them as sent).
* **No loss.** A row only leaves ``claimed`` through a recorded outcome (sent,
  rescheduled, or one of its outbox's end states: failed, cancelled, no address). A
  scheduler that dies holding a lease leaves the row ``claimed``; once the lease
  expires any scheduler reclaims it.
* **De-duplication.** Before calling the connector for any row of a batch the scheduler
  commits ``sending`` for the log keys of the batch in ``delivery_log``
  (:mod:`bot.delivery.log`; each outbox names its rows' keys); right after
  the connector accepted a message it commits ``sent`` (with the activity id) and the
  row's ``sent`` in one transaction. A batch cut short by shutdown deletes the
  ``sending`` entries of the rows it did not send.
  A reclaimed row whose key is logged ``sent`` is marked sent without sending again.
  A row marked ``sent`` is never claimed again.
* **The remaining window (at-least-once).** If a process dies after the connector
  accepted the message but before ``sent`` was committed (one local database commit,
  milliseconds), or stalls longer than the lease (default 2 minutes) in the middle of a
  send, the outcome is unknown and the reclaimed row is sent again: the user may then
  see the message twice. The Bot Framework connector offers no idempotency key, so
  this window can be narrowed, not closed. Such resends are logged as warnings.
* **Failures.** Throttling (the local Teams windows, 429) re-queues without counting an
  attempt; 412/5xx/network errors re-queue with back-off (:mod:`bot.delivery.backoff`)
  and count; after ``max_attempts`` the row is ``failed``. 403/404 fail the row at once
  and mark the conversation unreachable (``medbot reminders failed`` lists both).
* **Shutdown.** :meth:`Scheduler.request_stop` lets a running tick finish the send in
  flight (and record it) and take nothing more; :meth:`Scheduler.release_leases` then
  hands the rest of the claimed batch back at once, so another replica need not wait
  for the leases to expire.
* **What a row becomes** is its kind's decision at delivery time
  (:mod:`bot.delivery.kinds`): a message to send (to the row's conversation or one found
  now), a time to wait for, or an end without sending. Nudges are never sent at night
  and never after the event has begun (:mod:`bot.reminders.kinds`); an idea
  notification whose recipient has no personal chat ends ``no_address``
  (:mod:`bot.ideas.delivery`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa

from bot.clock import Clock
from bot.delivery.backoff import retry_delay
from bot.delivery.budget import TenantSendBudget
from bot.delivery.config import DeliveryConfig
from bot.delivery.kinds import DeliveryKind, End, Later
from bot.delivery.leases import scope_of
from bot.delivery.log import LOG_SENDING, LOG_SENT, DeliveryLog, LogEntry
from bot.delivery.outbox import Final, Outbox, Requeue
from bot.delivery.protocol import PacedSender, ProactiveSender, SendStatus, StoredSender
from bot.delivery.sender import THROTTLED
from bot.storage.conversations import StoredConversation, stored_by_id
from bot.storage.db import Database
from bot.storage.models_delivery import STATUS_CANCELLED, STATUS_FAILED
from dialogs.messages import Message

__all__ = ["Job", "Planner", "Scheduler", "TickReport"]

log = logging.getLogger(__name__)

Job = Callable[[datetime], Awaitable[object]]


class Planner(Protocol):
    """Fills an outbox ahead of time (calendar nudges); how many rows it added."""

    async def plan(self, now: datetime | None = None) -> int: ...


@dataclass(frozen=True, slots=True)
class _Send:
    """A claimed row about to be sent: where to (``conversation``), its conversation as
    read with the claim (``None``: the sender reads it), its message, its delivery log
    key, and the send budget's scope of its conversation (``None`` when not known before
    the send)."""

    row: sa.Row[Any]
    conversation: int
    stored: StoredConversation | None
    message: Message
    key: str
    scope: str | None = None


@dataclass
class TickReport:
    planned: int = 0
    claimed: int = 0
    sent: int = 0
    deduplicated: int = 0
    rescheduled: int = 0
    #: sends given up (after ``max_attempts``, or the conversation is unreachable) and rows ended ``failed``
    failed: int = 0
    errors: int = 0
    #: the send budget capped a claim and the cap was reached: more may be due once it has room
    budget_bound: bool = False
    #: rows ended without sending, by their end state (``cancelled``, ``no_address``, …)
    ended: Counter[str] = field(default_factory=Counter)

    @property
    def cancelled(self) -> int:
        return self.ended[STATUS_CANCELLED]


class Scheduler:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        sender: ProactiveSender,
        owner_id: str,
        kinds: Sequence[DeliveryKind],
        jobs: Sequence[Job] = (),
        *,
        config: DeliveryConfig | None = None,
        planners: Sequence[Planner] = (),
        budget: TenantSendBudget | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        """``kinds``: the outboxes, drained in this order on every tick. ``sleep``: how a
        paced tick waits for the budget (default: real time, ended at once by
        :meth:`request_stop`); tests on a fake clock pass one that advances it."""
        self._db = database
        self._clock = clock
        self._budget = budget
        self._sender = sender
        self._stored_sender: StoredSender | None = sender if isinstance(sender, StoredSender) else None
        self._paced = sender.conversation_wait if isinstance(sender, PacedSender) else None
        self.owner_id = owner_id
        self._kinds = list(kinds)
        self._jobs = list(jobs)
        self._config = config or DeliveryConfig()
        self._planners = list(planners)
        self._log = DeliveryLog(database)
        self._last_plan: datetime | None = None
        self._last_purge: datetime | None = None
        self._lock = asyncio.Lock()
        self._stopping = False
        self._sleep = sleep
        self._waker: asyncio.Future[None] | None = None

    def add_job(self, job: Job) -> None:
        self._jobs.append(job)

    @property
    def kinds(self) -> tuple[DeliveryKind, ...]:
        """The kinds of message this scheduler delivers, in the order it drains them."""
        return tuple(self._kinds)

    def outbox(self, name: str) -> Outbox:
        """The outbox of the kind whose table is ``name``."""
        for kind in self._kinds:
            if kind.name == name:
                return kind.outbox
        raise KeyError(name)

    def request_stop(self) -> None:
        """Shutting down: a running tick finishes the send in flight and takes no further item.

        What it claimed but did not send stays claimed until :meth:`release_leases`.
        """
        self._stopping = True
        if self._waker is not None and not self._waker.done():
            self._waker.set_result(None)  # a paced tick waiting for the budget

    @property
    def stop_requested(self) -> bool:
        return self._stopping

    # -- the tick ----------------------------------------------------------------

    async def tick(self, *, only_deliver: bool = False, paced: bool = False) -> TickReport:
        """One round: run the planners (every ``planning_interval``), send what is due in
        every outbox, run the jobs.

        ``only_deliver``: just the sends (the service goes on with a backlog between its
        ticks; planning, the jobs and the purge wait for the next full tick).
        ``paced`` (with a send budget): claim what one window of the budget lets through
        and send each row once its tenant has room, waiting for it meanwhile."""
        paced = paced and self._budget is not None
        async with self._lock:
            report = TickReport()
            if only_deliver:
                for kind in self._kinds:
                    await self._drain(kind, report, paced)
                return report
            now = self._clock.now()
            if self._planners and (self._last_plan is None or now - self._last_plan >= self._config.planning_interval):
                for planner in self._planners:
                    report.planned += await planner.plan(now)
                self._last_plan = now
            for kind in self._kinds:
                await self._drain(kind, report, paced)
            for job in self._jobs:
                if self._stopping:
                    break
                try:
                    await job(self._clock.now())
                except Exception:
                    # A job's bug must not stop deliveries; it is logged.
                    log.exception("scheduler job %r failed", job)
                    report.errors += 1
            if self._last_purge is None or now - self._last_purge >= timedelta(hours=1):
                await self._log.purge(now - self._config.log_retention)
                self._last_purge = now
            return report

    def plan_now(self) -> None:
        """Make the next tick run the planners (after a subscription or a calendar import)."""
        self._last_plan = None

    async def _drain(self, kind: DeliveryKind, report: TickReport, paced: bool = False) -> None:
        if self._stopping:
            return
        outbox = kind.outbox
        now = self._clock.now()
        limit = self._config.batch_size
        if self._budget is not None:
            # Claim only what the tenants' send budget lets go out now, or (paced) within
            # one window; the replies keep their reserve either way.
            limit = self._budget.claim_ahead(limit) if paced else self._budget.claim_limit(limit)
            if limit <= 0:
                report.budget_bound = True
                return
        lease = self._config.lease
        prefetch = self._stored_sender is not None

        def claim(connection: sa.Connection) -> tuple[list[sa.Row[Any]], dict[str, LogEntry], list[StoredConversation | None]]:
            # One unit of work: the claim, the log entries of the rows and their conversations.
            rows = outbox.claim_in(connection, self.owner_id, now, lease, limit)
            entries = DeliveryLog.entries(connection, [outbox.log_key(row) for row in rows])
            stored: list[StoredConversation | None] = [None] * len(rows)
            if prefetch:
                stored = _stored_of(connection, rows)
            return rows, entries, stored

        rows, entries, conversations = await self._db.run(claim)
        report.claimed += len(rows)
        if limit < self._config.batch_size and len(rows) >= limit:
            report.budget_bound = True
        if not rows:
            return
        batch = await self._prepare(kind, rows, entries, conversations, report)
        renew_after = now + self._config.lease / 2
        pending = batch
        while pending and not self._stopping:
            index = await self._room_for(pending) if paced else 0
            if index < 0:
                continue  # waited for the budget: look again
            item = pending.pop(index)
            try:
                await self._send(kind, item, report, renew_after)
            except Exception:
                # Like a crash of this one item: its lease expires and it is reclaimed.
                log.exception("%s %s: delivery failed unexpectedly; it is retried after its lease", outbox.name, item.row.id)
                report.errors += 1
        if pending:
            # Stopping: the rest of the batch is handed back by release_leases(); its log entries go now.
            unsent = [item.key for item in pending]
            await self._db.run(lambda connection: DeliveryLog.abort_in(connection, unsent))

    async def _room_for(self, pending: list[_Send]) -> int:
        """The index of the first row whose tenant's budget has room for it now; else wait
        until the first of their tenants may have room and answer -1. The rows of one
        tenant go in their order; a tenant without room does not hold up another's."""
        budget = self._budget
        if budget is None:
            return 0
        waits: dict[str, timedelta] = {}
        for index, item in enumerate(pending):
            scope = item.scope
            if scope is None:
                return index  # the sender takes (or refuses) its slot
            if scope in waits:
                continue
            wait = waits[scope] = budget.paced_wait(scope)
            if not wait:
                return index
        await self._nap(min(waits.values()).total_seconds())
        return -1

    async def _nap(self, seconds: float) -> None:
        """Wait ``seconds`` for the budget (the injected ``sleep``, or real time that
        :meth:`request_stop` cuts short)."""
        if self._sleep is not None:
            await self._sleep(seconds)
            return
        loop = asyncio.get_running_loop()
        waker: asyncio.Future[None] = loop.create_future()
        timer = loop.call_later(seconds, _wake, waker)
        self._waker = waker
        try:
            await waker
        finally:
            timer.cancel()
            self._waker = None

    async def _prepare(
        self,
        kind: DeliveryKind,
        rows: list[sa.Row[Any]],
        entries: dict[str, LogEntry],
        conversations: list[StoredConversation | None],
        report: TickReport,
    ) -> list[_Send]:
        """Decide what becomes of each claimed row, then write it in one unit of work: rows
        into a conversation whose windows are full go back to the queue (before anything is
        logged or sent), rows the log knows as sent are marked, rows their kind will not
        send (yet) are rescheduled or ended, and the rest are logged ``sending`` (committed
        before the first of them is sent). Returns the rows to send, in order."""
        outbox = kind.outbox
        now = self._clock.now()
        requeue: list[Requeue] = []
        final: list[Final] = []
        known: list[tuple[int, str | None]] = []
        batch: list[_Send] = []
        planned: Counter[int] = Counter()
        for row, stored in zip(rows, conversations, strict=True):
            if self._stopping:
                break  # handed back by release_leases()
            try:
                conversation: int | None = row.conversation_ref_id
                wait = self._paced(conversation, planned[conversation]) if self._paced is not None and conversation is not None else None
                if wait:
                    # A burst into one chat: back to the queue until its windows have room,
                    # without logging or calling the sender.
                    requeue.append(Requeue(row.id, now + wait))
                    report.rescheduled += 1
                    continue
                key = outbox.log_key(row)
                entry = entries.get(key)
                if entry is not None and entry.status == LOG_SENT:
                    # An earlier attempt was delivered (its owner died before marking the row).
                    known.append((row.id, entry.activity_id))
                    report.deduplicated += 1
                    log.info("%s %s was already delivered (%s); not sent again", outbox.name, row.id, entry.activity_id)
                    continue
                decision = await kind.build(row, now)
                if isinstance(decision, Later):
                    requeue.append(Requeue(row.id, decision.at))
                    report.rescheduled += 1
                    continue
                if isinstance(decision, End):
                    final.append(Final(row.id, decision.status, decision.reason, count_attempt=False))
                    report.ended[decision.status] += 1
                    if decision.status == STATUS_FAILED:
                        report.failed += 1
                    continue
                if conversation is None or decision.conversation_ref_id is not None:
                    if decision.conversation_ref_id is None:
                        raise ValueError(f"{outbox.name} {row.id}: no conversation to send to")
                    conversation, stored = decision.conversation_ref_id, None
                if entry is not None and entry.status == LOG_SENDING:
                    log.warning(
                        "%s %s: an earlier attempt by %s at %s has an unknown outcome; sending again (at-least-once)",
                        outbox.name, row.id, entry.owner, entry.started_at.isoformat(),
                    )
                planned[conversation] += 1
                scope = scope_of(stored.tenant_id, stored.service_url) if stored is not None else None
                batch.append(_Send(row, conversation, stored, decision.message, key, scope))
            except Exception:
                # Like a crash of this one item: its lease expires and it is reclaimed.
                log.exception("%s %s: delivery failed unexpectedly; it is retried after its lease", outbox.name, row.id)
                report.errors += 1
        owner = self.owner_id
        keys = [item.key for item in batch]

        def write(connection: sa.Connection) -> None:
            outbox.requeue_in(connection, owner, now, requeue)
            outbox.finish_in(connection, owner, now, final)
            for item_id, activity_id in known:
                outbox.mark_sent_in(connection, item_id, activity_id, now)
            self._log.begin_in(connection, keys, owner, now)

        if requeue or final or known or batch:
            await self._db.run(write)
        return batch

    async def _send(self, kind: DeliveryKind, item: _Send, report: TickReport, renew_after: datetime) -> None:
        outbox = kind.outbox
        row, stored = item.row, item.stored
        now = self._clock.now()
        if now >= renew_after:
            # A slow batch: renew the row's lease before its turn (and look at the log and
            # the conversation again).
            if not await outbox.renew(row.id, self.owner_id, now, self._config.lease):
                log.info("%s %s: lease lost before its turn (another replica has it)", outbox.name, row.id)
                return
            entry = await self._log.get(item.key)
            if entry is not None and entry.status == LOG_SENT:
                await outbox.mark_sent(row.id, entry.activity_id, now)
                report.deduplicated += 1
                return
            stored = None
        if stored is not None and self._stored_sender is not None:
            outcome = await self._stored_sender.send_stored(stored, item.message)
        else:
            outcome = await self._sender.send(item.conversation, item.message)
        now = self._clock.now()
        if outcome.status is SendStatus.DELIVERED:
            found = item.conversation if row.conversation_ref_id is None else None
            await outbox.mark_sent(row.id, outcome.activity_id, now, log_key=item.key, conversation_ref_id=found)
            report.sent += 1
            return
        # Not delivered: forget the attempt and requeue or end the row, in one unit of work.
        requeue: list[Requeue] = []
        final: list[Final] = []
        if outcome.status is SendStatus.RETRY_LATER:
            throttled = outcome.detail.startswith(THROTTLED)
            attempts = row.attempts + (0 if throttled else 1)
            if not throttled and attempts >= self._config.max_attempts:
                final.append(Final(row.id, STATUS_FAILED, kind.gave_up(attempts, outcome.detail)))
                report.failed += 1
            else:
                config = self._config
                at = now + retry_delay(attempts, outcome.retry_after, base=config.base_backoff, cap=config.max_backoff)
                requeue.append(Requeue(row.id, at, None if throttled else outcome.detail, count_attempt=not throttled))
                report.rescheduled += 1
        else:  # UNREACHABLE / NO_CONVERSATION: nothing more is sent there.
            final.append(Final(row.id, STATUS_FAILED, outcome.detail or outcome.status.value))
            report.failed += 1
        owner, key = self.owner_id, item.key

        def record(connection: sa.Connection) -> None:
            DeliveryLog.abort_in(connection, [key])
            outbox.requeue_in(connection, owner, now, requeue)
            outbox.finish_in(connection, owner, now, final)

        await self._db.run(record)

    # -- service -----------------------------------------------------------------

    async def release_leases(self) -> int:
        """Hand back every lease this scheduler holds (on shutdown)."""
        now = self._clock.now()
        released = 0
        for kind in self._kinds:
            released += await kind.outbox.release(self.owner_id, now)
        if released:
            log.info("released %d leases held by %s", released, self.owner_id)
        return released

    async def run_forever(self, stop: asyncio.Event, interval: timedelta | None = None) -> None:
        """Tick every ``interval`` until ``stop`` is set (the service's loop; tests call tick())."""
        seconds = (interval or self._config.tick_interval).total_seconds()
        log.info("scheduler %s started (every %.0f s)", self.owner_id, seconds)
        last_full = -seconds
        loop = asyncio.get_running_loop()
        paced = self._budget is not None
        while not stop.is_set():
            pause = seconds
            try:
                full = loop.time() - last_full >= seconds
                report = await self.tick(only_deliver=not full, paced=paced)
                if full:
                    last_full = loop.time()
                pause = self._pause_after(report, seconds, paced=paced)
            except Exception:
                # E.g. the database is briefly away: log and try again next round.
                log.exception("scheduler tick failed")
            if pause <= 0:
                await asyncio.sleep(0)
                continue
            try:
                await asyncio.wait_for(stop.wait(), timeout=pause)
            except TimeoutError:
                pass
        log.info("scheduler %s stopped", self.owner_id)

    def _pause_after(self, report: TickReport, interval: float, *, paced: bool = False) -> float:
        """Seconds until the next tick: at once after a full batch that delivered something
        (more is probably due) or a paced batch the budget sized (the next one is claimed
        while the budget is still full, and waits there for its first slot), when the
        budget has room again after a claim it capped, else the interval."""
        if report.budget_bound and self._budget is not None:
            if paced:
                return 0.0
            wait = self._budget.next_room_in().total_seconds()
            return min(max(wait, 0.005), interval)
        if report.claimed >= self._config.batch_size and report.sent + report.deduplicated > 0:
            return 0.0
        return interval


def _wake(waker: asyncio.Future[None]) -> None:
    if not waker.done():
        waker.set_result(None)


def _stored_of(connection: sa.Connection, rows: list[sa.Row[Any]]) -> list[StoredConversation | None]:
    """The stored conversation of each row (``None`` for a row that has none yet)."""
    known = [row for row in rows if row.conversation_ref_id is not None]
    if len(known) == len(rows):
        return stored_by_id(connection, [row.conversation_ref_id for row in rows])
    found = iter(stored_by_id(connection, [row.conversation_ref_id for row in known]))
    return [next(found) if row.conversation_ref_id is not None else None for row in rows]
