"""The seed documents every MED fact is traced to, by their id (the file-name prefix)."""

from __future__ import annotations

from types import MappingProxyType

SEED_TITLES = MappingProxyType(
    {
        "000": "Jammerbugt Kommune: Drejebog for inddragelse af MED-systemet, budget 2024 (bilag B)",
        "001": "MEDsamarbejdet: Arrangementer for medarbejderrepræsentanter i MED-hovedudvalg 2024",
        "002": "Albertslund Kommune: MED-grunduddannelsen (undervisningsmateriale, 2026)",
        "003": "Jammerbugt Kommune: Referat, Direktionen 12. januar 2021",
        "004": "Albertslund Kommune: Referat, AfdelingsMED Økonomi & Stab 26. august 2025",
    }
)


def source_line(seed: str, section: str) -> str:
    """A human-readable reference: document title and section."""
    title = SEED_TITLES.get(seed, seed)
    return f"{title} – {section}" if section else title
