"""Sending the pending rows of the ``idea_notifications`` outbox, each exactly once.

A row is *claimed* before it is sent: one conditional ``UPDATE`` moves it from
``pending`` (or from an expired ``sending`` lease) to ``sending`` and reserves it
for ``lease``; only the round whose update hit the row sends it, so two delivery
loops never send the same row. After the sender answers:

* ``DELIVERED`` → ``sent`` (never sent again);
* ``RETRY_LATER`` → back to ``pending`` after the Retry-After or an exponential
  back-off; throttling does not count as a failed attempt; after ``max_attempts``
  failures → ``failed``;
* ``UNREACHABLE`` / ``NO_CONVERSATION`` → ``failed`` with the reason;
* status feedback to one person keeps its order: a change waits while an earlier
  one to the same person is still pending;
* nobody to send to (no personal chat known) → ``no_address``.

A process that dies between the send and the update leaves the row ``sending``;
when the lease runs out it is sent again (at least once under a crash, exactly once
otherwise).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.protocol import ProactiveSender, SendOutcome, SendStatus
from bot.delivery.sender import THROTTLED
from bot.ideas.addresses import personal_conversation
from bot.ideas.config import IdeaConfig
from bot.ideas.directory import CommitteeDirectory
from bot.ideas.notices import compose
from bot.ideas.outbox import (
    KIND_STATUS,
    RECIPIENT_CONTACT,
    RECIPIENT_SUBMITTER,
    RECIPIENT_SUPPORTER,
    STATUS_FAILED,
    STATUS_NO_ADDRESS,
    STATUS_PENDING,
    STATUS_SENDING,
    STATUS_SENT,
    notifications,
)
from bot.ideas.views import submitters, supports
from bot.storage.db import Database
from dialogs import texts
from dialogs.messages import Message

__all__ = ["DeliveryReport", "NotificationDelivery"]

log = logging.getLogger(__name__)

@dataclass
class DeliveryReport:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    no_address: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retry + self.failed + self.no_address


class _NoAddress(Exception):
    """Nobody to send this row to (kept inside this module)."""


class NotificationDelivery:
    def __init__(self, database: Database, directory: CommitteeDirectory, config: IdeaConfig) -> None:
        self._db = database
        self._directory = directory
        self._config = config

    async def deliver_pending(self, sender: ProactiveSender, now: datetime) -> DeliveryReport:
        report = DeliveryReport()
        for row in await self._due(now):
            claimed = await self._claim(row, now)
            if claimed is None:
                continue  # another round took it
            await self._deliver_one(sender, claimed, now, report)
        if report.attempted:
            log.info(
                "idea notifications: %d sent, %d to retry, %d failed, %d without address",
                report.sent,
                report.retry,
                report.failed,
                report.no_address,
            )
        return report

    async def _due(self, now: datetime) -> list[Any]:
        t = notifications
        earlier = t.alias("earlier")
        due = sa.or_(
            sa.and_(t.c.status == STATUS_PENDING, sa.or_(t.c.next_attempt_at.is_(None), t.c.next_attempt_at <= now)),
            sa.and_(t.c.status == STATUS_SENDING, t.c.next_attempt_at <= now),
        )
        # Status feedback keeps its order: a later change waits until the earlier one
        # to the same person is sent or given up.
        waits_for_earlier = sa.and_(
            t.c.kind == KIND_STATUS,
            sa.exists().where(
                earlier.c.id < t.c.id,
                earlier.c.idea_id == t.c.idea_id,
                earlier.c.kind == KIND_STATUS,
                earlier.c.recipient_kind == t.c.recipient_kind,
                earlier.c.recipient == t.c.recipient,
                earlier.c.status.in_([STATUS_PENDING, STATUS_SENDING]),
            ),
        )
        async with self._db.session() as session:
            statement = sa.select(t).where(due, sa.not_(waits_for_earlier)).order_by(t.c.id).limit(self._config.batch_size)
            return list((await session.execute(statement)).all())

    async def _claim(self, row: Any, now: datetime) -> Any | None:
        t = notifications
        async with self._db.session() as session:
            result = await session.execute(
                sa.update(t)
                .where(t.c.id == row.id, t.c.status == row.status, t.c.attempts == row.attempts)
                .values(
                    status=STATUS_SENDING,
                    attempts=row.attempts + 1,
                    next_attempt_at=now + self._config.lease,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE or DELETE result is a CursorResult
                return None
            return (await session.execute(sa.select(t).where(t.c.id == row.id))).one()

    async def _deliver_one(self, sender: ProactiveSender, row: Any, now: datetime, report: DeliveryReport) -> None:
        try:
            async with self._db.session() as session:
                address = await self._address(session, row)
                message = await compose(session, self._directory, row)
        except _NoAddress as exc:
            await self._finish(row, now, status=STATUS_NO_ADDRESS, error=str(exc))
            log.warning("idea notification %s (%s to %s): no chat address", row.id, row.kind, row.recipient_kind)
            report.no_address += 1
            return
        if message is None:
            await self._finish(row, now, status=STATUS_FAILED, error=texts.IDEA_NOTICE_IDEA_GONE)
            report.failed += 1
            return
        outcome = await self._send(sender, address, message)
        if outcome.status is SendStatus.DELIVERED:
            await self._finish(row, now, status=STATUS_SENT, sent=True, conversation_ref_id=address)
            report.sent += 1
        elif outcome.status is SendStatus.RETRY_LATER:
            throttled = outcome.detail.startswith(THROTTLED)
            attempts = row.attempts - 1 if throttled else row.attempts
            if not throttled and attempts >= self._config.max_attempts:
                await self._finish(row, now, status=STATUS_FAILED, error=texts.idea_notice_gave_up(attempts, outcome.detail))
                report.failed += 1
                return
            wait = max(outcome.retry_after or timedelta(0), self._backoff(attempts) if not throttled else timedelta(0))
            await self._finish(
                row,
                now,
                status=STATUS_PENDING,
                error=outcome.detail or None,
                next_attempt_at=now + wait,
                attempts=attempts,
            )
            report.retry += 1
        else:
            await self._finish(row, now, status=STATUS_FAILED, error=f"{outcome.status.value}: {outcome.detail}")
            log.warning("idea notification %s could not be delivered: %s", row.id, outcome.status.value)
            report.failed += 1

    @staticmethod
    async def _send(sender: ProactiveSender, address: int, message: Message) -> SendOutcome:
        try:
            return await sender.send(address, message)
        except Exception as exc:  # noqa: BLE001 - a sender must not raise; if one does, retry later
            log.exception("proactive sender raised instead of reporting an outcome")
            return SendOutcome(SendStatus.RETRY_LATER, detail=f"sender raised {type(exc).__name__}")

    def _backoff(self, attempts: int) -> timedelta:
        delay = self._config.base_backoff * (2 ** max(attempts - 1, 0))
        return min(delay, self._config.max_backoff)

    async def _address(self, session: AsyncSession, row: Any) -> int:
        if row.conversation_ref_id is not None:
            return int(row.conversation_ref_id)
        found: int | None = None
        if row.recipient_kind == RECIPIENT_SUBMITTER:
            submitter = (
                await session.execute(sa.select(submitters).where(submitters.c.idea_id == row.idea_id))
            ).one_or_none()
            if submitter is None or submitter.erased_at is not None or not submitter.user_id:
                raise _NoAddress(texts.IDEA_NOTICE_SUBMITTER_GONE)
            found = submitter.conversation_ref_id or await personal_conversation(
                session, submitter.user_id, submitter.channel_id
            )
        elif row.recipient_kind == RECIPIENT_SUPPORTER:
            support_id = int(str(row.recipient).split(":", 1)[1])
            support = (await session.execute(sa.select(supports).where(supports.c.id == support_id))).one_or_none()
            if support is None or not support.user_id:
                raise _NoAddress(texts.IDEA_NOTICE_SUPPORT_GONE)
            found = support.conversation_ref_id or await personal_conversation(
                session, support.user_id, support.channel_id
            )
        elif row.recipient_kind == RECIPIENT_CONTACT:
            found = await personal_conversation(session, str(row.recipient))
        if found is None:
            raise _NoAddress(texts.IDEA_NOTICE_NO_PERSONAL_CHAT)
        return int(found)

    async def _finish(
        self,
        row: Any,
        now: datetime,
        *,
        status: str,
        error: str | None = None,
        sent: bool = False,
        next_attempt_at: datetime | None = None,
        attempts: int | None = None,
        conversation_ref_id: int | None = None,
    ) -> None:
        t = notifications
        values: dict[str, Any] = {"status": status, "updated_at": now, "last_error": error}
        if sent:
            values["sent_at"] = now
        values["next_attempt_at"] = next_attempt_at
        if attempts is not None:
            values["attempts"] = attempts
        if conversation_ref_id is not None:
            values["conversation_ref_id"] = conversation_ref_id
        async with self._db.session() as session:
            result = await session.execute(
                sa.update(t)
                .where(t.c.id == row.id, t.c.status == STATUS_SENDING, t.c.attempts == row.attempts)
                .values(**values)
            )
        if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE or DELETE result is a CursorResult
            log.warning("idea notification %s changed while it was being sent; left as it is", row.id)
