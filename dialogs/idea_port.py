"""What the idea dialogs need from the outside world, as protocols and plain data.

``bot/ideas/service.py`` implements both protocols on the database; the dialogs
never import ``bot/``. Committee-facing views (:class:`IdeaView`) never carry the
submitter's identity for an anonymous idea: the service fills ``submitter`` with
``None`` and ``anonymous=True``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dialogs.speaker import Speaker
from knowledge.ideas_rules import IdeaDraft, IdeaStatus

__all__ = [
    "AccessDeniedError",
    "AreaOption",
    "CommitteeOption",
    "ConcurrentChangeError",
    "IdeaAdminPort",
    "IdeaDraft",
    "IdeaError",
    "IdeaEventView",
    "IdeaNotFoundError",
    "IdeaPort",
    "IdeaStorageError",
    "IdeaView",
    "InvalidIdeaError",
    "NeedCommitteeError",
    "Person",
    "Receipt",
    "SimilarIdea",
    "StatusChange",
    "StoredDraft",
    "SupportOutcome",
    "UnknownCommitteeError",
]


#: Who submits, supports or manages an idea.
Person = Speaker


@dataclass(frozen=True)
class AreaOption:
    id: str
    name: str
    committee: str
    names: tuple[str, ...] = ()  # every name the area may be typed as


@dataclass(frozen=True)
class CommitteeOption:
    key: str
    name: str


@dataclass(frozen=True)
class StoredDraft:
    draft: IdeaDraft
    updated_at: datetime


@dataclass(frozen=True)
class SimilarIdea:
    number: str  # "2027-014"
    title: str
    status: IdeaStatus
    status_label: str
    score: float
    own: bool = False  # the person asking submitted it themselves: never offered for support


@dataclass(frozen=True)
class Receipt:
    number: str  # "2027-014"
    committee_name: str
    anonymous: bool
    feedback_possible: bool  # False when the bot has no personal chat with the submitter
    committee_notified: bool = True  # False when no contact of the committee has a chat address
    contact: str = ""  # the committee's contact persons as the profile names them (»Navn (mail)«)


class SupportOutcome(enum.Enum):
    SUPPORTED = "supported"
    ALREADY = "already"
    OWN_IDEA = "own_idea"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class IdeaEventView:
    at: datetime
    actor: str  # a name, "MED-sekretær (cli)", ... never the submitter of an anonymous idea
    kind: str
    from_status: IdeaStatus | None
    to_status: IdeaStatus | None
    status_label: str | None
    reason: str | None


@dataclass(frozen=True)
class IdeaView:
    """An idea as a committee (or its own submitter) sees it."""

    number: str
    budget_year: int
    title: str
    description: str
    potential: str
    area_name: str | None
    cross_cutting: bool
    consequences: dict[str, str]
    anonymous: bool
    submitter: str | None  # the name; None for anonymous or erased
    status: IdeaStatus
    status_label: str
    committee: str  # key
    committee_name: str
    supports: int
    created_at: datetime
    status_changed_at: datetime
    contact_unreachable: bool = False  # a notification to the committee found no chat address
    contact: str = ""  # the committee's contact persons as the profile names them (»Navn (mail)«)
    committee_view: bool = False  # True: as the committee sees it (with history), not the submitter's view
    events: tuple[IdeaEventView, ...] = ()
    notifications: tuple[tuple[str, str, str, str | None], ...] = ()  # (kind, recipient, status, error)


@dataclass(frozen=True)
class StatusChange:
    number: str
    title: str
    old: IdeaStatus
    new: IdeaStatus
    status_label: str
    reason: str | None
    notified: int  # notifications queued for the submitter and supporters
    unreachable_committee: str | None = None  # sent on to a committee whose contacts have no chat address


class IdeaError(Exception):
    """Base class of the idea errors a dialog or the CLI can explain to a person."""


class IdeaNotFoundError(IdeaError, LookupError):
    def __init__(self, number: str) -> None:
        super().__init__(f"no idea #{number}")
        self.number = number


class AccessDeniedError(IdeaError, PermissionError):
    """The person may not do this (not an admin of the idea's committee)."""


class UnknownCommitteeError(IdeaError, LookupError):
    def __init__(self, text: str) -> None:
        super().__init__(f"no committee {text!r}")
        self.text = text


class NeedCommitteeError(IdeaError, ValueError):
    """"Sendt videre" needs the committee the idea is sent on to."""


class ConcurrentChangeError(IdeaError):
    """Somebody else changed the idea at the same moment; read it again and retry."""


class InvalidIdeaError(IdeaError, ValueError):
    """The idea breaks a field limit or is incomplete (the dialog checks first; this is the backstop)."""


class IdeaStorageError(IdeaError):
    """The database could not store the idea (the draft is kept)."""


class IdeaPort(Protocol):
    """Submitting: the idea dialog's view of the service."""

    def areas(self) -> Sequence[AreaOption]: ...

    def committee_for(self, area_id: str | None, cross_cutting: bool) -> str:
        """The name of the committee an idea with this area would go to."""
        ...

    def budget_year(self) -> int: ...

    def process_notes(self) -> Sequence[str]:
        """What the user should know first when the municipality has not described an idea
        process of its own (empty when it has): said before the first question."""
        ...

    async def find_similar(self, draft: IdeaDraft, person: Person | None = None) -> list[SimilarIdea]:
        """Open ideas like ``draft``; those ``person`` submitted come with ``own=True``."""
        ...

    async def submit(self, draft: IdeaDraft, submitter: Person) -> Receipt: ...

    async def support(self, number: str, person: Person) -> SupportOutcome: ...

    async def save_draft(self, person: Person, draft: IdeaDraft) -> None: ...

    async def load_draft(self, person: Person) -> StoredDraft | None: ...

    async def discard_draft(self, person: Person) -> None: ...


class IdeaAdminPort(Protocol):
    """Listing and changing ideas from chat (admins), and a person's own ideas."""

    def committees(self) -> list[CommitteeOption]:
        """Every committee ideas can be routed to (the top committee first)."""
        ...

    async def observe(self, person: Person) -> None:
        """Note that ``person`` talked to the bot (an admin becomes reachable as contact)."""
        ...

    async def admin_committees(self, person: Person) -> list[CommitteeOption]: ...

    async def list_for_admin(self, person: Person, status: IdeaStatus | None = None) -> list[IdeaView]: ...

    async def my_ideas(self, person: Person) -> list[IdeaView]: ...

    async def show(self, number: str, person: Person) -> IdeaView: ...

    async def set_status(
        self,
        number: str,
        status: IdeaStatus,
        person: Person,
        reason: str | None = None,
        committee: str | None = None,
    ) -> StatusChange: ...

    async def comment(self, number: str, person: Person, text: str) -> None: ...

    async def preview_change(self, number: str, status: IdeaStatus, person: Person) -> None:
        """Raise what :meth:`set_status` would raise, except for a missing reason."""
        ...

