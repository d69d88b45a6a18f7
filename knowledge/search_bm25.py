"""BM25 (bm25s, Lucene variant) over whole knowledge entries: one part of the search score.

:class:`knowledge.search.Searcher` scores an entry by how much of the question it covers
and by its closest single phrasing. BM25 adds what neither sees: how often the question's
words recur across the entry as a whole (title, question variants, keywords and answer),
saturated and length-normalised as BM25 does.

Raw BM25 grows with the length of the question and has no fixed scale, so
:meth:`EntryBM25.scores` divides it by the most the question could score: the sum of the
IDF of its words. Each word adds at most its IDF to the raw score, so the result lies in
0..1; a word no entry uses adds to the divisor only, so a question about something else
scores low.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence

import bm25s

# bm25s sets its logger to DEBUG when imported, which lets a line per index built through
# the application's handlers; let it follow the application's level like any other logger.
logging.getLogger("bm25s").setLevel(logging.NOTSET)

__all__ = ["EntryBM25"]

#: A word no entry uses counts in the divisor as this share of the highest IDF.
_UNKNOWN_SHARE = 0.5


def _idf(documents: int, frequency: int) -> float:
    """The Lucene IDF, as bm25s computes it for ``method="lucene"``."""
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


class EntryBM25:
    """A BM25 index over one token list per entry; see the module docstring."""

    def __init__(
        self, documents: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75
    ) -> None:
        self.size = len(documents)
        frequency = Counter(token for document in documents for token in set(document))
        self._idf: dict[str, float] = {t: _idf(self.size, f) for t, f in frequency.items()}
        self._unknown = _UNKNOWN_SHARE * _idf(self.size, 0)
        self._index: bm25s.BM25 | None = None
        if self._idf:
            self._index = bm25s.BM25(method="lucene", k1=k1, b=b)
            self._index.index([list(d) for d in documents], show_progress=False)

    def scores(self, tokens: Sequence[str]) -> list[float]:
        """The normalised BM25 score (0..1) of every entry for a question's ``tokens``."""
        known = [t for t in tokens if t in self._idf]
        if not known or self._index is None:
            return [0.0] * self.size
        most = sum(self._idf[t] for t in known) + self._unknown * (len(tokens) - len(known))
        normalised: list[float] = (self._index.get_scores(known) / most).clip(max=1.0).tolist()
        return normalised
