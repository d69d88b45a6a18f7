"""Short follow-up questions that lean on the question before: »og HovedMED?«.

"hvem er kontaktperson for VUF" followed by "og HovedMED?" asks the same about
HovedMED. When the follow-up is only a name (a committee, an area, a municipality or
a MED role) and the question before named one too, the question is asked again with
the new name in its place. Anything else is not a follow-up here: the bot does not
guess what a bare »hvem så?« refers to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.details import KNOWN_MUNICIPALITIES
from knowledge.normalize import fold

__all__ = ["ROLE_NAMES", "follow_up_question"]

#: MED roles a follow-up can name.
ROLE_NAMES = (
    "AMR", "arbejdsmiljørepræsentant", "TR", "tillidsrepræsentant", "formand", "formanden",
    "næstformand", "næstformanden", "leder", "lederen", "MED-sekretær", "MED-sekretæren",
)

# "og HovedMED?", "hvad med BFF", "hvad så med albertslund?", "and TR?", "men for VUF?",
# "og i albertslund?", "er det også sådan i albertslund?", "gælder det også i Jammerbugt?"
_FOLLOW_UP = re.compile(
    r"^(?:(?:og|men|hvad med|hvad sa med|og hvad med|and|what about|samme for|og for|men for)\s+"
    r"|(?:er det|gor i det|gor de det|galder det|is it|and is it)(?:\s+(?:ogsa|also|det samme|ligesadan|sadan|pa samme made|the same))*\s+)"
    r"(?:i |in |for |hos )?(.+?)$"
)
#: A municipality named in a follow-up, while the question before named none: the question is
#: asked again about it (»hvad er den gode idé« + »og i albertslund?«).
_MUNICIPALITIES = KNOWN_MUNICIPALITIES
_MAX_NAME_WORDS = 3


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({fold(n) for n in names if fold(n)}, key=len, reverse=True)
    if not folded:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in folded) + r")\b")


def follow_up_question(previous: str, text: str, names: Iterable[str]) -> str | None:
    """The previous question about the name in ``text``, or None when ``text`` is no such follow-up.

    ``names`` are the names a follow-up may swap (committees, areas, municipalities);
    :data:`ROLE_NAMES` are always included.
    """
    match = _FOLLOW_UP.match(fold(text))
    if match is None:
        return None
    name = match.group(1).strip()
    if not name or len(name.split()) > _MAX_NAME_WORDS:
        return None
    pattern = _pattern([*names, *ROLE_NAMES, *_MUNICIPALITIES])
    if pattern is None:
        return None
    parts = re.split(r"\s*(?:,|\bog\b|\band\b)\s*", name)
    if not pattern.fullmatch(name) and not (len(parts) > 1 and all(pattern.fullmatch(p) for p in parts if p)):
        return None  # (»og for stabplus og hovedMED?«: two names, asked about together)
    before = fold(previous)
    found = list(pattern.finditer(before))
    if not found:
        return f"{before} i {name}" if name in _MUNICIPALITIES else None
    if name in _MUNICIPALITIES and not any(m.group(1) in _MUNICIPALITIES for m in found):
        return f"{before} i {name}"  # »hvem er kontaktperson for VUF« + »og i albertslund?«
    last = found[-1]
    if last.group(1) == name:
        return None  # the same name again: nothing to swap
    return before[: last.start()] + name + before[last.end():]
