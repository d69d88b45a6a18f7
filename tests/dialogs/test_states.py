"""The dialogs' state machines: the diagrams next to the code are the machines, and
every prompt records what it expects where the router can read it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from dialogs import case_level, idea, idea_admin, reminders
from dialogs.prompts import Expect
from dialogs.states import END, StateMachine, TransitionError

DIALOGS = Path(case_level.__file__).resolve().parent


def _mermaid_blocks(text: str) -> list[str]:
    found = re.findall(r"```mermaid\n(.*?)```", text, flags=re.DOTALL)
    found += [textwrap.dedent(b) for b in re.findall(r"\.\. code-block:: mermaid\n\n(.*?)(?:\n\n\S|\Z)", text, flags=re.DOTALL)]
    return ["\n".join(line.rstrip() for line in textwrap.dedent(b).strip().splitlines()) for b in found]


def _normalise(diagram: str) -> str:
    return "\n".join(line.strip() for line in diagram.strip().splitlines())


@pytest.mark.parametrize(
    ("machine", "where"),
    [
        (case_level.MACHINE, case_level.__doc__ or ""),
        (reminders.MACHINE, reminders.__doc__ or ""),
        (idea.MACHINE, (DIALOGS / "idea.md").read_text(encoding="utf-8")),
        (idea_admin.MACHINE, idea_admin.__doc__ or ""),
    ],
    ids=["case_level", "reminders", "idea", "idea_admin"],
)
def test_the_diagram_next_to_the_dialog_is_its_state_machine(machine: StateMachine, where: str) -> None:
    assert _normalise(machine.mermaid()) in [_normalise(b) for b in _mermaid_blocks(where)]


def test_a_transition_the_machine_does_not_have_is_refused() -> None:
    assert case_level.MACHINE.move("case", "decider") == "decider"
    with pytest.raises(TransitionError):
        case_level.MACHINE.move("decider", "case")
    # Groups: any field question may follow any other, and the summary may follow each.
    assert idea.MACHINE.allows(idea.TITLE, idea.AREA)
    assert idea.MACHINE.allows(idea.CONSEQUENCE, idea.SUMMARY)
    # The optional fields are asked only from the summary (»Tilføj flere oplysninger«).
    assert not idea.MACHINE.allows(idea.AREA, idea.POTENTIAL)
    assert idea.MACHINE.allows(idea.SUMMARY, idea.POTENTIAL)
    assert not idea.MACHINE.allows(idea.TITLE, idea.DUPLICATES)
    assert idea.MACHINE.allows(idea.OWN_DUPLICATE, END)


def test_every_question_declares_what_it_expects() -> None:
    assert case_level.MACHINE.expectation("decider") is Expect.DECIDER
    assert reminders.MACHINE.expectation("when") is Expect.TIME
    assert reminders.MACHINE.expectation("list") is Expect.COMMAND
    assert idea.MACHINE.expectation(idea.CONSEQUENCES) is Expect.YES_NO_OR_TEXT
    assert idea.MACHINE.expectation(idea.AREA) is Expect.CHOICE


def test_a_machine_with_an_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError):
        StateMachine(name="x", start="a", expects={"a": Expect.TEXT}, transitions={"a": ("b",)})
