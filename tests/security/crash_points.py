"""Crashing a turn at any step: every SQL statement, every commit and every send is a step.

:class:`CrashPlan` counts the steps of a turn on a runtime; at step ``at`` it "crashes":
in-process with :class:`SimulatedCrash` (a ``BaseException``, so no ``except Exception``
in the bot can swallow it, as nothing can swallow a kill), or in a child process with a
real ``SIGKILL`` (``kill=True``). A plan with ``at=None`` only counts, to learn how many
steps a turn has.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from sqlalchemy import event

from bot.runtime import Runtime


class SimulatedCrash(BaseException):
    """The process died here."""


class CrashPlan:
    def __init__(self, at: int | None = None, *, kill: bool = False) -> None:
        self.at = at
        self.kill = kill
        self.steps: list[str] = []
        self.armed = False

    def step(self, what: str) -> None:
        if not self.armed:
            return
        self.steps.append(what)
        if self.at is not None and len(self.steps) == self.at:
            if self.kill:
                os.kill(os.getpid(), signal.SIGKILL)
            raise SimulatedCrash(f"step {self.at}: {what}")

    def install(self, runtime: Runtime) -> None:
        def before_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            self.step("sql " + " ".join(statement.split())[:60])

        def before_commit(_conn: Any) -> None:
            self.step("commit")

        for engine in runtime.database.sync_engines:
            event.listen(engine, "before_cursor_execute", before_execute)
            event.listen(engine, "commit", before_commit)
        adapter = runtime.adapter
        send = adapter.send_activities

        async def send_activities(context: Any, activities: Any) -> Any:
            self.step("send")
            return await send(context, activities)

        adapter.send_activities = send_activities  # type: ignore[method-assign]  # the test replaces the method
