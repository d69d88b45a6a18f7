"""Tables for Den gode idé (filled in by the ideas work)."""
