"""CSV export of ideas for Excel: UTF-8 with BOM, ``;`` between fields (Danish Excel).

What the committee may see and nothing more: an anonymous idea exports no name, an
erased submitter exports none either, and the submitter link (user id, chat) is
never exported. Cells that Excel would read as a formula are prefixed with ``'``, and
control characters users typed (ESC sequences, carriage returns, bidi overrides) are
written as visible escapes (``\\x1b``); line breaks and tabs in a text stay.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from dialogs import idea_messages as msgs
from dialogs import texts
from dialogs.idea_port import IdeaView
from dialogs.safe_text import for_terminal
from knowledge.clock import COPENHAGEN
from knowledge.ideas_rules import CONSEQUENCE_KEYS

__all__ = ["CSV_DELIMITER", "export_csv"]

CSV_DELIMITER = ";"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: tuple[str, ...] = (
    "Nummer",
    texts.IDEA_BUDGET_YEAR,
    texts.IDEA_FIELD_LABELS["title"],
    texts.IDEA_FIELD_LABELS["description"],
    texts.IDEA_FIELD_LABELS["potential"],
    texts.IDEA_FIELD_LABELS["area"],
    texts.IDEA_FIELD_LABELS["cross_cutting"],
    *(texts.idea_consequence_fact(texts.IDEA_CONSEQUENCE_LABELS[k]) for k in CONSEQUENCE_KEYS),
    texts.IDEA_SUBMITTER,
    texts.IDEA_STATUS,
    texts.IDEA_COMMITTEE,
    texts.IDEA_SUPPORTS,
    texts.IDEA_RECEIVED,
    texts.IDEA_STATUS_CHANGED,
)


def _safe(value: str) -> str:
    value = for_terminal(value, multiline=True)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _when(view_time: datetime) -> str:
    local = view_time.astimezone(COPENHAGEN)
    return local.strftime("%d-%m-%Y %H:%M")


def export_csv(views: Sequence[IdeaView]) -> bytes:
    """The ideas as CSV bytes (UTF-8 with BOM, ``;``-separated, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for view in views:
        row = [
            f"#{view.number}",
            str(view.budget_year),
            view.title,
            view.description,
            view.potential,
            view.area_name or texts.IDEA_AREA_UNKNOWN,
            msgs.yes_no(view.cross_cutting),
            *(view.consequences.get(k, "") for k in CONSEQUENCE_KEYS),
            msgs.submitter_label(view),
            view.status_label,
            view.committee_name,
            str(view.supports),
            _when(view.created_at),
            _when(view.status_changed_at),
        ]
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
