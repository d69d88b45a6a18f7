"""Who acts on an idea (for permission checks and the audit trail), and idea numbers in queries."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import sqlalchemy as sa

from bot.ideas.views import ideas
from dialogs.idea_port import IdeaNotFoundError, Person
from knowledge.ideas_rules import IdeaNumber, parse_idea_number

__all__ = ["CLI_ACTOR", "Actor", "as_number", "by_number"]

CLI_ACTOR = "cli"


@dataclass(frozen=True)
class Actor:
    """Who changes an idea, for the permission check and the audit trail."""

    id: str
    name: str | None = None
    trusted: bool = False  # the command line (whoever can run it can reach the database anyway)

    @classmethod
    def of(cls, person: Person) -> Actor:
        return cls(id=person.user_id, name=person.user_name)

    @classmethod
    def cli(cls, name: str | None = None) -> Actor:
        if name is None:
            try:
                name = getpass.getuser()
            except (KeyError, OSError):
                name = None
        return cls(id=CLI_ACTOR, name=name, trusted=True)


def as_number(number: str) -> IdeaNumber:
    parsed = parse_idea_number(number)
    if parsed is None:
        raise IdeaNotFoundError(number.strip().lstrip("#"))
    return parsed


def by_number(number: IdeaNumber) -> sa.ColumnElement[bool]:
    return sa.and_(ideas.c.budget_year == number.budget_year, ideas.c.seq == number.seq)
