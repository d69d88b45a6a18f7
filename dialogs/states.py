"""Conversations as explicit states, as python-telegram-bot's ConversationHandler has them.

Each dialog module declares one :class:`StateMachine`: its states, what each state's
prompt expects (:class:`~dialogs.prompts.Expect`, ``None`` for a state that asks
nothing), and the allowed transitions. The dialog moves with
:meth:`StateMachine.move`, which refuses a transition the machine does not have, so
the diagram next to the dialog (:meth:`StateMachine.mermaid`, checked by a test) is
the truth about the code.

``groups`` name a set of states (the idea dialog's field questions): a transition to
a group goes to any of its states, and a group's own transitions hold for each of its
states. The diagram draws a group as a composite state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dialogs.prompts import Expect

#: The pseudo state a conversation ends in.
END = "end"


class TransitionError(RuntimeError):
    """A dialog tried a transition its state machine does not have (a bug)."""


@dataclass(frozen=True)
class StateMachine:
    name: str
    start: str
    expects: Mapping[str, Expect | None]
    transitions: Mapping[str, tuple[str, ...]]
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "expects", MappingProxyType(dict(self.expects)))
        object.__setattr__(self, "transitions", MappingProxyType({k: tuple(v) for k, v in self.transitions.items()}))
        object.__setattr__(self, "groups", MappingProxyType({k: tuple(v) for k, v in self.groups.items()}))
        for group, members in self.groups.items():
            if group in self.expects or set(members) - set(self.expects):
                raise ValueError(f"{self.name}: group {group!r} clashes with a state or names unknown states")
        known = set(self.expects) | set(self.groups) | {END}
        for state, targets in self.transitions.items():
            if state not in self.expects and state not in self.groups:
                raise ValueError(f"{self.name}: transition from unknown state {state!r}")
            unknown = set(targets) - known
            if unknown:
                raise ValueError(f"{self.name}: {state!r} goes to unknown states {sorted(unknown)}")
        if self.start not in self.expects:
            raise ValueError(f"{self.name}: unknown start state {self.start!r}")

    def targets(self, state: str) -> frozenset[str]:
        """Every state ``state`` may move to (groups expanded)."""
        raw = list(self.transitions.get(state, ()))
        for group, members in self.groups.items():
            if state in members:
                raw.extend(self.transitions.get(group, ()))
        out: set[str] = set()
        for target in raw:
            out.update(self.groups.get(target, (target,)))
        return frozenset(out)

    def allows(self, current: str, new: str) -> bool:
        return new in self.targets(current)

    def move(self, current: str, new: str) -> str:
        """``new`` when the machine has the transition; raises :class:`TransitionError` otherwise."""
        if not self.allows(current, new):
            raise TransitionError(f"{self.name}: no transition {current!r} -> {new!r}")
        return new

    def expectation(self, state: str) -> Expect:
        expects = self.expects[state]
        if expects is None:
            raise ValueError(f"{self.name}: state {state!r} asks nothing")
        return expects

    def state_id(self, state: str) -> str:
        """``"case_level.decider"``: the name a prompt records in its expectation."""
        return f"{self.name}.{state}"

    def mermaid(self) -> str:
        """The machine as a Mermaid ``stateDiagram-v2`` (states labelled with what they expect)."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.start}"]
        grouped = {s for members in self.groups.values() for s in members}
        for group, members in self.groups.items():
            lines.append(f"    state {group} {{")
            for state in members:
                expects = self.expects[state]
                lines.append(f"        {state}: {state} ({expects.value})" if expects else f"        {state}")
            lines.append("    }")
        for state, expects in self.expects.items():
            if expects is not None and state not in grouped:
                lines.append(f"    {state}: {state} ({expects.value})")
        for state, targets in self.transitions.items():
            for target in targets:
                lines.append(f"    {state} --> {'[*]' if target == END else target}")
        return "\n".join(lines)
